/**
 * Several workers on one PostgreSQL, in one process (each with its own store, i.e. its own connections,
 * like separate nodes): a slow step keeps its request through the lease heartbeat, LISTEN/NOTIFY wakes
 * idle nodes for work another node made due, and a node whose heartbeat stops loses its requests to
 * the others, which finish them.
 */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Engine } from '../../src/engine/engine.js';
import { FaultInjector, type FaultConfig } from '../../src/engine/faults.js';
import { isTerminal, type RequestRecord } from '../../src/domain/records.js';
import { Worker, type WorkerOptions } from '../../src/engine/worker.js';
import { systemClock } from '../../src/lib/clock.js';
import { cryptoIds } from '../../src/lib/ids.js';
import { silentLogger } from '../../src/lib/logger.js';
import type { ResourceProvider } from '../../src/providers/contract.js';
import { genericProvider } from '../../src/providers/generic.js';
import { inMemoryCatalogue } from '../../src/registry/catalogue.js';
import { PostgresStore } from '../../src/store/postgres/postgres-store.js';
import { createTestDatabase } from './support.js';

const { db, skip } = await createTestDatabase();
after(() => db?.drop());

const TYPE = 'Test::Widget::Thing';
const catalogue = inMemoryCatalogue([
  {
    typeName: TYPE,
    properties: { Name: { type: 'string' }, Arn: { type: 'string' } },
    additionalProperties: false,
    primaryIdentifier: ['/properties/Name'],
    readOnlyProperties: ['/properties/Arn'],
    handlers: { create: { permissions: [] }, read: {}, update: {}, delete: {}, list: {} },
  },
]);
const scope = { accountId: '000000000000', region: 'us-east-1' };

interface Node {
  name: string;
  store: PostgresStore;
  worker: Worker;
  engine: Engine;
  /** Tokens whose create handler ran on this node, once per step. */
  ran: string[];
  stop(): Promise<void>;
}

function startNode(name: string, options: WorkerOptions, provider: Partial<ResourceProvider> = {}, faults?: FaultConfig): Node {
  const store = new PostgresStore(db!.url);
  const ran: string[] = [];
  const node: ResourceProvider = {
    ...genericProvider,
    create: async (request, context) => {
      ran.push(request.clientRequestToken);
      return (provider.create ?? genericProvider.create)(request, context);
    },
  };
  const worker = new Worker(store, catalogue, { providerFor: () => node }, systemClock, cryptoIds, silentLogger, { nodeId: name, ...options });
  const engine = new Engine(store, worker, new FaultInjector(faults), systemClock, cryptoIds);
  return { name, store, worker, engine, ran, stop: async () => (await worker.stop(), await store.close()) };
}

const submitCreate = (node: Node, name: string) =>
  node.engine.submit({ ...scope, typeName: TYPE, operation: 'CREATE', fingerprint: name, desiredState: JSON.stringify({ Name: name }), identifier: name, lockKey: name });

/** Waits for the request's end; the deadline only catches a hang. */
async function terminal(node: Node, token: string, timeoutMs = 30_000): Promise<RequestRecord> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const r = await node.store.getRequest(token);
    if (r && isTerminal(r.status)) return r;
    if (Date.now() > deadline) throw new Error(`request ${token} not terminal within ${timeoutMs} ms (status ${r?.status})`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** The slow handler's work, and the pause between polls. */
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('workers on one PostgreSQL', skip ? { skip } : {}, () => {
  test('a step longer than the lease keeps its request: the heartbeat renews it, no other node runs it', async () => {
    // The handler takes 3 leases; without renewals node B would take the request over after the first.
    // A lease of 3 s is renewed every second, so only an event-loop stall of 2 s loses it: a lease of 1 s (a
    // 0.67 s stall) was lost on a machine at load 15 and the step ran twice.
    const a = startNode('A', { leaseMs: 3_000, maxIdleMs: 50 }, { create: async (req, ctx) => (await sleep(9_000), genericProvider.create(req, ctx)) });
    const b = startNode('B', { leaseMs: 3_000, maxIdleMs: 50 });
    a.worker.start();
    b.worker.start();
    try {
      const { record } = await submitCreate(a, 'slow');
      const done = await terminal(a, record.token);
      assert.equal(done.status, 'SUCCESS');
      assert.deepEqual(a.ran, [record.token], 'one step, on the node that took it');
      assert.deepEqual(b.ran, [], 'never taken over');
      assert.equal((await a.store.history(record.token)).filter((h) => isTerminal(h.status)).length, 1);
    } finally {
      await Promise.all([a.stop(), b.stop()]);
    }
  });

  test('a node that stops renewing loses its requests to another node, which finishes them', async () => {
    // Node A's handler never returns (a hung or frozen node); its store is then closed, so its heartbeat fails.
    const hung = new Promise<never>(() => {});
    const a = startNode('A', { leaseMs: 300, maxIdleMs: 50 }, { create: () => hung });
    const b = startNode('B', { leaseMs: 300, maxIdleMs: 50 });
    a.worker.start();
    try {
      const tokens = await Promise.all(['orphan-1', 'orphan-2', 'orphan-3'].map(async (n) => (await submitCreate(a, n)).record.token));
      for (const deadline = Date.now() + 30_000; a.ran.length < tokens.length; await sleep(10)) {
        assert.ok(Date.now() < deadline, 'node A started every step');
      }
      void a.worker.stop(); // never settles (the step hangs); it only stops A's loop
      await a.store.close();
      b.worker.start();
      for (const token of tokens) assert.equal((await terminal(b, token)).status, 'SUCCESS');
      assert.deepEqual([...b.ran].sort(), [...tokens].sort(), 'node B ran each orphaned request once');
    } finally {
      await b.stop();
    }
  });

  test('LISTEN/NOTIFY: an idle node wakes when another node makes work due, with no poll to fall back on', async () => {
    // Node A accepts (its worker is not running); node B polls only once an hour, far past the hang
    // deadline of terminal(), so only the notification can get it there: no stopwatch needed.
    const faults: FaultConfig = { rules: [{ typeName: TYPE, operation: 'CREATE', delayMs: 300 }] };
    const a = startNode('A', {}, {}, faults);
    const b = startNode('B', { maxIdleMs: 3_600_000 });
    const unsubscribe = await b.store.subscribe(() => b.worker.wake());
    // Start B and let it go idle (its first pass finds nothing and arms its one-minute timer) before A accepts.
    const readNextDue = b.store.nextDueAt.bind(b.store);
    const idle = new Promise<void>((resolve) => (b.store.nextDueAt = () => readNextDue().finally(() => setImmediate(resolve))));
    b.worker.start();
    await idle;
    try {
      const tokens = await Promise.all(['n1', 'n2', 'n3', 'n4'].map(async (n) => (await submitCreate(a, n)).record.token));
      for (const token of tokens) assert.equal((await terminal(b, token)).status, 'SUCCESS');
      assert.deepEqual([...b.ran].sort(), [...tokens].sort());
      assert.deepEqual(a.ran, []);
    } finally {
      await unsubscribe();
      await Promise.all([a.stop(), b.stop()]);
    }
  });
});
