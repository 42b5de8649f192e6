import type { TypeFormat } from '../format.js';

/** A web ACL's scope as its ARN writes it: `regional`, or `global` for CloudFront. */
const SCOPE_IN_ARN = '${Scope|map:REGIONAL=regional,CLOUDFRONT=global}';

export const formats: Readonly<Record<string, TypeFormat>> = {
  'AWS::WAFv2::RegexPatternSet': {
    sources: [
      // ARN "arn:aws:wafv2:us-west-2:123456789012:regional/regexpatternset/<name>/<id>" (CLOUDFRONT: global);
      // the id is a UUID, e.g. a1b2c3d4-5678-90ab-cdef-EXAMPLE11111.
      'https://docs.aws.amazon.com/service-authorization/latest/reference/list_awswafv2.html#awswafv2-resources-for-iam-policies',
      'https://docs.aws.amazon.com/waf/latest/APIReference/API_CreateRegexPatternSet.html',
    ],
    name: { property: 'Name', maxLength: 128 },
    attributes: {
      Id: '${Random:uuid}',
      Arn: `arn:\${AWS::Partition}:wafv2:\${AWS::Region}:\${AWS::AccountId}:${SCOPE_IN_ARN}/regexpatternset/\${Name}/\${Id}`,
    },
  },
};
