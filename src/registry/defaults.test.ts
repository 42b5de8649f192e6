// Tests for applyDefaults: small hand-written schemas for each rule, then a real schema of the official bundle.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import AdmZip from 'adm-zip';
import { applyDefaults } from './defaults.js';
import { resourceTypeFromSchema } from './catalogue.js';
import type { JsonSchema, ResourceSchema } from './types.js';
import { OFFICIAL_BUNDLE as OFFICIAL_ZIP, skipIfMissing } from '../../test/support/prerequisites.js';

const schema = (properties: Record<string, JsonSchema>, definitions?: Record<string, JsonSchema>): ResourceSchema => ({
  typeName: 'Test::Defaults::Thing',
  properties,
  ...(definitions ? { definitions } : {}),
  primaryIdentifier: ['/properties/Id'],
});

test('absent top-level properties get their default; present ones (even null) are kept', () => {
  const s = schema({ Id: { type: 'string' }, Mode: { type: 'string', default: 'LOW' }, Count: { type: 'integer', default: 3 }, On: { type: 'boolean', default: false } });
  assert.deepStrictEqual(applyDefaults(s, { Id: 'a' }), { Id: 'a', Mode: 'LOW', Count: 3, On: false });
  assert.deepStrictEqual(applyDefaults(s, { Id: 'a', Mode: 'HIGH', Count: null }), { Id: 'a', Mode: 'HIGH', Count: null, On: false });
});

test('returns a copy: the model and the schema defaults are never shared or changed', () => {
  const s = schema({ Opts: { type: 'object', default: { a: [1] } }, Name: { type: 'string' } });
  const model: Record<string, unknown> = { Name: 'n' };
  const out = applyDefaults(s, model);
  assert.deepStrictEqual(model, { Name: 'n' });
  (out.Opts as { a: number[] }).a.push(2);
  assert.deepStrictEqual(s.properties.Opts!.default, { a: [1] });
  assert.notEqual(applyDefaults(s, model), out);
});

test('nested objects the model has are completed, through $refs into definitions; absent ones are not created', () => {
  const s = schema(
    { Config: { $ref: '#/definitions/Config' }, Other: { $ref: '#/definitions/Config' } },
    {
      Config: { type: 'object', properties: { Size: { type: 'integer', default: 250 }, Inner: { $ref: '#/definitions/Inner' } } },
      Inner: { type: 'object', properties: { Level: { $ref: '#/definitions/Level' } } },
      Level: { type: 'string', default: 'INFO' },
    },
  );
  assert.deepStrictEqual(applyDefaults(s, { Config: { Inner: {} } }), { Config: { Inner: { Level: 'INFO' }, Size: 250 } });
  assert.deepStrictEqual(applyDefaults(s, {}), {});
});

test('arrays of objects: each item is completed', () => {
  const s = schema(
    { Endpoints: { type: 'array', items: { $ref: '#/definitions/Endpoint' } } },
    { Endpoint: { type: 'object', properties: { Id: { type: 'string' }, Weight: { type: 'integer', default: 100 } } } },
  );
  assert.deepStrictEqual(applyDefaults(s, { Endpoints: [{ Id: 'a' }, { Id: 'b', Weight: 5 }] }), {
    Endpoints: [{ Id: 'a', Weight: 100 }, { Id: 'b', Weight: 5 }],
  });
});

test('a default beside a $ref wins over the referenced one; allOf branches apply; oneOf/anyOf do not', () => {
  const s = schema(
    {
      Level: { $ref: '#/definitions/Level', default: 'WARN' },
      Both: { type: 'object', allOf: [{ properties: { A: { default: 1 } } }, { properties: { B: { default: 2 } } }] },
      Either: { type: 'object', oneOf: [{ properties: { C: { default: 3 } } }, { properties: { D: { default: 4 } } }] },
    },
    { Level: { type: 'string', default: 'INFO' } },
  );
  assert.deepStrictEqual(applyDefaults(s, { Both: {}, Either: {} }), { Level: 'WARN', Both: { A: 1, B: 2 }, Either: {} });
});

test('"default": null is not applied (a handler returns no value for it)', () => {
  assert.deepStrictEqual(applyDefaults(schema({ Flag: { type: 'boolean', default: null } }), {}), {});
});

test('a recursive definition terminates', () => {
  const s = schema({ Root: { $ref: '#/definitions/Node' } }, {
    Node: { type: 'object', properties: { Kind: { type: 'string', default: 'leaf' }, Child: { $ref: '#/definitions/Node' } } },
    Loop: { $ref: '#/definitions/Loop' },
  });
  assert.deepStrictEqual(applyDefaults(s, { Root: { Child: { Child: {} } } }), {
    Root: { Kind: 'leaf', Child: { Kind: 'leaf', Child: { Kind: 'leaf' } } },
  });
  assert.deepStrictEqual(applyDefaults(schema({ L: { $ref: '#/definitions/Loop' } }, { Loop: { $ref: '#/definitions/Loop' } }), { L: {} }), { L: {} });
});

test('non-object models are returned as copies, untouched', () => {
  const s = schema({ Mode: { type: 'string', default: 'LOW' } });
  assert.equal(applyDefaults(s, null), null);
  assert.deepStrictEqual(applyDefaults(s, ['x']), ['x']);
});

test('ResourceType.applyDefaults uses the type\'s schema', () => {
  const type = resourceTypeFromSchema(schema({ Id: { type: 'string' }, Mode: { type: 'string', default: 'LOW' } }), 'custom');
  assert.deepStrictEqual(type.applyDefaults({ Id: 'x' }), { Id: 'x', Mode: 'LOW' });
});

test('a real schema with defaults: AWS::IVS::Channel from the official bundle', { skip: skipIfMissing('bundle') }, () => {
  const entry = new AdmZip(OFFICIAL_ZIP).getEntries().find((e) => e.entryName === 'aws-ivs-channel.json');
  assert.ok(entry, 'aws-ivs-channel.json in the bundle');
  const channel = JSON.parse(entry.getData().toString('utf8')) as ResourceSchema;
  const topDefaults = Object.entries(channel.properties).filter(([, p]) => p.default !== undefined && p.default !== null);
  assert.ok(topDefaults.length >= 5, `${topDefaults.length} top-level defaults`);

  const out = applyDefaults(channel, { Name: 'mine', MultitrackInputConfiguration: {} }) as Record<string, unknown>;
  assert.equal(out.Name, 'mine', 'a given value is kept over the default');
  for (const [name, property] of topDefaults) if (name !== 'Name') assert.deepStrictEqual(out[name], property.default, name);
  // The nested object given in the model is completed from its definition's defaults.
  const multitrack = channel.definitions!.MultitrackInputConfiguration!.properties as Record<string, JsonSchema>;
  const nestedDefaults = Object.entries(multitrack).filter(([, p]) => p.default !== undefined);
  assert.ok(nestedDefaults.length >= 1);
  assert.deepStrictEqual(out.MultitrackInputConfiguration, Object.fromEntries(nestedDefaults.map(([n, p]) => [n, p.default])));
  // Defaults fill in values the schema accepts.
  assert.deepStrictEqual(resourceTypeFromSchema(channel, 'registry').validate(out), []);
});

test('a default that its own schema rejects is documentation, not a value, and is skipped', () => {
  const s = schema(
    {
      Start: { type: 'string', format: 'date-time', default: '0' },
      End: { type: 'string', format: 'date-time', default: '2030-01-01T00:00:00Z' },
      Spec: { $ref: '#/definitions/Spec' },
      Size: { type: 'integer', minimum: 1, default: 0 },
    },
    { Spec: { type: 'object', additionalProperties: false, properties: { Strategy: { type: 'string' } }, default: { properties: { Strategy: { const: 'X' } } } } },
  );
  assert.deepStrictEqual(applyDefaults(s, {}), { End: '2030-01-01T00:00:00Z' });
});
