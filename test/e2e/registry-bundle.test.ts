/**
 * End-to-end: ccapi serving AWS's official CloudFormation schemas (`serve --schemas CloudformationSchema.zip`,
 * issue #3). boto3 drives most checks (test/e2e/clients/registry_bundle_suite.py: writeOnly stripping and the
 * add-only patch rule, list handlerSchema, handler-derived UnsupportedActionException, Java patterns,
 * additionalIdentifiers); the AWS CLI repeats the writeOnly and EKS::Nodegroup cases and round-trips DescribeType.
 *
 * The zip is test data read from ../shared/cfn-schemas/ (relative to the repository root); it is never copied.
 * Without it (or without boto3 or the AWS CLI) the tests that need it are skipped, saying so; under CI=true they fail.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import AdmZip from 'adm-zip';
import { REPO_ROOT, startServer, tempDir, type ServerProcess } from '../support/server.js';
import { awsEnv, TEST_CREDENTIALS } from '../support/aws-env.js';
import { OFFICIAL_BUNDLE, skipIfMissing } from '../support/prerequisites.js';

const SUITE = join(REPO_ROOT, 'test/e2e/clients/registry_bundle_suite.py');
const SCHEMAS_ZIP = OFFICIAL_BUNDLE;
const MISSING = skipIfMissing('bundle');
const RUN = `${process.pid.toString(36)}${Date.now().toString(36).slice(-4)}`;

const CLIENT_ENV = { ...TEST_CREDENTIALS, AWS_MAX_ATTEMPTS: '1' };

let server: ServerProcess | undefined;

before(async () => {
  if (MISSING) return;
  // An empty schema cache, so nothing but the zip given here layers over the built-in catalogue.
  const cache = tempDir('ccapi-registry-cache-');
  // These suites exercise the bundle's list handler schemas with EKS nodegroups whose cluster, role and subnets
  // were never created; reference checks (docs/references.md) have suites of their own (references*.test.ts).
  server = await startServer({ extraArgs: ['--schemas', SCHEMAS_ZIP, '--references', 'off'], env: { XDG_CACHE_HOME: cache, CCAPI_CACHE_DIR: cache } });
});

after(async () => {
  await server?.stop();
});

interface Run {
  code: number | string | null;
  stdout: string;
  stderr: string;
}

function run(command: string, args: string[], env: Record<string, string> = {}, timeout = 60_000): Promise<Run> {
  return new Promise((resolve) => {
    execFile(command, args, { cwd: REPO_ROOT, timeout, maxBuffer: 64 * 1024 * 1024, env: awsEnv({ ...CLIENT_ENV, ...env }) }, (error, stdout, stderr) => {
      const code = error ? ((error as { code?: number | string }).code ?? (error.killed ? 'timeout' : null)) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

/** The bundle's own text of one type's schema, parsed. */
function bundled(typeName: string): Record<string, unknown> {
  const entry = `${typeName.toLowerCase().replaceAll('::', '-')}.json`;
  const text = new AdmZip(SCHEMAS_ZIP).readAsText(entry);
  assert.ok(text, `${entry} is not in the zip`);
  return JSON.parse(text) as Record<string, unknown>;
}

test('boto3: the registry-bundle suite passes against `serve --schemas CloudformationSchema.zip`', { skip: MISSING ?? skipIfMissing('boto3') }, async (t) => {
  const r = await run('python3', [SUITE, '-v'], { CCAPI_ENDPOINT: server!.url, CCAPI_SCHEMAS_ZIP: SCHEMAS_ZIP }, 240_000);
  const output = `${r.stdout}${r.stderr}`;
  const ran = /^Ran (\d+) tests? in ([\d.]+)s$/m.exec(output);
  if (ran) t.diagnostic(`registry_bundle_suite.py: ${ran[1]} Python tests in ${ran[2]} s`);
  assert.equal(r.code, 0, `registry_bundle_suite.py exited with ${String(r.code)}:\n${output}\n--- server log ---\n${server!.stderr()}`);
  assert.ok(ran, `no unittest summary line in the output:\n${output}`);
  assert.match(output, /^OK/m, output);
  assert.doesNotMatch(output, /\b(ERROR|FAIL):|unexpected success/, output);
  const skipped = (output.match(/\.\.\. skipped/g) ?? []).length;
  assert.equal(skipped, 0, output);
  assert.ok(Number(ran[1]) >= 20, `expected at least 20 Python tests, ran ${ran[1]}:\n${output}`);
});

describe('aws CLI against `serve --schemas CloudformationSchema.zip`', { skip: MISSING ?? skipIfMissing('awsCli'), concurrency: true }, () => {
  const endpoint = () => ['--endpoint-url', server!.url, '--output', 'json'];

  async function cli<T = Record<string, any>>(service: string, ...args: string[]): Promise<T> {
    const r = await run('aws', [service, ...args, ...endpoint()]);
    assert.equal(r.code, 0, `aws ${service} ${args.join(' ')} exited ${String(r.code)}:\n${r.stdout}${r.stderr}`);
    return (r.stdout.trim() ? JSON.parse(r.stdout) : {}) as T;
  }

  /** An `aws cloudcontrol` call that must fail; returns stderr. */
  async function cliError(...args: string[]): Promise<string> {
    const r = await run('aws', ['cloudcontrol', ...args, ...endpoint()]);
    assert.ok(r.code === 254 || r.code === 255, `expected the CLI to fail, exit ${String(r.code)}:\n${r.stdout}${r.stderr}`);
    return r.stderr.trim();
  }

  /** create-resource, then the CLI's waiter, then the SUCCESS event. */
  async function createAndWait(typeName: string, desired: unknown): Promise<Record<string, any>> {
    const created = await cli('cloudcontrol', 'create-resource', '--type-name', typeName, '--desired-state', JSON.stringify(desired));
    const token = created.ProgressEvent.RequestToken as string;
    await cli('cloudcontrol', 'wait', 'resource-request-success', '--request-token', token);
    const status = await cli('cloudcontrol', 'get-resource-request-status', '--request-token', token);
    assert.equal(status.ProgressEvent.OperationStatus, 'SUCCESS', JSON.stringify(status));
    return status.ProgressEvent;
  }

  test('writeOnly SecretString: not in the SUCCESS event, get-resource or list-resources; update only with add', async () => {
    const secret = `cli-secret-value-${RUN}`;
    const name = `cli-secret-${RUN}`;
    const done = await createAndWait('AWS::SecretsManager::Secret', { Name: name, SecretString: secret });
    const id = done.Identifier as string;
    assert.ok(id, 'the SUCCESS event carries the identifier');
    assert.deepEqual(JSON.parse(done.ResourceModel), { Name: name, Id: id });

    const got = await cli('cloudcontrol', 'get-resource', '--type-name', 'AWS::SecretsManager::Secret', '--identifier', id);
    assert.equal(got.ResourceDescription.Identifier, id);
    const props = JSON.parse(got.ResourceDescription.Properties);
    assert.equal(props.Name, name);
    assert.equal(props.SecretString, undefined);
    assert.doesNotMatch(JSON.stringify(got), new RegExp(secret));

    const listed = await cli('cloudcontrol', 'list-resources', '--type-name', 'AWS::SecretsManager::Secret');
    const mine = (listed.ResourceDescriptions as { Identifier: string; Properties: string }[]).filter((d) => d.Identifier === id);
    assert.equal(mine.length, 1, JSON.stringify(listed));
    assert.equal(JSON.parse(mine[0]!.Properties).Name, name);
    assert.doesNotMatch(JSON.stringify(listed), /SecretString|cli-secret-value/);

    const replace = await cliError(
      'update-resource', '--type-name', 'AWS::SecretsManager::Secret', '--identifier', id,
      '--patch-document', JSON.stringify([{ op: 'replace', path: '/SecretString', value: 'other' }]),
    );
    assert.equal(
      replace,
      "An error occurred (ValidationException) when calling the UpdateResource operation: Invalid patch update: writeOnlyProperties [/SecretString] can only be updated using 'add' operation",
    );
    const added = await cli(
      'cloudcontrol', 'update-resource', '--type-name', 'AWS::SecretsManager::Secret', '--identifier', id,
      '--patch-document', JSON.stringify([{ op: 'add', path: '/SecretString', value: `${secret}-2` }]),
    );
    assert.equal(added.ProgressEvent.Operation, 'UPDATE');
    await cli('cloudcontrol', 'wait', 'resource-request-success', '--request-token', added.ProgressEvent.RequestToken);
    const after = await cli('cloudcontrol', 'get-resource-request-status', '--request-token', added.ProgressEvent.RequestToken);
    assert.equal(after.ProgressEvent.OperationStatus, 'SUCCESS');
    assert.doesNotMatch(JSON.stringify(after), /SecretString|cli-secret-value/);
  });

  test('EKS::Nodegroup: list-resources needs ClusterName, and lists only that cluster', async () => {
    const stderr = await cliError('list-resources', '--type-name', 'AWS::EKS::Nodegroup');
    assert.equal(
      stderr,
      'An error occurred (InvalidRequestException) when calling the ListResources operation: Missing or invalid ResourceModel property in ' +
        'AWS::EKS::Nodegroup list handler request input.Required property: (#: required key [ClusterName] not found)',
    );
    const x = `cli-x-${RUN}`;
    const y = `cli-y-${RUN}`;
    const nodegroup = (cluster: string) =>
      createAndWait('AWS::EKS::Nodegroup', { ClusterName: cluster, NodeRole: 'arn:aws:iam::000000000000:role/cli-node', Subnets: ['subnet-0abc'] });
    const [inX, inY] = await Promise.all([nodegroup(x), nodegroup(y)]);
    const listed = await cli('cloudcontrol', 'list-resources', '--type-name', 'AWS::EKS::Nodegroup', '--resource-model', JSON.stringify({ ClusterName: x }));
    assert.equal(listed.TypeName, 'AWS::EKS::Nodegroup');
    const ids = (listed.ResourceDescriptions as { Identifier: string }[]).map((d) => d.Identifier);
    assert.deepEqual(ids, [inX.Identifier]);
    assert.notEqual(inX.Identifier, inY.Identifier);
  });

  test('IAM::RolePolicy has no list handler: UnsupportedActionException', async () => {
    const stderr = await cliError('list-resources', '--type-name', 'AWS::IAM::RolePolicy');
    assert.equal(stderr, 'An error occurred (UnsupportedActionException) when calling the ListResources operation: Resource type AWS::IAM::RolePolicy does not support LIST action');
  });

  test('aws cloudformation describe-type returns the bundled schema text and handler-derived provisioning types', async () => {
    const out = await cli('cloudformation', 'describe-type', '--type', 'RESOURCE', '--type-name', 'AWS::SecretsManager::Secret');
    assert.equal(out.TypeName, 'AWS::SecretsManager::Secret');
    assert.equal(out.Type, 'RESOURCE');
    assert.equal(out.ProvisioningType, 'FULLY_MUTABLE');
    const schema = JSON.parse(out.Schema as string) as Record<string, unknown>;
    assert.equal(schema.typeName, 'AWS::SecretsManager::Secret');
    assert.deepEqual(schema, bundled('AWS::SecretsManager::Secret'));
    assert.deepEqual(schema.writeOnlyProperties, ['/properties/SecretString', '/properties/GenerateSecretString']);

    const keyPair = await cli('cloudformation', 'describe-type', '--type', 'RESOURCE', '--type-name', 'AWS::EC2::KeyPair');
    assert.equal(keyPair.ProvisioningType, 'IMMUTABLE');
    assert.deepEqual(JSON.parse(keyPair.Schema as string), bundled('AWS::EC2::KeyPair'));
    const handle = await cli('cloudformation', 'describe-type', '--type', 'RESOURCE', '--type-name', 'AWS::CloudFormation::WaitConditionHandle');
    assert.equal(handle.ProvisioningType, 'NON_PROVISIONABLE');
  });
});
