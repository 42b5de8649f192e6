// Tests for model validation: each everit-style message form (and CloudFormation's scrubbing of value-bearing
// ones) against small hand-written schemas; formats; per-property compilation; list handlerSchema validation;
// then one sweep over the official bundle that compiles every validator and reports compile times.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import AdmZip from 'adm-zip';
import { resolve } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { compileModelValidator, patternFallbacks } from './validation.js';
import { compileListModelValidator, listHandlerSchema, listModelError } from './list-model.js';
import { modelValidationFailed } from './validation-messages.js';
import { resourceTypeFromSchema } from './catalogue.js';
import type { JsonSchema, ResourceSchema } from './types.js';
import { OFFICIAL_BUNDLE as OFFICIAL_ZIP, skipIfMissing } from '../../test/support/prerequisites.js';

function schemaWith(properties: Record<string, JsonSchema>, extra: Partial<ResourceSchema> = {}): ResourceSchema {
  return { typeName: 'Test::X::Y', properties, additionalProperties: false, primaryIdentifier: ['/properties/Id'], ...extra };
}

const check = (properties: Record<string, JsonSchema>, model: unknown, extra: Partial<ResourceSchema> = {}) =>
  compileModelValidator(schemaWith(properties, extra))(model);

test('valid model gives no violations', () => {
  assert.deepStrictEqual(check({ A: { type: 'string' } }, { A: 'x' }), []);
});

test('extraneous and required keys', () => {
  const v = compileModelValidator(schemaWith({ Name: { type: 'string' } }, { required: ['Name'] }));
  assert.deepStrictEqual(v({ Name: 'x', Tags: [] }), ['#: extraneous key [Tags] is not permitted']);
  assert.deepStrictEqual(v({}), ['#: required key [Name] not found']);
});

test('nested extraneous keys use #/A/B paths, one string each', () => {
  const schema = schemaWith(
    { AccessPolicyResource: { $ref: '#/definitions/R' }, List: { type: 'array', items: { $ref: '#/definitions/R' } } },
    { definitions: { R: { type: 'object', properties: { Portal: { $ref: '#/definitions/P' } }, additionalProperties: false }, P: { type: 'object', properties: {}, additionalProperties: false } } },
  );
  const out = compileModelValidator(schema)({ AccessPolicyResource: { Portal: { Id: 1 } }, List: [{}, { Portal: { Arn: 'a' } }] });
  assert.deepStrictEqual(out, [
    '#/AccessPolicyResource/Portal: extraneous key [Id] is not permitted',
    '#/List/1/Portal: extraneous key [Arn] is not permitted',
  ]);
});

test('type names follow everit', () => {
  const props = {
    S: { type: 'string' }, I: { type: 'integer' }, N: { type: 'number' }, B: { type: 'boolean' },
    O: { type: 'object' }, A: { type: 'array' }, Z: { type: 'null' },
  };
  assert.deepStrictEqual(check(props, { I: 'x' }), ['#/I: expected type: Integer, found: String']);
  assert.deepStrictEqual(check(props, { S: 1, B: 'true', O: [], A: {}, N: null, Z: false }), [
    '#/S: expected type: String, found: Integer',
    '#/N: expected type: Number, found: Null',
    '#/B: expected type: Boolean, found: String',
    '#/O: expected type: JSONObject, found: JSONArray',
    '#/A: expected type: JSONArray, found: JSONObject',
    '#/Z: expected type: Null, found: Boolean',
  ]);
  assert.deepStrictEqual(check(props, { I: 1.5 }), ['#/I: expected type: Integer, found: Number']);
});

test('string constraints', () => {
  const props = { Min: { type: 'string', minLength: 1 }, Max: { type: 'string', maxLength: 5 }, P: { type: 'string', pattern: '^a$' } };
  assert.deepStrictEqual(check(props, { Min: '', Max: 'abcdef', P: 'abc' }), [
    '#/Min: expected minLength: 1, actual: 0',
    '#/Max: expected maxLength: 5, actual: 6',
    '#/P: failed validation constraint for keyword [pattern]',
  ]);
  assert.deepStrictEqual(check(props, { Max: '😀😀😀😀😀' }), [], 'lengths count code points');
});

test('keywords whose everit message would echo the value are scrubbed, as CloudFormation does', () => {
  const props = {
    E: { type: 'string', enum: ['x', 'y'] }, C: { const: 'k' }, Max: { type: 'integer', maximum: 20 }, Min: { type: 'integer', minimum: 1 },
    XMax: { type: 'number', exclusiveMaximum: 2 }, XMin: { type: 'number', exclusiveMinimum: 2 }, M: { type: 'integer', multipleOf: 5 },
    N: { not: { type: 'string' } }, F: { type: 'string', format: 'date-time' }, Never: false as unknown as JsonSchema,
  };
  assert.deepStrictEqual(check(props, { E: 'abc', C: 'j', Max: 21, Min: 0, XMax: 2, XMin: 2, M: 7, N: 's', F: 'tomorrow', Never: 1 }), [
    '#/E: failed validation constraint for keyword [enum]',
    '#/C: failed validation constraint for keyword [const]',
    '#/Max: failed validation constraint for keyword [maximum]',
    '#/Min: failed validation constraint for keyword [minimum]',
    '#/XMax: failed validation constraint for keyword [exclusiveMaximum]',
    '#/XMin: failed validation constraint for keyword [exclusiveMinimum]',
    '#/M: failed validation constraint for keyword [multipleOf]',
    '#/N: failed validation constraint for keyword [not]',
    '#/F: failed validation constraint for keyword [format]',
    '#/Never: failed validation constraint for keyword [false]',
  ]);
  assert.deepStrictEqual(check(props, { E: 'x', C: 'k', Max: 20, Min: 1, XMax: 1.5, XMin: 3, M: 10, N: 1, F: '2024-01-01T00:00:00Z' }), []);
});

test('safe keywords keep everit\'s wording: size of objects, contains, dependencies', () => {
  const props = {
    O: { type: 'object', minProperties: 2, maxProperties: 3 },
    P: { type: 'object', maxProperties: 1 },
    A: { type: 'array', contains: { type: 'integer' } },
    D: { type: 'object', dependencies: { x: ['y'] } },
  };
  assert.deepStrictEqual(check(props, { O: { a: 1 }, P: { a: 1, b: 2 }, A: ['s'], D: { x: 1 } }), [
    '#/O: minimum size: [2], found: [1]',
    '#/P: maximum size: [1], found: [2]',
    "#/A: expected at least one array item to match 'contains' schema",
    '#/D: property [y] is required',
  ]);
});

test('array constraints', () => {
  const props = { A: { type: 'array', minItems: 1 }, B: { type: 'array', maxItems: 2 }, U: { type: 'array', uniqueItems: true } };
  assert.deepStrictEqual(check(props, { A: [], B: [1, 2, 3], U: [{ a: 1 }, { a: 1 }] }), [
    '#/A: expected minimum item count: 1, found: 0',
    '#/B: expected maximum item count: 2, found: 3',
    '#/U: array items are not unique',
  ]);
});

test('anyOf/oneOf failures are reported once, without their sub-errors', () => {
  const props = {
    X: { anyOf: [{ type: 'string', pattern: '^a' }, { $ref: '#/definitions/D' }] },
    Y: { oneOf: [{ type: 'integer' }, { type: 'boolean' }, { type: 'array' }] },
    J: { type: ['object', 'string'] },
  };
  const definitions = { D: { type: 'object', properties: { K: { type: 'string' } }, required: ['K'], additionalProperties: false } };
  assert.deepStrictEqual(check(props, { X: 'b', Y: 'no', J: 1 }, { definitions }), [
    '#/X: #: no subschema matched out of the total 2 subschemas',
    '#/Y: #: no subschema matched out of the total 3 subschemas',
    '#/J: #: no subschema matched out of the total 2 subschemas',
  ]);
  assert.deepStrictEqual(check(props, { X: { K: 'k' }, Y: 1, J: 'j' }, { definitions }), []);
});

test('a oneOf in a definition does not swallow its sibling keywords', () => {
  const definitions = {
    D: {
      type: 'object',
      properties: { A: { type: 'string' }, B: { type: 'string' } },
      oneOf: [{ required: ['A'] }, { required: ['B'] }],
      additionalProperties: false,
    },
  };
  assert.deepStrictEqual(check({ P: { $ref: '#/definitions/D' } }, { P: { A: 1, Q: 1 } }, { definitions }), [
    '#/P: extraneous key [Q] is not permitted',
    '#/P/A: expected type: String, found: Integer',
  ]);
  assert.deepStrictEqual(check({ P: { $ref: '#/definitions/D' } }, { P: {} }, { definitions }), [
    '#/P: #: no subschema matched out of the total 2 subschemas',
  ]);
});

test('readOnly properties are never required; violations are deduplicated', () => {
  const v = compileModelValidator(
    schemaWith({ Id: { type: 'string' }, Name: { type: 'string' } }, { required: ['Id', 'Name'], readOnlyProperties: ['/properties/Id'] }),
  );
  assert.deepStrictEqual(v({ Name: 'n' }), []);
  assert.deepStrictEqual(v({}), ['#: required key [Name] not found']);
});

test('patterns are Java regexes, searched like Matcher.find(), in properties and patternProperties keys', () => {
  const props = {
    L: { type: 'string', pattern: '^[a-z]{1,5}\\Z' },
    G: { type: 'string', pattern: '(?i)abc' },
    U: { type: 'string', pattern: '[0-9]' },
    M: { type: 'object', patternProperties: { '^\\p{Alpha}+$': { type: 'integer' } }, additionalProperties: false },
  };
  const v = compileModelValidator(schemaWith(props));
  assert.deepStrictEqual(v({ L: 'abc', G: 'xxABCxx', U: 'abc1def', M: { ok: 1 } }), []);
  assert.deepStrictEqual(v({ L: 'abcdef', G: 'ab', U: 'abc', M: { 'é': 1 } }), [
    '#/L: failed validation constraint for keyword [pattern]',
    '#/G: failed validation constraint for keyword [pattern]',
    '#/U: failed validation constraint for keyword [pattern]',
    '#/M: extraneous key [é] is not permitted',
  ]);
});

test('a hostile string on a pattern prone to catastrophic backtracking is answered, with the usual message', () => {
  // WAFv2's JsonPointerPath pattern; V8 alone needs seconds for 60 characters of this input.
  const v = compileModelValidator(schemaWith({ Path: { type: 'string', pattern: '^[\\/]+([^~]*(~[01])*)*{1,512}$', maxLength: 512 } }));
  assert.deepStrictEqual(v({ Path: '/' + '~0'.repeat(20_000) + '~' }), [
    '#/Path: expected maxLength: 512, actual: 40002',
    '#/Path: failed validation constraint for keyword [pattern]',
  ]);
  assert.deepStrictEqual(v({ Path: '/a/b~1c' }), []);
});

test('a pattern that cannot be translated matches everything and is listed in patternFallbacks()', () => {
  const v = compileModelValidator(schemaWith({ B: { type: 'string', pattern: '^\\p{InGreek}+$' } }));
  assert.deepStrictEqual(v({ B: 'not greek' }), []);
  assert.match(patternFallbacks().get('^\\p{InGreek}+$') ?? '', /Unicode blocks/);
});

test('formats: date-time, date and uri as everit validates them; unknown formats never fail', () => {
  const v = compileModelValidator(schemaWith({
    T: { type: 'string', format: 'date-time' }, D: { type: 'string', format: 'date' }, U: { type: 'string', format: 'uri' },
    I: { type: 'string', format: 'int64' }, X: { type: 'string', format: 'double' }, R: { type: 'string', format: '(^arn:[a-z]+$)' },
    N: { type: 'integer', format: 'date-time' },
  }));
  const fails = (prop: string, value: unknown) => v({ [prop]: value }).length > 0;
  // Each expectation below was checked against everit's formatter on JDK 17.
  for (const ok of ['2024-01-01T00:00:00Z', '2024-01-01T00:00:00.123Z', '2024-01-01T00:00:00.000000000Z', '2024-01-01T00:00:00+18:00',
    '2024-01-01T00:00:00-00:00', '2024-02-30T00:00:00Z', '2024-01-01T24:00:00Z', '2024-01-01T24:00:00.0Z', '0001-01-01T00:00:00Z']) {
    assert.ok(!fails('T', ok), ok);
  }
  for (const bad of ['2024-01-01', '2024-01-01T00:00:00', '2024-01-01 00:00:00Z', '2024-01-01t00:00:00Z', '2024-01-01T00:00:00z',
    '2024-01-01T00:00:00.1234567891Z', '2024-01-01T00:00:00+0100', '2024-01-01T00:00:00+19:00', '2024-01-01T00:00:00+18:30',
    '2024-01-01T00:00:00+01:00:30', '2024-13-01T00:00:00Z', '2024-00-10T00:00:00Z', '2024-01-32T00:00:00Z', '2024-01-01T23:60:00Z',
    '2024-01-01T23:59:60Z', '2024-01-01T24:30:00Z', '2024-01-01T24:00:00.5Z', '0000-01-01T00:00:00Z', '12024-01-01T00:00:00Z', '2024-01-01T00:00Z']) {
    assert.ok(fails('T', bad), bad);
  }
  for (const ok of ['2024-01-01', '2024-02-29', '+12024-01-01']) assert.ok(!fails('D', ok), ok);
  for (const bad of ['2023-02-29', '2024-02-30', '2024-13-01', '24-01-01', '2024-01-01T00:00:00Z']) assert.ok(fails('D', bad), bad);
  for (const ok of ['http://a', 'https://example.com/x?y#z', 'mailto:x@y', '//host/p', 'urn:isbn:123', 'http://a/%20', 'http://a/é', 's3://b/k']) {
    assert.ok(!fails('U', ok), ok);
  }
  for (const bad of ['/rel/path', 'rel', 'http://a b', 'http:', 'http://a/%zz', 'http://a/{x}', 'http://a/|', '1http://a', 'http://a/^']) {
    assert.ok(fails('U', bad), bad);
  }
  assert.deepStrictEqual(v({ I: 'not a number', X: 'nope', R: 'x', N: 5 }), []);
});

test('CloudFormation keywords inside properties are accepted', () => {
  const props = { T: { type: 'array', insertionOrder: false, arrayType: 'AttributeList', items: { type: 'string', relationshipRef: { typeName: 'AWS::X::Y', propertyPath: '/properties/Arn' } } } };
  assert.deepStrictEqual(check(props, { T: ['a'] }), []);
});

test('modelValidationFailed joins violations the way AWS does', () => {
  assert.equal(modelValidationFailed(['#: a']), 'Model validation failed (#: a)');
  assert.equal(modelValidationFailed(['#/A: x', '#/B: y']), 'Model validation failed (#/A: x\n    #/B: y)');
});

test('per-property compilation gives exactly the whole-schema validator\'s violations, in the same order', () => {
  const schema = schemaWith(
    {
      A: { type: 'string', pattern: '^a' },
      B: { $ref: '#/definitions/B' },
      C: { type: 'array', items: { $ref: '#/definitions/B' } },
      'x-1': { type: 'integer' },
      'a/b~c': { type: 'string' },
    },
    {
      required: ['Z'],
      anyOf: [{ required: ['A'] }, { required: ['Q'] }],
      dependencies: { A: ['B'] },
      minProperties: 9,
      patternProperties: { '^x-': { maximum: 0 } },
      definitions: { B: { type: 'object', properties: { C: { type: 'string' } }, required: ['C'], additionalProperties: false, oneOf: [{ required: ['C'] }, { required: ['D'] }] } },
    },
  );
  const split = compileModelValidator(schema);
  const whole = compileModelValidator(schema, { whole: true });
  const models: unknown[] = [
    {}, { A: 1 }, { A: 'b', B: { C: 1, D: 2 }, E: 1, 'x-1': 5 }, { B: {} }, { C: [{}, { C: 'c', X: 1 }] }, { 'a/b~c': 1 }, 'str', null, [],
  ];
  for (const m of models) assert.deepStrictEqual(split(m), whole(m), JSON.stringify(m));
  assert.deepStrictEqual(split({ A: 'b', B: { C: 1 }, 'x-1': 5, 'a/b~c': 2 }), [
    '#: minimum size: [9], found: [4]',
    '#: required key [Z] not found',
    '#/A: failed validation constraint for keyword [pattern]',
    '#/B/C: expected type: String, found: Integer',
    '#/a~1b~0c: expected type: String, found: Integer',
    '#/x-1: failed validation constraint for keyword [maximum]',
  ]);
  split.compileAll();
  assert.deepStrictEqual(split({ A: 'a', B: { C: 'c' }, Z: 1, 'x-1': 0, p: 1, q: 2, r: 3, s: 4, t: 5 }).filter((v) => !v.includes('extraneous')), []);
});

test('definitions compile when a model first reaches them, not with the property that refers to them', () => {
  // Bad cannot compile (minLength must be a number): whoever compiles it throws, which shows when it is compiled.
  const schema = schemaWith(
    { A: { $ref: '#/definitions/Outer' }, B: { type: 'string' } },
    { definitions: { Outer: { type: 'object', properties: { Name: { type: 'string' }, Deep: { $ref: '#/definitions/Bad' } } }, Bad: { minLength: 'x' } } },
  );
  assert.throws(() => compileModelValidator(schema, { whole: true })({}), /minLength/);
  const v = compileModelValidator(schema);
  assert.deepStrictEqual(v({ B: 'b', A: { Name: 'n' } }), []);
  assert.deepStrictEqual(v({ A: { Name: 1 } }), ['#/A/Name: expected type: String, found: Integer']);
  assert.throws(() => v({ A: { Deep: 'x' } }), /minLength/);
  assert.throws(() => compileModelValidator(schema).compileAll(), /minLength/, 'compileAll compiles every definition');
});

test('a combinator in a property swallows the errors of the definitions it reaches, as in a whole-schema validator', () => {
  // H holds a reference, so ajv calls it as a function: its errors carry H's own paths, not the property's.
  const schema = schemaWith(
    {
      F: {
        type: 'object',
        oneOf: [
          { properties: { A: { type: 'string' } }, additionalProperties: false },
          { properties: { T: { type: 'array', items: { $ref: '#/definitions/H' } } }, required: ['T'], additionalProperties: false },
        ],
      },
    },
    { definitions: { H: { type: 'object', properties: { N: { $ref: '#/definitions/N' } }, required: ['N'] }, N: { type: 'string' } } },
  );
  const split = compileModelValidator(schema);
  const whole = compileModelValidator(schema, { whole: true });
  for (const model of [{ F: { T: [{}] } }, { F: { T: [{ N: 1 }] } }, { F: { T: [{ N: 'n' }] } }, { F: { A: 1 } }]) {
    assert.deepStrictEqual(split(model), whole(model), JSON.stringify(model));
  }
  assert.deepStrictEqual(split({ F: { T: [{}] } }), ['#/F: #: no subschema matched out of the total 2 subschemas']);
});

test('lazy references: aliases, recursion, inlined and called definitions, names that need escaping', () => {
  const schema = schemaWith(
    {
      Tree: { $ref: '#/definitions/Node' },
      Alias: { $ref: '#/definitions/AliasOfLeaf' },
      Escaped: { $ref: '#/definitions/a~1b%20c' },
      Choice: { anyOf: [{ $ref: '#/definitions/Leaf' }, { $ref: '#/definitions/Node' }] },
    },
    {
      definitions: {
        Node: { type: 'object', properties: { Value: { $ref: '#/definitions/Leaf' }, Children: { type: 'array', items: { $ref: '#/definitions/Node' } } }, required: ['Value'], additionalProperties: false },
        Leaf: { type: 'string', maxLength: 3 },
        AliasOfLeaf: { $ref: '#/definitions/Leaf', description: 'an alias: ajv resolves it through to Leaf' },
        'a/b c': { type: 'integer', minimum: 1 },
      },
    },
  );
  const split = compileModelValidator(schema);
  const whole = compileModelValidator(schema, { whole: true });
  const models: unknown[] = [
    { Tree: { Value: 'abc', Children: [{ Value: 'x', Children: [{ Value: 'toolong' }, {}] }, { Value: 1, Extra: true }] } },
    { Alias: 'abcd', Escaped: 0, Choice: { Value: 'v', Children: [{}] } },
    { Alias: 1, Escaped: 'x', Choice: 'toolong' },
    { Tree: null, Choice: 'ok', Escaped: 2, Alias: 'ok' },
  ];
  for (const m of models) assert.deepStrictEqual(split(m), whole(m), JSON.stringify(m));
  assert.deepStrictEqual(split(models[0]), [
    '#/Tree/Children/0/Children/0/Value: expected maxLength: 3, actual: 7',
    '#/Tree/Children/0/Children/1: required key [Value] not found',
    '#/Tree/Children/1: extraneous key [Extra] is not permitted',
    '#/Tree/Children/1/Value: expected type: String, found: Integer',
  ]);
  assert.deepStrictEqual(split(models[3]), ['#/Tree: expected type: JSONObject, found: Null']);
});

// --- List handler schema ------------------------------------------------------------------------------------------

const nodegroupLike: ResourceSchema = {
  typeName: 'Test::EKS::Nodegroup',
  properties: {
    ClusterName: { type: 'string', minLength: 1 },
    NodegroupName: { type: 'string' },
    Scaling: { $ref: '#/definitions/Scaling' },
  },
  definitions: { Scaling: { type: 'object', properties: { Min: { type: 'integer', minimum: 0 } }, additionalProperties: false } },
  primaryIdentifier: ['/properties/NodegroupName'],
  handlers: {
    create: {}, read: {}, delete: {},
    list: {
      handlerSchema: {
        properties: {
          ClusterName: { $ref: 'resource-schema.json#/properties/ClusterName' },
          Scaling: { $ref: 'resource-schema.json#/properties/Scaling' },
          Kind: { $ref: '#/properties/NodegroupName' },
          Limits: { $ref: '#/definitions/Scaling' },
        },
        required: ['ClusterName'],
      },
    },
  },
};

test('list handlerSchema refs resolve into the resource schema', () => {
  const root = listHandlerSchema(nodegroupLike)!;
  assert.deepStrictEqual(Object.keys(root['x-ccapi-resource-properties'] as object).sort(), ['ClusterName', 'NodegroupName', 'Scaling']);
  assert.deepStrictEqual(Object.keys(root.definitions as object), ['Scaling'], 'only referenced definitions are copied');
  const v = compileListModelValidator(nodegroupLike)!;
  assert.deepStrictEqual(v(undefined), ['#: required key [ClusterName] not found']);
  assert.deepStrictEqual(v({ ClusterName: 'c' }), []);
  assert.deepStrictEqual(v({ ClusterName: '', Scaling: { Min: -1, X: 1 }, Kind: 3, Limits: { Y: 1 } }), [
    '#/ClusterName: expected minLength: 1, actual: 0',
    '#/Scaling: extraneous key [X] is not permitted',
    '#/Scaling/Min: failed validation constraint for keyword [minimum]',
    '#/Kind: expected type: String, found: Integer',
    '#/Limits: extraneous key [Y] is not permitted',
  ]);
  assert.equal(compileListModelValidator({ ...nodegroupLike, handlers: { list: {} } }), undefined);
});

test('listModelError words violations as Cloud Control does', () => {
  assert.equal(
    listModelError('AWS::EKS::Nodegroup', ['#: required key [ClusterName] not found']),
    'Missing or invalid ResourceModel property in AWS::EKS::Nodegroup list handler request input.Required property: (#: required key [ClusterName] not found)',
  );
  assert.equal(
    listModelError('AWS::ECS::TaskSet', ['#: required key [Cluster] not found', '#: required key [Service] not found']),
    'Missing or invalid ResourceModel property in AWS::ECS::TaskSet list handler request input.Required property: (#: required key [Cluster] not found, #: required key [Service] not found)',
  );
  assert.equal(
    listModelError('AWS::X::Y', ['#: required key [A] not found', '#/B: expected type: String, found: Integer']),
    'Missing or invalid ResourceModel property in AWS::X::Y list handler request input.Required property: (#: required key [A] not found) Invalid property: (#/B: expected type: String, found: Integer)',
  );
});

test('resourceTypeFromSchema: validateListModel and listModelProperties only with a handlerSchema', () => {
  const type = resourceTypeFromSchema(nodegroupLike, 'registry');
  assert.deepStrictEqual(type.listModelProperties, ['ClusterName', 'Scaling', 'Kind', 'Limits']);
  assert.deepStrictEqual(type.validateListModel?.({}), ['#: required key [ClusterName] not found']);
  const plain = resourceTypeFromSchema({ ...nodegroupLike, handlers: { list: {} } }, 'registry');
  assert.equal(plain.validateListModel, undefined);
  assert.equal(plain.listModelProperties, undefined);
});

// --- The official bundle ------------------------------------------------------------------------------------------

const ms = (n: number) => `${n.toFixed(1)} ms`;
const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;

test('the official bundle', { skip: skipIfMissing('bundle') }, async (t) => {
  const schemas = new AdmZip(OFFICIAL_ZIP).getEntries()
    .filter((e) => e.entryName.endsWith('.json'))
    .map((e) => JSON.parse(e.getData().toString('utf8')) as ResourceSchema);
  const byName = new Map(schemas.map((s) => [s.typeName, s]));

  await t.test('every validator compiles; compile times', () => {
    // One pass: a fresh validator's first call with the type's required properties (what a first CreateResource
    // compiles), then the rest of its properties (compileAll), then the list handlerSchema when there is one.
    const first: Array<[number, string]> = [];
    const full: Array<[number, string]> = [];
    let lists = 0;
    for (const schema of schemas) {
      const required = Object.fromEntries((schema.required ?? []).map((n) => [n, 'x']));
      const start = performance.now();
      const v = compileModelValidator(schema);
      assert.ok(Array.isArray(v(required)), schema.typeName);
      first.push([performance.now() - start, schema.typeName]);
      v.compileAll();
      full.push([performance.now() - start, schema.typeName]);
      const list = compileListModelValidator(schema);
      if (list) {
        lists++;
        assert.ok(Array.isArray(list(undefined)), schema.typeName);
      }
    }
    for (const [label, rows] of [['first validation (required properties)', first], ['whole schema', full]] as const) {
      const sorted = rows.map((r) => r[0]).sort((a, b) => a - b);
      const max = rows.reduce((a, b) => (b[0] > a[0] ? b : a));
      t.diagnostic(`${label}: median ${ms(quantile(sorted, 0.5))}, p90 ${ms(quantile(sorted, 0.9))}, max ${ms(max[0])} (${max[1]}), total ${ms(sorted.reduce((a, b) => a + b, 0))}`);
    }
    const qs = (rows: Array<[number, string]>) => rows.find((r) => r[1] === 'AWS::QuickSight::Analysis')?.[0] ?? NaN;
    t.diagnostic(`AWS::QuickSight::Analysis: first validation ${ms(qs(first))}, whole schema ${ms(qs(full))}; ${lists} list handlerSchemas compiled`);
    assert.equal(first.length, schemas.length);
    assert.ok(lists > 300, `${lists} handlerSchemas`);
    assert.deepStrictEqual([...patternFallbacks().keys()].filter((p) => p !== '^\\p{InGreek}+$'), [], 'no bundle pattern falls back to match-all');
  });

  await t.test('lazily compiled and whole-schema validators agree on random models deep in the schemas', () => {
    // Models drawn from each schema (every 10th type, 12 models each, fixed seed), reaching nested definitions,
    // mostly invalid somewhere. A full run (1,665 types × 45 models, two seeds) showed no difference.
    let seed = 20_241_128;
    const random = () => (seed = (seed * 1_103_515_245 + 12_345) & 0x7fffffff) / 0x7fffffff;
    const pick = <T>(a: readonly T[]): T => a[Math.floor(random() * a.length)]!;
    const odd = [1, 'x', {}, [], null, true, 1.5, '', 'a'.repeat(300)];
    const draw = (schema: ResourceSchema, node: JsonSchema | undefined, depth: number): unknown => {
      for (let i = 0; i < 20 && typeof node?.$ref === 'string'; i++) node = schema.definitions?.[decodeURIComponent(node.$ref.split('/').pop()!)] as JsonSchema | undefined;
      if (!node || typeof node !== 'object' || depth > 8 || random() < 0.08) return pick(odd);
      const branches = (node.oneOf ?? node.anyOf) as JsonSchema[] | undefined;
      if (branches && random() < 0.7) return draw(schema, { ...node, oneOf: undefined, anyOf: undefined, ...pick(branches) }, depth + 1);
      if (Array.isArray(node.enum)) return random() < 0.8 ? pick(node.enum) : 'NOPE';
      const type = Array.isArray(node.type) ? pick(node.type) : node.type ?? (node.properties ? 'object' : node.items ? 'array' : undefined);
      switch (type) {
        case 'object': {
          const o: Record<string, unknown> = {};
          const required = (node.required ?? []) as string[];
          for (const [k, p] of Object.entries((node.properties ?? {}) as Record<string, JsonSchema>)) {
            if (random() < 0.6 || (required.includes(k) && random() < 0.9)) o[k] = draw(schema, p, depth + 1);
          }
          if (random() < 0.1) o.Bogus = 1;
          return o;
        }
        case 'array':
          return Array.from({ length: pick([0, 1, 1, 2, 3]) }, () => draw(schema, (Array.isArray(node.items) ? node.items[0] : node.items) as JsonSchema, depth + 1));
        case 'string': return pick(['x', 'abc', '', 'ccapi-1', '2020-01-01T00:00:00Z', 'arn:aws:s3:::b', 'A'.repeat(70)]);
        case 'integer': return pick([0, 1, 5, -1, 100_000]);
        case 'number': return pick([0, 1.5, -3]);
        case 'boolean': return pick([true, false, 'true']);
        default: return pick(odd);
      }
    };
    let compared = 0;
    let invalid = 0;
    schemas.filter((_, i) => i % 10 === 0).forEach((schema) => {
      const lazy = compileModelValidator(schema);
      const whole = compileModelValidator(schema, { whole: true });
      for (let k = 0; k < 12; k++) {
        const model = draw(schema, { type: 'object', properties: schema.properties, required: schema.required }, 0);
        const expected = whole(model);
        compared++;
        if (expected.length) invalid++;
        const actual = lazy(model);
        if (!isDeepStrictEqual(actual, expected)) assert.deepStrictEqual(actual, expected, `${schema.typeName} ${JSON.stringify(model).slice(0, 300)}`);
      }
    });
    t.diagnostic(`lazy vs whole: ${compared} random models compared, ${invalid} of them invalid`);
    assert.ok(compared > 1_500 && invalid > compared / 2, `${compared} models, ${invalid} invalid`);
  });

  await t.test('per-property and whole-schema validators agree on probing models', () => {
    // A sample (every 20th type) keeps this cheap; a full comparison (1,665 types × 14 models) showed no difference.
    let compared = 0;
    schemas.filter((_, i) => i % 20 === 0).forEach((schema) => {
      const names = Object.keys(schema.properties ?? {});
      const all = (value: unknown) => Object.fromEntries(names.map((n) => [n, structuredClone(value)]));
      const split = compileModelValidator(schema);
      const whole = compileModelValidator(schema, { whole: true });
      for (const model of [{}, all(1), all('x'), all({}), all([{}]), all({ Bogus: 1 }), { ...all(true), Bogus: 1 }]) {
        compared++;
        if (!isDeepStrictEqual(split(model), whole(model))) assert.deepStrictEqual(split(model), whole(model), `${schema.typeName} ${JSON.stringify(model).slice(0, 200)}`);
      }
    });
    assert.ok(compared > 500, `${compared} comparisons`);
  });

  await t.test('AWS::Logs::LogGroup: Java pattern, scrubbed messages, cached validation cost', () => {
    const v = compileModelValidator(byName.get('AWS::Logs::LogGroup')!);
    const valid = { LogGroupName: 'my/group', RetentionInDays: 7, Tags: [{ Key: 'k', Value: 'v' }] };
    assert.deepStrictEqual(v(valid), []);
    assert.deepStrictEqual(v({ LogGroupName: 'a b', RetentionInDays: 8 }), [
      '#/LogGroupName: failed validation constraint for keyword [pattern]',
      '#/RetentionInDays: failed validation constraint for keyword [enum]',
    ]);
    // Its speed (< 20 µs a call) is a bench figure: bench/registry.mjs, part c.
    assert.deepStrictEqual(v(valid), [], 'a cached validator gives the same answer again');
  });

  await t.test('date-time format on a real property (AWS::Scheduler::Schedule StartDate)', () => {
    const v = compileModelValidator(byName.get('AWS::Scheduler::Schedule')!);
    assert.deepStrictEqual(v({ StartDate: '2030-01-01T00:00:00Z' }).filter((m) => m.includes('StartDate')), []);
    assert.deepStrictEqual(v({ StartDate: '2030-01-01' }).filter((m) => m.includes('StartDate')), ['#/StartDate: failed validation constraint for keyword [format]']);
  });

  await t.test('list handlerSchemas: AWS::EKS::Nodegroup, a oneOf, and a "#/properties" ref', () => {
    const nodegroup = resourceTypeFromSchema(byName.get('AWS::EKS::Nodegroup')!, 'registry');
    assert.deepStrictEqual(nodegroup.listModelProperties, ['ClusterName']);
    const violations = nodegroup.validateListModel!(undefined);
    assert.equal(
      listModelError('AWS::EKS::Nodegroup', violations),
      'Missing or invalid ResourceModel property in AWS::EKS::Nodegroup list handler request input.Required property: (#: required key [ClusterName] not found)',
    );
    assert.deepStrictEqual(nodegroup.validateListModel!({ ClusterName: 'prod' }), []);
    assert.deepStrictEqual(nodegroup.validateListModel!({ ClusterName: '' }), ['#/ClusterName: expected minLength: 1, actual: 0']);

    const listener = resourceTypeFromSchema(byName.get('AWS::ElasticLoadBalancingV2::Listener')!, 'registry');
    assert.deepStrictEqual(listener.validateListModel!({}), ['#: #: no subschema matched out of the total 2 subschemas']);
    assert.deepStrictEqual(listener.validateListModel!({ LoadBalancerArn: 'arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/a/b' }), []);

    const task = resourceTypeFromSchema(byName.get('AWS::IoTWireless::TaskDefinition')!, 'registry');
    assert.deepStrictEqual(task.validateListModel!({ TaskDefinitionType: 'UPDATE' }), []);
    assert.deepStrictEqual(task.validateListModel!({ TaskDefinitionType: 'NOPE' }), ['#/TaskDefinitionType: failed validation constraint for keyword [enum]']);
    assert.equal(resourceTypeFromSchema(byName.get('AWS::SQS::Queue')!, 'registry').validateListModel, undefined);
    const logGroups = resourceTypeFromSchema(byName.get('AWS::Logs::LogGroup')!, 'registry');
    assert.deepStrictEqual(logGroups.validateListModel!(undefined), [], 'a handlerSchema with no required property');
    assert.deepStrictEqual(logGroups.validateListModel!({ LogGroupName: 'a b' }), ['#/LogGroupName: failed validation constraint for keyword [pattern]']);
  });
});
