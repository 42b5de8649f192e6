// BufferedResources: each write carries the resource's indexed values, and ofType() finds resources through the
// store's index while seeing the step's own (not yet committed) writes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BufferedResources } from './emulated-resources.js';
import { SqliteStore } from '../store/sqlite/sqlite-store.js';
import { inMemoryCatalogue } from '../registry/catalogue.js';
import type { RequestRecord } from '../domain/records.js';
import type { ResourceSchema } from '../registry/types.js';

const SCOPE = { accountId: '111122223333', region: 'us-east-1' };
const SUBNET = 'Test::EC2::Subnet';
const VPC = 'Test::EC2::VPC';
const schemas: ResourceSchema[] = [
  { typeName: VPC, properties: { VpcId: { type: 'string' } }, primaryIdentifier: ['/properties/VpcId'] },
  {
    typeName: SUBNET,
    properties: { SubnetId: { type: 'string' }, VpcId: { type: 'string', relationshipRef: { typeName: VPC, propertyPath: '/properties/VpcId' } }, Note: { type: 'string' } },
    primaryIdentifier: ['/properties/SubnetId'],
  },
];
const catalogue = inMemoryCatalogue(schemas, 'registry');

let seq = 0;
async function commit(store: SqliteStore, resources: BufferedResources): Promise<void> {
  const record = { ...SCOPE, token: `t${++seq}`, fingerprint: 'fp', typeName: SUBNET, operation: 'CREATE', status: 'IN_PROGRESS', createdAt: 1, eventTime: 1, dueAt: 1, stepCount: 0, version: 1 } as RequestRecord;
  await store.insertRequest(record, { token: record.token, status: 'IN_PROGRESS', eventTime: 1, detail: 'accepted' }, 0);
  assert.equal(await store.applyTransition({ ...record, version: 2 }, 1, undefined, resources.writes), true);
}

test('writes carry the indexed values of the type (its relationship paths)', () => {
  const resources = new BufferedResources(new SqliteStore(':memory:'), SCOPE, SUBNET, 5, catalogue);
  resources.create('subnet-1', { SubnetId: 'subnet-1', VpcId: 'vpc-1', Note: 'not indexed' });
  assert.deepEqual(resources.writes[0]!.kind === 'create' && resources.writes[0]!.indexed, [{ path: 'VpcId', value: 'vpc-1' }]);
});

test("findBy sees the step's own creates, updates and deletes over what the store holds", async () => {
  const store = new SqliteStore(':memory:');
  try {
    const first = new BufferedResources(store, SCOPE, SUBNET, 1, catalogue);
    for (const id of ['subnet-a', 'subnet-b', 'subnet-c']) first.create(id, { SubnetId: id, VpcId: 'vpc-1' });
    await commit(store, first);

    const step = new BufferedResources(store, SCOPE, SUBNET, 2, catalogue);
    const subnets = step.ofType(SUBNET);
    const ids = async (vpc: string, limit = 10) => (await subnets.findBy('VpcId', vpc, limit)).map((r) => r.identifier);
    assert.deepEqual(await ids('vpc-1'), ['subnet-a', 'subnet-b', 'subnet-c'], 'what the store holds');
    step.create('subnet-0', { SubnetId: 'subnet-0', VpcId: 'vpc-1' });
    step.update('subnet-b', { SubnetId: 'subnet-b', VpcId: 'vpc-2' });
    step.delete('subnet-c');
    assert.deepEqual(await ids('vpc-1'), ['subnet-0', 'subnet-a'], 'a new one in, a moved one and a deleted one out');
    assert.deepEqual(await ids('vpc-1', 1), ['subnet-0'], 'limit holds');
    assert.deepEqual(await ids('vpc-2'), ['subnet-b']);
    assert.equal(JSON.parse((await subnets.get('subnet-b'))!.properties).VpcId, 'vpc-2');
    assert.equal(await subnets.get('subnet-c'), undefined);
    // Nothing reached the store yet; once committed, a fresh step finds the same.
    assert.deepEqual((await store.findResources(SCOPE, SUBNET, 'VpcId', 'vpc-2', 10)).length, 0);
    await commit(store, step);
    const after = new BufferedResources(store, SCOPE, VPC, 3, catalogue).ofType(SUBNET);
    assert.deepEqual((await after.findBy('VpcId', 'vpc-1', 10)).map((r) => r.identifier), ['subnet-0', 'subnet-a']);
    assert.deepEqual((await after.findBy('VpcId', 'vpc-2', 10)).map((r) => r.identifier), ['subnet-b']);
  } finally {
    await store.close();
  }
});

test('findBy refuses a path the type does not index, and a type not in the catalogue', async () => {
  const store = new SqliteStore(':memory:');
  try {
    const lookup = new BufferedResources(store, SCOPE, VPC, 1, catalogue);
    await assert.rejects(lookup.ofType(SUBNET).findBy('Note', 'x', 1), /does not index Note/);
    await assert.rejects(lookup.ofType('Test::No::Such').findBy('VpcId', 'x', 1), /not in the catalogue/);
    assert.deepEqual(await lookup.ofType(VPC).findBy('VpcId', 'vpc-1', 1), [], 'a referenced property is indexed on its target');
  } finally {
    await store.close();
  }
});
