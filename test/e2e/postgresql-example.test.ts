/**
 * End-to-end: the example custom type Ccapi::PostgreSQL::Database (examples/types/postgresql-database),
 * loaded by a real `ccapi serve --types examples/types` and driven by the JS SDK and by boto3 against the
 * real PostgreSQL on 127.0.0.1:5432: databases and roles really appear in and disappear from the catalog.
 * A server killed between create's steps resumes from the persisted callbackContext.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import {
  CreateResourceCommand,
  DeleteResourceCommand,
  GetResourceCommand,
  GetResourceRequestStatusCommand,
  ListResourcesCommand,
  UpdateResourceCommand,
  type CloudControlClient,
} from '@aws-sdk/client-cloudcontrol';
import { REPO_ROOT, eventually, startServer, tempDir, type ServerProcess } from '../support/server.js';
import { awsEnv } from '../support/aws-env.js';
import { skipIfMissing, skipIfUnreachable } from '../support/prerequisites.js';
import { makeClient, waitForStatus } from './support.js';

const TYPE = 'Ccapi::PostgreSQL::Database';
const ADMIN_URL = process.env.CCAPI_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const run = Math.random().toString(36).slice(2, 8);
const name = (what: string) => `ccapi_e2e_${run}_${what}`;

let admin: pg.Client | undefined;
let skip: string | undefined;
{
  const client = new pg.Client({ connectionString: ADMIN_URL, connectionTimeoutMillis: 3_000 });
  try {
    await client.connect();
    admin = client;
  } catch (error) {
    skip = skipIfUnreachable(ADMIN_URL, error);
  }
}

let server: ServerProcess;
let client: CloudControlClient;
let serverArgs: string[];

before(async () => {
  if (skip) return;
  const url = new URL(ADMIN_URL);
  const configFile = join(tempDir('ccapi-pg-example-'), 'type-config.json');
  // Three seconds between create's steps: a window wide enough to kill the server between them.
  writeFileSync(
    configFile,
    JSON.stringify({ [TYPE]: { host: url.hostname, port: Number(url.port || 5432), user: decodeURIComponent(url.username || 'postgres'), database: url.pathname.slice(1) || 'postgres', stepDelaySeconds: 3 } }),
  );
  serverArgs = ['--types', join(REPO_ROOT, 'examples/types'), '--type-config', configFile];
  server = await startServer({ extraArgs: serverArgs });
  client = makeClient(server, { maxAttempts: 1 });
});

after(async () => {
  await server?.stop();
  if (!admin) return;
  // Whatever a failed test left behind.
  const { rows: dbs } = await admin.query<{ datname: string }>('SELECT datname FROM pg_database WHERE datname LIKE $1', [`ccapi_e2e_${run}_%`]);
  for (const { datname } of dbs) await admin.query(`DROP DATABASE IF EXISTS ${admin.escapeIdentifier(datname)} WITH (FORCE)`);
  const { rows: roles } = await admin.query<{ rolname: string }>('SELECT rolname FROM pg_roles WHERE rolname LIKE $1', [`ccapi_e2e_${run}_%`]);
  for (const { rolname } of roles) await admin.query(`DROP ROLE IF EXISTS ${admin.escapeIdentifier(rolname)}`);
  await admin.end();
});

interface CatalogRow {
  owner: string;
  connlimit: number;
  comment: string | null;
}

async function inCatalog(database: string): Promise<CatalogRow | undefined> {
  const { rows } = await admin!.query<CatalogRow>(
    `SELECT r.rolname AS owner, d.datconnlimit AS connlimit, shobj_description(d.oid, 'pg_database') AS comment
     FROM pg_database d JOIN pg_roles r ON r.oid = d.datdba WHERE d.datname = $1`,
    [database],
  );
  return rows[0];
}

async function roleExists(role: string): Promise<boolean> {
  return (await admin!.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [role])).rowCount === 1;
}

async function timeline(token: string): Promise<string[]> {
  const response = await fetch(`${server.url}/_ccapi/requests/${token}/events`);
  const body = (await response.json()) as { Events: { Detail: string }[] };
  // A step's line ends with notes in parentheses (how long the handler ran, its callback delay): left out here.
  return body.Events.map((e) => e.Detail.replace(/ \(.*\)$/, ''));
}

describe('Ccapi::PostgreSQL::Database through a real server', skip ? { skip } : {}, () => {
  test('JS SDK: a multi-step create, get without the password, update, list and delete, seen in pg_database', async () => {
    const db = name('js');
    const role = name('js_owner');
    const { ProgressEvent: accepted } = await client.send(
      new CreateResourceCommand({ TypeName: TYPE, DesiredState: JSON.stringify({ DatabaseName: db, OwnerRole: role, OwnerPassword: 'correct horse battery', ConnectionLimit: 5, Comment: 'made by the JS SDK' }) }),
    );
    // Between steps the client sees IN_PROGRESS with RetryAfter (the next step's time).
    const between = await eventually(async () => {
      const { ProgressEvent: event } = await client.send(new GetResourceRequestStatusCommand({ RequestToken: accepted!.RequestToken! }));
      return event!.RetryAfter ? event : undefined;
    }, 15_000);
    assert.equal(between.OperationStatus, 'IN_PROGRESS');
    assert.ok(between.RetryAfter!.getTime() > Date.now() - 5_000);
    const done = await waitForStatus(client, accepted!.RequestToken!, undefined, 30_000);
    assert.equal(done.OperationStatus, 'SUCCESS', done.StatusMessage);
    assert.deepEqual(
      (await timeline(accepted!.RequestToken!)).filter((d) => d.startsWith('handler step')),
      ['handler step 1 returned IN_PROGRESS', 'handler step 2 returned IN_PROGRESS', 'handler step 3 returned SUCCESS'],
    );
    assert.deepEqual(await inCatalog(db), { owner: role, connlimit: 5, comment: 'made by the JS SDK' });

    const { ResourceDescription } = await client.send(new GetResourceCommand({ TypeName: TYPE, Identifier: db }));
    const model = JSON.parse(ResourceDescription!.Properties!);
    assert.equal(model.OwnerPassword, undefined, 'the writeOnly password never comes back');
    assert.equal(model.OwnerRole, role);
    assert.equal(typeof model.Oid, 'number');

    const patch = [
      { op: 'replace', path: '/ConnectionLimit', value: 12 },
      { op: 'replace', path: '/Comment', value: 'updated' },
    ];
    const { ProgressEvent: upd } = await client.send(new UpdateResourceCommand({ TypeName: TYPE, Identifier: db, PatchDocument: JSON.stringify(patch) }));
    assert.equal((await waitForStatus(client, upd!.RequestToken!, undefined, 30_000)).OperationStatus, 'SUCCESS');
    assert.deepEqual(await inCatalog(db), { owner: role, connlimit: 12, comment: 'updated' });

    const listed = await client.send(new ListResourcesCommand({ TypeName: TYPE }));
    assert.ok(listed.ResourceDescriptions!.some((d) => d.Identifier === db), 'list returns the databases this type manages');

    const { ProgressEvent: del } = await client.send(new DeleteResourceCommand({ TypeName: TYPE, Identifier: db }));
    assert.equal((await waitForStatus(client, del!.RequestToken!, undefined, 30_000)).OperationStatus, 'SUCCESS');
    assert.equal(await inCatalog(db), undefined, 'the database is gone from pg_database');
    assert.equal(await roleExists(role), false, 'and its owner role from pg_roles');
    await assert.rejects(client.send(new GetResourceCommand({ TypeName: TYPE, Identifier: db })), (error: Error) => error.name === 'ResourceNotFoundException');
  });

  test('boto3: create (waiter), get, update, list, delete', { skip: skipIfMissing('boto3') }, async () => {
    const db = name('py');
    const role = name('py_owner');
    const script = `
import boto3, json, os, sys
c = boto3.client('cloudcontrol', endpoint_url=os.environ['CCAPI_ENDPOINT'], region_name='us-east-1', aws_access_key_id='AKIDEXAMPLE', aws_secret_access_key='x')
db, role = sys.argv[1], sys.argv[2]
wait = lambda token: c.get_waiter('resource_request_success').wait(RequestToken=token, WaiterConfig={'Delay': 1, 'MaxAttempts': 60})
r = c.create_resource(TypeName='${TYPE}', DesiredState=json.dumps({'DatabaseName': db, 'OwnerRole': role, 'OwnerPassword': 'sup3r-secret', 'Comment': 'made by boto3'}))
wait(r['ProgressEvent']['RequestToken'])
got = json.loads(c.get_resource(TypeName='${TYPE}', Identifier=db)['ResourceDescription']['Properties'])
assert 'OwnerPassword' not in got, got
print(json.dumps({'created': got}), flush=True)
sys.stdin.readline()  # the test checks pg_database here
r = c.update_resource(TypeName='${TYPE}', Identifier=db, PatchDocument=json.dumps([{'op': 'replace', 'path': '/ConnectionLimit', 'value': 3}]))
wait(r['ProgressEvent']['RequestToken'])
names = [d['Identifier'] for p in c.get_paginator('list_resources').paginate(TypeName='${TYPE}') for d in p['ResourceDescriptions']]
print(json.dumps({'listed': db in names}), flush=True)
sys.stdin.readline()
r = c.delete_resource(TypeName='${TYPE}', Identifier=db)
wait(r['ProgressEvent']['RequestToken'])
try:
    c.get_resource(TypeName='${TYPE}', Identifier=db)
    print(json.dumps({'deleted': False}), flush=True)
except c.exceptions.ResourceNotFoundException:
    print(json.dumps({'deleted': True}), flush=True)
`;
    const child = execFile('python3', ['-c', script, db, role], { env: awsEnv({ CCAPI_ENDPOINT: server.url }), timeout: 120_000 });
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    const lines: unknown[] = [];
    let buffered = '';
    const waiters: ((line: unknown) => void)[] = [];
    child.stdout!.on('data', (d: Buffer) => {
      buffered += d.toString();
      let newline: number;
      while ((newline = buffered.indexOf('\n')) >= 0) {
        const line = JSON.parse(buffered.slice(0, newline)) as unknown;
        buffered = buffered.slice(newline + 1);
        const waiter = waiters.shift();
        if (waiter) waiter(line);
        else lines.push(line);
      }
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    const next = () =>
      Promise.race([
        new Promise<unknown>((resolve) => (lines.length ? resolve(lines.shift()) : waiters.push(resolve))),
        exited.then((code) => {
          throw new Error(`boto3 script exited (${code}) early:\n${stderr}`);
        }),
      ]);

    const created = (await next()) as { created: Record<string, unknown> };
    assert.equal(created.created.Comment, 'made by boto3');
    assert.deepEqual(await inCatalog(db), { owner: role, connlimit: -1, comment: 'made by boto3' });
    child.stdin!.write('\n');
    assert.deepEqual(await next(), { listed: true });
    assert.equal((await inCatalog(db))!.connlimit, 3);
    child.stdin!.write('\n');
    assert.deepEqual(await next(), { deleted: true });
    assert.equal(await exited, 0, stderr);
    assert.equal(await inCatalog(db), undefined);
    assert.equal(await roleExists(role), false);
  });

  test('a server killed between create steps resumes from the persisted callbackContext', async () => {
    const db = name('crash');
    const role = name('crash_owner');
    const { ProgressEvent: accepted } = await client.send(new CreateResourceCommand({ TypeName: TYPE, DesiredState: JSON.stringify({ DatabaseName: db, OwnerRole: role }) }));
    const token = accepted!.RequestToken!;
    // Step 1 (the owner role) has run; step 2 (the database) waits 3 s: kill the server now.
    await eventually(async () => ((await timeline(token)).includes('handler step 1 returned IN_PROGRESS') ? true : undefined), 15_000);
    const first = server;
    await first.stop('SIGKILL');
    assert.equal(await roleExists(role), true, 'step 1 made the role');
    assert.equal(await inCatalog(db), undefined, 'step 2 had not run');

    server = await startServer({ databaseFile: first.databaseFile, extraArgs: serverArgs });
    client = makeClient(server, { maxAttempts: 1 });
    const done = await waitForStatus(client, token, undefined, 30_000);
    assert.equal(done.OperationStatus, 'SUCCESS', done.StatusMessage);
    assert.deepEqual(
      (await timeline(token)).filter((d) => d.startsWith('handler step')),
      ['handler step 1 returned IN_PROGRESS', 'handler step 2 returned IN_PROGRESS', 'handler step 3 returned SUCCESS'],
      'the restarted server went on from step 2, not from the start',
    );
    assert.equal((await inCatalog(db))!.owner, role);

    const { ProgressEvent: del } = await client.send(new DeleteResourceCommand({ TypeName: TYPE, Identifier: db }));
    assert.equal((await waitForStatus(client, del!.RequestToken!, undefined, 30_000)).OperationStatus, 'SUCCESS');
    assert.equal(await roleExists(role), false);
  });
});
