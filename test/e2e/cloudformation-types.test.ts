/**
 * End-to-end: CloudFormation's DescribeType and ListTypes (AWS query protocol) on the Cloud Control port,
 * driven by boto3 (test/e2e/clients/cloudformation_types_suite.py), the AWS CLI and raw HTTP.
 * The JS SDK's CloudFormation client is not a dependency of the project, so it is not used here.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT, startServer, tempDir, type ServerProcess } from '../support/server.js';
import { awsEnv, TEST_CREDENTIALS } from '../support/aws-env.js';
import { OFFICIAL_BUNDLE, skipIfMissing } from '../support/prerequisites.js';

const SUITE = join(REPO_ROOT, 'test/e2e/clients/cloudformation_types_suite.py');
const CATALOGUE_DIR = join(REPO_ROOT, 'dist/catalogue');
const SCHEMAS_ZIP = OFFICIAL_BUNDLE;
const NAMESPACE = 'http://cloudformation.amazonaws.com/doc/2010-05-15/';

const CLIENT_ENV = { ...TEST_CREDENTIALS, AWS_MAX_ATTEMPTS: '1' };

let server: ServerProcess;

before(async () => {
  // An empty schema cache: a bundle pulled on this machine must not replace the built-in catalogue here.
  const cache = tempDir('ccapi-cfn-cache-');
  server = await startServer({ env: { XDG_CACHE_HOME: cache, CCAPI_CACHE_DIR: cache } });
});

after(async () => {
  await server?.stop();
});

interface Run {
  code: number | string | null;
  stdout: string;
  stderr: string;
}

function run(command: string, args: string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve) => {
    execFile(command, args, { cwd: REPO_ROOT, timeout: 90_000, maxBuffer: 64 * 1024 * 1024, env: awsEnv({ ...CLIENT_ENV, ...env }) }, (error, stdout, stderr) => {
      const code = error ? ((error as { code?: number | string }).code ?? (error.killed ? 'timeout' : null)) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

async function runSuite(t: { diagnostic(message: string): void }, target: ServerProcess, env: Record<string, string>, minimum: number): Promise<void> {
  const r = await run('python3', [SUITE, '-v'], { CCAPI_ENDPOINT: target.url, CCAPI_CATALOGUE_DIR: CATALOGUE_DIR, ...env });
  const output = `${r.stdout}${r.stderr}`;
  const ran = /^Ran (\d+) tests? in ([\d.]+)s$/m.exec(output);
  if (ran) t.diagnostic(`cloudformation_types_suite.py: ${ran[1]} Python tests in ${ran[2]} s`);
  assert.equal(r.code, 0, `the suite exited with ${String(r.code)}:\n${output}\n--- server log ---\n${target.stderr()}`);
  assert.ok(ran, `no unittest summary line in the output:\n${output}`);
  assert.match(output, /^OK/m, output);
  assert.doesNotMatch(output, /\b(ERROR|FAIL):/, output);
  const passed = Number(ran[1]) - (output.match(/\.\.\. skipped/g) ?? []).length;
  assert.ok(passed >= minimum, `expected at least ${minimum} Python tests to run (not skipped), ${passed} did:\n${output}`);
}

test('boto3: describe_type, list_types (paginator, filters) and errors pass against the built-in catalogue', { skip: skipIfMissing('boto3') }, async (t) => {
  await runSuite(t, server, {}, 8);
});

function aws(...args: string[]): Promise<Run> {
  return run('aws', ['cloudformation', ...args, '--endpoint-url', server.url, '--output', 'json']);
}

async function awsJson<T = Record<string, any>>(...args: string[]): Promise<T> {
  const r = await aws(...args);
  assert.equal(r.code, 0, `aws cloudformation ${args.join(' ')} exited ${String(r.code)}:\n${r.stderr}`);
  return JSON.parse(r.stdout) as T;
}

function builtInSchema(typeName: string): Record<string, unknown> {
  const index = JSON.parse(readFileSync(join(CATALOGUE_DIR, 'index.json'), 'utf8')) as { types: Record<string, [number, number]> };
  const [offset, length] = index.types[typeName]!;
  const schema = JSON.parse(readFileSync(join(CATALOGUE_DIR, 'schemas.jsonl')).subarray(offset, offset + length).toString('utf8')) as Record<string, unknown>;
  return Object.fromEntries(Object.entries(schema).filter(([key]) => !key.startsWith('x-ccapi-')));
}

describe('aws cloudformation (CLI)', { skip: skipIfMissing('awsCli'), concurrency: true }, () => {
  test('describe-type --type RESOURCE --type-name AWS::S3::Bucket', async () => {
    const out = await awsJson('describe-type', '--type', 'RESOURCE', '--type-name', 'AWS::S3::Bucket');
    assert.equal(out.TypeName, 'AWS::S3::Bucket');
    assert.equal(out.Type, 'RESOURCE');
    assert.equal(out.Arn, 'arn:aws:cloudformation:us-east-1::type/resource/AWS-S3-Bucket');
    assert.equal(out.ProvisioningType, 'FULLY_MUTABLE');
    assert.equal(out.IsDefaultVersion, true);
    assert.equal(out.DefaultVersionId, '00000001');
    assert.equal(out.Visibility, 'PUBLIC');
    assert.equal(out.DeprecatedStatus, 'LIVE');
    assert.match(out.LastUpdated, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|\+00:00)$/);
    assert.deepEqual(JSON.parse(out.Schema), builtInSchema('AWS::S3::Bucket'));
  });

  test('describe-type --arn, with the version suffix', async () => {
    const out = await awsJson('describe-type', '--arn', 'arn:aws:cloudformation:us-east-1::type/resource/AWS-Logs-LogGroup/00000001');
    assert.equal(out.TypeName, 'AWS::Logs::LogGroup');
    assert.deepEqual(JSON.parse(out.Schema), builtInSchema('AWS::Logs::LogGroup'));
  });

  test('describe-type of an unknown type: TypeNotFoundException', async () => {
    const r = await aws('describe-type', '--type', 'RESOURCE', '--type-name', 'AWS::S3::Nope');
    assert.ok(r.code === 254 || r.code === 255, `exit ${String(r.code)}\n${r.stdout}${r.stderr}`);
    assert.match(r.stderr, /An error occurred \(TypeNotFoundException\) when calling the DescribeType operation: The type 'AWS::S3::Nope' cannot be found\./);
  });

  test('list-types --visibility PUBLIC --filters TypeNamePrefix=AWS::SQS:: (the CLI follows NextToken)', async () => {
    const out = await awsJson('list-types', '--visibility', 'PUBLIC', '--filters', 'TypeNamePrefix=AWS::SQS::', '--page-size', '1');
    const names = (out.TypeSummaries as { TypeName: string }[]).map((s) => s.TypeName);
    assert.deepEqual(names, ['AWS::SQS::Queue', 'AWS::SQS::QueueInlinePolicy', 'AWS::SQS::QueuePolicy']);
    assert.equal(out.NextToken, undefined);
  });

  test('list-types --max-items 2 hands back a token that continues the listing', async () => {
    const first = await awsJson('list-types', '--visibility', 'PUBLIC', '--filters', 'TypeNamePrefix=AWS::SNS::', '--max-items', '2');
    assert.equal(first.TypeSummaries.length, 2);
    assert.ok(first.NextToken, 'a continuation token');
    const rest = await awsJson('list-types', '--visibility', 'PUBLIC', '--filters', 'TypeNamePrefix=AWS::SNS::', '--starting-token', first.NextToken);
    const all = [...first.TypeSummaries, ...rest.TypeSummaries].map((s: { TypeName: string }) => s.TypeName);
    assert.deepEqual(all, ['AWS::SNS::Subscription', 'AWS::SNS::Topic', 'AWS::SNS::TopicInlinePolicy', 'AWS::SNS::TopicPolicy']);
  });
});

describe('query protocol over raw HTTP', () => {
  const form = (body: string, headers: Record<string, string> = {}) =>
    fetch(server.url, { method: 'POST', body, headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8', ...headers } });
  const signedBy = (service: string, region = 'us-east-1') => ({
    authorization: `AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260101/${region}/${service}/aws4_request, SignedHeaders=host, Signature=00`,
  });

  test('GET ?Action=ListTypes answers XML in the CloudFormation namespace, with the request id in both places', async () => {
    const res = await fetch(`${server.url}/?Action=ListTypes&Version=2010-05-15&Visibility=PUBLIC&MaxResults=2&Filters.TypeNamePrefix=AWS%3A%3AIAM%3A%3ARole`);
    const xml = await res.text();
    assert.equal(res.status, 200, xml);
    assert.equal(res.headers.get('content-type'), 'text/xml');
    assert.ok(xml.startsWith(`<ListTypesResponse xmlns="${NAMESPACE}"><ListTypesResult><TypeSummaries><member>`), xml);
    assert.match(xml, /<TypeName>AWS::IAM::Role<\/TypeName>/);
    assert.match(xml, /<TypeName>AWS::IAM::RolePolicy<\/TypeName>/);
    const requestId = res.headers.get('x-amzn-requestid');
    assert.ok(requestId);
    assert.ok(xml.endsWith(`<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></ListTypesResponse>`), xml);
  });

  test('the caller region from the credential scope is the region in type ARNs', async () => {
    const res = await form('Action=DescribeType&Version=2010-05-15&Type=RESOURCE&TypeName=AWS%3A%3ASNS%3A%3ATopic', signedBy('cloudformation', 'ap-southeast-2'));
    const xml = await res.text();
    assert.equal(res.status, 200, xml);
    assert.match(xml, /<Arn>arn:aws:cloudformation:ap-southeast-2::type\/resource\/AWS-SNS-Topic<\/Arn>/);
  });

  test('an unknown Action, a wrong Version and a missing Version are InvalidAction in the query error format', async () => {
    const cases: [string, string][] = [
      ['Action=DescribeStacks&Version=2010-05-15', 'Could not find operation DescribeStacks for version 2010-05-15'],
      ['Action=ListTypes&Version=2011-06-15', 'Could not find operation ListTypes for version 2011-06-15'],
    ];
    for (const [body, message] of cases) {
      const res = await form(body, signedBy('cloudformation'));
      const xml = await res.text();
      assert.equal(res.status, 400, xml);
      assert.equal(res.headers.get('content-type'), 'text/xml');
      assert.equal(
        xml,
        `<ErrorResponse xmlns="${NAMESPACE}"><Error><Type>Sender</Type><Code>InvalidAction</Code><Message>${message}</Message></Error>` +
          `<RequestId>${res.headers.get('x-amzn-requestid')}</RequestId></ErrorResponse>`,
      );
    }
    const unsigned = await form('Action=ListTypes');
    const xml = await unsigned.text();
    assert.equal(unsigned.status, 400);
    assert.match(xml, /<Code>InvalidAction<\/Code><Message>Could not find operation ListTypes for version NO_VERSION_SPECIFIED<\/Message>/);
  });

  test('a query API ccapi does not serve (credential scope iam) gets a clear InvalidAction', async () => {
    const res = await form('Action=ListUsers&Version=2010-05-08', signedBy('iam'));
    const xml = await res.text();
    assert.equal(res.status, 400, xml);
    assert.match(xml, /^<ErrorResponse><Error><Type>Sender<\/Type><Code>InvalidAction<\/Code><Message>ccapi does not serve the 'iam' query API \(Action=ListUsers\)\./);
    assert.match(xml, /cloudformation \(DescribeType, ListTypes, ListHookResults\); sts \(GetCallerIdentity\)/);
  });

  test('an unsigned request is routed by its Version; a DescribeType without a name is a ValidationError', async () => {
    const ok = await form('Action=DescribeType&Version=2010-05-15&Type=RESOURCE&TypeName=AWS%3A%3ASQS%3A%3AQueue');
    assert.equal(ok.status, 200, await ok.clone().text());
    assert.match(await ok.text(), /<TypeName>AWS::SQS::Queue<\/TypeName>/);
    const bad = await form('Action=DescribeType&Version=2010-05-15&Type=RESOURCE');
    assert.equal(bad.status, 400);
    assert.match(await bad.text(), /<Code>ValidationError<\/Code><Message>You must specify either TypeName and Type, or Arn\.<\/Message>/);
  });

  test('Cloud Control (AWS JSON 1.0) still answers on the same port, and a form body without Action is not query', async () => {
    const json = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'CloudApiService.ListResourceRequests' },
      body: '{}',
    });
    assert.equal(json.status, 200, await json.clone().text());
    assert.ok(Array.isArray(((await json.json()) as { ResourceRequestStatusSummaries: unknown[] }).ResourceRequestStatusSummaries));
    const noAction = await form('Version=2010-05-15&TypeName=x');
    assert.equal(noAction.status, 400);
    assert.equal(noAction.headers.get('content-type'), 'application/x-amz-json-1.0');
    assert.match(await noAction.text(), /UnknownOperationException/);
  });
});

test('with --schemas CloudformationSchema.zip: DescribeType of AWS::EKS::Nodegroup returns the bundled schema', { skip: skipIfMissing('bundle') ?? skipIfMissing('boto3') }, async (t) => {
  const bundled = await startServer({ extraArgs: ['--schemas', SCHEMAS_ZIP] });
  try {
    await runSuite(t, bundled, { CCAPI_SCHEMAS_ZIP: SCHEMAS_ZIP }, 3);
  } finally {
    await bundled.stop();
  }
});
