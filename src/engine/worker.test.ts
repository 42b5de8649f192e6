/** The engine and worker over a real (in-memory) SQLite store, with scripted handlers. */
import { describe, test, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { pino } from 'pino';
import { cryptoIds } from '../lib/ids.js';
import type { Clock } from '../lib/clock.js';
import type { HandlerProgressEvent, HandlerRequest, ResourceProvider } from '../providers/contract.js';
import { genericProvider } from '../providers/generic.js';
import { inMemoryCatalogue } from '../registry/catalogue.js';
import { SqliteStore } from '../store/sqlite/sqlite-store.js';
import { StoreUnavailableError } from '../store/store.js';
import { Engine } from './engine.js';
import { FaultInjector } from './faults.js';
import type { RequestRecord } from '../domain/records.js';
import { Worker } from './worker.js';

const TYPE = 'Test::Widget::Thing';
const catalogue = inMemoryCatalogue([
  {
    typeName: TYPE,
    properties: { Name: { type: 'string' }, Size: { type: 'integer' }, Arn: { type: 'string' } },
    additionalProperties: false,
    primaryIdentifier: ['/properties/Name'],
    readOnlyProperties: ['/properties/Arn'],
    handlers: { create: { permissions: [], timeoutInMinutes: 2 }, read: {}, update: {}, delete: {}, list: {} },
  },
]);

/** Wall time plus an offset tests can move, so timeouts can be reached without waiting. */
class OffsetClock implements Clock {
  offset = 0;
  now() {
    return Date.now() + this.offset;
  }
}

/** Polls until `fn` gives a value; the deadline only catches a hang. */
async function until<T>(fn: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe('worker', () => {
  let store: SqliteStore;
  let worker: Worker;
  let engine: Engine;
  let clock: OffsetClock;
  let provider: ResourceProvider;
  /** The messages the worker logged at error level: a step it could not settle says so. */
  let errorsLogged: string[];
  const scope = { accountId: '000000000000', region: 'us-east-1' };

  beforeEach(() => {
    store = new SqliteStore(':memory:');
    clock = new OffsetClock();
    provider = { ...genericProvider };
    errorsLogged = [];
    const log = pino({ level: 'error' }, { write: (line: string) => void errorsLogged.push((JSON.parse(line) as { msg: string }).msg) });
    worker = new Worker(store, catalogue, { providerFor: () => provider }, clock, cryptoIds, log, { maxIdleMs: 50 });
    engine = new Engine(store, worker, new FaultInjector(), clock, cryptoIds);
    worker.start();
  });
  afterEach(async () => {
    await worker.stop();
    await store.close();
  });

  const submitCreate = (name: string) =>
    engine.submit({ ...scope, typeName: TYPE, operation: 'CREATE', fingerprint: name, desiredState: JSON.stringify({ Name: name }), identifier: name, lockKey: name });
  const terminal = (token: string) =>
    until(async () => {
      const r = await store.getRequest(token);
      return r && ['SUCCESS', 'FAILED', 'CANCEL_COMPLETE'].includes(r.status) ? r : undefined;
    });

  test('a step whose resource read finds the database unreachable is retried, not failed', async () => {
    let outage = true;
    provider = {
      ...genericProvider,
      create: async (request: HandlerRequest, context) => {
        if (outage) {
          outage = false;
          throw new StoreUnavailableError('PostgreSQL is unavailable (get_resource): connect ECONNREFUSED');
        }
        return genericProvider.create(request, context);
      },
    };
    const { record } = await submitCreate('outage');
    // The step is over once the worker has logged that it could not apply it, or once it applied something.
    const after = await until(async () => {
      const r = await store.getRequest(record.token);
      return errorsLogged.includes('handler step could not be applied') || r?.status !== 'IN_PROGRESS' ? r : undefined;
    });
    assert.equal(after?.status, 'IN_PROGRESS', 'not failed by the outage');
    clock.offset += 60_000; // past the lease: the request is claimed again
    const done = await terminal(record.token);
    assert.equal(done.status, 'SUCCESS', done.statusMessage);
  });

  test('a reset while a step runs: the step ends, loses its compare-and-set, its resource write is dropped, and the worker goes on', async () => {
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let started!: () => void;
    const running = new Promise<void>((resolve) => (started = resolve));
    provider.create = async (request: HandlerRequest, context) => {
      if ((request.desiredResourceState as { Name?: string }).Name === 'in-flight') {
        started();
        await released;
      }
      return genericProvider.create(request, context);
    };
    // Sees the running step's own transition attempt and its answer.
    const attempts: { token: string; applied: boolean }[] = [];
    const apply = store.applyTransition.bind(store);
    store.applyTransition = async (next, expected, history, writes) => {
      const applied = await apply(next, expected, history, writes);
      attempts.push({ token: next.token, applied });
      return applied;
    };
    const { record } = await submitCreate('in-flight');
    await running;
    assert.deepEqual(await store.resetState({}), { requests: 1, resources: 0 });
    release();
    await until(async () => (attempts.some((a) => a.token === record.token) ? true : undefined));
    assert.deepEqual(attempts.filter((a) => a.token === record.token).map((a) => a.applied), [false], 'the stale result is refused, once');
    assert.equal(await store.getResource(scope, TYPE, 'in-flight'), undefined, 'not resurrected');
    assert.equal(await store.getRequest(record.token), undefined);
    const after = await submitCreate('after-reset');
    assert.equal((await terminal(after.record.token)).status, 'SUCCESS');
    assert.deepEqual(errorsLogged, []);
  });

  test('a fast create is done right after acceptance (before a client could poll)', async () => {
    const { record } = await submitCreate('fast');
    await new Promise((r) => setImmediate(r));
    await new Promise((r) => setImmediate(r));
    const after = await store.getRequest(record.token);
    assert.equal(after?.status, 'SUCCESS');
    assert.equal(after?.identifier, 'fast');
    assert.ok(after?.resourceModel?.includes('"Arn"'));
    assert.equal(after?.lockKey, undefined);
  });

  test('multi-step handlers get their callbackContext back, one step at a time', async () => {
    const seen: unknown[] = [];
    provider.create = async (request: HandlerRequest, context): Promise<HandlerProgressEvent> => {
      seen.push(request.callbackContext);
      const n = ((request.callbackContext as { n?: number } | undefined)?.n ?? 0) + 1;
      if (n < 3) return { status: 'IN_PROGRESS', callbackContext: { n }, callbackDelaySeconds: 0.05, resourceModel: request.desiredResourceState! };
      return genericProvider.create(request, context);
    };
    const { record } = await submitCreate('multi');
    const waiting = await until(async () => {
      const r = await store.getRequest(record.token);
      return r?.stepCount === 1 ? r : undefined;
    });
    assert.equal(waiting.status, 'IN_PROGRESS');
    assert.ok(waiting.retryAfter! > waiting.eventTime, 'RetryAfter is in the future while a callback is scheduled');
    const done = await terminal(record.token);
    assert.equal(done.status, 'SUCCESS');
    assert.deepEqual(seen, [undefined, { n: 1 }, { n: 2 }]);
    const history = await engine.history(record.token);
    assert.deepEqual(history.map((h) => h.status), ['IN_PROGRESS', 'IN_PROGRESS', 'IN_PROGRESS', 'SUCCESS']);
    assert.match(history[0]!.detail, /accepted/);
  });

  test('a handler that throws fails the request with InternalFailure and its message', async () => {
    provider.create = async () => {
      throw new Error('database exploded');
    };
    const { record } = await submitCreate('throws');
    const done = await terminal(record.token);
    assert.equal(done.status, 'FAILED');
    assert.equal(done.errorCode, 'InternalFailure');
    assert.equal(done.statusMessage, 'database exploded');
  });

  test('contract violations fail the request instead of storing them', async () => {
    provider.create = async () => ({ status: 'FAILED' }) as HandlerProgressEvent;
    const { record } = await submitCreate('violation');
    const done = await terminal(record.token);
    assert.equal(done.errorCode, 'InternalFailure');
    assert.match(done.statusMessage!, /contract violation/);
  });

  test('a cancel that arrives while a step runs: the step still lands downstream, the request ends CANCEL_COMPLETE', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let entered!: () => void;
    const inside = new Promise<void>((r) => (entered = r));
    provider.create = async (request, context) => {
      entered();
      await gate;
      return genericProvider.create(request, context);
    };
    const { record } = await submitCreate('raced');
    await inside;
    const cancelling = await engine.cancel(scope, record.token);
    assert.equal(cancelling.status, 'CANCEL_IN_PROGRESS');
    release();
    const done = await terminal(record.token);
    assert.equal(done.status, 'CANCEL_COMPLETE');
    assert.ok(await store.getResource(scope, TYPE, 'raced'), 'no rollback: the resource the step created exists');
    const again = await engine.cancel(scope, record.token);
    assert.equal(again.status, 'CANCEL_COMPLETE', 'cancel is idempotent');
  });

  test('cancel of a request waiting for its next step settles without calling the handler again', async () => {
    let calls = 0;
    provider.create = async (request) => {
      calls += 1;
      return { status: 'IN_PROGRESS', callbackDelaySeconds: 60, resourceModel: request.desiredResourceState! };
    };
    const { record } = await submitCreate('waiting');
    await until(async () => ((await store.getRequest(record.token))?.stepCount === 1 ? true : undefined));
    await engine.cancel(scope, record.token);
    const done = await terminal(record.token);
    assert.equal(done.status, 'CANCEL_COMPLETE');
    assert.equal(calls, 1);
  });

  test('cancel of a finished request is rejected with its status', async () => {
    const { record } = await submitCreate('finished');
    await terminal(record.token);
    await assert.rejects(engine.cancel(scope, record.token), (e: Error) => e.name === 'ValidationException' && e.message === `Request ${record.token} is already in status SUCCESS`);
  });

  test('a request past its handler timeout fails with ServiceTimeout', async () => {
    provider.create = async (request) => ({ status: 'IN_PROGRESS', callbackDelaySeconds: 0.05, resourceModel: request.desiredResourceState! });
    const { record } = await submitCreate('slow');
    await until(async () => ((await store.getRequest(record.token))?.stepCount ?? 0) >= 1 ? true : undefined);
    clock.offset = 3 * 60_000; // past timeoutInMinutes: 2
    const done: RequestRecord = await terminal(record.token);
    assert.equal(done.status, 'FAILED');
    assert.equal(done.errorCode, 'ServiceTimeout');
  });

  test('the resource lock rejects a second operation and frees when the first ends', async () => {
    provider.create = async (request) => ({ status: 'IN_PROGRESS', callbackDelaySeconds: 60, resourceModel: request.desiredResourceState! });
    const { record } = await submitCreate('locked');
    await assert.rejects(submitCreate('locked'), (e: Error) => e.name === 'ConcurrentOperationException' && e.message.includes(record.token));
    await engine.cancel(scope, record.token);
    await terminal(record.token);
    provider.create = genericProvider.create;
    assert.equal((await submitCreate('locked')).kind, 'accepted');
  });

  test('retention: 7 days after the end a request is gone (RequestTokenNotFound), and the purge deletes it', async () => {
    const { record } = await submitCreate('retained');
    await terminal(record.token);
    clock.offset = 6 * 24 * 3600_000;
    assert.equal((await engine.get(scope, record.token)).status, 'SUCCESS');
    assert.equal(await engine.purgeExpired(), 0);
    clock.offset = 7 * 24 * 3600_000 + 1000;
    await assert.rejects(engine.get(scope, record.token), (e: Error) => e.name === 'RequestTokenNotFoundException');
    assert.equal((await engine.list(scope, {}, undefined, 10)).length, 0, 'expired requests leave ListResourceRequests at once');
    assert.equal(await engine.purgeExpired(), 1);
    assert.equal(await store.getRequest(record.token), undefined);
  });

  test('a ClientToken replays its request for 36 hours, then starts a new one', async () => {
    const draft = { ...scope, typeName: TYPE, operation: 'CREATE' as const, fingerprint: 'same', desiredState: '{"Name":"ct"}', clientToken: 'token-1' };
    const first = await engine.submit(draft);
    await terminal(first.record.token);
    const replay = await engine.submit(draft);
    assert.equal(replay.kind, 'replayed');
    assert.equal(replay.record.token, first.record.token);
    assert.equal(replay.record.status, 'SUCCESS', 'a replay answers with the current status');
    await assert.rejects(engine.submit({ ...draft, fingerprint: 'different' }), (e: Error) => e.name === 'ClientTokenConflictException');
    clock.offset = 36 * 3600_000 + 1000;
    const fresh = await engine.submit({ ...draft, fingerprint: 'different' });
    assert.equal(fresh.kind, 'accepted');
    assert.notEqual(fresh.record.token, first.record.token);
  });

  test('the ClientToken window is 36 hours on both sides: replayed at 35 h 59 min, new at 36 h 01 min', async () => {
    const draft = { ...scope, typeName: TYPE, operation: 'CREATE' as const, fingerprint: 'same', desiredState: '{"Name":"edge"}', clientToken: 'token-edge' };
    const first = await engine.submit(draft);
    await terminal(first.record.token);
    clock.offset = 36 * 3600_000 - 60_000;
    // Both places that honour the window: the API's look-up before its checks, and the store's insert.
    assert.equal((await engine.replayed(scope, 'token-edge', 'same'))?.token, first.record.token);
    await assert.rejects(engine.replayed(scope, 'token-edge', 'different'), (e: Error) => e.name === 'ClientTokenConflictException');
    const replay = await engine.submit(draft);
    assert.equal(replay.kind, 'replayed');
    assert.equal(replay.record.token, first.record.token);
    clock.offset = 36 * 3600_000 + 60_000;
    assert.equal(await engine.replayed(scope, 'token-edge', 'different'), undefined);
    const fresh = await engine.submit({ ...draft, fingerprint: 'different', desiredState: '{"Name":"edge2"}' });
    assert.equal(fresh.kind, 'accepted');
    assert.notEqual(fresh.record.token, first.record.token);
  });

  test('a RetryAfter already in the past is not shown: the event says nothing rather than a time gone by', async () => {
    const delayed = new Engine(store, worker, new FaultInjector({ rules: [{ typeName: TYPE, operation: 'CREATE', delayMs: 60_000 }] }), clock, cryptoIds);
    const { record } = await delayed.submit({ ...scope, typeName: TYPE, operation: 'CREATE', fingerprint: 'late', desiredState: '{"Name":"late"}', identifier: 'late', lockKey: 'late' });
    const before = JSON.parse((await delayed.statusEvent(scope, record.token)).progressEvent) as { RetryAfter?: number; OperationStatus: string };
    assert.equal(before.OperationStatus, 'IN_PROGRESS');
    assert.equal(before.RetryAfter, (record.dueAt! / 1000), 'the injected delay shows as RetryAfter while it is ahead');
    // The step is late (no worker has taken it yet): its RetryAfter would be in the past.
    await worker.stop();
    clock.offset = 61_000;
    const after = JSON.parse((await delayed.statusEvent(scope, record.token)).progressEvent) as { RetryAfter?: number; OperationStatus: string };
    assert.equal(after.OperationStatus, 'IN_PROGRESS');
    assert.equal(after.RetryAfter, undefined);
  });
});
