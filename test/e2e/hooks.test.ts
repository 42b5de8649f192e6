/**
 * End-to-end: pre-provision hooks (`ccapi serve --hooks FILE`) in a real server process, on built-in AWS
 * types (hooks apply to any type). Declarative and module hooks, FAIL and WARN, DELETE hooks that judge the
 * resource as it is; HooksProgressEvent as parsed by the JS SDK and by boto3.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  CreateResourceCommand,
  DeleteResourceCommand,
  GetResourceRequestStatusCommand,
  ListResourceRequestsCommand,
  type CloudControlClient,
} from '@aws-sdk/client-cloudcontrol';
import { startServer, tempDir, type ServerProcess } from '../support/server.js';
import { awsEnv } from '../support/aws-env.js';
import { skipIfMissing } from '../support/prerequisites.js';
import { makeClient, waitForStatus } from './support.js';

const HOOKS = {
  hooks: [
    {
      typeName: 'Acme::Policy::Retention',
      targets: ['AWS::Logs::LogGroup'],
      failureMode: 'FAIL',
      conditions: [{ pointer: '/RetentionInDays', exists: true }],
      message: 'Log groups must set RetentionInDays',
    },
    {
      typeName: 'Acme::Policy::Naming',
      targets: ['AWS::Logs::*'],
      failureMode: 'WARN',
      conditions: [{ pointer: '/LogGroupName', matches: '^team-' }],
    },
    {
      typeName: 'Acme::Policy::Protected',
      targets: ['AWS::SQS::Queue'],
      operations: ['DELETE'],
      failureMode: 'FAIL',
      module: './protect.js',
      configuration: { tagKey: 'protected' },
    },
    { typeName: 'Acme::Policy::Broken', targets: ['AWS::SNS::Topic'], failureMode: 'FAIL', module: './broken.js' },
    { typeName: 'Acme::Policy::Flaky', targets: ['AWS::SNS::Topic'], failureMode: 'WARN', module: './broken.js' },
  ],
};

/** Refuses to delete a queue tagged protected=true; DELETE hooks see the resource as it is. */
const PROTECT = `
export default async function protect(request) {
  const tags = request.desiredResourceState?.Tags ?? [];
  const key = request.hookConfiguration.tagKey;
  if (tags.some((t) => t.Key === key && t.Value === 'true')) return { status: 'FAILED', message: request.typeName + ' is tagged ' + key };
  return { status: 'SUCCESS', message: 'not protected' };
}
`;

/** Throws for topics named "boom", answers nonsense for "nonsense". */
const BROKEN = `
export async function hook(request) {
  if (request.desiredResourceState.TopicName === 'boom') throw new Error('policy service unreachable');
  if (request.desiredResourceState.TopicName === 'nonsense') return 'yes';
  return { status: 'SUCCESS' };
}
`;

let server: ServerProcess;
let client: CloudControlClient;

before(async () => {
  const dir = tempDir('ccapi-hooks-');
  writeFileSync(join(dir, 'hooks.json'), JSON.stringify(HOOKS));
  writeFileSync(join(dir, 'protect.js'), PROTECT);
  writeFileSync(join(dir, 'broken.js'), BROKEN);
  server = await startServer({ extraArgs: ['--hooks', join(dir, 'hooks.json')] });
  client = makeClient(server, { maxAttempts: 1 });
});

after(async () => {
  await server?.stop();
});

async function submit(typeName: string, model: Record<string, unknown>) {
  const { ProgressEvent } = await client.send(new CreateResourceCommand({ TypeName: typeName, DesiredState: JSON.stringify(model) }));
  return ProgressEvent!;
}

async function statusOf(token: string) {
  await waitForStatus(client, token);
  return client.send(new GetResourceRequestStatusCommand({ RequestToken: token }));
}

describe('declarative hooks', () => {
  test('a FAIL hook that fails fails the request with InvalidRequest; the request is PENDING while hooks run', async () => {
    const accepted = await submit('AWS::Logs::LogGroup', { LogGroupName: 'no-retention' });
    assert.equal(accepted.OperationStatus, 'PENDING', 'queued behind its hooks');
    assert.match(accepted.HooksRequestToken!, /^[0-9a-f-]{36}$/);
    const { ProgressEvent, HooksProgressEvent } = await statusOf(accepted.RequestToken!);
    assert.equal(ProgressEvent!.OperationStatus, 'FAILED');
    assert.equal(ProgressEvent!.ErrorCode, 'InvalidRequest');
    assert.equal(ProgressEvent!.HooksRequestToken, accepted.HooksRequestToken);
    assert.equal(ProgressEvent!.StatusMessage, 'The following hook(s) failed: [Acme::Policy::Retention]. Acme::Policy::Retention: Log groups must set RetentionInDays');
    const byName = new Map(HooksProgressEvent!.map((h) => [h.HookTypeName, h]));
    assert.deepEqual([...byName.keys()], ['Acme::Policy::Retention', 'Acme::Policy::Naming']);
    const retention = byName.get('Acme::Policy::Retention')!;
    assert.equal(retention.HookStatus, 'HOOK_COMPLETE_FAILED');
    assert.equal(retention.FailureMode, 'FAIL');
    assert.equal(retention.InvocationPoint, 'PRE_PROVISION');
    assert.equal(retention.HookStatusMessage, 'Log groups must set RetentionInDays');
    assert.equal(retention.HookTypeArn, 'arn:aws:cloudformation:us-east-1:000000000000:type/hook/Acme-Policy-Retention');
    assert.ok(retention.HookEventTime instanceof Date && Math.abs(retention.HookEventTime.getTime() - Date.now()) < 60_000, 'HookEventTime parses as a date');
    assert.equal(byName.get('Acme::Policy::Naming')!.HookStatus, 'HOOK_COMPLETE_FAILED');
  });

  test('a WARN hook that fails lets the request proceed, its warning on record', async () => {
    const accepted = await submit('AWS::Logs::LogGroup', { LogGroupName: 'unprefixed', RetentionInDays: 7 });
    const { ProgressEvent, HooksProgressEvent } = await statusOf(accepted.RequestToken!);
    assert.equal(ProgressEvent!.OperationStatus, 'SUCCESS', ProgressEvent!.StatusMessage);
    const naming = HooksProgressEvent!.find((h) => h.HookTypeName === 'Acme::Policy::Naming')!;
    assert.equal(naming.HookStatus, 'HOOK_COMPLETE_FAILED');
    assert.equal(naming.FailureMode, 'WARN');
    assert.equal(naming.HookStatusMessage, '/LogGroupName must match ^team-');
    assert.equal(HooksProgressEvent!.find((h) => h.HookTypeName === 'Acme::Policy::Retention')!.HookStatus, 'HOOK_COMPLETE_SUCCEEDED');
  });

  test('types no hook targets carry neither HooksRequestToken nor HooksProgressEvent', async () => {
    const accepted = await submit('AWS::SSM::Parameter', { Name: 'plain', Type: 'String', Value: 'v' });
    assert.equal(accepted.HooksRequestToken, undefined);
    const { ProgressEvent, HooksProgressEvent } = await statusOf(accepted.RequestToken!);
    assert.equal(ProgressEvent!.OperationStatus, 'SUCCESS');
    assert.equal(HooksProgressEvent, undefined);
  });
});

describe('module hooks', () => {
  test('a DELETE hook judges the resource as it is: a protected queue cannot be deleted, an unprotected one can', async () => {
    const created = await statusOf((await submit('AWS::SQS::Queue', { QueueName: 'keep-me', Tags: [{ Key: 'protected', Value: 'true' }] })).RequestToken!);
    assert.equal(created.ProgressEvent!.OperationStatus, 'SUCCESS');
    assert.equal(created.HooksProgressEvent, undefined, 'the hook targets DELETE only');
    const identifier = created.ProgressEvent!.Identifier!;
    const { ProgressEvent: del } = await client.send(new DeleteResourceCommand({ TypeName: 'AWS::SQS::Queue', Identifier: identifier }));
    const refused = await statusOf(del!.RequestToken!);
    assert.equal(refused.ProgressEvent!.OperationStatus, 'FAILED');
    assert.equal(refused.ProgressEvent!.ErrorCode, 'InvalidRequest');
    assert.equal(refused.HooksProgressEvent![0]!.HookStatusMessage, 'AWS::SQS::Queue is tagged protected');

    const other = await statusOf((await submit('AWS::SQS::Queue', { QueueName: 'let-go' })).RequestToken!);
    const { ProgressEvent: del2 } = await client.send(new DeleteResourceCommand({ TypeName: 'AWS::SQS::Queue', Identifier: other.ProgressEvent!.Identifier! }));
    const deleted = await statusOf(del2!.RequestToken!);
    assert.equal(deleted.ProgressEvent!.OperationStatus, 'SUCCESS');
    assert.equal(deleted.HooksProgressEvent![0]!.HookStatus, 'HOOK_COMPLETE_SUCCEEDED');
    assert.equal(deleted.HooksProgressEvent![0]!.HookStatusMessage, 'not protected');
  });

  test('a hook that throws is HOOK_FAILED: FAIL mode blocks, WARN mode only records it', async () => {
    const { ProgressEvent, HooksProgressEvent } = await statusOf((await submit('AWS::SNS::Topic', { TopicName: 'boom' })).RequestToken!);
    assert.equal(ProgressEvent!.OperationStatus, 'FAILED');
    assert.deepEqual(
      HooksProgressEvent!.map((h) => [h.HookTypeName, h.HookStatus, h.FailureMode, h.HookStatusMessage]),
      [
        ['Acme::Policy::Broken', 'HOOK_FAILED', 'FAIL', 'Hook failed: policy service unreachable'],
        ['Acme::Policy::Flaky', 'HOOK_FAILED', 'WARN', 'Hook failed: policy service unreachable'],
      ],
    );
    assert.match(ProgressEvent!.StatusMessage!, /^The following hook\(s\) failed: \[Acme::Policy::Broken\]\./, 'only the FAIL-mode hook blocks');
  });

  test('a hook that answers nonsense is HOOK_FAILED too', async () => {
    const { HooksProgressEvent } = await statusOf((await submit('AWS::SNS::Topic', { TopicName: 'nonsense' })).RequestToken!);
    assert.equal(HooksProgressEvent![0]!.HookStatus, 'HOOK_FAILED');
    assert.match(HooksProgressEvent![0]!.HookStatusMessage!, /returned something other than \{status/);
  });

  test('ListResourceRequests summaries carry HooksRequestToken but no HooksProgressEvent', async () => {
    const { ResourceRequestStatusSummaries } = await client.send(new ListResourceRequestsCommand({ ResourceRequestStatusFilter: { Operations: ['DELETE'] } }));
    assert.ok(ResourceRequestStatusSummaries!.some((s) => s.HooksRequestToken !== undefined));
  });
});

describe('boto3', { skip: skipIfMissing('boto3') }, () => {
  test('boto3 parses HooksProgressEvent (status, failure mode, event time as a datetime); CloudFormation ListHookResults lists the same hooks', async () => {
    const script = `
import boto3, json, os, time, datetime
c = boto3.client('cloudcontrol', endpoint_url=os.environ['CCAPI_ENDPOINT'], region_name='us-east-1', aws_access_key_id='AKIDEXAMPLE', aws_secret_access_key='x')
r = c.create_resource(TypeName='AWS::Logs::LogGroup', DesiredState=json.dumps({'LogGroupName': 'boto-no-retention'}))
assert r['ProgressEvent']['OperationStatus'] == 'PENDING', r
c_token = r['ProgressEvent']['RequestToken']
for _ in range(100):
    s = c.get_resource_request_status(RequestToken=c_token)
    if s['ProgressEvent']['OperationStatus'] not in ('PENDING', 'IN_PROGRESS'): break
    time.sleep(0.1)
hooks = s['HooksProgressEvent']
assert s['ProgressEvent']['ErrorCode'] == 'InvalidRequest', s
assert isinstance(hooks[0]['HookEventTime'], datetime.datetime), hooks
cf = boto3.client('cloudformation', endpoint_url=os.environ['CCAPI_ENDPOINT'], region_name='us-east-1', aws_access_key_id='AKIDEXAMPLE', aws_secret_access_key='x')
results = cf.list_hook_results(TargetType='CLOUD_CONTROL', TargetId=r['ProgressEvent']['HooksRequestToken'])['HookResults']
assert [h['TypeName'] for h in results] == [h['HookTypeName'] for h in hooks], results
assert all(h['HookExecutionTarget'] == c_token and isinstance(h['InvokedAt'], datetime.datetime) for h in results), results
assert results[0]['HookStatusReason'] == 'Log groups must set RetentionInDays', results
warn_only = cf.list_hook_results(TargetType='CLOUD_CONTROL', TargetId=r['ProgressEvent']['HooksRequestToken'], TypeArn=hooks[1]['HookTypeArn'])['HookResults']
assert [h['TypeName'] for h in warn_only] == ['Acme::Policy::Naming'], warn_only
try:
    cf.list_hook_results(TargetType='CLOUD_CONTROL', TargetId='01234567-89ab-4cde-8f01-23456789abcd')
    raise AssertionError('an unknown HooksRequestToken must not be found')
except cf.exceptions.HookResultNotFoundException:
    pass
# Without a target: every invocation in this account and region, or one hook's, as the API reference lists.
everything = cf.list_hook_results()['HookResults']
mine = [h for h in everything if h['TargetId'] == r['ProgressEvent']['HooksRequestToken']]
assert sorted(h['HookResultId'] for h in mine) == sorted(h['HookResultId'] for h in results), (mine, results)
assert all(h['TargetType'] == 'CLOUD_CONTROL' for h in everything), everything
naming = cf.list_hook_results(TypeArn=hooks[1]['HookTypeArn'])['HookResults']
assert naming and all(h['TypeName'] == 'Acme::Policy::Naming' for h in naming), naming
failed_naming = cf.list_hook_results(TypeArn=hooks[1]['HookTypeArn'], Status='HOOK_COMPLETE_FAILED')['HookResults']
assert failed_naming and all(h['Status'] == 'HOOK_COMPLETE_FAILED' for h in failed_naming), failed_naming
for bad in ({'Status': 'HOOK_FAILED'}, {'TargetType': 'CLOUD_CONTROL'}, {'TargetId': r['ProgressEvent']['HooksRequestToken']}, {'NextToken': 'bm90IGEgdG9rZW4='}):
    try:
        cf.list_hook_results(**bad)
        raise AssertionError(f'{bad} must be refused')
    except cf.exceptions.ClientError as e:
        assert e.response['Error']['Code'] == 'ValidationError', (bad, e.response)
print(json.dumps([[h['HookTypeName'], h['HookStatus'], h['FailureMode'], h['InvocationPoint']] for h in hooks]))
`;
    const output = await new Promise<string>((resolve, reject) =>
      execFile('python3', ['-c', script], { env: awsEnv({ CCAPI_ENDPOINT: server.url }), timeout: 60_000 }, (error, stdout, stderr) =>
        error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve(stdout),
      ),
    );
    assert.deepEqual(JSON.parse(output), [
      ['Acme::Policy::Retention', 'HOOK_COMPLETE_FAILED', 'FAIL', 'PRE_PROVISION'],
      ['Acme::Policy::Naming', 'HOOK_COMPLETE_FAILED', 'WARN', 'PRE_PROVISION'],
    ]);
  });
});
