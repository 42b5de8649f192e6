/**
 * End-to-end: the AWS CLI (v1, `aws cloudcontrol ...`) against a real ccapi server, for every operation
 * and a few errors. Each invocation costs about a second, so independent flows run concurrently and
 * set-up polling uses the JS SDK.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import type { CloudControlClient } from '@aws-sdk/client-cloudcontrol';
import { startServer, type ServerProcess } from '../support/server.js';
import { awsEnv, TEST_CREDENTIALS } from '../support/aws-env.js';
import { skipIfMissing } from '../support/prerequisites.js';
import { DEFAULT_ACCOUNT, LOG_GROUP_DEFAULTS, UUID, clearFaults, makeClient, putFaultsOk, uniqueName, waitForStatus } from './support.js';

const LOG_GROUP = 'AWS::Logs::LogGroup';
const TOPIC = 'AWS::SNS::Topic';

let server: ServerProcess;
let sdk: CloudControlClient;

before(async () => {
  server = await startServer();
  sdk = makeClient(server);
});

after(async () => {
  sdk?.destroy();
  await server?.stop();
});

interface CliResult {
  code: number | string | null;
  stdout: string;
  stderr: string;
  ms: number;
}

function aws(...args: string[]): Promise<CliResult> {
  const started = Date.now();
  return new Promise((resolve) => {
    execFile(
      'aws',
      ['cloudcontrol', ...args, '--endpoint-url', server.url, '--output', 'json'],
      {
        timeout: 30_000,
        env: awsEnv({ ...TEST_CREDENTIALS, AWS_MAX_ATTEMPTS: '1' }),
      },
      (error, stdout, stderr) => {
        const code = error ? ((error as { code?: number | string }).code ?? (error.killed ? 'timeout' : null)) : 0;
        resolve({ code, stdout, stderr, ms: Date.now() - started });
      },
    );
  });
}

/** Runs a CLI command that must succeed and returns its parsed JSON output ({} when it prints nothing). */
async function awsJson<T = Record<string, any>>(...args: string[]): Promise<T> {
  const r = await aws(...args);
  assert.equal(r.code, 0, `aws cloudcontrol ${args.join(' ')} exited ${String(r.code)}:\n${r.stderr}`);
  return (r.stdout.trim() ? JSON.parse(r.stdout) : {}) as T;
}

/** Runs a CLI command that must fail with the given AWS error code (exit 254 in v2, 255 in v1). */
async function awsError(code: string, ...args: string[]): Promise<CliResult> {
  const r = await aws(...args);
  assert.ok(r.code === 254 || r.code === 255, `aws cloudcontrol ${args.join(' ')} should fail with ${code}; exit ${String(r.code)}\n${r.stdout}${r.stderr}`);
  assert.match(r.stderr, new RegExp(`An error occurred \\(${code}\\) when calling the \\w+ operation`), r.stderr);
  return r;
}

describe('aws cloudcontrol', { skip: skipIfMissing('awsCli'), concurrency: true }, () => {
  test('create, get-resource-request-status, wait, get, update, list-resources, list-resource-requests, delete', async () => {
    const name = uniqueName('cli-lg');
    const created = await awsJson('create-resource', '--type-name', LOG_GROUP, '--desired-state', JSON.stringify({ LogGroupName: name, RetentionInDays: 7 }));
    const token = created.ProgressEvent.RequestToken as string;
    assert.match(token, UUID);
    assert.equal(created.ProgressEvent.OperationStatus, 'IN_PROGRESS');
    assert.equal(created.ProgressEvent.Identifier, name);
    assert.equal(created.ProgressEvent.ResourceModel, undefined);

    // --debug logs every request botocore makes: the waiter must be satisfied by its first poll.
    const wait = await aws('wait', 'resource-request-success', '--request-token', token, '--debug');
    assert.equal(wait.code, 0, wait.stderr);
    const polls = wait.stderr.match(/Making request for OperationModel\(name=GetResourceRequestStatus\)/g) ?? [];
    assert.equal(polls.length, 1, 'one GetResourceRequestStatus call: SUCCESS on the first poll');

    const [status, got] = await Promise.all([
      awsJson('get-resource-request-status', '--request-token', token),
      awsJson('get-resource', '--type-name', LOG_GROUP, '--identifier', name),
    ]);
    assert.equal(status.ProgressEvent.OperationStatus, 'SUCCESS');
    assert.equal(typeof status.ProgressEvent.EventTime, 'number', 'EventTime is epoch seconds');
    assert.ok(Math.abs(status.ProgressEvent.EventTime * 1000 - Date.now()) < 60_000);

    assert.equal(got.TypeName, LOG_GROUP);
    assert.equal(got.ResourceDescription.Identifier, name);
    assert.deepEqual(JSON.parse(got.ResourceDescription.Properties), {
      LogGroupName: name,
      RetentionInDays: 7,
      Arn: `arn:aws:logs:us-east-1:${DEFAULT_ACCOUNT}:log-group:${name}:*`,
      ...LOG_GROUP_DEFAULTS,
    });

    const updated = await awsJson(
      'update-resource',
      '--type-name',
      LOG_GROUP,
      '--identifier',
      name,
      '--patch-document',
      JSON.stringify([{ op: 'replace', path: '/RetentionInDays', value: 30 }]),
    );
    assert.equal(updated.ProgressEvent.Operation, 'UPDATE');
    assert.deepEqual(JSON.parse(updated.ProgressEvent.ResourceModel), { LogGroupName: name, RetentionInDays: 30, ...LOG_GROUP_DEFAULTS });
    const updateToken = updated.ProgressEvent.RequestToken as string;
    assert.equal((await waitForStatus(sdk, updateToken)).OperationStatus, 'SUCCESS');

    const [listed, requests] = await Promise.all([
      awsJson('list-resources', '--type-name', LOG_GROUP),
      awsJson('list-resource-requests', '--resource-request-status-filter', JSON.stringify({ Operations: ['UPDATE'], OperationStatuses: ['SUCCESS'] })),
    ]);
    const mine = (listed.ResourceDescriptions as { Identifier: string; Properties: string }[]).find((d) => d.Identifier === name);
    assert.ok(mine, `list-resources includes ${name}`);
    assert.equal((JSON.parse(mine.Properties) as { RetentionInDays: number }).RetentionInDays, 30);
    const summaries = requests.ResourceRequestStatusSummaries as { RequestToken: string; Operation: string; OperationStatus: string }[];
    assert.ok(summaries.some((s) => s.RequestToken === updateToken), 'list-resource-requests includes the update');
    assert.ok(summaries.every((s) => s.Operation === 'UPDATE' && s.OperationStatus === 'SUCCESS'), 'the filter applies');

    const deleted = await awsJson('delete-resource', '--type-name', LOG_GROUP, '--identifier', name);
    assert.equal(deleted.ProgressEvent.Operation, 'DELETE');
    assert.equal(deleted.ProgressEvent.OperationStatus, 'IN_PROGRESS');
    assert.equal((await waitForStatus(sdk, deleted.ProgressEvent.RequestToken)).OperationStatus, 'SUCCESS');

    const [gone, cancelDone] = await Promise.all([
      awsError('ResourceNotFoundException', 'get-resource', '--type-name', LOG_GROUP, '--identifier', name),
      awsError('ValidationException', 'cancel-resource-request', '--request-token', token),
    ]);
    assert.match(gone.stderr, /Handler returned status FAILED: .*\(HandlerErrorCode: NotFound, RequestToken: [0-9a-f-]{36}\)/);
    assert.match(cancelDone.stderr, new RegExp(`Request ${token} is already in status SUCCESS`));
  });

  test('cancel-resource-request on a delayed create, and the waiter failing on CANCEL_COMPLETE', async () => {
    await putFaultsOk(server, { rules: [{ typeName: TOPIC, operation: 'CREATE', delayMs: 60_000 }] });
    try {
      const created = await awsJson('create-resource', '--type-name', TOPIC, '--desired-state', JSON.stringify({ TopicName: uniqueName('cli-topic') }));
      const token = created.ProgressEvent.RequestToken as string;
      assert.equal(created.ProgressEvent.OperationStatus, 'IN_PROGRESS');
      assert.equal(created.ProgressEvent.Identifier, undefined, 'TopicArn is generated');
      assert.equal(typeof created.ProgressEvent.RetryAfter, 'number');
      assert.ok(created.ProgressEvent.RetryAfter > created.ProgressEvent.EventTime);

      const cancelled = await awsJson('cancel-resource-request', '--request-token', token);
      assert.equal(cancelled.ProgressEvent.RequestToken, token);
      assert.ok(['CANCEL_IN_PROGRESS', 'CANCEL_COMPLETE'].includes(cancelled.ProgressEvent.OperationStatus), cancelled.ProgressEvent.OperationStatus);
      // The step is due in 60 s, past this hang deadline: a cancel that waited for it fails here.
      await waitForStatus(sdk, token, 'CANCEL_COMPLETE', 30_000);

      const wait = await aws('wait', 'resource-request-success', '--request-token', token);
      assert.ok(wait.code === 254 || wait.code === 255, `wait on a cancelled request must fail; exit ${String(wait.code)}`);
      assert.match(wait.stderr, /Waiter ResourceRequestSuccess failed: .*terminal failure state/);
    } finally {
      await clearFaults(server);
    }
  });

  test('errors: TypeNotFoundException and RequestTokenNotFoundException', async () => {
    const [typeMissing, tokenMissing] = await Promise.all([
      awsError('TypeNotFoundException', 'get-resource', '--type-name', 'AWS::NoSuch::Thing', '--identifier', 'x'),
      awsError('RequestTokenNotFoundException', 'get-resource-request-status', '--request-token', '00000000-0000-4000-8000-000000000000'),
    ]);
    assert.match(typeMissing.stderr, /AWS::NoSuch::Thing/);
    assert.equal(tokenMissing.stdout.trim(), '');
  });
});
