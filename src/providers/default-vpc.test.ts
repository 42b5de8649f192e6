/** The default VPC's resources: what the VPC user guide says it consists of, valid under each type's schema. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { openBuiltInCatalogue } from '../registry/catalogue.js';
import { primaryIdentifierOf } from '../registry/identifiers.js';
import { DEFAULT_VPC_CIDR, defaultVpcResources } from './default-vpc.js';
import { zonesOf } from './rules/zones.js';

const catalogue = openBuiltInCatalogue(fileURLToPath(new URL('../../../../dist/catalogue/', import.meta.url)));
const SCOPE = { accountId: '123456789012', region: 'us-east-1' };
const models = (scope = SCOPE) => defaultVpcResources(scope).map((r) => ({ ...r, model: JSON.parse(r.properties) as Record<string, unknown> }));
const only = (list: ReturnType<typeof models>, typeName: string) => {
  const found = list.filter((r) => r.typeName === typeName);
  assert.equal(found.length, 1, `one ${typeName}`);
  return found[0]!.model;
};

test('each resource fits its type schema, and its identifier is the one its model gives', () => {
  for (const r of models()) {
    const type = catalogue.get(r.typeName);
    assert.ok(type, `${r.typeName} is in the catalogue`);
    assert.deepEqual(type.validate(r.model), [], `${r.typeName} validates`);
    assert.equal(primaryIdentifierOf(type, r.model), r.identifier, `${r.typeName} identifier`);
  }
});

test('a 172.31.0.0/16 VPC with DNS hostnames on, its IGW attached, a 0.0.0.0/0 route to it, the "default" group and ACL', () => {
  const list = models();
  const vpc = only(list, 'AWS::EC2::VPC');
  assert.equal(vpc.CidrBlock, DEFAULT_VPC_CIDR);
  assert.equal(vpc.EnableDnsHostnames, true);
  const igw = only(list, 'AWS::EC2::InternetGateway');
  assert.deepEqual(only(list, 'AWS::EC2::VPCGatewayAttachment'), { AttachmentType: 'IGW', InternetGatewayId: igw.InternetGatewayId, VpcId: vpc.VpcId });
  const rtb = only(list, 'AWS::EC2::RouteTable');
  assert.equal(rtb.VpcId, vpc.VpcId);
  const route = only(list, 'AWS::EC2::Route');
  assert.deepEqual([route.RouteTableId, route.DestinationCidrBlock, route.GatewayId], [rtb.RouteTableId, '0.0.0.0/0', igw.InternetGatewayId]);
  const sg = only(list, 'AWS::EC2::SecurityGroup');
  assert.deepEqual([sg.GroupName, sg.VpcId, sg.Id], ['default', vpc.VpcId, vpc.DefaultSecurityGroup]);
  assert.equal(only(list, 'AWS::EC2::NetworkAcl').Id, vpc.DefaultNetworkAcl);
  const dopt = only(list, 'AWS::EC2::DHCPOptions');
  assert.deepEqual([dopt.DomainName, dopt.DomainNameServers], ['ec2.internal', ['AmazonProvidedDNS']]);
  assert.equal(only(models({ accountId: '123456789012', region: 'eu-west-1' }), 'AWS::EC2::DHCPOptions').DomainName, 'eu-west-1.compute.internal');
});

test('one public /20 default subnet per zone, 172.31.0.0/20, 172.31.16.0/20, … in zone order', () => {
  const subnets = models().filter((r) => r.typeName === 'AWS::EC2::Subnet').map((r) => r.model);
  assert.deepEqual(subnets.map((s) => s.AvailabilityZone), zonesOf('us-east-1').map((z) => z.name));
  assert.deepEqual(subnets.map((s) => s.CidrBlock), ['172.31.0.0/20', '172.31.16.0/20', '172.31.32.0/20', '172.31.48.0/20', '172.31.64.0/20', '172.31.80.0/20']);
  assert.ok(subnets.every((s) => s.MapPublicIpOnLaunch === true));
  assert.equal(new Set(subnets.map((s) => s.SubnetId)).size, subnets.length);
});

test('identifiers: EC2-shaped, the same for the same scope, different in another account or Region', () => {
  const ids = (scope: typeof SCOPE) => models(scope).map((r) => r.identifier);
  assert.deepEqual(ids(SCOPE), ids({ ...SCOPE }));
  const vpcId = String(only(models(), 'AWS::EC2::VPC').VpcId);
  assert.match(vpcId, /^vpc-[0-9a-f]{17}$/);
  assert.notEqual(only(models({ ...SCOPE, accountId: '000000000000' }), 'AWS::EC2::VPC').VpcId, vpcId);
  assert.notEqual(only(models({ ...SCOPE, region: 'us-west-2' }), 'AWS::EC2::VPC').VpcId, vpcId);
  // Every generated id is distinct (a subnet's ACL association id is not its subnet id).
  const all = models().flatMap((r) => Object.values(r.model)).filter((v): v is string => typeof v === 'string' && /-[0-9a-f]{17}$/.test(v));
  const subnet = models().find((r) => r.typeName === 'AWS::EC2::Subnet')!.model;
  assert.notEqual(String(subnet.NetworkAclAssociationId).slice(-17), String(subnet.SubnetId).slice(-17));
  assert.ok(all.length > 10);
});

test('a Region whose zones are unknown gets the VPC and its parts but no subnets', () => {
  const list = models({ accountId: '123456789012', region: 'xx-nowhere-1' });
  assert.equal(list.filter((r) => r.typeName === 'AWS::EC2::Subnet').length, 0);
  assert.equal(list.filter((r) => r.typeName === 'AWS::EC2::VPC').length, 1);
});
