import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resourceTypeFromSchema } from '../registry/catalogue.js';
import type { RequestRecord } from '../domain/records.js';
import { awaitsRebase, rebaseUpdate } from './update-rebase.js';

const type = resourceTypeFromSchema(
  {
    typeName: 'Test::Rebase::Thing',
    properties: { Name: { type: 'string' }, Size: { type: 'integer' }, Note: { type: 'string' }, Zone: { type: 'string' }, Secret: { type: 'string' }, Arn: { type: 'string' } },
    additionalProperties: false,
    primaryIdentifier: ['/properties/Name'],
    readOnlyProperties: ['/properties/Arn'],
    createOnlyProperties: ['/properties/Name', '/properties/Zone'],
    writeOnlyProperties: ['/properties/Secret'],
  },
  'custom',
);

const preRead = { Name: 'a', Size: 1, Zone: 'z1', Arn: 'arn:x' };
function update(patch: unknown[], desired: object, overrides: Partial<RequestRecord> = {}): RequestRecord {
  return {
    accountId: '123456789012',
    region: 'us-east-1',
    token: 't',
    fingerprint: 'f',
    typeName: type.typeName,
    operation: 'UPDATE',
    status: 'IN_PROGRESS',
    createdAt: 0,
    eventTime: 0,
    stepCount: 0,
    version: 1,
    desiredState: JSON.stringify(desired),
    previousState: JSON.stringify(preRead),
    patchDocument: JSON.stringify(patch),
    ...overrides,
  };
}

test('an unchanged model keeps the accepted desired state', () => {
  assert.deepEqual(rebaseUpdate(type, update([{ op: 'replace', path: '/Size', value: 2 }], { Name: 'a', Size: 2, Zone: 'z1' }), { ...preRead }), { kind: 'unchanged' });
});

test('a model another update changed gets the patch applied again, with the primary identifier and without readOnly/writeOnly in the shown model', () => {
  const record = update([{ op: 'replace', path: '/Size', value: 2 }, { op: 'add', path: '/Secret', value: 's' }], { Name: 'a', Size: 2, Zone: 'z1', Secret: 's' });
  const current = { Name: 'a', Size: 5, Zone: 'z1', Arn: 'arn:x', Note: 'n' };
  const rebase = rebaseUpdate(type, { ...record }, current);
  assert.equal(rebase.kind, 'rebased');
  if (rebase.kind !== 'rebased') return;
  assert.deepEqual(JSON.parse(rebase.record.desiredState!), { Name: 'a', Size: 2, Zone: 'z1', Note: 'n', Secret: 's' });
  assert.deepEqual(JSON.parse(rebase.record.previousState!), current);
  assert.deepEqual(JSON.parse(rebase.record.resourceModel!), { Name: 'a', Size: 2, Zone: 'z1', Note: 'n' });
  assert.equal(rebase.record.version, record.version, 'a rebase is not a transition');
});

test('a failing test op is refused as InvalidRequest with the synchronous message', () => {
  const rebase = rebaseUpdate(type, update([{ op: 'test', path: '/Size', value: 1 }], { Name: 'a', Size: 1, Zone: 'z1' }), { ...preRead, Size: 3 });
  assert.equal(rebase.kind, 'refused');
  if (rebase.kind !== 'refused') return;
  assert.equal(rebase.outcome.status, 'FAILED');
  assert.equal(rebase.outcome.errorCode, 'InvalidRequest');
  assert.equal(rebase.outcome.message, '[TEST Operation] value mismatch');
});

test('a createOnly value that no longer matches the patch is refused as NotUpdatable', () => {
  // The resource was deleted and created again with another Zone after the pre-read.
  const rebase = rebaseUpdate(type, update([{ op: 'replace', path: '/Zone', value: 'z1' }], { Name: 'a', Size: 1, Zone: 'z1' }), { ...preRead, Zone: 'z2' });
  assert.equal(rebase.kind, 'refused');
  if (rebase.kind !== 'refused') return;
  assert.equal(rebase.outcome.errorCode, 'NotUpdatable');
  assert.equal(rebase.outcome.message, 'Invalid patch update: createOnlyProperties [/properties/Zone] cannot be updated');
});

test('only updates whose handler has not run yet are rebased', () => {
  const patch = [{ op: 'replace', path: '/Size', value: 2 }];
  assert.equal(awaitsRebase(update(patch, {})), true);
  assert.equal(awaitsRebase(update(patch, {}, { stepCount: 1 })), false);
  assert.equal(awaitsRebase(update(patch, {}, { operation: 'CREATE' })), false);
  const withoutPatch = update(patch, {});
  delete withoutPatch.patchDocument; // accepted before the patch was kept (an older database)
  assert.equal(awaitsRebase(withoutPatch), false);
  assert.deepEqual(rebaseUpdate(type, update(patch, {}, { stepCount: 1 }), { ...preRead, Size: 9 }), { kind: 'unchanged' });
});

test('an internal error while rebasing is no refusal: it is thrown, not turned into an InvalidRequest', () => {
  const broken = { ...type, validate: () => { throw new Error('validator broke'); } };
  assert.throws(() => rebaseUpdate(broken, update([{ op: 'replace', path: '/Size', value: 2 }], {}), { ...preRead, Size: 3 }), { message: 'validator broke' });
});
