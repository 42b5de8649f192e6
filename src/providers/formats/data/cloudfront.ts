import type { TypeFormat } from '../format.js';

/** A type's "Return values" section in the CloudFormation template reference. */
const returnValues = (slug: string) =>
  `https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-${slug}.html#aws-resource-${slug}-return-values`;

/**
 * CloudFront's own ids are an E and upper-case letters and digits: a distribution's E2QWRUHAPOMQZL, an origin
 * access control's alike (E3PWPBI65FJEG3, E2BIZMIE10VI63 in configurations people publish), an origin access
 * identity's one longer, E74FTE3AJFJ256A. Policies are named by UUIDs (the managed CachingOptimized policy is
 * 658327ea-f89d-4fab-a63d-7e88639e58f6).
 */
const DISTRIBUTION_ID = 'E${Random:upper:13}';

/**
 * The policies' LastModifiedTime is the API's timestamp (CachePolicy, OriginRequestPolicy and
 * ResponseHeadersPolicy: "The date and time when the policy was last modified"), but how CloudFormation's
 * handlers render it into the model no public source tells (their source is not published, the Return values
 * pages give no example): it is left to the derived rule.
 */

export const formats: Readonly<Record<string, TypeFormat>> = {
  'AWS::CloudFront::Distribution': {
    sources: [
      // Return values: DomainName d111111abcdef8.cloudfront.net, Id (E and 13 upper-case characters).
      returnValues('cloudfront-distribution'),
      'https://docs.aws.amazon.com/cloudfront/latest/APIReference/API_Distribution.html',
    ],
    attributes: {
      Id: DISTRIBUTION_ID,
      DomainName: 'd${Random:lower:13}.cloudfront.net',
    },
  },
  'AWS::CloudFront::OriginAccessControl': {
    sources: [
      // Return values: Id; distribution configurations people publish quote ids like E3PWPBI65FJEG3.
      returnValues('cloudfront-originaccesscontrol'),
      'https://docs.aws.amazon.com/cloudfront/latest/APIReference/API_OriginAccessControl.html',
    ],
    attributes: { Id: DISTRIBUTION_ID },
  },
  'AWS::CloudFront::CloudFrontOriginAccessIdentity': {
    sources: [
      // Id "for example, E74FTE3AJFJ256A"; S3CanonicalUserId, an S3 canonical user id: 64 hex characters, e.g.
      // 79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be.
      returnValues('cloudfront-cloudfrontoriginaccessidentity'),
      'https://docs.aws.amazon.com/cloudfront/latest/APIReference/API_CloudFrontOriginAccessIdentity.html',
      'https://docs.aws.amazon.com/AmazonS3/latest/userguide/finding-canonical-user-id.html',
    ],
    attributes: { Id: 'E${Random:upper:14}', S3CanonicalUserId: '${Random:hex:64}' },
  },
  'AWS::CloudFront::CachePolicy': {
    sources: [
      // Return values: Id (a UUID, as the managed policies' ids are), LastModifiedTime.
      returnValues('cloudfront-cachepolicy'),
      'https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/using-managed-cache-policies.html',
    ],
    attributes: { Id: '${Random:uuid}' },
  },
  'AWS::CloudFront::OriginRequestPolicy': {
    sources: [
      returnValues('cloudfront-originrequestpolicy'),
      // Managed origin request policies' ids are UUIDs, e.g. AllViewer 216adef6-5c7f-47e4-b989-5492eafa07d3.
      'https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/using-managed-origin-request-policies.html',
    ],
    attributes: { Id: '${Random:uuid}' },
  },
  'AWS::CloudFront::ResponseHeadersPolicy': {
    sources: [
      returnValues('cloudfront-responseheaderspolicy'),
      // Managed response headers policies' ids are UUIDs, e.g. SimpleCORS 60669652-455b-4ae9-85a4-c4c02393f86c.
      'https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/using-managed-response-headers-policies.html',
    ],
    attributes: { Id: '${Random:uuid}' },
  },
  'AWS::CloudFront::Function': {
    sources: [
      // Return values: FunctionARN arn:aws:cloudfront::123456789012:function/MyFunction (global: no Region),
      // FunctionMetadata.FunctionARN the same, Stage: LIVE when AutoPublish is true, else DEVELOPMENT.
      returnValues('cloudfront-function'),
      'https://docs.aws.amazon.com/cloudfront/latest/APIReference/API_FunctionMetadata.html',
    ],
    attributes: {
      FunctionARN: 'arn:${AWS::Partition}:cloudfront::${AWS::AccountId}:function/${Name}',
      'FunctionMetadata.FunctionARN': '${FunctionARN}',
      Stage: { on: 'AutoPublish', cases: { true: 'LIVE' }, else: 'DEVELOPMENT' },
    },
  },
};
