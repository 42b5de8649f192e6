/**
 * The example type Ccapi::PostgreSQL::Database (examples/types/postgresql-database), its handlers driven
 * directly as the engine drives them (no server), against the real PostgreSQL on 127.0.0.1:5432 (or
 * CCAPI_TEST_POSTGRES_URL): every effect is checked in the catalog (pg_database, pg_roles, pg_authid).
 * Names carry this run's id and every run uses an account of its own, so runs and other test files on the
 * same server never see each other's databases; `after` drops whatever a failed test left.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes, randomInt, randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { createServer, type Socket } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Ajv } from 'ajv';
import pg from 'pg';
import type { HandlerContext, ProgressEvent, ResourceHandlerRequest, ResourceHandlers } from '../../src/providers/author.js';
import { resourceTypeFromSchema } from '../../src/registry/catalogue.js';
import type { ResourceSchema } from '../../src/registry/types.js';
import { POSTGRES_SERVER_URL, freePort } from '../multinode/support.js';
import { skipIfUnreachable } from '../support/prerequisites.js';

const REPO_ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const TYPE_DIR = join(REPO_ROOT, 'examples/types/postgresql-database');
const TYPE_NAME = 'Ccapi::PostgreSQL::Database';

interface DatabaseModel {
  [key: string]: unknown;
  DatabaseName: string;
  OwnerRole: string;
  OwnerPassword?: string;
  ConnectionLimit?: number;
  Comment?: string;
  Encoding?: string;
  Oid?: number;
}
interface Settings {
  host: string;
  port?: number;
  user: string;
  password?: string;
  database?: string;
  connectTimeoutSeconds?: number;
  listPageSize?: number;
}
type Request = ResourceHandlerRequest<DatabaseModel, unknown, Settings>;
type Event = ProgressEvent<DatabaseModel, unknown>;

const handlers = (await import(pathToFileURL(join(TYPE_DIR, 'handlers.js')).href)) as Required<ResourceHandlers<DatabaseModel, unknown, Settings>>;
const { scramSha256Verifier } = (await import(pathToFileURL(join(TYPE_DIR, 'scram.js')).href)) as {
  scramSha256Verifier(password: string, salt?: Buffer, iterations?: number): Promise<string>;
};
const schema = JSON.parse(readFileSync(join(TYPE_DIR, 'schema.json'), 'utf8')) as ResourceSchema;
const resourceType = resourceTypeFromSchema(schema, 'custom');

const RUN = randomBytes(4).toString('hex');
const PREFIX = `ccapi_ex_${RUN}_`;
const ACCOUNT = String(randomInt(100_000_000_000, 900_000_000_000));
const REGION = 'eu-west-3';
const name = (suffix: string) => `${PREFIX}${suffix}`;

function settingsFrom(url: string): Settings {
  const u = new URL(url);
  return {
    host: u.hostname,
    port: Number(u.port || 5432),
    user: decodeURIComponent(u.username) || 'postgres',
    ...(u.password ? { password: decodeURIComponent(u.password) } : {}),
    database: u.pathname.slice(1) || 'postgres',
  };
}
const SETTINGS = settingsFrom(POSTGRES_SERVER_URL);

/** Every log line any handler wrote in this file: the password must appear in none. */
const logLines: unknown[] = [];
function context(signal: AbortSignal = new AbortController().signal): HandlerContext {
  const write = (obj: object, msg?: string) => void logLines.push({ ...obj, msg });
  return { signal, log: { debug: write, info: write, warn: write, error: write } };
}

function request(fields: Partial<Request> = {}): Request {
  return {
    clientRequestToken: randomUUID(),
    awsAccountId: ACCOUNT,
    region: REGION,
    awsPartition: 'aws',
    typeName: TYPE_NAME,
    typeConfiguration: SETTINGS,
    ...fields,
  };
}

/** What the engine checks on an untrusted handler's answer: each model fits the schema (writeOnly aside). */
function assertFitsSchema(event: Event): void {
  for (const model of [...(event.resourceModel ? [event.resourceModel] : []), ...(event.resourceModels ?? [])]) {
    assert.deepEqual(
      resourceType.validate(model).filter((p) => !p.includes('required key')),
      [],
      `model fits the schema: ${JSON.stringify(model)}`,
    );
  }
}

/**
 * Create as the engine runs it: step after step, each given the previous step's callbackContext and
 * model, with the request token of the whole request, until SUCCESS or FAILED.
 */
async function driveCreate(model: DatabaseModel, token = randomUUID()): Promise<{ event: Event; steps: Event[] }> {
  const steps: Event[] = [];
  let desired = model;
  let callbackContext: unknown;
  for (let i = 0; i < 10; i++) {
    const event = await handlers.create(request({ clientRequestToken: token, desiredResourceState: desired, ...(callbackContext !== undefined ? { callbackContext } : {}) }), context());
    assertFitsSchema(event);
    steps.push(event);
    if (event.status !== 'IN_PROGRESS') return { event, steps };
    assert.equal(typeof event.callbackDelaySeconds, 'number', 'IN_PROGRESS says when to come back');
    desired = event.resourceModel ?? desired;
    callbackContext = JSON.parse(JSON.stringify(event.callbackContext)); // the engine persists it as JSON
  }
  throw new Error('create did not finish within 10 steps');
}

async function step(handler: keyof ResourceHandlers, fields: Partial<Request>): Promise<Event> {
  const event = await handlers[handler](request(fields), context());
  assertFitsSchema(event);
  return event;
}

// ---------------------------------------------------------------------------------------------------

let admin: pg.Client | undefined;
let skip: string | undefined;
{
  const client = new pg.Client({ connectionString: POSTGRES_SERVER_URL, connectionTimeoutMillis: 3_000 });
  try {
    await client.connect();
    admin = client;
  } catch (error) {
    skip = skipIfUnreachable(POSTGRES_SERVER_URL, error);
  }
}

after(async () => {
  if (!admin) return;
  // FORCE: a connection a failed test left open must not keep a database alive.
  const { rows: dbs } = await admin.query(`SELECT datname FROM pg_database WHERE starts_with(datname, $1)`, [PREFIX]);
  for (const { datname } of dbs) await admin.query(`DROP DATABASE IF EXISTS ${admin.escapeIdentifier(datname)} WITH (FORCE)`);
  const { rows: roles } = await admin.query(`SELECT rolname FROM pg_roles WHERE starts_with(rolname, $1)`, [PREFIX]);
  for (const { rolname } of roles) await admin.query(`DROP ROLE IF EXISTS ${admin.escapeIdentifier(rolname)}`);
  await admin.end();
});

interface CatalogRow {
  owner: string;
  datconnlimit: number;
  comment: string | null;
  encoding: string;
  oid: string;
}
async function catalogDatabase(database: string): Promise<CatalogRow | undefined> {
  const { rows } = await admin!.query<CatalogRow>(
    `SELECT pg_get_userbyid(datdba) AS owner, datconnlimit, shobj_description(oid, 'pg_database') AS comment,
            pg_encoding_to_char(encoding) AS encoding, oid::int8 AS oid
       FROM pg_database WHERE datname = $1`,
    [database],
  );
  return rows[0];
}
async function catalogRole(role: string): Promise<{ rolcanlogin: boolean; rolpassword: string | null; comment: string | null } | undefined> {
  const { rows } = await admin!.query(`SELECT rolcanlogin, rolpassword, shobj_description(oid, 'pg_authid') AS comment FROM pg_authid WHERE rolname = $1`, [role]);
  return rows[0];
}
/** Whether PostgreSQL's stored verifier accepts `password` (the check SCRAM authentication makes). */
async function verifierAccepts(verifier: string | null | undefined, password: string): Promise<boolean> {
  const match = /^SCRAM-SHA-256\$(\d+):([^$]+)\$/.exec(verifier ?? '');
  if (!match) return false;
  return (await scramSha256Verifier(password, Buffer.from(match[2]!, 'base64'), Number(match[1]))) === verifier;
}

// ---------------------------------------------------------------------------------------------------

describe('Ccapi::PostgreSQL::Database: the type folder', () => {
  test('exports exactly the handlers schema.json declares', () => {
    assert.deepEqual(Object.keys(handlers).sort(), Object.keys(schema.handlers ?? {}).sort());
    for (const fn of Object.values(handlers)) assert.equal(typeof fn, 'function');
  });

  test('the example type configuration fits the schema’s typeConfiguration, and an incomplete one does not', () => {
    const validate = new Ajv({ strict: false }).compile(schema.typeConfiguration as object);
    const example = JSON.parse(readFileSync(join(TYPE_DIR, 'type-config.example.json'), 'utf8')) as Record<string, unknown>;
    assert.deepEqual(Object.keys(example), [TYPE_NAME]);
    assert.ok(validate(example[TYPE_NAME]), JSON.stringify(validate.errors));
    assert.equal(validate({ host: '127.0.0.1' }), false, 'user is required');
    assert.equal(validate({ host: '127.0.0.1', user: 'postgres', hots: 'typo' }), false, 'unknown keys are refused');
  });

  test('without a type configuration every handler fails with InvalidTypeConfiguration', async () => {
    for (const handler of ['create', 'read', 'update', 'delete', 'list'] as const) {
      const event = await handlers[handler]({ ...request({ desiredResourceState: { DatabaseName: name('x'), OwnerRole: name('x_owner') } }), typeConfiguration: undefined }, context());
      assert.equal(event.status, 'FAILED', handler);
      assert.equal(event.errorCode, 'InvalidTypeConfiguration', handler);
      assert.match(event.message ?? '', /--type-config/);
    }
  });

  test('an unreachable server is a NetworkFailure', async () => {
    const port = await freePort(); // nothing listens there
    const event = await handlers.read(request({ desiredResourceState: { DatabaseName: name('x'), OwnerRole: name('x') }, typeConfiguration: { ...SETTINGS, host: '127.0.0.1', port } }), context());
    assert.equal(event.status, 'FAILED');
    assert.equal(event.errorCode, 'NetworkFailure');
  });

  test('an aborted step signal ends a connection that hangs (the abort reason, not the 50 s connect timeout)', async () => {
    // A server that accepts connections and never answers the startup message.
    const sockets = new Set<Socket>();
    const silent = createServer((socket) => void sockets.add(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as { port: number };
    try {
      const controller = new AbortController();
      const reason = new Error('step budget exceeded (test)');
      const connected = once(silent, 'connection');
      const pending = Promise.resolve(handlers.read(
        request({ desiredResourceState: { DatabaseName: name('x'), OwnerRole: name('x') }, typeConfiguration: { ...SETTINGS, host: '127.0.0.1', port, connectTimeoutSeconds: 50 } }),
        context(controller.signal),
      ));
      await connected; // the handler is inside its connect, waiting on the silent server: abort it there
      controller.abort(reason);
      // Settled long before the 50 s connect timeout could have ended it (the margin is not a timing claim).
      let timer: NodeJS.Timeout | undefined;
      const tooLate = new Promise((_, reject) => (timer = setTimeout(() => reject(new Error('the handler ignored its aborted signal')), 15_000)));
      await assert.rejects(Promise.race([pending, tooLate]).finally(() => clearTimeout(timer)), (error: unknown) => error === reason);
      // An already aborted signal: nothing is attempted.
      await assert.rejects(Promise.resolve(handlers.read(request({ desiredResourceState: { DatabaseName: 'x', OwnerRole: 'x' } }), context(controller.signal))), (error: unknown) => error === reason);
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  });
});

describe('Ccapi::PostgreSQL::Database against PostgreSQL', skip ? { skip } : {}, () => {
  before(() => assert.ok(admin));

  test('the SCRAM verifier is the one PostgreSQL computes itself', async () => {
    const role = name('scram_oracle');
    await admin!.query(`CREATE ROLE ${role} PASSWORD 'correct horse battery staple'`);
    try {
      const stored = (await catalogRole(role))!.rolpassword;
      assert.match(stored ?? '', /^SCRAM-SHA-256\$/);
      assert.ok(await verifierAccepts(stored, 'correct horse battery staple'));
      assert.equal(await verifierAccepts(stored, 'correct horse battery stapler'), false);
    } finally {
      await admin!.query(`DROP ROLE ${role}`);
    }
  });

  test('create (three steps) → read → update → list → delete, each visible in the catalog', async () => {
    const database = name('app');
    const owner = name('app_owner');
    const password = 'first-Secret-1';
    const desired: DatabaseModel = { DatabaseName: database, OwnerRole: owner, OwnerPassword: password, ConnectionLimit: 5, Comment: "Alice's app; \"quoted\"", Encoding: 'UTF8' };

    const { event: created, steps } = await driveCreate(desired);
    assert.deepEqual(
      steps.map((s) => [s.status, (s.callbackContext as { stage?: string } | undefined)?.stage]),
      [
        ['IN_PROGRESS', 'role-created'],
        ['IN_PROGRESS', 'database-created'],
        ['SUCCESS', undefined],
      ],
    );
    const row = await catalogDatabase(database);
    assert.ok(row, 'the database is in pg_database');
    assert.deepEqual(
      { owner: row.owner, datconnlimit: row.datconnlimit, comment: row.comment, encoding: row.encoding },
      { owner, datconnlimit: 5, comment: "Alice's app; \"quoted\"", encoding: 'UTF8' },
    );
    const expected = { DatabaseName: database, OwnerRole: owner, ConnectionLimit: 5, Comment: "Alice's app; \"quoted\"", Encoding: 'UTF8', Oid: Number(row.oid) };
    assert.deepEqual(created.resourceModel, expected, 'SUCCESS carries the model as the catalog has it, without the password');
    const role = await catalogRole(owner);
    assert.equal(role?.rolcanlogin, true);
    assert.ok(await verifierAccepts(role?.rolpassword, password), 'the owner can log in with the password');

    const read = await step('read', { desiredResourceState: { DatabaseName: database, OwnerRole: '' } });
    assert.deepEqual(read, { status: 'SUCCESS', resourceModel: expected });
    assert.equal('OwnerPassword' in read.resourceModel!, false);

    const newPassword = 'second-Secret-2';
    const updated = await step('update', {
      desiredResourceState: { ...expected, ConnectionLimit: 10, Comment: 'renamed', OwnerPassword: newPassword },
      previousResourceState: expected,
    });
    assert.deepEqual(updated, { status: 'SUCCESS', resourceModel: { ...expected, ConnectionLimit: 10, Comment: 'renamed' } });
    assert.deepEqual(await catalogDatabase(database), { ...row, datconnlimit: 10, comment: 'renamed' });
    const rotated = (await catalogRole(owner))?.rolpassword;
    assert.ok(await verifierAccepts(rotated, newPassword), 'the password was changed');
    assert.equal(await verifierAccepts(rotated, password), false);
    // A non-ASCII password goes to the server as a quoted literal, for it to normalize and hash.
    const unicodePassword = "it's-Pässwörd-3";
    await step('update', { desiredResourceState: { ...expected, ConnectionLimit: 10, Comment: 'renamed', OwnerPassword: unicodePassword }, previousResourceState: expected });
    const unicodeVerifier = (await catalogRole(owner))?.rolpassword;
    assert.ok(await verifierAccepts(unicodeVerifier, unicodePassword), 'the server hashed the literal it was given');

    // Properties the patch removed: no comment, no limit. The password is untouched: a patch can only add a
    // writeOnly property, and the previous model (a read's) never has it.
    const cleared = await step('update', {
      desiredResourceState: { DatabaseName: database, OwnerRole: owner, Encoding: 'UTF8' },
      previousResourceState: { ...expected, ConnectionLimit: 10, Comment: 'renamed' },
    });
    assert.deepEqual(cleared.resourceModel, { DatabaseName: database, OwnerRole: owner, ConnectionLimit: -1, Encoding: 'UTF8', Oid: Number(row.oid) });
    assert.deepEqual(await catalogDatabase(database), { ...row, datconnlimit: -1, comment: null });
    assert.equal((await catalogRole(owner))?.rolpassword, unicodeVerifier);

    const listed = await step('list', {});
    assert.equal(listed.status, 'SUCCESS');
    assert.deepEqual(listed.resourceModels, [cleared.resourceModel]);
    assert.equal(listed.nextToken, undefined);

    const deleted = await step('delete', { desiredResourceState: { DatabaseName: database, OwnerRole: '' } });
    assert.deepEqual(deleted, { status: 'SUCCESS' }, 'a delete answers SUCCESS without a model');
    assert.equal(await catalogDatabase(database), undefined, 'gone from pg_database');
    assert.equal(await catalogRole(owner), undefined, 'gone from pg_roles');
    assert.deepEqual((await step('list', {})).resourceModels, []);

    for (const handler of ['read', 'update', 'delete'] as const) {
      const gone = await step(handler, { desiredResourceState: { DatabaseName: database, OwnerRole: owner } });
      assert.deepEqual(gone, { status: 'FAILED', errorCode: 'NotFound', message: `Resource of type '${TYPE_NAME}' with identifier '${database}' was not found.` }, handler);
    }

    const logged = JSON.stringify(logLines);
    assert.ok(logLines.length > 0, 'the handlers log what they do');
    for (const secret of [password, newPassword, unicodePassword]) assert.equal(logged.includes(secret), false, 'no password in the logs');
  });

  test('every create step can run again after a crash, with the same callbackContext and token', async () => {
    const database = name('rerun');
    const owner = name('rerun_owner');
    const token = randomUUID();
    const desired: DatabaseModel = { DatabaseName: database, OwnerRole: owner, OwnerPassword: 'rerun-Secret-1', ConnectionLimit: 3, Comment: 'twice' };
    const run = (callbackContext?: unknown) => step('create', { clientRequestToken: token, desiredResourceState: desired, ...(callbackContext ? { callbackContext } : {}) });

    const first = [await run(), await run()];
    assert.deepEqual(first.map((e) => e.status), ['IN_PROGRESS', 'IN_PROGRESS'], 'step 1 again: its role exists, marked with this token');
    const second = [await run(first[1]!.callbackContext), await run(first[1]!.callbackContext)];
    assert.deepEqual(second.map((e) => e.status), ['IN_PROGRESS', 'IN_PROGRESS'], 'step 2 again: its database exists, owned by its role');
    const third = [await run(second[1]!.callbackContext), await run(second[1]!.callbackContext)];
    assert.deepEqual(third.map((e) => e.status), ['SUCCESS', 'SUCCESS']);
    assert.deepEqual(third[1]!.resourceModel, third[0]!.resourceModel);
    const row = await catalogDatabase(database);
    assert.deepEqual({ owner: row?.owner, datconnlimit: row?.datconnlimit, comment: row?.comment }, { owner, datconnlimit: 3, comment: 'twice' });

    // The same step 1 under another request's token is not a re-run: that role is taken.
    const other = await step('create', { desiredResourceState: { ...desired, DatabaseName: name('rerun_other') } });
    assert.deepEqual([other.status, other.errorCode, other.message], ['FAILED', 'AlreadyExists', `Role ${owner} already exists`]);
    assert.equal(await catalogDatabase(name('rerun_other')), undefined);
    assert.deepEqual(await step('delete', { desiredResourceState: { DatabaseName: database, OwnerRole: owner } }), { status: 'SUCCESS' });
  });

  test('create of a database that exists fails with AlreadyExists on its first step, making nothing', async () => {
    const database = name('taken');
    await admin!.query(`CREATE DATABASE ${database}`);
    const owner = name('taken_owner');
    const { event, steps } = await driveCreate({ DatabaseName: database, OwnerRole: owner });
    assert.equal(steps.length, 1);
    assert.deepEqual(event, { status: 'FAILED', errorCode: 'AlreadyExists', message: `Database ${database} already exists` });
    assert.equal(await catalogRole(owner), undefined, 'no role was created');
    assert.equal((await catalogDatabase(database))?.owner, SETTINGS.user, 'the database is untouched');

    // A database this type created, created again.
    const mine = name('twice');
    assert.equal((await driveCreate({ DatabaseName: mine, OwnerRole: name('twice_owner') })).event.status, 'SUCCESS');
    const again = await driveCreate({ DatabaseName: mine, OwnerRole: name('twice_owner2') });
    assert.deepEqual([again.event.errorCode, again.steps.length], ['AlreadyExists', 1]);
    assert.equal(await catalogRole(name('twice_owner2')), undefined);
  });

  test('create with a role someone else owns fails with AlreadyExists and leaves the role alone', async () => {
    const owner = name('theirs');
    await admin!.query(`CREATE ROLE ${owner} NOLOGIN`);
    await admin!.query(`COMMENT ON ROLE ${owner} IS 'not yours'`);
    const { event } = await driveCreate({ DatabaseName: name('wants_theirs'), OwnerRole: owner, OwnerPassword: 'hijack-Secret-1' });
    assert.deepEqual(event, { status: 'FAILED', errorCode: 'AlreadyExists', message: `Role ${owner} already exists` });
    assert.deepEqual(await catalogRole(owner), { rolcanlogin: false, rolpassword: null, comment: 'not yours' });
    assert.equal(await catalogDatabase(name('wants_theirs')), undefined);
  });

  test('a database created by someone else between steps 1 and 2: AlreadyExists, and step 1’s role is dropped', async () => {
    const database = name('race');
    const owner = name('race_owner');
    const token = randomUUID();
    const first = await step('create', { clientRequestToken: token, desiredResourceState: { DatabaseName: database, OwnerRole: owner } });
    assert.equal(first.status, 'IN_PROGRESS');
    assert.ok(await catalogRole(owner));
    await admin!.query(`CREATE DATABASE ${database}`);
    const second = await step('create', { clientRequestToken: token, desiredResourceState: first.resourceModel!, callbackContext: first.callbackContext });
    assert.deepEqual(second, { status: 'FAILED', errorCode: 'AlreadyExists', message: `Database ${database} already exists` });
    assert.equal(await catalogRole(owner), undefined);
    assert.equal((await catalogDatabase(database))?.owner, SETTINGS.user);
  });

  test('databases the type did not create, or another account’s, are NotFound and not listed', async () => {
    const plain = name('plain');
    await admin!.query(`CREATE DATABASE ${plain}`);
    const foreign = name('foreign');
    assert.equal((await driveCreate({ DatabaseName: foreign, OwnerRole: name('foreign_owner') })).event.status, 'SUCCESS');

    const elsewhere = { awsAccountId: String(Number(ACCOUNT) + 1) };
    for (const [database, fields] of [
      [plain, {}],
      ['postgres', {}],
      [foreign, elsewhere],
      [foreign, { region: 'us-west-2' }],
    ] as const) {
      const event = await step('read', { ...fields, desiredResourceState: { DatabaseName: database, OwnerRole: '' } });
      assert.equal(event.errorCode, 'NotFound', `${database} ${JSON.stringify(fields)}`);
      const removed = await step('delete', { ...fields, desiredResourceState: { DatabaseName: database, OwnerRole: '' } });
      assert.equal(removed.errorCode, 'NotFound', 'delete touches only its own databases');
    }
    assert.ok(await catalogDatabase(plain));
    assert.ok(await catalogDatabase(foreign));
    const listed = (await step('list', {})).resourceModels!.map((m) => m.DatabaseName);
    assert.ok(listed.includes(foreign) && !listed.includes(plain), JSON.stringify(listed));
    assert.deepEqual((await step('list', elsewhere)).resourceModels, [], 'the other account has none');
    await step('delete', { desiredResourceState: { DatabaseName: foreign, OwnerRole: '' } });
  });

  test('delete finishes a delete that crashed between DROP DATABASE and DROP ROLE', async () => {
    const database = name('halfgone');
    const owner = name('halfgone_owner');
    assert.equal((await driveCreate({ DatabaseName: database, OwnerRole: owner })).event.status, 'SUCCESS');
    await admin!.query(`DROP DATABASE ${database}`); // what the crashed step did before it died
    assert.equal((await step('read', { desiredResourceState: { DatabaseName: database, OwnerRole: '' } })).errorCode, 'NotFound');
    assert.deepEqual(await step('delete', { desiredResourceState: { DatabaseName: database, OwnerRole: '' } }), { status: 'SUCCESS' });
    assert.equal(await catalogRole(owner), undefined);
    assert.equal((await step('delete', { desiredResourceState: { DatabaseName: database, OwnerRole: '' } })).errorCode, 'NotFound');
  });

  test('a create that stopped after step 1 leaves a role that DeleteResource removes; then the name is free again', async () => {
    const database = name('abandoned');
    const owner = name('abandoned_owner');
    const model: DatabaseModel = { DatabaseName: database, OwnerRole: owner };
    assert.equal((await step('create', { desiredResourceState: model })).status, 'IN_PROGRESS'); // then it timed out
    const retry = await driveCreate(model);
    assert.equal(retry.event.errorCode, 'AlreadyExists');
    assert.match(retry.event.message ?? '', /left by an earlier create .* DeleteResource/);
    assert.equal((await step('read', { desiredResourceState: { DatabaseName: database, OwnerRole: '' } })).errorCode, 'NotFound', 'no database yet');
    assert.deepEqual(await step('delete', { desiredResourceState: { DatabaseName: database, OwnerRole: '' } }), { status: 'SUCCESS' });
    assert.equal(await catalogRole(owner), undefined);
    assert.equal((await driveCreate(model)).event.status, 'SUCCESS');
    await step('delete', { desiredResourceState: { DatabaseName: database, OwnerRole: '' } });
  });

  test('an owner role that owns objects elsewhere: delete answers ResourceConflict, and finishes once they are gone', async () => {
    const database = name('entangled');
    const owner = name('entangled_owner');
    assert.equal((await driveCreate({ DatabaseName: database, OwnerRole: owner })).event.status, 'SUCCESS');
    const elsewhere = name('elsewhere');
    await admin!.query(`CREATE DATABASE ${elsewhere}`);
    const other = new pg.Client({ ...SETTINGS, database: elsewhere });
    await other.connect();
    try {
      await other.query(`CREATE TABLE kept (id int); ALTER TABLE kept OWNER TO ${owner}`);
      const refused = await step('delete', { desiredResourceState: { DatabaseName: database, OwnerRole: '' } });
      assert.equal(refused.errorCode, 'ResourceConflict');
      assert.match(refused.message ?? '', /cannot be dropped because some objects depend on it/);
      assert.equal(await catalogDatabase(database), undefined, 'the database went first');
      assert.ok(await catalogRole(owner), 'the role stays until nothing depends on it');
      await other.query('DROP TABLE kept');
    } finally {
      await other.end();
    }
    assert.deepEqual(await step('delete', { desiredResourceState: { DatabaseName: database, OwnerRole: '' } }), { status: 'SUCCESS' });
    assert.equal(await catalogRole(owner), undefined);
  });

  test('update refuses createOnly changes (NotUpdatable) and a missing database (NotFound)', async () => {
    const database = name('fixed');
    const { event } = await driveCreate({ DatabaseName: database, OwnerRole: name('fixed_owner') });
    const model = event.resourceModel!;
    for (const change of [{ OwnerRole: name('fixed_other') }, { Encoding: 'LATIN1' }]) {
      const refused = await step('update', { desiredResourceState: { ...model, ...change }, previousResourceState: model });
      assert.equal(refused.errorCode, 'NotUpdatable', JSON.stringify(change));
    }
    assert.deepEqual(await step('read', { desiredResourceState: { DatabaseName: database, OwnerRole: '' } }), { status: 'SUCCESS', resourceModel: model });
    await step('delete', { desiredResourceState: { DatabaseName: database, OwnerRole: '' } });
  });

  test('list pages with nextToken, in name order; other encodings are created with the C locale', async () => {
    const account = String(Number(ACCOUNT) + 2);
    const names = [name('page_c'), name('page_a'), name('page_b')];
    const encodings = ['LATIN1', 'SQL_ASCII', 'UTF8'];
    for (const [i, database] of names.entries()) {
      const fields = { awsAccountId: account };
      let callbackContext: unknown;
      let event: Event;
      const token = randomUUID();
      let desired: DatabaseModel = { DatabaseName: database, OwnerRole: `${database}_owner`, Encoding: encodings[i]! };
      do {
        event = await step('create', { ...fields, clientRequestToken: token, desiredResourceState: desired, ...(callbackContext ? { callbackContext } : {}) });
        desired = event.resourceModel ?? desired;
        callbackContext = event.callbackContext;
      } while (event.status === 'IN_PROGRESS');
      assert.equal(event.status, 'SUCCESS', event.message);
      assert.equal((await catalogDatabase(database))?.encoding, encodings[i]);
    }
    // MaxResults sets the page size; without it, the type configuration's listPageSize does.
    const settings = { ...SETTINGS, listPageSize: 1 };
    const first = await step('list', { awsAccountId: account, typeConfiguration: settings, maxResults: 2 });
    assert.deepEqual(first.resourceModels!.map((m) => m.DatabaseName), [name('page_a'), name('page_b')]);
    assert.ok(first.nextToken);
    const second = await step('list', { awsAccountId: account, typeConfiguration: settings, maxResults: 2, nextToken: first.nextToken });
    assert.deepEqual(second.resourceModels!.map((m) => [m.DatabaseName, m.Encoding]), [[name('page_c'), 'LATIN1']]);
    assert.equal(second.nextToken, undefined);
    const byConfiguration = await step('list', { awsAccountId: account, typeConfiguration: settings });
    assert.deepEqual(byConfiguration.resourceModels!.map((m) => m.DatabaseName), [name('page_a')]);
    assert.ok(byConfiguration.nextToken);

    const bad = await step('list', { awsAccountId: account, nextToken: 'not a token!' });
    assert.deepEqual([bad.status, bad.errorCode], ['FAILED', 'InvalidRequest']);

    for (const database of names) await step('delete', { awsAccountId: account, desiredResourceState: { DatabaseName: database, OwnerRole: '' } });
    assert.deepEqual((await step('list', { awsAccountId: account })).resourceModels, []);
  });

  test('an admin database that does not exist is an InvalidTypeConfiguration', async () => {
    const event = await step('list', { typeConfiguration: { ...SETTINGS, database: name('no_such_db') } });
    assert.equal(event.errorCode, 'InvalidTypeConfiguration');
    assert.match(event.message ?? '', /does not exist/);
  });
});
