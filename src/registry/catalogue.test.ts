// Tests for the built-in catalogue as built into dist/catalogue by `npm run build`, and the in-memory one.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { inMemoryCatalogue, openBuiltInCatalogue } from './catalogue.js';

// Compiled to build/test/src/registry/; the repo root is four levels up.
const CATALOGUE_DIR = fileURLToPath(new URL('../../../../dist/catalogue/', import.meta.url));

test('built-in catalogue exists (npx tsc -p tsconfig.json && node scripts/build-catalogue.mjs)', () => {
  assert.ok(existsSync(CATALOGUE_DIR + 'index.json'), `missing ${CATALOGUE_DIR}index.json`);
});

const catalogue = existsSync(CATALOGUE_DIR + 'index.json') ? openBuiltInCatalogue(CATALOGUE_DIR) : undefined;

test('built-in catalogue', { skip: !catalogue }, async (t) => {
  const cat = catalogue!;

  await t.test('size and lookups', () => {
    assert.ok(cat.size > 1500, `size ${cat.size}`);
    assert.equal(cat.typeNames().length, cat.size);
    assert.match(cat.generatedFrom, /^@aws-cdk\/aws-service-spec@\d/);
    assert.ok(cat.has('AWS::S3::Bucket'));
    assert.ok(!cat.has('AWS::Nope::Nope'));
    assert.ok(!cat.has('constructor'));
    assert.equal(cat.get('AWS::Nope::Nope'), undefined);
    assert.equal(cat.get('toString'), undefined);
    assert.equal(cat.get('AWS::S3::Bucket'), cat.get('AWS::S3::Bucket'), 'cached');
  });

  await t.test('AWS::SQS::Queue', () => {
    const q = cat.get('AWS::SQS::Queue')!;
    assert.equal(q.source, 'aws-service-spec');
    assert.equal(q.typeName, 'AWS::SQS::Queue');
    assert.deepStrictEqual(q.schema.primaryIdentifier, ['/properties/QueueUrl']);
    assert.ok(q.schema.readOnlyProperties?.includes('/properties/QueueUrl'));
    assert.ok(q.schema.readOnlyProperties?.includes('/properties/Arn'));
    assert.ok(!q.schema.readOnlyProperties?.includes('/properties/QueueName'));
    assert.ok(q.schema.createOnlyProperties?.includes('/properties/QueueName'));
    assert.equal(q.schema.writeOnlyProperties, undefined, 'the spec does not know writeOnly properties');
    assert.deepStrictEqual(q.schema.tagging, { taggable: true, tagProperty: '/properties/Tags' });
    assert.equal(q.schema['x-ccapi-arnTemplate'], 'arn:${Partition}:sqs:${Region}:${Account}:${QueueName}');
    for (const h of ['create', 'read', 'update', 'delete', 'list'] as const) assert.ok(q.hasHandler(h));
    assert.deepStrictEqual(q.validate({ QueueName: 'q', DelaySeconds: 5, Tags: [{ Key: 'k', Value: 'v' }] }), []);
    assert.deepStrictEqual(q.validate({ DelaySeconds: '5' }), ['#/DelaySeconds: expected type: Integer, found: String']);
    assert.deepStrictEqual(q.validate({ Tags: [{ Key: 'k' }] }), ['#/Tags/0: required key [Value] not found']);
  });

  await t.test('AWS::EC2::VPC: attributes that are writable properties are not readOnly', () => {
    const vpc = cat.get('AWS::EC2::VPC')!;
    assert.deepStrictEqual(vpc.schema.primaryIdentifier, ['/properties/VpcId']);
    assert.ok(vpc.schema.readOnlyProperties?.includes('/properties/VpcId'));
    assert.ok(!vpc.schema.readOnlyProperties?.includes('/properties/CidrBlock'));
    assert.ok(vpc.schema.createOnlyProperties?.includes('/properties/CidrBlock'));
    // Nested output inside a writable property, as in the registry schema.
    assert.ok(vpc.schema.readOnlyProperties?.includes('/properties/VpcEncryptionControl/State'));
  });

  await t.test('AWS::Logs::LogGroup validation', () => {
    const lg = cat.get('AWS::Logs::LogGroup')!;
    assert.deepStrictEqual(lg.validate({ LogGroupName: 'x', RetentionInDays: 7 }), []);
    assert.deepStrictEqual(lg.validate({ Bogus: 1 }), ['#: extraneous key [Bogus] is not permitted']);
    assert.deepStrictEqual(lg.validate({ RetentionInDays: 8 }), ['#/RetentionInDays: failed validation constraint for keyword [enum]']);
  });

  await t.test('a type without tags is not taggable', () => {
    const untagged = cat.typeNames().map((n) => cat.get(n)!).find((ty) => ty.schema.tagging?.taggable === false);
    assert.ok(untagged, 'some type is not taggable');
    assert.equal(untagged.schema.tagging?.tagProperty, undefined);
  });

  await t.test('every type compiles a validator and accepts an empty-ish model', () => {
    // Compiling all 1,807 types takes ~10-11 s on a 2-vCPU machine (ajv optimize:false; measured below and
    // printed as a diagnostic), under the ~20 s budget, so every type is checked rather than a sample.
    const started = performance.now();
    let compiled = 0;
    for (const name of cat.typeNames()) {
      const type = cat.get(name)!;
      assert.ok(type.schema.primaryIdentifier.length > 0, name);
      assert.ok(Array.isArray(type.validate({})), name);
      compiled++;
    }
    const ms = Math.round(performance.now() - started);
    t.diagnostic(`compiled ${compiled} validators in ${ms} ms`);
    assert.equal(compiled, cat.size);
  });
});

test('openBuiltInCatalogue reports a missing catalogue clearly', () => {
  assert.throws(() => openBuiltInCatalogue('/nonexistent-ccapi-catalogue'), /Built-in catalogue not readable/);
});

test('inMemoryCatalogue', () => {
  const cat = inMemoryCatalogue([
    {
      typeName: 'Test::A::B',
      properties: { Id: { type: 'string' } },
      additionalProperties: false,
      primaryIdentifier: ['/properties/Id'],
      handlers: { create: {}, read: {}, delete: {} },
    },
  ]);
  assert.equal(cat.size, 1);
  assert.deepStrictEqual(cat.typeNames(), ['Test::A::B']);
  const t = cat.get('Test::A::B')!;
  assert.equal(t.source, 'custom');
  assert.ok(t.hasHandler('create'));
  assert.ok(!t.hasHandler('update'));
  assert.deepStrictEqual(t.validate({ Id: 'x', No: 1 }), ['#: extraneous key [No] is not permitted']);
  assert.equal(inMemoryCatalogue([], 'registry').get('Test::A::B'), undefined);
});
