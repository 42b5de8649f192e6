/**
 * Issue #11, defect 1 (lost update): an UpdateResource whose pre-read was taken before an earlier update
 * committed, and whose insert landed after that update finished, must still apply its patch to the model as
 * it stands when its handler runs. The interleaving is forced, not hoped for: the second update's insert is
 * held until the first one is SUCCESS. Run on SQLite, one PostgreSQL node, and two PostgreSQL nodes (two
 * stores, engines and workers on one database, the late update arriving through the other node).
 */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { ApiContext } from '../../src/api/context.js';
import type { Caller } from '../../src/domain/caller.js';
import { createResource, getResource, updateResource } from '../../src/api/resource-operations.js';
import { Engine } from '../../src/engine/engine.js';
import { FaultInjector } from '../../src/engine/faults.js';
import type { RequestRecord } from '../../src/domain/records.js';
import { Worker } from '../../src/engine/worker.js';
import { systemClock } from '../../src/lib/clock.js';
import { cryptoIds } from '../../src/lib/ids.js';
import { silentLogger } from '../../src/lib/logger.js';
import { genericProvider } from '../../src/providers/generic.js';
import { inMemoryCatalogue } from '../../src/registry/catalogue.js';
import { PostgresStore } from '../../src/store/postgres/postgres-store.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import type { Store } from '../../src/store/store.js';
import { createTestDatabase } from '../multinode/support.js';

const TYPE = 'Test::Rebase::Widget';
const catalogue = inMemoryCatalogue([
  {
    typeName: TYPE,
    properties: {
      Name: { type: 'string' },
      Size: { type: 'integer' },
      Color: { type: 'string' },
      Zone: { type: 'string' },
      Arn: { type: 'string' },
    },
    additionalProperties: false,
    primaryIdentifier: ['/properties/Name'],
    readOnlyProperties: ['/properties/Arn'],
    createOnlyProperties: ['/properties/Name', '/properties/Zone'],
    handlers: { create: { permissions: [] }, read: { permissions: [] }, update: { permissions: [] }, delete: { permissions: [] }, list: { permissions: [] } },
  },
]);
const caller: Caller = { accountId: '123456789012', region: 'us-east-1' };

/** A store that can hold the next UPDATE insert: the caller's pre-read is done, its insert not yet. */
class GatedStore {
  private armed: { arrived: () => void; released: Promise<void> } | undefined;
  readonly store: Store;
  constructor(inner: Store) {
    this.store = new Proxy(inner, {
      get: (target, property, receiver) => {
        if (property === 'insertRequest') {
          return async (record: RequestRecord, ...rest: [never, never]) => {
            const hold = record.operation === 'UPDATE' ? this.armed : undefined;
            if (hold) {
              this.armed = undefined;
              hold.arrived();
              await hold.released;
            }
            return target.insertRequest(record, ...rest);
          };
        }
        const value = Reflect.get(target, property, receiver) as unknown;
        return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
      },
    });
  }

  /** Holds the next UPDATE insert; `arrived` resolves when it is waiting, `release` lets it go. */
  holdNextUpdate(): { arrived: Promise<void>; release: () => void } {
    let arrived!: () => void;
    let release!: () => void;
    const arrival = new Promise<void>((resolve) => (arrived = resolve));
    this.armed = { arrived, released: new Promise<void>((resolve) => (release = resolve)) };
    return { arrived: arrival, release };
  }
}

interface Node {
  ctx: ApiContext;
  gate: GatedStore;
  stop(): Promise<void>;
}

function node(inner: Store): Node {
  const gate = new GatedStore(inner);
  const providers = { providerFor: () => genericProvider };
  const worker = new Worker(gate.store, catalogue, providers, systemClock, cryptoIds, silentLogger, { maxIdleMs: 50 });
  const faults = new FaultInjector();
  const engine = new Engine(gate.store, worker, faults, systemClock, cryptoIds);
  worker.start();
  return {
    gate,
    ctx: { catalogue, providers, engine, store: gate.store, faults, clock: systemClock, ids: cryptoIds },
    stop: () => worker.stop(),
  };
}

async function settled(ctx: ApiContext, token: string): Promise<RequestRecord> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const record = await ctx.engine.get(caller, token);
    if (['SUCCESS', 'FAILED', 'CANCEL_COMPLETE'].includes(record.status)) return record;
    if (Date.now() > deadline) throw new Error(`request ${token} still ${record.status} after 10 s`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

const update = (ctx: ApiContext, name: string, patch: unknown[]) =>
  updateResource(ctx, caller, { TypeName: TYPE, Identifier: name, PatchDocument: JSON.stringify(patch) });

async function modelOf(ctx: ApiContext, name: string): Promise<Record<string, unknown>> {
  const answer = await getResource(ctx, caller, { TypeName: TYPE, Identifier: name });
  return JSON.parse(answer.ResourceDescription.Properties) as Record<string, unknown>;
}

/**
 * The late update (`late`) reads the resource, then waits to be inserted until the early update (`early`)
 * has finished; returns both final records.
 */
async function interleave(early: Node, late: Node, name: string, earlyPatch: unknown[], latePatch: unknown[]) {
  const hold = late.gate.holdNextUpdate();
  // The late call reads the current model at once, then waits at its insert.
  const lateCall = update(late.ctx, name, latePatch);
  await hold.arrived;
  const earlyAnswer = await update(early.ctx, name, earlyPatch);
  const earlyRecord = await settled(early.ctx, earlyAnswer.ProgressEvent.RequestToken);
  hold.release();
  const lateAnswer = await lateCall;
  const lateRecord = await settled(late.ctx, lateAnswer.ProgressEvent.RequestToken);
  return { earlyRecord, lateRecord };
}

function suite(label: string, nodes: () => Promise<{ early: Node; late: Node; close(): Promise<void> }>, skip?: string) {
  describe(`an update accepted after another finished, its pre-read older (${label})`, { skip }, () => {
    let pair: Awaited<ReturnType<typeof nodes>>;
    let n = 0;
    const fresh = async (model: Record<string, unknown>) => {
      pair ??= await nodes();
      const name = `w${++n}-${cryptoIds.uuid().slice(0, 8)}`;
      const answer = await createResource(pair.early.ctx, caller, { TypeName: TYPE, DesiredState: JSON.stringify({ Name: name, ...model }) });
      assert.equal((await settled(pair.early.ctx, answer.ProgressEvent.RequestToken)).status, 'SUCCESS');
      return name;
    };
    after(() => pair?.close());

    test('keeps both patches: the late one is applied to the model as the early one left it', async () => {
      const name = await fresh({ Size: 1 });
      const { earlyRecord, lateRecord } = await interleave(pair.early, pair.late, name, [{ op: 'add', path: '/Color', value: 'red' }], [{ op: 'replace', path: '/Size', value: 2 }]);
      assert.equal(earlyRecord.status, 'SUCCESS');
      assert.equal(lateRecord.status, 'SUCCESS');
      const model = await modelOf(pair.early.ctx, name);
      assert.equal(model.Color, 'red', `the early patch was lost: ${JSON.stringify(model)}`);
      assert.equal(model.Size, 2, `the late patch was lost: ${JSON.stringify(model)}`);
      // The SUCCESS event's ResourceModel is the final model, both patches in it.
      assert.deepEqual(JSON.parse(lateRecord.resourceModel!), model);
    });

    test('a late replace of the same property wins (acceptance order)', async () => {
      const name = await fresh({ Size: 1 });
      await interleave(pair.early, pair.late, name, [{ op: 'replace', path: '/Size', value: 5 }, { op: 'add', path: '/Color', value: 'blue' }], [{ op: 'replace', path: '/Size', value: 7 }]);
      const model = await modelOf(pair.early.ctx, name);
      assert.equal(model.Size, 7);
      assert.equal(model.Color, 'blue');
    });

    test('a late patch that no longer applies fails the request, and changes nothing', async () => {
      const name = await fresh({ Size: 1 });
      // `test` passed against the late call's read (Size 1) but the early update made Size 3.
      const { lateRecord } = await interleave(pair.early, pair.late, name, [{ op: 'replace', path: '/Size', value: 3 }], [{ op: 'test', path: '/Size', value: 1 }, { op: 'add', path: '/Color', value: 'green' }]);
      assert.equal(lateRecord.status, 'FAILED');
      assert.equal(lateRecord.errorCode, 'InvalidRequest');
      assert.match(lateRecord.statusMessage ?? '', /^\[TEST Operation\] value mismatch$/);
      const model = await modelOf(pair.early.ctx, name);
      assert.equal(model.Size, 3);
      assert.equal(model.Color, undefined);
    });
  });
}

suite('SQLite', async () => {
  const store = new SqliteStore(':memory:');
  const one = node(store);
  return { early: one, late: one, close: async () => (await one.stop(), await store.close()) };
});

const { db, skip } = await createTestDatabase();
after(() => db?.drop());

suite(
  'one PostgreSQL node',
  async () => {
    const store = new PostgresStore(db!.url);
    await store.ready();
    const one = node(store);
    return { early: one, late: one, close: async () => (await one.stop(), await store.close()) };
  },
  skip,
);

suite(
  'two PostgreSQL nodes',
  async () => {
    const stores = [new PostgresStore(db!.url), new PostgresStore(db!.url)];
    await Promise.all(stores.map((s) => s.ready()));
    const [a, b] = stores.map(node) as [Node, Node];
    return {
      early: a,
      late: b,
      close: async () => {
        await Promise.all([a.stop(), b.stop()]);
        await Promise.all(stores.map((s) => s.close()));
      },
    };
  },
  skip,
);
