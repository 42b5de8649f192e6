/**
 * End-to-end: fault rules set on a running server (`ccapi faults set`, PUT /_ccapi/faults) are kept in its
 * database: a restart on the same database applies them again, and `serve --faults FILE` replaces them.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CreateResourceCommand } from '@aws-sdk/client-cloudcontrol';
import { startServer, tempDir, type ServerProcess } from '../support/server.js';
import { cleanEnv, runCli } from '../cli/support.js';
import { getFaults, makeClient, waitForStatus } from './support.js';

const TYPE = 'AWS::Logs::LogGroup';
const RULES = { seed: 3, rules: [{ typeName: TYPE, operation: 'CREATE', errorCode: 'ServiceLimitExceeded', statusMessage: 'kept across restarts' }] };

let server: ServerProcess | undefined;
after(() => server?.stop());

async function createFails(s: ServerProcess, name: string): Promise<string | undefined> {
  const client = makeClient(s);
  try {
    const out = await client.send(new CreateResourceCommand({ TypeName: TYPE, DesiredState: JSON.stringify({ LogGroupName: name }) }));
    const done = await waitForStatus(client, out.ProgressEvent!.RequestToken!);
    return done.OperationStatus === 'FAILED' ? `${done.ErrorCode}: ${done.StatusMessage}` : undefined;
  } finally {
    client.destroy();
  }
}

test('rules set with `ccapi faults set` survive a restart; `serve --faults FILE` replaces them', async () => {
  const dir = tempDir();
  const databaseFile = join(dir, 'ccapi.db');
  server = await startServer({ databaseFile });
  writeFileSync(join(dir, 'rules.json'), JSON.stringify(RULES));
  const set = await runCli(['faults', 'set', join(dir, 'rules.json'), '--endpoint-url', server.url], cleanEnv(), 60_000);
  assert.equal(set.status, 0, set.stderr);
  assert.equal(await createFails(server, 'before'), 'ServiceLimitExceeded: kept across restarts');
  assert.equal(await server.stop(), 0);

  server = await startServer({ databaseFile });
  const { remaining, ...config } = await getFaults(server);
  assert.deepEqual(config, RULES, 'the rules are back');
  assert.deepEqual(remaining, [null]);
  assert.equal(await createFails(server, 'after'), 'ServiceLimitExceeded: kept across restarts', 'and in force');
  assert.equal(await server.stop(), 0);

  const fromFile = { rules: [{ typeName: 'AWS::SQS::*', operation: 'READ', delayMs: 1 }] };
  server = await startServer({ databaseFile, faults: fromFile });
  const { remaining: _, ...replaced } = await getFaults(server);
  assert.deepEqual(replaced, fromFile, '--faults FILE is what the operator asked for at this start');
  assert.equal(await createFails(server, 'unfaulted'), undefined);
  assert.equal(await server.stop(), 0);

  server = await startServer({ databaseFile });
  const { remaining: __, ...kept } = await getFaults(server);
  assert.deepEqual(kept, fromFile, 'and saved in turn');
});
