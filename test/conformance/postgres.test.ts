/**
 * The Store conformance suite on PostgreSQL (a fresh database for this file, dropped at the end), and what
 * only a shared database has: migrations under an advisory lock, the purge lock, LISTEN/NOTIFY, failing
 * fast when the database is unreachable or stuck, and recovering when connections are dropped.
 */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Socket } from 'node:net';
import type { HistoryEntry, RequestRecord } from '../../src/domain/records.js';
import { UnsupportedDatabaseError, openStore } from '../../src/store/open.js';
import { ADVISORY_LOCK_SPACE, PURGE_LOCK, SchemaTooNewError, migrationSql, runMigrations } from '../../src/store/postgres/migrate.js';
import { POSTGRES_MIGRATIONS } from '../../src/store/postgres/migrations/index.js';
import { PostgresStore } from '../../src/store/postgres/postgres-store.js';
import { StoreUnavailableError } from '../../src/store/store.js';
import { createTestDatabase, freePort, type TestDatabase } from '../multinode/support.js';
import { requestFixture, storeConformance } from './store-suite.js';

const { db, skip } = await createTestDatabase();
after(() => db?.drop());

const accepted = (r: RequestRecord): HistoryEntry => ({ token: r.token, status: r.status, eventTime: r.eventTime, detail: 'accepted' });

/** Every test starts from empty tables (migrations applied once, by the first store). */
async function freshStore(database: TestDatabase, options: ConstructorParameters<typeof PostgresStore>[1] = {}): Promise<PostgresStore> {
  const store = new PostgresStore(database.url, options);
  await store.ready();
  await database.admin.query('TRUNCATE ccapi.requests, ccapi.request_events, ccapi.resources, ccapi.fault_rules');
  return store;
}

storeConformance('PostgreSQL', () => freshStore(db!), skip ? { skip } : {});

async function until<T>(check: () => T | undefined | Promise<T | undefined>, timeoutMs = 5_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** A second, empty database on the same server, for tests that need one before any migration ran. */
async function emptyDatabase(database: TestDatabase): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `${database.name}_m${Math.random().toString(36).slice(2, 8)}`;
  await database.admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(database.url);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: async () => void (await database.admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)) };
}

describe('PostgreSQL store', skip ? { skip } : {}, () => {
  test('nodes starting together migrate exactly once', async () => {
    const empty = await emptyDatabase(db!);
    try {
      // One more migration that records each time it runs: applied twice would leave two rows.
      // Numbered past the newest (numbers may have gaps: some are reserved for changes in flight).
      const extra = Math.max(...POSTGRES_MIGRATIONS.map((m) => m.version)) + 1;
      const counted = [...POSTGRES_MIGRATIONS, { version: extra, name: 'count runs', sql: 'CREATE TABLE ccapi.runs (n int); INSERT INTO ccapi.runs VALUES (1);' }];
      const results = await Promise.all(Array.from({ length: 6 }, () => runMigrations(empty.url, {}, counted)));
      assert.deepEqual(results.map((r) => r.applied.length).sort(), [0, 0, 0, 0, 0, counted.length], 'one node applies every migration, the others none');
      assert.ok(results.every((r) => r.version === extra));
      const { Client } = (await import('pg')).default;
      const check = new Client({ connectionString: empty.url });
      await check.connect();
      try {
        assert.equal((await check.query('SELECT count(*)::int AS n FROM ccapi.runs')).rows[0].n, 1);
        assert.deepEqual((await check.query('SELECT version FROM ccapi.schema_migrations ORDER BY version')).rows, counted.map((m) => ({ version: m.version })));
      } finally {
        await check.end();
      }
      await assert.rejects(runMigrations(empty.url), SchemaTooNewError, 'code older than the schema refuses to run');
    } finally {
      await empty.drop();
    }
  });

  test('migrate --print-sql output builds the same schema', async () => {
    const sql = migrationSql();
    assert.match(sql, /pg_advisory_xact_lock\(\d+, 1\)/);
    assert.match(sql, /CREATE TABLE ccapi\.requests/);
    const empty = await emptyDatabase(db!);
    try {
      const { Client } = (await import('pg')).default;
      const client = new Client({ connectionString: empty.url });
      await client.connect();
      await client.query(sql);
      await client.end();
      assert.equal((await runMigrations(empty.url)).applied.length, 0, 'nothing left to apply');
      const store = new PostgresStore(empty.url);
      try {
        const r = requestFixture();
        assert.equal((await store.insertRequest(r, accepted(r), 0)).kind, 'inserted');
      } finally {
        await store.close();
      }
    } finally {
      await empty.drop();
    }
  });

  test('resources stored before migration 006 are indexed by the backfill, in batches, once (resource index)', async () => {
    const empty = await emptyDatabase(db!);
    try {
      await runMigrations(empty.url, {}, POSTGRES_MIGRATIONS.filter((m) => m.version < 6));
      const { Client } = (await import('pg')).default;
      const client = new Client({ connectionString: empty.url });
      await client.connect();
      for (let i = 0; i < 7; i++) {
        await client.query('INSERT INTO ccapi.resources (account_id, region, type_name, identifier, properties, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, 1, 1)', [
          '111122223333', 'us-east-1', 'Test::Subnet', `subnet-${i}`, JSON.stringify({ VpcId: i < 5 ? 'vpc-1' : 'vpc-2' }),
        ]);
      }
      await client.end();
      const store = new PostgresStore(empty.url);
      try {
        const scope = { accountId: '111122223333', region: 'us-east-1' };
        const indexedOf = (typeName: string, properties: string) => {
          assert.equal(typeName, 'Test::Subnet');
          return [{ path: 'VpcId', value: String(JSON.parse(properties).VpcId) }];
        };
        assert.deepEqual(await store.findResources(scope, 'Test::Subnet', 'VpcId', 'vpc-1', 10), []);
        assert.deepEqual([await store.backfillResourceIndex(indexedOf, 3), await store.backfillResourceIndex(indexedOf, 3), await store.backfillResourceIndex(indexedOf, 3), await store.backfillResourceIndex(indexedOf, 3)], [3, 3, 1, 0]);
        assert.deepEqual((await store.findResources(scope, 'Test::Subnet', 'VpcId', 'vpc-1', 10)).map((r) => r.identifier), ['subnet-0', 'subnet-1', 'subnet-2', 'subnet-3', 'subnet-4']);
        assert.deepEqual((await store.findResources(scope, 'Test::Subnet', 'VpcId', 'vpc-2', 10)).map((r) => r.identifier), ['subnet-5', 'subnet-6']);
      } finally {
        await store.close();
      }
    } finally {
      await empty.drop();
    }
  });

  test('an insert retried after its answer was lost is not duplicated', async () => {
    const store = await freshStore(db!);
    try {
      const r = requestFixture({ clientToken: 'retried', lockKey: 'retried' });
      const first = await store.insertRequest(r, accepted(r), 0);
      const again = await store.insertRequest(r, accepted(r), 0);
      assert.equal(first.kind, 'inserted');
      assert.deepEqual(again, first);
      assert.equal((await db!.admin.query('SELECT count(*)::int AS n FROM ccapi.requests')).rows[0].n, 1);
      assert.equal((await store.history(r.token)).length, 1);
    } finally {
      await store.close();
    }
  });

  test('two nodes claiming at once never get the same request', async () => {
    const a = await freshStore(db!);
    const b = new PostgresStore(db!.url);
    try {
      const records = Array.from({ length: 200 }, () => requestFixture({ dueAt: 100 }));
      await Promise.all(records.map((r) => a.insertRequest(r, accepted(r), 0)));
      const claims = new Map<string, string>();
      const twice: string[] = [];
      await Promise.all(
        [a, b, a, b].map(async (store, i) => {
          for (;;) {
            const batch = await store.claimDueRequests(200, `node-${i}`, 5000, 3);
            if (batch.length === 0) return;
            for (const r of batch) {
              if (claims.has(r.token)) twice.push(r.token);
              claims.set(r.token, `node-${i}`);
            }
          }
        }),
      );
      assert.deepEqual(twice, []);
      assert.equal(claims.size, records.length);
      assert.ok(new Set(claims.values()).size > 1, 'both nodes took part');
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  test('a node remembers only finished requests\' status views: in-flight ones are read from the database every time', async () => {
    const a = await freshStore(db!);
    const b = new PostgresStore(db!.url);
    const statusOf = async (store: PostgresStore, token: string) => {
      const view = await store.getRequestStatus(token);
      return view && (JSON.parse(view.progressEvent) as { OperationStatus: string }).OperationStatus;
    };
    try {
      const r = requestFixture();
      await a.insertRequest(r, accepted(r), 0);
      assert.equal(await statusOf(a, r.token), 'IN_PROGRESS');
      assert.equal(await statusOf(b, r.token), 'IN_PROGRESS');
      // Node b finishes it: node a, which read it in flight, sees the change at once.
      const done: RequestRecord = { ...r, status: 'SUCCESS', version: r.version + 1, eventTime: 1500, terminalAt: 1500 };
      delete done.dueAt;
      assert.equal(await b.applyTransition(done, r.version, undefined, []), true);
      assert.equal(await statusOf(a, r.token), 'SUCCESS');
      // Now finished, it is remembered by the node that read it: the row's removal behind its back (which only
      // the purge does, past retention) is not seen by a, while b, which never read it finished, finds nothing.
      await db!.admin.query('DELETE FROM ccapi.requests WHERE token = $1', [r.token]);
      assert.equal(await statusOf(a, r.token), 'SUCCESS');
      assert.equal(await statusOf(b, r.token), undefined);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  test('the retention purge runs on one node at a time', async () => {
    const store = await freshStore(db!);
    try {
      const old = requestFixture({ status: 'SUCCESS', terminalAt: 100 });
      await store.insertRequest(old, accepted(old), 0);
      await db!.admin.query('SELECT pg_advisory_lock($1, $2)', [ADVISORY_LOCK_SPACE, PURGE_LOCK]);
      try {
        assert.equal(await store.purgeRequests(5000, 10), 0, 'another node holds the purge');
        assert.ok(await store.getRequest(old.token));
      } finally {
        await db!.admin.query('SELECT pg_advisory_unlock($1, $2)', [ADVISORY_LOCK_SPACE, PURGE_LOCK]);
      }
      assert.equal(await store.purgeRequests(5000, 10), 1);
    } finally {
      await store.close();
    }
  });

  test('work announced by one node wakes the others when it is due', async () => {
    const a = await freshStore(db!);
    const b = new PostgresStore(db!.url);
    let wokenAt: number | undefined;
    const unsubscribe = await b.subscribe(() => (wokenAt ??= Date.now()));
    try {
      const dueAt = Date.now() + 200;
      const r = requestFixture({ dueAt });
      await a.insertRequest(r, accepted(r), 0);
      const at = await until(() => wokenAt);
      assert.ok(at >= dueAt, `woken ${dueAt - at} ms before the work was due`);
    } finally {
      await unsubscribe();
      await Promise.all([a.close(), b.close()]);
    }
  });

  test('a dropped listening connection reconnects, wakes the worker once, and keeps listening', async () => {
    const a = await freshStore(db!);
    const b = new PostgresStore(db!.url);
    let wakes = 0;
    const unsubscribe = await b.subscribe(() => wakes++);
    try {
      const killed = await db!.admin.query(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'ccapi' AND query LIKE 'LISTEN%'",
      );
      assert.equal(killed.rowCount, 1);
      await until(() => (wakes >= 1 ? true : undefined), 10_000); // "you may have missed something": look now
      const before = wakes;
      const r = requestFixture({ dueAt: Date.now() });
      await until(async () => {
        // Announced again until heard: the listener is back once an announcement gets through.
        await a.insertRequest({ ...r, token: `${r.token}-${Math.random()}` }, accepted(r), 0);
        await new Promise((resolve) => setTimeout(resolve, 50));
        return wakes > before ? true : undefined;
      }, 10_000);
    } finally {
      await unsubscribe();
      await Promise.all([a.close(), b.close()]);
    }
  });

  test('an unreachable database fails calls as unavailable instead of hanging', async () => {
    // How fast is the configured timeouts' business (300 ms each here); the test only tells a failure from a
    // hang, with a deadline no working timeout comes near.
    const hangDeadline = () => new Promise<never>((_, reject) => setTimeout(() => reject(new Error('no answer within 30 s: the call hangs')), 30_000).unref());
    const closedPort = await freePort();
    const refused = new PostgresStore(`postgres://postgres@127.0.0.1:${closedPort}/nothing`, { retryBudgetMs: 300 });
    // A server that accepts connections and never answers: only the connect timeout ends the wait.
    const sockets: Socket[] = [];
    const silent = createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const silentPort = (silent.address() as { port: number }).port;
    const hanging = new PostgresStore(`postgres://postgres@127.0.0.1:${silentPort}/nothing`, { connectTimeoutMs: 300, retryBudgetMs: 300 });
    try {
      for (const store of [refused, hanging]) await assert.rejects(Promise.race([store.getRequestStatus('any'), hangDeadline()]), StoreUnavailableError);
    } finally {
      await Promise.all([refused.close(), hanging.close()]);
      for (const s of sockets) s.destroy();
      silent.close();
    }
  });

  test('a statement stuck behind a lock times out as unavailable instead of hanging', async () => {
    const store = await freshStore(db!, { statementTimeoutMs: 300, retryBudgetMs: 300 });
    try {
      const r = requestFixture();
      await store.insertRequest(r, accepted(r), 0);
      await db!.admin.query('BEGIN');
      await db!.admin.query('SELECT 1 FROM ccapi.requests WHERE token = $1 FOR UPDATE', [r.token]);
      try {
        await assert.rejects(store.applyTransition({ ...r, version: 2 }, 1, undefined, []), StoreUnavailableError);
      } finally {
        await db!.admin.query('ROLLBACK');
      }
      assert.equal(await store.applyTransition({ ...r, version: 2 }, 1, undefined, []), true, 'works again once the lock is gone');
    } finally {
      await store.close();
    }
  });

  test('a lease renewal never waits on a busy row: it skips it this round, and the lease is not reported lost', async () => {
    const store = await freshStore(db!, { statementTimeoutMs: 1_000, retryBudgetMs: 300 });
    try {
      const r = requestFixture({ dueAt: 100 });
      await store.insertRequest(r, accepted(r), 0);
      await store.claimDueRequests(200, 'A', 1000, 1);
      await db!.admin.query('BEGIN');
      await db!.admin.query('SELECT 1 FROM ccapi.requests WHERE token = $1 FOR UPDATE', [r.token]);
      try {
        assert.deepEqual(await store.renewLeases('A', [r.token], 5000), [], 'still ours');
      } finally {
        await db!.admin.query('ROLLBACK');
      }
      assert.equal((await store.getRequest(r.token))?.leaseUntil, 1000, 'skipped while busy');
      assert.deepEqual(await store.renewLeases('A', [r.token], 5000), []);
      assert.equal((await store.getRequest(r.token))?.leaseUntil, 5000);
    } finally {
      await store.close();
    }
  });

  test('connections dropped by the server are replaced without failing calls', async () => {
    const store = await freshStore(db!);
    try {
      const r = requestFixture();
      await store.insertRequest(r, accepted(r), 0);
      await Promise.all(Array.from({ length: 20 }, () => store.getRequestStatus(r.token))); // open several connections
      const killed = await db!.admin.query(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'ccapi' AND pid <> pg_backend_pid()",
      );
      assert.ok((killed.rowCount ?? 0) >= 2, 'pooled and pipelined connections were open');
      const views = await Promise.all(Array.from({ length: 20 }, () => store.getRequestStatus(r.token)));
      assert.ok(views.every((v) => v?.accountId === r.accountId));
      assert.equal(await store.applyTransition({ ...r, version: 2 }, 1, undefined, []), true);
    } finally {
      await store.close();
    }
  });

  test('--database postgres: reads the PG* environment variables; URLs of both schemes open PostgreSQL', async () => {
    const url = new URL(db!.url);
    const saved = { ...process.env };
    Object.assign(process.env, { PGHOST: url.hostname, PGPORT: url.port || '5432', PGUSER: decodeURIComponent(url.username), PGDATABASE: url.pathname.slice(1) });
    if (url.password) process.env.PGPASSWORD = decodeURIComponent(url.password);
    const fromEnv = await openStore('postgres:');
    const fromUrl = await openStore(db!.url.replace(/^postgres:/, 'postgresql:'));
    try {
      assert.ok(fromEnv instanceof PostgresStore && fromUrl instanceof PostgresStore);
      assert.match(fromEnv.description, new RegExp(db!.name));
      assert.doesNotMatch(new PostgresStore('postgres://ccapi:s3cret@127.0.0.1:1/x').description, /s3cret/, 'no password in logs');
      await assert.rejects(openStore('postgres:db.example.com'), UnsupportedDatabaseError, 'neither a URL nor "postgres:" alone');
      const r = requestFixture();
      await fromEnv.insertRequest(r, accepted(r), 0);
      assert.equal((await fromUrl.getRequest(r.token))?.token, r.token, 'both name the same database');
    } finally {
      process.env = saved;
      await Promise.all([fromEnv.close(), fromUrl.close()]);
    }
  });

});
