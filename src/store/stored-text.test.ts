import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { POSTGRES_TEXT, SQLITE_TEXT } from './stored-text.js';

/** Any UTF-16 string, lone surrogates included, weighted towards the characters the codec escapes. */
const anyText = fc.string({
  unit: fc.oneof(
    fc.constantFrom('\u0000', '\u0001', '0', '1', 'u', 'D', '8', '\ud800', '\udbff', '\udc00', '\udfff', '\ufffd', '\u{1F600}'),
    fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)),
  ),
  maxLength: 12,
});

/** What each database compares: the UTF-8 bytes (SQLite's BINARY collation, PostgreSQL's COLLATE "C"). */
const bytes = (s: string) => Buffer.from(s, 'utf8');
const wellFormed = (s: string) => !/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(s);

test('every string comes back exactly; what is stored is well-formed, and has no U+0000 on PostgreSQL', () => {
  fc.assert(
    fc.property(anyText, (s) => {
      for (const codec of [SQLITE_TEXT, POSTGRES_TEXT]) {
        const stored = codec.encode(s);
        assert.ok(wellFormed(stored), 'UTF-8 can carry it unchanged');
        assert.equal(codec.decode(stored), s);
      }
      assert.ok(!POSTGRES_TEXT.encode(s).includes('\u0000'));
    }),
    { numRuns: 2000 },
  );
});

test('ordinary strings are stored as they are', () => {
  for (const s of ['', 'abc', 'arn:aws:iam::123456789012:role/x', 'a\u{1F600}b', '\ufffd', 'ü']) {
    assert.equal(SQLITE_TEXT.encode(s), s);
    assert.equal(POSTGRES_TEXT.encode(s), s);
  }
  assert.equal(SQLITE_TEXT.encode('a\u0000b'), 'a\u0000b', 'SQLite keeps U+0000 itself, so rows written before stay valid');
});

test('both stores order strings alike, so ListResources pages the same on each', () => {
  fc.assert(
    fc.property(anyText, anyText, (a, b) => {
      const sqlite = Math.sign(Buffer.compare(bytes(SQLITE_TEXT.encode(a)), bytes(SQLITE_TEXT.encode(b))));
      const postgres = Math.sign(Buffer.compare(bytes(POSTGRES_TEXT.encode(a)), bytes(POSTGRES_TEXT.encode(b))));
      assert.equal(postgres, sqlite);
      assert.equal(sqlite === 0, a === b, 'distinct strings are stored as distinct texts');
    }),
    { numRuns: 5000 },
  );
});

test('a U+0001 from before the escape is read back as written when no escape follows it', () => {
  assert.equal(POSTGRES_TEXT.decode('a\u0001b'), 'a\u0001b');
  assert.equal(SQLITE_TEXT.decode('a\u00010'), 'a\u00010', 'on SQLite, U+0001 "0" is not an escape');
});
