/**
 * Property paths the store indexes beyond the relationship paths (relationships.ts), because a service rule
 * looks resources up by them (src/providers/rules/): a security group's GroupName, unique in its VPC, is found by
 * name in one indexed read instead of reading every group of the VPC. Kept here, below providers/, because the
 * store's index is computed from registry data; providers/rules/rules.test.ts checks every path its rules look
 * up is indexed.
 */
export const EXTRA_INDEXED_PATHS: Readonly<Record<string, readonly string[]>> = {
  // Every path a rule looks up, not only those the relationship table lacks: the rules then hold with any
  // catalogue, also one without the built-in relationship table (a bundle-only catalogue, as the sweep runs).
  'AWS::EC2::EgressOnlyInternetGateway': ['VpcId'],
  'AWS::EC2::GatewayRouteTableAssociation': ['RouteTableId'],
  'AWS::EC2::Instance': ['SecurityGroupIds/*', 'SubnetId'],
  'AWS::EC2::NatGateway': ['SubnetId'],
  'AWS::EC2::NetworkInterface': ['GroupSet/*', 'SubnetId'],
  'AWS::EC2::RouteTable': ['VpcId'],
  'AWS::EC2::SecurityGroup': ['GroupName', 'SecurityGroupEgress/*/DestinationSecurityGroupId', 'SecurityGroupIngress/*/SourceSecurityGroupId', 'VpcId'],
  'AWS::EC2::SecurityGroupEgress': ['DestinationSecurityGroupId'],
  'AWS::EC2::SecurityGroupIngress': ['SourceSecurityGroupId'],
  'AWS::EC2::Subnet': ['VpcId'],
  'AWS::EC2::SubnetRouteTableAssociation': ['RouteTableId'],
  'AWS::EC2::VPCCidrBlock': ['VpcId'],
  'AWS::EC2::VPCEndpoint': ['VpcId'],
  'AWS::EC2::VPCGatewayAttachment': ['InternetGatewayId', 'VpcId'],
  'AWS::ECS::Service': ['Cluster'],
};
