import type { TypeFormat } from '../format.js';

/**
 * EC2 resource ids are a prefix, a hyphen and 17 lower-case hexadecimal characters since the move to longer
 * ids (https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/resource-ids.html).
 */
const hexId = (prefix: string) => `${prefix}-\${Random:hex:17}`;

export const formats: Readonly<Record<string, TypeFormat>> = {
  'AWS::EC2::SecurityGroup': {
    sources: [
      // Return values: GroupId sg-94b3a1f6. Ref (the Id) "returns the ID of the security group if you specified
      // the VpcId property. Otherwise, it returns the name of the security group"; the registry schema's Id says
      // "The group name or group ID depending on whether the SG is created in default or specific VPC".
      'https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-ec2-securitygroup.html#aws-resource-ec2-securitygroup-return-values',
      'https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/resource-ids.html',
      // GroupName: up to 255 characters.
      'https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateSecurityGroup.html',
    ],
    name: { property: 'GroupName', maxLength: 255 },
    attributes: {
      GroupId: hexId('sg'),
      Id: { ifSet: 'VpcId', then: '${GroupId}', else: '${GroupName}' },
    },
  },
  'AWS::EC2::Subnet': {
    sources: [
      // Return values: SubnetId, NetworkAclAssociationId (e.g. aclassoc-e5b95c8c).
      'https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-ec2-subnet.html#aws-resource-ec2-subnet-return-values',
      'https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/resource-ids.html',
    ],
    attributes: {
      SubnetId: hexId('subnet'),
      NetworkAclAssociationId: hexId('aclassoc'),
    },
  },
};
