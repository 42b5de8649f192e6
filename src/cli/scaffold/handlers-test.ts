/** The scaffold's handlers.test.js: a contract driver (node:test, no dependencies) and the lifecycle tests. */
import type { ScaffoldNames } from './names.js';

export function handlersTestJs(n: ScaffoldNames): string {
  return `// The contract test of ${n.typeName}: \`node --test\` in this folder (Node 20 or newer, no dependencies).
// A small driver plays ccapi's part: it calls a handler, calls it again with the returned callbackContext
// while it answers IN_PROGRESS, and checks every answer against the contract rules ccapi enforces. The
// ${n.nouns} go to a temporary folder, given as the type configuration's \`directory\`.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as handlers from './handlers.js';

const schema = JSON.parse(await readFile(new URL('./schema.json', import.meta.url), 'utf8'));
/** "/properties/Name" → "Name" (the schema's pointers are all top-level here). */
const propertyOf = (/** @type {string} */ pointer) => pointer.split('/')[2];
const primaryIdentifier = schema.primaryIdentifier.map(propertyOf);
const writeOnly = (schema.writeOnlyProperties ?? []).map(propertyOf);
const [, service, resource] = schema.typeName.toLowerCase().split('::');

const ACCOUNT = '111122223333';
const REGION = 'us-east-1';
let directory = '';
before(async () => {
  directory = await mkdtemp(join(tmpdir(), 'ccapi-type-test-'));
});
after(() => rm(directory, { recursive: true, force: true }));

const silentLog = { debug() {}, info() {}, warn() {}, error() {} };

/** What ccapi checks in every answer (and then some: a violation fails the request with InternalFailure). */
function checkContract(/** @type {string} */ action, /** @type {any} */ event) {
  assert.ok(['IN_PROGRESS', 'SUCCESS', 'FAILED'].includes(event?.status), \`\${action}: status \${event?.status}\`);
  assert.deepStrictEqual(JSON.parse(JSON.stringify(event)), event, \`\${action}: the event must be plain JSON\`);
  const models = [...(event.resourceModel ? [event.resourceModel] : []), ...(event.resourceModels ?? [])];
  for (const model of models) {
    for (const name of writeOnly) assert.ok(!(name in model), \`\${action}: write-only \${name} returned\`);
    for (const name of primaryIdentifier) assert.ok(model[name] !== undefined, \`\${action}: model without its identifier \${name}\`);
  }
  if (event.status === 'FAILED') {
    assert.equal(typeof event.errorCode, 'string', \`\${action}: FAILED without an errorCode\`);
    return;
  }
  assert.equal(event.errorCode, undefined, \`\${action}: errorCode on \${event.status}\`);
  if (event.status === 'IN_PROGRESS') {
    assert.ok(['create', 'update', 'delete'].includes(action), \`\${action} must answer at once, not IN_PROGRESS\`);
    assert.ok((event.callbackDelaySeconds ?? 0) >= 0, \`\${action}: negative callbackDelaySeconds\`);
  } else if (action === 'delete') {
    assert.equal(event.resourceModel, undefined, 'delete: SUCCESS carries no model');
  } else if (action === 'list') {
    assert.ok(Array.isArray(event.resourceModels), 'list: SUCCESS without resourceModels');
  } else {
    assert.ok(event.resourceModel, \`\${action}: SUCCESS without a model\`);
  }
}

/**
 * Runs one operation to its end, as ccapi does: an IN_PROGRESS answer is followed by another call with its
 * callbackContext (stored as JSON in between) and its model as the desired state. The callback delay is
 * checked, not waited for. Answers the last event, with \`steps\`, the number of calls.
 * @param {'create' | 'read' | 'update' | 'delete' | 'list'} action
 * @param {Record<string, unknown>} [fields] request fields: desiredResourceState, nextToken, ...
 * @returns {Promise<any>}
 */
async function run(action, fields = {}) {
  /** @type {any} */
  const request = {
    typeName: schema.typeName,
    awsAccountId: ACCOUNT,
    region: REGION,
    awsPartition: 'aws',
    clientRequestToken: randomUUID(),
    typeConfiguration: { directory },
    ...fields,
  };
  for (let steps = 1; ; steps++) {
    const event = await handlers[action](structuredClone(request), { signal: AbortSignal.timeout(60_000), log: silentLog });
    checkContract(action, event);
    if (event.status !== 'IN_PROGRESS') return { ...event, steps };
    assert.ok(steps < 10, \`\${action} still IN_PROGRESS after \${steps} steps\`);
    request.callbackContext = JSON.parse(JSON.stringify(event.callbackContext ?? null)) ?? undefined;
    if (event.resourceModel) request.desiredResourceState = event.resourceModel;
  }
}

const arn = (/** @type {string} */ name, account = ACCOUNT) => \`arn:aws:\${service}:\${REGION}:\${account}:\${resource}/\${name}\`;

/** Every file under the data folder, read: what the "service" keeps. */
async function storedText() {
  const files = /** @type {string[]} */ (await readdir(directory, { recursive: true }));
  const texts = await Promise.all(files.map((f) => readFile(join(directory, f), 'utf8').catch(() => '')));
  return texts.join('\\n');
}

test('create → read → update → list → delete → read: the whole lifecycle', async () => {
  const created = await run('create', { desiredResourceState: { Name: 'first', Description: 'my first ${n.noun}', Size: 3, ApiKey: 'the-secret-api-key' } });
  assert.equal(created.status, 'SUCCESS', created.message);
  assert.ok(created.steps >= 2, 'create provisions, then stabilizes');
  const expected = { Name: 'first', Description: 'my first ${n.noun}', Size: 3, Arn: arn('first') };
  assert.deepStrictEqual(created.resourceModel, expected);

  const read = await run('read', { desiredResourceState: { Name: 'first' } });
  assert.equal(read.status, 'SUCCESS', read.message);
  assert.deepStrictEqual(read.resourceModel, expected, 'read: the model, without the write-only ApiKey');
  assert.ok(!(await storedText()).includes('the-secret-api-key'), 'the API key itself is never stored');

  // As ccapi sends it after the patch [{"op":"replace","path":"/Size","value":5},{"op":"remove","path":"/Description"}].
  const updated = await run('update', { desiredResourceState: { Name: 'first', Size: 5, Arn: arn('first') }, previousResourceState: expected });
  assert.equal(updated.status, 'SUCCESS', updated.message);
  assert.deepStrictEqual(updated.resourceModel, { Name: 'first', Size: 5, Arn: arn('first') });
  assert.deepStrictEqual((await run('read', { desiredResourceState: { Name: 'first' } })).resourceModel, updated.resourceModel);

  const listed = await run('list');
  assert.equal(listed.status, 'SUCCESS', listed.message);
  assert.ok(listed.resourceModels.some((/** @type {any} */ m) => m.Name === 'first' && m.Size === 5));

  const deleted = await run('delete', { desiredResourceState: { Name: 'first' } });
  assert.equal(deleted.status, 'SUCCESS', deleted.message);

  for (const action of /** @type {const} */ (['read', 'delete', 'update'])) {
    const gone = await run(action, { desiredResourceState: { Name: 'first', Size: 1 } });
    assert.equal(gone.status, 'FAILED', \`\${action} after delete\`);
    assert.equal(gone.errorCode, 'NotFound', \`\${action} after delete\`);
    assert.equal(gone.message, \`Resource of type '\${schema.typeName}' with identifier 'first' was not found.\`);
  }
});

test('create of a taken Name fails with AlreadyExists; a repeated step of the same request does not', async () => {
  assert.equal((await run('create', { desiredResourceState: { Name: 'taken' } })).status, 'SUCCESS');
  const again = await run('create', { desiredResourceState: { Name: 'taken', Size: 9 } });
  assert.equal(again.status, 'FAILED');
  assert.equal(again.errorCode, 'AlreadyExists');
  assert.equal((await run('read', { desiredResourceState: { Name: 'taken' } })).resourceModel.Size, undefined, 'the first ${n.noun} is untouched');

  // ccapi stopped after the first step wrote the ${n.noun} but before it stored the answer: the step runs again.
  const request = { typeName: schema.typeName, awsAccountId: ACCOUNT, region: REGION, awsPartition: 'aws', clientRequestToken: randomUUID(), typeConfiguration: { directory }, desiredResourceState: { Name: 'retried' } };
  const context = { signal: AbortSignal.timeout(60_000), log: silentLog };
  const first = await handlers.create(structuredClone(request), context);
  const repeated = await handlers.create(structuredClone(request), context);
  assert.equal(first.status, 'IN_PROGRESS');
  assert.deepStrictEqual(repeated, first, 'the same answer, not AlreadyExists');
  const done = await handlers.create({ ...request, callbackContext: repeated.callbackContext, desiredResourceState: repeated.resourceModel }, context);
  assert.equal(done.status, 'SUCCESS', done.message);
});

test('list pages with nextToken, and sees only the caller account and region', async () => {
  const account = '444455556666';
  const names = ['w1', 'w2', 'w3', 'w4', 'w5'];
  for (const Name of names) {
    assert.equal((await run('create', { awsAccountId: account, desiredResourceState: { Name } })).status, 'SUCCESS');
  }
  const pages = [];
  let nextToken;
  do {
    const page = await run('list', { awsAccountId: account, typeConfiguration: { directory, pageSize: 2 }, ...(nextToken ? { nextToken } : {}) });
    assert.equal(page.status, 'SUCCESS', page.message);
    pages.push(page.resourceModels.map((/** @type {any} */ m) => m.Name));
    nextToken = page.nextToken;
  } while (nextToken);
  assert.deepStrictEqual(pages, [['w1', 'w2'], ['w3', 'w4'], ['w5']]);
  const one = await run('read', { awsAccountId: account, desiredResourceState: { Name: 'w1' } });
  assert.equal(one.resourceModel.Arn, arn('w1', account));

  const elsewhere = await run('list', { awsAccountId: account, region: 'eu-west-1' });
  assert.deepStrictEqual(elsewhere.resourceModels, []);
  assert.equal(elsewhere.nextToken, undefined);
  assert.equal((await run('read', { desiredResourceState: { Name: 'w1' } })).errorCode, 'NotFound', 'another account');
});

test('a Name that cannot be a file name is refused, not followed', async () => {
  const created = await run('create', { desiredResourceState: { Name: '../outside' } });
  assert.equal(created.status, 'FAILED');
  assert.equal(created.errorCode, 'InvalidRequest');
  assert.equal((await run('read', { desiredResourceState: { Name: '../../etc/passwd' } })).errorCode, 'NotFound');
  assert.equal((await run('delete', { desiredResourceState: { Name: '../outside' } })).errorCode, 'NotFound');
});
`;
}
