/** The reference check over a fake lookup: ARN forms, what is never checked, per-type failures, strict/warn/off. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cryptoIds } from '../../lib/ids.js';
import { silentLogger } from '../../lib/logger.js';
import { systemClock } from '../../lib/clock.js';
import { namingForms, parseArn } from './arn.js';
import { findBrokenReferences, valuesAt, type ReferenceEdge, type TargetLookup } from './check.js';
import { whyNotChecked } from './never-checked.js';
import { FALLBACK, failureFor, renderFailure } from './failures.js';
import { referenceFailure } from './hook.js';
import type { ReferenceMode, ReferencePolicy } from './policy.js';
import type { HandlerContext, HandlerRequest } from '../contract.js';
import type { ResourceType } from '../../registry/types.js';

const scope = { accountId: '123456789012', region: 'eu-west-1', partition: 'aws' };

/** A fake emulated world: `typeName.property=value` entries that exist; every question asked is recorded. */
function world(entries: string[]): TargetLookup & { asked: string[] } {
  const have = new Set(entries);
  const asked: string[] = [];
  return {
    asked,
    async exists(type, property, value) {
      asked.push(`${type}.${property}=${value}`);
      return have.has(`${type}.${property}=${value}`);
    },
  };
}

const everything = { canCreate: () => true };
const SUBNET: ReferenceEdge[] = [{ path: 'VpcId', targetType: 'AWS::EC2::VPC', targetProperty: 'VpcId' }];
const QUEUE: ReferenceEdge[] = [
  { path: 'KmsMasterKeyId', targetType: 'AWS::KMS::Key', targetProperty: 'Arn' },
  { path: 'KmsMasterKeyId', targetType: 'AWS::KMS::Key', targetProperty: 'KeyId' },
  { path: 'KmsMasterKeyId', targetType: 'AWS::KMS::Alias', targetProperty: 'AliasName' },
];
const ROLE: ReferenceEdge[] = [{ path: 'Role', targetType: 'AWS::IAM::Role', targetProperty: 'Arn' }];

test('parseArn: five fixed parts and a resource that may hold colons; anything else is not an ARN', () => {
  assert.deepEqual(parseArn('arn:aws:logs:us-east-1:123456789012:log-group:app:*'), { partition: 'aws', service: 'logs', region: 'us-east-1', account: '123456789012', resource: 'log-group:app:*' });
  assert.deepEqual(parseArn('arn:aws:iam::aws:policy/ReadOnlyAccess'), { partition: 'aws', service: 'iam', region: '', account: 'aws', resource: 'policy/ReadOnlyAccess' });
  assert.equal(parseArn('vpc-0123'), undefined);
  assert.equal(parseArn('arn:aws:s3'), undefined);
});

test('namingForms: an ARN is also tried by its resource part and that part\'s last segment', () => {
  const key = 'arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';
  assert.deepEqual(namingForms(key, parseArn(key)), [key, 'key/1234abcd-12ab-34cd-56ef-1234567890ab', '1234abcd-12ab-34cd-56ef-1234567890ab']);
  const alias = 'arn:aws:kms:eu-west-1:123456789012:alias/app';
  assert.deepEqual(namingForms(alias, parseArn(alias)), [alias, 'alias/app', 'app']);
  assert.deepEqual(namingForms('vpc-1', undefined), ['vpc-1']);
});

test('valuesAt: strings at a path, "*" over array items, with where each sits', () => {
  const model = { SecurityGroupIds: ['sg-1', 'sg-2'], VpcConfig: { SubnetIds: ['subnet-1'] }, VpcId: '', Other: 3 };
  assert.deepEqual(valuesAt(model, 'SecurityGroupIds/*'), [{ at: 'SecurityGroupIds/0', value: 'sg-1' }, { at: 'SecurityGroupIds/1', value: 'sg-2' }]);
  assert.deepEqual(valuesAt(model, 'VpcConfig/SubnetIds/*'), [{ at: 'VpcConfig/SubnetIds/0', value: 'subnet-1' }]);
  assert.deepEqual(valuesAt(model, 'VpcId'), []); // empty: nothing named
  assert.deepEqual(valuesAt(model, 'Other'), []);
  assert.deepEqual(valuesAt(model, 'Missing/*'), []);
});

test('a reference to a missing resource is broken; one to an existing resource is not', async () => {
  const lookup = world(['AWS::EC2::VPC.VpcId=vpc-1']);
  assert.deepEqual((await findBrokenReferences(SUBNET, { VpcId: 'vpc-1' }, scope, lookup, everything)).broken, []);
  const { broken } = await findBrokenReferences(SUBNET, { VpcId: 'vpc-nothere' }, scope, lookup, everything);
  assert.deepEqual(broken, [{ path: 'VpcId', at: 'VpcId', value: 'vpc-nothere', targetTypes: ['AWS::EC2::VPC'] }]);
});

test('several targets: a KMS key by ARN, by KeyId, or an alias by name or ARN all hold', async () => {
  const lookup = world(['AWS::KMS::Key.KeyId=k-1', 'AWS::KMS::Alias.AliasName=alias/app']);
  for (const value of ['k-1', 'arn:aws:kms:eu-west-1:123456789012:key/k-1', 'alias/app', 'arn:aws:kms:eu-west-1:123456789012:alias/app']) {
    assert.deepEqual((await findBrokenReferences(QUEUE, { KmsMasterKeyId: value }, scope, lookup, everything)).broken, [], value);
  }
  const { broken } = await findBrokenReferences(QUEUE, { KmsMasterKeyId: 'alias/other' }, scope, lookup, everything);
  assert.deepEqual(broken[0]?.targetTypes, ['AWS::KMS::Key', 'AWS::KMS::Alias']);
});

test('never checked: AWS-managed policies and aliases, service-linked roles, prefix lists, other accounts, regions, partitions', async () => {
  const cases: [string, RegExp][] = [
    ['arn:aws:iam::aws:policy/ReadOnlyAccess', /AWS-owned/],
    ['alias/aws/sqs', /AWS managed KMS key alias/],
    ['arn:aws:kms:eu-west-1:123456789012:alias/aws/s3', /AWS managed KMS key alias/],
    ['arn:aws:iam::123456789012:role/aws-service-role/elasticloadbalancing.amazonaws.com/AWSServiceRoleForElasticLoadBalancing', /service-linked/],
    ['pl-63a5400a', /prefix list/],
    ['arn:aws:iam::999999999999:role/theirs', /another account/],
    ['arn:aws:kms:us-east-1:123456789012:key/k-9', /another region/],
    ['arn:aws-cn:iam::123456789012:role/r', /another region or partition/],
  ];
  for (const [value, reason] of cases) {
    assert.match(whyNotChecked(value, parseArn(value), scope) ?? '', reason, value);
    const lookup = world([]);
    const result = await findBrokenReferences([{ path: 'Ref', targetType: 'AWS::IAM::Role', targetProperty: 'Arn' }], { Ref: value }, scope, lookup, everything);
    assert.deepEqual(result.broken, [], value);
    assert.equal(lookup.asked.length, 0, `${value} must not be looked up`);
  }
  // This account's own role, in a global service's ARN (empty region), is checked.
  assert.equal(whyNotChecked('arn:aws:iam::123456789012:role/mine', parseArn('arn:aws:iam::123456789012:role/mine'), scope), undefined);
});

test('a target type ccapi cannot create is never checked (a miss could be one of those)', async () => {
  const lookup = world([]);
  const result = await findBrokenReferences(SUBNET, { VpcId: 'vpc-x' }, scope, lookup, { canCreate: (t) => t !== 'AWS::EC2::VPC' });
  assert.deepEqual(result.broken, []);
  assert.match(result.skipped[0]!.reason, /cannot create/);
  assert.equal(lookup.asked.length, 0);
});

test('update: a value the resource already held is not checked again; a new one is', async () => {
  const lookup = world([]);
  const previous = { SecurityGroupIds: ['sg-old'] };
  const edges: ReferenceEdge[] = [{ path: 'SecurityGroupIds/*', targetType: 'AWS::EC2::SecurityGroup', targetProperty: 'GroupId' }];
  const { broken } = await findBrokenReferences(edges, { SecurityGroupIds: ['sg-old', 'sg-new'] }, scope, lookup, { ...everything, previous });
  assert.deepEqual(broken.map((b) => b.at), ['SecurityGroupIds/1']);
});

test('failures: per property first, then per target type, else the documented fallback', () => {
  assert.equal(failureFor('AWS::Lambda::Function', 'Role', ['AWS::IAM::Role']).errorCode, 'InvalidRequest');
  assert.match(failureFor('AWS::Lambda::Function', 'Role', ['AWS::IAM::Role']).message, /cannot be assumed by Lambda/);
  const vpc = failureFor('AWS::EC2::Subnet', 'VpcId', ['AWS::EC2::VPC']);
  assert.equal(renderFailure(vpc, { typeName: 'AWS::EC2::Subnet', path: 'VpcId', targetType: 'AWS::EC2::VPC', value: 'vpc-1', requestId: 'r-1' }), "The vpc ID 'vpc-1' does not exist (Service: Ec2, Status Code: 400, Request ID: r-1)");
  assert.equal(failureFor('AWS::Logs::LogStream', 'LogGroupName', ['AWS::Logs::LogGroup']).errorCode, 'NotFound');
  assert.equal(failureFor('AWS::SNS::Subscription', 'TopicArn', ['AWS::SNS::Topic']), FALLBACK);
  assert.equal(
    renderFailure(FALLBACK, { typeName: 'AWS::SNS::Subscription', path: 'TopicArn', targetType: 'AWS::SNS::Topic', value: 'arn:t', requestId: 'r' }),
    "Invalid request provided: AWS::SNS::Subscription property TopicArn references AWS::SNS::Topic 'arn:t', which does not exist",
  );
});

/** A handler context over a fake world whose emulated resources answer ofType().findBy(). */
const LOG_GROUP_NAME: ReferenceEdge[] = [
  { path: 'KmsKeyId', targetType: 'AWS::KMS::Key', targetProperty: 'Arn' },
  { path: 'LogGroupName', targetType: 'AWS::Lambda::Function', targetProperty: 'FunctionName' },
];
const typeOf = (typeName: string, primaryIdentifier: string[]) => ({ typeName, schema: { primaryIdentifier } }) as unknown as ResourceType;

function context(mode: ReferenceMode, entries: string[], notes: string[], type = typeOf('AWS::Lambda::Function', ['/properties/FunctionName'])): HandlerContext {
  const have = new Set(entries);
  const references: ReferencePolicy = { mode, relationshipsOf: (t) => (t === 'AWS::Lambda::Function' ? ROLE : t === 'AWS::Logs::LogGroup' ? LOG_GROUP_NAME : []), canCreate: () => true };
  const resources = {
    ofType: (typeName: string) => ({ findBy: async (path: string, value: string) => (have.has(`${typeName}.${path}=${value}`) ? [{}] : []) }),
  } as unknown as HandlerContext['resources'];
  return { resourceType: type, scope: { accountId: scope.accountId, region: scope.region }, resources, clock: systemClock, ids: cryptoIds, log: silentLogger, references, note: (t) => void notes.push(t) };
}
const request = (model: Record<string, unknown>): HandlerRequest => ({ action: 'CREATE', typeName: 'AWS::Lambda::Function', awsAccountId: scope.accountId, region: scope.region, awsPartition: 'aws', clientRequestToken: 't', desiredResourceState: model });
const role = 'arn:aws:iam::123456789012:role/app';

test('hook: strict fails with the handler\'s code and message; an existing target passes', async () => {
  const notes: string[] = [];
  const failed = await referenceFailure(request({ Role: role }), context('strict', [], notes), { Role: role });
  assert.equal(failed?.status, 'FAILED');
  assert.equal(failed?.errorCode, 'InvalidRequest');
  assert.match(failed!.message!, /^The role defined for the function cannot be assumed by Lambda\. \(Service: Lambda, Status Code: 400, Request ID: [0-9a-f-]{36}\)$/);
  assert.equal(await referenceFailure(request({ Role: role }), context('strict', [`AWS::IAM::Role.Arn=${role}`], notes), { Role: role }), undefined);
  assert.deepEqual(notes, []);
});

test('hook: warn accepts and notes each broken reference for the timeline; off looks at nothing', async () => {
  const notes: string[] = [];
  assert.equal(await referenceFailure(request({ Role: role }), context('warn', [], notes), { Role: role }), undefined);
  assert.equal(notes.length, 1);
  assert.match(notes[0]!, /broken reference: AWS::Lambda::Function Role 'arn:aws:iam::123456789012:role\/app' names no existing AWS::IAM::Role/);
  const offNotes: string[] = [];
  const off = context('off', [], offNotes);
  off.references!.relationshipsOf = () => assert.fail('off must not even read the relationships');
  assert.equal(await referenceFailure(request({ Role: role }), off, { Role: role }), undefined);
  assert.deepEqual(offNotes, []);
});

test('hook: the property a type names itself by is not a reference (LogGroupName → Lambda FunctionName in the spec)', async () => {
  const logGroup = typeOf('AWS::Logs::LogGroup', ['/properties/LogGroupName']);
  const req = { ...request({ LogGroupName: 'app' }), typeName: 'AWS::Logs::LogGroup' };
  assert.equal(await referenceFailure(req, context('strict', [], [], logGroup), { LogGroupName: 'app' }), undefined);
  // Its other references still are: a KMS key that does not exist.
  const kms = 'arn:aws:kms:eu-west-1:123456789012:key/k-404';
  const failed = await referenceFailure(req, context('strict', [], [], logGroup), { LogGroupName: 'app', KmsKeyId: kms });
  assert.equal(failed?.errorCode, 'InvalidRequest');
  assert.match(failed!.message!, /AWS::Logs::LogGroup property KmsKeyId references AWS::KMS::Key/);
});
