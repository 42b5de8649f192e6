/**
 * The conformance sweep through HTTP for a deterministic sample of types: a real `ccapi serve --schemas
 * <official bundle>` process driven by the AWS SDK for JavaScript v3, exactly as a user would. The sample is every
 * 60th provisionable type (in type-name order) plus a few well-known ones; sweep.test.ts covers all types in
 * process. The same exclusions apply.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateResourceCommand,
  DeleteResourceCommand,
  GetResourceCommand,
  GetResourceRequestStatusCommand,
  ListResourcesCommand,
  UpdateResourceCommand,
  type CloudControlClient,
} from '@aws-sdk/client-cloudcontrol';
import { resourceTypeFromSchema } from '../../src/registry/catalogue.js';
import type { ResourceSchema } from '../../src/registry/types.js';
import { makeClient } from '../e2e/support.js';
import { startServer, type ServerProcess } from '../support/server.js';
import { loadPatternTranslator } from '../support/synthesize.js';
import { SWEEP_EXCLUSIONS } from './exclusions.js';
import { SCHEMA_ZIP, isProvisionable, loadSchemaZip, mapConcurrent, schemaZipMissing, summarize, sweepType, type Api } from './sweep-support.js';

const WELL_KNOWN = ['AWS::Logs::LogGroup', 'AWS::SQS::Queue', 'AWS::SecretsManager::Secret', 'AWS::EKS::Nodegroup', 'AWS::S3::Bucket'];
const EVERY_NTH = 60;
const CONCURRENCY = 6;

const missing = schemaZipMissing();
let server: ServerProcess | undefined;
let client: CloudControlClient | undefined;

before(async () => {
  if (missing) return;
  // References off: each type is swept alone with synthesized values naming resources never created.
  server = await startServer({ extraArgs: ['--schemas', SCHEMA_ZIP, '--references', 'off'] });
  client = makeClient(server);
});

after(async () => {
  client?.destroy();
  await server?.stop();
});

function sdkApi(c: CloudControlClient): Api {
  // Typed loosely on purpose: the sweep passes each operation's input as a plain object.
  const send = (command: unknown) => c.send(command as Parameters<CloudControlClient['send']>[0]) as Promise<unknown>;
  const commands: Record<string, (input: never) => unknown> = {
    CreateResource: (input) => new CreateResourceCommand(input),
    GetResource: (input) => new GetResourceCommand(input),
    UpdateResource: (input) => new UpdateResourceCommand(input),
    DeleteResource: (input) => new DeleteResourceCommand(input),
    ListResources: (input) => new ListResourcesCommand(input),
    GetResourceRequestStatus: (input) => new GetResourceRequestStatusCommand(input),
  };
  return async (operation, input) => {
    const command = commands[operation];
    if (!command) throw new Error(`no SDK command for ${operation}`);
    return (await send(command(input as never))) as Record<string, unknown>;
  };
}

function sampleTypes(schemas: ResourceSchema[]): ResourceSchema[] {
  const provisionable = schemas.filter(isProvisionable);
  const picked = new Set(provisionable.filter((_, i) => i % EVERY_NTH === 0).map((s) => s.typeName));
  for (const name of WELL_KNOWN) picked.add(name);
  return schemas.filter((s) => picked.has(s.typeName));
}

test('conformance sweep through HTTP with the JS SDK, for a sample of types', { skip: missing }, async () => {
  const { schemas } = loadSchemaZip();
  const sample = sampleTypes(schemas);
  for (const name of WELL_KNOWN) assert.ok(sample.some((s) => s.typeName === name), `${name} is not in the bundle`);
  const { translate, from } = loadPatternTranslator();
  const api = sdkApi(client!);

  // The server must be using the bundle, not only the built-in catalogue: AWS::IAM::RolePolicy has no list
  // handler in the registry schema (the built-in catalogue declares all five).
  await assert.rejects(api('ListResources', { TypeName: 'AWS::IAM::RolePolicy' }), { name: 'UnsupportedActionException' });

  const started = Date.now();
  const results = await mapConcurrent(sample, CONCURRENCY, (schema) => sweepType(api, resourceTypeFromSchema(schema, 'registry'), { translate }));
  const exclusions = Object.fromEntries(Object.entries(SWEEP_EXCLUSIONS).filter(([name]) => sample.some((s) => s.typeName === name)));
  const summary = summarize(results, exclusions, Date.now() - started, `HTTP sweep over ${sample.length} sampled types (patterns via ${from}):`);
  console.log(summary.text);
  assert.ok(results.filter((r) => r.provisionable && r.stage === undefined).length > 0, 'no sampled type passed at all');
  assert.deepEqual(summary.staleExclusions, [], 'exclusions.ts lists sampled types that pass now: remove them');
  assert.deepEqual(
    summary.unexpected.map((r) => `${r.typeName} [${r.stage}] ${r.detail}`),
    [],
    'sampled types that failed through HTTP and are not in exclusions.ts',
  );
});
