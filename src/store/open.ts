/**
 * Opens the Store a --database value names: a SQLite file path, `sqlite:PATH` or `:memory:`; or
 * PostgreSQL as a `postgres://` / `postgresql://` URL, or `postgres:` alone for the standard PG*
 * environment variables (PGHOST, PGPORT, PGUSER, PGPASSWORD, PGDATABASE).
 */
import { maskDatabase } from './connection-string.js';
import { sqliteOpenError } from './database-errors.js';
import { DatabaseInUseError, SqliteStore } from './sqlite/sqlite-store.js';
import type { Store } from './store.js';

export class UnsupportedDatabaseError extends Error {}

export interface OpenStoreOptions {
  /** Connection trouble a shared database reports (a dropped connection, a reconnect), for the log. */
  onConnectionError?: (error: Error, detail: string) => void;
}

const USAGE = 'use a SQLite file path, sqlite:PATH, :memory:, postgres://user:password@host:port/database, or postgres: for the PG* environment variables';

/** Whether `database` names PostgreSQL (several nodes may share it) rather than a SQLite file. */
export function isPostgres(database: string): boolean {
  return /^postgres(ql)?:/i.test(database);
}

/** The connection URL in a PostgreSQL --database value; undefined for `postgres:` (the PG* variables). */
export function postgresTarget(database: string): string | undefined {
  if (/^postgres(ql)?:$/i.test(database)) return undefined;
  if (/^postgres(ql)?:\/\//i.test(database)) return database;
  throw new UnsupportedDatabaseError(`Unsupported database ${maskDatabase(database)}; ${USAGE}`);
}

/**
 * The PostgreSQL store (and the pg driver under it) is imported only when a database asks for it: a SQLite
 * server, the default, starts without loading it (about 100 ms of start-up here).
 */
export async function openStore(database: string, options: OpenStoreOptions = {}): Promise<Store> {
  if (database === ':memory:' || database === 'sqlite::memory:') return new SqliteStore(':memory:');
  if (isPostgres(database)) {
    const target = postgresTarget(database);
    const { PostgresStore } = await import('./postgres/postgres-store.js');
    return new PostgresStore(target, options);
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(database)) throw new UnsupportedDatabaseError(`Unsupported database URL ${maskDatabase(database)}; ${USAGE}`);
  const path = database.startsWith('sqlite:') ? database.slice('sqlite:'.length) : database;
  try {
    return new SqliteStore(path);
  } catch (error) {
    // Another process holding the file already says which file, and what to do.
    if (error instanceof DatabaseInUseError) throw error;
    throw sqliteOpenError(path, error);
  }
}
