/**
 * The default VPC AWS sets up in every account and Region, as the Cloud Control resources it consists of.
 *
 * "When we create a default VPC, we do the following to set it up for you: Create a VPC with a size /16 IPv4 CIDR
 * block (172.31.0.0/16) … Create a size /20 default subnet in each Availability Zone … Create an internet gateway
 * and connect it to your default VPC … Add a route to the main route table that points all traffic (0.0.0.0/0) to
 * the internet gateway … Create a default security group … Create a default network access control list (ACL) …
 * Associate the default DHCP options set for your AWS account with your default VPC."
 * (VPC user guide, "Default VPC components": https://docs.aws.amazon.com/vpc/latest/userguide/default-vpc-components.html)
 *
 * Identifiers are derived from the account and Region (a hash in the shape of an EC2 id), so every node, every
 * restart and every fresh database names the same default VPC for the same account and Region, as a real
 * account's default VPC keeps its id. What the CloudFormation schemas cannot say is left out: IsDefault and
 * DefaultForAz are EC2 API attributes with no property in AWS::EC2::VPC or AWS::EC2::Subnet, the main route
 * table's `local` route is not an AWS::EC2::Route (CloudFormation cannot create or delete it), and the default
 * network ACL's allow-all entries are not listed as AWS::EC2::NetworkAclEntry resources.
 */
import { createHash } from 'node:crypto';
import type { Scope } from '../domain/records.js';
import type { ProvisionedResource } from '../store/store.js';
import { zonesOf } from './rules/zones.js';

/** "Create a VPC with a size /16 IPv4 CIDR block (172.31.0.0/16)" (default-vpc-components.html). */
export const DEFAULT_VPC_CIDR = '172.31.0.0/16';

/**
 * The marker the store keeps once a scope's default VPC was set up (store.provisionOnce): it is set up once, and a
 * default VPC the user deleted stays deleted, as on AWS (until CreateDefaultVpc, which Cloud Control does not have).
 */
export const DEFAULT_VPC_MARKER = 'default-vpc';

/** An EC2-shaped id ("prefix-" and 17 hex digits, resource-ids.html) that is the same for the same scope and role. */
function derivedId(scope: Scope, prefix: string, role: string): string {
  const hex = createHash('sha256').update(`${scope.accountId}\0${scope.region}\0${prefix}\0${role}`).digest('hex');
  return `${prefix}-${hex.slice(0, 17)}`;
}

/**
 * The nth /20 of 172.31.0.0/16: 172.31.0.0/20, 172.31.16.0/20, … ("Create a size /20 default subnet in each
 * Availability Zone"; the order, one block after the other by zone, is what the default VPC shows in
 * us-east-1: 172.31.0.0/20 in the first zone, 172.31.16.0/20 in the second, and so on).
 */
function subnetBlock(n: number): string {
  return `172.31.${n * 16}.0/20`;
}

/**
 * The default DHCP options set: domain-name-servers AmazonProvidedDNS; domain-name "ec2.internal" in us-east-1,
 * "region.compute.internal" elsewhere (EC2 API reference, CreateDhcpOptions:
 * https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateDhcpOptions.html; "The default DHCP option
 * set specifies AmazonProvidedDNS").
 */
function dhcpDomainName(region: string): string {
  return region === 'us-east-1' ? 'ec2.internal' : `${region}.compute.internal`;
}

interface Part {
  typeName: string;
  /** Primary identifier values, in the schema's primaryIdentifier order. */
  key: string[];
  model: Record<string, unknown>;
}

/** The identifier of the scope's default VPC's main route table (which AWS deletes with the VPC: rules/delete-refusals.ts). */
export function defaultVpcMainRouteTableId(scope: Scope): string {
  return derivedId(scope, 'rtb', 'main-route-table');
}

/** The default VPC's resources in a scope; none of its subnets in a Region whose zones ccapi does not know. */
export function defaultVpcResources(scope: Scope): ProvisionedResource[] {
  const vpcId = derivedId(scope, 'vpc', 'vpc');
  const igwId = derivedId(scope, 'igw', 'internet-gateway');
  const rtbId = defaultVpcMainRouteTableId(scope);
  const sgId = derivedId(scope, 'sg', 'default-security-group');
  const aclId = derivedId(scope, 'acl', 'default-network-acl');
  const doptId = derivedId(scope, 'dopt', 'default-dhcp-options');
  const parts: Part[] = [
    {
      typeName: 'AWS::EC2::VPC',
      key: [vpcId],
      model: {
        VpcId: vpcId,
        CidrBlock: DEFAULT_VPC_CIDR,
        CidrBlockAssociations: [derivedId(scope, 'vpc-cidr-assoc', 'vpc-cidr')],
        DefaultNetworkAcl: aclId,
        DefaultSecurityGroup: sgId,
        // "If you are using the default VPC, both attributes are enabled" (VPC user guide, DNS attributes:
        // https://docs.aws.amazon.com/vpc/latest/userguide/AmazonDNS-concepts.html#vpc-dns-support); a nondefault
        // VPC has EnableDnsHostnames false (formats/data/ec2.ts).
        EnableDnsSupport: true,
        EnableDnsHostnames: true,
        InstanceTenancy: 'default',
        Ipv6CidrBlocks: [],
      },
    },
    {
      typeName: 'AWS::EC2::DHCPOptions',
      key: [doptId],
      model: { DhcpOptionsId: doptId, DomainName: dhcpDomainName(scope.region), DomainNameServers: ['AmazonProvidedDNS'] },
    },
    { typeName: 'AWS::EC2::VPCDHCPOptionsAssociation', key: [doptId, vpcId], model: { DhcpOptionsId: doptId, VpcId: vpcId } },
    { typeName: 'AWS::EC2::InternetGateway', key: [igwId], model: { InternetGatewayId: igwId } },
    // AttachmentType "IGW" for an internet gateway (formats/data/ec2.ts, with its source).
    { typeName: 'AWS::EC2::VPCGatewayAttachment', key: ['IGW', vpcId], model: { AttachmentType: 'IGW', InternetGatewayId: igwId, VpcId: vpcId } },
    { typeName: 'AWS::EC2::RouteTable', key: [rtbId], model: { RouteTableId: rtbId, VpcId: vpcId } },
    // "Add a route to the main route table that points all traffic (0.0.0.0/0) to the internet gateway."
    {
      typeName: 'AWS::EC2::Route',
      key: [rtbId, '0.0.0.0/0'],
      model: { RouteTableId: rtbId, CidrBlock: '0.0.0.0/0', DestinationCidrBlock: '0.0.0.0/0', GatewayId: igwId },
    },
    {
      typeName: 'AWS::EC2::SecurityGroup',
      key: [sgId],
      model: {
        Id: sgId,
        GroupId: sgId,
        // "Default security groups … the name of the default security group is default" and its rules: inbound
        // from "the security group ID (its own resource ID)", all traffic; outbound all traffic to 0.0.0.0/0
        // (VPC user guide, https://docs.aws.amazon.com/vpc/latest/userguide/default-security-group.html).
        GroupName: 'default',
        // The description EC2 gives it. No public document quoting it was found while writing this: unsourced.
        GroupDescription: 'default VPC security group',
        VpcId: vpcId,
        SecurityGroupIngress: [{ IpProtocol: '-1', SourceSecurityGroupId: sgId }],
        SecurityGroupEgress: [{ IpProtocol: '-1', CidrIp: '0.0.0.0/0' }],
      },
    },
    { typeName: 'AWS::EC2::NetworkAcl', key: [aclId], model: { Id: aclId, VpcId: vpcId } },
    ...zonesOf(scope.region).map((zone, n): Part => {
      const subnetId = derivedId(scope, 'subnet', zone.name);
      return {
        typeName: 'AWS::EC2::Subnet',
        key: [subnetId],
        model: {
          SubnetId: subnetId,
          VpcId: vpcId,
          AvailabilityZone: zone.name,
          AvailabilityZoneId: zone.id,
          CidrBlock: subnetBlock(n),
          // "Instances that you launch into a default subnet receive both a public IPv4 address and a private
          // IPv4 address" (VPC user guide, https://docs.aws.amazon.com/vpc/latest/userguide/default-subnet.html).
          MapPublicIpOnLaunch: true,
          NetworkAclAssociationId: derivedId(scope, 'aclassoc', zone.name),
          Ipv6CidrBlocks: [],
        },
      };
    }),
  ];
  return parts.map((part) => ({ typeName: part.typeName, identifier: part.key.join('|'), properties: JSON.stringify(part.model) }));
}
