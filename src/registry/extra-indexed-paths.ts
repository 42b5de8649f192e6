/**
 * Property paths the store indexes beyond the relationship paths (relationships.ts), because a service rule
 * looks resources up by them (src/providers/rules/): a security group's GroupName, unique in its VPC, is found by
 * name in one indexed read instead of reading every group of the VPC. Kept here, below providers/, because the
 * store's index is computed from registry data; providers/rules/rules.test.ts checks every path its rules look
 * up is indexed.
 */
export const EXTRA_INDEXED_PATHS: Readonly<Record<string, readonly string[]>> = {
  'AWS::EC2::SecurityGroup': ['GroupName'],
};
