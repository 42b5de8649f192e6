// Resources stored before migration 006 are indexed by the backfill at start, in batches (SQLite; the PostgreSQL
// store's backfill runs the same statements shape in test/conformance/postgres.test.ts's migrations only).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { SQLITE_MIGRATIONS } from '../store/sqlite/migrations/index.js';
import { SqliteStore } from '../store/sqlite/sqlite-store.js';
import { inMemoryCatalogue } from '../registry/catalogue.js';
import { backfillResourceIndex } from './index-backfill.js';

const SCOPE = { accountId: '111122223333', region: 'us-east-1' };
const SUBNET = 'Test::EC2::Subnet';
const catalogue = inMemoryCatalogue([
  { typeName: 'Test::EC2::VPC', properties: { VpcId: { type: 'string' } }, primaryIdentifier: ['/properties/VpcId'] },
  {
    typeName: SUBNET,
    properties: { SubnetId: { type: 'string' }, VpcId: { type: 'string', relationshipRef: { typeName: 'Test::EC2::VPC', propertyPath: '/properties/VpcId' } } },
    primaryIdentifier: ['/properties/SubnetId'],
  },
]);

test('resources stored before migration 006 are indexed by the backfill, in batches, once', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ccapi-refindex-'));
  try {
    const file = join(dir, 'ccapi.db');
    // A database as a ccapi before the resource index left it: migrations up to 3, resources in it.
    const old = new Database(file);
    for (const m of SQLITE_MIGRATIONS.filter((m) => m.version < 6)) old.exec(m.sql);
    old.pragma(`user_version = ${Math.max(...SQLITE_MIGRATIONS.filter((m) => m.version < 6).map((m) => m.version))}`);
    const insert = old.prepare('INSERT INTO resources (account_id, region, type_name, identifier, properties, created_at, updated_at) VALUES (?, ?, ?, ?, ?, 1, 1)');
    for (let i = 0; i < 7; i++) insert.run(SCOPE.accountId, SCOPE.region, SUBNET, `subnet-${i}`, JSON.stringify({ SubnetId: `subnet-${i}`, VpcId: i < 5 ? 'vpc-1' : 'vpc-2' }));
    old.close();

    const store = new SqliteStore(file);
    try {
      assert.deepEqual(await store.findResources(SCOPE, SUBNET, 'VpcId', 'vpc-1', 10), [], 'not indexed before the backfill');
      assert.equal(await backfillResourceIndex(store, catalogue, () => false, 3), 7, 'batches of 3: 3 + 3 + 1');
      assert.deepEqual((await store.findResources(SCOPE, SUBNET, 'VpcId', 'vpc-1', 10)).map((r) => r.identifier), ['subnet-0', 'subnet-1', 'subnet-2', 'subnet-3', 'subnet-4']);
      assert.deepEqual((await store.findResources(SCOPE, SUBNET, 'VpcId', 'vpc-2', 10)).map((r) => r.identifier), ['subnet-5', 'subnet-6']);
      assert.equal(await backfillResourceIndex(store, catalogue), 0, 'done: nothing more');
    } finally {
      await store.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a fresh database has nothing to backfill', async () => {
  const store = new SqliteStore(':memory:');
  try {
    assert.equal(await store.backfillResourceIndex(() => assert.fail('no resource to index'), 10), 0);
  } finally {
    await store.close();
  }
});
