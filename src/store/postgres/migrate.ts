/**
 * Schema migrations for PostgreSQL: the numbered migrations in migrations/, applied in order inside one
 * transaction that first takes an advisory lock, so several nodes starting at once migrate exactly once
 * (the others wait on the lock, then find nothing left to do). `ccapi migrate` runs the same code.
 */
import pg from 'pg';
import { CONNECTION_DEFAULTS, clientConfig, type ConnectionOptions } from './connection.js';
import { POSTGRES_MIGRATIONS, type Migration } from './migrations/index.js';

/** Advisory lock keys (two int4s): 0x63636170 is "ccap"; the second number names what is locked. */
export const ADVISORY_LOCK_SPACE = 0x63636170;
export const MIGRATION_LOCK = 1;
export const PURGE_LOCK = 2;

export class SchemaTooNewError extends Error {}

// Created under the lock: CREATE ... IF NOT EXISTS is not safe against a concurrent identical CREATE.
const BOOKKEEPING = `CREATE SCHEMA IF NOT EXISTS ccapi;
CREATE TABLE IF NOT EXISTS ccapi.schema_migrations (
  version    integer PRIMARY KEY,
  name       text    NOT NULL,
  applied_at bigint  NOT NULL
);`;

/** Everything `ccapi migrate` would run on an empty database, for `ccapi migrate --print-sql` (review, or DBAs who apply it themselves). */
export function migrationSql(migrations: readonly Migration[] = POSTGRES_MIGRATIONS): string {
  const parts = [`-- ccapi PostgreSQL schema (${migrations.length} migration(s))`, 'BEGIN;', `SELECT pg_advisory_xact_lock(${ADVISORY_LOCK_SPACE}, ${MIGRATION_LOCK});`, BOOKKEEPING];
  for (const m of migrations) {
    parts.push(`\n-- Migration ${m.version}: ${m.name}`, m.sql.trim());
    parts.push(`INSERT INTO ccapi.schema_migrations (version, name, applied_at) VALUES (${m.version}, '${m.name.replace(/'/g, "''")}', (extract(epoch from clock_timestamp()) * 1000)::bigint);`);
  }
  parts.push('COMMIT;', '');
  return parts.join('\n');
}

export interface MigrationResult {
  /** Migrations this call applied (empty when the schema was already current). */
  applied: Migration[];
  /** The schema version now in the database. */
  version: number;
}

/**
 * Applies the pending migrations over `client` (a connected client, not inside a transaction). `now` is
 * the node's clock, recorded as applied_at. Throws SchemaTooNewError when the database was migrated by a
 * newer ccapi than this one: running old code on a newer schema could corrupt it.
 */
export async function migrate(client: pg.ClientBase, now: number, migrations: readonly Migration[] = POSTGRES_MIGRATIONS): Promise<MigrationResult> {
  await client.query('BEGIN');
  try {
    // Held until COMMIT: the second node to start waits here, then sees every version already recorded.
    await client.query('SELECT pg_advisory_xact_lock($1, $2)', [ADVISORY_LOCK_SPACE, MIGRATION_LOCK]);
    await client.query(BOOKKEEPING);
    const { rows } = await client.query<{ version: number }>('SELECT version FROM ccapi.schema_migrations');
    const done = new Set(rows.map((r) => r.version));
    const known = Math.max(0, ...migrations.map((m) => m.version));
    const newest = Math.max(0, ...done);
    if (newest > known) {
      throw new SchemaTooNewError(`The database schema is at version ${newest}, newer than this ccapi knows (${known}); upgrade ccapi`);
    }
    const applied: Migration[] = [];
    for (const m of migrations) {
      if (done.has(m.version)) continue;
      await client.query(m.sql);
      await client.query('INSERT INTO ccapi.schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)', [m.version, m.name, now]);
      applied.push(m);
    }
    await client.query('COMMIT');
    // Fresh tables have no statistics, and without them PostgreSQL's cached generic plan for the ClientToken
    // look-up scans the account's whole request history instead of the client-token index (measured: 1.2 ms
    // at 2,000 requests, growing, against 0.01 ms). Statistics of even an empty table fix the choice.
    if (applied.length > 0) await client.query('ANALYZE ccapi.requests');
    return { applied, version: Math.max(newest, ...applied.map((m) => m.version)) };
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  }
}

/**
 * Connects to `target` (a postgres:// URL, or undefined for the PG* environment variables), applies the
 * pending migrations and disconnects. What `ccapi migrate` calls.
 *
 * @example
 *   const { applied, version } = await runMigrations('postgres://ccapi@db:5432/ccapi');
 */
export async function runMigrations(target: string | undefined, options: ConnectionOptions = {}, migrations: readonly Migration[] = POSTGRES_MIGRATIONS): Promise<MigrationResult> {
  // Migrations may legitimately run longer than a request's statement timeout (an index build).
  const client = new pg.Client({ ...clientConfig(target, { ...CONNECTION_DEFAULTS, ...options }), statement_timeout: 0, query_timeout: 0 });
  // A connection lost mid-migration fails the query in progress; without a listener it would also crash the process.
  client.on('error', () => {});
  await client.connect();
  try {
    return await migrate(client, Date.now(), migrations);
  } finally {
    await client.end().catch(() => {});
  }
}
