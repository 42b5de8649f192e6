/** DefaultVpcs: set up once per scope, in front of the store an in-memory set so later calls never reach it. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock } from '../lib/clock.js';
import { StoreUnavailableError, type ProvisionedResource, type Store } from '../store/store.js';
import type { TypeCatalogue } from '../registry/types.js';
import { DefaultVpcs } from './default-vpc.js';

/** Just the two members DefaultVpcs uses, counting calls; `failNext` makes the next one fail as an unreachable database. */
function fakeStore() {
  const markers = new Set<string>();
  const calls = { hasMarker: 0, provisionOnce: 0, provisioned: [] as ProvisionedResource[][] };
  let failNext = false;
  const store = {
    async hasMarker(scope: { accountId: string; region: string }, marker: string) {
      calls.hasMarker++;
      if (failNext) {
        failNext = false;
        throw new StoreUnavailableError('down');
      }
      return markers.has(`${scope.accountId}/${scope.region}/${marker}`);
    },
    async provisionOnce(scope: { accountId: string; region: string }, marker: string, resources: ProvisionedResource[]) {
      calls.provisionOnce++;
      const key = `${scope.accountId}/${scope.region}/${marker}`;
      if (markers.has(key)) return false;
      markers.add(key);
      calls.provisioned.push(resources);
      return true;
    },
  };
  return { store: store as unknown as Store, calls, markers, failOnce: () => (failNext = true) };
}

/** No types: these tests are about once-per-scope, not about the index rows. */
const NO_TYPES = { get: () => undefined } as unknown as TypeCatalogue;

const SCOPE = { accountId: '123456789012', region: 'eu-west-1' };

test('the first call in a scope sets it up; concurrent first calls share it; later calls do not reach the store', async () => {
  const { store, calls } = fakeStore();
  const vpcs = new DefaultVpcs(store, new ManualClock(0), NO_TYPES);
  await Promise.all([vpcs.prepare(SCOPE), vpcs.prepare({ ...SCOPE }), vpcs.prepare(SCOPE)]);
  assert.equal(calls.hasMarker, 1);
  assert.equal(calls.provisionOnce, 1);
  assert.ok(calls.provisioned[0]!.some((r) => r.typeName === 'AWS::EC2::VPC'));
  for (let i = 0; i < 100; i++) await vpcs.prepare(SCOPE);
  assert.deepEqual([calls.hasMarker, calls.provisionOnce], [1, 1]);
  await vpcs.prepare({ ...SCOPE, region: 'eu-west-2' });
  assert.deepEqual([calls.hasMarker, calls.provisionOnce], [2, 2]);
});

test('a scope another node (or an earlier run) set up costs one read and no write', async () => {
  const { store, calls, markers } = fakeStore();
  markers.add(`${SCOPE.accountId}/${SCOPE.region}/default-vpc`);
  await new DefaultVpcs(store, new ManualClock(0), NO_TYPES).prepare(SCOPE);
  assert.deepEqual([calls.hasMarker, calls.provisionOnce], [1, 0]);
});

test('an unreachable database fails the call, and the next call tries again', async () => {
  const { store, calls, failOnce } = fakeStore();
  const vpcs = new DefaultVpcs(store, new ManualClock(0), NO_TYPES);
  failOnce();
  await assert.rejects(vpcs.prepare(SCOPE), StoreUnavailableError);
  await vpcs.prepare(SCOPE);
  assert.deepEqual([calls.hasMarker, calls.provisionOnce], [2, 1]);
});
