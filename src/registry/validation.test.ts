// Tests for model validation: each everit-style message form, against small hand-written schemas.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileModelValidator, modelValidationFailed } from './validation.js';
import type { JsonSchema, ResourceSchema } from './types.js';

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
    '#/P: string [abc] does not match pattern ^a$',
  ]);
});

test('enum, numeric bounds', () => {
  const props = { E: { type: 'string', enum: ['x', 'y'] }, Max: { type: 'integer', maximum: 20 }, Min: { type: 'integer', minimum: 1 } };
  assert.deepStrictEqual(check(props, { E: 'abc', Max: 21, Min: 0 }), [
    '#/E: abc is not a valid enum value',
    '#/Max: 21 is not less or equal to 20',
    '#/Min: 0 is not greater or equal to 1',
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

test('bad patterns never throw: Java syntax falls back to a non-unicode or match-all RegExp', () => {
  const props = { L: { type: 'string', pattern: '^[a-z]{1,5}\\Z' }, G: { type: 'string', pattern: '(?i)abc' } };
  const v = compileModelValidator(schemaWith(props));
  assert.deepStrictEqual(v({ G: 'anything' }), []);
  assert.ok(Array.isArray(v({ L: 'abc' })));
});

test('CloudFormation keywords inside properties are accepted', () => {
  const props = { T: { type: 'array', insertionOrder: false, arrayType: 'AttributeList', items: { type: 'string', relationshipRef: { typeName: 'AWS::X::Y', propertyPath: '/properties/Arn' } } } };
  assert.deepStrictEqual(check(props, { T: ['a'] }), []);
});

test('modelValidationFailed joins violations the way AWS does', () => {
  assert.equal(modelValidationFailed(['#: a']), 'Model validation failed (#: a)');
  assert.equal(modelValidationFailed(['#/A: x', '#/B: y']), 'Model validation failed (#/A: x\n    #/B: y)');
});
