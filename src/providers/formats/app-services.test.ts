/**
 * The application-services formats (IAM, Lambda, SNS, SQS, DynamoDB, Secrets Manager, SSM, Step Functions,
 * EventBridge, Kinesis, CloudWatch, Logs, KMS): the template features they use, and the values a create forms.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { cryptoIds } from '../../lib/ids.js';
import { openBuiltInCatalogue } from '../../registry/catalogue.js';
import { completeModel } from '../generic.js';
import type { RealismContext } from '../realism.js';
import { formAttributes } from './apply.js';
import { evaluate, type TemplateScope } from './template.js';

const builtIn = openBuiltInCatalogue(fileURLToPath(new URL('../../../../../dist/catalogue/', import.meta.url)));
const NOW = Date.UTC(2026, 11, 5, 21, 21, 33, 291);
const rc = (typeName: string, region = 'us-east-2', partition = 'aws'): RealismContext => ({
  typeName, accountId: '123456789012', region, partition, ids: cryptoIds, now: NOW,
});
/** A create of the type from the desired model, as the generic provider completes it. */
const create = (typeName: string, desired: Record<string, unknown>, region?: string, partition?: string) =>
  completeModel(builtIn.get(typeName)!, desired, rc(typeName, region, partition));

const scope = (now?: number): TemplateScope => ({ partition: 'aws', region: 'us-east-1', accountId: '123456789012', ids: cryptoIds, now });

test('templates: ${Time:iso} and ${Time:epoch} give the creation time', () => {
  const at = Date.UTC(2026, 11, 5, 21, 21, 33, 291);
  assert.equal(evaluate('${Time:iso}', scope(at), {}), '2026-12-05T21:21:33.291Z');
  assert.equal(evaluate('${Time:epoch}', scope(at), {}), String(Math.floor(at / 1000)));
  assert.equal(evaluate('${Time:isoSeconds}', scope(at), {}), '2026-12-05T21:21:33Z');
  assert.equal(evaluate('${Time:iso|replace:Z=}', scope(at), {}), '2026-12-05T21:21:33.291');
  assert.match(evaluate('${Time:iso}', scope(), {}), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/, 'the clock when the scope has no time');
  assert.throws(() => evaluate('${Time:week}', scope(at), {}), /unknown placeholder/);
});

test('templates: trimStart drops one leading prefix, when there is one', () => {
  assert.equal(evaluate('parameter/${Name|trimStart:/}', scope(), { Name: '/app/db' }), 'parameter/app/db');
  assert.equal(evaluate('parameter/${Name|trimStart:/}', scope(), { Name: 'db' }), 'parameter/db');
  assert.equal(evaluate('${Name|trimStart:/}', scope(), { Name: '//x' }), '/x');
});

test('IAM: ARNs carry the path and no Region; unique ids have their kind\'s prefix; names fit the limits', () => {
  const role = create('AWS::IAM::Role', { AssumeRolePolicyDocument: {}, Path: '/service/' }, 'eu-west-1', 'aws-cn');
  assert.match(String(role.RoleName), /^Role-[A-Z0-9]{12}$/);
  assert.equal(role.Arn, `arn:aws-cn:iam::123456789012:role/service/${String(role.RoleName)}`);
  assert.match(String(role.RoleId), /^AROA[A-Z0-9]{17}$/);
  assert.equal(role.MaxSessionDuration, 3600);
  const plain = create('AWS::IAM::Role', { AssumeRolePolicyDocument: {}, RoleName: 'app' });
  assert.equal(plain.Arn, 'arn:aws:iam::123456789012:role/app');
  assert.equal(plain.Path, '/');
  assert.equal(create('AWS::IAM::User', { UserName: 'ana' }).Arn, 'arn:aws:iam::123456789012:user/ana');
  assert.equal(create('AWS::IAM::Group', { GroupName: 'ops', Path: '/t/' }).Arn, 'arn:aws:iam::123456789012:group/t/ops');
  assert.equal(create('AWS::IAM::InstanceProfile', { Roles: ['r'], InstanceProfileName: 'web' }).Arn, 'arn:aws:iam::123456789012:instance-profile/web');
  const policy = create('AWS::IAM::ManagedPolicy', { PolicyDocument: {}, ManagedPolicyName: 'read' });
  assert.equal(policy.PolicyArn, 'arn:aws:iam::123456789012:policy/read');
  assert.match(String(policy.PolicyId), /^ANPA[A-Z0-9]{17}$/);
  assert.equal(policy.DefaultVersionId, 'v1');
  assert.equal(policy.IsAttachable, true);
  assert.equal(policy.CreateDate, '2026-12-05T21:21:33Z');
  assert.equal(policy.UpdateDate, policy.CreateDate);
  assert.equal(policy.AttachmentCount, 0, 'a new policy is attached to nothing');
  assert.notEqual(create('AWS::IAM::ManagedPolicy', { PolicyDocument: {}, Roles: ['app'] }).AttachmentCount, undefined, 'attached ones are left to the derived rule');
  const key = create('AWS::IAM::AccessKey', { UserName: 'ana' });
  assert.match(String(key.Id), /^AKIA[A-Z0-9]{16}$/);
  assert.match(String(key.SecretAccessKey), /^[A-Za-z0-9]{40}$/);
  assert.equal(key.Status, 'Active');
  const oidc = create('AWS::IAM::OIDCProvider', { Url: 'https://token.actions.githubusercontent.com', ThumbprintList: [] });
  assert.equal(oidc.Arn, 'arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com');
});

test('choices: a number in an ifSet path asks for an array\'s item', () => {
  const format = { sources: [], attributes: { Id: { ifSet: 'Topics.0', then: '${Topics.0}' } } };
  const some: Record<string, unknown> = { Topics: ['arn:a', 'arn:b'] };
  formAttributes(format, scope(NOW), some);
  assert.equal(some.Id, 'arn:a');
  const none: Record<string, unknown> = { Topics: [] };
  formAttributes(format, scope(NOW), none);
  assert.equal('Id' in none, false);
});

test('Lambda: function ARN and read defaults; aliases, versions, layers, mappings and URLs name their function', () => {
  const fn = create('AWS::Lambda::Function', { Role: 'arn:aws:iam::123456789012:role/r', Code: { ZipFile: 'x' }, Runtime: 'nodejs20.x', Handler: 'index.h' });
  const name = String(fn.FunctionName);
  assert.match(name, /^Function-[A-Z0-9]{12}$/);
  assert.equal(fn.Arn, `arn:aws:lambda:us-east-2:123456789012:function:${name}`);
  assert.equal(fn.MemorySize, 128);
  assert.equal(fn.Timeout, 3);
  assert.deepEqual(fn.Architectures, ['x86_64']);
  assert.equal(fn.PackageType, 'Zip');
  assert.deepEqual(fn.EphemeralStorage, { Size: 512 });
  assert.deepEqual(fn.TracingConfig, { Mode: 'PassThrough' });
  assert.deepEqual(fn.SnapStartResponse, { ApplyOn: 'None', OptimizationStatus: 'Off' });
  assert.deepEqual(fn.LoggingConfig, { LogFormat: 'Text', LogGroup: `/aws/lambda/${name}` });
  const image = create('AWS::Lambda::Function', { Role: 'r', Code: { ImageUri: '123456789012.dkr.ecr.us-east-2.amazonaws.com/app:1' }, MemorySize: 1024 });
  assert.equal(image.PackageType, 'Image');
  assert.equal(image.MemorySize, 1024, 'a given value is kept');
  assert.deepEqual(builtIn.get('AWS::Lambda::Function')!.schema.writeOnlyProperties?.filter((p) => p.startsWith('/properties/Code/')).sort(), [
    '/properties/Code/ImageUri', '/properties/Code/S3Bucket', '/properties/Code/S3Key', '/properties/Code/S3ObjectStorageMode',
    '/properties/Code/S3ObjectVersion', '/properties/Code/SourceKMSKeyArn', '/properties/Code/ZipFile',
  ]);
  const arn = 'arn:aws:lambda:us-east-2:123456789012:function';
  assert.equal(create('AWS::Lambda::Alias', { FunctionName: `${arn}:app`, FunctionVersion: '1', Name: 'live' }).AliasArn, `${arn}:app:live`);
  assert.equal(create('AWS::Lambda::Alias', { FunctionName: 'app', FunctionVersion: '1', Name: 'live' }).AliasArn, `${arn}:app:live`);
  const version = create('AWS::Lambda::Version', { FunctionName: 'app' });
  assert.equal(version.Version, '1');
  assert.equal(version.FunctionArn, `${arn}:app:1`);
  assert.equal(create('AWS::Lambda::LayerVersion', { LayerName: 'deps', Content: {} }).LayerVersionArn, 'arn:aws:lambda:us-east-2:123456789012:layer:deps:1');
  const mapping = create('AWS::Lambda::EventSourceMapping', { FunctionName: 'app' });
  assert.match(String(mapping.Id), /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  assert.equal(mapping.EventSourceMappingArn, `arn:aws:lambda:us-east-2:123456789012:event-source-mapping:${String(mapping.Id)}`);
  const url = create('AWS::Lambda::Url', { TargetFunctionArn: `${arn}:app`, AuthType: 'NONE', Qualifier: 'live' });
  assert.equal(url.FunctionArn, `${arn}:app:live`);
  assert.match(String(url.FunctionUrl), /^https:\/\/[a-z0-9]{32}\.lambda-url\.us-east-2\.on\.aws\/$/);
  assert.equal(create('AWS::Lambda::Url', { TargetFunctionArn: 'app', AuthType: 'AWS_IAM' }).FunctionArn, `${arn}:app`);
});

test('SNS: topic ARN from its name (.fifo for FIFO topics), subscription ARN under its topic, topic policy id', () => {
  const topic = create('AWS::SNS::Topic', { FifoTopic: true });
  assert.match(String(topic.TopicName), /^Topic-[A-Z0-9]{12}\.fifo$/);
  assert.equal(topic.TopicArn, `arn:aws:sns:us-east-2:123456789012:${String(topic.TopicName)}`);
  const topicArn = 'arn:aws:sns:us-east-2:123456789012:alerts';
  const sub = create('AWS::SNS::Subscription', { TopicArn: topicArn, Protocol: 'sqs', Endpoint: 'arn:aws:sqs:us-east-2:123456789012:q' });
  assert.match(String(sub.Arn), new RegExp(`^${topicArn}:[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`));
  assert.equal(create('AWS::SNS::TopicPolicy', { PolicyDocument: {}, Topics: [topicArn] }).Id, topicArn);
});

test('SQS and KMS: the defaults a read returns for a queue and a key created without them', () => {
  const queue = create('AWS::SQS::Queue', {});
  assert.equal(queue.VisibilityTimeout, 30);
  assert.equal(queue.MessageRetentionPeriod, 345600);
  assert.equal(queue.MaximumMessageSize, 1048576);
  assert.equal(queue.DelaySeconds, 0);
  assert.equal(queue.ReceiveMessageWaitTimeSeconds, 0);
  assert.equal(create('AWS::SQS::Queue', { VisibilityTimeout: 120 }).VisibilityTimeout, 120);
  const key = create('AWS::KMS::Key', {});
  assert.equal(key.Enabled, true);
  assert.equal(key.EnableKeyRotation, false);
  assert.equal(key.KeySpec, 'SYMMETRIC_DEFAULT');
  assert.equal(key.KeyUsage, 'ENCRYPT_DECRYPT');
  assert.equal(key.MultiRegion, false);
});

test('DynamoDB: table ARN; a stream ARN with its label only when the table streams', () => {
  const keys = { KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }] };
  const plain = create('AWS::DynamoDB::Table', { ...keys, TableName: 'Books' });
  assert.equal(plain.Arn, 'arn:aws:dynamodb:us-east-2:123456789012:table/Books');
  assert.equal('StreamArn' in plain, false);
  const streaming = create('AWS::DynamoDB::Table', { ...keys, TableName: 'Books', StreamSpecification: { StreamViewType: 'NEW_IMAGE' } });
  assert.equal(streaming.StreamArn, 'arn:aws:dynamodb:us-east-2:123456789012:table/Books/stream/2026-12-05T21:21:33.291');
  const global = create('AWS::DynamoDB::GlobalTable', { ...keys, TableName: 'G', Replicas: [{ Region: 'us-east-2' }] });
  assert.equal(global.StreamArn, 'arn:aws:dynamodb:us-east-2:123456789012:table/G/stream/2026-12-05T21:21:33.291');
  assert.match(String(global.TableId), /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
});

test('Secrets Manager, SSM, Step Functions: secret ARNs with six random characters, parameter ARNs, state machines', () => {
  const secret = create('AWS::SecretsManager::Secret', { Name: 'prod/db' });
  assert.match(String(secret.Id), /^arn:aws:secretsmanager:us-east-2:123456789012:secret:prod\/db-[A-Za-z0-9]{6}$/);
  assert.equal(create('AWS::SecretsManager::RotationSchedule', { SecretId: String(secret.Id) }).Id, secret.Id);
  assert.equal(create('AWS::SSM::Parameter', { Name: '/app/db', Type: 'String', Value: 'v' }).Arn, 'arn:aws:ssm:us-east-2:123456789012:parameter/app/db');
  const param = create('AWS::SSM::Parameter', { Type: 'String', Value: 'v' });
  assert.equal(param.Arn, `arn:aws:ssm:us-east-2:123456789012:parameter/${String(param.Name)}`);
  assert.equal(param.DataType, 'text');
  const machine = create('AWS::StepFunctions::StateMachine', { RoleArn: 'arn:aws:iam::123456789012:role/r' });
  assert.match(String(machine.StateMachineName), /^StateMachine-[A-Z0-9]{12}$/);
  assert.equal(machine.Arn, `arn:aws:states:us-east-2:123456789012:stateMachine:${String(machine.StateMachineName)}`);
  assert.equal(machine.Name, machine.StateMachineName);
  assert.equal(machine.StateMachineRevisionId, 'INITIAL');
  assert.equal(machine.StateMachineType, 'STANDARD');
  assert.equal(create('AWS::StepFunctions::Activity', { Name: 'work' }).Arn, 'arn:aws:states:us-east-2:123456789012:activity:work');
});

test('EventBridge: rule ARNs name a custom bus; connections and API destinations have a uuid ARN and one for policies', () => {
  const rule = create('AWS::Events::Rule', { Name: 'nightly' });
  assert.equal(rule.Arn, 'arn:aws:events:us-east-2:123456789012:rule/nightly');
  assert.equal(rule.EventBusName, 'default');
  assert.equal(rule.State, 'ENABLED');
  assert.equal(rule.RuleName, 'nightly');
  const custom = create('AWS::Events::Rule', { Name: 'n', EventBusName: 'arn:aws:events:us-east-2:123456789012:event-bus/orders' });
  assert.equal(custom.Arn, 'arn:aws:events:us-east-2:123456789012:rule/orders/n');
  assert.equal(create('AWS::Events::EventBus', { Name: 'orders' }).Arn, 'arn:aws:events:us-east-2:123456789012:event-bus/orders');
  const connection = create('AWS::Events::Connection', { Name: 'api', AuthorizationType: 'API_KEY', AuthParameters: { ApiKeyAuthParameters: { ApiKeyName: 'k', ApiKeyValue: 'v' } } });
  const uuid = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
  assert.match(String(connection.Arn), new RegExp(`^arn:aws:events:us-east-2:123456789012:connection/api/${uuid}$`));
  assert.equal(connection.ArnForPolicy, 'arn:aws:events:us-east-2:123456789012:connection/api');
  const id = String(connection.Arn).split('/').pop();
  assert.match(String(connection.SecretArn), new RegExp(`^arn:aws:secretsmanager:us-east-2:123456789012:secret:events!connection/api/${id}-[A-Za-z0-9]{6}$`));
  assert.equal('SecretArn' in create('AWS::Events::Connection', { Name: 'bare' }), false);
  const destination = create('AWS::Events::ApiDestination', { Name: 'hook', ConnectionArn: String(connection.Arn), InvocationEndpoint: 'https://example.com', HttpMethod: 'POST' });
  assert.match(String(destination.Arn), new RegExp(`^arn:aws:events:us-east-2:123456789012:api-destination/hook/${uuid}$`));
  assert.equal(destination.ArnForPolicy, 'arn:aws:events:us-east-2:123456789012:api-destination/hook');
  const archive = create('AWS::Events::Archive', { SourceArn: 'arn:aws:events:us-east-2:123456789012:event-bus/default' });
  assert.match(String(archive.ArchiveName), /^Archive-[A-Z0-9]{12}$/);
  assert.equal(archive.Arn, `arn:aws:events:us-east-2:123456789012:archive/${String(archive.ArchiveName)}`);
});

test('Kinesis, Firehose, CloudWatch, Logs: ARNs from names, generated names within the limits, read defaults', () => {
  const stream = create('AWS::Kinesis::Stream', {});
  assert.match(String(stream.Name), /^Stream-[A-Z0-9]{12}$/);
  assert.equal(stream.Arn, `arn:aws:kinesis:us-east-2:123456789012:stream/${String(stream.Name)}`);
  assert.equal(stream.RetentionPeriodHours, 24);
  assert.equal(create('AWS::KinesisFirehose::DeliveryStream', { DeliveryStreamName: 'to-s3' }).Arn, 'arn:aws:firehose:us-east-2:123456789012:deliverystream/to-s3');
  const alarm = create('AWS::CloudWatch::Alarm', { ComparisonOperator: 'GreaterThanThreshold', EvaluationPeriods: 1 });
  assert.match(String(alarm.AlarmName), /^Alarm-[A-Z0-9]{12}$/);
  assert.equal(alarm.Arn, `arn:aws:cloudwatch:us-east-2:123456789012:alarm:${String(alarm.AlarmName)}`);
  assert.equal(create('AWS::CloudWatch::CompositeAlarm', { AlarmName: 'any', AlarmRule: 'ALARM(a)' }).Arn, 'arn:aws:cloudwatch:us-east-2:123456789012:alarm:any');
  assert.match(String(create('AWS::CloudWatch::Dashboard', { DashboardBody: '{}' }).DashboardName), /^Dashboard-[A-Z0-9]{12}$/);
  const destination = create('AWS::Logs::Destination', { DestinationName: 'central', TargetArn: 'arn:aws:kinesis:us-east-2:123456789012:stream/s', RoleArn: 'arn:aws:iam::123456789012:role/r' });
  assert.equal(destination.Arn, 'arn:aws:logs:us-east-2:123456789012:destination:central');
  const filter = create('AWS::Logs::SubscriptionFilter', { DestinationArn: String(destination.Arn), FilterPattern: '', LogGroupName: '/app' });
  assert.match(String(filter.FilterName), /^SubscriptionFilter-[A-Z0-9]{12}$/);
  assert.equal(filter.Distribution, 'ByLogStream');
  assert.match(String(create('AWS::Logs::LogStream', { LogGroupName: '/app' }).LogStreamName), /^LogStream-[A-Z0-9]{12}$/);
});

test('more ids: MFA device serial numbers, code signing configs, replica keys, insight rules, delivery destinations, versions, maintenance windows', () => {
  assert.equal(create('AWS::IAM::VirtualMFADevice', { Users: ['ana'], VirtualMfaDeviceName: 'ana-phone' }).SerialNumber, 'arn:aws:iam::123456789012:mfa/ana-phone');
  const csc = create('AWS::Lambda::CodeSigningConfig', { AllowedPublishers: { SigningProfileVersionArns: [] } });
  assert.match(String(csc.CodeSigningConfigId), /^csc-[a-z0-9]{17}$/);
  assert.equal(csc.CodeSigningConfigArn, `arn:aws:lambda:us-east-2:123456789012:code-signing-config:${String(csc.CodeSigningConfigId)}`);
  const replica = create('AWS::KMS::ReplicaKey', { PrimaryKeyArn: 'arn:aws:kms:us-east-1:123456789012:key/mrk-1234abcd12ab34cd56ef1234567890ab', KeyPolicy: {} }, 'eu-west-1');
  assert.equal(replica.KeyId, 'mrk-1234abcd12ab34cd56ef1234567890ab');
  assert.equal(replica.Arn, 'arn:aws:kms:eu-west-1:123456789012:key/mrk-1234abcd12ab34cd56ef1234567890ab');
  assert.equal(create('AWS::CloudWatch::InsightRule', { RuleName: 'top', RuleState: 'ENABLED', RuleBody: '{}' }).Arn, 'arn:aws:cloudwatch:us-east-2:123456789012:insight-rule/top');
  assert.equal(create('AWS::Logs::DeliveryDestination', { Name: 'to-s3' }).Arn, 'arn:aws:logs:us-east-2:123456789012:delivery-destination:to-s3');
  const machine = 'arn:aws:states:us-east-2:123456789012:stateMachine:flow';
  assert.equal(create('AWS::StepFunctions::StateMachineVersion', { StateMachineArn: machine }).Arn, `${machine}:1`);
  const window = create('AWS::SSM::MaintenanceWindow', { AllowUnassociatedTargets: false, Cutoff: 1, Schedule: 'rate(7 days)', Duration: 2, Name: 'w' });
  assert.match(String(window.WindowId), /^mw-[0-9a-f]{17}$/);
  const target = create('AWS::SSM::MaintenanceWindowTarget', { WindowId: String(window.WindowId), ResourceType: 'INSTANCE', Targets: [] });
  assert.match(String(target.WindowTargetId), /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
});
