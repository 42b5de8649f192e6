/**
 * Fault rules on a PostgreSQL cluster: rules set on one node (`ccapi faults set`) are applied by every node
 * within one poll interval (src/engine/fault-rules.ts, 1 s), cleared the same way, and kept across a restart
 * of the whole cluster. Two real server processes on a database of this file's own.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { CreateResourceCommand } from '@aws-sdk/client-cloudcontrol';
import { startServer, tempDir, type ServerProcess } from '../support/server.js';
import { getFaults, makeClient, waitForStatus } from '../e2e/support.js';
import { cleanEnv, runCli } from '../cli/support.js';
import { POSTGRES_SERVER_URL } from './support.js';
import { skipIfUnreachable } from '../support/prerequisites.js';

const TYPE = 'AWS::Logs::LogGroup';
const RULES = { rules: [{ typeName: TYPE, operation: 'CREATE', errorCode: 'NetworkFailure', statusMessage: 'set on node A' }] };

/** A database of this file's own (`ccapi_cli_…`), dropped at the end; or why the test skips. */
async function ownDatabase(): Promise<{ url: string; drop: () => Promise<void> } | string> {
  const maintenance = new pg.Client({ connectionString: POSTGRES_SERVER_URL, connectionTimeoutMillis: 3_000 });
  try {
    await maintenance.connect();
  } catch (error) {
    return skipIfUnreachable(POSTGRES_SERVER_URL, error);
  }
  const name = `ccapi_cli_faults_${process.pid}_${randomBytes(4).toString('hex')}`;
  await maintenance.query(`CREATE DATABASE ${name}`);
  await maintenance.end();
  const url = new URL(POSTGRES_SERVER_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const m = new pg.Client({ connectionString: POSTGRES_SERVER_URL });
      await m.connect();
      await m.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await m.end();
    },
  };
}

const database = await ownDatabase();
const skip = typeof database === 'string' ? database : undefined;
const nodes: ServerProcess[] = [];
after(async () => {
  await Promise.all(nodes.map((n) => n.stop()));
  if (typeof database !== 'string') await database.drop();
});

/** Polls a node's rules until `wanted` says yes; returns how long it took (a figure for the report, not asserted). */
async function rulesOn(node: ServerProcess, wanted: (rules: unknown[]) => boolean, what: string): Promise<number> {
  const started = Date.now();
  const deadline = started + 30_000; // only a hang: the design bound is one poll interval
  for (;;) {
    const { rules } = await getFaults(node);
    if (wanted(rules)) return Date.now() - started;
    if (Date.now() > deadline) throw new Error(`${what}: not seen within 30 s (rules: ${JSON.stringify(rules)})`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function createOn(node: ServerProcess, name: string): Promise<string> {
  const client = makeClient(node);
  try {
    const out = await client.send(new CreateResourceCommand({ TypeName: TYPE, DesiredState: JSON.stringify({ LogGroupName: name }) }));
    const done = await waitForStatus(client, out.ProgressEvent!.RequestToken!);
    return done.OperationStatus === 'FAILED' ? `FAILED ${done.ErrorCode}: ${done.StatusMessage}` : done.OperationStatus!;
  } finally {
    client.destroy();
  }
}

test('rules set on one node are applied by the other, cleared by either, and kept across a restart of both', { skip }, async () => {
  const url = (database as { url: string }).url;
  const start = async () => {
    const node = await startServer({ databaseFile: url });
    nodes.push(node);
    return node;
  };
  const [a, b] = [await start(), await start()];
  const file = join(tempDir(), 'rules.json');
  writeFileSync(file, JSON.stringify(RULES));
  const set = await runCli(['faults', 'set', file, '--endpoint-url', a.url], cleanEnv(), 60_000);
  assert.equal(set.status, 0, set.stderr);
  const seenAfter = await rulesOn(b, (rules) => rules.length === 1, 'node B picking up node A\'s rules');
  process.stdout.write(`# node B saw node A's rules ${seenAfter} ms after the CLI returned\n`);
  // B applies them, not only shows them: its own create (accepted and run on B's worker... or A's: either
  // node may run the step, and both have the rule) fails as the rule says.
  assert.equal(await createOn(b, 'via-b'), 'FAILED NetworkFailure: set on node A');

  const cleared = await fetch(`${b.url}/_ccapi/faults`, { method: 'DELETE' });
  assert.equal(cleared.status, 200);
  await rulesOn(a, (rules) => rules.length === 0, 'node A picking up node B\'s clear');
  assert.equal(await createOn(a, 'via-a'), 'SUCCESS');

  const again = await runCli(['faults', 'set', file, '--endpoint-url', b.url], cleanEnv(), 60_000);
  assert.equal(again.status, 0, again.stderr);
  await rulesOn(a, (rules) => rules.length === 1, 'node A picking up the rules again');
  await Promise.all(nodes.splice(0).map((n) => n.stop()));
  const c = await start();
  const { remaining: _, ...config } = await getFaults(c);
  assert.deepEqual(config, RULES, 'a node started after both stopped finds the rules in the database');
});
