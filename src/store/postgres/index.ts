/** The PostgreSQL store and its migrations, for open.ts and the `ccapi migrate` command. */
export { PostgresStore, type PostgresStoreOptions } from './postgres-store.js';
export { migrationSql, runMigrations, SchemaTooNewError, type MigrationResult } from './migrate.js';
export { POSTGRES_MIGRATIONS, type Migration } from './migrations/index.js';
