// Identifier forms in detail (semantics reference §4): JSON and string forms, their errors in full, and the
// helpers that compare and rebuild identifiers. Types are bare schemas: nothing here needs a validator.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ServiceError } from '../protocol/errors.js';
import { describeIdentifier, identifierModel, modelMatches, parseIdentifier, primaryIdentifierOf } from './identifiers.js';
import type { ResourceType } from './types.js';

const typeOf = (typeName: string, primaryIdentifier: string[], additionalIdentifiers?: string[][]) =>
  ({ typeName, schema: { typeName, properties: {}, primaryIdentifier, ...(additionalIdentifiers ? { additionalIdentifiers } : {}) } }) as unknown as ResourceType;

const table = typeOf('Test::Glue::Table', ['/properties/DatabaseName', '/properties/TableName'], [['/properties/Arn'], ['/properties/Catalog', '/properties/Id']]);
const group = typeOf('Test::Logs::Group', ['/properties/Name']);
const triple = typeOf('Test::Three::Part', ['/properties/A', '/properties/B', '/properties/C']);

function invalid(type: ResourceType, input: string, message: string) {
  assert.throws(() => parseIdentifier(type, input), (e: unknown) => {
    assert.ok(e instanceof ServiceError, String(e));
    assert.equal(e.code, 'ValidationException');
    assert.equal(e.message, message);
    return true;
  });
}

const entries = (values: ReadonlyMap<string, string>) => [...values.entries()];

test('JSON form: numbers and booleans are values, as strings; whitespace before the brace is allowed', () => {
  const parsed = parseIdentifier(table, ' \n{"TableName": 7, "DatabaseName": true}');
  assert.deepEqual(parsed.set, table.schema.primaryIdentifier);
  assert.deepEqual(entries(parsed.values), [['/properties/DatabaseName', 'true'], ['/properties/TableName', '7']]);
  assert.equal(parsed.primary, 'true|7');
});

test('JSON form: a secondary identifier set, compound too, has no primary form', () => {
  const parsed = parseIdentifier(table, '{"Id":"i","Catalog":"c"}');
  assert.deepEqual(parsed.set, ['/properties/Catalog', '/properties/Id']);
  assert.deepEqual(entries(parsed.values), [['/properties/Catalog', 'c'], ['/properties/Id', 'i']]);
  assert.equal('primary' in parsed, false);
});

test('JSON form: anything but exactly one identifier set is refused, naming the sets', () => {
  const sets = 'When specifying the identifier as JSON, you must specify exactly one identifier from [[/properties/DatabaseName, /properties/TableName], [/properties/Arn], [/properties/Catalog, /properties/Id]], and no additional properties can be specified';
  invalid(table, '{"TableName":"t"}', sets);
  invalid(table, '{"TableName":"t","DatabaseName":"d","Arn":"a"}', sets);
  invalid(table, '{"Arn":"a","Id":"i"}', sets);
  invalid(table, '{}', sets);
  invalid(group, '{"Other":"x"}', 'When specifying the identifier as JSON, you must specify exactly one identifier from [[/properties/Name]], and no additional properties can be specified');
});

test('JSON form: each value must be a non-empty string, number or boolean', () => {
  for (const value of ['""', 'null', '{}', '[1]']) {
    invalid(table, `{"Arn":${value}}`, 'Identifier property /properties/Arn must be a non-empty string, number or boolean');
  }
  invalid(table, '{"DatabaseName":"d","TableName":""}', 'Identifier property /properties/TableName must be a non-empty string, number or boolean');
  assert.equal(parseIdentifier(group, '{"Name":0}').primary, '0');
  assert.equal(parseIdentifier(group, '{"Name":false}').primary, 'false');
});

test('text that only looks like JSON is the string form', () => {
  // Not an object: the whole text is the (single) identifier value.
  for (const input of ['{not json', '[1,2]', '"quoted"', '{"a":1} trailing', 'x{"Name":"y"}']) {
    const parsed = parseIdentifier(group, input);
    assert.equal(parsed.primary, input);
    assert.deepEqual(entries(parsed.values), [['/properties/Name', input]]);
    assert.deepEqual(parsed.set, ['/properties/Name']);
  }
  invalid(table, '{broken|', "Identifier '{broken|' is not valid for type Test::Glue::Table: expected 2 values joined by '|' in the order [/properties/DatabaseName, /properties/TableName]");
});

test('string form: exactly as many values as the primary identifier has, none empty; extra | belong to the last value', () => {
  const expected = (input: string) => `Identifier '${input}' is not valid for type Test::Three::Part: expected 3 values joined by '|' in the order [/properties/A, /properties/B, /properties/C]`;
  for (const input of ['a|b', 'a', '|b|c', 'a||c', 'a|b|', '']) invalid(triple, input, expected(input));
  const parsed = parseIdentifier(triple, 'a|b|c|d|e');
  assert.deepEqual(entries(parsed.values), [['/properties/A', 'a'], ['/properties/B', 'b'], ['/properties/C', 'c|d|e']]);
  assert.equal(parsed.primary, 'a|b|c|d|e');
  assert.deepEqual(entries(parseIdentifier(triple, 'x|y|z').values), [['/properties/A', 'x'], ['/properties/B', 'y'], ['/properties/C', 'z']]);
  assert.deepEqual(entries(parseIdentifier(triple, 'x|y||').values), [['/properties/A', 'x'], ['/properties/B', 'y'], ['/properties/C', '|']]);
});

test('primaryIdentifierOf: scalars as strings, joined in schema order; undefined while a part is missing or empty', () => {
  assert.equal(primaryIdentifierOf(table, { TableName: 5, DatabaseName: false }), 'false|5');
  assert.equal(primaryIdentifierOf(table, { DatabaseName: 'd', TableName: '' }), undefined);
  assert.equal(primaryIdentifierOf(table, { DatabaseName: '', TableName: 't' }), undefined);
  assert.equal(primaryIdentifierOf(table, { DatabaseName: 'd', TableName: { x: 1 } }), undefined);
  assert.equal(primaryIdentifierOf(group, { Name: 'n' }), 'n');
  assert.equal(primaryIdentifierOf(group, null), undefined);
});

test('modelMatches: every value of the identifier, compared as strings', () => {
  const byArn = parseIdentifier(table, '{"Arn":"arn:1"}');
  assert.equal(modelMatches({ Arn: 'arn:1', Other: 1 }, byArn), true);
  assert.equal(modelMatches({ Arn: 'arn:2' }, byArn), false);
  assert.equal(modelMatches({}, byArn), false);
  const byPair = parseIdentifier(table, '{"Catalog":"c","Id":"3"}');
  assert.equal(modelMatches({ Catalog: 'c', Id: 3 }, byPair), true);
  assert.equal(modelMatches({ Catalog: 'c', Id: 4 }, byPair), false);
  assert.equal(modelMatches({ Catalog: 'x', Id: 3 }, byPair), false);
});

test('describeIdentifier: pointer-keyed JSON, a single value kept whole, missing parts empty', () => {
  assert.equal(describeIdentifier(group, 'a|b'), '{"/properties/Name":"a|b"}');
  assert.equal(describeIdentifier(table, 'd|t'), '{"/properties/DatabaseName":"d","/properties/TableName":"t"}');
  assert.equal(describeIdentifier(table, 'd'), '{"/properties/DatabaseName":"d","/properties/TableName":""}');
});

test('identifierModel: a model holding just the identifier values', () => {
  assert.deepEqual(identifierModel(parseIdentifier(table, 'd|t')), { DatabaseName: 'd', TableName: 't' });
  assert.deepEqual(identifierModel(parseIdentifier(table, '{"Arn":"a"}')), { Arn: 'a' });
  assert.deepEqual(identifierModel({ set: [], values: new Map() }), {});
});

test('JSON form: a set whose pointers are not in alphabetical order is still found', () => {
  const zoned = typeOf('Test::Zone::Thing', ['/properties/Zone', '/properties/Name']);
  const parsed = parseIdentifier(zoned, '{"Name":"n","Zone":"z"}');
  assert.equal(parsed.primary, 'z|n');
});
