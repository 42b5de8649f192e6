// UpdateResource's patch rules in detail: the PatchDocument's own errors, read-only paths reached through
// move or from above, write-only operations, createOnly comparisons, the size bound to the character, required
// write-only properties, and the desired state handed to the handler.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ServiceError } from '../protocol/errors.js';
import { MAX_MODEL_LENGTH } from '../protocol/operations.js';
import { resourceTypeFromSchema } from './catalogue.js';
import { parsePatchDocument, patchedModel, updateDesiredState, type PatchOperation } from './update-model.js';

const type = resourceTypeFromSchema(
  {
    typeName: 'Test::Rules::Thing',
    properties: {
      Id: { type: 'string' },
      Name: { type: 'string' },
      Note: { type: 'string' },
      Arn: { type: 'string' },
      Arnold: { type: 'string' },
      Zone: { type: 'string' },
      Secret: { type: 'string' },
      Endpoint: { type: 'object', properties: { Address: { type: 'string' }, Port: { type: 'integer' } }, additionalProperties: false },
      Config: { type: 'object', properties: { Mode: { type: 'string' }, Key: { type: 'string' } }, additionalProperties: false },
    },
    additionalProperties: false,
    required: ['Name', 'Secret', 'Config'],
    primaryIdentifier: ['/properties/Id'],
    readOnlyProperties: ['/properties/Id', '/properties/Arn', '/properties/Endpoint/Address'],
    createOnlyProperties: ['/properties/Id', '/properties/Zone', '/properties/Config/Mode'],
    writeOnlyProperties: ['/properties/Secret', '/properties/Config/Key'],
  },
  'custom',
);
const current = { Id: 'i-1', Name: 'n', Arn: 'arn:1', Zone: 'z', Secret: 's', Endpoint: { Address: 'a', Port: 1 }, Config: { Mode: 'm', Key: 'k' } };

function refused(patch: PatchOperation[], code: string, message: string, model: Record<string, unknown> = current) {
  assert.throws(() => patchedModel(type, model, patch), (e: unknown) => {
    assert.ok(e instanceof ServiceError, String(e));
    assert.deepEqual({ code: e.code, message: e.message }, { code, message });
    return true;
  });
}

test('PatchDocument errors, in full', () => {
  const invalid = (text: string, message: string) =>
    assert.throws(() => parsePatchDocument(text), (e: unknown) => e instanceof ServiceError && e.code === 'ValidationException' && e.message === message);
  invalid(`${'['.repeat(65)}${']'.repeat(65)}`, 'PatchDocument nests deeper than 64 levels');
  invalid('[{', 'PatchDocument is not valid JSON: it must be a JSON array of RFC 6902 operations');
  invalid('{"op":"add"}', 'PatchDocument must be a JSON array of RFC 6902 operations');
  invalid('null', 'PatchDocument must be a JSON array of RFC 6902 operations');
  let nested: unknown[] = [];
  for (let i = 1; i < 64; i++) nested = [nested];
  assert.deepEqual(parsePatchDocument(`${'['.repeat(64)}${']'.repeat(64)}`), nested, '64 levels are fine');
  assert.deepEqual(parsePatchDocument('[{"op":"remove","path":"Note"}]'), [{ op: 'remove', path: '/Note' }]);
});

test('read-only: named by the op\'s path, at or under it, or by a move\'s from; a copy from it finds nothing', () => {
  const readOnly = (list: string) => `Invalid patch update: readOnlyProperties [${list}] cannot be updated`;
  refused([{ op: 'replace', path: '/Endpoint/Address', value: 'b' }], 'ValidationException', readOnly('/properties/Endpoint/Address'));
  refused([{ op: 'remove', path: '/Endpoint/Address/x' }], 'ValidationException', readOnly('/properties/Endpoint/Address'));
  refused([{ op: 'add', path: '/Arn', value: 'x' }, { op: 'add', path: '/Id', value: 'y' }], 'ValidationException', readOnly('/properties/Id, /properties/Arn'));
  refused([{ op: 'move', from: '/Arn', path: '/Note' }], 'ValidationException', readOnly('/properties/Arn'));
  refused([{ op: 'copy', from: '/Arn', path: '/Note' }], 'ValidationException', '[COPY Operation] noSuchPath in source, path provided : //Arn');
  // A whole object brought in from above a read-only path.
  refused([{ op: 'replace', path: '/Endpoint', value: { Address: 'b', Port: 2 } }], 'ValidationException', readOnly('/properties/Endpoint/Address'));
  assert.equal(patchedModel(type, current, [{ op: 'add', path: '/Arnold', value: 'x' }, { op: 'add', path: '/Secret', value: 's' }]).Arnold, 'x', 'a name that only starts like a read-only one is free');
  assert.deepEqual(patchedModel(type, current, [{ op: 'replace', path: '/Endpoint', value: { Port: 2 } }, { op: 'add', path: '/Secret', value: 's' }]).Endpoint, { Port: 2 });
});

test('write-only: only add, at the property or under it, named by its model path', () => {
  for (const op of [
    { op: 'replace', path: '/Secret', value: 'x' },
    { op: 'remove', path: '/Secret' },
    { op: 'test', path: '/Secret', value: 's' },
    { op: 'copy', from: '/Name', path: '/Secret' },
    { op: 'move', from: '/Name', path: '/Secret' },
  ] as PatchOperation[]) refused([op], 'ValidationException', "Invalid patch update: writeOnlyProperties [/Secret] can only be updated using 'add' operation");
  refused([{ op: 'replace', path: '/Config/Key/x', value: 1 }], 'ValidationException', "Invalid patch update: writeOnlyProperties [/Config/Key] can only be updated using 'add' operation");
  assert.equal(patchedModel(type, current, [{ op: 'add', path: '/Secret', value: 't' }]).Secret, 't');
});

test('the patched model must be a JSON object', () => {
  for (const value of [[1], null, 'x']) {
    refused([{ op: 'replace', path: '', value }], 'ValidationException', 'Invalid patch update: the patched model must be a JSON object');
  }
  refused([{ op: 'remove', path: '' }], 'ValidationException', 'Invalid patch update: the patched model must be a JSON object');
});

test('createOnly: a nested value compared as it is; read-only ones are no change; several named together', () => {
  refused([{ op: 'replace', path: '/Config/Mode', value: 'other' }, { op: 'add', path: '/Secret', value: 's' }], 'NotUpdatableException', 'Invalid patch update: createOnlyProperties [/properties/Config/Mode] cannot be updated');
  refused(
    [{ op: 'replace', path: '/Zone', value: 'y' }, { op: 'remove', path: '/Config/Mode' }, { op: 'add', path: '/Secret', value: 's' }],
    'NotUpdatableException',
    'Invalid patch update: createOnlyProperties [/properties/Zone, /properties/Config/Mode] cannot be updated',
  );
  const same = patchedModel(type, current, [{ op: 'replace', path: '/Zone', value: 'z' }, { op: 'replace', path: '/Config/Mode', value: 'm' }, { op: 'add', path: '/Secret', value: 's' }]);
  assert.deepEqual(same, { Name: 'n', Zone: 'z', Secret: 's', Endpoint: { Port: 1 }, Config: { Mode: 'm' } }, 'the same value again is no change; Id, read-only and createOnly, is absent and unchanged');
});

test('required write-only properties missing from the patched model are excused; other required ones are not', () => {
  const withoutSecret = patchedModel(type, current, [{ op: 'replace', path: '/Name', value: 'm' }]);
  assert.deepEqual(withoutSecret, { Name: 'm', Zone: 'z', Endpoint: { Port: 1 }, Config: { Mode: 'm' } });
  refused([{ op: 'remove', path: '/Name' }], 'ValidationException', 'Model validation failed (#: required key [Name] not found)');
  // Config holds a write-only member, but is not write-only itself: removing it is the client's mistake.
  refused([{ op: 'remove', path: '/Config' }], 'NotUpdatableException', 'Invalid patch update: createOnlyProperties [/properties/Config/Mode] cannot be updated');
  const loose = resourceTypeFromSchema(
    {
      typeName: 'Test::Rules::Loose',
      properties: { Name: { type: 'string' }, Config: { type: 'object', properties: { Key: { type: 'string' } } } },
      required: ['Config'],
      primaryIdentifier: ['/properties/Name'],
      writeOnlyProperties: ['/properties/Config/Key'],
    },
    'custom',
  );
  assert.throws(() => patchedModel(loose, { Name: 'n', Config: { Key: 'k', Other: 1 } }, [{ op: 'remove', path: '/Config' }]), { message: 'Model validation failed (#: required key [Config] not found)' });
});

test('the size bound: a model of exactly 262,144 characters is accepted, one more is not', () => {
  const plain = resourceTypeFromSchema({ typeName: 'Test::Rules::Big', properties: { Name: { type: 'string' }, Note: { type: 'string' } }, primaryIdentifier: ['/properties/Name'] }, 'custom');
  const frame = JSON.stringify({ Name: 'n', Note: '' }).length;
  const at = (length: number): PatchOperation[] => [{ op: 'add', path: '/Note', value: 'x'.repeat(length - frame) }];
  assert.equal(JSON.stringify(patchedModel(plain, { Name: 'n' }, at(MAX_MODEL_LENGTH))).length, MAX_MODEL_LENGTH);
  assert.throws(() => patchedModel(plain, { Name: 'n' }, at(MAX_MODEL_LENGTH + 1)), {
    message: `Invalid patch update: the patched model is ${MAX_MODEL_LENGTH + 1} characters long; a resource model has at most ${MAX_MODEL_LENGTH}`,
  });
});

test('several violations are listed together, one per line', () => {
  refused([{ op: 'add', path: '/Bogus', value: 1 }, { op: 'remove', path: '/Name' }], 'ValidationException', 'Model validation failed (#: required key [Name] not found\n    #: extraneous key [Bogus] is not permitted)');
});

test('updateDesiredState puts the primary identifier back from the current model, on a copy', () => {
  const patched = { Name: 'n2', Config: { Mode: 'm' } };
  const desired = updateDesiredState(type, current, patched);
  assert.deepEqual(desired, { Name: 'n2', Config: { Mode: 'm' }, Id: 'i-1' });
  assert.deepEqual(patched, { Name: 'n2', Config: { Mode: 'm' } }, 'the patched model is not changed');
  (desired.Config as Record<string, unknown>).Mode = 'changed';
  assert.deepEqual(patched.Config, { Mode: 'm' }, 'a deep copy');
});

test('a move without a from is refused as a malformed patch, also when the type has read-only properties', () => {
  refused([{ op: 'move', path: '/Note' } as PatchOperation], 'ValidationException', 'Invalid patch update: Invalid patch operation at index 0: move requires a string from');
});

test('read-only values brought in from the root are all named', () => {
  refused([{ op: 'replace', path: '', value: { Id: 'x', Name: 'n', Arn: 'a', Secret: 's', Config: {} } }], 'ValidationException', 'Invalid patch update: readOnlyProperties [/properties/Id, /properties/Arn] cannot be updated');
});
