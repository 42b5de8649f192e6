import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { tmpdir } from 'node:os';
import { runOffThread } from '../../../test/support/hang-catcher.js';
import { brokenCondition } from './conditions.js';
import { HooksFileError, parseHooks, type Condition } from './definitions.js';
import { HookRunner } from './runner.js';

const base = { typeName: 'Acme::Policy::Owner', conditions: [{ pointer: '/Owner', exists: true }] };

async function conditionsOf(conditions: unknown[]): Promise<Condition[]> {
  const [hook] = await parseHooks({ hooks: [{ ...base, conditions }] }, tmpdir());
  return hook!.conditions!;
}

describe('hooks file', () => {
  test('defaults: every type, CREATE and UPDATE, FAIL', async () => {
    const [hook] = await parseHooks({ hooks: [base] }, tmpdir());
    assert.deepEqual(hook!.targets, ['*']);
    assert.deepEqual(hook!.operations, ['CREATE', 'UPDATE']);
    assert.equal(hook!.failureMode, 'FAIL');
  });

  const invalid: [string, unknown, RegExp][] = [
    ['not a list', { hooks: 3 }, /expected \{"hooks": \[\.\.\.\]\}/],
    ['bad type name', { hooks: [{ ...base, typeName: 'owner' }] }, /hooks\[0\]: "typeName" must be a hook type name/],
    ['unknown field', { hooks: [{ ...base, failuremode: 'WARN' }] }, /unknown field\(s\) failuremode/],
    ['bad operation', { hooks: [{ ...base, operations: ['READ'] }] }, /"operations" must be a non-empty list of CREATE, UPDATE, DELETE/],
    ['bad failure mode', { hooks: [{ ...base, failureMode: 'IGNORE' }] }, /"failureMode" must be FAIL or WARN/],
    ['both kinds', { hooks: [{ ...base, module: './x.js' }] }, /either "conditions" \(declarative\) or "module".*not both/],
    ['neither kind', { hooks: [{ typeName: 'Acme::Policy::Owner' }] }, /not neither/],
    ['two tests in a condition', { hooks: [{ ...base, conditions: [{ pointer: '/A', exists: true, equals: 1 }] }] }, /conditions\[0\]: give exactly one of/],
    ['bad pointer', { hooks: [{ ...base, conditions: [{ pointer: 'A', exists: true }] }] }, /"pointer" must be a JSON pointer/],
    ['bad regex', { hooks: [{ ...base, conditions: [{ pointer: '/A', matches: '(' }] }] }, /"matches" is not a valid regular expression/],
    ['missing module', { hooks: [{ typeName: 'Acme::Policy::Owner', module: './nowhere.js' }] }, /module .*nowhere\.js could not be loaded/],
    ['duplicate', { hooks: [base, base] }, /Acme::Policy::Owner is defined twice/],
    ['target glob too long', { hooks: [{ ...base, targets: ['AWS::*', `AWS::${'*'.repeat(192)}`] }] }, /target "AWS::\*+\.\.\." is 197 characters long; a type name or glob has at most 196/],
  ];
  for (const [name, value, message] of invalid) {
    test(`rejected: ${name}`, async () => {
      await assert.rejects(parseHooks(value, tmpdir()), (error: Error) => error instanceof HooksFileError && message.test(error.message));
    });
  }
});

describe('conditions', () => {
  test('exists, absent, equals (deep) and matches, said in words when broken', async () => {
    const conditions = await conditionsOf([
      { pointer: '/Owner', exists: true },
      { pointer: '/Public', exists: false },
      { pointer: '/Tier', equals: { level: 1 } },
      { pointer: '/Name', matches: '^app-' },
    ]);
    assert.equal(brokenCondition(conditions, { Owner: 'me', Tier: { level: 1 }, Name: 'app-x' }), undefined);
    assert.equal(brokenCondition(conditions, { Tier: { level: 1 }, Name: 'app-x' }), '/Owner must exist');
    assert.equal(brokenCondition(conditions, { Owner: 'me', Public: true, Tier: { level: 1 }, Name: 'app-x' }), '/Public must be absent');
    assert.equal(brokenCondition(conditions, { Owner: 'me', Tier: { level: 2 }, Name: 'app-x' }), '/Tier must equal {"level":1}');
    assert.equal(brokenCondition(conditions, { Owner: 'me', Tier: { level: 1 }, Name: 'web-x' }), '/Name must match ^app-');
    assert.equal(brokenCondition(conditions, { Owner: 'me', Tier: { level: 1 }, Name: 7 }), '/Name must match ^app-', 'a non-string never matches');
  });

  test('nested pointers and escaped tokens', async () => {
    const conditions = await conditionsOf([{ pointer: '/Config/a~1b', equals: 1 }]);
    assert.equal(brokenCondition(conditions, { Config: { 'a/b': 1 } }), undefined);
    assert.equal(brokenCondition(conditions, { Config: {} }), '/Config/a~1b must equal 1');
  });
});

describe('matching', () => {
  test('targets are globs over type names; operations filter', async () => {
    const hooks = await parseHooks(
      {
        hooks: [
          { ...base, typeName: 'Acme::Policy::Aa', targets: ['AWS::S3::*'] },
          { ...base, typeName: 'Acme::Policy::Bb', targets: ['*::Bucket'], operations: ['DELETE'] },
          { ...base, typeName: 'Acme::Policy::Cc', targets: ['AWS::S3::Bucket.Policy'] },
        ],
      },
      tmpdir(),
    );
    const runner = new HookRunner(hooks);
    assert.deepEqual(runner.matching('AWS::S3::Bucket', 'CREATE').map((h) => h.typeName), ['Acme::Policy::Aa']);
    assert.deepEqual(runner.matching('AWS::S3::Bucket', 'DELETE').map((h) => h.typeName), ['Acme::Policy::Bb']);
    assert.deepEqual(runner.matching('AWS::S3::BucketXPolicy', 'CREATE').map((h) => h.typeName), ['Acme::Policy::Aa'], '"." in a glob is literal');
    assert.deepEqual(runner.matching('AWS::SQS::Queue', 'CREATE'), []);
  });

  test('a target with many * against a type name shaped to fail answers (run off thread: a hang fails the test)', async () => {
    // Under the old `^.*a.*a…b$` regex this call backtracked through every split of the a's and never returned.
    const target = `${'*a'.repeat(40)}*b`;
    const typeName = `AWS::${'a'.repeat(64)}::${'a'.repeat(64)}`;
    const body = `const runner = new m.HookRunner([{ typeName: 'Acme::Policy::Aa', targets: [${JSON.stringify(target)}], operations: ['CREATE'], failureMode: 'FAIL', conditions: [] }]);
      return [runner.matching(${JSON.stringify(typeName)}, 'CREATE').length, runner.matching(${JSON.stringify(`${typeName}::b`)}, 'CREATE').length];`;
    assert.deepEqual(await runOffThread(new URL('./runner.js', import.meta.url), body), [0, 1]);
  });
});
