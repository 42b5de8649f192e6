import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ServiceError } from '../protocol/errors.js';
import { resourceTypeFromSchema } from './catalogue.js';
import { describeIdentifier, parseIdentifier, primaryIdentifierOf } from './identifiers.js';

const compound = resourceTypeFromSchema(
  {
    typeName: 'Test::Glue::Table',
    properties: { DatabaseName: { type: 'string' }, TableName: { type: 'string' }, Arn: { type: 'string' } },
    primaryIdentifier: ['/properties/DatabaseName', '/properties/TableName'],
    additionalIdentifiers: [['/properties/Arn']],
  },
  'custom',
);
const single = resourceTypeFromSchema({ typeName: 'Test::Logs::Group', properties: { Name: { type: 'string' } }, primaryIdentifier: ['/properties/Name'] }, 'custom');

test('string form: compound values in schema order', () => {
  const parsed = parseIdentifier(compound, 'db|tbl');
  assert.equal(parsed.primary, 'db|tbl');
  assert.equal(parsed.values.get('/properties/TableName'), 'tbl');
});

test('string form of a single identifier keeps any | in the value', () => {
  assert.equal(parseIdentifier(single, 'a|b').primary, 'a|b');
});

test('JSON form, in any key order, gives the canonical primary form', () => {
  assert.equal(parseIdentifier(compound, '{"TableName":"tbl","DatabaseName":"db"}').primary, 'db|tbl');
  assert.equal(parseIdentifier(single, '{"Name":"x"}').primary, 'x');
});

test('secondary identifiers only as JSON', () => {
  const parsed = parseIdentifier(compound, '{"Arn":"arn:aws:glue:x"}');
  assert.equal(parsed.primary, undefined);
  assert.deepEqual(parsed.set, ['/properties/Arn']);
});

test('malformed identifiers get a ValidationException that shows the expected form', () => {
  assert.throws(() => parseIdentifier(compound, 'only-one'), (e: ServiceError) => e.code === 'ValidationException' && /expected 2 values joined by '\|' in the order \[\/properties\/DatabaseName, \/properties\/TableName\]/.test(e.message));
  assert.throws(() => parseIdentifier(compound, '{"TableName":"t"}'), (e: ServiceError) => /you must specify exactly one identifier from \[\[\/properties\/DatabaseName, \/properties\/TableName\], \[\/properties\/Arn\]\]/.test(e.message));
  assert.throws(() => parseIdentifier(compound, '{"TableName":"t","DatabaseName":"d","Extra":1}'), (e: ServiceError) => e.code === 'ValidationException');
});

test('primary identifier of a model, and how messages render it', () => {
  assert.equal(primaryIdentifierOf(compound, { DatabaseName: 'db', TableName: 'tbl' }), 'db|tbl');
  assert.equal(primaryIdentifierOf(compound, { DatabaseName: 'db' }), undefined);
  assert.equal(describeIdentifier(compound, 'db|tbl'), '{"/properties/DatabaseName":"db","/properties/TableName":"tbl"}');
});
