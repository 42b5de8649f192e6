/**
 * Values the generic provider makes up for what AWS would generate: identifiers, names, ARNs and other
 * read-only attributes. Per-type knowledge lives only here, and only where realism needs it (well-known
 * id shapes, ARN templates, URLs), so that Terraform and SDK code that parses these values keeps working.
 */
import { LOWER_ALNUM, LOWER_HEX, UPPER_ALNUM, type IdSource } from '../lib/ids.js';
import type { ResourceModel } from './contract.js';

export interface RealismContext {
  typeName: string;
  accountId: string;
  region: string;
  partition: string;
  ids: IdSource;
  now: number;
}

/** EC2-style ids: prefix plus 17 lowercase hex digits (vpc-0a1b2c3d4e5f67890). Keyed by type, then by attribute. */
const EC2_PREFIX_BY_TYPE: Record<string, string> = {
  'AWS::EC2::VPC': 'vpc', 'AWS::EC2::Subnet': 'subnet', 'AWS::EC2::SecurityGroup': 'sg', 'AWS::EC2::Instance': 'i',
  'AWS::EC2::InternetGateway': 'igw', 'AWS::EC2::RouteTable': 'rtb', 'AWS::EC2::NatGateway': 'nat',
  'AWS::EC2::NetworkInterface': 'eni', 'AWS::EC2::Volume': 'vol', 'AWS::EC2::EIP': 'eipalloc',
  'AWS::EC2::KeyPair': 'key', 'AWS::EC2::LaunchTemplate': 'lt', 'AWS::EC2::TransitGateway': 'tgw',
  'AWS::EC2::TransitGatewayAttachment': 'tgw-attach', 'AWS::EC2::VPCEndpoint': 'vpce', 'AWS::EC2::NetworkAcl': 'acl',
  'AWS::EC2::DHCPOptions': 'dopt', 'AWS::EC2::EgressOnlyInternetGateway': 'eigw', 'AWS::EC2::CustomerGateway': 'cgw',
  'AWS::EC2::VPNGateway': 'vgw', 'AWS::EC2::VPNConnection': 'vpn', 'AWS::EC2::PrefixList': 'pl', 'AWS::EC2::FlowLog': 'fl',
  'AWS::EC2::Host': 'h', 'AWS::EC2::SpotFleet': 'sfr', 'AWS::EC2::CapacityReservation': 'cr', 'AWS::EC2::VPCPeeringConnection': 'pcx',
  'AWS::EC2::SubnetRouteTableAssociation': 'rtbassoc', 'AWS::EC2::SecurityGroupIngress': 'sgr', 'AWS::EC2::SecurityGroupEgress': 'sgr',
  'AWS::EC2::PlacementGroup': 'pg', 'AWS::EC2::NetworkAclEntry': 'acl', 'AWS::EC2::VPCGatewayAttachment': 'igw',
  'AWS::EC2::SubnetCidrBlock': 'subnet-cidr-assoc', 'AWS::EC2::VPCCidrBlock': 'vpc-cidr-assoc', 'AWS::EC2::TrafficMirrorFilter': 'tmf',
  'AWS::EC2::IPAM': 'ipam', 'AWS::EC2::IPAMPool': 'ipam-pool', 'AWS::EC2::LocalGatewayRouteTable': 'lgw-rtb',
};
const EC2_PREFIX_BY_ATTRIBUTE: Record<string, string> = {
  VpcId: 'vpc', SubnetId: 'subnet', GroupId: 'sg', SecurityGroupId: 'sg', DefaultSecurityGroup: 'sg', InstanceId: 'i',
  InternetGatewayId: 'igw', RouteTableId: 'rtb', NatGatewayId: 'nat', NetworkInterfaceId: 'eni', VolumeId: 'vol',
  AllocationId: 'eipalloc', KeyPairId: 'key', LaunchTemplateId: 'lt', TransitGatewayId: 'tgw', DefaultNetworkAcl: 'acl',
  NetworkAclId: 'acl', ImageId: 'ami', SnapshotId: 'snap', PrefixListId: 'pl', CarrierGatewayId: 'cagw',
};

const serviceOf = (typeName: string) => typeName.split('::')[1]!.toLowerCase();
const shortNameOf = (typeName: string) => typeName.split('::')[2]!;

function ec2Id(prefix: string, ids: IdSource): string {
  return `${prefix}-${ids.random(LOWER_HEX, 17)}`;
}

/**
 * A CloudFormation-style physical name: "<Resource>-<12 random>". A type whose service has its own naming
 * rules (case, length, a FIFO suffix) describes them in its format (formats/), which comes first.
 */
function physicalName(ctx: RealismContext, _model: ResourceModel): string {
  return `${shortNameOf(ctx.typeName)}-${ctx.ids.random(UPPER_ALNUM, 12)}`;
}

function genericId(attribute: string, ctx: RealismContext): string {
  if (ctx.typeName.startsWith('AWS::EC2::')) {
    const prefix = EC2_PREFIX_BY_ATTRIBUTE[attribute] ?? EC2_PREFIX_BY_TYPE[ctx.typeName];
    if (prefix) return ec2Id(prefix, ctx.ids);
  }
  const prefix = EC2_PREFIX_BY_ATTRIBUTE[attribute];
  if (prefix) return ec2Id(prefix, ctx.ids);
  if (ctx.typeName === 'AWS::Route53::HostedZone') return `Z${ctx.ids.random(UPPER_ALNUM, 13)}`;
  if (ctx.typeName.startsWith('AWS::KMS::') || ctx.typeName.startsWith('AWS::GuardDuty::')) return ctx.ids.uuid();
  if (ctx.typeName === 'AWS::Cognito::UserPool') return `${ctx.region}_${ctx.ids.random(UPPER_ALNUM + 'abcdefghijklmnopqrstuvwxyz', 9)}`;
  // API Gateway, AppSync, Amplify and most other services use short lowercase alphanumeric ids; a letter
  // first, since many identifier patterns (RDS, Neptune) insist on it.
  return ctx.ids.random('abcdefghijklmnopqrstuvwxyz', 1) + ctx.ids.random(LOWER_ALNUM, 9);
}

/** Placeholders in ARN templates that are not properties of the type. */
function templateValue(placeholder: string, ctx: RealismContext, model: ResourceModel): string {
  switch (placeholder) {
    case 'Partition':
      return ctx.partition;
    case 'Region':
      return ctx.region;
    case 'Account':
      return ctx.accountId;
    case 'RoleNameWithPath':
    case 'UserNameWithPath':
    case 'PolicyNameWithPath': {
      const base = placeholder.replace('WithPath', '');
      const path = typeof model.Path === 'string' ? model.Path.replace(/^\//, '') : '';
      return `${path}${String(model[base] ?? physicalName(ctx, model))}`;
    }
  }
  const value = model[placeholder];
  if (typeof value === 'string' || typeof value === 'number') return String(value);
  return placeholder.endsWith('Name') ? physicalName(ctx, model) : genericId(placeholder, ctx);
}

export function arnFromTemplate(template: string, ctx: RealismContext, model: ResourceModel): string {
  return template.replace(/\$\{([^}]+)\}/g, (_, name: string) => templateValue(name, ctx, model));
}

function fallbackArn(attribute: string, ctx: RealismContext, model: ResourceModel): string {
  const resource = attribute === 'Arn' ? shortNameOf(ctx.typeName).toLowerCase() : attribute.replace(/Arn$/, '').toLowerCase();
  return `arn:${ctx.partition}:${serviceOf(ctx.typeName)}:${ctx.region}:${ctx.accountId}:${resource}/${physicalName(ctx, model)}`;
}

/**
 * How a generated value was formed, for the realism report (`ccapi types realism`): by a type's cited format
 * (formats/), by a rule derived from the schema or the service spec (an ARN template, an id prefix, a pattern,
 * the CloudFormation naming style), or still a free random string.
 */
export type Provenance = 'cited' | 'derived' | 'random';

export interface Generated {
  value: string;
  rule: Exclude<Provenance, 'cited'>;
}

const derived = (value: string): Generated => ({ value, rule: 'derived' });
const random = (value: string): Generated => ({ value, rule: 'random' });

/** Whether genericId has a known shape for the attribute (else it draws a free random id). */
function knownIdShape(attribute: string, ctx: RealismContext): boolean {
  if (EC2_PREFIX_BY_ATTRIBUTE[attribute]) return true;
  if (ctx.typeName.startsWith('AWS::EC2::') && EC2_PREFIX_BY_TYPE[ctx.typeName]) return true;
  return ctx.typeName === 'AWS::Route53::HostedZone' || ctx.typeName.startsWith('AWS::KMS::') || ctx.typeName.startsWith('AWS::GuardDuty::') || ctx.typeName === 'AWS::Cognito::UserPool';
}

/**
 * A value for a string attribute AWS would generate, chosen by the attribute's name, and how it was formed.
 * `arnTemplate` is used for the type's own ARN; without one, the ARN ends with `ownIdentifier` (the resource's
 * primary identifier, when it is known and is not the ARN itself).
 */
export function generateString(attribute: string, ctx: RealismContext, model: ResourceModel, arnTemplate?: string, ownIdentifier?: string): Generated {
  if (/Arn$/.test(attribute)) {
    const own = attribute === 'Arn' || attribute === `${shortNameOf(ctx.typeName)}Arn`;
    if (own && arnTemplate) return derived(arnFromTemplate(arnTemplate, ctx, model));
    // Without the service's template, the type's own ARN at least names this resource (by its identifier);
    // another resource's ARN names one nobody created: an invention.
    if (own && ownIdentifier) return derived(`arn:${ctx.partition}:${serviceOf(ctx.typeName)}:${ctx.region}:${ctx.accountId}:${shortNameOf(ctx.typeName).toLowerCase()}/${ownIdentifier}`);
    return random(fallbackArn(attribute, ctx, model));
  }
  if (/(Id|ID)$/.test(attribute) || attribute in EC2_PREFIX_BY_ATTRIBUTE) {
    const id = genericId(attribute, ctx);
    return knownIdShape(attribute, ctx) ? derived(id) : random(id);
  }
  if (/Name$/.test(attribute)) return derived(physicalName(ctx, model));
  if (/(Url|URL|Uri)$/.test(attribute)) return random(`https://${serviceOf(ctx.typeName)}.${ctx.region}.amazonaws.com/${ctx.ids.random(LOWER_ALNUM, 10)}`);
  if (/(Endpoint|DnsName|DNSName|DomainName|Address|Hostname)$/.test(attribute)) {
    return random(`${ctx.ids.random(LOWER_ALNUM, 10)}.${serviceOf(ctx.typeName)}.${ctx.region}.amazonaws.com`);
  }
  if (/(Time|Date|At|Timestamp)$/.test(attribute)) return derived(new Date(ctx.now).toISOString());
  if (/(Status|State)$/.test(attribute)) return random('ACTIVE');
  // A CIDR block nobody named: the VPC user guide's example block, shaped as a CIDR rather than a free string.
  if (/CidrBlock$/.test(attribute)) return derived('10.0.0.0/16');
  return random(ctx.ids.random(LOWER_ALNUM, 12));
}

/** Orders attributes so values others are derived from (names, ids) come before ARNs and URLs. */
export function derivationOrder(attributes: string[]): string[] {
  const rank = (a: string) => (/Arn$/.test(a) ? 2 : /(Url|URL)$/.test(a) ? 1 : 0);
  return [...attributes].sort((a, b) => rank(a) - rank(b));
}

export function physicalNameFor(ctx: RealismContext, model: ResourceModel): string {
  return physicalName(ctx, model);
}
