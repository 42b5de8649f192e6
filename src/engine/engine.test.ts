// The engine's front door against an in-memory fake store and worker: acceptance (lease, first-step wait,
// ClientToken replay and conflict, the lock), cancel, look-ups in scope, and the 7-day retention.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock } from '../lib/clock.js';
import type { IdSource } from '../lib/ids.js';
import { ServiceError } from '../protocol/errors.js';
import type { HistoryEntry, RequestDraft, RequestRecord, RequestStatusView, Scope } from '../domain/records.js';
import type { InsertOutcome, RequestFilter, Store } from '../store/store.js';
import { CLIENT_TOKEN_WINDOW_MS, Engine, FIRST_STEP_WAIT_MS, RETENTION_MS } from './engine.js';
import { FaultInjector } from './faults.js';
import { nextPurgeBatch, PURGE_BATCH_MAX, PURGE_BATCH_MIN, PURGE_FIRST_BATCH } from './purge-pace.js';
import { HookRunner } from './hooks/runner.js';
import type { Worker } from './worker.js';

const scope: Scope = { accountId: '111111111111', region: 'us-east-1' };
const draft = (extra: Partial<RequestDraft> = {}): RequestDraft => ({ ...scope, typeName: 'Test::Engine::Thing', operation: 'CREATE', fingerprint: 'fp', lockKey: 'k', ...extra });

/** What the engine asked of the store, and canned answers for it. */
class FakeStore {
  records = new Map<string, RequestRecord>();
  inserted: { record: RequestRecord; history: HistoryEntry; clientTokensNotBefore: number }[] = [];
  insertAnswer?: (record: RequestRecord) => InsertOutcome;
  clientTokenLookups: { scope: Scope; clientToken: string; notBefore: number }[] = [];
  byClientToken?: RequestRecord;
  lockHolder?: RequestRecord;
  lockLookups: unknown[][] = [];
  views = new Map<string, RequestStatusView>();
  transitions: { next: RequestRecord; expectedVersion: number }[] = [];
  transitionAnswers: boolean[] = [];
  purgeCalls: { terminalBefore: number; batchSize: number }[] = [];
  purgeAnswers: number[] = [];
  listCalls: unknown[][] = [];

  async findByClientToken(s: Scope, clientToken: string, notBefore: number) {
    this.clientTokenLookups.push({ scope: s, clientToken, notBefore });
    return this.byClientToken;
  }
  async insertRequest(record: RequestRecord, history: HistoryEntry, clientTokensNotBefore: number): Promise<InsertOutcome> {
    this.inserted.push({ record: structuredClone(record), history, clientTokensNotBefore });
    const answer = this.insertAnswer?.(record) ?? { kind: 'inserted', record: { ...record, seq: 1 } };
    if (answer.kind === 'inserted') this.records.set(record.token, answer.record);
    return answer;
  }
  async getRequest(token: string) {
    return this.records.get(token);
  }
  async getRequestByHooksToken(hooksRequestToken: string) {
    return [...this.records.values()].find((r) => r.hooksRequestToken === hooksRequestToken);
  }
  async getRequestStatus(token: string) {
    return this.views.get(token);
  }
  async listRequests(s: Scope, filter: RequestFilter, beforeSeq: number | undefined, limit: number) {
    this.listCalls.push([s, filter, beforeSeq, limit]);
    return [...this.records.values()];
  }
  async findLockHolder(s: Scope, typeName: string, lockKey: string) {
    this.lockLookups.push([s, typeName, lockKey]);
    return this.lockHolder;
  }
  async applyTransition(next: RequestRecord, expectedVersion: number) {
    this.transitions.push({ next, expectedVersion });
    const ok = this.transitionAnswers.shift() ?? true;
    if (ok) this.records.set(next.token, next);
    return ok;
  }
  async history(token: string): Promise<HistoryEntry[]> {
    return [{ token, status: 'IN_PROGRESS', eventTime: 0, detail: 'accepted' }];
  }
  async purgeRequests(terminalBefore: number, batchSize: number) {
    this.purgeCalls.push({ terminalBefore, batchSize });
    return this.purgeAnswers.shift() ?? 0;
  }
}

class FakeWorker {
  fresh: RequestRecord[] = [];
  wakes = 0;
  /** How the first step behaves: resolves at once unless told to hang. */
  firstStep: () => Promise<void> = async () => {};
  leaseFrom(now: number) {
    return { leaseOwner: 'node-1', leaseUntil: now + 10_000 };
  }
  runFresh(record: RequestRecord) {
    this.fresh.push(record);
    return this.firstStep();
  }
  wake() {
    this.wakes++;
  }
}

const ids: IdSource = {
  uuid: () => 'hooks-token',
  timeOrderedUuid: () => 'request-token',
  random: () => 'x',
};

function setup(options: { faults?: FaultInjector; hooks?: HookRunner } = {}) {
  const store = new FakeStore();
  const worker = new FakeWorker();
  const clock = new ManualClock(1_000_000_000_000);
  const engine = new Engine(store as unknown as Store, worker as unknown as Worker, options.faults ?? new FaultInjector(), clock, ids, options.hooks);
  return { store, worker, clock, engine };
}

const record = (extra: Partial<RequestRecord> = {}): RequestRecord => ({
  ...draft(),
  token: 't',
  status: 'IN_PROGRESS',
  createdAt: 0,
  eventTime: 0,
  stepCount: 0,
  version: 1,
  ...extra,
});

async function rejectsWith(promise: Promise<unknown>, code: string, message: string) {
  await assert.rejects(promise, (e: unknown) => {
    assert.ok(e instanceof ServiceError, String(e));
    assert.deepEqual({ code: e.code, message: e.message }, { code, message });
    return true;
  });
}

test('the windows: ClientTokens for 36 hours, requests for 7 days, the first step waited for 25 ms', () => {
  assert.equal(CLIENT_TOKEN_WINDOW_MS, 36 * 3600_000);
  assert.equal(RETENTION_MS, 7 * 24 * 3600_000);
  assert.equal(FIRST_STEP_WAIT_MS, 25);
});

test('submit: a request due now is inserted with a lease, its first step run at once, and answered without the lease', async () => {
  const { store, worker, clock, engine } = setup();
  const now = clock.now();
  const outcome = await engine.submit(draft());
  assert.equal(outcome.kind, 'accepted');
  assert.equal(store.inserted.length, 1);
  const { record: inserted, history, clientTokensNotBefore } = store.inserted[0]!;
  assert.equal(inserted.token, 'request-token');
  assert.equal(inserted.status, 'IN_PROGRESS');
  assert.equal(inserted.createdAt, now);
  assert.equal(inserted.dueAt, now);
  assert.equal(inserted.leaseOwner, 'node-1');
  assert.equal(inserted.leaseUntil, now + 10_000);
  assert.deepEqual(history, { token: 'request-token', status: 'IN_PROGRESS', eventTime: now, detail: 'accepted' });
  assert.equal(clientTokensNotBefore, now - CLIENT_TOKEN_WINDOW_MS);
  assert.equal(worker.fresh.length, 1, 'the first step runs in this call');
  assert.equal(worker.fresh[0]!.seq, 1, 'on the record as stored');
  assert.equal(worker.wakes, 0);
  assert.equal(outcome.record.leaseOwner, undefined);
  assert.equal(outcome.record.leaseUntil, undefined);
  assert.equal(outcome.record.seq, 1);
  assert.equal(store.records.get('request-token')!.leaseOwner, 'node-1', 'the stored record keeps its lease');
});

test('submit: a first step slower than 25 ms is not waited for', async () => {
  const { worker, engine } = setup();
  let finish!: () => void;
  worker.firstStep = () => new Promise<void>((resolve) => (finish = resolve));
  const started = Date.now();
  const outcome = await engine.submit(draft());
  const waited = Date.now() - started;
  assert.equal(outcome.kind, 'accepted');
  assert.ok(waited >= FIRST_STEP_WAIT_MS - 2, `waited ${waited} ms`);
  assert.ok(waited < 2_000, `waited ${waited} ms`);
  finish();
});

test('submit: an injected delay makes the request due later: no lease, no first step, the worker woken', async () => {
  const faults = new FaultInjector({ rules: [{ typeName: 'Test::Engine::*', operation: 'CREATE', delayMs: 5_000 }] });
  const { store, worker, clock, engine } = setup({ faults });
  const outcome = await engine.submit(draft());
  const inserted = store.inserted[0]!.record;
  assert.equal(inserted.dueAt, clock.now() + 5_000);
  assert.equal(inserted.leaseOwner, undefined);
  assert.equal(store.inserted[0]!.history.detail, 'accepted; injected delay of 5000 ms');
  assert.equal(worker.fresh.length, 0);
  assert.equal(worker.wakes, 1);
  assert.equal(outcome.record.retryAfter, clock.now() + 5_000);
  await engine.submit(draft({ operation: 'DELETE' }));
  assert.equal(store.inserted[1]!.record.dueAt, clock.now(), 'the rule is for CREATE only');
});

test('submit: matching pre-provision hooks make the request PENDING with their token and pending entries', async () => {
  const hooks = new HookRunner([
    { typeName: 'Acme::Policy::Owner', targets: ['Test::*'], operations: ['CREATE'], failureMode: 'FAIL', conditions: [{ pointer: '/Owner', exists: true }] },
  ]);
  const { store, clock, engine } = setup({ hooks });
  await engine.submit(draft());
  const inserted = store.inserted[0]!.record;
  assert.equal(inserted.status, 'PENDING');
  assert.equal(inserted.hooksRequestToken, 'hooks-token');
  const progress = JSON.parse(inserted.hooksProgress!) as { HookTypeName: string; HookStatus: string; HookTypeArn: string; HookEventTime: number }[];
  assert.deepEqual(progress.map((p) => [p.HookTypeName, p.HookStatus, p.HookTypeArn, p.HookEventTime]), [
    ['Acme::Policy::Owner', 'HOOK_IN_PROGRESS', 'arn:aws:cloudformation:us-east-1:111111111111:type/hook/Acme-Policy-Owner', clock.now() / 1000],
  ]);
  assert.equal(store.inserted[0]!.history.detail, 'accepted; 1 pre-provision hook(s) to run');
  await engine.submit(draft({ operation: 'UPDATE' }));
  const update = store.inserted[1]!.record;
  assert.equal(update.status, 'IN_PROGRESS', 'the hook is for CREATE only');
  assert.equal(update.hooksProgress, undefined);
  assert.equal(update.hooksRequestToken, undefined);
});

test('submit: a ClientToken already used is a replay with the same request, a conflict with another', async () => {
  const { store, worker, engine } = setup();
  const original = record({ token: 'first', fingerprint: 'fp' });
  store.insertAnswer = () => ({ kind: 'clientTokenUsed', existing: original });
  const replay = await engine.submit(draft({ clientToken: 'ct' }));
  assert.deepEqual(replay, { kind: 'replayed', record: original });
  assert.equal(worker.fresh.length, 0);
  await rejectsWith(engine.submit(draft({ clientToken: 'ct', fingerprint: 'other' })), 'ClientTokenConflictException', 'The specified client token has already been used in another resource request');
});

test('submit: a locked resource is a ConcurrentOperationException naming the holder', async () => {
  const { store, engine } = setup();
  store.insertAnswer = () => ({ kind: 'locked', holderToken: 'holder' });
  await rejectsWith(engine.submit(draft({ lockKey: 'my-log-group' })), 'ConcurrentOperationException', 'Concurrent operation found for resource my-log-group with RequestToken holder');
});

test('replayed: looks back 36 hours; no token, no look-up; a different fingerprint conflicts', async () => {
  const { store, clock, engine } = setup();
  assert.equal(await engine.replayed(scope, undefined, 'fp'), undefined);
  assert.equal(store.clientTokenLookups.length, 0);
  assert.equal(await engine.replayed(scope, 'ct', 'fp'), undefined);
  assert.deepEqual(store.clientTokenLookups[0], { scope, clientToken: 'ct', notBefore: clock.now() - CLIENT_TOKEN_WINDOW_MS });
  store.byClientToken = record({ fingerprint: 'fp' });
  assert.equal(await engine.replayed(scope, 'ct', 'fp'), store.byClientToken);
  await rejectsWith(engine.replayed(scope, 'ct', 'other'), 'ClientTokenConflictException', 'The specified client token has already been used in another resource request');
});

test('assertUnlocked: passes when nobody holds the resource, names the holder otherwise', async () => {
  const { store, engine } = setup();
  await engine.assertUnlocked(scope, 'Test::Engine::Thing', 'k');
  assert.deepEqual(store.lockLookups, [[scope, 'Test::Engine::Thing', 'k']]);
  store.lockHolder = record({ token: 'holder' });
  await rejectsWith(engine.assertUnlocked(scope, 'Test::Engine::Thing', 'k'), 'ConcurrentOperationException', 'Concurrent operation found for resource k with RequestToken holder');
});

test('get: only in the caller\'s account and region, and only for 7 days after the request ended', async () => {
  const { store, clock, engine } = setup();
  const now = clock.now();
  const notFound = (token: string) => rejectsWith(engine.get(scope, token), 'RequestTokenNotFoundException', `Request with token ${token} was not found`);
  store.records.set('active', record({ token: 'active' }));
  store.records.set('other-account', record({ token: 'other-account', accountId: '222222222222' }));
  store.records.set('other-region', record({ token: 'other-region', region: 'eu-west-1' }));
  store.records.set('recent', record({ token: 'recent', status: 'SUCCESS', terminalAt: now - RETENTION_MS }));
  store.records.set('old', record({ token: 'old', status: 'SUCCESS', terminalAt: now - RETENTION_MS - 1 }));
  assert.equal((await engine.get(scope, 'active')).token, 'active');
  assert.equal((await engine.get(scope, 'recent')).token, 'recent', 'exactly 7 days is still kept');
  await notFound('missing');
  await notFound('other-account');
  await notFound('other-region');
  await notFound('old');
});

test('statusEvent: the stored view itself, with a RetryAfter already past taken out', async () => {
  const { store, clock, engine } = setup();
  const now = clock.now();
  const event = (retryAfter?: number) => JSON.stringify({ RequestToken: 't', OperationStatus: 'IN_PROGRESS', ...(retryAfter ? { RetryAfter: retryAfter / 1000 } : {}) });
  const plain: RequestStatusView = { ...scope, progressEvent: event() };
  const future: RequestStatusView = { ...scope, progressEvent: event(now + 1), retryAfter: now + 1 };
  const past: RequestStatusView = { ...scope, progressEvent: event(now), retryAfter: now, hooksProgress: '[]' };
  const pastNoHooks: RequestStatusView = { ...scope, progressEvent: event(now - 5), retryAfter: now - 5 };
  store.views.set('plain', plain).set('future', future).set('past', past).set('pastNoHooks', pastNoHooks);
  assert.equal(await engine.statusEvent(scope, 'plain'), plain);
  assert.equal(await engine.statusEvent(scope, 'future'), future);
  assert.deepEqual(await engine.statusEvent(scope, 'past'), { progressEvent: event(), hooksProgress: '[]' });
  assert.deepEqual(await engine.statusEvent(scope, 'pastNoHooks'), { progressEvent: event() });
  store.views.set('elsewhere', { ...plain, region: 'eu-west-1' });
  store.views.set('foreign', { ...plain, accountId: '222222222222' });
  store.views.set('old', { ...plain, terminalAt: now - RETENTION_MS - 1 });
  store.views.set('kept', { ...plain, terminalAt: now - RETENTION_MS });
  for (const token of ['missing', 'elsewhere', 'foreign', 'old']) {
    await rejectsWith(engine.statusEvent(scope, token), 'RequestTokenNotFoundException', `Request with token ${token} was not found`);
  }
  assert.ok(await engine.statusEvent(scope, 'kept'));
});

test('byHooksToken: the request in scope and retention, undefined otherwise', async () => {
  const { store, clock, engine } = setup();
  store.records.set('a', record({ token: 'a', hooksRequestToken: 'h-a' }));
  store.records.set('b', record({ token: 'b', hooksRequestToken: 'h-b', region: 'eu-west-1' }));
  store.records.set('c', record({ token: 'c', hooksRequestToken: 'h-c', accountId: '222222222222' }));
  store.records.set('d', record({ token: 'd', hooksRequestToken: 'h-d', terminalAt: clock.now() - RETENTION_MS - 1 }));
  assert.equal((await engine.byHooksToken(scope, 'h-a'))?.token, 'a');
  for (const token of ['h-b', 'h-c', 'h-d', 'h-missing']) assert.equal(await engine.byHooksToken(scope, token), undefined, token);
});

test('list: what the store lists, without the requests past retention', async () => {
  const { store, clock, engine } = setup();
  store.records.set('a', record({ token: 'a' }));
  store.records.set('b', record({ token: 'b', terminalAt: clock.now() - RETENTION_MS - 1 }));
  store.records.set('c', record({ token: 'c', terminalAt: clock.now() - 1 }));
  const listed = await engine.list(scope, { statuses: ['SUCCESS'] }, 7, 20);
  assert.deepEqual(listed.map((r) => r.token), ['a', 'c']);
  assert.deepEqual(store.listCalls, [[scope, { statuses: ['SUCCESS'] }, 7, 20]]);
});

test('cancel: stored and the worker woken; a terminal request refused in AWS\'s words; a cancelled one returned as it is', async () => {
  const { store, worker, clock, engine } = setup();
  store.records.set('active', record({ token: 'active', version: 4 }));
  const cancelled = await engine.cancel(scope, 'active');
  assert.equal(cancelled.status, 'CANCEL_IN_PROGRESS');
  assert.equal(cancelled.dueAt, clock.now());
  assert.equal(store.transitions[0]!.expectedVersion, 4);
  assert.equal(worker.wakes, 1);

  store.records.set('done', record({ token: 'done', status: 'SUCCESS' }));
  await rejectsWith(engine.cancel(scope, 'done'), 'ValidationException', 'Request done is already in status SUCCESS');
  const complete = record({ token: 'cc', status: 'CANCEL_COMPLETE' });
  store.records.set('cc', complete);
  assert.equal(await engine.cancel(scope, 'cc'), complete);
  assert.equal(worker.wakes, 1, 'nothing changed, nothing to wake for');
  await rejectsWith(engine.cancel(scope, 'missing'), 'RequestTokenNotFoundException', 'Request with token missing was not found');
});

test('cancel: rides out two version conflicts, gives up after three', async () => {
  const { store, engine } = setup();
  store.records.set('t', record({ token: 't' }));
  store.transitionAnswers = [false, false, true];
  assert.equal((await engine.cancel(scope, 't')).status, 'CANCEL_IN_PROGRESS');
  store.records.set('u', record({ token: 'u' }));
  store.transitionAnswers = [false, false, false];
  await rejectsWith(engine.cancel(scope, 'u'), 'ConcurrentModificationException', 'The resource is currently being modified by another operation');
  assert.equal(store.transitions.length, 6);
});

test('history is the store\'s timeline', async () => {
  const { engine } = setup();
  assert.deepEqual(await engine.history('t'), [{ token: 't', status: 'IN_PROGRESS', eventTime: 0, detail: 'accepted' }]);
});

test('purgeExpired: deletes what ended over 7 days ago, batch after batch until one comes back short', async () => {
  const { store, clock, engine } = setup();
  // Two full batches (whatever size the pace asks for), then a short one.
  let left = 2;
  store.purgeRequests = async (terminalBefore: number, batchSize: number) => {
    store.purgeCalls.push({ terminalBefore, batchSize });
    return left-- > 0 ? batchSize : 12;
  };
  const total = await engine.purgeExpired();
  assert.equal(store.purgeCalls.length, 3);
  assert.equal(total, store.purgeCalls[0]!.batchSize + store.purgeCalls[1]!.batchSize + 12);
  assert.ok(store.purgeCalls.every((c) => c.terminalBefore === clock.now() - RETENTION_MS));
  assert.equal(store.purgeCalls[0]!.batchSize, PURGE_FIRST_BATCH);
  delete (store as { purgeRequests?: unknown }).purgeRequests;
  store.purgeCalls = [];
  store.purgeAnswers = [2];
  assert.equal(await engine.purgeExpired(3), 2);
  assert.deepEqual(store.purgeCalls.map((c) => c.batchSize), [3], 'the first batch is the size asked for');
  store.purgeAnswers = [];
  assert.equal(await engine.purgeExpired(), 0);
});

test('purge pace: a batch is sized from how long the last one took, within bounds, at most doubling', () => {
  assert.equal(nextPurgeBatch(100, 10), 50, 'twice the target: half the rows');
  assert.equal(nextPurgeBatch(100, 2.5), 200);
  assert.equal(nextPurgeBatch(100, 0.1), 200, 'a fast batch at most doubles');
  assert.equal(nextPurgeBatch(100, 0), 200);
  assert.equal(nextPurgeBatch(20, 1000), PURGE_BATCH_MIN);
  assert.equal(nextPurgeBatch(PURGE_BATCH_MAX, 0.01), PURGE_BATCH_MAX);
});
