/**
 * End-to-end through the JS SDK v3 (issue #15 parts 1, 2 and 7): a create or update that references a resource
 * that does not exist in the same account and region is accepted, then FAILED at its handler step with the
 * service handler's code and message; it succeeds once the target exists (created by ccapi itself); what is
 * never checked passes; `--references warn` accepts and records the broken reference in the timeline and the
 * log; `--references off` does not look.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { CreateResourceCommand, GetResourceCommand, UpdateResourceCommand, type CloudControlClient, type ProgressEvent } from '@aws-sdk/client-cloudcontrol';
import { startServer, type ServerProcess } from '../support/server.js';
import { DEFAULT_ACCOUNT, makeClient, timeline, uniqueName, waitForStatus } from './support.js';

const ASSUME_LAMBDA = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }] };
const FUNCTION_CODE = { ZipFile: 'exports.handler = async () => 1;' };

let strict: ServerProcess;
let warn: ServerProcess;
let off: ServerProcess;
let client: CloudControlClient;

before(async () => {
  [strict, warn, off] = await Promise.all([startServer(), startServer({ extraArgs: ['--references', 'warn'] }), startServer({ env: { CCAPI_REFERENCES: 'off' } })]);
  client = makeClient(strict);
});
after(async () => {
  await Promise.all([strict?.stop(), warn?.stop(), off?.stop()]);
});

async function createOn(c: CloudControlClient, typeName: string, desired: Record<string, unknown>): Promise<{ accepted: ProgressEvent; done: ProgressEvent }> {
  const { ProgressEvent: accepted } = await c.send(new CreateResourceCommand({ TypeName: typeName, DesiredState: JSON.stringify(desired) }));
  return { accepted: accepted!, done: await waitForStatus(c, accepted!.RequestToken!) };
}

async function created(c: CloudControlClient, typeName: string, desired: Record<string, unknown>): Promise<Record<string, unknown>> {
  const { done } = await createOn(c, typeName, desired);
  assert.equal(done.OperationStatus, 'SUCCESS', `${typeName} ${JSON.stringify(desired)}: ${done.ErrorCode} ${done.StatusMessage}`);
  const { ResourceDescription } = await c.send(new GetResourceCommand({ TypeName: typeName, Identifier: done.Identifier! }));
  return JSON.parse(ResourceDescription!.Properties!) as Record<string, unknown>;
}

const role = (c: CloudControlClient) => created(c, 'AWS::IAM::Role', { RoleName: uniqueName('fn-role'), AssumeRolePolicyDocument: ASSUME_LAMBDA });
const lambda = (roleArn: string) => ({ FunctionName: uniqueName('fn'), Role: roleArn, Runtime: 'nodejs20.x', Handler: 'index.handler', Code: FUNCTION_CODE });

describe('strict (the default, as AWS)', () => {
  test('a subnet in a VPC that does not exist is accepted, then FAILED as EC2\'s handler fails it; the timeline shows the step', async () => {
    const { accepted, done } = await createOn(client, 'AWS::EC2::Subnet', { VpcId: 'vpc-0doesnotexist0000', CidrBlock: '10.0.1.0/24' });
    assert.equal(accepted.OperationStatus, 'IN_PROGRESS', 'accepted: the check runs at the step, not at the call');
    assert.equal(done.OperationStatus, 'FAILED');
    assert.equal(done.ErrorCode, 'InvalidRequest');
    assert.match(done.StatusMessage!, /^The vpc ID 'vpc-0doesnotexist0000' does not exist \(Service: Ec2, Status Code: 400, Request ID: [0-9a-f-]{36}\)$/);
    const events = (await timeline(strict, accepted.RequestToken!)).body.Events!;
    // A step's line says how long the handler ran (the console's timeline): ` (ran N ms)`.
    assert.deepEqual(events.map((e) => [e.OperationStatus, e.Detail?.replace(/ \(ran \d+ ms\)/, '')]), [['IN_PROGRESS', 'accepted'], ['FAILED', 'handler step 1 returned FAILED']]);
  });

  test('a subnet in the VPC ccapi just created succeeds', async () => {
    const vpc = await created(client, 'AWS::EC2::VPC', { CidrBlock: '10.20.0.0/16' });
    const subnet = await created(client, 'AWS::EC2::Subnet', { VpcId: vpc.VpcId, CidrBlock: '10.20.1.0/24' });
    assert.equal(subnet.VpcId, vpc.VpcId);
  });

  test('a function whose role does not exist fails as Lambda\'s handler fails it; with the role created first it succeeds', async () => {
    const missing = `arn:aws:iam::${DEFAULT_ACCOUNT}:role/${uniqueName('never-created')}`;
    const { done } = await createOn(client, 'AWS::Lambda::Function', lambda(missing));
    assert.equal(done.OperationStatus, 'FAILED');
    assert.equal(done.ErrorCode, 'InvalidRequest');
    assert.match(done.StatusMessage!, /^The role defined for the function cannot be assumed by Lambda\. \(Service: Lambda, Status Code: 400, Request ID: [0-9a-f-]{36}\)$/);
    const { Arn } = await role(client);
    const fn = await created(client, 'AWS::Lambda::Function', lambda(String(Arn)));
    assert.equal(fn.Role, Arn);
  });

  test('a log stream in a log group that does not exist fails NotFound, as CloudWatch Logs\' handler maps it; in one that exists it succeeds', async () => {
    const group = uniqueName('refs-lg');
    const { done } = await createOn(client, 'AWS::Logs::LogStream', { LogGroupName: group, LogStreamName: 's' });
    assert.equal(done.OperationStatus, 'FAILED');
    assert.equal(done.ErrorCode, 'NotFound');
    assert.match(done.StatusMessage!, /^The specified log group does not exist\. \(Service: CloudWatchLogs, Status Code: 400, Request ID: [0-9a-f-]{36}\)$/);
    await created(client, 'AWS::Logs::LogGroup', { LogGroupName: group });
    await created(client, 'AWS::Logs::LogStream', { LogGroupName: group, LogStreamName: 's' });
  });

  test('an update that points a reference at a missing resource fails, and the resource is unchanged', async () => {
    const { Arn } = await role(client);
    const fn = await created(client, 'AWS::Lambda::Function', lambda(String(Arn)));
    const missing = `arn:aws:iam::${DEFAULT_ACCOUNT}:role/${uniqueName('gone')}`;
    // Code is write-only: Cloud Control's patch base lacks it, so the patch gives it again (as cdkd and awscc do).
    const { ProgressEvent } = await client.send(
      new UpdateResourceCommand({ TypeName: 'AWS::Lambda::Function', Identifier: String(fn.FunctionName), PatchDocument: JSON.stringify([{ op: 'replace', path: '/Role', value: missing }, { op: 'add', path: '/Code', value: FUNCTION_CODE }]) }),
    );
    const done = await waitForStatus(client, ProgressEvent!.RequestToken!);
    assert.equal(done.OperationStatus, 'FAILED');
    assert.equal(done.ErrorCode, 'InvalidRequest');
    const { ResourceDescription } = await client.send(new GetResourceCommand({ TypeName: 'AWS::Lambda::Function', Identifier: String(fn.FunctionName) }));
    assert.equal((JSON.parse(ResourceDescription!.Properties!) as { Role: string }).Role, Arn);
  });

  test('a KMS key named by ARN, by KeyId or by an alias\'s name or ARN all resolve; a missing one fails with the documented fallback', async () => {
    const key = await created(client, 'AWS::KMS::Key', { KeyPolicy: { Version: '2012-10-17', Statement: [] } });
    const aliasName = `alias/${uniqueName('app')}`;
    await created(client, 'AWS::KMS::Alias', { AliasName: aliasName, TargetKeyId: key.KeyId });
    for (const kmsKey of [String(key.Arn), String(key.KeyId), aliasName, `arn:aws:kms:us-east-1:${DEFAULT_ACCOUNT}:${aliasName}`]) {
      await created(client, 'AWS::SQS::Queue', { QueueName: uniqueName('q'), KmsMasterKeyId: kmsKey });
    }
    const { done } = await createOn(client, 'AWS::SQS::Queue', { QueueName: uniqueName('q'), KmsMasterKeyId: 'alias/never-created' });
    assert.equal(done.OperationStatus, 'FAILED');
    assert.equal(done.ErrorCode, 'InvalidRequest');
    assert.equal(done.StatusMessage, "Invalid request provided: AWS::SQS::Queue property KmsMasterKeyId references AWS::KMS::Key or AWS::KMS::Alias 'alias/never-created', which does not exist");
  });

  test('never checked: AWS-managed keys and policies, service-linked roles, other accounts and regions', async () => {
    await created(client, 'AWS::SQS::Queue', { QueueName: uniqueName('q'), KmsMasterKeyId: 'alias/aws/sqs' });
    await created(client, 'AWS::IAM::Role', { AssumeRolePolicyDocument: ASSUME_LAMBDA, ManagedPolicyArns: ['arn:aws:iam::aws:policy/ReadOnlyAccess'] });
    await created(client, 'AWS::Lambda::Function', lambda('arn:aws:iam::111122223333:role/theirs'));
    await created(client, 'AWS::Lambda::Function', lambda(`arn:aws:iam::${DEFAULT_ACCOUNT}:role/aws-service-role/lambda.amazonaws.com/AWSServiceRoleForLambda`));
    await created(client, 'AWS::SQS::Queue', { QueueName: uniqueName('q'), KmsMasterKeyId: `arn:aws:kms:eu-west-3:${DEFAULT_ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab` });
  });

  test('a resource in another region of the same account does not satisfy a reference', async () => {
    const west = makeClient(strict, { region: 'eu-west-1' });
    const vpc = await created(west, 'AWS::EC2::VPC', { CidrBlock: '10.30.0.0/16' });
    const { done } = await createOn(client, 'AWS::EC2::Subnet', { VpcId: vpc.VpcId, CidrBlock: '10.30.1.0/24' });
    assert.equal(done.OperationStatus, 'FAILED');
    assert.equal(done.ErrorCode, 'InvalidRequest');
  });
});

describe('--references warn', () => {
  test('accepts the request and records the broken reference in its timeline and the log', async () => {
    const c = makeClient(warn);
    const { accepted, done } = await createOn(c, 'AWS::EC2::Subnet', { VpcId: 'vpc-0warned000000000', CidrBlock: '10.0.1.0/24' });
    assert.equal(done.OperationStatus, 'SUCCESS');
    assert.equal(done.StatusMessage, undefined, 'nothing shows on the wire');
    const events = (await timeline(warn, accepted.RequestToken!)).body.Events!;
    assert.match(events.at(-1)!.Detail!, /^handler step 1 returned SUCCESS \(ran \d+ ms\); broken reference: AWS::EC2::Subnet VpcId 'vpc-0warned000000000' names no existing AWS::EC2::VPC \(accepted: --references warn\)$/);
    assert.match(warn.stderr(), /broken reference: AWS::EC2::Subnet VpcId 'vpc-0warned000000000'/);
  });
});

describe('--references off (CCAPI_REFERENCES=off)', () => {
  test('does not look: the create succeeds and the timeline has no note', async () => {
    const c = makeClient(off);
    const { accepted, done } = await createOn(c, 'AWS::EC2::Subnet', { VpcId: 'vpc-0unchecked00000', CidrBlock: '10.0.1.0/24' });
    assert.equal(done.OperationStatus, 'SUCCESS');
    const events = (await timeline(off, accepted.RequestToken!)).body.Events!;
    assert.match(events.at(-1)!.Detail!, /^handler step 1 returned SUCCESS \(ran \d+ ms\)$/);
    assert.doesNotMatch(off.stderr(), /broken reference/);
  });
});
