/**
 * Connections to PostgreSQL: configuration from a URL or the standard PG* variables, timeouts so a call
 * fails fast instead of hanging when the database is unreachable, pipelined connections for the hot
 * single-statement reads, and retry with jittered backoff across a restart of the database.
 */
import pg from 'pg';
import { maskDatabase } from '../connection-string.js';
import { StoreUnavailableError } from '../store.js';

export interface ConnectionOptions {
  /** Pooled connections for group commits and transactions (a node also holds `pipelinedReaders`, one lease connection and one listener). */
  poolSize?: number;
  /** Connections that carry many single-statement reads at once (status polls, look-ups). */
  pipelinedReaders?: number;
  /** Giving up on opening a connection after this long is what keeps calls from hanging on a dead host. */
  connectTimeoutMs?: number;
  /** Server-side limit per statement; the client gives up a little later in case the server is gone. */
  statementTimeoutMs?: number;
  /** How long a call keeps retrying connection failures (a restart of PostgreSQL) before it fails as unavailable. */
  retryBudgetMs?: number;
}

export const CONNECTION_DEFAULTS: Required<ConnectionOptions> = {
  poolSize: 10,
  pipelinedReaders: 2,
  connectTimeoutMs: 2_000,
  statementTimeoutMs: 5_000,
  retryBudgetMs: 3_000,
};

const INT8_OID = 20;
// Times are epoch milliseconds and seq counts requests: both fit a double exactly, so bigint reads as number.
const types: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8_OID ? Number : pg.types.getTypeParser(oid, format)) as pg.CustomTypesConfig['getTypeParser'],
};

/**
 * Client settings for `target`: a postgres:// or postgresql:// URL, or undefined for the standard PG*
 * environment variables (PGHOST, PGPORT, PGUSER, PGPASSWORD, PGDATABASE), which pg reads itself.
 */
export function clientConfig(target: string | undefined, options: Required<ConnectionOptions>): pg.ClientConfig {
  const config: pg.ClientConfig = {
    types,
    application_name: 'ccapi',
    keepAlive: true,
    connectionTimeoutMillis: options.connectTimeoutMs,
    statement_timeout: options.statementTimeoutMs,
    // A server that vanished without closing the socket never answers; the client stops waiting here.
    query_timeout: options.statementTimeoutMs + 2_000,
    // A node that stops mid-transaction (network partition) must not keep row locks for long.
    idle_in_transaction_session_timeout: 30_000,
  };
  if (target !== undefined) config.connectionString = target;
  return config;
}

/** The database named by `target`, password hidden, for logs and the start-up line. */
export function describeTarget(target: string | undefined): string {
  if (target === undefined) {
    const env = process.env;
    return `postgres://${env.PGUSER ?? ''}${env.PGUSER ? '@' : ''}${env.PGHOST ?? 'localhost'}:${env.PGPORT ?? '5432'}/${env.PGDATABASE ?? env.PGUSER ?? ''} (PG* variables)`;
  }
  return maskDatabase(target);
}

const CONNECTION_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN']);
const CONNECTION_MESSAGES = /Connection terminated|timeout exceeded when trying to connect|^timeout expired$|not queryable|Client was closed|connection error/i;

/**
 * What to do with a failed call. `retry`: the statement never ran or was rolled back (connection refused
 * or dropped, the server restarting, a deadlock victim), so running it again is safe. `unavailable`: the
 * database is there but did not answer in time. `other`: a real error, surfaced as is.
 */
export function classifyError(error: unknown): 'retry' | 'unavailable' | 'other' {
  const e = error as { code?: unknown; message?: unknown };
  const code = typeof e.code === 'string' ? e.code : '';
  const message = typeof e.message === 'string' ? e.message : '';
  if (CONNECTION_CODES.has(code) || code.startsWith('08')) return 'retry';
  // admin_shutdown, crash_shutdown, cannot_connect_now (starting up), too_many_connections,
  // serialization_failure, deadlock_detected.
  if (['57P01', '57P02', '57P03', '53300', '40001', '40P01'].includes(code)) return 'retry';
  if (code === '57014' || message === 'Query read timeout') return 'unavailable';
  if (code === '' && CONNECTION_MESSAGES.test(message)) return 'retry';
  return 'other';
}

/** Backoff (ms) before retry n, before ±50% jitter: 25, 50, 100, 200, 400, 800, 800, … until the budget is spent. */
export function backoffMs(attempt: number, random: () => number = Math.random): number {
  return Math.round(Math.min(800, 25 * 2 ** attempt) * (0.5 + random()));
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Runs `call`, retrying connection failures with jittered backoff for up to `budgetMs`; then (or at once
 * for a timeout) fails with StoreUnavailableError, which api/ answers as a retryable 500.
 */
export async function withRetry<T>(what: string, budgetMs: number, call: () => Promise<T>): Promise<T> {
  const started = Date.now();
  for (let attempt = 0; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      const kind = classifyError(error);
      if (kind === 'other') throw error;
      const wait = backoffMs(attempt);
      if (kind === 'unavailable' || Date.now() - started + wait > budgetMs) {
        throw new StoreUnavailableError(`PostgreSQL is unavailable (${what}): ${(error as Error).message}`, { cause: error });
      }
      await sleep(wait);
    }
  }
}

/**
 * A few connections in pipeline mode, used round-robin for single statements: many status polls share
 * one round trip instead of each holding a pooled connection (2-3x the poll throughput of a pool, measured
 * with pg 8.23). A connection that fails is dropped and reopened on next use; `setup` runs on each new
 * connection before anything else.
 */
export class PipelinedConnections {
  private readonly slots: (Promise<pg.Client> | undefined)[];
  private next = 0;
  private closed = false;

  constructor(
    private readonly config: pg.ClientConfig,
    count: number,
    private readonly onError: (error: Error) => void,
    private readonly setup?: string,
  ) {
    this.slots = new Array<Promise<pg.Client> | undefined>(Math.max(1, count)).fill(undefined);
  }

  async query<R extends pg.QueryResultRow>(query: pg.QueryConfig): Promise<pg.QueryResult<R>> {
    if (this.closed) throw new Error('the PostgreSQL store is closed');
    const client = await this.client(this.next++ % this.slots.length);
    return client.query<R>(query);
  }

  private client(i: number): Promise<pg.Client> {
    const existing = this.slots[i];
    if (existing) return existing;
    if (this.closed) return Promise.reject(new Error('the PostgreSQL store is closed'));
    const client = new pg.Client({ ...this.config, pipeline: true });
    const opened: Promise<pg.Client> = client
      .connect()
      .then(() => (this.setup ? client.query(this.setup) : undefined))
      .then(
        () => client,
        (error: unknown) => {
          drop();
          client.end().catch(() => {});
          throw error;
        },
      );
    const drop = () => {
      if (this.slots[i] === opened) this.slots[i] = undefined;
    };
    client.on('error', (error) => {
      drop();
      this.onError(error);
      client.end().catch(() => {});
    });
    client.on('end', drop);
    this.slots[i] = opened;
    return opened;
  }

  async close(): Promise<void> {
    this.closed = true;
    const open = this.slots.map((slot, i) => ((this.slots[i] = undefined), slot));
    await Promise.all(open.map((slot) => slot?.then((c) => c.end()).catch(() => {})));
  }
}
