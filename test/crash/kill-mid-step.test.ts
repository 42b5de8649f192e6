/**
 * Durability while a handler step is running: `kill -9` lands while a custom type's create step is under
 * way (the step blocks until the test lets it go), so the request holds a lease at the kill. SQLite has one
 * process, so a restarted server knows every lease belongs to a dead one and releases them at start: the
 * step runs again at once, not after its lease runs out (65 s with the default 60 s step budget).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CloudControlClient, CreateResourceCommand, GetResourceCommand, GetResourceRequestStatusCommand } from '@aws-sdk/client-cloudcontrol';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { eventually, startServer, tempDir } from '../support/server.js';

const TYPE = 'Acme::Crash::Gate';

/** create announces its step (a file per call), then waits until the `release` file exists. */
const HANDLERS = `
import { existsSync, readFileSync, writeFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
const dir = (req) => req.typeConfiguration.directory;
const wait = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
export async function create(req, ctx) {
  const m = req.desiredResourceState;
  writeFileSync(join(dir(req), 'started-' + process.pid), '');
  while (!existsSync(join(dir(req), 'release'))) {
    if (ctx.signal?.aborted) throw new Error('step budget ran out while waiting');
    await wait(20);
  }
  writeFileSync(join(dir(req), 'resource-' + m.Name), JSON.stringify(m));
  return { status: 'SUCCESS', resourceModel: m };
}
export async function read(req) {
  const f = join(dir(req), 'resource-' + req.desiredResourceState.Name);
  if (!existsSync(f)) return { status: 'FAILED', errorCode: 'NotFound', message: 'no such gate' };
  return { status: 'SUCCESS', resourceModel: JSON.parse(readFileSync(f, 'utf8')) };
}
export async function update(req) { return { status: 'SUCCESS', resourceModel: req.desiredResourceState }; }
async function remove() { return { status: 'SUCCESS' }; }
export { remove as delete };
export async function list(req) {
  return { status: 'SUCCESS', resourceModels: readdirSync(dir(req)).filter((f) => f.startsWith('resource-')).map((f) => JSON.parse(readFileSync(join(dir(req), f), 'utf8'))) };
}
`;

const SCHEMA = {
  typeName: TYPE,
  description: 'A create step that blocks until released',
  additionalProperties: false,
  properties: { Name: { type: 'string' } },
  required: ['Name'],
  primaryIdentifier: ['/properties/Name'],
  createOnlyProperties: ['/properties/Name'],
  typeConfiguration: { type: 'object', properties: { directory: { type: 'string' } }, required: ['directory'], additionalProperties: false },
  handlers: { create: { permissions: [] }, read: { permissions: [] }, update: { permissions: [] }, delete: { permissions: [] }, list: { permissions: [] } },
};

/** The SQLite worker's lease with the default 60 s step budget; waiting past it only catches a hang. */
const SQLITE_LEASE_MS = 65_000;

const client = (url: string) =>
  new CloudControlClient({ endpoint: url, region: 'us-east-1', credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'secret' }, maxAttempts: 1 });

test('kill -9 during a handler step: after restart the step runs again at once, not when its lease runs out', { timeout: 180_000 }, async () => {
  const root = tempDir('ccapi-kill-step-');
  const typesDir = join(root, 'types', 'gate');
  const dataDir = join(root, 'data');
  mkdirSync(typesDir, { recursive: true });
  mkdirSync(dataDir);
  writeFileSync(join(typesDir, 'schema.json'), JSON.stringify(SCHEMA));
  writeFileSync(join(typesDir, 'handlers.js'), HANDLERS);
  const configFile = join(root, 'type-config.json');
  writeFileSync(configFile, JSON.stringify({ [TYPE]: { directory: dataDir } }));
  const args = ['--types', join(root, 'types'), '--type-config', configFile];
  const steps = () => readdirSync(dataDir).filter((f) => f.startsWith('started-')).length;

  const first = await startServer({ extraArgs: args });
  let token: string;
  try {
    const cc = client(first.url);
    const out = await cc.send(new CreateResourceCommand({ TypeName: TYPE, DesiredState: JSON.stringify({ Name: 'g1' }) }));
    token = out.ProgressEvent!.RequestToken!;
    cc.destroy();
    // The step is running (and blocked) before the kill: its request holds a lease.
    await eventually(async () => (steps() === 1 ? true : undefined));
  } finally {
    await first.stop('SIGKILL');
  }
  assert.equal(first.child.signalCode, 'SIGKILL');
  // The lease the killed process held, as its database recorded it: the restart must not wait for it.
  const dead = new SqliteStore(first.databaseFile);
  const leaseUntil = (await dead.getRequest(token!))?.leaseUntil;
  await dead.close();
  assert.ok(leaseUntil !== undefined, 'the request held a lease at the kill');
  writeFileSync(join(dataDir, 'release'), '');

  const second = await startServer({ databaseFile: first.databaseFile, extraArgs: args });
  try {
    const cc = client(second.url);
    // No stopwatch: the server's own time of the SUCCESS must come before the dead process's lease ran
    // out, so the step was not left to the lease. The wait outlasts the lease by 30 s, to catch only a hang.
    const event = await eventually(async () => {
      const got = await cc.send(new GetResourceRequestStatusCommand({ RequestToken: token }));
      return got.ProgressEvent?.OperationStatus === 'SUCCESS' ? got.ProgressEvent : undefined;
    }, SQLITE_LEASE_MS + 30_000);
    assert.equal(event.Identifier, 'g1');
    assert.ok(event.EventTime!.getTime() < leaseUntil!, `done at ${event.EventTime!.toISOString()}, before the dead lease ran out at ${new Date(leaseUntil!).toISOString()}`);
    assert.equal(steps(), 2, 'the interrupted step ran again in the new process');
    const resource = await cc.send(new GetResourceCommand({ TypeName: TYPE, Identifier: 'g1' }));
    assert.deepEqual(JSON.parse(resource.ResourceDescription!.Properties!), { Name: 'g1' });
    assert.ok(existsSync(join(dataDir, 'resource-g1')));
    cc.destroy();
  } finally {
    assert.equal(await second.stop(), 0, `clean shutdown\n${second.stderr()}`);
  }
});
