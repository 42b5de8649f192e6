/**
 * End-to-end, start-up errors (#16 part 1) as a user meets them: real `ccapi serve` / `ccapi migrate`
 * processes that fail to start, and what they print: what went wrong and what to do about it.
 */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { CLI, tempDir } from '../support/server.js';
import { POSTGRES_SERVER_URL } from '../multinode/support.js';
import { skipIfUnreachable } from '../support/prerequisites.js';

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the CLI to its end (60 s is only a hang on a busy machine); a server that does start is stopped and reported. */
function runCli(args: string[], options: { cwd?: string } = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd: options.cwd ?? process.cwd(), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      if (/listening on/.test(stdout)) child.kill('SIGTERM'); // it started: the caller looks at the start-up line
    });
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`ccapi ${args.join(' ')} did not end within 60 s\n${stdout}\n${stderr}`));
    }, 60_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

function listenAnywhere(): Promise<{ server: Server; port: number }> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => resolve({ server, port: (server.address() as { port: number }).port }));
  });
}

describe('start-up errors say what to do', () => {
  test('a port in use: which port, and --port 0 or CCAPI_PORT', async () => {
    const { server, port } = await listenAnywhere();
    try {
      const run = await runCli(['serve', '--port', String(port), '--database', ':memory:']);
      assert.equal(run.code, 1, run.stdout + run.stderr);
      assert.match(run.stderr, new RegExp(`^ccapi: port ${port} on 127\\.0\\.0\\.1 is already in use`));
      assert.match(run.stderr, /--port 0/);
      assert.match(run.stderr, /CCAPI_PORT/);
      assert.ok(!/\n\s+at /.test(run.stderr), 'no stack trace');
    } finally {
      server.close();
    }
  });

  test('a SQLite path under a file: the absolute path in the error, and what to do', async () => {
    const dir = tempDir('ccapi-startup-');
    writeFileSync(join(dir, 'a-file'), 'not a folder');
    const run = await runCli(['serve', '--port', '0', '--database', 'a-file/ccapi.db'], { cwd: dir });
    assert.equal(run.code, 1, run.stdout + run.stderr);
    assert.match(run.stderr, new RegExp(`cannot open the SQLite database ${join(dir, 'a-file/ccapi.db').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
    assert.match(run.stderr, /--database/);
  });

  test('a file that is not a SQLite database: its path, and what to do', async () => {
    const dir = tempDir('ccapi-startup-');
    const file = join(dir, 'notes.db');
    writeFileSync(file, randomBytes(4096));
    const run = await runCli(['serve', '--port', '0', '--database', file]);
    assert.equal(run.code, 1, run.stdout + run.stderr);
    assert.ok(run.stderr.includes(`cannot open the SQLite database ${file}: file is not a database`), run.stderr);
    assert.match(run.stderr, /move it away, or give --database/);
  });

  test('the start-up line shows the database as an absolute path', async () => {
    const dir = tempDir('ccapi-startup-');
    mkdirSync(join(dir, 'data'));
    const run = await runCli(['serve', '--port', '0', '--database', 'data/here.db'], { cwd: dir });
    assert.ok(run.stdout.includes(`database sqlite:${join(dir, 'data/here.db')}`), run.stdout + run.stderr);
  });

  test('an unreachable PostgreSQL, for ccapi migrate and for serve: where, and what to check', async () => {
    const { server, port } = await listenAnywhere();
    await new Promise((resolve) => server.close(resolve)); // now nothing listens there
    const url = `postgres://postgres@127.0.0.1:${port}/anything`;
    const migrate = await runCli(['migrate', '--database', url]);
    assert.equal(migrate.code, 1, migrate.stdout + migrate.stderr);
    assert.match(migrate.stderr, new RegExp(`^ccapi: cannot reach PostgreSQL at 127\\.0\\.0\\.1:${port} while migrating the schema \\(ECONNREFUSED`));
    assert.match(migrate.stderr, /Is PostgreSQL running/);
    const serve = await runCli(['serve', '--port', '0', '--database', url]);
    assert.equal(serve.code, 1, serve.stdout + serve.stderr);
    assert.match(serve.stderr, new RegExp(`cannot reach PostgreSQL at 127\\.0\\.0\\.1:${port}`));
  });
});

describe('a missing PostgreSQL database', async () => {
  const maintenance = new pg.Client({ connectionString: POSTGRES_SERVER_URL, connectionTimeoutMillis: 3_000 });
  let skip: string | undefined;
  try {
    await maintenance.connect();
  } catch (error) {
    skip = skipIfUnreachable(POSTGRES_SERVER_URL, error);
  }
  after(() => maintenance.end().catch(() => {}));

  test('says which database is missing and the createdb command that makes it', skip ? { skip } : {}, async () => {
    const name = `ccapi_observe_missing_${randomBytes(4).toString('hex')}`;
    const url = new URL(POSTGRES_SERVER_URL);
    url.pathname = `/${name}`;
    const run = await runCli(['serve', '--port', '0', '--database', url.toString()]);
    assert.equal(run.code, 1, run.stdout + run.stderr);
    assert.ok(run.stderr.includes(`has no database "${name}"`), run.stderr);
    const user = decodeURIComponent(url.username) || 'postgres';
    assert.ok(run.stderr.includes(`createdb -h ${url.hostname} -p ${url.port || '5432'} -U ${user} ${name}`), run.stderr);
    // The command it prints works: run the same through SQL, and the server starts.
    await maintenance.query(`CREATE DATABASE ${name}`);
    try {
      const started = await runCli(['serve', '--port', '0', '--database', url.toString()]);
      assert.match(started.stdout, /listening on/, started.stderr);
    } finally {
      await maintenance.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    }
  });
});
