/**
 * Conformance sweep over AWS's official CloudFormation schema bundle (../shared/cfn-schemas, test data that
 * never enters the repository): every schema loads and its validator compiles; every provisionable type
 * goes create → get → update → list → delete through the API layer (callOperation, in process, against the
 * same app startApp wires: engine, worker, SQLite store); non-provisionable types answer CreateResource with
 * UnsupportedActionException. Fails on any failure not in exclusions.ts, and on exclusions that pass.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { callOperation } from '../../src/api/service.js';
import type { ApiContext } from '../../src/api/context.js';
import type { Caller } from '../../src/domain/caller.js';
import { cryptoIds } from '../../src/lib/ids.js';
import { systemClock } from '../../src/lib/clock.js';
import { renderOutput } from '../../src/protocol/json10.js';
import type { OperationInputs, OperationName } from '../../src/protocol/operations.js';
import { genericProvider } from '../../src/providers/generic.js';
import { inMemoryCatalogue } from '../../src/registry/catalogue.js';
import { startApp, type App } from '../../src/server/app.js';
import { loadPatternTranslator } from '../support/synthesize.js';
import { SWEEP_EXCLUSIONS } from './exclusions.js';
import { loadSchemaZip, mapConcurrent, schemaZipMissing, summarize, sweepType, waitTerminal, type Api, type LoadedSchemas } from './sweep-support.js';

const missing = schemaZipMissing();
const CONCURRENCY = 24;
const caller: Caller = { accountId: '123456789012', region: 'us-east-1' };

let loaded: LoadedSchemas;
let app: App;
let api: Api;

before(async () => {
  if (missing) return;
  loaded = loadSchemaZip();
  // The app as `ccapi serve` runs it (engine, worker, store), with the bundle as its catalogue; operations are
  // called in process through callOperation with the app's own pieces, as the HTTP front does.
  // References are not checked: every type is swept alone with synthesized values, so the resources its
  // references name were never created (reference checks have tests of their own: docs/references.md).
  app = await startApp({ catalogue: inMemoryCatalogue(loaded.schemas, 'registry'), database: ':memory:', port: 0, references: 'off' });
  const ctx: ApiContext = {
    catalogue: app.catalogue,
    providers: { providerFor: () => genericProvider },
    engine: app.engine,
    store: app.store,
    faults: app.faults,
    clock: systemClock,
    ids: cryptoIds,
  };
  // Outputs go through the wire rendering the HTTP front uses (some are pre-rendered JSON), then are parsed back.
  api = async (operation, input) => {
    const output = await callOperation(ctx, caller, operation as OperationName, input as unknown as OperationInputs[OperationName]);
    return JSON.parse(renderOutput(output).toString()) as Record<string, unknown>;
  };
});

after(async () => {
  await app?.stop();
});

test('every schema in the official bundle loads', { skip: missing }, () => {
  assert.deepEqual([...loaded.unreadable], [], 'unreadable entries in the bundle');
  assert.equal(loaded.schemas.length, loaded.entries);
  assert.equal(new Set(loaded.schemas.map((s) => s.typeName)).size, loaded.schemas.length, 'duplicate type names');
  assert.ok(loaded.schemas.length > 1000, `only ${loaded.schemas.length} schemas in the bundle`);
});

test('conformance sweep: every provisionable type round-trips through the API', { skip: missing }, async () => {
  const { translate, from } = loadPatternTranslator();
  const started = Date.now();
  const types = loaded.schemas.map((s) => app.catalogue.get(s.typeName)!);
  const results = await mapConcurrent(types, CONCURRENCY, (type) => sweepType(api, type, { translate }));
  const summary = summarize(results, SWEEP_EXCLUSIONS, Date.now() - started, `Conformance sweep over ${loaded.entries} schemas (patterns via ${from}):`);
  console.log(summary.text);
  assert.ok(results.some((r) => r.provisionable && r.stage === undefined), 'no provisionable type passed at all');
  assert.deepEqual(summary.unknownExclusions, [], 'exclusions.ts names types that are not in the bundle');
  assert.deepEqual(summary.staleExclusions, [], 'exclusions.ts lists types that pass now: remove them');
  assert.deepEqual(
    summary.unexpected.map((r) => `${r.typeName} [${r.stage}] ${r.detail}`),
    [],
    'types that failed the sweep and are not in exclusions.ts',
  );
});

/** Wraps the API so one answer is wrong; the sweep must notice it at the given stage. */
type Mutation = (operation: string, input: Record<string, unknown>, real: Api) => Promise<Record<string, unknown>>;

const withEvent = (out: Record<string, unknown>, change: (event: Record<string, unknown>) => void) => {
  const event = { ...(out.ProgressEvent as Record<string, unknown>) };
  change(event);
  return { ...out, ProgressEvent: event };
};
const withProperties = (out: Record<string, unknown>, change: (properties: Record<string, unknown>) => void) => {
  const description = out.ResourceDescription as { Identifier: string; Properties: string };
  const properties = JSON.parse(description.Properties) as Record<string, unknown>;
  change(properties);
  return { ...out, ResourceDescription: { ...description, Properties: JSON.stringify(properties) } };
};
/** Resources a control left behind (a CREATE reported as FAILED although it succeeded): typeName, identifier. */
const leftBehind: [string, string][] = [];
const failOperation = (operation: string): Mutation => async (op, input, real) => {
  const out = await real(op, input);
  const event = out.ProgressEvent as { Operation?: string; OperationStatus?: string; TypeName?: string; Identifier?: string } | undefined;
  if (op !== 'GetResourceRequestStatus' || event?.Operation !== operation) return out;
  if (operation === 'CREATE' && event.OperationStatus === 'SUCCESS') leftBehind.push([event.TypeName!, event.Identifier!]);
  return withEvent(out, (e) => Object.assign(e, { OperationStatus: 'FAILED', ErrorCode: 'InternalFailure', StatusMessage: 'injected by the negative control' }));
};
const accepted = { ProgressEvent: { OperationStatus: 'IN_PROGRESS', RequestToken: 'injected' } };

test('negative controls: the sweep notices each kind of wrong answer', { skip: missing }, async () => {
  const { translate } = loadPatternTranslator();
  const run = (typeName: string, mutate: Mutation) => {
    const type = app.catalogue.get(typeName);
    assert.ok(type, `${typeName} is not in the bundle`);
    return sweepType((op, input) => mutate(op, input, api), type, { translate });
  };
  const honest: Mutation = (op, input, real) => real(op, input);
  const passing = async (candidates: string[]) => {
    for (const name of candidates) if ((await run(name, honest)).stage === undefined) return name;
    return assert.fail(`none of ${candidates.length} candidate types passes the sweep, so the control has no baseline`);
  };
  const provisionable = loaded.schemas.filter((s) => s.handlers?.create && s.handlers.read && s.handlers.delete);
  // A type with required properties, update and list handlers (and a list handlerSchema), one with writeOnly
  // properties, one without an update handler, one without a list handler, one that is not provisionable.
  const full = await passing(['AWS::EKS::Nodegroup']);
  const secret = await passing(['AWS::SecretsManager::Secret']);
  const noUpdate = await passing(provisionable.filter((s) => !s.handlers?.update && s.handlers?.list).map((s) => s.typeName).slice(0, 20));
  const noList = await passing(provisionable.filter((s) => s.handlers?.update && !s.handlers?.list).map((s) => s.typeName).slice(0, 20));
  const notProvisionable = loaded.schemas.find((s) => !s.handlers)!.typeName;
  assert.equal((await run(notProvisionable, honest)).stage, undefined);

  let firstRead: Record<string, unknown> | undefined;
  let deleted = false;
  const controls: [label: string, typeName: string, expected: string, mutate: Mutation][] = [
    ['CREATE ends FAILED', full, 'create-status', failOperation('CREATE')],
    ['the CREATE SUCCESS event carries a writeOnly property', secret, 'create-status', async (op, input, real) => {
      const out = await real(op, input);
      return op === 'GetResourceRequestStatus' && (out.ProgressEvent as { Operation?: string }).Operation === 'CREATE'
        ? withEvent(out, (e) => (e.ResourceModel = JSON.stringify({ SecretString: 'leaked' })))
        : out;
    }],
    ['GetResource drops a sent property', full, 'get-properties', async (op, input, real) => {
      const out = await real(op, input);
      return op === 'GetResource' ? withProperties(out, (p) => delete p.ClusterName) : out;
    }],
    ['GetResource returns a writeOnly property', secret, 'get-writeonly', async (op, input, real) => {
      const out = await real(op, input);
      return op === 'GetResource' ? withProperties(out, (p) => (p.SecretString = 'leaked')) : out;
    }],
    ['UPDATE ends FAILED', full, 'update-status', failOperation('UPDATE')],
    ['UpdateResource changes nothing', full, 'update-get', (op, input, real) => real(op, op === 'UpdateResource' ? { ...input, PatchDocument: '[]' } : input)],
    ['UpdateResource is accepted without an update handler', noUpdate, 'update-unsupported', (op, input, real) => (op === 'UpdateResource' ? Promise.resolve(accepted) : real(op, input))],
    ['ListResources omits the resource', full, 'list', async (op, input, real) => {
      const out = await real(op, input);
      return op === 'ListResources' ? { ...out, ResourceDescriptions: [] } : out;
    }],
    ['ListResources answers without a list handler', noList, 'list-unsupported', (op, input, real) => (op === 'ListResources' ? Promise.resolve({ ResourceDescriptions: [] }) : real(op, input))],
    ['DELETE ends FAILED', full, 'delete-status', failOperation('DELETE')],
    ['GetResource still answers after the delete', full, 'get-after-delete', async (op, input, real) => {
      if (op === 'DeleteResource') deleted = true;
      if (op === 'GetResource' && deleted && firstRead) return firstRead;
      const out = await real(op, input);
      if (op === 'GetResource') firstRead ??= out;
      return out;
    }],
    ['CreateResource is accepted for a non-provisionable type', notProvisionable, 'create-unsupported', (op, input, real) => (op === 'CreateResource' ? Promise.resolve(accepted) : real(op, input))],
  ];
  for (const [label, typeName, expected, mutate] of controls) {
    const result = await run(typeName, mutate);
    assert.equal(result.stage, expected, `${label} (${typeName}): the sweep reported ${result.stage ?? 'a pass'}${result.detail ? `: ${result.detail}` : ''}`);
    for (const [type, identifier] of leftBehind.splice(0)) {
      const { ProgressEvent: event } = (await api('DeleteResource', { TypeName: type, Identifier: identifier })) as { ProgressEvent: { RequestToken: string } };
      assert.equal((await waitTerminal(api, event.RequestToken)).OperationStatus, 'SUCCESS', `cleaning up ${type} ${identifier}`);
    }
  }
});
