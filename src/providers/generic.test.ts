/** The generic provider over real built-in catalogue types: what it generates must look like AWS's. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { cryptoIds } from '../lib/ids.js';
import { openBuiltInCatalogue, resourceTypeFromSchema } from '../registry/catalogue.js';
import { completeModel } from './generic.js';
import type { RealismContext } from './realism.js';

const catalogue = openBuiltInCatalogue(fileURLToPath(new URL('../../../../dist/catalogue/', import.meta.url)));
const rc = (typeName: string, region = 'eu-west-2'): RealismContext => ({
  typeName, accountId: '123456789012', region, partition: region.startsWith('cn-') ? 'aws-cn' : 'aws', ids: cryptoIds, now: Date.UTC(2026, 10, 28),
});

test('EC2 VPC: vpc- id, ARN from the template, writable attributes left to the caller', () => {
  const model = completeModel(catalogue.get('AWS::EC2::VPC')!, { CidrBlock: '10.0.0.0/16' }, rc('AWS::EC2::VPC'));
  assert.match(String(model.VpcId), /^vpc-[0-9a-f]{17}$/);
  assert.match(String(model.DefaultSecurityGroup), /^sg-[0-9a-f]{17}$/);
  assert.equal(model.CidrBlock, '10.0.0.0/16');
});

test('SQS queue: generated name, URL identifier and ARN agree; FIFO names end in .fifo', () => {
  const model = completeModel(catalogue.get('AWS::SQS::Queue')!, {}, rc('AWS::SQS::Queue'));
  const name = String(model.QueueName);
  assert.match(name, /^Queue-[A-Z0-9]{12}$/);
  assert.equal(model.QueueUrl, `https://sqs.eu-west-2.amazonaws.com/123456789012/${name}`);
  assert.equal(model.Arn, `arn:aws:sqs:eu-west-2:123456789012:${name}`);
  const fifo = completeModel(catalogue.get('AWS::SQS::Queue')!, { FifoQueue: true }, rc('AWS::SQS::Queue'));
  assert.match(String(fifo.QueueName), /\.fifo$/);
});

test('a given name is kept and used in the ARN; the partition follows the region', () => {
  const model = completeModel(catalogue.get('AWS::Logs::LogGroup')!, { LogGroupName: 'app' }, rc('AWS::Logs::LogGroup', 'cn-north-1'));
  assert.equal(model.LogGroupName, 'app');
  assert.match(String(model.Arn), /^arn:aws-cn:logs:cn-north-1:123456789012:log-group:app/);
});

test('name-keyed types get a CloudFormation-style name when none is given', () => {
  const model = completeModel(catalogue.get('AWS::DynamoDB::Table')!, {}, rc('AWS::DynamoDB::Table'));
  assert.match(String(model.TableName), /^Table-[A-Z0-9]{12}$/);
  assert.equal(model.Arn, `arn:aws:dynamodb:eu-west-2:123456789012:table/${model.TableName}`);
});

test('the desired model is not mutated', () => {
  const desired = { LogGroupName: 'x' };
  completeModel(catalogue.get('AWS::Logs::LogGroup')!, desired, rc('AWS::Logs::LogGroup'));
  assert.deepEqual(desired, { LogGroupName: 'x' });
});

test('every built-in type gets a complete primary identifier from an empty model', () => {
  let checked = 0;
  for (const name of catalogue.typeNames()) {
    const type = catalogue.get(name)!;
    const model = completeModel(type, {}, rc(name));
    for (const pointer of type.schema.primaryIdentifier) {
      const key = pointer.split('/')[2]!;
      assert.ok(model[key] !== undefined && model[key] !== '', `${name}: ${pointer} missing`);
    }
    checked += 1;
  }
  assert.ok(checked > 1500);
});

test('an owner documented as an account is this account; a last-modified or home region is this region', () => {
  // Shaped as the registry schemas state them (AWS::EC2::InstanceConnectEndpoint's OwnerId, AWS::Connect's
  // LastModifiedRegion); an owner not documented as an account is left to the other rules.
  const type = resourceTypeFromSchema(
    {
      typeName: 'Test::Realism::Owned',
      properties: {
        Id: { type: 'string' },
        OwnerId: { type: 'string', description: 'The ID of the AWS account that created the EC2 Instance Connect Endpoint' },
        Owner: { type: 'string', description: 'The owner of the profile.' },
        LastModifiedRegion: { type: 'string' },
      },
      primaryIdentifier: ['/properties/Id'],
      readOnlyProperties: ['/properties/Id', '/properties/OwnerId', '/properties/Owner', '/properties/LastModifiedRegion'],
      additionalProperties: false,
    },
    'custom',
  );
  const model = completeModel(type, {}, rc(type.typeName));
  assert.equal(model.OwnerId, '123456789012');
  assert.equal(model.LastModifiedRegion, 'eu-west-2');
  assert.notEqual(model.Owner, '123456789012');
});
