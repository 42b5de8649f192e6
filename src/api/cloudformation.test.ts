import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock } from '../lib/clock.js';
import { compareShape, loadBotocoreModel } from '../../test/support/botocore-model.js';
import { skipIfMissing } from '../../test/support/prerequisites.js';
import { QueryError } from '../protocol/errors.js';
import { inMemoryCatalogue } from '../registry/catalogue.js';
import type { ResourceSchema, ResourceType, TypeCatalogue } from '../registry/types.js';
import type { SchemaHandlerKey } from '../domain/vocabulary.js';
import {
  CLOUDFORMATION_NAMESPACE,
  CLOUDFORMATION_OPERATIONS,
  CLOUDFORMATION_VERSION,
  registryException,
  TYPE_NAME_PREFIX_PATTERN,
  typeNotFound,
  type ListTypesInput,
} from '../protocol/cloudformation.js';
import { DEFAULT_LIST_TYPES_PAGE, describeType, listTypes, provisioningTypeOf } from './cloudformation.js';
import { parseTypeArn, typeArn } from './type-arn.js';

// ---------------------------------------------------------------------------------------------------------
// The wire table against the botocore model installed on the machine

const NO_BOTOCORE = skipIfMissing('boto3');
const model = NO_BOTOCORE === undefined ? loadBotocoreModel('cloudformation', '2010-05-15') : (undefined as never);

test('the DescribeType and ListTypes input tables match the botocore model member for member', { skip: NO_BOTOCORE }, () => {
  assert.equal(model.metadata.protocol, 'query');
  assert.equal(model.metadata.apiVersion, CLOUDFORMATION_VERSION);
  assert.equal(model.metadata.xmlNamespace, CLOUDFORMATION_NAMESPACE);
  for (const [operation, members] of Object.entries(CLOUDFORMATION_OPERATIONS)) {
    const op = model.operations[operation]!;
    assert.ok(op, `botocore has ${operation}`);
    assert.equal(op.output!.resultWrapper, `${operation}Result`, `${operation} result wrapper`);
    // The service enforces a wider TypeNamePrefix than the model publishes (see TYPE_NAME_PREFIX_PATTERN).
    compareShape(model, { kind: 'structure', members }, op.input.shape, operation, { extendedPatterns: ['TypeNamePrefix'] });
  }
  assert.equal(TYPE_NAME_PREFIX_PATTERN, model.shapes.TypeNamePrefix!.pattern + '(:[A-Za-z0-9:]{2,64}){0,1}');
});

test('error identities match the model: TypeNotFoundException 404, CFNRegistryException 400, both sender faults', { skip: NO_BOTOCORE }, () => {
  for (const error of [typeNotFound('AWS::X::Y'), registryException('x')]) {
    const trait = model.shapes[error.code]!.error!;
    assert.equal(trait.code, error.code);
    assert.equal(error.status, trait.httpStatusCode, `${error.code} status`);
    assert.equal(trait.senderFault, true);
    assert.equal(error.type, 'Sender');
  }
  assert.deepEqual(model.operations.DescribeType!.errors!.map((e) => e.shape).sort(), ['CFNRegistryException', 'TypeNotFoundException']);
  assert.equal(typeNotFound('AWS::Serverless::Api').message, "The type 'AWS::Serverless::Api' cannot be found.");
});

test('every output member ccapi writes exists in the model with the type it is rendered as', { skip: NO_BOTOCORE }, () => {
  const ctx = context(catalogue());
  const described = describeType(ctx, CALLER, { Type: 'RESOURCE', TypeName: 'AWS::Demo::Full' });
  const listed = listTypes(ctx, CALLER, { Visibility: 'PUBLIC', MaxResults: 1 });
  const check = (value: Record<string, unknown>, shapeName: string) => {
    const shape = model.shapes[shapeName]!;
    for (const [name, v] of Object.entries(value)) {
      if (v === undefined) continue;
      const member = shape.members![name];
      assert.ok(member, `${shapeName} has member ${name}`);
      const type = model.shapes[member.shape]!.type;
      const expected = v instanceof Date ? 'timestamp' : Array.isArray(v) ? 'list' : typeof v === 'boolean' ? 'boolean' : 'string';
      assert.equal(type, expected, `${shapeName}.${name}`);
    }
  };
  check(described, 'DescribeTypeOutput');
  check(listed, 'ListTypesOutput');
  check(listed.TypeSummaries[0]!, 'TypeSummary');
});

// ---------------------------------------------------------------------------------------------------------
// Semantics

const ALL: SchemaHandlerKey[] = ['create', 'read', 'update', 'delete', 'list'];

function schema(typeName: string, handlers: SchemaHandlerKey[] | undefined, extra: Partial<ResourceSchema> = {}): ResourceSchema {
  const s: ResourceSchema = {
    typeName,
    properties: { Name: { type: 'string' }, Arn: { type: 'string' } },
    primaryIdentifier: ['/properties/Name'],
    readOnlyProperties: ['/properties/Arn'],
    ...extra,
  };
  if (handlers) s.handlers = Object.fromEntries(handlers.map((h) => [h, { permissions: [] }]));
  return s;
}

/** AWS types (as a registry bundle provides them) plus custom ones (third-party). */
function catalogue(): TypeCatalogue {
  const aws = inMemoryCatalogue(
    [
    schema('AWS::Demo::Full', ALL, {
      description: 'A demo type with <markup> & "quotes"',
      sourceUrl: 'https://github.com/aws-cloudformation/aws-cloudformation-resource-providers-demo',
      documentationUrl: 'https://docs.example.com/demo',
      'x-ccapi-arnTemplate': 'arn:${Partition}:demo:${Region}:${Account}:thing/${Name}',
    }),
    schema('AWS::Demo::NoUpdate', ['create', 'read', 'delete', 'list']),
    schema('AWS::Demo::NoRead', ['create', 'update', 'delete', 'list']),
    schema('AWS::Demo::NoHandlers', undefined),
    schema('AWS::Other::Thing', ALL),
    schema('AWS::Other::Thing2', ALL),
    schema('Alexa::ASK::Skill', ['create', 'read', 'update', 'delete']),
    ],
    'registry',
  );
  const custom = inMemoryCatalogue([schema('Acme::Widgets::Gadget', ALL, { description: 'third party' })], 'custom');
  return {
    get size() {
      return aws.size + custom.size;
    },
    has: (n) => aws.has(n) || custom.has(n),
    get: (n) => aws.get(n) ?? custom.get(n),
    typeNames: () => [...aws.typeNames(), ...custom.typeNames()],
  };
}

const CALLER = { region: 'us-east-1' };
const clock = new ManualClock(Date.UTC(2026, 0, 2, 3, 4, 5, 678));
const context = (c: TypeCatalogue) => ({ catalogue: c, clock });

function errorOf(fn: () => unknown): QueryError {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof QueryError, `expected a QueryError, got ${String(error)}`);
    return error;
  }
  assert.fail('expected an error');
}

test('provisioning type from the handlers', () => {
  const c = catalogue();
  const p = (name: string) => provisioningTypeOf(c.get(name)!);
  assert.equal(p('AWS::Demo::Full'), 'FULLY_MUTABLE');
  assert.equal(p('AWS::Demo::NoUpdate'), 'IMMUTABLE');
  assert.equal(p('AWS::Demo::NoRead'), 'NON_PROVISIONABLE');
  assert.equal(p('AWS::Demo::NoHandlers'), 'NON_PROVISIONABLE');
  assert.equal(provisioningTypeOf({ hasHandler: (h) => h !== 'create' }), 'NON_PROVISIONABLE');
  assert.equal(provisioningTypeOf({ hasHandler: (h) => h !== 'delete' }), 'NON_PROVISIONABLE');
});

test('DescribeType by Type and TypeName: every field, the schema text without ccapi annotations', () => {
  const c = catalogue();
  const ctx = context(c);
  const out = describeType(ctx, CALLER, { Type: 'RESOURCE', TypeName: 'AWS::Demo::Full' });
  const { Schema, LastUpdated, TimeCreated, ...rest } = out;
  assert.deepEqual(rest, {
    Arn: 'arn:aws:cloudformation:us-east-1::type/resource/AWS-Demo-Full',
    Type: 'RESOURCE',
    TypeName: 'AWS::Demo::Full',
    DefaultVersionId: '00000001',
    IsDefaultVersion: true,
    Description: 'A demo type with <markup> & "quotes"',
    ProvisioningType: 'FULLY_MUTABLE',
    DeprecatedStatus: 'LIVE',
    Visibility: 'PUBLIC',
    SourceUrl: 'https://github.com/aws-cloudformation/aws-cloudformation-resource-providers-demo',
    DocumentationUrl: 'https://docs.example.com/demo',
  });
  const parsed = JSON.parse(Schema) as Record<string, unknown>;
  const expected: Record<string, unknown> = { ...c.get('AWS::Demo::Full')!.schema };
  delete expected['x-ccapi-arnTemplate'];
  assert.deepEqual(parsed, expected);
  assert.ok(!Schema.includes('x-ccapi'), 'no ccapi annotation in the schema text');
  assert.equal(LastUpdated.toISOString(), '2026-01-02T03:04:05.678Z');
  assert.equal(TimeCreated.getTime(), LastUpdated.getTime());

  const bare = describeType(ctx, CALLER, { Type: 'RESOURCE', TypeName: 'AWS::Demo::NoUpdate' });
  assert.equal(bare.ProvisioningType, 'IMMUTABLE');
  assert.equal(bare.Description, undefined, 'no Description when the schema has none');
  assert.equal(bare.SourceUrl, undefined);
  assert.equal(bare.DocumentationUrl, undefined);
  assert.equal(describeType(ctx, CALLER, { Type: 'RESOURCE', TypeName: 'AWS::Demo::NoHandlers' }).ProvisioningType, 'NON_PROVISIONABLE');
});

test('type ARNs follow the caller region and partition, with no account', () => {
  assert.equal(typeArn({ region: 'cn-north-1' }, 'AWS::S3::Bucket'), 'arn:aws-cn:cloudformation:cn-north-1::type/resource/AWS-S3-Bucket');
  assert.equal(typeArn({ region: 'us-gov-west-1' }, 'AWS::S3::Bucket'), 'arn:aws-us-gov:cloudformation:us-gov-west-1::type/resource/AWS-S3-Bucket');
  assert.equal(describeType(context(catalogue()), { region: 'eu-west-3' }, { Type: 'RESOURCE', TypeName: 'AWS::Demo::Full' }).Arn, 'arn:aws:cloudformation:eu-west-3::type/resource/AWS-Demo-Full');
  assert.deepEqual(parseTypeArn('arn:aws:cloudformation:us-east-1:123456789012:type/resource/My-Logs-LogGroup/00000002'), {
    partition: 'aws',
    region: 'us-east-1',
    account: '123456789012',
    registryType: 'RESOURCE',
    typeName: 'My::Logs::LogGroup',
    versionId: '00000002',
  });
  assert.equal(parseTypeArn('arn:aws:cloudformation:us-east-1::type/resource/NotAType'), undefined);
});

test('DescribeType by Arn, with or without the version; other regions, accounts, versions are not found', () => {
  const ctx = context(catalogue());
  const arn = 'arn:aws:cloudformation:us-east-1::type/resource/AWS-Demo-Full';
  assert.equal(describeType(ctx, CALLER, { Arn: arn }).TypeName, 'AWS::Demo::Full');
  assert.equal(describeType(ctx, CALLER, { Arn: `${arn}/00000001` }).Arn, arn);
  assert.equal(describeType(ctx, CALLER, { Arn: arn, VersionId: '00000001' }).TypeName, 'AWS::Demo::Full');
  for (const other of [
    'arn:aws:cloudformation:eu-west-1::type/resource/AWS-Demo-Full',
    'arn:aws:cloudformation:us-east-1:123456789012:type/resource/AWS-Demo-Full',
    'arn:aws:cloudformation:us-east-1::type/module/AWS-Demo-Full-MODULE',
    `${arn}/00000002`,
    'arn:aws:cloudformation:us-east-1::type/resource/AWS-Demo-Missing',
  ]) {
    const e = errorOf(() => describeType(ctx, CALLER, { Arn: other }));
    assert.equal(e.code, 'TypeNotFoundException', other);
    assert.equal(e.status, 404);
    assert.equal(e.message, `The type '${other}' cannot be found.`);
  }
  assert.equal(errorOf(() => describeType(ctx, CALLER, { Arn: arn, VersionId: '00000002' })).code, 'TypeNotFoundException');
});

test('DescribeType: unknown names, other registry types, versions and publishers are TypeNotFoundException', () => {
  const ctx = context(catalogue());
  const e = errorOf(() => describeType(ctx, CALLER, { Type: 'RESOURCE', TypeName: 'AWS::Demo::Missing' }));
  assert.equal(e.code, 'TypeNotFoundException');
  assert.equal(e.status, 404);
  assert.equal(e.message, "The type 'AWS::Demo::Missing' cannot be found.");
  assert.equal(errorOf(() => describeType(ctx, CALLER, { Type: 'MODULE', TypeName: 'AWS::Demo::Full' })).code, 'TypeNotFoundException');
  assert.equal(errorOf(() => describeType(ctx, CALLER, { Type: 'HOOK', TypeName: 'AWS::Demo::Full' })).code, 'TypeNotFoundException');
  assert.equal(errorOf(() => describeType(ctx, CALLER, { Type: 'RESOURCE', TypeName: 'AWS::Demo::Full', VersionId: '00000002' })).code, 'TypeNotFoundException');
  assert.equal(errorOf(() => describeType(ctx, CALLER, { Type: 'RESOURCE', TypeName: 'AWS::Demo::Full', PublisherId: 'abcdef0123456789' })).code, 'TypeNotFoundException');
  assert.equal(describeType(ctx, CALLER, { Type: 'RESOURCE', TypeName: 'AWS::Demo::Full', VersionId: '00000001' }).TypeName, 'AWS::Demo::Full');
});

test('DescribeType needs TypeName and Type, or Arn (ValidationError otherwise)', () => {
  const ctx = context(catalogue());
  for (const input of [{}, { TypeName: 'AWS::Demo::Full' }, { Type: 'RESOURCE' as const }, { Arn: 'arn:aws:cloudformation:us-east-1::type/resource/AWS-Demo-Full', TypeName: 'AWS::Demo::Full' }]) {
    const e = errorOf(() => describeType(ctx, CALLER, input));
    assert.equal(e.code, 'ValidationError', JSON.stringify(input));
    assert.equal(e.status, 400);
    assert.equal(e.message, 'You must specify either TypeName and Type, or Arn.');
  }
});

const names = (input: ListTypesInput, c = catalogue()) => listTypes(context(c), CALLER, input).TypeSummaries.map((s) => s.TypeName);

test('ListTypes: PRIVATE by default (empty: every type here is public); PUBLIC lists FULLY_MUTABLE types by default', () => {
  assert.deepEqual(names({}), []);
  assert.deepEqual(names({ Visibility: 'PRIVATE' }), []);
  assert.deepEqual(names({ Visibility: 'PUBLIC' }), ['AWS::Demo::Full', 'AWS::Other::Thing', 'AWS::Other::Thing2', 'Acme::Widgets::Gadget', 'Alexa::ASK::Skill']);
  assert.deepEqual(names({ Visibility: 'PUBLIC', ProvisioningType: 'IMMUTABLE' }), ['AWS::Demo::NoUpdate']);
  assert.deepEqual(names({ Visibility: 'PUBLIC', ProvisioningType: 'NON_PROVISIONABLE' }), ['AWS::Demo::NoHandlers', 'AWS::Demo::NoRead']);
});

test('ListTypes: a summary carries the type, name, ARN, version, registration time and description', () => {
  const [summary] = listTypes(context(catalogue()), { region: 'ap-south-1' }, { Visibility: 'PUBLIC', Filters: { TypeNamePrefix: 'AWS::Demo::Full' } }).TypeSummaries;
  assert.deepEqual(summary, {
    Type: 'RESOURCE',
    TypeName: 'AWS::Demo::Full',
    DefaultVersionId: '00000001',
    TypeArn: 'arn:aws:cloudformation:ap-south-1::type/resource/AWS-Demo-Full',
    LastUpdated: new Date(Date.UTC(2026, 0, 2, 3, 4, 5, 678)),
    Description: 'A demo type with <markup> & "quotes"',
  });
});

test('ListTypes filters: Type, DeprecatedStatus, Category, PublisherId, TypeNamePrefix', () => {
  assert.deepEqual(names({ Visibility: 'PUBLIC', Type: 'MODULE' }), []);
  assert.deepEqual(names({ Visibility: 'PUBLIC', Type: 'RESOURCE' }).length, 5);
  assert.deepEqual(names({ Visibility: 'PUBLIC', DeprecatedStatus: 'DEPRECATED' }), []);
  assert.deepEqual(names({ Visibility: 'PUBLIC', DeprecatedStatus: 'LIVE' }).length, 5);
  assert.deepEqual(names({ Visibility: 'PUBLIC', Filters: { Category: 'AWS_TYPES' } }), ['AWS::Demo::Full', 'AWS::Other::Thing', 'AWS::Other::Thing2', 'Alexa::ASK::Skill'], 'AWS publishes Alexa::ASK::Skill too');
  assert.deepEqual(names({ Visibility: 'PUBLIC', Filters: { Category: 'THIRD_PARTY' } }), ['Acme::Widgets::Gadget']);
  assert.deepEqual(names({ Visibility: 'PUBLIC', Filters: { Category: 'REGISTERED' } }), []);
  assert.deepEqual(names({ Visibility: 'PUBLIC', Filters: { Category: 'ACTIVATED' } }), []);
  assert.deepEqual(names({ Visibility: 'PRIVATE', Filters: { Category: 'AWS_TYPES' } }), [], 'AWS_TYPES with PRIVATE is empty, as AWS documents');
  assert.deepEqual(names({ Visibility: 'PUBLIC', Filters: { PublisherId: 'abcdef0123456789' } }), []);
  assert.deepEqual(names({ Visibility: 'PUBLIC', Filters: { TypeNamePrefix: 'AWS::Other::Thing' } }), ['AWS::Other::Thing', 'AWS::Other::Thing2']);
  assert.deepEqual(names({ Visibility: 'PUBLIC', Filters: { TypeNamePrefix: 'AWS::Other::Thing2' } }), ['AWS::Other::Thing2']);
  assert.deepEqual(names({ Visibility: 'PUBLIC', Filters: { TypeNamePrefix: 'AWS::Demo' } }), ['AWS::Demo::Full']);
  assert.deepEqual(names({ Visibility: 'PUBLIC', Filters: { TypeNamePrefix: 'aws::demo' } }), [], 'the prefix is case-sensitive');
  assert.deepEqual(names({ Visibility: 'PUBLIC', Filters: { TypeNamePrefix: 'Zzz' } }), []);
});

test('ListTypes pagination: every type exactly once, NextToken only while more remain', () => {
  const many = inMemoryCatalogue(Array.from({ length: 25 }, (_, i) => schema(`AWS::Page::T${String(i).padStart(2, '0')}`, i % 5 === 0 ? ['create', 'read', 'delete'] : ALL)));
  const ctx = context(many);
  for (const size of [1, 4, 10, 20, 100]) {
    const seen: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const page = listTypes(ctx, CALLER, { Visibility: 'PUBLIC', MaxResults: size, ...(token ? { NextToken: token } : {}) });
      assert.ok(page.TypeSummaries.length <= size);
      assert.ok(page.TypeSummaries.length > 0, 'no empty pages');
      seen.push(...page.TypeSummaries.map((s) => s.TypeName));
      token = page.NextToken;
      pages++;
    } while (token);
    assert.equal(seen.length, 20, `page size ${size}: the 20 FULLY_MUTABLE types`);
    assert.equal(new Set(seen).size, 20, 'no duplicates');
    assert.deepEqual(seen, [...seen].sort(), 'in name order');
    assert.equal(pages, Math.ceil(20 / size), `page size ${size}: page count`);
  }
  assert.equal(DEFAULT_LIST_TYPES_PAGE, 100);
  const immutable = listTypes(ctx, CALLER, { Visibility: 'PUBLIC', ProvisioningType: 'IMMUTABLE', MaxResults: 5 });
  assert.deepEqual(immutable.TypeSummaries.map((s) => s.TypeName), ['AWS::Page::T00', 'AWS::Page::T05', 'AWS::Page::T10', 'AWS::Page::T15', 'AWS::Page::T20']);
  assert.equal(immutable.NextToken, undefined, 'an exactly full last page has no NextToken');
  const none = listTypes(ctx, CALLER, { Visibility: 'PUBLIC', ProvisioningType: 'NON_PROVISIONABLE', MaxResults: 1 });
  assert.deepEqual(none, { TypeSummaries: [], NextToken: undefined });
});

test('ListTypes: a malformed NextToken is a ValidationError', () => {
  for (const token of ['not-a-token', Buffer.from('{"after":5}').toString('base64'), Buffer.from('[]').toString('base64')]) {
    const e = errorOf(() => listTypes(context(catalogue()), CALLER, { Visibility: 'PUBLIC', NextToken: token }));
    assert.equal(e.code, 'ValidationError');
    assert.equal(e.message, 'Invalid NextToken');
  }
});

test('ListTypes loads only the types a page looks at, and derives each type\'s facts once', () => {
  const inner = inMemoryCatalogue(Array.from({ length: 50 }, (_, i) => schema(`AWS::Lazy::T${String(i).padStart(2, '0')}`, ALL)));
  const loaded: string[] = [];
  let handlerChecks = 0;
  const wrapped = new Map<string, ResourceType>();
  const counting: TypeCatalogue = {
    get size() {
      return inner.size;
    },
    has: (n) => inner.has(n),
    typeNames: () => inner.typeNames(),
    get(n) {
      loaded.push(n);
      let t = wrapped.get(n);
      const base = inner.get(n);
      if (!t && base) {
        t = { ...base, hasHandler: (h) => (handlerChecks++, base.hasHandler(h)) };
        wrapped.set(n, t);
      }
      return t;
    },
  };
  const ctx = context(counting);
  const first = listTypes(ctx, CALLER, { Visibility: 'PUBLIC', MaxResults: 3 });
  assert.deepEqual(first.TypeSummaries.map((s) => s.TypeName), ['AWS::Lazy::T00', 'AWS::Lazy::T01', 'AWS::Lazy::T02']);
  assert.deepEqual(loaded, ['AWS::Lazy::T00', 'AWS::Lazy::T01', 'AWS::Lazy::T02', 'AWS::Lazy::T03'], 'three for the page, one to know there is more');
  const checksAfterFirst = handlerChecks;
  assert.ok(checksAfterFirst > 0);
  loaded.length = 0;
  listTypes(ctx, CALLER, { Visibility: 'PUBLIC', MaxResults: 3 });
  assert.equal(handlerChecks, checksAfterFirst, 'facts are derived once per type');
  assert.deepEqual(loaded, [], 'a page seen before needs no lookup');
  listTypes(ctx, CALLER, { Visibility: 'PUBLIC', MaxResults: 2, Filters: { TypeNamePrefix: 'AWS::Lazy::T4' } });
  assert.deepEqual(loaded, ['AWS::Lazy::T40', 'AWS::Lazy::T41', 'AWS::Lazy::T42'], 'a prefix starts at its run');
  loaded.length = 0;
  listTypes(ctx, CALLER, { Visibility: 'PRIVATE' });
  assert.deepEqual(loaded, [], 'a listing that cannot match loads nothing');
});

test('DescribeType never lists the catalogue (listing a registry bundle parses every file)', () => {
  const inner = catalogue();
  let listings = 0;
  const counting: TypeCatalogue = {
    get size() {
      return inner.size;
    },
    has: (n) => inner.has(n),
    get: (n) => inner.get(n),
    typeNames: () => (listings++, inner.typeNames()),
  };
  const ctx = context(counting);
  describeType(ctx, CALLER, { Type: 'RESOURCE', TypeName: 'AWS::Demo::Full' });
  describeType(ctx, CALLER, { Arn: 'arn:aws:cloudformation:us-east-1::type/resource/AWS-Other-Thing' });
  assert.equal(listings, 0);
  listTypes(ctx, CALLER, { Visibility: 'PUBLIC' });
  listTypes(ctx, CALLER, { Visibility: 'PUBLIC', MaxResults: 1 });
  assert.equal(listings, 1, 'names are listed once while the catalogue keeps its size');
});
