/**
 * Start-up errors of a database, said so a user knows what to do: which database (the SQLite file's
 * absolute path; the PostgreSQL host, port and database, without the password), what went wrong, and the
 * command or option that fixes it.
 */
import { userInfo } from 'node:os';
import { resolve } from 'node:path';

/** An error's code, or that of the error it wraps (pg and StoreUnavailableError wrap the socket's error). */
function codeOf(error: unknown): string | undefined {
  for (let e = error as { code?: unknown; cause?: unknown } | undefined, depth = 0; e && depth < 5; e = e.cause as typeof e, depth++) {
    if (typeof e.code === 'string') return e.code;
  }
  return undefined;
}

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** Why a SQLite file could not be opened, with its absolute path and a way out. */
export function sqliteOpenError(path: string, error: unknown): Error {
  const file = resolve(path);
  const code = codeOf(error);
  const message = messageOf(error);
  let hint = 'give --database (CCAPI_DATABASE) another file path';
  if (code === 'SQLITE_NOTADB' || /not a database/i.test(message)) hint = 'the file exists but is not a SQLite database: move it away, or give --database (CCAPI_DATABASE) another file path';
  else if (code === 'EACCES' || code === 'EPERM' || code === 'SQLITE_CANTOPEN' || code === 'SQLITE_READONLY') hint = 'check that this user may create and write the file and its folder, or give --database (CCAPI_DATABASE) another path';
  else if (code === 'EEXIST' || code === 'ENOTDIR') hint = 'part of the path is a file, not a folder: give --database (CCAPI_DATABASE) a path whose folders are folders';
  return new Error(`cannot open the SQLite database ${file}: ${message} (${hint})`, { cause: error });
}

interface PostgresPlace {
  host: string;
  port: string;
  user: string;
  database: string;
}

/** Where a PostgreSQL target points, as libpq (and the pg driver) would resolve it; never the password. */
export function postgresPlace(target: string | undefined): PostgresPlace {
  const env = process.env;
  const defaultUser = env.PGUSER ?? safeUserName();
  if (target === undefined) {
    return { host: env.PGHOST ?? 'localhost', port: env.PGPORT ?? '5432', user: defaultUser, database: env.PGDATABASE ?? defaultUser };
  }
  const url = new URL(target);
  const user = url.username ? decodeURIComponent(url.username) : defaultUser;
  const database = decodeURIComponent(url.pathname.replace(/^\//, '')) || user;
  return { host: url.hostname || 'localhost', port: url.port || '5432', user, database };
}

function safeUserName(): string {
  try {
    return userInfo().username;
  } catch {
    return 'postgres';
  }
}

const shellWord = (word: string) => (/^[A-Za-z0-9_.:/@-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`);

/**
 * A PostgreSQL error met while connecting or migrating, explained. Error codes from the PostgreSQL manual,
 * Appendix A (https://www.postgresql.org/docs/current/errcodes-appendix.html): 3D000 invalid_catalog_name (the
 * database does not exist), 28P01 invalid_password, 28000 invalid_authorization_specification.
 */
export function explainPostgresError(target: string | undefined, error: unknown, doing: string): string {
  const place = postgresPlace(target);
  const where = `${place.host}:${place.port}`;
  const code = codeOf(error);
  const message = messageOf(error);
  switch (code) {
    case '3D000':
      return (
        `PostgreSQL at ${where} has no database "${place.database}" (${message}). Create it, then start again: ` +
        `createdb -h ${shellWord(place.host)} -p ${place.port} -U ${shellWord(place.user)} ${shellWord(place.database)}`
      );
    case '28P01':
    case '28000':
      return `PostgreSQL at ${where} refused user "${place.user}" (${message}): check the user and password in --database (CCAPI_DATABASE) or PGUSER/PGPASSWORD`;
    case 'ECONNREFUSED':
    case 'ETIMEDOUT':
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return (
        `cannot reach PostgreSQL at ${where} while ${doing} (${code}: ${message}). Is PostgreSQL running and listening there? ` +
        `Check the host and port in --database (CCAPI_DATABASE), or PGHOST/PGPORT for postgres:`
      );
    default:
      return `PostgreSQL at ${where}, database "${place.database}", while ${doing}: ${message}`;
  }
}
