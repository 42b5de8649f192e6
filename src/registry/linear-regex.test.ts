// Tests for the linear-time matcher: hostile inputs on patterns known to backtrack catastrophically complete with
// the right answer (durations are bench figures, not asserted here), the guard picks the linear matcher when it
// must, and the linear matcher agrees with V8 on every pattern of the official bundle.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import AdmZip from 'adm-zip';
import { createRequire } from 'node:module';
import { compileJavaPattern, translateJavaPattern } from './java-regex.js';
import { LONG_INPUT, linearMatcher } from './linear-regex.js';
import { OFFICIAL_BUNDLE as OFFICIAL_ZIP, skipIfMissing } from '../../test/support/prerequisites.js';

/** WAFv2 JsonPointerPath (RuleGroup, WebACL): V8 needs ~2 s for "/" + "~0" × 25 + "~", doubling per "~0". */
const WAFV2_JSON_POINTER = '^[\\/]+([^~]*(~[01])*)*{1,512}$';
/** An official name pattern with the same nesting: "a" × 30 + "!" takes V8 minutes. */
const NESTED_NAME = '^([A-Za-z0-9]+[A-Za-z0-9-.]*)*[A-Za-z0-9-]*[A-Za-z0-9]$';

const linear = (javaPattern: string) => {
  const m = linearMatcher(translateJavaPattern(javaPattern).source);
  assert.ok(m, `the linear matcher supports ${javaPattern}`);
  return m;
};

test('patterns prone to catastrophic backtracking are flagged; plain ones are not', () => {
  for (const p of [WAFV2_JSON_POINTER, NESTED_NAME, '^(a|ab)*c$', '^(\\w+\\s?)*$', '(?=(a+)+b)']) assert.equal(linear(p).risky, true, p);
  for (const p of ['^[a-z0-9-]{1,63}$', '^arn:aws[-a-z]*:kms:[-a-z0-9]+:[0-9]{12}:key/.+$', '^[a-zA-Z0-9-]+{1,255}$', '(ab)+', '^(?:x|y)$']) {
    assert.equal(linear(p).risky, false, p);
  }
});

test('a crafted 50 KB string on WAFv2 JsonPointerPath is answered (and correctly)', () => {
  const re = compileJavaPattern(WAFV2_JSON_POINTER);
  assert.equal(re.risky, true);
  assert.equal(re.linearTime, true);
  // No match: a trailing "~" not followed by 0 or 1 where [^~]* cannot take it.
  assert.equal(re.test('/' + '~0'.repeat(25_000) + '~'), false);
  assert.equal(re.test('/' + '~0'.repeat(25_000) + 'a'), true);
  assert.equal(re.test('/' + 'a'.repeat(50_000) + '~'), false);
  assert.equal(re.test('/' + 'a'.repeat(50_000) + '\n'), true);
  // The same short inputs as V8 would answer them (small enough for V8 to finish).
  for (const s of ['/', '//a~0~1', '/~', '/~2', 'a/', '/a~0~']) assert.equal(re.test(s), new RegExp(re.source, re.flags).test(s), s);
});

test('a crafted 50 KB string on a nested name pattern is answered (and correctly)', () => {
  const re = compileJavaPattern(NESTED_NAME);
  assert.equal(re.test('a'.repeat(50_000) + '!'), false);
  assert.equal(re.test('a'.repeat(50_000)), true);
  assert.equal(re.test('a.'.repeat(25_000) + 'b'), true);
  assert.equal(re.test('a.'.repeat(25_000)), false);
});

test('long inputs are matched in linear time whatever the pattern: polynomial backtracking too', () => {
  // V8 takes seconds on each of these (a search restarting at every position, each scanning to the end).
  const cases: Array<[string, string, boolean]> = [
    ['[a-z]+=', 'a'.repeat(50_000), false],
    ['[a-z]+=', 'a'.repeat(50_000) + '=', true],
    ['\\s*$', ' '.repeat(50_000) + 'x', true],
    ['^[\\s\\S]*a[\\s\\S]*b$', 'a'.repeat(50_000), false],
    ['^[a-zA-Z0-9=:#@/\\-,.][a-zA-Z0-9+=:#@/\\-,.\\s]+[a-zA-Z0-9+=:#@/\\-,.]{1,256}$', 'a'.repeat(50_000) + '!', false],
  ];
  for (const [pattern, input, expected] of cases) {
    assert.ok(input.length > LONG_INPUT);
    assert.equal(compileJavaPattern(pattern).test(input), expected, pattern);
  }
});

test('lookaheads whose body could backtrack are simulated too; a lookahead sees from its own position', () => {
  const p = '(?=^.{3,63}$)(?!^(\\d+\\.)+\\d+$)(^(([a-z0-9]|[a-z0-9][a-z0-9\\-]*[a-z0-9])\\.)*([a-z0-9]|[a-z0-9][a-z0-9\\-]*[a-z0-9])$)'; // S3Outposts
  const m = linear(p).matcher;
  for (const [s, expected] of [['my.bucket-1', true], ['1.2.3', false], ['ab', false], ['a'.repeat(64), false], ['1.2.x', true]] as const) {
    assert.equal(m.test(s), expected, s);
  }
  assert.equal(compileJavaPattern(p).test('1.'.repeat(25_000) + '1'), false);
  assert.equal(linear('a(?=b+c)').matcher.test('xxab' + 'b'.repeat(1000) + 'c'), true);
  assert.equal(linear('a(?!b+c)').matcher.test('ab' + 'b'.repeat(1000) + 'd'), true);
});

test('code points beyond the BMP count as one character, as in V8 u-mode', () => {
  for (const [p, s, expected] of [
    ['^[😀a]{2}$', '😀a', true],
    ['^.{3}$', '😀😀😀', true],
    ['^.{3}$', '😀😀', false],
    ['^[^a]+$', '😀'.repeat(300), true],
    ['^\\p{L}+$', 'é'.repeat(300) + '😀', false],
  ] as const) {
    const m = linear(p).matcher;
    assert.equal(m.test(s), expected, `${p} ${s.slice(0, 10)}`);
    assert.equal(compileJavaPattern(p).test(s), expected);
  }
});

test('a backreference is left to V8 (possessive quantifiers and atomic groups are written with one)', () => {
  for (const p of ['(a)\\1', 'a++b', '(?>ab|a)c']) {
    assert.equal(linearMatcher(translateJavaPattern(p).source), undefined, p);
    assert.equal(compileJavaPattern(p).linearTime, false);
  }
  assert.equal(compileJavaPattern('a++b').test('a'.repeat(300) + 'b'), true);
  assert.equal(compileJavaPattern('(a)\\1').test('x'.repeat(300) + 'aa'), true);
});

test('GuardedRegExp is still a RegExp: source, flags and exec are V8\'s', () => {
  const re = compileJavaPattern('^a[bc]$');
  assert.ok(re instanceof RegExp);
  assert.equal(re.flags, 'u');
  assert.equal(re.exec('ac')?.[0], 'ac');
  assert.equal('xab'.replace(new RegExp(re.source, re.flags), 'y'), 'xab');
});

/** randexp is CommonJS (module.exports = the class); its typings say otherwise. */
const RandExp = createRequire(import.meta.url)('randexp') as new (pattern: string) => { max: number; randInt(a: number, b: number): number; gen(): string };

test('the linear matcher agrees with V8 on every pattern of the official bundle', { skip: skipIfMissing('bundle') }, (t) => {
  const patterns = new Set<string>();
  const collect = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(collect);
    else if (node && typeof node === 'object') {
      for (const [k, v] of Object.entries(node)) {
        if (k === 'pattern' && typeof v === 'string') patterns.add(v);
        else collect(v);
      }
    }
  };
  for (const e of new AdmZip(OFFICIAL_ZIP).getEntries()) if (e.entryName.endsWith('.json')) collect(JSON.parse(e.getData().toString('utf8')));
  let seed = 7;
  const random = () => (seed = (seed * 1_103_515_245 + 12_345) & 0x7fffffff) / 0x7fffffff;
  const extra = ['a', 'Z', '0', '-', '_', '/', ':', ' ', '\n', '\r', '~', '.', 'é', '😀', '\u0085', '\u2028'];
  let compared = 0;
  let risky = 0;
  const unsupported: string[] = [];
  for (const pattern of patterns) {
    const { source, flags } = translateJavaPattern(pattern);
    const m = linearMatcher(source);
    if (!m) {
      unsupported.push(pattern);
      continue;
    }
    if (m.risky) risky++;
    const native = new RegExp(source, flags);
    // Strings that match (randexp, from the Java pattern and from the translation without lookbehinds), then
    // edits of them: one character inserted, deleted or replaced, or the string doubled.
    const inputs = new Set(['', 'x', 'abc']);
    for (const src of [pattern.replace(/\\[Zz]/g, '$').replace(/\\A/g, '^'), source.replace(/\(\?<[!=][^)]*\)/g, '')]) {
      try {
        const gen = new RandExp(src);
        gen.max = 5;
        gen.randInt = (a, b) => a + Math.floor(random() * (b - a + 1));
        for (let k = 0; k < 3; k++) inputs.add(gen.gen());
      } catch {
        // randexp does not read every construct
      }
    }
    for (const base of [...inputs]) {
      const chars = [...base];
      for (let k = 0; k < 3; k++) {
        const c = [...chars];
        const at = Math.floor(random() * (c.length + 1));
        const ch = extra[Math.floor(random() * extra.length)]!;
        const edit = Math.floor(random() * 4);
        if (edit === 0) c.splice(at, 0, ch);
        else if (edit === 1) c.splice(at, 1);
        else if (edit === 2) c[at] = ch;
        else c.push(...chars);
        inputs.add(c.join(''));
      }
    }
    for (const s of inputs) {
      if (m.risky && s.length > 16) continue; // V8 could take minutes
      compared++;
      if (m.matcher.test(s) !== native.test(s)) assert.equal(m.matcher.test(s), native.test(s), `${pattern} on ${JSON.stringify(s)}`);
    }
  }
  t.diagnostic(`${patterns.size} patterns, ${compared} inputs compared, ${risky} patterns flagged as prone to backtracking, left to V8: ${unsupported.join(' ')}`);
  assert.ok(patterns.size > 2_000 && compared > 50_000, `${patterns.size} patterns, ${compared} inputs`);
  assert.ok(unsupported.length <= 3, `left to V8: ${unsupported.join(' ')}`);
});
