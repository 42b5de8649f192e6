// Tests for the atomic JSON Patch wrapper: the whole official RFC 6902 suite plus ccapi's own rules.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { applyPatchAtomic, normalizePatchPaths, PatchError } from './json-patch.js';

interface SuiteCase {
  comment?: string;
  doc: unknown;
  patch: unknown;
  expected?: unknown;
  error?: string;
  disabled?: boolean;
}

const require = createRequire(import.meta.url);
const suites: Record<string, SuiteCase[]> = {
  'tests.json': require('json-patch-test-suite/tests.json'),
  'spec_tests.json': require('json-patch-test-suite/spec_tests.json'),
};

for (const [file, cases] of Object.entries(suites)) {
  test(`RFC 6902 suite: ${file}`, async (t) => {
    let ran = 0;
    for (const [i, c] of cases.entries()) {
      if (c.disabled) continue;
      ran++;
      await t.test(`#${i} ${c.comment ?? c.error ?? ''}`, () => {
        const before = structuredClone(c.doc);
        if (c.error !== undefined) {
          assert.throws(() => applyPatchAtomic(c.doc, c.patch), PatchError);
        } else {
          const out = applyPatchAtomic(c.doc, c.patch);
          // Cases without `expected` only assert that the patch applies.
          if ('expected' in c) assert.deepStrictEqual(out, c.expected);
        }
        assert.deepStrictEqual(c.doc, before, 'input document must not be mutated');
      });
    }
    assert.ok(ran > 0);
  });
}

test('a failed patch leaves the input untouched and reports the failing op', () => {
  const doc = { A: 1, B: [1, 2] };
  const patch = [
    { op: 'replace', path: '/A', value: 2 },
    { op: 'add', path: '/B/-', value: 3 },
    { op: 'remove', path: '/Foo/3' },
  ];
  assert.throws(() => applyPatchAtomic(doc, patch), {
    name: 'PatchError',
    opIndex: 2,
    message: '[REMOVE Operation] noSuchPath in source, path provided : //Foo/3',
    verbatim: true,
  });
  assert.deepStrictEqual(doc, { A: 1, B: [1, 2] });
});

test('test op failure message', () => {
  assert.throws(
    () => applyPatchAtomic({ A: 1 }, [{ op: 'test', path: '/A', value: 2 }]),
    { name: 'PatchError', message: '[TEST Operation] value mismatch', opIndex: 0 },
  );
});

test('missing paths are worded as the service words them (zjsonpatch), naming the from path of a move or copy', () => {
  // AWS: "[REPLACE Operation] noSuchPath in source, path provided : //Code" (pulumi/pulumi-aws-native#277).
  assert.throws(() => applyPatchAtomic({ A: 1 }, [{ op: 'replace', path: '/Code', value: {} }]), { message: '[REPLACE Operation] noSuchPath in source, path provided : //Code' });
  assert.throws(() => applyPatchAtomic({ A: 1 }, [{ op: 'move', from: '/Gone', path: '/B' }]), { message: '[MOVE Operation] noSuchPath in source, path provided : //Gone' });
  assert.throws(() => applyPatchAtomic({ A: 1 }, [{ op: 'copy', from: '/Gone/x', path: '/B' }]), { message: '[COPY Operation] noSuchPath in source, path provided : //Gone/x' });
});

test('a successful patch returns a new document', () => {
  const doc = { A: { B: 1 } };
  const out = applyPatchAtomic(doc, [{ op: 'add', path: '/A/C', value: 2 }]);
  assert.deepStrictEqual(out, { A: { B: 1, C: 2 } });
  assert.deepStrictEqual(doc, { A: { B: 1 } });
});

test('patch shape is validated before anything is applied', () => {
  const cases: [unknown, number, RegExp][] = [
    [{ op: 'add' }, -1, /must be a JSON array/],
    [[1], 0, /index 0: not an object/],
    [[{ op: 'frob', path: '/A' }], 0, /op must be one of/],
    [[{ op: 'add', path: 3, value: 1 }], 0, /path must be a string/],
    [[{ op: 'remove', path: '/A' }, { op: 'add', path: '/A' }], 1, /index 1: add requires a value/],
    [[{ op: 'replace', path: '/A' }], 0, /replace requires a value/],
    [[{ op: 'test', path: '/A' }], 0, /test requires a value/],
    [[{ op: 'move', path: '/A' }], 0, /move requires a string from/],
    [[{ op: 'copy', path: '/A', from: 1 }], 0, /copy requires a string from/],
    [[{ op: 'add', path: 'A', value: 1 }], 0, /is not a JSON pointer/],
  ];
  for (const [patch, opIndex, message] of cases) {
    assert.throws(() => applyPatchAtomic({ A: 1 }, patch), (e: unknown) => {
      assert.ok(e instanceof PatchError, String(e));
      assert.equal(e.opIndex, opIndex, JSON.stringify(patch));
      assert.match(e.message, message);
      return true;
    });
  }
  // A null value is a value.
  assert.deepStrictEqual(applyPatchAtomic({}, [{ op: 'add', path: '/A', value: null }]), { A: null });
});

test('prototype-polluting paths are rejected', () => {
  for (const path of ['/__proto__/x', '/constructor/prototype/x', '/A/prototype']) {
    assert.throws(() => applyPatchAtomic({ A: {} }, [{ op: 'add', path, value: 1 }]), /reserved name/);
  }
  assert.throws(() => applyPatchAtomic({ A: {} }, [{ op: 'copy', from: '/__proto__', path: '/B' }]), /reserved name/);
  assert.equal(({} as Record<string, unknown>).x, undefined);
});

test('normalizePatchPaths prefixes a missing leading slash on path and from', () => {
  const patch = [
    { op: 'replace', path: 'RetentionInDays', value: 180 },
    { op: 'move', from: 'A', path: '/B' },
    { op: 'add', path: '', value: {} },
  ];
  assert.deepStrictEqual(normalizePatchPaths(patch), [
    { op: 'replace', path: '/RetentionInDays', value: 180 },
    { op: 'move', from: '/A', path: '/B' },
    { op: 'add', path: '', value: {} },
  ]);
  assert.equal(patch[0]!.path, 'RetentionInDays', 'input is not mutated');
  const out = applyPatchAtomic({ RetentionInDays: 7, A: 1 }, normalizePatchPaths(patch.slice(0, 2)));
  assert.deepStrictEqual(out, { RetentionInDays: 180, B: 1 });
  // Non-arrays pass through for applyPatchAtomic to reject.
  assert.equal(normalizePatchPaths('nope'), 'nope');
});

test('a path through a scalar is a PatchError in zjsonpatch\'s words, not a TypeError (found by mutation testing)', () => {
  const doc = { A: 1, S: 'str', L: [1] };
  const cases: [unknown[], number, string][] = [
    [[{ op: 'add', path: '/A/b', value: 1 }], 0, '[ADD Operation] parent is not a container in source, path provided : //A/b | node : 1'],
    [[{ op: 'replace', path: '/L/0', value: 2 }, { op: 'add', path: '/S/0', value: 'x' }], 1, '[ADD Operation] parent is not a container in source, path provided : //S/0 | node : "str"'],
    [[{ op: 'copy', from: '/L', path: '/A/c' }], 0, '[COPY Operation] parent is not a container in source, path provided : //A/c | node : 1'],
    [[{ op: 'move', from: '/L', path: '/S/x' }], 0, '[MOVE Operation] parent is not a container in source, path provided : //S/x | node : "str"'],
  ];
  for (const [patch, opIndex, message] of cases) {
    assert.throws(() => applyPatchAtomic(doc, patch), (e: unknown) => {
      assert.ok(e instanceof PatchError, String(e));
      assert.deepEqual({ opIndex: e.opIndex, message: e.message, verbatim: e.verbatim }, { opIndex, message, verbatim: true });
      return true;
    });
  }
  assert.deepStrictEqual(doc, { A: 1, S: 'str', L: [1] }, 'the input is untouched');
});
