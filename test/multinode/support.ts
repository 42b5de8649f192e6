/**
 * PostgreSQL for tests: a fresh database per test file (created through the maintenance database and
 * dropped at the end), so tests never touch other databases; a private throwaway cluster for the test
 * that restarts PostgreSQL; and a small raw AWS JSON 1.0 client for driving several server processes.
 */
import { execFile, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chownSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { postgresBin, skipIfMissing, skipIfUnreachable } from '../support/prerequisites.js';

/** The server to test on: CCAPI_TEST_POSTGRES_URL (any database on it; used for CREATE/DROP DATABASE), or the local default. */
export const POSTGRES_SERVER_URL = process.env.CCAPI_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export interface TestDatabase {
  name: string;
  url: string;
  /** A connection to the test database for checks the API cannot make (row counts, locks). */
  admin: pg.Client;
  drop(): Promise<void>;
}

export type TestDatabaseOrSkip = { db: TestDatabase; skip?: undefined } | { db?: undefined; skip: string };

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

/**
 * Creates `<prefix>_<pid>_<random>` (default prefix `ccapi_test`) on the test server, or says why PostgreSQL tests must skip
 * (nothing answers there; under CI=true that throws instead, see prerequisites.ts). `.ci/run` starts the
 * local server first.
 */
export async function createTestDatabase(prefix = 'ccapi_test'): Promise<TestDatabaseOrSkip> {
  const maintenance = new pg.Client({ connectionString: POSTGRES_SERVER_URL, connectionTimeoutMillis: 3_000 });
  try {
    await maintenance.connect();
  } catch (error) {
    return { skip: skipIfUnreachable(POSTGRES_SERVER_URL, error) };
  }
  const name = `${prefix}_${process.pid}_${randomBytes(4).toString('hex')}`;
  try {
    await maintenance.query(`CREATE DATABASE ${name}`);
  } finally {
    await maintenance.end();
  }
  const url = withDatabase(POSTGRES_SERVER_URL, name);
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  let dropped = false;
  return {
    db: {
      name,
      url,
      admin,
      async drop() {
        if (dropped) return;
        dropped = true;
        await admin.end().catch(() => {});
        const m = new pg.Client({ connectionString: POSTGRES_SERVER_URL });
        await m.connect();
        try {
          // FORCE: a server process a failed test left running must not keep the database alive.
          await m.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        } finally {
          await m.end();
        }
      },
    },
  };
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export interface PrivateCluster {
  url: string;
  /** `pg_ctl restart -m fast`: every connection is dropped, the server is down for a moment, then back. */
  restart(): Promise<void>;
  /** Shuts the server down (`pg_ctl stop -m fast`) until `start()`: an outage. */
  shutDown(): Promise<void>;
  start(): Promise<void>;
  stop(): void;
}

/**
 * A throwaway PostgreSQL cluster (initdb into a temporary folder, its own port), for the test that
 * restarts the database: restarting the shared server would break every other test running on it at
 * the same time. Runs as the `postgres` user when the tests run as root (initdb refuses root). Answers
 * the reason to skip when the server binaries are missing (under CI=true that throws); an initdb or
 * pg_ctl that fails throws.
 */
export async function startPrivateCluster(): Promise<PrivateCluster | string> {
  const skip = skipIfMissing('postgresServer');
  if (skip !== undefined) return skip;
  const initdb = postgresBin('initdb')!;
  const pgCtlBin = postgresBin('pg_ctl')!;
  const asRoot = process.getuid?.() === 0;
  const dir = mkdtempSync(join(tmpdir(), 'ccapi-pg-'));
  const port = await freePort();
  const command = (args: string[]): [string, string[]] => (asRoot ? ['runuser', ['-u', 'postgres', '--', ...args]] : [args[0]!, args.slice(1)]);
  const run = (args: string[]) => {
    const out = spawnSync(...command(args), { encoding: 'utf8' });
    if (out.status !== 0) throw new Error(`${args.join(' ')} failed: ${out.stderr || out.stdout || out.error}`);
  };
  // The restart must not block the test's event loop: its clients keep calling while the server is down.
  const runAsync = (args: string[]) =>
    new Promise<void>((resolve, reject) =>
      execFile(...command(args), (error, stdout, stderr) => (error ? reject(new Error(`${args.join(' ')} failed: ${stderr || stdout}`)) : resolve())),
    );
  // Binaries that are there but fail are a failure, never a skip.
  try {
    if (asRoot) chownSync(dir, Number(spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).stdout.trim()), -1);
    run([initdb, '-D', join(dir, 'data'), '-A', 'trust', '-U', 'postgres', '--no-sync']);
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`cannot create a private PostgreSQL cluster: ${(error as Error).message}`, { cause: error });
  }
  const pgCtl = (action: string) => [pgCtlBin, '-D', join(dir, 'data'), '-l', join(dir, 'log'), '-m', 'fast', '-w', '-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1`, action];
  run(pgCtl('start'));
  let stopped = false;
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    restart: () => runAsync(pgCtl('restart')),
    shutDown: () => runAsync(pgCtl('stop')),
    start: () => runAsync(pgCtl('start')),
    stop: () => {
      if (stopped) return;
      stopped = true;
      try {
        spawnSync(...command(pgCtl('stop')));
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

export interface ApiAnswer {
  status: number;
  body: Record<string, unknown>;
}

/** One Cloud Control call over AWS JSON 1.0, unsigned (the caller is the default account). Throws on a network error or timeout. */
export async function callApi(baseUrl: string, operation: string, input: object, timeoutMs = 10_000): Promise<ApiAnswer> {
  const res = await fetch(baseUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': `CloudApiService.${operation}` },
    body: JSON.stringify(input),
    signal: AbortSignal.timeout(timeoutMs),
  });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

/** The error code of a failed answer (`__type` after the `#`). */
export const errorCode = (answer: ApiAnswer) => String(answer.body.__type ?? '').split('#').pop();
