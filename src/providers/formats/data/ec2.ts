import type { TypeFormat } from '../format.js';

/**
 * EC2 resource ids are a prefix, a hyphen and 17 lower-case hexadecimal characters since the move to longer
 * ids (https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/resource-ids.html).
 */
const hexId = (prefix: string) => `${prefix}-\${Random:hex:17}`;

/** A type's "Return values" section in the CloudFormation template reference (`ec2-vpc`, …). */
const returnValues = (slug: string) =>
  `https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-${slug}.html#aws-resource-${slug}-return-values`;

const RESOURCE_IDS = 'https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/resource-ids.html';

/**
 * Addresses nobody assigned. Private ones come from the VPC user guide's example block 10.0.0.0/16 (the
 * subnet's own block is not in the model); public ones from 203.0.113.0/24, the documentation range of
 * RFC 5737 that AWS's own examples use, so an emulated address never names a real host. Each octet is
 * 100 to 199, which the digit classes can draw without a leading zero.
 */
const PRIVATE_IP = '10.0.1${Random:digits:2}.1${Random:digits:2}';
const PUBLIC_IP = '203.0.113.1${Random:digits:2}';

/**
 * Instance host names (VPC user guide, "DNS attributes for your VPC", https://docs.aws.amazon.com/vpc/latest/userguide/AmazonDNS-concepts.html):
 * `ip-10-0-1-25.ec2.internal` and `ec2-203-0-113-25.compute-1.amazonaws.com` in us-east-1,
 * `ip-10-0-1-25.eu-west-1.compute.internal` and `ec2-203-0-113-25.eu-west-1.compute.amazonaws.com` elsewhere.
 * `${AWS::Region|map:us-east-1=}` is the Region but empty in us-east-1.
 */
const PRIVATE_DNS = 'ip-${PrivateIp|replace:.=-}.${AWS::Region|map:us-east-1=}${AWS::Region|map:us-east-1=ec2,*=.compute}.internal';
const PUBLIC_DNS = 'ec2-${PublicIp|replace:.=-}.${AWS::Region|map:us-east-1=}${AWS::Region|map:us-east-1=compute-1,*=.compute}.${AWS::URLSuffix}';

/** A fingerprint of so many bytes in colon-separated hex: SHA-1 (20) for the RSA key pairs EC2 creates, MD5 (16) for imported ones. */
const hexFingerprint = (bytes: number) => Array.from({ length: bytes }, () => '${Random:hex:2}').join(':');
const SHA1_FINGERPRINT = hexFingerprint(20);
const MD5_FINGERPRINT = hexFingerprint(16);

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
      // Ipv6CidrBlocks: "The IPv6 CIDR blocks that are associated with the subnet". A subnet has at most one
      // (AWS::EC2::SubnetCidrBlock: "You can associate a single IPv6 CIDR block with your subnet"): the
      // Ipv6CidrBlock it was created with, none without one (as a VPC's list, none at creation). One drawn
      // from an IPAM pool (Ipv6IpamPoolId) is the pool's choice: left to the derived rule.
      'https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-ec2-subnet.html#aws-resource-ec2-subnet-return-values',
      'https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/resource-ids.html',
      'https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-ec2-subnetcidrblock.html',
    ],
    attributes: {
      SubnetId: hexId('subnet'),
      NetworkAclAssociationId: hexId('aclassoc'),
      Ipv6CidrBlocks: {
        ifSet: 'Ipv6CidrBlock',
        then: { value: ['${Ipv6CidrBlock}'] },
        else: { ifSet: 'Ipv6IpamPoolId', then: { generic: true }, else: { value: [] } },
      },
    },
  },
  'AWS::EC2::VPC': {
    sources: [
      // Return values: CidrBlockAssociations [ vpc-cidr-assoc-0280ab6b ], DefaultNetworkAcl acl-814dafe3,
      // DefaultSecurityGroup sg-18526f7, Ipv6CidrBlocks (the blocks of AWS::EC2::VPCCidrBlock, which is how a
      // VPC gets one: none at creation), VpcId.
      returnValues('ec2-vpc'),
      RESOURCE_IDS,
      // EnableDnsSupport "Enabled by default", EnableDnsHostnames "Disabled by default for nondefault VPCs",
      // InstanceTenancy "default" unless dedicated is asked for.
      'https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-ec2-vpc.html#aws-resource-ec2-vpc-properties',
      'https://docs.aws.amazon.com/vpc/latest/userguide/AmazonDNS-concepts.html#vpc-dns-support',
    ],
    attributes: {
      VpcId: hexId('vpc'),
      CidrBlockAssociations: { value: [hexId('vpc-cidr-assoc')] },
      DefaultNetworkAcl: hexId('acl'),
      DefaultSecurityGroup: hexId('sg'),
      Ipv6CidrBlocks: { value: [] },
    },
    defaults: { EnableDnsSupport: true, EnableDnsHostnames: false, InstanceTenancy: 'default' },
  },
  'AWS::EC2::InternetGateway': {
    sources: [returnValues('ec2-internetgateway'), RESOURCE_IDS],
    attributes: { InternetGatewayId: hexId('igw') },
  },
  'AWS::EC2::EgressOnlyInternetGateway': {
    sources: [returnValues('ec2-egressonlyinternetgateway'), RESOURCE_IDS],
    attributes: { Id: hexId('eigw') },
  },
  'AWS::EC2::NatGateway': {
    sources: [
      returnValues('ec2-natgateway'),
      RESOURCE_IDS,
      // autoProvisionZones, autoScalingIps (enabled | disabled) and routeTableId are "For regional NAT gateways
      // only"; a zonal one (the default AvailabilityMode) has none. The gateway's network interface is an eni-.
      'https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_NatGateway.html',
      // A regional gateway manages its zones itself ("automatic mode") unless AvailabilityZoneAddresses names
      // them ("manual mode"). What autoScalingIps reads in manual mode no source says: the derived rule forms it.
      'https://docs.aws.amazon.com/vpc/latest/userguide/nat-gateways-regional.html',
    ],
    attributes: {
      NatGatewayId: hexId('nat'),
      EniId: hexId('eni'),
      AutoProvisionZones: { on: 'AvailabilityMode', cases: { regional: { ifSet: 'AvailabilityZoneAddresses', then: 'disabled', else: 'enabled' } } },
      AutoScalingIps: { on: 'AvailabilityMode', cases: { regional: { ifSet: 'AvailabilityZoneAddresses', then: { generic: true }, else: 'enabled' } } },
      RouteTableId: { on: 'AvailabilityMode', cases: { regional: hexId('rtb') } },
    },
  },
  'AWS::EC2::RouteTable': {
    sources: [returnValues('ec2-routetable'), RESOURCE_IDS],
    attributes: { RouteTableId: hexId('rtb') },
  },
  'AWS::EC2::Route': {
    sources: [
      // The registry schema's CidrBlock (read-only, part of the identifier) is the route's destination block.
      // What it holds for a prefix-list destination no source tells: the generic rule forms it, as for a route
      // with no destination, which AWS refuses ("You must specify either a destination CIDR block or prefix list ID").
      returnValues('ec2-route'),
      'https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateRoute.html',
    ],
    attributes: {
      CidrBlock: {
        ifSet: 'DestinationCidrBlock',
        then: '${DestinationCidrBlock}',
        else: {
          ifSet: 'DestinationIpv6CidrBlock',
          then: '${DestinationIpv6CidrBlock}',
          else: { generic: true },
        },
      },
    },
  },
  'AWS::EC2::EIP': {
    sources: [
      // Return values: AllocationId eipalloc-5723d13e, PublicIp (Ref) 192.0.2.0.
      returnValues('ec2-eip'),
      RESOURCE_IDS,
      'https://www.rfc-editor.org/rfc/rfc5737',
    ],
    attributes: { AllocationId: hexId('eipalloc'), PublicIp: PUBLIC_IP },
  },
  'AWS::EC2::EIPAssociation': {
    sources: [returnValues('ec2-eipassociation'), RESOURCE_IDS],
    attributes: { Id: hexId('eipassoc') },
  },
  'AWS::EC2::NetworkAcl': {
    sources: [returnValues('ec2-networkacl'), RESOURCE_IDS],
    attributes: { Id: hexId('acl') },
  },
  'AWS::EC2::SubnetNetworkAclAssociation': {
    sources: [returnValues('ec2-subnetnetworkaclassociation'), RESOURCE_IDS],
    attributes: { AssociationId: hexId('aclassoc') },
  },
  'AWS::EC2::NetworkInterface': {
    sources: [
      // Return values: Id eni-, PrimaryPrivateIpAddress (the given PrivateIpAddress, else one EC2 picks),
      // SecondaryPrivateIpAddresses, PrimaryIpv6Address (only with EnablePrimaryIpv6), VpcId (the subnet's).
      returnValues('ec2-networkinterface'),
      RESOURCE_IDS,
      'https://docs.aws.amazon.com/vpc/latest/userguide/vpc-ip-addressing.html',
      // An IPv6 address from 2001:db8::/32, the documentation prefix.
      'https://www.rfc-editor.org/rfc/rfc3849',
    ],
    attributes: {
      Id: hexId('eni'),
      PrimaryPrivateIpAddress: { ifSet: 'PrivateIpAddress', then: '${PrivateIpAddress}', else: PRIVATE_IP },
      SecondaryPrivateIpAddresses: { value: [] },
      PrimaryIpv6Address: { on: 'EnablePrimaryIpv6', cases: { true: '2001:db8::${Random:hex:4}' } },
      VpcId: hexId('vpc'),
    },
  },
  'AWS::EC2::VPCEndpoint': {
    sources: [
      // Return values: Id vpce-, CreationTimestamp, DnsEntries and NetworkInterfaceIds, which a Gateway endpoint
      // (the default VpcEndpointType) does not have: its list of each is empty. An interface endpoint's (one
      // network interface per subnet, with its DNS names) are left to the derived rule. CreationTimestamp is the
      // API's "date and time that the endpoint was created" (API_VpcEndpoint.html); how the handler renders it
      // (precision, zone) no public source shows: the derived rule forms it.
      returnValues('ec2-vpcendpoint'),
      RESOURCE_IDS,
      'https://docs.aws.amazon.com/vpc/latest/privatelink/gateway-endpoints.html',
      'https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_VpcEndpoint.html',
    ],
    attributes: {
      Id: hexId('vpce'),
      DnsEntries: { on: 'VpcEndpointType', cases: { Gateway: { value: [] } }, else: { ifSet: 'VpcEndpointType', then: { generic: true }, else: { value: [] } } },
      NetworkInterfaceIds: { on: 'VpcEndpointType', cases: { Gateway: { value: [] } }, else: { ifSet: 'VpcEndpointType', then: { generic: true }, else: { value: [] } } },
    },
  },
  'AWS::EC2::LaunchTemplate': {
    sources: [
      // Return values: LaunchTemplateId lt-01238c059e3466abc, DefaultVersionNumber and LatestVersionNumber, both
      // 1 for a new template (CreateLaunchTemplate makes version 1, the default).
      returnValues('ec2-launchtemplate'),
      // LaunchTemplateName: 3 to 128 characters.
      'https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateLaunchTemplate.html',
    ],
    name: { property: 'LaunchTemplateName', maxLength: 128 },
    attributes: { LaunchTemplateId: hexId('lt'), DefaultVersionNumber: '1', LatestVersionNumber: '1' },
  },
  'AWS::EC2::Instance': {
    sources: [
      // Return values: InstanceId i-1234567890abcdef0, PrivateIp, PrivateDnsName ip-10-24-34-0.ec2.internal,
      // PublicDnsName ec2-107-20-50-45.compute-1.amazonaws.com, PublicIp, VpcId, State. An instance in a subnet
      // that gives no public address has none on AWS; the subnet is not in the model, so one is always formed.
      returnValues('ec2-instance'),
      RESOURCE_IDS,
      'https://docs.aws.amazon.com/vpc/latest/userguide/AmazonDNS-concepts.html',
      // InstanceState: code 16 is running.
      'https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_InstanceState.html',
      'https://www.rfc-editor.org/rfc/rfc5737',
    ],
    attributes: {
      InstanceId: hexId('i'),
      PrivateIp: { ifSet: 'PrivateIpAddress', then: '${PrivateIpAddress}', else: PRIVATE_IP },
      PrivateDnsName: PRIVATE_DNS,
      PublicIp: PUBLIC_IP,
      PublicDnsName: PUBLIC_DNS,
      VpcId: hexId('vpc'),
      State: { value: { Code: '16', Name: 'running' } },
    },
  },
  'AWS::EC2::Volume': {
    sources: [returnValues('ec2-volume'), RESOURCE_IDS],
    attributes: { VolumeId: hexId('vol') },
  },
  'AWS::EC2::KeyPair': {
    sources: [
      // Return values: KeyPairId key-0123456789abcdef0, KeyFingerprint.
      returnValues('ec2-keypair'),
      // A key pair EC2 creates has a SHA-1 fingerprint of its private key in colon-separated hex (RSA), or a
      // base64 SHA-256 (ED25519); an imported RSA key's is the MD5 of its public key (16 bytes). An imported
      // ED25519 key's (SHA-256) is not told apart: KeyType is ignored on import, the material's own type counts.
      'https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/verify-keys.html',
    ],
    attributes: {
      KeyPairId: hexId('key'),
      KeyFingerprint: {
        ifSet: 'PublicKeyMaterial',
        then: MD5_FINGERPRINT,
        else: { on: 'KeyType', cases: { ed25519: '${Random:alnum:43}=' }, else: SHA1_FINGERPRINT },
      },
    },
  },
  'AWS::EC2::TransitGateway': {
    sources: [
      // Return values: Id tgw-, TransitGatewayArn.
      returnValues('ec2-transitgateway'),
      RESOURCE_IDS,
      // arn:${Partition}:ec2:${Region}:${Account}:transit-gateway/${TransitGatewayId}
      'https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonec2.html#amazonec2-resources-for-iam-policies',
      // EncryptionSupport's state: enabling | enabled | disabling | disabled.
      'https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_EncryptionSupport.html',
    ],
    attributes: {
      Id: hexId('tgw'),
      TransitGatewayArn: 'arn:${AWS::Partition}:ec2:${AWS::Region}:${AWS::AccountId}:transit-gateway/${Id}',
      EncryptionSupportState: { on: 'EncryptionSupport', cases: { enable: 'enabled' }, else: 'disabled' },
    },
  },
  'AWS::EC2::TransitGatewayAttachment': {
    sources: [returnValues('ec2-transitgatewayattachment'), RESOURCE_IDS],
    attributes: { Id: hexId('tgw-attach') },
  },
  'AWS::EC2::TransitGatewayVpcAttachment': {
    sources: [returnValues('ec2-transitgatewayvpcattachment'), RESOURCE_IDS],
    attributes: { Id: hexId('tgw-attach') },
  },
  'AWS::EC2::TransitGatewayRouteTable': {
    sources: [returnValues('ec2-transitgatewayroutetable'), RESOURCE_IDS],
    attributes: { TransitGatewayRouteTableId: hexId('tgw-rtb') },
  },
  'AWS::EC2::VPCPeeringConnection': {
    sources: [returnValues('ec2-vpcpeeringconnection'), RESOURCE_IDS],
    attributes: { Id: hexId('pcx') },
  },
  'AWS::EC2::SubnetRouteTableAssociation': {
    sources: [returnValues('ec2-subnetroutetableassociation'), RESOURCE_IDS],
    attributes: { Id: hexId('rtbassoc') },
  },
  'AWS::EC2::VPCGatewayAttachment': {
    sources: [
      // AttachmentType is part of the identifier: "IGW" for an internet gateway, as an import of the resource
      // quotes it; a VPN gateway's is "VGW".
      returnValues('ec2-vpcgatewayattachment'),
      'https://github.com/aws-cloudformation/cloudformation-coverage-roadmap/issues/1869',
    ],
    attributes: { AttachmentType: { ifSet: 'InternetGatewayId', then: 'IGW', else: 'VGW' } },
  },
  'AWS::EC2::SecurityGroupIngress': {
    sources: [
      // Return values: Id, the security group rule's id (sgr-).
      returnValues('ec2-securitygroupingress'),
      'https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html',
    ],
    attributes: { Id: hexId('sgr') },
  },
  'AWS::EC2::SecurityGroupEgress': {
    sources: [returnValues('ec2-securitygroupegress'), 'https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html'],
    attributes: { Id: hexId('sgr') },
  },
  'AWS::EC2::PrefixList': {
    sources: [
      // Return values: PrefixListId pl-0123456789abcdef0, Arn, OwnerId (the account), Version (1 when created).
      returnValues('ec2-prefixlist'),
      // arn:${Partition}:ec2:${Region}:${Account}:prefix-list/${PrefixListId}
      'https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonec2.html#amazonec2-resources-for-iam-policies',
    ],
    attributes: {
      PrefixListId: hexId('pl'),
      Arn: 'arn:${AWS::Partition}:ec2:${AWS::Region}:${AWS::AccountId}:prefix-list/${PrefixListId}',
      OwnerId: '${AWS::AccountId}',
      Version: { value: 1 },
    },
  },
  'AWS::EC2::FlowLog': {
    sources: [returnValues('ec2-flowlog'), RESOURCE_IDS],
    attributes: { Id: hexId('fl') },
  },
  'AWS::EC2::DHCPOptions': {
    sources: [returnValues('ec2-dhcpoptions'), RESOURCE_IDS],
    attributes: { DhcpOptionsId: hexId('dopt') },
  },
  'AWS::EC2::CustomerGateway': {
    sources: [returnValues('ec2-customergateway'), RESOURCE_IDS],
    attributes: { CustomerGatewayId: hexId('cgw') },
  },
  'AWS::EC2::VPNGateway': {
    sources: [returnValues('ec2-vpngateway'), RESOURCE_IDS],
    attributes: { VPNGatewayId: hexId('vgw') },
  },
};
