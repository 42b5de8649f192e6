/**
 * The one place a --database value is made safe to show: the password a PostgreSQL connection string can
 * carry is replaced by `***` before the value reaches the start-up line, /_ccapi/health, a log or an error.
 */

/** What replaces a secret. */
export const MASK = '***';

const URL_WITH_SCHEME = /^[a-z][a-z0-9+.-]*:/i;
/** A SQLite path such as `sqlite:/var/ccapi.db` or `C:\ccapi.db` has a "scheme" too, but no secret to hide. */
const NOT_A_URL = /^(sqlite:|[a-z]:[\\/])/i;

/**
 * pg takes the password from a `password` query parameter (its name and value percent-decoded; the last
 * one wins) as well as from the userinfo. Any parameter whose name merely contains "password", in any case,
 * is hidden too: showing it gains nothing, and libpq-style names (`sslpassword`) carry secrets as well.
 */
const isSecretParameter = (name: string) => name.toLowerCase().includes('password');

/**
 * `database` with every password hidden: the userinfo password (`postgres://user:***@host/db`) and every
 * password query parameter (`?password=***`). A value that is not a URL (a SQLite file) is returned as
 * is; a URL that cannot be parsed is not shown at all.
 *
 * @example maskDatabase('postgresql://app:s3cret@db:5432/ccapi?password=s3cret') // 'postgresql://app:***@db:5432/ccapi?password=***'
 */
export function maskDatabase(database: string): string {
  if (!URL_WITH_SCHEME.test(database) || NOT_A_URL.test(database)) return database;
  const parsed = parseAsPg(database);
  if (!parsed) return `${database.slice(0, database.indexOf(':'))}:(unparsable URL, not shown)`;
  const { url, emptyHost } = parsed;
  if (url.password) url.password = MASK;
  const params = [...url.searchParams];
  if (params.some(([name]) => isSecretParameter(name))) {
    url.search = new URLSearchParams(params.map(([name, value]) => [name, isSecretParameter(name) ? MASK : value])).toString();
  }
  // pg ignores the fragment; dropped, so a mistyped password after a `#` cannot show either.
  url.hash = '';
  const shown = url.toString();
  return emptyHost ? shown.replace(`@${EMPTY_HOST_STAND_IN}/`, '@/') : shown;
}

const EMPTY_HOST_STAND_IN = '___DUMMY___';

/**
 * Parses `database` the way pg-connection-string 2.x (node_modules/pg-connection-string/index.js, `parse`)
 * does, so what is masked is exactly what pg reads: spaces and stray `%` are escaped first, and a URL with
 * an empty host (`postgres://user:pw@/db?host=/socket`) is read with a stand-in host.
 */
function parseAsPg(database: string): { url: URL; emptyHost: boolean } | undefined {
  let text = database;
  if (/ |%[^a-f0-9]|%[a-f0-9][^a-f0-9]/i.test(text)) text = encodeURI(text).replace(/%25(\d\d)/g, '%$1');
  try {
    return { url: new URL(text, 'postgres://base'), emptyHost: false };
  } catch {
    try {
      return { url: new URL(text.replace('@/', `@${EMPTY_HOST_STAND_IN}/`), 'postgres://base'), emptyHost: true };
    } catch {
      return undefined;
    }
  }
}
