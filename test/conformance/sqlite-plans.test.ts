/**
 * Issue #17: the SQLite store's page queries keep their plan once the database has statistics (ANALYZE, which
 * PRAGMA optimize or an operator may run). A page of ListResources joined its sized identifiers to the resources
 * in the order the planner liked; with statistics it walked every resource of the type (350 ms at 100k).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type Database from 'better-sqlite3';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';

test('SQLite: a ListResources page within a byte budget reads the page by key, with statistics too', async () => {
  const store = new SqliteStore(':memory:');
  try {
    const inner = store as unknown as { db: Database.Database; stmt: Record<string, Database.Statement> };
    const insert = inner.db.prepare('INSERT INTO resources VALUES (?, ?, ?, ?, ?, 0, 0)');
    inner.db.transaction(() => {
      for (let i = 0; i < 30_000; i++) for (const type of ['T::A::One', 'T::A::Two']) insert.run('111122223333', 'us-east-1', type, `id-${String(i).padStart(5, '0')}`, '{}');
    })();
    inner.db.exec('ANALYZE');
    const params = { account: '111122223333', region: 'us-east-1', type: 'T::A::One', after: '', limit: 11, maxBytes: 1 << 20 };
    const plan = (inner.db.prepare(`EXPLAIN QUERY PLAN ${inner.stmt.listResourcesWithin!.source}`).all(params) as { detail: string }[]).map((r) => r.detail);
    const onResources = plan.filter((d) => / r USING| resources /.test(d));
    assert.ok(onResources.length > 0, plan.join('\n'));
    for (const step of onResources) assert.match(step, /PRIMARY KEY \(.*identifier[>=]\?/, `every read of resources is by its primary key, up to the identifier:\n${plan.join('\n')}`);
    assert.ok(!plan.some((d) => d.includes('AUTOMATIC')), `no throwaway index:\n${plan.join('\n')}`);
    assert.equal((await store.listResources({ accountId: '111122223333', region: 'us-east-1' }, 'T::A::One', undefined, 10, 1 << 20)).length, 10);
  } finally {
    await store.close();
  }
});
