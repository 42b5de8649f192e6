import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { runOffThread } from '../../test/support/hang-catcher.js';
import { TypeGlob } from './glob.js';

/** What fault rules and hooks did before TypeGlob: `*` became `.*`, everything else was escaped. */
function oldRegex(glob: string): RegExp {
  return new RegExp(`^${glob.split('*').map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
}

const matches = (glob: string, name: string) => new TypeGlob(glob).matches(name);

test('a glob without * matches only the exact name', () => {
  assert.ok(matches('AWS::S3::Bucket', 'AWS::S3::Bucket'));
  assert.ok(!matches('AWS::S3::Bucket', 'AWS::S3::Buckets'));
  assert.ok(!matches('AWS::S3::Bucket', 'aws::s3::bucket'), 'matching is case-sensitive');
});

test('* matches any run of characters, the empty run included', () => {
  assert.ok(matches('*', 'AWS::S3::Bucket'));
  assert.ok(matches('*', ''));
  assert.ok(matches('AWS::Logs::*', 'AWS::Logs::LogGroup'));
  assert.ok(matches('AWS::Logs::*', 'AWS::Logs::'));
  assert.ok(!matches('AWS::Logs::*', 'AWS::SQS::Queue'));
  assert.ok(matches('*::Queue', 'AWS::SQS::Queue'));
  assert.ok(matches('AWS::*::*Group', 'AWS::Logs::LogGroup'));
  assert.ok(matches('A**B', 'AB'));
  assert.ok(!matches('A*A', 'A'), 'the leading and trailing pieces may not overlap');
  assert.ok(matches('aba*aba', 'ababa'.repeat(2)));
  assert.ok(!matches('aba*aba', 'ababa'));
});

test('every other character stands for itself: ? . + [ ] ( ) | ^ $ \\ { } are literal', () => {
  assert.ok(matches('A?C', 'A?C'));
  assert.ok(!matches('A?C', 'ABC'));
  assert.ok(!matches('A.C', 'ABC'));
  assert.ok(matches('[a]+(b|c)^$\\{1}*', '[a]+(b|c)^$\\{1}xyz'));
});

test('* does not span a line break, as the regex it replaces did', () => {
  assert.ok(!matches('A*B', 'A\nB'));
  assert.ok(!matches('A*B', 'A\u2028B'));
  assert.ok(matches('A*\nB*C', 'Ax\nByC'), 'a literal line break in the glob matches one in the name');
  assert.ok(!matches('A*\nB*C', 'A\nx\nByC'));
});

test('the same answers as the old regex for any glob and name (property)', () => {
  // A small alphabet, so globs and names share characters and the interesting cases (overlaps, repeats,
  // line breaks on either side) come up often.
  const char = fc.constantFrom('a', 'b', '*', '?', '.', '\n', '\r', '\u2028', ':');
  const glob = fc.string({ unit: char, maxLength: 12 });
  const name = fc.string({ unit: char.filter((c) => c !== '*'), maxLength: 16 }).chain((n) => fc.constantFrom(n, `${n}*`, n.replace(/b/g, '*')));
  fc.assert(
    fc.property(glob, name, (g, n) => matches(g, n) === oldRegex(g).test(n)),
    { numRuns: 20_000 },
  );
});

test('a glob shaped to make a backtracking matcher explode returns (run off thread: a hang fails the test)', async () => {
  // `*a*a*…*a*b` against a run of a's: the old `^.*a.*a…b$` regex tries every way to split the run
  // among the 49 stars before failing (more ways than it could try in a lifetime), so it never returns.
  const glob = `${'*a'.repeat(48)}*b`.slice(0, 196);
  const name = 'a'.repeat(196);
  const answer = await runOffThread(new URL('./glob.js', import.meta.url), `return new m.TypeGlob(${JSON.stringify(glob)}).matches(${JSON.stringify(name)});`);
  assert.equal(answer, false);
  assert.ok(matches(glob, `${name}b`), 'and the same glob still matches the names it should');
});
