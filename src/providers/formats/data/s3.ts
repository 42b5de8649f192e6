import type { TypeFormat } from '../format.js';

/**
 * S3 website endpoints: the Regions that predate 2014 write `s3-website-<region>`, the later ones
 * `s3-website.<region>` ("Amazon S3 website endpoints", https://docs.aws.amazon.com/general/latest/gr/s3.html#s3_website_region_endpoints;
 * the older https://docs.aws.amazon.com/AmazonS3/latest/dev/WebsiteEndpoints.html table lists the same dash Regions).
 */
const WEBSITE_SEPARATOR =
  'map:us-east-1=-,us-west-1=-,us-west-2=-,ap-southeast-1=-,ap-southeast-2=-,ap-northeast-1=-,eu-west-1=-,sa-east-1=-,us-gov-west-1=-,*=.';

export const formats: Readonly<Record<string, TypeFormat>> = {
  'AWS::S3::Bucket': {
    sources: [
      // Return values: Arn arn:aws:s3:::DOC-EXAMPLE-BUCKET, DomainName DOC-EXAMPLE-BUCKET.s3.amazonaws.com,
      // DualStackDomainName DOC-EXAMPLE-BUCKET.s3.dualstack.us-east-2.amazonaws.com, RegionalDomainName
      // DOC-EXAMPLE-BUCKET.s3.us-east-2.amazonaws.com, WebsiteURL http://DOC-EXAMPLE-BUCKET.s3-website.us-east-2.amazonaws.com;
      // a generated name looks like mystack-mybucket-kdwwxmddtr2g.
      'https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-s3-bucket.html#aws-resource-s3-bucket-return-values',
      // Bucket names: 3 to 63 characters, lower-case letters, digits, dots and hyphens.
      'https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html',
    ],
    name: { property: 'BucketName', case: 'lower', maxLength: 63 },
    attributes: {
      Arn: 'arn:${AWS::Partition}:s3:::${BucketName}',
      DomainName: '${BucketName}.s3.${AWS::URLSuffix}',
      DualStackDomainName: '${BucketName}.s3.dualstack.${AWS::Region}.${AWS::URLSuffix}',
      RegionalDomainName: '${BucketName}.s3.${AWS::Region}.${AWS::URLSuffix}',
      WebsiteURL: `http://\${BucketName}.s3-website\${AWS::Region|${WEBSITE_SEPARATOR}}\${AWS::Region}.\${AWS::URLSuffix}`,
    },
  },
};
