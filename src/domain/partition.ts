/**
 * The AWS partition a region belongs to, for every ARN ccapi writes (handler requests, GetCallerIdentity,
 * CloudFormation type ARNs). The prefixes are botocore's partitions.json `regionRegex` values
 * (botocore/data/partitions.json: aws-cn ^cn-, aws-us-gov ^us-gov-, aws-iso ^us-iso-, aws-iso-b ^us-isob-,
 * aws-iso-e ^eu-isoe-, aws-iso-f ^us-isof-, aws-eusc ^eusc-); any other region is in `aws`, as there.
 */
const PARTITION_BY_PREFIX: readonly (readonly [string, string])[] = [
  ['cn-', 'aws-cn'],
  ['us-gov-', 'aws-us-gov'],
  ['us-iso-', 'aws-iso'],
  ['us-isob-', 'aws-iso-b'],
  ['eu-isoe-', 'aws-iso-e'],
  ['us-isof-', 'aws-iso-f'],
  ['eusc-', 'aws-eusc'],
];

export function partitionOf(region: string): string {
  for (const [prefix, partition] of PARTITION_BY_PREFIX) if (region.startsWith(prefix)) return partition;
  return 'aws';
}
