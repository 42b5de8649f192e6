import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ServiceError } from '../protocol/errors.js';
import { resourceTypeFromSchema } from './catalogue.js';
import { parsePatchDocument, patchedModel } from './update-model.js';

const type = resourceTypeFromSchema(
  {
    typeName: 'Test::Secret::Thing',
    properties: {
      Name: { type: 'string' },
      Size: { type: 'integer' },
      Secret: { type: 'string' },
      Engine: { type: 'string' },
      Tags: { type: 'array', items: { type: 'object', properties: { Key: { type: 'string' }, Value: { type: 'string' } } } },
      Arn: { type: 'string' },
    },
    additionalProperties: false,
    primaryIdentifier: ['/properties/Name'],
    readOnlyProperties: ['/properties/Arn'],
    createOnlyProperties: ['/properties/Name', '/properties/Engine'],
    writeOnlyProperties: ['/properties/Secret'],
  },
  'custom',
);
const current = { Name: 'n', Size: 1, Engine: 'pg', Tags: [{ Key: 'a', Value: '1' }], Arn: 'arn:x' };

function rejects(patch: unknown[], code: string, message: RegExp) {
  assert.throws(() => patchedModel(type, current, parsePatchDocument(JSON.stringify(patch))), (e: ServiceError) => {
    assert.equal(e.code, code);
    assert.match(e.message, message);
    return true;
  });
}

test('the patch applies to the model without readOnly properties', () => {
  const out = patchedModel(type, current, parsePatchDocument('[{"op":"replace","path":"/Size","value":2}]'));
  assert.deepEqual(out, { Name: 'n', Size: 2, Engine: 'pg', Tags: [{ Key: 'a', Value: '1' }] });
  assert.equal(current.Size, 1, 'the current model is not mutated');
});

test('paths without a leading slash are accepted', () => {
  assert.equal(patchedModel(type, current, parsePatchDocument('[{"op":"replace","path":"Size","value":3}]')).Size, 3);
});

test('an empty patch is accepted and changes nothing', () => {
  assert.deepEqual(patchedModel(type, current, []), { Name: 'n', Size: 1, Engine: 'pg', Tags: [{ Key: 'a', Value: '1' }] });
});

test('readOnly, createOnly and writeOnly rules, worded as AWS words them', () => {
  rejects([{ op: 'add', path: '/Arn', value: 'y' }], 'ValidationException', /^Invalid patch update: readOnlyProperties \[\/properties\/Arn\] cannot be updated$/);
  rejects([{ op: 'replace', path: '/Engine', value: 'mysql' }], 'NotUpdatableException', /^Invalid patch update: createOnlyProperties \[\/properties\/Engine\] cannot be updated$/);
  rejects([{ op: 'remove', path: '/Engine' }], 'NotUpdatableException', /createOnlyProperties \[\/properties\/Engine\]/);
  rejects([{ op: 'replace', path: '/Secret', value: 's' }], 'ValidationException', /^Invalid patch update: writeOnlyProperties \[\/Secret\] can only be updated using 'add' operation$/);
  assert.equal(patchedModel(type, current, [{ op: 'add', path: '/Secret', value: 's' }]).Secret, 's');
});

test('any operation on a read-only path is refused as read-only, though the patch base has no read-only values', () => {
  const readOnly = /^Invalid patch update: readOnlyProperties \[\/properties\/Arn\] cannot be updated$/;
  for (const op of [
    { op: 'replace', path: '/Arn', value: 'y' },
    { op: 'remove', path: '/Arn' },
    { op: 'test', path: '/Arn', value: 'arn:x' },
    { op: 'copy', from: '/Name', path: '/Arn' },
    { op: 'move', from: '/Arn', path: '/Size' },
    { op: 'replace', path: 'Arn', value: 'y' },
  ]) rejects([op], 'ValidationException', readOnly);
});

test('a failing test op or a bad path rejects the whole patch, in the service\'s (zjsonpatch) words', () => {
  rejects([{ op: 'replace', path: '/Size', value: 5 }, { op: 'test', path: '/Engine', value: 'mysql' }], 'ValidationException', /^\[TEST Operation\] value mismatch$/);
  rejects([{ op: 'remove', path: '/Tags/5' }], 'ValidationException', /^\[REMOVE Operation\] noSuchPath in source, path provided : \/\/Tags\/5$/);
  rejects([{ op: 'replace', path: '/Bogus', value: 1 }], 'ValidationException', /^\[REPLACE Operation\] noSuchPath in source, path provided : \/\/Bogus$/);
  rejects([{ op: 'jump', path: '/Size' }], 'ValidationException', /^Invalid patch update: /);
});

test('the patched model is validated against the schema', () => {
  rejects([{ op: 'replace', path: '/Size', value: 'big' }], 'ValidationException', /^Model validation failed \(#\/Size: expected type: Integer, found: String\)$/);
  rejects([{ op: 'add', path: '/Bogus', value: 1 }], 'ValidationException', /extraneous key \[Bogus\] is not permitted/);
});

test('a PatchDocument that is not a JSON array is a ValidationException', () => {
  assert.throws(() => parsePatchDocument('{"op":"add"}'), (e: ServiceError) => e.code === 'ValidationException');
  assert.throws(() => parsePatchDocument('[{'), (e: ServiceError) => e.code === 'ValidationException');
});

test('adding a createOnly property that was absent at creation is a change (an existing SQS queue cannot become FIFO)', () => {
  const withoutEngine = { Name: 'n', Size: 1 };
  assert.throws(() => patchedModel(type, withoutEngine, [{ op: 'add', path: '/Engine', value: 'pg' }]), (e: ServiceError) => {
    assert.equal(e.code, 'NotUpdatableException');
    assert.equal(e.message, 'Invalid patch update: createOnlyProperties [/properties/Engine] cannot be updated');
    return true;
  });
});

test('a createOnly property that is also writeOnly cannot be patched, even with add (reads never show its value)', () => {
  const sealed = resourceTypeFromSchema(
    {
      typeName: 'Test::Sealed::Thing',
      properties: { Name: { type: 'string' }, InitialKey: { type: 'string' }, Size: { type: 'integer' } },
      additionalProperties: false,
      primaryIdentifier: ['/properties/Name'],
      createOnlyProperties: ['/properties/Name', '/properties/InitialKey'],
      writeOnlyProperties: ['/properties/InitialKey'],
    },
    'custom',
  );
  // Semantics reference §1.3: "A createOnly+writeOnly property supplied in a patch counts as a change" (pulumi-aws-native#2936).
  assert.throws(() => patchedModel(sealed, { Name: 'n' }, [{ op: 'add', path: '/InitialKey', value: 'k' }]), (e: ServiceError) => {
    assert.equal(e.code, 'NotUpdatableException');
    assert.equal(e.message, 'Invalid patch update: createOnlyProperties [/properties/InitialKey] cannot be updated');
    return true;
  });
  assert.deepEqual(patchedModel(sealed, { Name: 'n' }, [{ op: 'add', path: '/Size', value: 2 }]), { Name: 'n', Size: 2 }, 'other properties still patch');
});

test('a patch that would grow the model past 262,144 characters is refused (no response can carry such a model)', () => {
  const big = 'x'.repeat(150_000);
  const grown = { Name: 'n', Size: 1, Tags: [{ Key: 'a', Value: big }] };
  assert.throws(() => patchedModel(type, grown, [{ op: 'add', path: '/Tags/-', value: { Key: 'b', Value: big } }]), (e: ServiceError) => {
    assert.equal(e.code, 'ValidationException');
    assert.match(e.message, /^Invalid patch update: the patched model is \d+ characters long; a resource model has at most 262144$/);
    return true;
  });
  assert.equal(patchedModel(type, grown, [{ op: 'replace', path: '/Size', value: 2 }]).Size, 2, 'a model within the limit still patches');
});

test('an object whose members are all write-only is absent from the patch base, as AWS reads it (Lambda Code)', () => {
  const lambda = resourceTypeFromSchema(
    {
      typeName: 'Test::Lambda::Function',
      properties: {
        FunctionName: { type: 'string' },
        Handler: { type: 'string' },
        Code: { type: 'object', properties: { ZipFile: { type: 'string' }, S3Key: { type: 'string' } }, additionalProperties: false },
      },
      additionalProperties: false,
      required: ['Code'],
      primaryIdentifier: ['/properties/FunctionName'],
      writeOnlyProperties: ['/properties/Code/ZipFile', '/properties/Code/S3Key'],
    },
    'custom',
  );
  const stored = { FunctionName: 'f', Handler: 'index.a', Code: { ZipFile: 'x' } };
  const patch = (ops: unknown[]) => () => patchedModel(lambda, stored, parsePatchDocument(JSON.stringify(ops)));
  // AWS (pulumi/pulumi-aws-native#277): "Model validation failed (#: required key [Code] not found)" for a
  // Handler-only patch, and "[REPLACE Operation] noSuchPath in source, path provided : //Code" for a replace of /Code.
  assert.throws(patch([{ op: 'replace', path: '/Handler', value: 'index.b' }]), { message: 'Model validation failed (#: required key [Code] not found)' });
  assert.throws(patch([{ op: 'replace', path: '/Code', value: { ZipFile: 'y' } }]), { message: '[REPLACE Operation] noSuchPath in source, path provided : //Code' });
  assert.deepEqual(patch([{ op: 'replace', path: '/Handler', value: 'index.b' }, { op: 'add', path: '/Code', value: { ZipFile: 'y' } }])(), {
    FunctionName: 'f', Handler: 'index.b', Code: { ZipFile: 'y' },
  }, 'a patch that adds Code again (as Terraform awscc sends it) goes through');
});

test('a patch path through a scalar value is a ValidationException (found by mutation testing: it was a TypeError)', () => {
  rejects([{ op: 'add', path: '/Size/x', value: 1 }], 'ValidationException', /^\[ADD Operation\] parent is not a container in source, path provided : \/\/Size\/x \| node : 1$/);
  rejects([{ op: 'add', path: '/Name/0', value: 'x' }], 'ValidationException', /^\[ADD Operation\] parent is not a container in source/);
});

test('a createOnly+writeOnly value supplied from above it, even the stored value, is a change (found by mutation testing)', () => {
  const sealed = resourceTypeFromSchema(
    {
      typeName: 'Test::Sealed::Nested',
      properties: {
        Name: { type: 'string' },
        InitialKey: { type: 'string' },
        Config: { type: 'object', properties: { Key: { type: 'string' }, Size: { type: 'integer' } }, additionalProperties: false },
      },
      additionalProperties: false,
      primaryIdentifier: ['/properties/Name'],
      createOnlyProperties: ['/properties/Name', '/properties/InitialKey', '/properties/Config/Key'],
      writeOnlyProperties: ['/properties/InitialKey', '/properties/Config/Key'],
    },
    'custom',
  );
  // The stored model keeps write-only values; the patch base never has them, so any value there came from the patch.
  const stored = { Name: 'n', InitialKey: 'k', Config: { Key: 'c', Size: 1 } };
  const notUpdatable = (patch: unknown[], pointer: string) =>
    assert.throws(() => patchedModel(sealed, stored, patch as never), (e: ServiceError) => {
      assert.equal(e.code, 'NotUpdatableException');
      assert.equal(e.message, `Invalid patch update: createOnlyProperties [${pointer}] cannot be updated`);
      return true;
    });
  notUpdatable([{ op: 'replace', path: '', value: { Name: 'n', InitialKey: 'k', Config: { Size: 1 } } }], '/properties/InitialKey');
  notUpdatable([{ op: 'replace', path: '/Config', value: { Key: 'c', Size: 2 } }], '/properties/Config/Key');
  notUpdatable([{ op: 'add', path: '/Config/Key', value: 'c' }], '/properties/Config/Key');
  assert.deepEqual(patchedModel(sealed, stored, [{ op: 'replace', path: '/Config', value: { Size: 2 } }]), { Name: 'n', Config: { Size: 2 } }, 'leaving them out is no change');
});
