/**
 * The Store conformance suite: every backend runs these same tests (SQLite now; PostgreSQL joins later).
 * Skips, where a capability truly differs, must state their reason.
 */
import { describe, test, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import type { HistoryEntry, RequestRecord } from '../../src/engine/records.js';
import { ResourceWriteConflict, type Store } from '../../src/store/store.js';

const SCOPE = { accountId: '111122223333', region: 'us-east-1' };
const OTHER = { accountId: '444455556666', region: 'us-east-1' };

let n = 0;
export function requestFixture(extra: Partial<RequestRecord> = {}): RequestRecord {
  n += 1;
  return {
    ...SCOPE, token: `tok-${n}-${Math.random().toString(36).slice(2)}`, fingerprint: 'fp', typeName: 'AWS::Logs::LogGroup',
    operation: 'CREATE', status: 'IN_PROGRESS', createdAt: 1000, eventTime: 1000, dueAt: 1000, stepCount: 0, version: 1, ...extra,
  };
}
const accepted = (r: RequestRecord): HistoryEntry => ({ token: r.token, status: r.status, eventTime: r.eventTime, detail: 'accepted' });

export function storeConformance(name: string, open: () => Promise<Store>): void {
  describe(`Store conformance: ${name}`, () => {
    let store: Store;
    beforeEach(async () => (store = await open()));
    afterEach(async () => store.close());

    test('insert then read back the same record', async () => {
      const r = requestFixture({ clientToken: 'ct', identifier: 'a', lockKey: 'a', desiredState: '{"x":1}', fault: { notBefore: 5, errorCode: 'Throttling' } });
      const out = await store.insertRequest(r, accepted(r), 0);
      assert.equal(out.kind, 'inserted');
      const back = await store.getRequest(r.token);
      assert.ok(back?.seq);
      assert.deepEqual({ ...back, seq: undefined }, { ...r, seq: undefined });
      assert.equal((await store.history(r.token)).length, 1);
    });

    test('a client token is answered with the existing request within its window, and reusable after', async () => {
      const first = requestFixture({ clientToken: 'same', createdAt: 1000 });
      await store.insertRequest(first, accepted(first), 0);
      const again = requestFixture({ clientToken: 'same' });
      const replay = await store.insertRequest(again, accepted(again), 500);
      assert.equal(replay.kind, 'clientTokenUsed');
      if (replay.kind === 'clientTokenUsed') assert.equal(replay.existing.token, first.token);
      assert.equal((await store.findByClientToken(SCOPE, 'same', 500))?.token, first.token);
      assert.equal(await store.findByClientToken(SCOPE, 'same', 2000), undefined, 'older than the window');
      const later = requestFixture({ clientToken: 'same', createdAt: 5000 });
      assert.equal((await store.insertRequest(later, accepted(later), 2000)).kind, 'inserted');
      assert.equal((await store.findByClientToken(SCOPE, 'same', 2000))?.token, later.token);
    });

    test('client tokens are scoped to (account, region)', async () => {
      const a = requestFixture({ clientToken: 'ct-scope' });
      const b = requestFixture({ ...OTHER, clientToken: 'ct-scope' });
      assert.equal((await store.insertRequest(a, accepted(a), 0)).kind, 'inserted');
      assert.equal((await store.insertRequest(b, accepted(b), 0)).kind, 'inserted');
    });

    test('one active request per resource; the lock frees when the holder ends', async () => {
      const holder = requestFixture({ lockKey: 'res' });
      await store.insertRequest(holder, accepted(holder), 0);
      const second = requestFixture({ lockKey: 'res' });
      const out = await store.insertRequest(second, accepted(second), 0);
      assert.deepEqual(out, { kind: 'locked', holderToken: holder.token });
      assert.equal((await store.findLockHolder(SCOPE, 'AWS::Logs::LogGroup', 'res'))?.token, holder.token);
      const other = requestFixture({ ...OTHER, lockKey: 'res' });
      assert.equal((await store.insertRequest(other, accepted(other), 0)).kind, 'inserted', 'another account has its own resources');
      const done: RequestRecord = { ...holder, status: 'SUCCESS', version: 2 };
      delete done.lockKey;
      assert.equal(await store.applyTransition(done, 1, undefined, []), true);
      assert.equal((await store.insertRequest(second, accepted(second), 0)).kind, 'inserted');
    });

    test('compare-and-set: a stale version changes nothing', async () => {
      const r = requestFixture();
      await store.insertRequest(r, accepted(r), 0);
      assert.equal(await store.applyTransition({ ...r, status: 'FAILED', version: 2 }, 1, undefined, []), true);
      assert.equal(await store.applyTransition({ ...r, status: 'SUCCESS', version: 2 }, 1, undefined, []), false);
      assert.equal((await store.getRequest(r.token))?.status, 'FAILED');
    });

    test('a conflicting resource write rolls back the whole transition', async () => {
      const r = requestFixture();
      await store.insertRequest(r, accepted(r), 0);
      const write = { kind: 'create' as const, scope: SCOPE, typeName: 'AWS::Logs::LogGroup', identifier: 'dup', properties: '{}' };
      assert.equal(await store.applyTransition({ ...r, stepCount: 1, version: 2 }, 1, undefined, [write]), true);
      await assert.rejects(store.applyTransition({ ...r, status: 'SUCCESS', version: 3 }, 2, accepted(r), [write]), ResourceWriteConflict);
      const back = await store.getRequest(r.token);
      assert.equal(back?.version, 2);
      assert.equal(back?.status, 'IN_PROGRESS');
      assert.equal((await store.history(r.token)).length, 1);
      await assert.rejects(
        store.applyTransition({ ...r, version: 3 }, 2, undefined, [{ kind: 'delete', scope: SCOPE, typeName: 'AWS::Logs::LogGroup', identifier: 'nope' }]),
        ResourceWriteConflict,
      );
    });

    test('resources: create, update, delete, paged list, scoped', async () => {
      const r = requestFixture();
      await store.insertRequest(r, accepted(r), 0);
      const writes = ['b', 'a', 'c'].map((id) => ({ kind: 'create' as const, scope: SCOPE, typeName: 'AWS::Logs::LogGroup', identifier: id, properties: `{"id":"${id}"}` }));
      assert.equal(await store.applyTransition({ ...r, version: 2 }, 1, undefined, writes), true);
      assert.deepEqual((await store.listResources(SCOPE, 'AWS::Logs::LogGroup', undefined, 2)).map((x) => x.identifier), ['a', 'b']);
      assert.deepEqual((await store.listResources(SCOPE, 'AWS::Logs::LogGroup', 'b', 2)).map((x) => x.identifier), ['c']);
      assert.equal((await store.listResources(OTHER, 'AWS::Logs::LogGroup', undefined, 10)).length, 0);
      await store.applyTransition({ ...r, version: 3 }, 2, undefined, [{ kind: 'update', scope: SCOPE, typeName: 'AWS::Logs::LogGroup', identifier: 'a', properties: '{"v":2}' }]);
      assert.equal((await store.getResource(SCOPE, 'AWS::Logs::LogGroup', 'a'))?.properties, '{"v":2}');
      await store.applyTransition({ ...r, version: 4 }, 3, undefined, [{ kind: 'delete', scope: SCOPE, typeName: 'AWS::Logs::LogGroup', identifier: 'a' }]);
      assert.equal(await store.getResource(SCOPE, 'AWS::Logs::LogGroup', 'a'), undefined);
    });

    test('two claimers never get the same request; leases expire and are reclaimed', async () => {
      const records = Array.from({ length: 10 }, () => requestFixture({ dueAt: 100 }));
      for (const r of records) await store.insertRequest(r, accepted(r), 0);
      const [a, b] = await Promise.all([store.claimDueRequests(200, 'A', 1200, 6), store.claimDueRequests(200, 'B', 1200, 6)]);
      const tokens = [...a, ...b].map((r) => r.token);
      assert.equal(new Set(tokens).size, tokens.length, 'no request claimed twice');
      assert.equal(tokens.length, 10);
      assert.ok(a.every((r) => r.leaseOwner === 'A') && b.every((r) => r.leaseOwner === 'B'));
      assert.equal((await store.claimDueRequests(1000, 'C', 2000, 10)).length, 0, 'leases still held');
      const reclaimed = await store.claimDueRequests(1300, 'C', 2300, 10);
      assert.equal(reclaimed.length, 10, 'expired leases are reclaimed');
    });

    test('only due requests are claimed; nextDueAt reports the earliest', async () => {
      const soon = requestFixture({ dueAt: 500 });
      const later = requestFixture({ dueAt: 900 });
      const done = requestFixture({ status: 'SUCCESS', terminalAt: 10 });
      delete done.dueAt;
      for (const r of [soon, later, done]) await store.insertRequest(r, accepted(r), 0);
      assert.equal(await store.nextDueAt(), 500);
      assert.deepEqual((await store.claimDueRequests(600, 'A', 5000, 10)).map((r) => r.token), [soon.token]);
      assert.equal(await store.nextDueAt(), 900, 'a leased request is not due before its lease ends');
    });

    test('listRequests: newest first, filters, stable paging', async () => {
      const made: RequestRecord[] = [];
      for (const [operation, status] of [['CREATE', 'SUCCESS'], ['DELETE', 'FAILED'], ['UPDATE', 'SUCCESS'], ['CREATE', 'FAILED'], ['CREATE', 'IN_PROGRESS']] as const) {
        const r = requestFixture({ operation, status });
        const out = await store.insertRequest(r, accepted(r), 0);
        if (out.kind === 'inserted') made.push(out.record);
      }
      const all = await store.listRequests(SCOPE, {}, undefined, 100);
      assert.deepEqual(all.map((r) => r.token), made.map((r) => r.token).reverse());
      const failedCreatesOrUpdates = await store.listRequests(SCOPE, { operations: ['CREATE', 'UPDATE'], statuses: ['FAILED'] }, undefined, 100);
      assert.deepEqual(failedCreatesOrUpdates.map((r) => r.token), [made[3]!.token]);
      const page1 = await store.listRequests(SCOPE, {}, undefined, 2);
      const fresh = requestFixture();
      await store.insertRequest(fresh, accepted(fresh), 0);
      const page2 = await store.listRequests(SCOPE, {}, page1[1]!.seq, 2);
      assert.deepEqual(page2.map((r) => r.token), [made[2]!.token, made[1]!.token], 'a new request does not shift later pages');
      assert.equal((await store.listRequests(OTHER, {}, undefined, 100)).length, 0);
    });

    test('retention purge deletes only terminal requests past the cutoff, with their history', async () => {
      const old = requestFixture({ status: 'SUCCESS', terminalAt: 100 });
      const recent = requestFixture({ status: 'SUCCESS', terminalAt: 10_000 });
      const active = requestFixture();
      for (const r of [old, recent, active]) await store.insertRequest(r, accepted(r), 0);
      assert.equal(await store.purgeRequests(5000, 10), 1);
      assert.equal(await store.getRequest(old.token), undefined);
      assert.equal((await store.history(old.token)).length, 0);
      assert.ok(await store.getRequest(recent.token));
      assert.ok(await store.getRequest(active.token));
    });
  });
}
