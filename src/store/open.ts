/** Opens the Store a --database value names: a file path, `sqlite:PATH`, or `:memory:`. */
import { SqliteStore } from './sqlite/sqlite-store.js';
import type { Store } from './store.js';

export class UnsupportedDatabaseError extends Error {}

export function openStore(database: string): Store {
  if (database === ':memory:' || database === 'sqlite::memory:') return new SqliteStore(':memory:');
  if (/^postgres(ql)?:/.test(database)) {
    throw new UnsupportedDatabaseError('PostgreSQL is not supported yet in this version; use a SQLite file path, sqlite:PATH or :memory:');
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(database)) throw new UnsupportedDatabaseError(`Unsupported database URL ${database}; use a SQLite file path, sqlite:PATH or :memory:`);
  return new SqliteStore(database.startsWith('sqlite:') ? database.slice('sqlite:'.length) : database);
}
