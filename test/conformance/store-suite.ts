/**
 * The Store conformance suite: every backend runs these same tests (SQLite and PostgreSQL). Skips, where
 * a capability truly differs, must state their reason. The concurrency tests issue their calls at once:
 * SQLite serializes them; PostgreSQL runs them as concurrent transactions (several group commits in
 * flight on separate connections). postgres.test.ts adds two stores, i.e. two nodes, claiming at once.
 */
import { describe, test, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import type { HistoryEntry, RequestRecord } from '../../src/domain/records.js';
import { INDEXED_VALUE_MAX_BYTES, MARKER_TYPE_NAME, ResourceWriteConflict, type ResourceWrite, type Store } from '../../src/store/store.js';

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

export interface ConformanceOptions {
  /** Skips the whole suite, e.g. when the database is not reachable; the reason is shown. */
  skip?: string;
}

export function storeConformance(name: string, open: () => Promise<Store>, options: ConformanceOptions = {}): void {
  describe(`Store conformance: ${name}`, options.skip ? { skip: options.skip } : {}, () => {
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

    test('status reads: the rendered event, hooks progress when present, scope; concurrent reads of different tokens each get their own', async () => {
      const plain = requestFixture({ status: 'SUCCESS', terminalAt: 2000, dueAt: undefined });
      const hooked = requestFixture({ ...OTHER, status: 'PENDING', hooksRequestToken: 'h-1', hooksProgress: '[{"HookStatus":"HOOK_IN_PROGRESS"}]' });
      await store.insertRequest(plain, accepted(plain), 0);
      await store.insertRequest(hooked, accepted(hooked), 0);
      // Issued together, as concurrent polls are: a store may answer them with one query.
      const [a, b, missing, again] = await Promise.all([
        store.getRequestStatus(plain.token),
        store.getRequestStatus(hooked.token),
        store.getRequestStatus('no-such-token'),
        store.getRequestStatus(plain.token),
      ]);
      assert.equal(missing, undefined);
      assert.deepEqual(a, again);
      assert.equal(a!.accountId, SCOPE.accountId);
      assert.equal(a!.terminalAt, 2000);
      assert.equal(a!.hooksProgress, undefined);
      assert.equal(JSON.parse(a!.progressEvent).OperationStatus, 'SUCCESS');
      assert.equal(b!.accountId, OTHER.accountId);
      assert.equal(b!.hooksProgress, '[{"HookStatus":"HOOK_IN_PROGRESS"}]');
      assert.equal(JSON.parse(b!.progressEvent).HooksRequestToken, 'h-1');
      const back = await store.getRequest(hooked.token);
      assert.equal(back!.hooksRequestToken, 'h-1');
      assert.equal((await store.getRequestByHooksToken('h-1'))!.token, hooked.token);
      assert.equal(await store.getRequestByHooksToken('h-2'), undefined);
      assert.equal(back!.hooksProgress, '[{"HookStatus":"HOOK_IN_PROGRESS"}]');
    });

    test('a status read after a transition or a purge sees it, even right after an earlier read of the same request', async () => {
      const r = requestFixture();
      await store.insertRequest(r, accepted(r), 0);
      assert.equal(JSON.parse((await store.getRequestStatus(r.token))!.progressEvent).OperationStatus, 'IN_PROGRESS');
      const done: RequestRecord = { ...r, status: 'SUCCESS', version: r.version + 1, eventTime: 1500, terminalAt: 1500 };
      delete done.dueAt;
      assert.equal(await store.applyTransition(done, r.version, undefined, []), true);
      const after = await store.getRequestStatus(r.token);
      assert.equal(JSON.parse(after!.progressEvent).OperationStatus, 'SUCCESS');
      assert.equal(after!.terminalAt, 1500);
      // A transition that loses its compare-and-set changes nothing a poll sees.
      assert.equal(await store.applyTransition({ ...done, status: 'FAILED', version: r.version + 1 }, r.version, undefined, []), false);
      assert.equal(JSON.parse((await store.getRequestStatus(r.token))!.progressEvent).OperationStatus, 'SUCCESS');
      assert.equal(await store.purgeRequests(2000, 10), 1);
      assert.equal(await store.getRequestStatus(r.token), undefined);
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

    test('a step that writes one resource twice sees its own first write', async () => {
      const r = requestFixture();
      await store.insertRequest(r, accepted(r), 0);
      const key = { scope: SCOPE, typeName: 'AWS::Logs::LogGroup' };
      const twice = [
        { kind: 'create' as const, ...key, identifier: 'twice', properties: '{"v":1}' },
        { kind: 'update' as const, ...key, identifier: 'twice', properties: '{"v":2}' },
        { kind: 'create' as const, ...key, identifier: 'gone', properties: '{}' },
        { kind: 'delete' as const, ...key, identifier: 'gone' },
      ];
      assert.equal(await store.applyTransition({ ...r, version: 2 }, 1, accepted(r), twice), true);
      assert.equal((await store.getResource(SCOPE, 'AWS::Logs::LogGroup', 'twice'))?.properties, '{"v":2}');
      assert.equal(await store.getResource(SCOPE, 'AWS::Logs::LogGroup', 'gone'), undefined);
      const conflicting = [twice[1]!, { ...twice[1]!, properties: '{"v":3}' }, { kind: 'create' as const, ...key, identifier: 'twice', properties: '{}' }];
      await assert.rejects(store.applyTransition({ ...r, version: 3 }, 2, accepted(r), conflicting), ResourceWriteConflict);
      assert.equal((await store.getResource(SCOPE, 'AWS::Logs::LogGroup', 'twice'))?.properties, '{"v":2}', 'rolled back whole');
      assert.equal((await store.getRequest(r.token))?.version, 2);
    });

    test('a conflicting write among many at once fails alone', async () => {
      const records = Array.from({ length: 20 }, () => requestFixture());
      await Promise.all(records.map((r) => store.insertRequest(r, accepted(r), 0)));
      const key = { scope: SCOPE, typeName: 'AWS::Logs::LogGroup' };
      await store.applyTransition({ ...records[0]!, version: 2 }, 1, undefined, [{ kind: 'create', ...key, identifier: 'taken', properties: '{}' }]);
      const outcomes = await Promise.allSettled(
        records.slice(1).map((r, i) =>
          store.applyTransition({ ...r, status: 'SUCCESS', version: 2 }, 1, accepted(r), [{ kind: 'create', ...key, identifier: i === 7 ? 'taken' : `free-${i}`, properties: '{}' }]),
        ),
      );
      outcomes.forEach((o, i) => {
        if (i === 7) assert.ok(o.status === 'rejected' && o.reason instanceof ResourceWriteConflict, 'the conflicting write is refused');
        else assert.deepEqual(o, { status: 'fulfilled', value: true });
      });
      assert.equal((await store.getRequest(records[8]!.token))?.status, 'IN_PROGRESS');
      assert.equal((await store.getRequest(records[9]!.token))?.status, 'SUCCESS');
      assert.equal((await store.listResources(SCOPE, 'AWS::Logs::LogGroup', undefined, 100)).length, 19);
    });

    test('resources: a list with maxBytes ends before the resource that would pass it, the first always comes', async () => {
      const r = requestFixture();
      await store.insertRequest(r, accepted(r), 0);
      // Bytes are UTF-8 bytes of identifier + properties: 'é' counts 2, '😀' 4.
      const sizes: Record<string, string> = { a: 'x'.repeat(40), b: 'é'.repeat(20), c: '😀'.repeat(10), d: 'x'.repeat(500), e: 'x' };
      const writes = Object.entries(sizes).map(([id, pad]) => ({ kind: 'create' as const, scope: SCOPE, typeName: 'AWS::SQS::Queue', identifier: id, properties: JSON.stringify({ pad }) }));
      assert.equal(await store.applyTransition({ ...r, version: 2 }, 1, undefined, writes), true);
      const ids = async (after: string | undefined, limit: number, maxBytes?: number) =>
        (await store.listResources(SCOPE, 'AWS::SQS::Queue', after, limit, maxBytes)).map((x) => x.identifier);
      // Each of a, b, c is 1 + 10 + 40 = 51 bytes.
      assert.deepEqual(await ids(undefined, 10, 102), ['a', 'b']);
      assert.deepEqual(await ids(undefined, 10, 153), ['a', 'b', 'c']);
      assert.deepEqual(await ids(undefined, 2, 10_000), ['a', 'b']);
      assert.deepEqual(await ids('c', 10, 100), ['d'], 'a resource bigger than maxBytes comes alone');
      assert.deepEqual(await ids('c', 10, 0), ['d']);
      assert.deepEqual(await ids('d', 10, 100), ['e']);
      assert.deepEqual(await ids('e', 10, 100), []);
      assert.deepEqual(await ids(undefined, 10), ['a', 'b', 'c', 'd', 'e']);
      assert.equal((await store.listResources(OTHER, 'AWS::SQS::Queue', undefined, 10, 100)).length, 0);
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

    test('countRequests: per status, and the due backlog as the claim sees it (#16 metrics)', async () => {
      assert.deepEqual(await store.countRequests(0), { byStatus: {}, due: 0 });
      const dueNow = requestFixture({ dueAt: 500 });
      const dueLater = requestFixture({ dueAt: 900 });
      const leased = requestFixture({ dueAt: 400 });
      const pending = requestFixture({ status: 'PENDING', dueAt: 550 });
      const done = requestFixture({ status: 'SUCCESS', terminalAt: 10 });
      delete done.dueAt;
      const failed = requestFixture({ status: 'FAILED', terminalAt: 10, errorCode: 'NotFound' });
      delete failed.dueAt;
      for (const r of [dueNow, dueLater, leased, pending, done, failed]) await store.insertRequest(r, accepted(r), 0);
      assert.equal((await store.claimDueRequests(450, 'A', 5000, 1)).length, 1); // leases `leased` (due first) until 5000
      assert.deepEqual(await store.countRequests(600), { byStatus: { IN_PROGRESS: 3, PENDING: 1, SUCCESS: 1, FAILED: 1 }, due: 2 });
      assert.deepEqual(await store.countRequests(6000), { byStatus: { IN_PROGRESS: 3, PENDING: 1, SUCCESS: 1, FAILED: 1 }, due: 4 }, 'an expired lease counts as due again');
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

    test('pagingKey: the first candidate stored is the key every later and concurrent call gets', async () => {
      const keys = await Promise.all(['k-a', 'k-b', 'k-c'].map((candidate) => store.pagingKey(candidate)));
      assert.equal(new Set(keys).size, 1, `one key, got ${keys.join(', ')}`);
      assert.ok(['k-a', 'k-b', 'k-c'].includes(keys[0]!) || keys[0]!.length > 0);
      assert.equal(await store.pagingKey('k-later'), keys[0]);
    });

    // Issue #17: a filter is read as its (operation, status) pairs and merged; every page must still be exactly
    // the newest matching requests before the cursor, in order, for every shape of filter.
    test('listRequests: filtered pages merge every (operation, status) pair in seq order, and page to the end', async () => {
      const shapes = [['CREATE', 'SUCCESS'], ['UPDATE', 'FAILED'], ['DELETE', 'SUCCESS'], ['CREATE', 'FAILED'], ['UPDATE', 'SUCCESS'], ['DELETE', 'CANCEL_COMPLETE']] as const;
      const made: RequestRecord[] = [];
      for (let i = 0; i < 30; i++) {
        const [operation, status] = shapes[(i * 7) % shapes.length]!;
        const r = requestFixture({ operation, status, dueAt: undefined, terminalAt: 1000 });
        const out = await store.insertRequest(r, accepted(r), 0);
        if (out.kind === 'inserted') made.push(out.record);
        const other = requestFixture({ ...OTHER, operation, status, dueAt: undefined, terminalAt: 1000 });
        await store.insertRequest(other, accepted(other), 0);
      }
      const filters = [
        { operations: ['CREATE' as const], statuses: ['SUCCESS' as const] },
        { operations: ['UPDATE' as const, 'DELETE' as const] },
        { statuses: ['FAILED' as const, 'CANCEL_COMPLETE' as const] },
        { operations: ['CREATE' as const, 'CREATE' as const], statuses: ['FAILED' as const, 'SUCCESS' as const] },
        { operations: ['DELETE' as const], statuses: ['FAILED' as const] },
        { operations: [], statuses: [] },
      ];
      for (const filter of filters) {
        const expected = made
          .filter((r) => (!filter.operations?.length || filter.operations.includes(r.operation as never)) && (!filter.statuses?.length || filter.statuses.includes(r.status as never)))
          .map((r) => r.token)
          .reverse();
        const got: string[] = [];
        let before: number | undefined;
        for (let pages = 0; pages < 40; pages++) {
          const page = await store.listRequests(SCOPE, filter, before, 4);
          got.push(...page.map((r) => r.token));
          if (page.length < 4) break;
          before = page[page.length - 1]!.seq;
        }
        assert.deepEqual(got, expected, `filter ${JSON.stringify(filter)}`);
      }
    });

    test('many claimers at once: every due request is claimed exactly once', async () => {
      const records = Array.from({ length: 120 }, () => requestFixture({ dueAt: 100 }));
      await Promise.all(records.map((r) => store.insertRequest(r, accepted(r), 0)));
      const claimedBy = new Map<string, string[]>();
      await Promise.all(
        Array.from({ length: 8 }, async (_, i) => {
          for (;;) {
            const batch = await store.claimDueRequests(200, `W${i}`, 5000, 4);
            if (batch.length === 0) return;
            for (const r of batch) {
              assert.equal(r.leaseOwner, `W${i}`);
              claimedBy.set(r.token, [...(claimedBy.get(r.token) ?? []), `W${i}`]);
            }
          }
        }),
      );
      const twice = [...claimedBy].filter(([, owners]) => owners.length > 1);
      assert.deepEqual(twice, [], 'no request claimed by two workers');
      assert.equal(claimedBy.size, records.length, 'every due request claimed');
    });

    test('a reclaimed lease wins: the worker that lost it fails its compare-and-set', async () => {
      const r = requestFixture({ dueAt: 100 });
      await store.insertRequest(r, accepted(r), 0);
      const [mine] = await store.claimDueRequests(200, 'A', 1000, 1);
      assert.equal(mine?.leaseOwner, 'A');
      const [theirs] = await store.claimDueRequests(1001, 'B', 2000, 1);
      assert.equal(theirs?.leaseOwner, 'B', 'an expired lease is reclaimed');
      assert.ok(theirs!.version > mine!.version, 'a claim is a versioned change');
      const stale = { ...mine!, status: 'SUCCESS' as const, version: mine!.version + 1 };
      delete stale.leaseOwner;
      delete stale.leaseUntil;
      assert.equal(await store.applyTransition(stale, mine!.version, accepted(stale), []), false, 'the step of the expired lease is discarded');
      const done = { ...theirs!, status: 'SUCCESS' as const, version: theirs!.version + 1 };
      assert.equal(await store.applyTransition(done, theirs!.version, accepted(done), []), true);
      assert.equal((await store.history(r.token)).length, 2, 'one terminal entry, from the winner only');
    });

    test('lease renewal keeps a running step its request, without a version change', async (t) => {
      if (!store.renewLeases) return t.skip('this store has no lease heartbeat (single process; its worker keeps 30 s leases)');
      const r = requestFixture({ dueAt: 100 });
      await store.insertRequest(r, accepted(r), 0);
      const [mine] = await store.claimDueRequests(200, 'A', 1000, 1);
      assert.deepEqual(await store.renewLeases('B', [r.token], 9000), [r.token], 'only the owner renews; to B it is held by another');
      assert.deepEqual(await store.renewLeases('A', [r.token, 'no-such-token'], 3000), [], 'nothing lost');
      assert.equal((await store.claimDueRequests(2000, 'B', 4000, 1)).length, 0, 'the renewed lease still holds');
      assert.equal(await store.nextDueAt(), 3000, 'not due before the renewed lease ends');
      const back = await store.getRequest(r.token);
      assert.equal(back?.version, mine!.version, 'a renewal is not a transition');
      assert.equal(back?.leaseUntil, 3000);
      assert.equal((await store.claimDueRequests(3001, 'B', 5000, 1)).length, 1, 'and expires like any lease');
      assert.deepEqual(await store.renewLeases('A', [r.token], 9000), [r.token], 'taken over: reported lost');
      assert.equal((await store.getRequest(r.token))?.leaseUntil, 5000, 'and not renewed');
      const done = { ...(await store.getRequest(r.token))!, status: 'SUCCESS' as const };
      delete done.leaseOwner;
      delete done.leaseUntil;
      await store.applyTransition({ ...done, version: done.version + 1 }, done.version, undefined, []);
      assert.deepEqual(await store.renewLeases('B', [r.token], 9000), [], 'a lease its own step released is not lost');
    });

    test('a cancel racing a step: exactly one compare-and-set wins, and resource writes follow the winner', async () => {
      const records = Array.from({ length: 24 }, (_, i) => requestFixture({ dueAt: 100, identifier: `race-${i}`, lockKey: `race-${i}` }));
      await Promise.all(records.map((r) => store.insertRequest(r, accepted(r), 0)));
      const claimed = await store.claimDueRequests(200, 'W', 5000, records.length);
      assert.equal(claimed.length, records.length);
      const outcomes = await Promise.all(
        claimed.map(async (c) => {
          const finished: RequestRecord = { ...c, status: 'SUCCESS', version: c.version + 1, terminalAt: 300 };
          delete finished.lockKey;
          delete finished.leaseOwner;
          delete finished.leaseUntil;
          delete finished.dueAt;
          const cancelling: RequestRecord = { ...c, status: 'CANCEL_IN_PROGRESS', version: c.version + 1, dueAt: 300 };
          const write = { kind: 'create' as const, scope: SCOPE, typeName: c.typeName, identifier: c.identifier!, properties: '{}' };
          const [step, cancel] = await Promise.all([
            store.applyTransition(finished, c.version, accepted(finished), [write]),
            store.applyTransition(cancelling, c.version, accepted(cancelling), []),
          ]);
          return { c, step, cancel };
        }),
      );
      for (const { c, step, cancel } of outcomes) {
        assert.notEqual(step, cancel, `exactly one of step and cancel wins for ${c.token}`);
        const back = await store.getRequest(c.token);
        assert.equal(back?.status, step ? 'SUCCESS' : 'CANCEL_IN_PROGRESS');
        assert.equal(back?.version, c.version + 1);
        assert.equal(Boolean(await store.getResource(SCOPE, c.typeName, c.identifier!)), step, 'the resource exists only if the step won');
        assert.equal((await store.history(c.token)).length, 2);
      }
    });

    test('requests accepted at once with one client token or for one resource: exactly one is inserted', async () => {
      const sameToken = Array.from({ length: 8 }, () => requestFixture({ clientToken: 'race-token' }));
      const tokenOutcomes = await Promise.all(sameToken.map((r) => store.insertRequest(r, accepted(r), 0)));
      const inserted = tokenOutcomes.filter((o) => o.kind === 'inserted');
      assert.equal(inserted.length, 1, 'one request per client token');
      const winner = inserted[0]!.kind === 'inserted' ? inserted[0]!.record.token : '';
      for (const o of tokenOutcomes) if (o.kind === 'clientTokenUsed') assert.equal(o.existing.token, winner);
      assert.equal(tokenOutcomes.filter((o) => o.kind === 'clientTokenUsed').length, sameToken.length - 1);

      const sameResource = Array.from({ length: 8 }, () => requestFixture({ lockKey: 'race-resource' }));
      const lockOutcomes = await Promise.all(sameResource.map((r) => store.insertRequest(r, accepted(r), 0)));
      const holders = lockOutcomes.filter((o) => o.kind === 'inserted');
      assert.equal(holders.length, 1, 'one active request per resource');
      const holder = holders[0]!.kind === 'inserted' ? holders[0]!.record.token : '';
      for (const o of lockOutcomes) if (o.kind === 'locked') assert.equal(o.holderToken, holder);
      assert.equal(lockOutcomes.filter((o) => o.kind === 'locked').length, sameResource.length - 1);
    });

    test('timelines keep their order', async () => {
      const r = requestFixture();
      await store.insertRequest(r, accepted(r), 0);
      for (let v = 1; v <= 5; v++) {
        const next = { ...r, stepCount: v, version: v + 1, eventTime: 1000 + v };
        assert.equal(await store.applyTransition(next, v, { ...accepted(next), detail: `step ${v}` }, []), true);
      }
      assert.deepEqual((await store.history(r.token)).map((e) => e.detail), ['accepted', 'step 1', 'step 2', 'step 3', 'step 4', 'step 5']);
    });

    // Strings a caller or a handler can put in any text the store keeps: Identifier and HandlerNextToken are
    // `.+`, which admits U+0000 and lone surrogates (see src/store/stored-text.ts), models carry anything
    // JSON can, and status messages quote identifiers. Each must come back exactly, and lookups by it
    // must find it and only it, on every store.
    const HOSTILE: [string, string][] = [
      ['NUL', 'a\u0000b'],
      ['a lone high surrogate', 'a\ud800'],
      ['a lone low surrogate', '\udc00b'],
      ['a 4-byte character', 'a\u{1F600}b'],
      ['the stores\u2019 escape character', 'a\u0001b'],
      ['what an escape looks like', 'a\u00010\u0001uD800'],
    ];

    for (const [what, s] of HOSTILE) {
      test(`text with ${what}: every string a request holds round-trips, and each lookup finds it`, async () => {
        const scope = { accountId: `acct${s}`, region: `region${s}` };
        const r = requestFixture({
          ...scope,
          token: `tok${s}${n}`,
          fingerprint: `fp${s}`,
          typeName: `Type${s}`,
          clientToken: `ct${s}`,
          identifier: `id${s}`,
          lockKey: `id${s}`,
          roleArn: `arn:aws:iam::123456789012:role/${s}`,
          typeVersionId: `v${s}`,
          statusMessage: `Resource with identifier 'id${s}' was not found.`,
          hooksRequestToken: `hooks${s}${n}`,
          desiredState: JSON.stringify({ Name: s }),
          resourceModel: JSON.stringify({ Name: s }),
          callbackContext: JSON.stringify({ phase: s }),
          hooksProgress: JSON.stringify([{ HookStatusMessage: s }]),
        });
        const history = { ...accepted(r), detail: `accepted ${s}`, statusMessage: `message ${s}` };
        assert.equal((await store.insertRequest(r, history, 0)).kind, 'inserted');
        const back = await store.getRequest(r.token);
        assert.deepEqual({ ...back, seq: undefined }, { ...r, seq: undefined });
        assert.equal((await store.findByClientToken(scope, r.clientToken!, 0))?.token, r.token);
        assert.equal((await store.findLockHolder(scope, r.typeName, r.lockKey!))?.token, r.token);
        assert.equal((await store.getRequestByHooksToken(r.hooksRequestToken!))?.token, r.token);
        assert.deepEqual((await store.listRequests(scope, {}, undefined, 10)).map((x) => x.token), [r.token]);
        const again = requestFixture({ ...scope, typeName: r.typeName, clientToken: r.clientToken! });
        assert.deepEqual(await store.insertRequest(again, accepted(again), 0), { kind: 'clientTokenUsed', existing: back });
        const locked = requestFixture({ ...scope, typeName: r.typeName, lockKey: r.lockKey! });
        assert.deepEqual(await store.insertRequest(locked, accepted(locked), 0), { kind: 'locked', holderToken: r.token });

        const status = await store.getRequestStatus(r.token);
        assert.equal(status?.accountId, scope.accountId);
        assert.equal(status?.region, scope.region);
        const event = JSON.parse(status!.progressEvent) as Record<string, unknown>;
        assert.deepEqual([event.Identifier, event.StatusMessage, event.RequestToken], [r.identifier, r.statusMessage, r.token]);
        assert.deepEqual(await store.history(r.token), [history]);

        // A transition keeps them too, and a claim and a lease renewal work with such an owner.
        const claimed = await store.claimDueRequests(5000, `owner${s}`, 9000, 10);
        assert.deepEqual(claimed.map((c) => [c.token, c.leaseOwner]), [[r.token, `owner${s}`]]);
        if (store.renewLeases) assert.deepEqual(await store.renewLeases(`owner${s}`, [r.token], 9500), []);
        const done: RequestRecord = { ...claimed[0]!, status: 'FAILED', errorCode: 'NotFound', statusMessage: `gone ${s}`, version: claimed[0]!.version + 1, terminalAt: 6000 };
        delete done.lockKey;
        delete done.leaseOwner;
        delete done.leaseUntil;
        delete done.dueAt;
        assert.equal(await store.applyTransition(done, claimed[0]!.version, { ...accepted(done), detail: `failed ${s}`, statusMessage: done.statusMessage! }, []), true);
        assert.deepEqual({ ...(await store.getRequest(r.token)), seq: undefined }, { ...done, seq: undefined });
        assert.equal(JSON.parse((await store.getRequestStatus(r.token))!.progressEvent).StatusMessage, `gone ${s}`);
        assert.equal((await store.history(r.token))[1]?.detail, `failed ${s}`);
        assert.equal(await store.purgeRequests(7000, 10), 1);
        assert.equal(await store.getRequestStatus(r.token), undefined);
      });

      test(`text with ${what}: a resource keyed by it is created, read, listed, updated and deleted`, async () => {
        const r = requestFixture();
        await store.insertRequest(r, accepted(r), 0);
        const key = { scope: { accountId: `acct${s}`, region: `region${s}` }, typeName: `Type${s}` };
        const properties = JSON.stringify({ Name: s, Nested: { Value: `v${s}` } });
        assert.equal(await store.applyTransition({ ...r, version: 2 }, 1, undefined, [{ kind: 'create', ...key, identifier: s, properties }]), true);
        const read = await store.getResource(key.scope, key.typeName, s);
        assert.deepEqual([read?.typeName, read?.identifier, read?.properties], [key.typeName, s, properties]);
        assert.deepEqual((await store.listResources(key.scope, key.typeName, undefined, 10)).map((x) => x.identifier), [s]);
        assert.deepEqual(await store.listResources(key.scope, key.typeName, s, 10), [], 'a NextToken of the last identifier ends the list');
        await assert.rejects(store.applyTransition({ ...r, version: 3 }, 2, undefined, [{ kind: 'create', ...key, identifier: s, properties }]), ResourceWriteConflict);
        assert.equal(await store.applyTransition({ ...r, version: 3 }, 2, undefined, [{ kind: 'update', ...key, identifier: s, properties: '{"v":2}' }]), true);
        assert.equal((await store.getResource(key.scope, key.typeName, s))?.properties, '{"v":2}');
        assert.equal(await store.applyTransition({ ...r, version: 4 }, 3, undefined, [{ kind: 'delete', ...key, identifier: s }]), true);
        assert.equal(await store.getResource(key.scope, key.typeName, s), undefined);
      });

      test(`text with ${what}: looking up what was never stored finds nothing, and throws nothing`, async () => {
        assert.equal(await store.getRequest(s), undefined);
        assert.equal(await store.getRequestStatus(s), undefined);
        assert.equal(await store.getRequestByHooksToken(s), undefined);
        assert.equal(await store.findByClientToken({ accountId: s, region: s }, s, 0), undefined);
        assert.equal(await store.findLockHolder(SCOPE, s, s), undefined);
        assert.deepEqual(await store.history(s), []);
        assert.deepEqual(await store.listRequests({ accountId: s, region: s }, {}, undefined, 10), []);
        assert.equal(await store.getResource(SCOPE, 'AWS::Logs::LogGroup', s), undefined);
        assert.deepEqual(await store.listResources(SCOPE, 'AWS::Logs::LogGroup', s, 10), []);
        assert.deepEqual(await store.claimDueRequests(0, s, 1, 10), []);
        if (store.renewLeases) assert.deepEqual(await store.renewLeases(s, [s], 1), []);
      });
    }

    test('identifiers that UTF-8 would make equal stay distinct, and list in the same order on every store', async () => {
      const r = requestFixture();
      await store.insertRequest(r, accepted(r), 0);
      // The order: U+0000, then U+0001 (the escape character), then lone surrogates, then the rest bytewise
      // as UTF-8 (so U+FFFD before a 4-byte character). See src/store/stored-text.ts.
      const ordered = ['k\u0000', 'k\u0001', 'k\u00010', 'k\u0001uD800', 'k\ud800', 'k\udc00', 'ka', 'k\ufffd', 'k\u{1F600}'];
      const key = { scope: SCOPE, typeName: 'AWS::Logs::LogGroup' };
      const writes = [...ordered].reverse().map((identifier) => ({ kind: 'create' as const, ...key, identifier, properties: JSON.stringify({ identifier }) }));
      assert.equal(await store.applyTransition({ ...r, version: 2 }, 1, undefined, writes), true, 'none of them collides with another');
      for (const identifier of ordered) assert.equal((await store.getResource(SCOPE, key.typeName, identifier))?.properties, JSON.stringify({ identifier }));
      assert.deepEqual((await store.listResources(SCOPE, key.typeName, undefined, 100)).map((x) => x.identifier), ordered);
      // Paging one at a time, each NextToken being the last identifier seen, visits each exactly once.
      const paged: string[] = [];
      for (let after: string | undefined; ; ) {
        const [next] = await store.listResources(SCOPE, key.typeName, after, 1);
        if (!next) break;
        paged.push((after = next.identifier));
      }
      assert.deepEqual(paged, ordered);
    });

    // ---- resource index (issues #15, #17): findResources and its maintenance by applyTransition

    const SUBNET = 'AWS::EC2::Subnet';
    const subnet = (identifier: string, vpc: string, kind: 'create' | 'update' = 'create', extra: { path: string; value: string }[] = []): ResourceWrite => ({
      kind, scope: SCOPE, typeName: SUBNET, identifier, properties: JSON.stringify({ SubnetId: identifier, VpcId: vpc }), indexed: [{ path: 'VpcId', value: vpc }, ...extra],
    });
    const found = async (path: string, value: string, limit = 100, scope = SCOPE, typeName = SUBNET) =>
      (await store.findResources(scope, typeName, path, value, limit)).map((x) => x.identifier);

    test('resource index: a create indexes its values; findResources answers in identifier order, up to limit, scoped', async () => {
      const r = requestFixture();
      await store.insertRequest(r, accepted(r), 0);
      const writes = [subnet('subnet-c', 'vpc-1'), subnet('subnet-a', 'vpc-1'), subnet('subnet-b', 'vpc-2'), subnet('subnet-d', 'vpc-1', 'create', [{ path: 'Tags/*', value: 'x' }, { path: 'Tags/*', value: 'y' }])];
      assert.equal(await store.applyTransition({ ...r, version: 2 }, 1, undefined, writes), true);
      assert.deepEqual(await found('VpcId', 'vpc-1'), ['subnet-a', 'subnet-c', 'subnet-d']);
      assert.deepEqual(await found('VpcId', 'vpc-1', 2), ['subnet-a', 'subnet-c']);
      assert.deepEqual(await found('VpcId', 'vpc-2'), ['subnet-b']);
      assert.deepEqual(await found('Tags/*', 'y'), ['subnet-d'], 'each element of an array is found');
      assert.deepEqual(await found('VpcId', 'vpc-3'), []);
      assert.deepEqual(await found('SubnetId', 'subnet-a'), [], 'only the values given are indexed');
      assert.deepEqual(await found('VpcId', 'vpc-1', 100, OTHER), [], 'another account sees none of them');
      assert.deepEqual(await found('VpcId', 'vpc-1', 100, SCOPE, 'AWS::EC2::VPC'), [], 'another type sees none of them');
      const [first] = await store.findResources(SCOPE, SUBNET, 'VpcId', 'vpc-2', 1);
      assert.equal(first?.properties, JSON.stringify({ SubnetId: 'subnet-b', VpcId: 'vpc-2' }), 'the whole resource comes back');
    });

    test('resource index: an update replaces the set, a delete removes it, a rolled-back step leaves it as it was', async () => {
      const r = requestFixture();
      await store.insertRequest(r, accepted(r), 0);
      await store.applyTransition({ ...r, version: 2 }, 1, undefined, [subnet('subnet-a', 'vpc-1', 'create', [{ path: 'Cidr', value: '10.0.0.0/24' }])]);
      // Moved to vpc-2; Cidr unchanged (kept), a new value added.
      await store.applyTransition({ ...r, version: 3 }, 2, undefined, [subnet('subnet-a', 'vpc-2', 'update', [{ path: 'Cidr', value: '10.0.0.0/24' }, { path: 'Az', value: 'us-east-1a' }])]);
      assert.deepEqual(await found('VpcId', 'vpc-1'), [], 'the old value is gone');
      assert.deepEqual(await found('VpcId', 'vpc-2'), ['subnet-a']);
      assert.deepEqual(await found('Cidr', '10.0.0.0/24'), ['subnet-a']);
      assert.deepEqual(await found('Az', 'us-east-1a'), ['subnet-a']);
      // An update without `indexed` leaves nothing indexed (the write carries the full set).
      await store.applyTransition({ ...r, version: 4 }, 3, undefined, [{ kind: 'update', scope: SCOPE, typeName: SUBNET, identifier: 'subnet-a', properties: '{}' }]);
      assert.deepEqual(await found('VpcId', 'vpc-2'), []);
      await store.applyTransition({ ...r, version: 5 }, 4, undefined, [subnet('subnet-a', 'vpc-9', 'update')]);
      // A step whose write conflicts is undone whole: the index too.
      await assert.rejects(store.applyTransition({ ...r, version: 6 }, 5, undefined, [subnet('subnet-a', 'vpc-8', 'update'), subnet('subnet-a', 'vpc-7', 'create')]), ResourceWriteConflict);
      assert.deepEqual(await found('VpcId', 'vpc-9'), ['subnet-a']);
      assert.deepEqual(await found('VpcId', 'vpc-8'), []);
      await store.applyTransition({ ...r, version: 6 }, 5, undefined, [{ kind: 'delete', scope: SCOPE, typeName: SUBNET, identifier: 'subnet-a' }]);
      assert.deepEqual(await found('VpcId', 'vpc-9'), [], 'deleted with the resource');
      // Created again under the same identifier: only the new values.
      await store.applyTransition({ ...r, version: 7 }, 6, undefined, [subnet('subnet-a', 'vpc-5')]);
      assert.deepEqual(await found('VpcId', 'vpc-5'), ['subnet-a']);
      assert.deepEqual(await found('Cidr', '10.0.0.0/24'), []);
    });

    test('resource index: a step writing one resource several times indexes its last state; a lost compare-and-set indexes nothing', async () => {
      const r = requestFixture();
      await store.insertRequest(r, accepted(r), 0);
      const writes: ResourceWrite[] = [subnet('subnet-a', 'vpc-1'), subnet('subnet-a', 'vpc-2', 'update'), subnet('subnet-b', 'vpc-1'), { kind: 'delete', scope: SCOPE, typeName: SUBNET, identifier: 'subnet-b' }];
      assert.equal(await store.applyTransition({ ...r, version: 2 }, 1, undefined, writes), true);
      assert.deepEqual(await found('VpcId', 'vpc-1'), []);
      assert.deepEqual(await found('VpcId', 'vpc-2'), ['subnet-a']);
      assert.equal(await store.applyTransition({ ...r, version: 3 }, 1, undefined, [subnet('subnet-c', 'vpc-3')]), false);
      assert.deepEqual(await found('VpcId', 'vpc-3'), []);
    });

    test(`resource index: values of odd text are found by themselves; a value over ${INDEXED_VALUE_MAX_BYTES} bytes is not indexed`, async () => {
      const r = requestFixture();
      await store.insertRequest(r, accepted(r), 0);
      const odd = ['a\u0000b', 'x\ud800', 'é', '%', '_', "it's"];
      const atCap = 'é'.repeat(INDEXED_VALUE_MAX_BYTES / 2);
      const overCap = atCap + 'a';
      const writes = [...odd, atCap, overCap].map((value, i) => subnet(`subnet-${i}`, value));
      assert.equal(await store.applyTransition({ ...r, version: 2 }, 1, undefined, writes), true);
      for (const [i, value] of odd.entries()) assert.deepEqual(await found('VpcId', value), [`subnet-${i}`], JSON.stringify(value));
      assert.deepEqual(await found('VpcId', 'a'), [], 'no prefix or pattern matching');
      assert.deepEqual(await found('VpcId', atCap), [`subnet-${odd.length}`], 'a value of exactly the cap is found');
      assert.deepEqual(await found('VpcId', overCap), [], 'a value over the cap is not findable');
      assert.ok(await store.getResource(SCOPE, SUBNET, `subnet-${odd.length + 1}`), 'its resource is stored all the same');
    });

    test('resource index: a store migrated before it held resources has nothing to backfill', async () => {
      const r = requestFixture();
      await store.insertRequest(r, accepted(r), 0);
      await store.applyTransition({ ...r, version: 2 }, 1, undefined, [subnet('subnet-a', 'vpc-1')]);
      assert.equal(await store.backfillResourceIndex(() => assert.fail('resources written since migration 006 carry their own index'), 10), 0);
    });

    // Pre-existing resources (#15: the default VPC, seed files)
    test('provisionOnce: the marker and the resources in one go, once per scope and marker; racing calls: exactly one does it', async () => {
      const vpc = { typeName: 'AWS::EC2::VPC', identifier: 'vpc-0123456789abcdef0', properties: '{"VpcId":"vpc-0123456789abcdef0"}' };
      const subnet = { typeName: 'AWS::EC2::Subnet', identifier: 'subnet-0123456789abcdef0', properties: '{"SubnetId":"subnet-0123456789abcdef0"}' };
      assert.equal(await store.hasMarker(SCOPE, 'default-vpc'), false);
      // Issued together: PostgreSQL runs them as concurrent transactions.
      const outcomes = await Promise.all([store.provisionOnce(SCOPE, 'default-vpc', [vpc, subnet], 5000), store.provisionOnce(SCOPE, 'default-vpc', [vpc, subnet], 5001)]);
      assert.deepEqual(outcomes.sort(), [false, true]);
      assert.equal(await store.hasMarker(SCOPE, 'default-vpc'), true);
      const stored = await store.getResource(SCOPE, 'AWS::EC2::VPC', vpc.identifier);
      assert.equal(stored?.properties, vpc.properties);
      assert.equal(stored?.createdAt, 5000);
      assert.equal((await store.listResources(SCOPE, 'AWS::EC2::Subnet', undefined, 10)).length, 1);
      // Markers are per scope; another scope's set-up is its own.
      assert.equal(await store.hasMarker(OTHER, 'default-vpc'), false);
      assert.equal(await store.getResource(OTHER, 'AWS::EC2::VPC', vpc.identifier), undefined);
      // A resource deleted after the set-up is not brought back by another attempt: the marker decides.
      const r = requestFixture({ status: 'IN_PROGRESS' });
      await store.insertRequest(r, accepted(r), 0);
      assert.equal(await store.applyTransition({ ...r, version: 2, status: 'SUCCESS' }, 1, undefined, [{ kind: 'delete', scope: SCOPE, typeName: 'AWS::EC2::VPC', identifier: vpc.identifier }]), true);
      assert.equal(await store.provisionOnce(SCOPE, 'default-vpc', [vpc], 6000), false);
      assert.equal(await store.getResource(SCOPE, 'AWS::EC2::VPC', vpc.identifier), undefined);
      // A marker with no resources (a seed entry that was created) is still a marker; and never a listed resource type.
      assert.equal(await store.provisionOnce(SCOPE, 'seed:abc', [], 7000), true);
      assert.equal(await store.hasMarker(SCOPE, 'seed:abc'), true);
      assert.equal(await store.hasMarker(SCOPE, 'seed:abd'), false);
      assert.ok((await store.listResourceKinds(undefined, 100)).every((kind) => kind.typeName !== MARKER_TYPE_NAME), 'markers are no resource kind (the console lists kinds)');
    });

    // ---- web console (issue #16)

    test('scanRequests: newest first across scopes, filtered, each call reading a bounded window and handing back a cursor', async () => {
      const a = requestFixture({ status: 'SUCCESS', terminalAt: 1 });
      const b = requestFixture({ ...OTHER, typeName: 'AWS::SQS::Queue', identifier: 'q-1' });
      const c = requestFixture({ operation: 'DELETE', identifier: 'lg-1' });
      const d = requestFixture({ ...OTHER, typeName: 'AWS::SQS::Queue', identifier: 'q-1', operation: 'UPDATE', status: 'FAILED', errorCode: 'NotFound', terminalAt: 1 });
      for (const r of [a, b, c, d]) await store.insertRequest(r, accepted(r), 0);
      const tokens = (scan: { records: RequestRecord[] }) => scan.records.map((r) => r.token);

      const all = await store.scanRequests({}, undefined, 10, 100);
      assert.deepEqual(tokens(all), [d, c, b, a].map((r) => r.token), 'every scope, newest first');
      assert.equal(all.nextBeforeSeq, undefined, 'the scan reached the oldest request');

      // A page cut by `limit` continues after its last record.
      const first = await store.scanRequests({}, undefined, 3, 100);
      assert.deepEqual(tokens(first), [d, c, b].map((r) => r.token));
      const rest = await store.scanRequests({}, first.nextBeforeSeq, 3, 100);
      assert.deepEqual(tokens(rest), [a.token]);
      assert.equal(rest.nextBeforeSeq, undefined);

      // A window of two rows holds no match for this filter: an empty page, with a cursor past the window.
      const sparse = await store.scanRequests({ statuses: ['SUCCESS'] }, undefined, 10, 2);
      assert.deepEqual(tokens(sparse), []);
      assert.ok(sparse.nextBeforeSeq !== undefined);
      const found = await store.scanRequests({ statuses: ['SUCCESS'] }, sparse.nextBeforeSeq, 10, 2);
      assert.deepEqual(tokens(found), [a.token]);

      assert.deepEqual(tokens(await store.scanRequests({ operations: ['DELETE', 'UPDATE'] }, undefined, 10, 100)), [d.token, c.token]);
      assert.deepEqual(tokens(await store.scanRequests({ typeName: 'AWS::SQS::Queue' }, undefined, 10, 100)), [d.token, b.token]);
      assert.deepEqual(tokens(await store.scanRequests({ scope: SCOPE }, undefined, 10, 100)), [c.token, a.token]);
      // The requests that touched one resource.
      assert.deepEqual(tokens(await store.scanRequests({ scope: OTHER, typeName: 'AWS::SQS::Queue', identifier: 'q-1' }, undefined, 10, 100)), [d.token, b.token]);
      assert.deepEqual(tokens(await store.scanRequests({ scope: SCOPE, typeName: 'AWS::SQS::Queue', identifier: 'q-1' }, undefined, 10, 100)), []);
      assert.deepEqual(await store.scanRequests({}, a.seq ?? (await store.getRequest(a.token))!.seq, 10, 100), { records: [] });
    });

    test('listResourceKinds: each (account, region, type) with resources once, in order, paged', async () => {
      const r = requestFixture({ status: 'IN_PROGRESS' });
      await store.insertRequest(r, accepted(r), 0);
      const writes = [
        { kind: 'create' as const, scope: OTHER, typeName: 'AWS::SQS::Queue', identifier: 'q-1', properties: '{}' },
        { kind: 'create' as const, scope: SCOPE, typeName: 'AWS::SQS::Queue', identifier: 'q-2', properties: '{}' },
        { kind: 'create' as const, scope: SCOPE, typeName: 'AWS::Logs::LogGroup', identifier: 'lg-1', properties: '{}' },
        { kind: 'create' as const, scope: SCOPE, typeName: 'AWS::Logs::LogGroup', identifier: 'lg-2', properties: '{}' },
        { kind: 'create' as const, scope: { ...SCOPE, region: 'eu-west-1' }, typeName: 'AWS::Logs::LogGroup', identifier: 'lg-3', properties: '{}' },
      ];
      const next: RequestRecord = { ...r, status: 'SUCCESS', version: r.version + 1, eventTime: 1200, terminalAt: 1200 };
      delete next.dueAt;
      assert.equal(await store.applyTransition(next, r.version, undefined, writes), true);
      const expected = [
        { ...SCOPE, region: 'eu-west-1', typeName: 'AWS::Logs::LogGroup' },
        { ...SCOPE, typeName: 'AWS::Logs::LogGroup' },
        { ...SCOPE, typeName: 'AWS::SQS::Queue' },
        { ...OTHER, typeName: 'AWS::SQS::Queue' },
      ];
      assert.deepEqual(await store.listResourceKinds(undefined, 10), expected);
      const page = await store.listResourceKinds(undefined, 2);
      assert.deepEqual(page, expected.slice(0, 2));
      assert.deepEqual(await store.listResourceKinds(page[1], 10), expected.slice(2));
    });

    test('retention purge works in batches', async () => {
      const old = Array.from({ length: 5 }, () => requestFixture({ status: 'SUCCESS', terminalAt: 100 }));
      for (const r of old) await store.insertRequest(r, accepted(r), 0);
      assert.deepEqual([await store.purgeRequests(5000, 2), await store.purgeRequests(5000, 2), await store.purgeRequests(5000, 2), await store.purgeRequests(5000, 2)], [2, 2, 1, 0]);
      for (const r of old) assert.equal(await store.getRequest(r.token), undefined);
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

    // Reset (issue #16): all tenants, or one account and/or region; what is outside the filter stays.
    const REGION_2 = { accountId: SCOPE.accountId, region: 'eu-west-1' };
    async function seedTenants(): Promise<RequestRecord[]> {
      const records = [SCOPE, OTHER, REGION_2].map((scope) => requestFixture({ ...scope, status: 'SUCCESS', terminalAt: 1500, dueAt: undefined }));
      for (const r of records) {
        await store.insertRequest(r, accepted(r), 0);
        await store.getRequestStatus(r.token); // remembered by stores that cache status views
        const created: RequestRecord = { ...r, version: r.version + 1 };
        const write = { kind: 'create' as const, scope: { accountId: r.accountId, region: r.region }, typeName: r.typeName, identifier: `res-${r.token}`, properties: '{}' };
        assert.equal(await store.applyTransition(created, r.version, undefined, [write]), true);
      }
      return records;
    }
    const present = async (r: RequestRecord) => ({
      request: (await store.getRequest(r.token)) !== undefined,
      status: (await store.getRequestStatus(r.token)) !== undefined,
      history: (await store.history(r.token)).length > 0,
      resource: (await store.getResource(r, r.typeName, `res-${r.token}`)) !== undefined,
    });
    const ALL = { request: true, status: true, history: true, resource: true };
    const NONE = { request: false, status: false, history: false, resource: false };

    test('reset of everything forgets every request, timeline, status view and resource', async () => {
      const records = await seedTenants();
      assert.deepEqual(await store.resetState({}), { requests: 3, resources: 3 });
      for (const r of records) assert.deepEqual(await present(r), NONE, r.accountId + ' ' + r.region);
      assert.deepEqual(await store.resetState({}), { requests: 0, resources: 0 });
      // The tables still work: a client token and a resource lock from before are free again.
      const again = requestFixture({ clientToken: 'ct-reset', lockKey: 'k' });
      assert.equal((await store.insertRequest(again, accepted(again), 0)).kind, 'inserted');
    });

    test('reset of one account, one region, or both forgets only that tenant', async () => {
      const [a, other, region2] = await seedTenants();
      assert.deepEqual(await store.resetState({ accountId: SCOPE.accountId, region: 'eu-west-1' }), { requests: 1, resources: 1 });
      assert.deepEqual([await present(a!), await present(other!), await present(region2!)], [ALL, ALL, NONE]);
      assert.deepEqual(await store.resetState({ accountId: OTHER.accountId }), { requests: 1, resources: 1 });
      assert.deepEqual([await present(a!), await present(other!)], [ALL, NONE]);
      assert.deepEqual(await store.resetState({ region: 'us-west-2' }), { requests: 0, resources: 0 });
      assert.deepEqual(await store.resetState({ region: 'us-east-1' }), { requests: 1, resources: 1 });
      assert.deepEqual(await present(a!), NONE);
    });

    test('a transition of a request forgotten by a reset changes nothing and writes no resource', async () => {
      const r = requestFixture({ dueAt: 100 });
      await store.insertRequest(r, accepted(r), 0);
      const [claimed] = await store.claimDueRequests(200, 'node', 5000, 1);
      assert.ok(claimed);
      await store.resetState({});
      const done: RequestRecord = { ...claimed, status: 'SUCCESS', version: claimed.version + 1, terminalAt: 300 };
      delete done.dueAt;
      const write = { kind: 'create' as const, scope: SCOPE, typeName: r.typeName, identifier: 'late', properties: '{}' };
      assert.equal(await store.applyTransition(done, claimed.version, accepted(done), [write]), false);
      assert.equal(await store.getResource(SCOPE, r.typeName, 'late'), undefined, 'the step\'s write did not resurrect anything');
      assert.equal(await store.getRequest(r.token), undefined);
      assert.deepEqual(await store.history(r.token), []);
    });

    test('fault rules: none saved at first; each save replaces the document and moves the version on', async () => {
      assert.deepEqual(await store.loadFaultRules(), { config: undefined, version: 0 });
      const first = await store.saveFaultRules('{"rules":[{"delayMs":5}]}');
      assert.deepEqual(first, { config: '{"rules":[{"delayMs":5}]}', version: 1 });
      assert.deepEqual(await store.loadFaultRules(), first);
      const saves = await Promise.all([store.saveFaultRules('{"rules":[]}'), store.saveFaultRules('{"seed":2,"rules":[]}')]);
      assert.deepEqual(saves.map((s) => s.version).sort(), [2, 3], 'saves at once still get distinct versions');
      const last = saves.find((s) => s.version === 3)!;
      assert.deepEqual(await store.loadFaultRules(), last);
      assert.deepEqual(await store.resetState({}), { requests: 0, resources: 0 });
      assert.deepEqual(await store.loadFaultRules(), last, 'a reset keeps the fault rules');
    });
  });
}
