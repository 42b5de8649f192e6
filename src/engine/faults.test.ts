import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runOffThread } from '../../test/support/hang-catcher.js';
import { FaultConfigError, FaultInjector, parseFaultConfig } from './faults.js';

const bad = (doc: unknown, field: RegExp) => assert.throws(() => parseFaultConfig(doc), (e: Error) => e instanceof FaultConfigError && field.test(e.message));

test('the documented example parses', () => {
  const config = parseFaultConfig({
    seed: 42,
    rules: [
      { typeName: 'AWS::Logs::*', operation: 'CREATE', delayMs: 3000 },
      { typeName: 'AWS::SQS::Queue', operation: 'DELETE', errorCode: 'Throttling', statusMessage: 'Rate exceeded', count: 2 },
      { operation: 'GetResource', apiError: 'ThrottlingException', probability: 0.1 },
    ],
  });
  assert.equal(config.rules.length, 3);
});

test('invalid rules name the bad field', () => {
  bad({ rules: [{ operation: 'CREATE', errorCode: 'Bogus' }] }, /^rules\[0\]\.errorCode/);
  bad({ rules: [{}, { operation: 'EXPLODE', delayMs: 1 }] }, /^rules\[0\] has no effect/);
  bad({ rules: [{ operation: 'EXPLODE', delayMs: 1 }] }, /^rules\[0\]\.operation/);
  bad({ rules: [{ operation: 'CREATE', delayMs: -1 }] }, /^rules\[0\]\.delayMs/);
  bad({ rules: [{ operation: 'CREATE', delayMs: 1, count: 0 }] }, /^rules\[0\]\.count/);
  bad({ rules: [{ operation: 'CREATE', delayMs: 1, probability: 2 }] }, /^rules\[0\]\.probability/);
  bad({ rules: [{ operation: 'CREATE', apiError: 'ThrottlingException' }] }, /^rules\[0\]\.apiError needs "operation"/);
  bad({ rules: [{ operation: 'GetResource', apiError: 'NoSuchError' }] }, /^rules\[0\]\.apiError must be an error name/);
  bad({ rules: [{ operation: 'GetResource', delayMs: 5 }] }, /^rules\[0\]\.operation must be CREATE/);
  bad({ rules: [{ operation: 'CREATE', delayMs: 1, typo: 1 }] }, /^rules\[0\]\.typo is not a rule field/);
  bad({ seed: 1.5, rules: [] }, /^seed/);
  bad({ rule: [] }, /unknown field "rule"/);
  bad([], /JSON object/);
});

test('typeName globs, operation match, first rule wins', () => {
  const faults = new FaultInjector(parseFaultConfig({ rules: [
    { typeName: 'AWS::Logs::*', operation: 'CREATE', delayMs: 10 },
    { operation: 'CREATE', errorCode: 'InternalFailure' },
  ] }));
  assert.deepEqual(faults.handlerFault('CREATE', 'AWS::Logs::LogGroup'), { delayMs: 10 });
  assert.deepEqual(faults.handlerFault('CREATE', 'AWS::SQS::Queue'), { errorCode: 'InternalFailure' });
  assert.equal(faults.handlerFault('DELETE', 'AWS::Logs::LogGroup'), undefined);
  assert.equal(faults.handlerFault('CREATE', 'AWS::Logs2::X')?.delayMs, undefined, 'the glob is anchored');
});

test('a typeName glob is at most 196 characters', () => {
  bad({ rules: [{ typeName: `AWS::${'*'.repeat(192)}`, operation: 'CREATE', delayMs: 1 }] }, /^rules\[0\]\.typeName is 197 characters long; a type name or glob has at most 196/);
  assert.ok(parseFaultConfig({ rules: [{ typeName: `AWS::${'*'.repeat(191)}`, operation: 'CREATE', delayMs: 1 }] }));
});

test('a glob with many * against a type name shaped to fail answers (run off thread: a hang fails the test)', async () => {
  // Under the old `^.*::a.*a…b$` regex this call backtracked through every split of the a's and never returned.
  const glob = `AWS::${'*a'.repeat(40)}*b`;
  const typeName = `AWS::${'a'.repeat(64)}::${'a'.repeat(64)}`;
  const body = `const f = new m.FaultInjector(m.parseFaultConfig({ rules: [{ typeName: ${JSON.stringify(glob)}, operation: 'CREATE', delayMs: 5 }] }));
    return [f.handlerFault('CREATE', ${JSON.stringify(typeName)}) ?? null, f.handlerFault('CREATE', ${JSON.stringify(`${typeName}::b`)}) ?? null];`;
  assert.deepEqual(await runOffThread(new URL('./faults.js', import.meta.url), body), [null, { delayMs: 5 }]);
});

test('count spends a rule after N matches', () => {
  const faults = new FaultInjector(parseFaultConfig({ rules: [{ operation: 'DELETE', errorCode: 'Throttling', count: 2 }] }));
  assert.ok(faults.handlerFault('DELETE', 'A::B::C'));
  assert.ok(faults.handlerFault('DELETE', 'A::B::C'));
  assert.equal(faults.handlerFault('DELETE', 'A::B::C'), undefined);
  assert.deepEqual(faults.describe().remaining, [0]);
});

test('probability with a seed is reproducible and roughly right', () => {
  const draw = () => {
    const faults = new FaultInjector(parseFaultConfig({ seed: 7, rules: [{ operation: 'GetResource', apiError: 'ThrottlingException', probability: 0.3 }] }));
    return Array.from({ length: 1000 }, () => (faults.apiError('GetResource', 'A::B::C') ? 1 : 0));
  };
  const a = draw();
  assert.deepEqual(a, draw());
  const hits = a.reduce((s: number, x) => s + x, 0);
  assert.ok(hits > 240 && hits < 360, `~30% expected, got ${hits / 10}%`);
});

test('apiError rules only answer API operations and carry AWS wording', () => {
  const faults = new FaultInjector(parseFaultConfig({ rules: [{ operation: 'GetResource', apiError: 'ThrottlingException' }] }));
  assert.equal(faults.apiError('ListResources', undefined), undefined);
  assert.deepEqual(faults.apiError('GetResource', 'X::Y::Z'), { code: 'ThrottlingException', message: 'Rate exceeded' });
  assert.equal(faults.handlerFault('READ', 'X::Y::Z'), undefined);
});
