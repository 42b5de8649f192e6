/**
 * End-to-end: custom resource types (`ccapi serve --types DIR`) in a real server process, driven by the JS
 * SDK. One well-formed type whose handlers misbehave on request (throw, hang, answer nonsense, outlive their
 * timeout), beside broken type folders that must be reported without stopping the good one; a crash between
 * two steps resumes from the persisted callbackContext.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  CreateResourceCommand,
  DeleteResourceCommand,
  GetResourceCommand,
  ListResourcesCommand,
  UpdateResourceCommand,
  type CloudControlClient,
} from '@aws-sdk/client-cloudcontrol';
import { eventually, startServer, tempDir, type ServerProcess } from '../support/server.js';
import { makeClient, waitForStatus } from './support.js';

const TYPE = 'Acme::Test::Gadget';

/** A type whose handlers do what the model's Behaviour says; state lives in a JSON file per resource. */
const HANDLERS = `
import { readFileSync, writeFileSync, existsSync, unlinkSync, readdirSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
const dir = (req) => { mkdirSync(req.typeConfiguration.directory, { recursive: true }); return req.typeConfiguration.directory; };
const file = (req, name) => join(dir(req), encodeURIComponent(name) + '.json');
const visible = ({ Secret, ...model }) => model;

export async function create(req, ctx) {
  const m = req.desiredResourceState;
  switch (m.Behaviour) {
    case 'throw': throw new Error('the gadget factory is on fire');
    case 'hang': return new Promise(() => {});
    case 'invalid-status': return { status: 'DONE', resourceModel: m };
    case 'no-identifier': return { status: 'SUCCESS', resourceModel: { Behaviour: m.Behaviour } };
    case 'bad-model': return { status: 'SUCCESS', resourceModel: { ...visible(m), Unexpected: true } };
    case 'not-an-object': return 42;
    case 'slow': return { status: 'IN_PROGRESS', callbackContext: { n: (req.callbackContext?.n ?? 0) + 1 }, callbackDelaySeconds: 30 };
    case 'bad-code': return { status: 'FAILED', errorCode: 'Oops', message: 'x' };
  }
  if (!req.callbackContext) {
    if (existsSync(file(req, m.Name))) return { status: 'FAILED', errorCode: 'AlreadyExists', message: m.Name + ' exists' };
    // Two steps, to show (and test) a callbackContext that survives a restart.
    return { status: 'IN_PROGRESS', callbackContext: { stage: 'reserved', pid: process.pid }, callbackDelaySeconds: m.StepDelay ?? 0 };
  }
  const model = { ...m, Region: req.typeConfiguration.label, ResumedFrom: req.callbackContext.stage, FirstStepPid: req.callbackContext.pid, Id: 'g-' + m.Name };
  writeFileSync(file(req, m.Name), JSON.stringify(model));
  return { status: 'SUCCESS', resourceModel: visible(model) };
}
export async function read(req) {
  const f = file(req, req.desiredResourceState.Name);
  if (!existsSync(f)) return { status: 'FAILED', errorCode: 'NotFound', message: 'no such gadget' };
  const stored = JSON.parse(readFileSync(f, 'utf8'));
  // A contract violation on purpose: a model the schema does not allow.
  if (stored.Behaviour === 'read-bad-model') return { status: 'SUCCESS', resourceModel: { ...visible(stored), Unexpected: true } };
  return { status: 'SUCCESS', resourceModel: visible(stored) };
}
export async function update(req) {
  const m = req.desiredResourceState;
  writeFileSync(file(req, m.Name), JSON.stringify(m));
  return { status: 'SUCCESS', resourceModel: visible(m) };
}
async function remove(req) {
  const f = file(req, req.desiredResourceState.Name);
  if (!existsSync(f)) return { status: 'FAILED', errorCode: 'NotFound', message: 'no such gadget' };
  const model = JSON.parse(readFileSync(f, 'utf8'));
  unlinkSync(f);
  // A contract violation on purpose: delete must not return a model.
  if (model.Behaviour === 'delete-returns-model') return { status: 'SUCCESS', resourceModel: visible(model) };
  return { status: 'SUCCESS' };
}
export { remove as delete };
export async function list(req) {
  const models = readdirSync(dir(req)).map((f) => visible(JSON.parse(readFileSync(join(dir(req), f), 'utf8'))));
  return { status: 'SUCCESS', resourceModels: models };
}
`;

const SCHEMA = {
  typeName: TYPE,
  description: 'A gadget whose handlers misbehave on request',
  additionalProperties: false,
  properties: {
    Name: { type: 'string', minLength: 1 },
    Behaviour: { type: 'string' },
    Secret: { type: 'string' },
    StepDelay: { type: 'number' },
    Size: { type: 'integer' },
    Region: { type: 'string' },
    ResumedFrom: { type: 'string' },
    FirstStepPid: { type: 'integer' },
    Id: { type: 'string' },
  },
  required: ['Name'],
  primaryIdentifier: ['/properties/Name'],
  readOnlyProperties: ['/properties/Id', '/properties/Region', '/properties/ResumedFrom', '/properties/FirstStepPid'],
  createOnlyProperties: ['/properties/Name'],
  writeOnlyProperties: ['/properties/Secret'],
  typeConfiguration: { type: 'object', properties: { directory: { type: 'string' }, label: { type: 'string' } }, required: ['directory', 'label'], additionalProperties: false },
  handlers: {
    // 0.15 minutes (9 s) is below CloudFormation's 2: ccapi accepts it (with a warning) so timeouts can be tested.
    create: { permissions: [], timeoutInMinutes: 0.15 },
    read: { permissions: [] },
    update: { permissions: [] },
    delete: { permissions: [] },
    list: { permissions: [] },
  },
};

function writeType(root: string, folder: string, schema: unknown, handlers: string | undefined, moduleName = 'handlers.js'): string {
  const dir = join(root, folder);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'schema.json'), typeof schema === 'string' ? schema : JSON.stringify(schema, null, 2));
  if (handlers !== undefined) writeFileSync(join(dir, moduleName), handlers);
  return dir;
}

let server: ServerProcess;
let client: CloudControlClient;
let root: string;
let dataDir: string;
let configFile: string;
let typesDir: string;

function serverArgs(): string[] {
  return ['--types', typesDir, '--type-config', configFile, '--handler-timeout', '1', '--log-level', 'info'];
}

before(async () => {
  root = tempDir('ccapi-custom-');
  typesDir = join(root, 'types');
  dataDir = join(root, 'data');
  writeType(typesDir, 'gadget', SCHEMA, HANDLERS);
  // Broken folders, each for one reason; the gadget must load regardless.
  const broken = { ...SCHEMA, typeConfiguration: undefined };
  writeType(typesDir, 'no-module', { ...broken, typeName: 'Acme::Broken::NoModule' }, undefined);
  writeType(typesDir, 'bad-name', { ...broken, typeName: 'Acme-Broken' }, HANDLERS);
  writeType(typesDir, 'bad-identifier', { ...broken, typeName: 'Acme::Broken::Identifier', primaryIdentifier: ['/properties/Missing'] }, HANDLERS);
  writeType(typesDir, 'missing-export', { ...broken, typeName: 'Acme::Broken::Export' }, 'export async function create() {}\nexport async function read() {}\n');
  writeType(typesDir, 'syntax-error', { ...broken, typeName: 'Acme::Broken::Syntax' }, 'export async function create( {');
  writeType(typesDir, 'not-json', '{"typeName": ', HANDLERS);
  writeType(typesDir, 'no-handlers', { ...broken, typeName: 'Acme::Broken::NoHandlers', handlers: undefined }, HANDLERS);
  writeType(typesDir, 'needs-config', { ...SCHEMA, typeName: 'Acme::Broken::Config' }, HANDLERS);
  configFile = join(root, 'type-config.json');
  writeFileSync(configFile, JSON.stringify({ [TYPE]: { directory: dataDir, label: 'from-type-config' } }));
  server = await startServer({ extraArgs: serverArgs() });
  client = makeClient(server, { maxAttempts: 1 });
});

after(async () => {
  await server?.stop();
});

async function create(model: Record<string, unknown>) {
  const { ProgressEvent } = await client.send(new CreateResourceCommand({ TypeName: TYPE, DesiredState: JSON.stringify(model) }));
  return waitForStatus(client, ProgressEvent!.RequestToken!, undefined, 15_000);
}

describe('loading', () => {
  test('each broken type folder is reported with its file and problem; the good type loads', () => {
    const stderr = server.stderr();
    const expectations: [string, RegExp][] = [
      ['no-module', /no-module: no handler module: expected handlers\.js, handlers\.mjs, handlers\.cjs/],
      ['bad-name', /bad-name\/schema\.json: typeName "Acme-Broken" must be three ::-separated parts/],
      ['bad-identifier', /bad-identifier\/schema\.json: primaryIdentifier: \/properties\/Missing names no property/],
      ['missing-export', /missing-export\/handlers\.js: schema\.json declares handlers\.update but handlers\.js exports no "update" function/],
      ['syntax-error', /syntax-error\/handlers\.js: could not be loaded: /],
      ['not-json', /not-json\/schema\.json: is not valid JSON/],
      ['no-handlers', /no-handlers\/schema\.json: handlers is missing/],
      ['needs-config', /needs-config\/schema\.json: Acme::Broken::Config needs a type configuration \(an entry "Acme::Broken::Config" in the --type-config file\): \/ must have required property 'directory'/],
    ];
    for (const [folder, pattern] of expectations) assert.match(stderr, pattern, `${folder} is reported`);
    assert.match(stderr, /timeoutInMinutes 0\.15 is outside CloudFormation's 2-2160/, 'a timeout AWS would refuse is accepted with a warning');
  });

  test('types that failed to load are unknown to the API', async () => {
    await assert.rejects(
      client.send(new CreateResourceCommand({ TypeName: 'Acme::Broken::Identifier', DesiredState: '{"Name":"x"}' })),
      (error: Error) => error.name === 'TypeNotFoundException',
    );
  });
});

describe('the contract, kept', () => {
  test('a two-step create gets its callbackContext and type configuration; reads hide writeOnly; update, list and delete work', async () => {
    const event = await create({ Name: 'alpha', Secret: 'hunter2', Size: 1 });
    assert.equal(event.OperationStatus, 'SUCCESS', event.StatusMessage);
    assert.equal(event.Identifier, 'alpha');
    const { ResourceDescription } = await client.send(new GetResourceCommand({ TypeName: TYPE, Identifier: 'alpha' }));
    const model = JSON.parse(ResourceDescription!.Properties!);
    assert.equal(model.Region, 'from-type-config');
    assert.equal(model.ResumedFrom, 'reserved', 'the second step saw the first step\'s callbackContext');
    assert.equal(model.Secret, undefined, 'writeOnly properties never come back');

    const { ProgressEvent: upd } = await client.send(
      new UpdateResourceCommand({ TypeName: TYPE, Identifier: 'alpha', PatchDocument: JSON.stringify([{ op: 'replace', path: '/Size', value: 2 }]) }),
    );
    assert.equal((await waitForStatus(client, upd!.RequestToken!)).OperationStatus, 'SUCCESS');
    const listed = await client.send(new ListResourcesCommand({ TypeName: TYPE }));
    const alpha = listed.ResourceDescriptions!.find((d) => d.Identifier === 'alpha');
    assert.equal(JSON.parse(alpha!.Properties!).Size, 2);

    const again = await create({ Name: 'alpha' });
    assert.equal(again.OperationStatus, 'FAILED');
    assert.equal(again.ErrorCode, 'AlreadyExists');

    const { ProgressEvent: del } = await client.send(new DeleteResourceCommand({ TypeName: TYPE, Identifier: 'alpha' }));
    assert.equal((await waitForStatus(client, del!.RequestToken!)).OperationStatus, 'SUCCESS');
    await assert.rejects(client.send(new GetResourceCommand({ TypeName: TYPE, Identifier: 'alpha' })), (error: Error) => error.name === 'ResourceNotFoundException');
  });
});

describe('the contract, broken', () => {
  /** The server's first stderr line that `matches`, once it has been written (fails after the deadline). */
  const loggedLine = (matches: (line: string) => boolean) => eventually(async () => server.stderr().split('\n').find(matches), 5_000);

  test('a handler that throws fails the request with InternalFailure and its message; the stack goes only to the log', async () => {
    const event = await create({ Name: 'thrower', Behaviour: 'throw' });
    assert.equal(event.OperationStatus, 'FAILED');
    assert.equal(event.ErrorCode, 'InternalFailure');
    assert.equal(event.StatusMessage, 'the gadget factory is on fire');
    // The log is written by the server process and may reach its stderr just after the answer reaches us.
    const logged = await loggedLine((line) => line.includes(event.RequestToken!) && line.includes('handler threw'));
    assert.match(logged, /"msg":"handler threw; the request fails with InternalFailure"/);
    assert.match(logged, /"stack":"Error: the gadget factory is on fire\\n\s+at create/, 'the full stack is in the log');
  });

  test('a handler that never answers fails after the step budget, and the server keeps serving meanwhile', async () => {
    const { ProgressEvent } = await client.send(new CreateResourceCommand({ TypeName: TYPE, DesiredState: JSON.stringify({ Name: 'hanger', Behaviour: 'hang' }) }));
    // While the stuck step runs, other requests go through.
    const ok = await create({ Name: 'bystander' });
    assert.equal(ok.OperationStatus, 'SUCCESS');
    const event = await waitForStatus(client, ProgressEvent!.RequestToken!, undefined, 15_000);
    assert.equal(event.OperationStatus, 'FAILED');
    assert.equal(event.ErrorCode, 'InternalFailure');
    assert.equal(event.StatusMessage, 'Handler did not return within its 1 s step budget');
  });

  const violations: [string, RegExp][] = [
    ['invalid-status', /^Handler contract violation: unknown status "DONE"$/],
    ['no-identifier', /^Handler contract violation: the returned model has no primary identifier$/],
    ['bad-model', /^Handler contract violation: the returned model does not fit the schema \(#: extraneous key \[Unexpected\] is not permitted\)$/],
    ['not-an-object', /^Handler contract violation: the handler returned number instead of a ProgressEvent object$/],
    ['bad-code', /^Handler contract violation: FAILED without a valid errorCode \(got "Oops"\)$/],
  ];
  for (const [behaviour, message] of violations) {
    test(`an invalid answer (${behaviour}) fails the request with InternalFailure and a clear log line`, async () => {
      const event = await create({ Name: `v-${behaviour}`, Behaviour: behaviour });
      assert.equal(event.OperationStatus, 'FAILED');
      assert.equal(event.ErrorCode, 'InternalFailure');
      assert.match(event.StatusMessage!, message);
      const line = await loggedLine((l) => l.includes(event.RequestToken!) && l.includes('Handler contract violation'));
      const logged = server.stderr().split('\n').filter((l) => l.includes(event.RequestToken!) && l.includes('Handler contract violation'));
      assert.equal(logged.length, 1, 'one log line names the request and the violation');
      assert.match(line, /"returned":/, 'the log shows what the handler returned');
    });
  }

  test('a read that breaks the contract is reported the same way by GetResource and by the read before an update', async () => {
    assert.equal((await create({ Name: 'bad-read', Behaviour: 'read-bad-model' })).OperationStatus, 'SUCCESS');
    const failure = async (call: Promise<unknown>) => {
      const error = (await call.then(
        () => assert.fail('the call succeeded'),
        (e: Error) => e,
      )) as Error;
      // The request token differs per call; the rest is the one contract check's verdict.
      return { name: error.name, message: error.message.replace(/RequestToken: [0-9a-f-]{36}/, 'RequestToken: <token>') };
    };
    const fromGet = await failure(client.send(new GetResourceCommand({ TypeName: TYPE, Identifier: 'bad-read' })));
    const fromUpdate = await failure(
      client.send(new UpdateResourceCommand({ TypeName: TYPE, Identifier: 'bad-read', PatchDocument: JSON.stringify([{ op: 'replace', path: '/Size', value: 3 }]) })),
    );
    assert.deepEqual(fromGet, {
      name: 'HandlerInternalFailureException',
      message: `${TYPE} Handler returned status FAILED: Handler contract violation: the returned model does not fit the schema (#: extraneous key [Unexpected] is not permitted) (HandlerErrorCode: InternalFailure, RequestToken: <token>)`,
    });
    assert.deepEqual(fromUpdate, fromGet);
  });

  test('a delete that returns a model is a contract violation', async () => {
    assert.equal((await create({ Name: 'returns-model', Behaviour: 'delete-returns-model' })).OperationStatus, 'SUCCESS');
    const { ProgressEvent } = await client.send(new DeleteResourceCommand({ TypeName: TYPE, Identifier: 'returns-model' }));
    const event = await waitForStatus(client, ProgressEvent!.RequestToken!);
    assert.equal(event.ErrorCode, 'InternalFailure');
    assert.equal(event.StatusMessage, 'Handler contract violation: a delete handler returned SUCCESS with a resource model');
  });

  test('a create that outlives timeoutInMinutes fails with ServiceTimeout, even while asking for a 30 s callback delay', async () => {
    const { ProgressEvent } = await client.send(new CreateResourceCommand({ TypeName: TYPE, DesiredState: JSON.stringify({ Name: 'slowpoke', Behaviour: 'slow' }) }));
    const waiting = await waitForStatus(client, ProgressEvent!.RequestToken!, 'IN_PROGRESS');
    assert.ok(waiting.RetryAfter, 'RetryAfter is shown while the next step waits');
    const event = await waitForStatus(client, ProgressEvent!.RequestToken!, undefined, 20_000);
    assert.equal(event.OperationStatus, 'FAILED');
    assert.equal(event.ErrorCode, 'ServiceTimeout');
    assert.equal(event.StatusMessage, 'Operation timed out after 0.15 minutes');
  });
});

describe('durability', () => {
  test('a crash between two steps resumes from the persisted callbackContext', async () => {
    const first = server;
    const { ProgressEvent } = await client.send(new CreateResourceCommand({ TypeName: TYPE, DesiredState: JSON.stringify({ Name: 'survivor', StepDelay: 1.5 }) }));
    const token = ProgressEvent!.RequestToken!;
    await waitForStatus(client, token, 'IN_PROGRESS');
    await first.stop('SIGKILL');
    server = await startServer({ databaseFile: first.databaseFile, extraArgs: serverArgs() });
    client = makeClient(server, { maxAttempts: 1 });
    const event = await waitForStatus(client, token, undefined, 15_000);
    assert.equal(event.OperationStatus, 'SUCCESS', event.StatusMessage);
    const model = JSON.parse(event.ResourceModel!);
    assert.equal(model.ResumedFrom, 'reserved');
    assert.equal(model.FirstStepPid, first.child.pid, 'step 1 ran in the process that was killed');
    assert.notEqual(server.child.pid, first.child.pid);
  });
});
