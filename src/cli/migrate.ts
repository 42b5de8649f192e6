/** `ccapi migrate [--print-sql]`: applies (or prints) the PostgreSQL schema migrations without starting a server. */
import { Option, type Command } from 'commander';
import { isPostgres, postgresTarget, UnsupportedDatabaseError } from '../store/open.js';
import { fail } from './catalogue.js';
import { explainPostgresError } from '../store/database-errors.js';

export function registerMigrate(program: Command): void {
  program
    .command('migrate')
    .description('Apply the PostgreSQL schema migrations (every node also applies them at start, under an advisory lock)')
    .addOption(new Option('--database <db>', 'postgres://user:password@host:port/database, or postgres: for the PG* variables').env('CCAPI_DATABASE'))
    .option('--print-sql', 'print the SQL instead of running it (nothing is contacted)')
    .action(async (opts: { database?: string; printSql?: boolean }) => {
      // Imported here, not at the top: every other command would load the pg driver for nothing.
      const { migrationSql, runMigrations } = await import('../store/postgres/index.js');
      if (opts.printSql) return void process.stdout.write(migrationSql());
      if (!opts.database || !isPostgres(opts.database)) {
        fail('ccapi migrate needs --database postgres://user:password@host:port/database (or postgres: for the PG* variables); SQLite files are migrated when a server opens them');
      }
      try {
        const { applied, version } = await runMigrations(postgresTarget(opts.database));
        process.stdout.write(
          applied.length
            ? `applied migration(s) ${applied.map((m) => `${m.version} (${m.name})`).join(', ')}; the schema is at version ${version}\n`
            : `the schema is at version ${version}; nothing to apply\n`,
        );
      } catch (error) {
        if (error instanceof UnsupportedDatabaseError) fail(error.message);
        fail(explainPostgresError(postgresTarget(opts.database), error, 'migrating the schema'));
      }
    });
}
