/**
 * The service rules against an in-memory lookup: deletes refused while dependents exist (and allowed once they
 * are gone), the subnet zone default and check, subnet CIDRs inside the VPC and clear of each other, security
 * group names unique per VPC. The end-to-end tests (test/e2e/ec2-rules*.test.ts) run the same rules through real
 * clients and a real server.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { cryptoIds } from '../../lib/ids.js';
import { openBuiltInCatalogue } from '../../registry/catalogue.js';
import { indexedPaths } from '../../registry/relationships.js';
import type { StoredResource } from '../../store/store.js';
import type { ResourceModel } from '../contract.js';
import { knownRegions, zonesOf } from './zones.js';
import { contains, overlaps, parseIpv4Block } from './cidr.js';
import { CREATE_RULES } from './create-rules.js';
import { DELETE_REFUSALS } from './delete-refusals.js';
import { checkCreate, queriedPaths, refuseDelete } from './index.js';
import { defaultVpcResources } from '../default-vpc.js';
import { EXTRA_INDEXED_PATHS } from '../../registry/extra-indexed-paths.js';
import { valuesAt, type ResourceLookup, type RuleContext } from './lookup.js';

const builtIn = openBuiltInCatalogue(fileURLToPath(new URL('../../../../../dist/catalogue/', import.meta.url)));

/** Resources by type and identifier; findBy compares the values at the path as the store's index does. */
class FakeResources {
  readonly rows = new Map<string, Map<string, ResourceModel>>();
  reads = 0;

  put(typeName: string, identifier: string, model: ResourceModel): void {
    if (!this.rows.has(typeName)) this.rows.set(typeName, new Map());
    this.rows.get(typeName)!.set(identifier, model);
  }

  remove(typeName: string, identifier: string): void {
    this.rows.get(typeName)?.delete(identifier);
  }

  ofType(typeName: string): ResourceLookup {
    const stored = (identifier: string, model: ResourceModel): StoredResource => ({ typeName, identifier, properties: JSON.stringify(model), createdAt: 0, updatedAt: 0 });
    return {
      get: async (identifier) => {
        this.reads++;
        const model = this.rows.get(typeName)?.get(identifier);
        return model ? stored(identifier, model) : undefined;
      },
      findBy: async (path, value, limit) => {
        this.reads++;
        return [...(this.rows.get(typeName) ?? [])]
          .filter(([, model]) => valuesAt(model, path).includes(value))
          .sort(([a], [b]) => (a < b ? -1 : 1))
          .slice(0, limit)
          .map(([identifier, model]) => stored(identifier, model));
      },
    };
  }
}

function context(resources: FakeResources, region = 'us-east-1'): RuleContext {
  return { lookups: resources, ids: cryptoIds, region, accountId: '000000000000' };
}

const REQUEST_ID = /Request ID: [0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\)/;

test('CIDR blocks: parsed to their network, nested and overlapping as EC2 compares them', () => {
  assert.deepEqual(parseIpv4Block('10.0.1.7/24'), { network: (10 << 24) + 256, prefix: 24 });
  for (const bad of ['10.0.0.0', '10.0.0.256/24', '10.0.0.0/33', '2001:db8::/56', 42, undefined]) assert.equal(parseIpv4Block(bad), undefined, String(bad));
  const vpc = parseIpv4Block('10.0.0.0/16')!;
  assert.ok(contains(vpc, parseIpv4Block('10.0.255.240/28')!));
  assert.ok(contains(vpc, vpc), 'a subnet may take the whole VPC block');
  assert.ok(!contains(vpc, parseIpv4Block('10.1.0.0/24')!));
  assert.ok(!contains(vpc, parseIpv4Block('10.0.0.0/8')!), 'a larger block is not inside');
  assert.ok(overlaps(parseIpv4Block('10.0.0.0/23')!, parseIpv4Block('10.0.1.0/24')!));
  assert.ok(!overlaps(parseIpv4Block('10.0.0.0/24')!, parseIpv4Block('10.0.1.0/24')!), 'adjacent blocks do not overlap');
  assert.ok(contains(parseIpv4Block('0.0.0.0/0')!, parseIpv4Block('255.255.255.255/32')!));
});

test('values at a path: nested properties and every element of an array', () => {
  const model = { A: 'x', Rules: [{ Source: 'sg-1' }, { Other: 1 }, { Source: 'sg-2' }], Ids: ['a', 'b'], N: 3 };
  assert.deepEqual(valuesAt(model, 'A'), ['x']);
  assert.deepEqual(valuesAt(model, 'Rules/*/Source'), ['sg-1', 'sg-2']);
  assert.deepEqual(valuesAt(model, 'Ids/*'), ['a', 'b']);
  assert.deepEqual(valuesAt(model, 'N'), ['3']);
  assert.deepEqual(valuesAt(model, 'Missing/*'), []);
});

test('a VPC with a subnet is not deleted, with the EC2 message and the handler code; once the subnet is gone it is', async () => {
  const resources = new FakeResources();
  const vpc = { VpcId: 'vpc-0aaaaaaaaaaaaaaaa', CidrBlock: '10.0.0.0/16' };
  resources.put('AWS::EC2::VPC', vpc.VpcId, vpc);
  resources.put('AWS::EC2::Subnet', 'subnet-1', { SubnetId: 'subnet-1', VpcId: vpc.VpcId });
  const refused = await refuseDelete('AWS::EC2::VPC', vpc.VpcId, vpc, context(resources));
  assert.equal(refused?.status, 'FAILED');
  assert.equal(refused?.errorCode, 'InvalidRequest');
  assert.match(refused!.message!, /^The vpc 'vpc-0aaaaaaaaaaaaaaaa' has dependencies and cannot be deleted\. \(Service: Ec2, Status Code: 400, Request ID: /);
  assert.match(refused!.message!, REQUEST_ID);
  resources.remove('AWS::EC2::Subnet', 'subnet-1');
  assert.equal(await refuseDelete('AWS::EC2::VPC', vpc.VpcId, vpc, context(resources)), undefined);
});

test('a VPC is blocked by its security groups, its gateway attachment and its route tables, but not by its default group', async () => {
  const vpc = { VpcId: 'vpc-1', CidrBlock: '10.0.0.0/16' };
  const blockers: [string, ResourceModel][] = [
    ['AWS::EC2::SecurityGroup', { GroupId: 'sg-1', GroupName: 'web', VpcId: 'vpc-1' }],
    ['AWS::EC2::VPCGatewayAttachment', { VpcId: 'vpc-1', InternetGatewayId: 'igw-1' }],
    ['AWS::EC2::RouteTable', { RouteTableId: 'rtb-1', VpcId: 'vpc-1' }],
    ['AWS::EC2::EgressOnlyInternetGateway', { Id: 'eigw-1', VpcId: 'vpc-1' }],
  ];
  for (const [typeName, model] of blockers) {
    const resources = new FakeResources();
    resources.put(typeName, 'dep-1', model);
    assert.ok(await refuseDelete('AWS::EC2::VPC', 'vpc-1', vpc, context(resources)), `${typeName} blocks the VPC's delete`);
  }
  const resources = new FakeResources();
  resources.put('AWS::EC2::SecurityGroup', 'sg-default', { GroupId: 'sg-default', GroupName: 'default', VpcId: 'vpc-1' });
  resources.put('AWS::EC2::VPCCidrBlock', 'assoc-1', { Id: 'assoc-1', VpcId: 'vpc-1', CidrBlock: '10.1.0.0/16' });
  resources.put('AWS::EC2::Subnet', 'subnet-other', { SubnetId: 'subnet-other', VpcId: 'vpc-2' });
  assert.equal(await refuseDelete('AWS::EC2::VPC', 'vpc-1', vpc, context(resources)), undefined, 'default group, CIDR association and another VPC\'s subnet do not block');
});

test('a subnet with a network interface, an instance or a NAT gateway is not deleted', async () => {
  for (const typeName of ['AWS::EC2::NetworkInterface', 'AWS::EC2::Instance', 'AWS::EC2::NatGateway']) {
    const resources = new FakeResources();
    resources.put(typeName, 'dep', { SubnetId: 'subnet-1' });
    const refused = await refuseDelete('AWS::EC2::Subnet', 'subnet-1', { SubnetId: 'subnet-1', VpcId: 'vpc-1' }, context(resources));
    assert.match(refused?.message ?? '', /^The subnet 'subnet-1' has dependencies and cannot be deleted\. \(Service: Ec2/, typeName);
    assert.equal(refused?.errorCode, 'InvalidRequest');
  }
});

test('a security group named in another group\'s rules is not deleted; one naming only itself is', async () => {
  const group = { GroupId: 'sg-a', Id: 'sg-a', GroupName: 'a', VpcId: 'vpc-1', SecurityGroupIngress: [{ IpProtocol: '-1', SourceSecurityGroupId: 'sg-a' }] };
  const resources = new FakeResources();
  resources.put('AWS::EC2::SecurityGroup', 'sg-a', group);
  assert.equal(await refuseDelete('AWS::EC2::SecurityGroup', 'sg-a', group, context(resources)), undefined, 'a self-reference does not block');
  resources.put('AWS::EC2::SecurityGroup', 'sg-b', { GroupId: 'sg-b', GroupName: 'b', VpcId: 'vpc-1', SecurityGroupIngress: [{ IpProtocol: 'tcp', SourceSecurityGroupId: 'sg-a' }] });
  const refused = await refuseDelete('AWS::EC2::SecurityGroup', 'sg-a', group, context(resources));
  assert.match(refused?.message ?? '', /^resource sg-a has a dependent object \(Service: Ec2, Status Code: 400, Request ID: /);
  for (const [typeName, model] of [
    ['AWS::EC2::SecurityGroupIngress', { GroupId: 'sg-c', SourceSecurityGroupId: 'sg-a' }],
    ['AWS::EC2::SecurityGroupEgress', { GroupId: 'sg-c', DestinationSecurityGroupId: 'sg-a' }],
    ['AWS::EC2::NetworkInterface', { SubnetId: 'subnet-1', GroupSet: ['sg-z', 'sg-a'] }],
    ['AWS::EC2::Instance', { SecurityGroupIds: ['sg-a'] }],
  ] as [string, ResourceModel][]) {
    const only = new FakeResources();
    only.put(typeName, 'dep', model);
    assert.ok(await refuseDelete('AWS::EC2::SecurityGroup', 'sg-a', group, context(only)), `${typeName} blocks`);
  }
  const ownRule = new FakeResources();
  ownRule.put('AWS::EC2::SecurityGroupIngress', 'rule', { GroupId: 'sg-a', CidrIp: '0.0.0.0/0' });
  assert.equal(await refuseDelete('AWS::EC2::SecurityGroup', 'sg-a', group, context(ownRule)), undefined, 'the group\'s own rule goes with it');
});

test('the default security group is never deleted by a user', async () => {
  const group = { GroupId: 'sg-0123', GroupName: 'default', VpcId: 'vpc-1' };
  const refused = await refuseDelete('AWS::EC2::SecurityGroup', 'sg-0123', group, context(new FakeResources()));
  assert.match(refused?.message ?? '', /^the specified group: "sg-0123" name: "default" cannot be deleted by a user \(Service: Ec2/);
});

test('an attached internet gateway is not deleted; detached it is', async () => {
  const resources = new FakeResources();
  const igw = { InternetGatewayId: 'igw-1' };
  resources.put('AWS::EC2::VPCGatewayAttachment', 'IGW|vpc-1', { InternetGatewayId: 'igw-1', VpcId: 'vpc-1' });
  const refused = await refuseDelete('AWS::EC2::InternetGateway', 'igw-1', igw, context(resources));
  assert.match(refused?.message ?? '', /^The internetGateway 'igw-1' has dependencies and cannot be deleted\. /);
  resources.remove('AWS::EC2::VPCGatewayAttachment', 'IGW|vpc-1');
  assert.equal(await refuseDelete('AWS::EC2::InternetGateway', 'igw-1', igw, context(resources)), undefined);
});

test('a route table associated with a subnet is not deleted; its own routes do not block', async () => {
  const resources = new FakeResources();
  const table = { RouteTableId: 'rtb-1', VpcId: 'vpc-1' };
  resources.put('AWS::EC2::Route', 'rtb-1|0.0.0.0/0', { RouteTableId: 'rtb-1', DestinationCidrBlock: '0.0.0.0/0', GatewayId: 'igw-1' });
  assert.equal(await refuseDelete('AWS::EC2::RouteTable', 'rtb-1', table, context(resources)), undefined);
  resources.put('AWS::EC2::SubnetRouteTableAssociation', 'rtbassoc-1', { Id: 'rtbassoc-1', RouteTableId: 'rtb-1', SubnetId: 'subnet-1' });
  const refused = await refuseDelete('AWS::EC2::RouteTable', 'rtb-1', table, context(resources));
  assert.match(refused?.message ?? '', /^The routeTable 'rtb-1' has dependencies and cannot be deleted\. \(Service: Ec2, /);
});

test('an ECS cluster with a service, named by short name or by ARN, is not deleted', async () => {
  const cluster = { ClusterName: 'app', Arn: 'arn:aws:ecs:us-east-1:000000000000:cluster/app' };
  for (const named of [cluster.ClusterName, cluster.Arn]) {
    const resources = new FakeResources();
    resources.put('AWS::ECS::Service', 'svc', { ServiceName: 'web', Cluster: named });
    const refused = await refuseDelete('AWS::ECS::Cluster', 'app', cluster, context(resources));
    assert.equal(refused?.errorCode, 'GeneralServiceException');
    assert.match(refused?.message ?? '', /^Error occurred during operation 'DeleteClusters SDK Error: The Cluster cannot be deleted while Services are active\. \(Service: AmazonECS; Status Code: 400; Error Code: ClusterContainsServicesException; Request ID: [0-9a-f-]{36}; Proxy: null\)'\.$/);
  }
  assert.equal(await refuseDelete('AWS::ECS::Cluster', 'app', cluster, context(new FakeResources())), undefined);
});

test('a type without refusals is deleted without a lookup', async () => {
  const resources = new FakeResources();
  assert.equal(await refuseDelete('AWS::SQS::Queue', 'q', { QueueName: 'q' }, context(resources)), undefined);
  assert.equal(resources.reads, 0);
});

test('a subnet without a zone gets the Region\'s first zone and its AZ ID; one naming a zone ID gets the zone', async () => {
  const resources = new FakeResources();
  const model: ResourceModel = { VpcId: 'vpc-x', CidrBlock: '10.0.0.0/24' };
  assert.equal(await checkCreate('AWS::EC2::Subnet', model, context(resources, 'eu-west-1')), undefined);
  assert.equal(model.AvailabilityZone, 'eu-west-1a');
  assert.equal(model.AvailabilityZoneId, 'euw1-az1');
  const byId: ResourceModel = { VpcId: 'vpc-x', CidrBlock: '10.0.0.0/24', AvailabilityZoneId: 'use1-az3' };
  await checkCreate('AWS::EC2::Subnet', byId, context(resources));
  assert.equal(byId.AvailabilityZone, 'us-east-1c');
  const unknownRegion: ResourceModel = { VpcId: 'vpc-x' };
  await checkCreate('AWS::EC2::Subnet', unknownRegion, context(resources, 'xx-test-9'));
  assert.equal(unknownRegion.AvailabilityZone, 'xx-test-9a', 'the documented form, a Region code and a letter');
  assert.equal(unknownRegion.AvailabilityZoneId, undefined);
});

test('a subnet in another Region\'s zone is refused with the Region\'s zones listed', async () => {
  const refused = await checkCreate('AWS::EC2::Subnet', { VpcId: 'vpc-x', CidrBlock: '10.0.0.0/24', AvailabilityZone: 'us-west-2a' }, context(new FakeResources()));
  assert.equal(refused?.errorCode, 'InvalidRequest');
  assert.match(
    refused?.message ?? '',
    /^Value \(us-west-2a\) for parameter availabilityZone is invalid\. Subnets can currently only be created in the following availability zones: us-east-1a, us-east-1b, us-east-1c, us-east-1d, us-east-1e, us-east-1f\. \(Service: Ec2, Status Code: 400, Request ID: /,
  );
  const valid: ResourceModel = { VpcId: 'vpc-x', CidrBlock: '10.0.0.0/24', AvailabilityZone: 'us-east-1f' };
  assert.equal(await checkCreate('AWS::EC2::Subnet', valid, context(new FakeResources())), undefined);
  assert.equal(valid.AvailabilityZoneId, 'use1-az6');
});

test('the zone table: names and AZ IDs of the documented forms', () => {
  for (const region of knownRegions()) {
    const zones = zonesOf(region);
    assert.ok(zones.length >= 2, region);
    // "the first three letters of the Region code, followed by the number at the end of the Region code, followed by -az, followed by a number"
    const number = region.split('-').pop()!;
    for (const zone of zones) {
      assert.match(zone.name, new RegExp(`^${region}[a-z]$`));
      assert.match(zone.id, new RegExp(`^${region.slice(0, 2)}[a-z]*${number}-az\\d$`), region);
    }
  }
  assert.deepEqual(zonesOf('xx-test-9'), []);
});

test('a subnet outside its VPC\'s blocks is refused; inside the primary or an associated block it is created', async () => {
  const resources = new FakeResources();
  resources.put('AWS::EC2::VPC', 'vpc-1', { VpcId: 'vpc-1', CidrBlock: '10.0.0.0/16' });
  const outside = await checkCreate('AWS::EC2::Subnet', { VpcId: 'vpc-1', CidrBlock: '10.1.0.0/24' }, context(resources));
  assert.equal(outside?.errorCode, 'InvalidRequest');
  assert.match(outside?.message ?? '', /^The CIDR '10\.1\.0\.0\/24' is invalid\. \(Service: Ec2, Status Code: 400, Request ID: /);
  assert.equal(await checkCreate('AWS::EC2::Subnet', { VpcId: 'vpc-1', CidrBlock: '10.0.3.0/24' }, context(resources)), undefined);
  resources.put('AWS::EC2::VPCCidrBlock', 'vpc-cidr-assoc-1|vpc-1', { Id: 'vpc-cidr-assoc-1', VpcId: 'vpc-1', CidrBlock: '10.1.0.0/16' });
  assert.equal(await checkCreate('AWS::EC2::Subnet', { VpcId: 'vpc-1', CidrBlock: '10.1.0.0/24' }, context(resources)), undefined, 'in the secondary block');
  assert.equal(await checkCreate('AWS::EC2::Subnet', { VpcId: 'vpc-missing', CidrBlock: '192.168.0.0/24' }, context(resources)), undefined, 'a missing VPC is the reference check\'s to report');
});

test('a subnet overlapping another of its VPC is refused as AlreadyExists; one in another VPC or adjacent is not', async () => {
  const resources = new FakeResources();
  resources.put('AWS::EC2::VPC', 'vpc-1', { VpcId: 'vpc-1', CidrBlock: '10.0.0.0/16' });
  resources.put('AWS::EC2::Subnet', 'subnet-1', { SubnetId: 'subnet-1', VpcId: 'vpc-1', CidrBlock: '10.0.0.0/23' });
  resources.put('AWS::EC2::Subnet', 'subnet-2', { SubnetId: 'subnet-2', VpcId: 'vpc-2', CidrBlock: '10.0.4.0/24' });
  const conflict = await checkCreate('AWS::EC2::Subnet', { VpcId: 'vpc-1', CidrBlock: '10.0.1.0/24' }, context(resources));
  assert.equal(conflict?.errorCode, 'AlreadyExists');
  assert.match(conflict?.message ?? '', /^The CIDR '10\.0\.1\.0\/24' conflicts with another subnet \(Service: Ec2, Status Code: 400, Request ID: /);
  assert.equal(await checkCreate('AWS::EC2::Subnet', { VpcId: 'vpc-1', CidrBlock: '10.0.2.0/24' }, context(resources)), undefined);
  assert.equal(await checkCreate('AWS::EC2::Subnet', { VpcId: 'vpc-1', CidrBlock: '10.0.4.0/24' }, context(resources)), undefined, 'the same block in another VPC');
});

test('a security group name is unique in its VPC, and "default" is taken in every VPC', async () => {
  const resources = new FakeResources();
  resources.put('AWS::EC2::SecurityGroup', 'sg-1', { GroupId: 'sg-1', GroupName: 'web', VpcId: 'vpc-1' });
  const duplicate = await checkCreate('AWS::EC2::SecurityGroup', { GroupName: 'web', GroupDescription: 'd', VpcId: 'vpc-1' }, context(resources));
  assert.equal(duplicate?.errorCode, 'AlreadyExists');
  assert.match(duplicate?.message ?? '', /^The security group 'web' already exists for VPC 'vpc-1' \(Service: Ec2, Status Code: 400, Request ID: /);
  assert.equal(await checkCreate('AWS::EC2::SecurityGroup', { GroupName: 'web', GroupDescription: 'd', VpcId: 'vpc-2' }, context(resources)), undefined);
  assert.equal(await checkCreate('AWS::EC2::SecurityGroup', { GroupName: 'api', GroupDescription: 'd', VpcId: 'vpc-1' }, context(resources)), undefined);
  const reserved = await checkCreate('AWS::EC2::SecurityGroup', { GroupName: 'default', GroupDescription: 'd', VpcId: 'vpc-9' }, context(resources));
  assert.match(reserved?.message ?? '', /^The security group 'default' already exists for VPC 'vpc-9' /);
});

test('the rule data: every entry has sources, and names properties its types have', () => {
  const properties = (typeName: string) => {
    const type = builtIn.get(typeName);
    assert.ok(type, `${typeName} is in the built-in catalogue`);
    return new Set(Object.keys(type.schema.properties));
  };
  const topOf = (path: string) => path.split('/')[0]!;
  for (const refusal of DELETE_REFUSALS) {
    assert.ok(refusal.sources.length > 0, refusal.type);
    const own = properties(refusal.type);
    for (const path of [...(refusal.referencedAs ?? []), ...(refusal.refusedWhen ? [refusal.refusedWhen.path] : [])]) assert.ok(own.has(topOf(path)), `${refusal.type}.${path}`);
    for (const name of refusal.message.match(/\$\{([A-Za-z]+)\}/g) ?? []) {
      const property = name.slice(2, -1);
      if (property !== 'RequestId') assert.ok(own.has(property), `${refusal.type} message names ${property}`);
    }
    for (const dependent of refusal.blockedBy ?? []) assert.ok(properties(dependent.type).has(topOf(dependent.path)), `${dependent.type}.${dependent.path}`);
  }
  for (const rule of CREATE_RULES) assert.ok(rule.sources.length > 0 && properties(rule.type).size > 0, rule.type);
  assert.ok(queriedPaths().length > 10);
});

test('every path the rules look resources up by is in the store\'s index (findBy refuses any other)', () => {
  for (const { type: typeName, path } of queriedPaths()) {
    const type = builtIn.get(typeName);
    assert.ok(type, `${typeName} is in the built-in catalogue`);
    assert.ok(indexedPaths(type, builtIn).includes(path), `${typeName} indexes ${path} (it indexes ${indexedPaths(type, builtIn).join(', ')})`);
    // Also without the built-in relationship table (a catalogue of registry schemas only, as the sweep runs one).
    assert.ok(EXTRA_INDEXED_PATHS[typeName]?.includes(path), `${typeName} ${path} is in EXTRA_INDEXED_PATHS`);
  }
});

test("the default VPC, once its subnets and gateway are gone, deletes: its main route table, default group and network ACL go with it", async () => {
  const scope = { accountId: '123456789012', region: 'us-east-1' };
  const resources = new FakeResources();
  let vpc: ResourceModel | undefined;
  for (const part of defaultVpcResources(scope)) {
    // What a user deletes first, as on AWS: the subnets and the internet gateway's attachment.
    if (part.typeName === 'AWS::EC2::Subnet' || part.typeName === 'AWS::EC2::VPCGatewayAttachment') continue;
    const model = JSON.parse(part.properties) as ResourceModel;
    resources.put(part.typeName, part.identifier, model);
    if (part.typeName === 'AWS::EC2::VPC') vpc = model;
  }
  const vpcId = String(vpc!.VpcId);
  assert.equal(await refuseDelete('AWS::EC2::VPC', vpcId, vpc!, { ...context(resources), accountId: scope.accountId }), undefined);
  // Another route table of that VPC (one a user created) still blocks it.
  resources.put('AWS::EC2::RouteTable', 'rtb-user', { RouteTableId: 'rtb-user', VpcId: vpcId });
  assert.ok(await refuseDelete('AWS::EC2::VPC', vpcId, vpc!, { ...context(resources), accountId: scope.accountId }));
});
