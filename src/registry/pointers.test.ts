// Tests for the RFC 6901 pointer helpers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { deleteAt, formatPointer, getAt, hasAt, parsePointer, propertyPath, propertyTokens, setAt, withoutPaths, withoutWriteOnly } from './pointers.js';

test('parsePointer / formatPointer', () => {
  assert.deepStrictEqual(parsePointer('/properties/A/B'), ['properties', 'A', 'B']);
  assert.deepStrictEqual(parsePointer(''), []);
  assert.deepStrictEqual(parsePointer('/'), ['']);
  assert.deepStrictEqual(parsePointer('/a~1b/c~0d/~01'), ['a/b', 'c~d', '~1']);
  assert.throws(() => parsePointer('A/B'), /Invalid JSON pointer/);
  assert.equal(formatPointer(['a/b', 'c~d']), '/a~1b/c~0d');
});

test('propertyPath strips a leading /properties', () => {
  assert.equal(propertyPath('/properties/A/B'), '/A/B');
  assert.equal(propertyPath('/properties'), '');
  assert.equal(propertyPath('/propertiesX/A'), '/propertiesX/A');
  assert.equal(propertyPath('/A'), '/A');
  assert.deepStrictEqual(propertyTokens('/properties/A/0'), ['A', '0']);
});

test('getAt / hasAt', () => {
  const doc = { A: { B: [10, { C: null }] } };
  assert.equal(getAt(doc, ['A', 'B', '0']), 10);
  assert.equal(getAt(doc, ['A', 'B', '1', 'C']), null);
  assert.ok(hasAt(doc, ['A', 'B', '1', 'C']));
  assert.ok(!hasAt(doc, ['A', 'X']));
  assert.ok(!hasAt(doc, ['A', 'B', '2']));
  assert.ok(!hasAt(doc, ['A', 'B', '01']));
  assert.ok(hasAt(doc, []));
  // Inherited members are not part of a model.
  assert.ok(!hasAt(doc, ['constructor']));
  assert.equal(getAt(doc, ['A', 'toString']), undefined);
});

test('setAt creates intermediate objects', () => {
  const doc: Record<string, unknown> = { L: [1] };
  setAt(doc, ['A', 'B', 'C'], 1);
  setAt(doc, ['L', '-'], 2);
  setAt(doc, ['L', '0'], 0);
  assert.deepStrictEqual(doc, { L: [0, 2], A: { B: { C: 1 } } });
  setAt(doc, ['__proto__'], { polluted: true });
  assert.equal(({} as Record<string, unknown>).polluted, undefined);
  assert.ok(Object.prototype.hasOwnProperty.call(doc, '__proto__'));
  assert.throws(() => setAt(doc, [], 1));
  assert.throws(() => setAt(doc, ['L', '9'], 1), /bad array index/);
});

test('deleteAt removes members and array elements', () => {
  const doc = { A: { B: 1 }, L: [1, 2, 3] };
  assert.ok(deleteAt(doc, ['A', 'B']));
  assert.ok(deleteAt(doc, ['L', '1']));
  assert.ok(!deleteAt(doc, ['A', 'B']));
  assert.ok(!deleteAt(doc, ['nope', 'x']));
  assert.deepStrictEqual(doc, { A: {}, L: [1, 3] });
});

test('withoutPaths returns a copy without the pointers, "*" over arrays', () => {
  const model = { Arn: 'a', Name: 'n', C: { Id: 'x', Keep: 1 }, L: [{ Id: 1, V: 1 }, { Id: 2, V: 2 }] };
  const out = withoutPaths(model, ['/properties/Arn', '/properties/C/Id', '/properties/L/*/Id', '/properties/Missing/X']);
  assert.deepStrictEqual(out, { Name: 'n', C: { Keep: 1 }, L: [{ V: 1 }, { V: 2 }] });
  assert.equal(model.Arn, 'a');
  assert.equal(model.C.Id, 'x');
  assert.equal(model.L[0]!.Id, 1);
});

test('withoutWriteOnly also drops an object its write-only members alone filled (Lambda Code), never one already empty', () => {
  const writeOnly = ['/properties/Code/ZipFile', '/properties/Code/S3Key', '/properties/Opts/A/Secret', '/properties/Empty/X'];
  const model = { Handler: 'h', Code: { ZipFile: 'z' }, Opts: { A: { Secret: 's' }, B: 1 }, Empty: {}, L: [{ Code: { ZipFile: 'z' } }] };
  assert.deepStrictEqual(withoutWriteOnly(model, writeOnly), { Handler: 'h', Opts: { B: 1 }, Empty: {}, L: [{ Code: { ZipFile: 'z' } }] });
  assert.deepStrictEqual(withoutPaths(model, writeOnly), { Handler: 'h', Code: {}, Opts: { A: {}, B: 1 }, Empty: {}, L: [{ Code: { ZipFile: 'z' } }] }, 'withoutPaths keeps emptied objects');
  assert.deepStrictEqual(withoutWriteOnly({ Code: { ZipFile: 'z', Kept: 1 } }, writeOnly), { Code: { Kept: 1 } });
  assert.deepStrictEqual(withoutWriteOnly({ L: [{ S: 1 }, { S: 2, T: 3 }] }, ['/properties/L/*/S']), { L: [{}, { T: 3 }] }, 'array elements are never dropped');
  assert.deepStrictEqual(model.Code, { ZipFile: 'z' }, 'the input is not changed');
});
