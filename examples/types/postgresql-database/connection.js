/**
 * How the handlers talk to PostgreSQL: one short-lived connection per step that honours the step's abort
 * signal, transactions, and PostgreSQL's refusals turned into the contract's error codes.
 */
import pg from 'pg';

/** @typedef {import('ccapi/handlers').HandlerContext} HandlerContext */
/** @typedef {import('ccapi/handlers').HandlerErrorCode} HandlerErrorCode */
/**
 * @typedef {object} ConnectionSettings  the type configuration (schema.json's typeConfiguration)
 * @property {string} host
 * @property {number} [port]
 * @property {string} user
 * @property {string} [password]
 * @property {string} [database]
 * @property {boolean} [ssl]
 * @property {number} [connectTimeoutSeconds]
 * @property {number} [listPageSize]
 */
/** @typedef {{ status: 'FAILED', errorCode: HandlerErrorCode, message: string }} FailedEvent */

/**
 * Below ccapi's 60 s step budget: the server gives up on a stuck statement by itself, where closing our
 * socket on abort would leave it running until it next writes to the socket.
 */
const STATEMENT_TIMEOUT_MS = 30_000;

/**
 * PostgreSQL errors a caller can act on, by SQLSTATE, as the contract's error codes. Anything else is
 * thrown, and ccapi reports it as InternalFailure with the error's message.
 *
 * @type {Record<string, HandlerErrorCode>}
 */
const ERROR_CODES_BY_SQLSTATE = {
  '28P01': 'InvalidCredentials', // invalid_password
  '28000': 'InvalidCredentials', // invalid_authorization_specification (no pg_hba.conf entry)
  '42501': 'AccessDenied', // insufficient_privilege: the admin role lacks CREATEDB / CREATEROLE
  '42P04': 'AlreadyExists', // duplicate_database: lost a race with another CREATE DATABASE
  '42710': 'AlreadyExists', // duplicate_object: lost a race with another CREATE ROLE
  '53300': 'Throttling', // too_many_connections
  '55006': 'ResourceConflict', // object_in_use
  '2BP01': 'ResourceConflict', // dependent_objects_still_exist: the owner role owns objects or holds privileges elsewhere
  '22023': 'InvalidRequest', // invalid_parameter_value (an encoding the server's locale refuses)
};

const NETWORK_ERRORS = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ETIMEDOUT', 'EPIPE']);

/**
 * @param {unknown} error
 * @param {boolean} connecting whether it happened while connecting
 * @returns {HandlerErrorCode | undefined}
 */
function handlerErrorCodeOf(error, connecting) {
  if (!(error instanceof Error)) return undefined;
  const code = /** @type {{ code?: unknown }} */ (error).code;
  // invalid_catalog_name while connecting: the configured admin database does not exist. (Later, the
  // same code means a database vanished under a statement: not a configuration problem.)
  if (code === '3D000' && connecting) return 'InvalidTypeConfiguration';
  if (typeof code === 'string' && code in ERROR_CODES_BY_SQLSTATE) return ERROR_CODES_BY_SQLSTATE[code];
  if (typeof code === 'string' && NETWORK_ERRORS.has(code)) return 'NetworkFailure';
  // pg's own wording when connectionTimeoutMillis runs out (it carries no code).
  if (/connection timeout/i.test(error.message)) return 'NetworkFailure';
  return undefined;
}

/**
 * ccapi checked the configuration against schema.json when the type loaded; this answers a direct call.
 *
 * @param {string} typeName
 * @param {ConnectionSettings | undefined} settings
 * @returns {string | undefined} what is wrong with them
 */
function settingsProblem(typeName, settings) {
  if (settings === undefined) return `No type configuration for ${typeName}: give one with --type-config FILE`;
  if (typeof settings.host !== 'string' || typeof settings.user !== 'string') return `The type configuration of ${typeName} needs "host" and "user"`;
  return undefined;
}

/**
 * Runs one step's work on its own short-lived connection: connected, used, closed in `finally`. When the
 * step's budget runs out (context.signal), the socket is destroyed at once, which fails whatever connect
 * or query is waiting (the server ends a statement still running by statement_timeout); ccapi records the
 * step as failed and ignores what the handler does afterwards.
 * PostgreSQL refusals a caller can act on become FAILED events with the matching error code.
 *
 * @template {import('ccapi/handlers').Model} M
 * @template C
 * @param {import('ccapi/handlers').ResourceHandlerRequest<M, C, ConnectionSettings>} request
 * @param {HandlerContext} context
 * @param {(client: pg.Client, settings: ConnectionSettings) => Promise<import('ccapi/handlers').ProgressEvent<M, C>>} work
 * @returns {Promise<import('ccapi/handlers').ProgressEvent<M, C>>}
 */
export async function run(request, context, work) {
  const settings = request.typeConfiguration;
  const problem = settingsProblem(request.typeName, settings);
  if (problem || !settings) return failed('InvalidTypeConfiguration', problem ?? '');
  context.signal.throwIfAborted();
  const client = new pg.Client({
    host: settings.host,
    port: settings.port ?? 5432,
    user: settings.user,
    password: settings.password,
    database: settings.database ?? 'postgres',
    ssl: settings.ssl ?? false,
    connectionTimeoutMillis: (settings.connectTimeoutSeconds ?? 5) * 1000,
    statement_timeout: STATEMENT_TIMEOUT_MS,
    application_name: request.typeName,
  });
  // Without a listener, an 'error' event (the server going away while idle) would end the ccapi process.
  client.on('error', (error) => {
    if (!context.signal.aborted) context.log.warn({ err: error.message }, 'PostgreSQL connection error');
  });
  // Not client.end(): that says goodbye politely and waits for the server, which may be the thing not
  // answering. Destroying the socket fails a pending connect() or query() at once.
  const abort = () => client.connection.stream.destroy();
  context.signal.addEventListener('abort', abort, { once: true });
  let connecting = true;
  try {
    await client.connect();
    connecting = false;
    return await work(client, settings);
  } catch (error) {
    if (context.signal.aborted) throw context.signal.reason;
    const errorCode = handlerErrorCodeOf(error, connecting);
    if (!errorCode) throw error;
    const message = /** @type {Error} */ (error).message;
    context.log.warn({ errorCode, err: message }, 'PostgreSQL refused the operation');
    return failed(errorCode, `PostgreSQL: ${message}`);
  } finally {
    context.signal.removeEventListener('abort', abort);
    await client.end().catch(() => {});
  }
}

/**
 * BEGIN … COMMIT around `work`, ROLLBACK if it throws.
 *
 * @param {pg.Client} client
 * @param {() => Promise<void>} work
 */
export async function inTransaction(client, work) {
  await client.query('BEGIN');
  try {
    await work();
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  }
}

/**
 * @param {HandlerErrorCode} errorCode
 * @param {string} message
 * @returns {FailedEvent}
 */
export function failed(errorCode, message) {
  return { status: 'FAILED', errorCode, message };
}
