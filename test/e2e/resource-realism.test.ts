/**
 * End-to-end through the JS SDK v3: resources look like AWS's (issue #14). Generated names follow the service's
 * rules, read-only attributes are formed from the resource's own values, and a property the caller leaves out
 * reads back as the service's default, after a create and after an update that removes it.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { CreateResourceCommand, GetResourceCommand, UpdateResourceCommand, type CloudControlClient } from '@aws-sdk/client-cloudcontrol';
import { startServer, type ServerProcess } from '../support/server.js';
import { DEFAULT_ACCOUNT, makeClient, uniqueName, waitForStatus } from './support.js';

let server: ServerProcess;
let client: CloudControlClient;

before(async () => {
  server = await startServer();
  client = makeClient(server);
});
after(() => server?.stop());

async function create(typeName: string, desired: Record<string, unknown>): Promise<{ identifier: string; properties: Record<string, unknown> }> {
  const { ProgressEvent } = await client.send(new CreateResourceCommand({ TypeName: typeName, DesiredState: JSON.stringify(desired) }));
  const done = await waitForStatus(client, ProgressEvent!.RequestToken!, 'SUCCESS');
  return { identifier: done.Identifier!, properties: await read(typeName, done.Identifier!) };
}

async function read(typeName: string, identifier: string): Promise<Record<string, unknown>> {
  const { ResourceDescription } = await client.send(new GetResourceCommand({ TypeName: typeName, Identifier: identifier }));
  return JSON.parse(ResourceDescription!.Properties!) as Record<string, unknown>;
}

async function update(typeName: string, identifier: string, patch: unknown[]): Promise<void> {
  const { ProgressEvent } = await client.send(new UpdateResourceCommand({ TypeName: typeName, Identifier: identifier, PatchDocument: JSON.stringify(patch) }));
  await waitForStatus(client, ProgressEvent!.RequestToken!, 'SUCCESS');
}

describe('resources that look like AWS\'s', () => {
  test('an S3 bucket created without a name gets one S3 accepts, and domain names formed from it', async () => {
    const { identifier, properties } = await create('AWS::S3::Bucket', {});
    assert.match(identifier, /^bucket-[a-z0-9]{12}$/, 'lower case, as S3 requires');
    assert.equal(properties.Arn, `arn:aws:s3:::${identifier}`);
    assert.equal(properties.DomainName, `${identifier}.s3.amazonaws.com`);
    assert.equal(properties.RegionalDomainName, `${identifier}.s3.us-east-1.amazonaws.com`);
    assert.equal(properties.DualStackDomainName, `${identifier}.s3.dualstack.us-east-1.amazonaws.com`);
    assert.equal(properties.WebsiteURL, `http://${identifier}.s3-website-us-east-1.amazonaws.com`);
  });

  test('an ECR repository URI is the one docker pushes to', async () => {
    const name = uniqueName('team/app');
    const { properties } = await create('AWS::ECR::Repository', { RepositoryName: name });
    assert.equal(properties.RepositoryUri, `${DEFAULT_ACCOUNT}.dkr.ecr.us-east-1.amazonaws.com/${name}`);
  });

  test('a security group in a VPC: Id and GroupId are the same sg- id', async () => {
    // The VPC exists first, as AWS requires (references are checked: docs/references.md).
    const vpc = await create('AWS::EC2::VPC', { CidrBlock: '10.0.0.0/16' });
    const { identifier, properties } = await create('AWS::EC2::SecurityGroup', { GroupDescription: 'web', VpcId: vpc.identifier });
    assert.match(identifier, /^sg-[0-9a-f]{17}$/);
    assert.equal(properties.GroupId, identifier);
  });

  test('a subnet\'s network ACL association id has the aclassoc- prefix', async () => {
    const vpc = await create('AWS::EC2::VPC', { CidrBlock: '10.1.0.0/16' });
    const { identifier, properties } = await create('AWS::EC2::Subnet', { VpcId: vpc.identifier, CidrBlock: '10.1.1.0/24' });
    assert.match(identifier, /^subnet-[0-9a-f]{17}$/);
    assert.equal(properties.SubnetId, identifier);
    assert.match(String(properties.NetworkAclAssociationId), /^aclassoc-[0-9a-f]{17}$/);
  });

  test('a WAFv2 regex pattern set: the generated name is the one in the ARN, with the scope and the id', async () => {
    const { properties } = await create('AWS::WAFv2::RegexPatternSet', { Scope: 'REGIONAL', RegularExpressionList: ['^foo'] });
    const name = String(properties.Name);
    assert.match(String(properties.Id), /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    assert.equal(properties.Arn, `arn:aws:wafv2:us-east-1:${DEFAULT_ACCOUNT}:regional/regexpatternset/${name}/${String(properties.Id)}`);
  });

  test('a patch on a read-only path is refused as read-only, whatever the operation', async () => {
    const name = uniqueName('ro-lg');
    const { identifier } = await create('AWS::Logs::LogGroup', { LogGroupName: name });
    for (const op of ['replace', 'add', 'remove'] as const) {
      const patch = op === 'remove' ? [{ op, path: '/Arn' }] : [{ op, path: '/Arn', value: 'arn:aws:logs:us-east-1:1:log-group:x' }];
      await assert.rejects(
        client.send(new UpdateResourceCommand({ TypeName: 'AWS::Logs::LogGroup', Identifier: identifier, PatchDocument: JSON.stringify(patch) })),
        (e: Error) => e.name === 'ValidationException' && e.message === 'Invalid patch update: readOnlyProperties [/properties/Arn] cannot be updated',
        op,
      );
    }
  });

  test('a KMS key without a policy gets the default key policy for this account', async () => {
    const { properties } = await create('AWS::KMS::Key', {});
    assert.match(JSON.stringify(properties.KeyPolicy), new RegExp(`arn:aws:iam::${DEFAULT_ACCOUNT}:root`));
    assert.doesNotMatch(JSON.stringify(properties.KeyPolicy), /<account-id>|<partition>/);
  });

  test('an SQS queue reads back the service defaults, and a replace patch on one is accepted as on AWS', async () => {
    const { identifier, properties } = await create('AWS::SQS::Queue', { QueueName: uniqueName('q') });
    assert.equal(properties.VisibilityTimeout, 30);
    assert.equal(properties.MessageRetentionPeriod, 345600);
    assert.equal(properties.DelaySeconds, 0);
    // Without the default on read this patch failed "[REPLACE Operation] noSuchPath in source".
    await update('AWS::SQS::Queue', identifier, [{ op: 'replace', path: '/VisibilityTimeout', value: 60 }]);
    assert.equal((await read('AWS::SQS::Queue', identifier)).VisibilityTimeout, 60);
  });

  test('a VPC reads back its DNS flags and an IAM role its session duration', async () => {
    const vpc = await create('AWS::EC2::VPC', { CidrBlock: '10.1.0.0/16' });
    assert.equal(vpc.properties.EnableDnsSupport, true);
    assert.equal(vpc.properties.EnableDnsHostnames, false);
    const role = await create('AWS::IAM::Role', { AssumeRolePolicyDocument: { Version: '2012-10-17', Statement: [] } });
    assert.equal(role.properties.MaxSessionDuration, 3600);
    assert.equal(role.properties.Arn, `arn:aws:iam::${DEFAULT_ACCOUNT}:role/${role.identifier}`);
  });

  test('a Lambda function never returns its write-only Code, and a patch that leaves Code alone fails as on AWS', async () => {
    // The role exists first, as Lambda requires (references are checked: docs/references.md).
    const role = await create('AWS::IAM::Role', { RoleName: uniqueName('fn'), AssumeRolePolicyDocument: { Version: '2012-10-17', Statement: [] } });
    const { identifier, properties } = await create('AWS::Lambda::Function', {
      Role: String(role.properties.Arn),
      Runtime: 'python3.12',
      Handler: 'index.handler',
      Code: { ZipFile: 'def handler(e, c): return 1' },
    });
    assert.equal('Code' in properties, false, JSON.stringify(properties));
    assert.equal(properties.Arn, `arn:aws:lambda:us-east-1:${DEFAULT_ACCOUNT}:function:${identifier}`);
    // pulumi-aws-native#277, awscc#1613: the patch base is the read, which has no Code.
    await assert.rejects(
      client.send(new UpdateResourceCommand({ TypeName: 'AWS::Lambda::Function', Identifier: identifier, PatchDocument: JSON.stringify([{ op: 'replace', path: '/Handler', value: 'x.y' }]) })),
      (e: Error) => e.name === 'ValidationException' && e.message.includes('required key [Code] not found'),
    );
  });

  test('a default the service spec records reads back after a create, and again after an update removes the value', async () => {
    // AWS::ApiGateway::ApiKey Enabled: defaultValue false in @aws-cdk/aws-service-spec (the built-in catalogue).
    const made = await create('AWS::ApiGateway::ApiKey', {});
    assert.equal(made.properties.Enabled, false);
    await update('AWS::ApiGateway::ApiKey', made.identifier, [{ op: 'replace', path: '/Enabled', value: true }]);
    assert.equal((await read('AWS::ApiGateway::ApiKey', made.identifier)).Enabled, true);
    await update('AWS::ApiGateway::ApiKey', made.identifier, [{ op: 'remove', path: '/Enabled' }]);
    assert.equal((await read('AWS::ApiGateway::ApiKey', made.identifier)).Enabled, false, 'removed: the default again');
  });
});
