// The JSON Patch wrapper's own rules in full: the shape check's every message, reserved names, path
// normalization, and the answers for the whole document ("").
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyPatchAtomic, normalizePatchPaths, PatchError, validatePatchShape } from './json-patch.js';

function refused(patch: unknown, opIndex: number, message: string, doc: unknown = { A: 1 }) {
  assert.throws(() => applyPatchAtomic(doc, patch), (e: unknown) => {
    assert.ok(e instanceof PatchError, String(e));
    assert.deepEqual({ name: e.name, opIndex: e.opIndex, message: e.message, verbatim: e.verbatim }, { name: 'PatchError', opIndex, message, verbatim: false });
    return true;
  });
}

test('PatchError: its index, and whether its words are the service\'s own', () => {
  const plain = new PatchError(2, 'm');
  assert.deepEqual([plain.name, plain.opIndex, plain.message, plain.verbatim, plain instanceof Error], ['PatchError', 2, 'm', false, true]);
  assert.equal(new PatchError(0, 'm', true).verbatim, true);
});

test('the shape check, message by message', () => {
  refused({ op: 'add' }, -1, 'Invalid patch: the patch document must be a JSON array');
  refused('[]', -1, 'Invalid patch: the patch document must be a JSON array');
  refused([null], 0, 'Invalid patch operation at index 0: not an object');
  refused([{ op: 'test', path: '/A', value: 1 }, []], 1, 'Invalid patch operation at index 1: not an object');
  refused(['add'], 0, 'Invalid patch operation at index 0: not an object');
  for (const op of [undefined, 5, 'ADD', 'merge', '']) {
    refused([{ op, path: '/A', value: 1 }], 0, 'Invalid patch operation at index 0: op must be one of add, remove, replace, move, copy, test');
  }
  refused([{ op: 'remove' }], 0, 'Invalid patch operation at index 0: path must be a string');
  refused([{ op: 'add', path: 'A', value: 1 }], 0, 'Invalid patch operation at index 0: path A is not a JSON pointer');
  refused([{ op: 'copy', path: '/B', from: 'A' }], 0, 'Invalid patch operation at index 0: from A is not a JSON pointer');
  for (const op of ['add', 'replace', 'test']) refused([{ op, path: '/A' }], 0, `Invalid patch operation at index 0: ${op} requires a value`);
  refused([{ op: 'add', path: '/A', ...Object.create({ value: 1 }) }], 0, 'Invalid patch operation at index 0: add requires a value');
  for (const op of ['move', 'copy']) refused([{ op, path: '/A' }], 0, `Invalid patch operation at index 0: ${op} requires a string from`);
  refused([{ op: 'move', from: '/A', path: '/A/b' }], 0, 'Invalid patch operation at index 0: cannot move /A into its own child /A/b');
});

test('what the shape check lets through', () => {
  for (const op of [
    { op: 'remove', path: '/A' },
    { op: 'remove', path: '/A', value: 1, from: 3 },
    { op: 'move', from: '/A', path: '/AB' },
    { op: 'move', from: '/A', path: '/A' },
    { op: 'copy', from: '/A', path: '/A/b' },
    { op: 'add', path: '', value: {} },
  ]) assert.doesNotThrow(() => validatePatchShape([op]), JSON.stringify(op));
  assert.deepEqual(applyPatchAtomic({ A: 1 }, [{ op: 'move', from: '/A', path: '/AB' }]), { AB: 1 });
  assert.deepEqual(applyPatchAtomic({ A: { x: 1 } }, [{ op: 'copy', from: '/A', path: '/A/b' }]), { A: { x: 1, b: { x: 1 } } });
});

test('reserved names, in path or from, at any depth, named in the answer', () => {
  for (const [patch, message] of [
    [[{ op: 'add', path: '/__proto__', value: 1 }], 'Invalid patch operation at index 0: path /__proto__ uses the reserved name __proto__'],
    [[{ op: 'remove', path: '/A' }, { op: 'add', path: '/x/constructor', value: 1 }], 'Invalid patch operation at index 1: path /x/constructor uses the reserved name constructor'],
    [[{ op: 'add', path: '/x/y/prototype', value: 1 }], 'Invalid patch operation at index 0: path /x/y/prototype uses the reserved name prototype'],
    [[{ op: 'move', from: '/constructor', path: '/B' }], 'Invalid patch operation at index 0: from /constructor uses the reserved name constructor'],
  ] as const) refused(patch, patch.length - 1, message);
  assert.deepEqual(applyPatchAtomic({}, [{ op: 'add', path: '/Constructor', value: 1 }, { op: 'add', path: '/proto', value: 2 }]), { Constructor: 1, proto: 2 }, 'only the exact names are reserved');
});

test('the whole document: replaced, tested, or removed (leaving nothing)', () => {
  assert.deepEqual(applyPatchAtomic({ A: 1 }, [{ op: 'replace', path: '', value: { B: 2 } }]), { B: 2 });
  assert.deepEqual(applyPatchAtomic({ A: 1 }, [{ op: 'add', path: '', value: [1] }]), [1]);
  assert.deepEqual(applyPatchAtomic({ A: 1 }, [{ op: 'test', path: '', value: { A: 1 } }]), { A: 1 });
  assert.equal(applyPatchAtomic({ A: 1 }, [{ op: 'remove', path: '' }]), undefined);
  assert.deepEqual(applyPatchAtomic({ A: { B: 1 } }, [{ op: 'move', from: '/A', path: '' }]), { B: 1 });
  assert.throws(() => applyPatchAtomic({ A: 1 }, [{ op: 'test', path: '', value: {} }]), { message: '[TEST Operation] value mismatch', verbatim: true });
});

test('missing paths name the op\'s path, or the from of a move or copy, after one more "/"', () => {
  assert.throws(() => applyPatchAtomic({ L: [1] }, [{ op: 'add', path: '/L/5', value: 1 }]), { message: '[ADD Operation] noSuchPath in source, path provided : //L/5', opIndex: 0, verbatim: true });
  assert.throws(() => applyPatchAtomic({ O: {} }, [{ op: 'remove', path: '/O/r/x' }]), { message: '[REMOVE Operation] noSuchPath in source, path provided : //O/r/x' });
  assert.throws(() => applyPatchAtomic({ r: 1 }, [{ op: 'copy', from: '/rr', path: '/x' }]), { message: '[COPY Operation] noSuchPath in source, path provided : //rr' });
});

test('an empty patch returns an equal copy', () => {
  const doc = { A: [1] };
  const out = applyPatchAtomic(doc, []);
  assert.deepEqual(out, doc);
  assert.notEqual(out, doc);
});

test('normalizePatchPaths: only string paths and froms without a leading "/", nothing else touched', () => {
  const patch = [null, [1], 7, { op: 'move', from: 'a/b', path: 'c' }, { op: 'add', path: 5, from: null }, { op: 'add', path: '/x', from: '' }];
  assert.deepEqual(normalizePatchPaths(patch), [null, [1], 7, { op: 'move', from: '/a/b', path: '/c' }, { op: 'add', path: 5, from: null }, { op: 'add', path: '/x', from: '' }]);
  const input = { op: 'add', path: 'x' };
  const [out] = normalizePatchPaths([input]);
  assert.notEqual(out, input, 'a copy');
  assert.deepEqual(normalizePatchPaths({ path: 'x' }), { path: 'x' });
});

test('a path through a nested scalar names that scalar as the node', () => {
  assert.throws(() => applyPatchAtomic({ O: { x: 1 } }, [{ op: 'add', path: '/O/x/y', value: 2 }]), {
    message: '[ADD Operation] parent is not a container in source, path provided : //O/x/y | node : 1',
  });
});
