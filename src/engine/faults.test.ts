import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runOffThread } from '../../test/support/hang-catcher.js';
import { FaultConfigError, FaultInjector, parseFaultConfig } from './faults.js';
import { HANDLER_ACTIONS } from '../domain/vocabulary.js';
import { ERROR_STATUS } from '../protocol/errors.js';
import { OPERATION_NAMES } from '../protocol/operations.js';

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

test('every rejection, in full', () => {
  const exactly = (doc: unknown, message: string) =>
    assert.throws(() => parseFaultConfig(doc), (e: Error) => {
      assert.ok(e instanceof FaultConfigError);
      assert.equal(e.message, message);
      return true;
    });
  const rule = (r: Record<string, unknown>) => ({ rules: [r] });
  exactly(null, 'the fault configuration must be a JSON object with a "rules" array');
  exactly('x', 'the fault configuration must be a JSON object with a "rules" array');
  exactly({ rules: [], extra: 1 }, 'unknown field "extra" (expected "seed" and "rules")');
  exactly({ seed: '1', rules: [] }, 'seed must be an integer');
  exactly({}, 'rules must be an array');
  exactly({ rules: {} }, 'rules must be an array');
  exactly({ rules: [null] }, 'rules[0] must be an object');
  exactly({ rules: [[]] }, 'rules[0] must be an object');
  exactly({ rules: [{ delayMs: 1 }, 7] }, 'rules[1] must be an object');
  exactly(rule({ bogus: 1 }), 'rules[0].bogus is not a rule field (expected one of typeName, operation, delayMs, errorCode, statusMessage, apiError, count, probability)');
  exactly(rule({ typeName: '', delayMs: 1 }), 'rules[0].typeName must be a non-empty string (a type name or a * glob)');
  exactly(rule({ typeName: 3, delayMs: 1 }), 'rules[0].typeName must be a non-empty string (a type name or a * glob)');
  exactly(rule({ operation: 'create', delayMs: 1 }), `rules[0].operation must be one of ${[...HANDLER_ACTIONS, ...OPERATION_NAMES].join(', ')}; got "create"`);
  for (const delayMs of [-1, 1.5, '5', 24 * 60 * 60 * 1000 + 1]) exactly(rule({ delayMs }), 'rules[0].delayMs must be an integer from 0 to 86400000');
  exactly(rule({ errorCode: 'Nope' }), 'rules[0].errorCode must be a HandlerErrorCode (NotUpdatable, InvalidRequest, AccessDenied, UnauthorizedTaggingOperation, InvalidCredentials, AlreadyExists, NotFound, ResourceConflict, Throttling, ServiceLimitExceeded, NotStabilized, GeneralServiceException, ServiceInternalError, ServiceTimeout, NetworkFailure, InternalFailure); got "Nope"');
  exactly(rule({ delayMs: 1, statusMessage: 5 }), 'rules[0].statusMessage must be a string');
  exactly(rule({ operation: 'GetResource', apiError: 5 }), `rules[0].apiError must be an error name (${Object.keys(ERROR_STATUS).join(', ')}); got 5`);
  exactly(rule({ operation: 'GetResource', apiError: 'toString' }), `rules[0].apiError must be an error name (${Object.keys(ERROR_STATUS).join(', ')}); got "toString"`);
  for (const count of [0, -1, 1.5, '2']) exactly(rule({ delayMs: 1, count }), 'rules[0].count must be a positive integer');
  for (const probability of [-0.1, 1.1, '0.5']) exactly(rule({ delayMs: 1, probability }), 'rules[0].probability must be a number from 0 to 1');
  exactly(rule({ apiError: 'ThrottlingException' }), 'rules[0].apiError needs "operation" set to an API operation name (e.g. GetResource)');
  exactly(rule({ operation: 'READ', apiError: 'ThrottlingException' }), 'rules[0].apiError needs "operation" set to an API operation name (e.g. GetResource)');
  exactly(rule({ operation: 'GetResource', apiError: 'ThrottlingException', delayMs: 1 }), 'rules[0].apiError cannot be combined with delayMs or errorCode');
  exactly(rule({ operation: 'GetResource', apiError: 'ThrottlingException', errorCode: 'NotFound' }), 'rules[0].apiError cannot be combined with delayMs or errorCode');
  exactly(rule({ operation: 'CREATE', statusMessage: 'x' }), 'rules[0] has no effect: set delayMs, errorCode or apiError');
  exactly(rule({ operation: 'GetResource', errorCode: 'NotFound' }), 'rules[0].operation must be CREATE, UPDATE, DELETE, READ or LIST for delayMs/errorCode rules (API operation names go with apiError)');

});

test('the edges of each field are accepted', () => {
  const config = parseFaultConfig({
    seed: -3,
    rules: [
      { typeName: 'A::B::C', operation: 'UPDATE', delayMs: 0, count: 1, probability: 0 },
      { delayMs: 24 * 60 * 60 * 1000, probability: 1, statusMessage: '' },
      { errorCode: 'NotFound' },
      { operation: 'ListResources', apiError: 'ThrottlingException', statusMessage: 'slow down' },
    ],
  });
  assert.deepEqual(config, {
    seed: -3,
    rules: [
      { typeName: 'A::B::C', operation: 'UPDATE', delayMs: 0, count: 1, probability: 0 },
      { delayMs: 86_400_000, probability: 1, statusMessage: '' },
      { errorCode: 'NotFound' },
      { operation: 'ListResources', apiError: 'ThrottlingException', statusMessage: 'slow down' },
    ],
  });
  assert.deepEqual(parseFaultConfig({ rules: [] }), { rules: [] }, 'no seed member when none was given');
});

test('handlerFault: the delay, the failure and the message of the first matching rule', () => {
  const faults = new FaultInjector(parseFaultConfig({ rules: [
    { operation: 'GetResource', apiError: 'ThrottlingException' },
    { typeName: 'A::B::C', delayMs: 7, errorCode: 'NotStabilized', statusMessage: 'wobbly' },
    { typeName: 'A::B::*', delayMs: 0 },
  ] }));
  assert.deepEqual(faults.handlerFault('UPDATE', 'A::B::C'), { delayMs: 7, errorCode: 'NotStabilized', statusMessage: 'wobbly' }, 'any operation when none is named');
  assert.deepEqual(faults.handlerFault('DELETE', 'A::B::D'), { delayMs: 0 });
  assert.equal(faults.handlerFault('CREATE', 'X::Y::Z'), undefined);
  assert.equal(new FaultInjector().handlerFault('CREATE', 'A::B::C'), undefined);
});

test('a spent rule lets the next matching one answer', () => {
  const faults = new FaultInjector(parseFaultConfig({ rules: [{ errorCode: 'Throttling', count: 1 }, { errorCode: 'NotFound' }] }));
  assert.deepEqual(faults.handlerFault('CREATE', 'A::B::C'), { errorCode: 'Throttling' });
  assert.deepEqual(faults.handlerFault('CREATE', 'A::B::C'), { errorCode: 'NotFound' });
  assert.deepEqual(faults.handlerFault('CREATE', 'A::B::C'), { errorCode: 'NotFound' });
  assert.deepEqual(faults.describe().remaining, [0, null]);
});

test('describe: the rules as loaded with what each has left; replace and clear start afresh', () => {
  const config = parseFaultConfig({ seed: 1, rules: [{ errorCode: 'Throttling', count: 3 }, { delayMs: 5 }] });
  const faults = new FaultInjector(config);
  faults.handlerFault('CREATE', 'A::B::C');
  assert.deepEqual(faults.describe(), { seed: 1, rules: config.rules, remaining: [2, null] });
  faults.replace(config);
  assert.deepEqual(faults.describe().remaining, [3, null], 'counters restart');
  faults.clear();
  assert.deepEqual(faults.describe(), { rules: [], remaining: [] });
  assert.equal(faults.handlerFault('CREATE', 'A::B::C'), undefined);
});

test('apiError: a typed rule needs the call to name a matching type; the message is the rule\'s or a default', () => {
  const faults = new FaultInjector(parseFaultConfig({ rules: [
    { typeName: 'A::B::C', operation: 'GetResource', apiError: 'ResourceNotFoundException' },
    { operation: 'ListResources', apiError: 'ThrottlingException', statusMessage: 'slow down' },
    { operation: 'CreateResource', apiError: 'ServiceInternalErrorException' },
    { delayMs: 1 },
  ] }));
  assert.equal(faults.apiError('GetResource', undefined), undefined);
  assert.equal(faults.apiError('GetResource', 'X::Y::Z'), undefined);
  assert.deepEqual(faults.apiError('GetResource', 'A::B::C'), { code: 'ResourceNotFoundException', message: 'Injected fault: ResourceNotFoundException' });
  assert.deepEqual(faults.apiError('ListResources', undefined), { code: 'ThrottlingException', message: 'slow down' });
  assert.deepEqual(faults.apiError('CreateResource', 'A::B::C'), { code: 'ServiceInternalErrorException', message: 'Injected fault: ServiceInternalErrorException' });
  assert.equal(faults.apiError('DeleteResource', 'A::B::C'), undefined, 'a handler rule never answers an API call');
  assert.equal(new FaultInjector().apiError('GetResource', 'A::B::C'), undefined);
});

test('probability: 0 never fires, 1 always does, and a seed gives the same draws in every version (mulberry32)', () => {
  const draws = (seed: number | undefined, probability: number, n = 32) => {
    const faults = new FaultInjector(parseFaultConfig({ ...(seed === undefined ? {} : { seed }), rules: [{ operation: 'GetResource', apiError: 'ThrottlingException', probability }] }));
    return Array.from({ length: n }, () => (faults.apiError('GetResource', undefined) ? 1 : 0)).join('');
  };
  assert.equal(draws(1, 0), '0'.repeat(32));
  assert.equal(draws(1, 1), '1'.repeat(32));
  assert.equal(draws(undefined, 0.5), '11111000101101000001101100011100', 'seed 0 when none is given');
  assert.equal(draws(7, 0.5), '11000111001100111010101111001000');
  assert.equal(draws(-1, 0.5), '01000001100110100111000011011111');
  // A spent rule draws nothing: the stream is the same for the rules after it.
  const faults = new FaultInjector(parseFaultConfig({ seed: 7, rules: [{ errorCode: 'Throttling', count: 1, probability: 1 }, { errorCode: 'NotFound', probability: 0.5 }] }));
  const seen = Array.from({ length: 9 }, () => faults.handlerFault('CREATE', 'A::B::C')?.errorCode ?? '-');
  // Draw 1 went to the first rule; draws 2 to 9 of seed 7 ('1000111 0...') to the second.
  assert.deepEqual(seen, ['Throttling', 'NotFound', '-', '-', '-', 'NotFound', 'NotFound', 'NotFound', '-']);
});

test('an injector made without rules describes an empty rule list (GET /_ccapi/faults of a server without --faults)', () => {
  assert.deepEqual(new FaultInjector().describe(), { rules: [], remaining: [] });
});

test('only a rule with a probability draws from the stream', () => {
  // The first rule has no probability: it fires without a draw, so the second rule's draws are seed 7's first ones.
  const faults = new FaultInjector(parseFaultConfig({ seed: 7, rules: [{ errorCode: 'Throttling', count: 1 }, { errorCode: 'NotFound', probability: 0.5 }] }));
  const seen = Array.from({ length: 9 }, () => faults.handlerFault('CREATE', 'A::B::C')?.errorCode ?? '-');
  assert.deepEqual(seen, ['Throttling', 'NotFound', 'NotFound', '-', '-', '-', 'NotFound', 'NotFound', 'NotFound']);
});
