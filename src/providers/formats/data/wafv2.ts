import type { TypeFormat } from '../format.js';

/** A web ACL's scope as its ARN writes it: `regional`, or `global` for CloudFront. */
const SCOPE_IN_ARN = '${Scope|map:REGIONAL=regional,CLOUDFRONT=global}';
const WAF_ARN = `arn:\${AWS::Partition}:wafv2:\${AWS::Region}:\${AWS::AccountId}:${SCOPE_IN_ARN}`;

/** A type's "Return values" section in the CloudFormation template reference. */
const returnValues = (slug: string) =>
  `https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-${slug}.html#aws-resource-${slug}-return-values`;

/**
 * WAFv2 ARNs, `arn:aws:wafv2:us-west-2:123456789012:regional/webacl/<name>/<id>` (CLOUDFRONT: global), and
 * ids, UUIDs such as a1b2c3d4-5678-90ab-cdef-EXAMPLE11111.
 */
const WAF_ARNS = 'https://docs.aws.amazon.com/service-authorization/latest/reference/list_awswafv2.html#awswafv2-resources-for-iam-policies';

/** Label namespaces: `awswaf:<account>:webacl:<name>:` and `awswaf:<account>:rulegroup:<name>:`. */
const LABELS = 'https://docs.aws.amazon.com/waf/latest/developerguide/waf-rule-label-requirements.html';

export const formats: Readonly<Record<string, TypeFormat>> = {
  'AWS::WAFv2::RegexPatternSet': {
    sources: [
      // ARN "arn:aws:wafv2:us-west-2:123456789012:regional/regexpatternset/<name>/<id>" (CLOUDFRONT: global);
      // the id is a UUID, e.g. a1b2c3d4-5678-90ab-cdef-EXAMPLE11111.
      WAF_ARNS,
      'https://docs.aws.amazon.com/waf/latest/APIReference/API_CreateRegexPatternSet.html',
    ],
    name: { property: 'Name', maxLength: 128 },
    attributes: {
      Id: '${Random:uuid}',
      Arn: `${WAF_ARN}/regexpatternset/\${Name}/\${Id}`,
    },
  },
  'AWS::WAFv2::IPSet': {
    sources: [returnValues('wafv2-ipset'), WAF_ARNS, 'https://docs.aws.amazon.com/waf/latest/APIReference/API_CreateIPSet.html'],
    name: { property: 'Name', maxLength: 128 },
    attributes: {
      Id: '${Random:uuid}',
      Arn: `${WAF_ARN}/ipset/\${Name}/\${Id}`,
    },
  },
  'AWS::WAFv2::WebACL': {
    sources: [
      // Return values: Arn, Capacity (the web ACL capacity units its rules use: 0 without rules; with rules the
      // sum of their costs, which ccapi does not compute, so it is left out), Id, LabelNamespace.
      returnValues('wafv2-webacl'),
      WAF_ARNS,
      LABELS,
      'https://docs.aws.amazon.com/waf/latest/developerguide/aws-waf-capacity-units.html',
    ],
    name: { property: 'Name', maxLength: 128 },
    attributes: {
      Id: '${Random:uuid}',
      Arn: `${WAF_ARN}/webacl/\${Name}/\${Id}`,
      LabelNamespace: 'awswaf:${AWS::AccountId}:webacl:${Name}:',
      Capacity: { ifSet: 'Rules', then: { absent: true }, else: { value: 0 } },
    },
  },
  'AWS::WAFv2::RuleGroup': {
    sources: [returnValues('wafv2-rulegroup'), WAF_ARNS, LABELS],
    name: { property: 'Name', maxLength: 128 },
    attributes: {
      Id: '${Random:uuid}',
      Arn: `${WAF_ARN}/rulegroup/\${Name}/\${Id}`,
      LabelNamespace: 'awswaf:${AWS::AccountId}:rulegroup:${Name}:',
    },
  },
};
