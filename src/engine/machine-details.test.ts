// The state machine's records in detail: what each transition stores, clears and writes in the timeline,
// beyond the (status × event) table of machine.test.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { RequestRecord } from '../domain/records.js';
import { accept, nextStep, transition, type MachineEvent, type StepOutcome } from './machine.js';

const NOW = 5_000_000;

function record(extra: Partial<RequestRecord> = {}): RequestRecord {
  return {
    token: 't-1', accountId: '000000000000', region: 'us-east-1', fingerprint: 'f', typeName: 'Test::M::Thing',
    operation: 'CREATE', status: 'IN_PROGRESS', createdAt: 0, eventTime: 0, stepCount: 2, version: 7, lockKey: 'k', dueAt: 0, ...extra,
  };
}

function moved(r: RequestRecord, event: MachineEvent, now = NOW) {
  const result = transition(r, event, now);
  assert.equal(result.kind, 'transition');
  if (result.kind !== 'transition') throw new Error('unreachable');
  return result;
}

const step = (outcome: StepOutcome): MachineEvent => ({ kind: 'step', outcome });

test('the timeline detail and whether resource writes apply, for every transition', () => {
  const cases: [RequestRecord['status'], MachineEvent, string, boolean][] = [
    ['IN_PROGRESS', step({ status: 'SUCCESS' }), 'handler step 3 returned SUCCESS', true],
    ['IN_PROGRESS', step({ status: 'FAILED', errorCode: 'NotFound' }), 'handler step 3 returned FAILED', true],
    ['IN_PROGRESS', step({ status: 'IN_PROGRESS', callbackDelaySeconds: 1 }), 'handler step 3 returned IN_PROGRESS (callback delay 1000 ms)', true],
    ['IN_PROGRESS', step({ status: 'IN_PROGRESS', callbackDelaySeconds: 0 }), 'handler step 3 returned IN_PROGRESS', true],
    ['IN_PROGRESS', { kind: 'step', outcome: { status: 'IN_PROGRESS', callbackDelaySeconds: 2 }, ranMs: 7 }, 'handler step 3 returned IN_PROGRESS (ran 7 ms; callback delay 2000 ms)', true],
    ['IN_PROGRESS', { kind: 'step', outcome: { status: 'SUCCESS' }, ranMs: 0 }, 'handler step 3 returned SUCCESS (ran 0 ms)', true],
    ['IN_PROGRESS', { kind: 'step', outcome: { status: 'FAILED', errorCode: 'Throttling' }, injected: true }, 'handler step 3: injected failure Throttling applied; the handler did not run', true],
    ['PENDING', step({ status: 'SUCCESS' }), 'handler step 3 returned SUCCESS', true],
    ['IN_PROGRESS', { kind: 'cancel' }, 'cancel requested', false],
    ['PENDING', { kind: 'cancel' }, 'cancel requested', false],
    ['IN_PROGRESS', { kind: 'timeout', message: 'late' }, 'timed out', false],
    ['PENDING', { kind: 'hooks', hooksProgress: '[]', blockedBy: 'no', dueAt: NOW }, 'hooks failed', false],
    ['PENDING', { kind: 'hooks', hooksProgress: '[]', dueAt: NOW }, 'hooks passed', false],
    ['CANCEL_IN_PROGRESS', step({ status: 'FAILED', errorCode: 'NotFound' }), 'handler step 3 returned FAILED after the cancel; no further steps', true],
    ['CANCEL_IN_PROGRESS', step({ status: 'IN_PROGRESS', callbackDelaySeconds: 0 }), 'handler step 3 returned IN_PROGRESS after the cancel; no further steps', true],
    ['CANCEL_IN_PROGRESS', { kind: 'settle' }, 'cancelled', false],
    ['CANCEL_IN_PROGRESS', { kind: 'timeout', message: 'late' }, 'cancelled', false],
    ['CANCEL_IN_PROGRESS', { kind: 'hooks', hooksProgress: '[2]', dueAt: NOW }, 'cancelled while hooks ran', false],
  ];
  for (const [status, event, detail, writes] of cases) {
    const result = moved(record({ status }), event);
    assert.deepEqual([result.detail, result.applyResourceWrites], [detail, writes], `${status} + ${JSON.stringify(event)}`);
  }
});

test('a step after a cancel counts the step and completes the cancel, keeping nothing of its outcome', () => {
  const result = moved(record({ status: 'CANCEL_IN_PROGRESS' }), step({ status: 'SUCCESS', identifier: 'new', resourceModel: '{}', message: 'm' }));
  assert.equal(result.record.stepCount, 3);
  assert.equal(result.record.identifier, undefined);
  assert.equal(result.record.resourceModel, undefined);
  assert.equal(result.record.statusMessage, undefined);
  const hooks = moved(record({ status: 'CANCEL_IN_PROGRESS' }), { kind: 'hooks', hooksProgress: '[2]', dueAt: NOW });
  assert.equal(hooks.record.hooksProgress, '[2]', 'the hooks\' verdict is kept on record');
  assert.equal(hooks.record.status, 'CANCEL_COMPLETE');
});

test('SUCCESS: its message replaces an earlier one, none clears it; the callback context goes', () => {
  const before = record({ statusMessage: 'working', callbackContext: '{"n":1}', resourceModel: '{"old":1}', identifier: 'id' });
  const plain = moved(before, step({ status: 'SUCCESS' })).record;
  assert.equal(plain.statusMessage, undefined);
  assert.equal(plain.callbackContext, undefined);
  assert.equal(plain.resourceModel, '{"old":1}', 'no model in the outcome keeps the one known');
  assert.equal(plain.identifier, 'id');
  assert.equal(plain.stepCount, 3);
  assert.equal(plain.errorCode, undefined);
  const said = moved(before, step({ status: 'SUCCESS', message: 'done', resourceModel: '{"new":1}', identifier: 'id2' })).record;
  assert.equal(said.statusMessage, 'done');
  assert.equal(said.resourceModel, '{"new":1}');
  assert.equal(said.identifier, 'id2');
});

test('FAILED: the code, its message if any (else the earlier one stays), the callback context gone', () => {
  const before = record({ statusMessage: 'working', callbackContext: '{"n":1}' });
  const silent = moved(before, step({ status: 'FAILED', errorCode: 'Throttling' })).record;
  assert.equal(silent.errorCode, 'Throttling');
  assert.equal(silent.statusMessage, 'working');
  assert.equal(silent.callbackContext, undefined);
  assert.equal(silent.stepCount, 3);
  assert.equal(silent.identifier, undefined, 'no identifier known, none stored');
  assert.equal('identifier' in silent, false);
  const said = moved(before, step({ status: 'FAILED', errorCode: 'Throttling', message: 'slow', identifier: 'x' })).record;
  assert.equal(said.statusMessage, 'slow');
  assert.equal(said.identifier, 'x');
});

test('IN_PROGRESS: the context, desired state and message kept; delays rounded to milliseconds, never negative', () => {
  const before = record({ callbackContext: '{"n":1}', desiredState: '{"a":1}', statusMessage: 'old', retryAfter: NOW + 99_000, identifier: 'id' });
  const kept = moved(before, step({ status: 'IN_PROGRESS', callbackDelaySeconds: 0.0004 })).record;
  assert.equal(kept.callbackContext, '{"n":1}');
  assert.equal(kept.desiredState, '{"a":1}');
  assert.equal(kept.statusMessage, 'old');
  assert.equal(kept.dueAt, NOW);
  assert.equal(kept.retryAfter, undefined, 'no delay: no RetryAfter, whatever was shown before');
  assert.equal(kept.identifier, 'id');
  assert.equal(kept.terminalAt, undefined);
  const replaced = moved(before, step({ status: 'IN_PROGRESS', callbackDelaySeconds: 1.2345, callbackContext: '{"n":2}', desiredState: '{"a":2}', message: 'new' })).record;
  assert.deepEqual([replaced.callbackContext, replaced.desiredState, replaced.statusMessage, replaced.dueAt, replaced.retryAfter], ['{"n":2}', '{"a":2}', 'new', NOW + 1235, NOW + 1235]);
  const negative = moved(before, step({ status: 'IN_PROGRESS', callbackDelaySeconds: -5 })).record;
  assert.equal(negative.dueAt, NOW);
  assert.equal(negative.retryAfter, undefined);
  const tiny = moved(before, step({ status: 'IN_PROGRESS', callbackDelaySeconds: 0.001 })).record;
  assert.equal(tiny.dueAt, NOW + 1);
  assert.equal(tiny.retryAfter, NOW + 1);
});

test('a status change keeps a future RetryAfter only while IN_PROGRESS', () => {
  const hooksLater = moved(record({ status: 'PENDING' }), { kind: 'hooks', hooksProgress: '[]', dueAt: NOW + 1 }).record;
  assert.equal(hooksLater.retryAfter, NOW + 1);
  const hooksNow = moved(record({ status: 'PENDING' }), { kind: 'hooks', hooksProgress: '[]', dueAt: NOW }).record;
  assert.equal(hooksNow.retryAfter, undefined, 'due at once: nothing to wait for');
  assert.equal(hooksNow.dueAt, NOW);
  const cancelled = moved(record({ retryAfter: NOW + 5_000, dueAt: NOW + 5_000 }), { kind: 'cancel' }).record;
  assert.equal(cancelled.status, 'CANCEL_IN_PROGRESS');
  assert.equal(cancelled.retryAfter, undefined);
  assert.equal(cancelled.lockKey, 'k', 'the lock is held until the cancel completes');
  assert.equal(cancelled.terminalAt, undefined);
  const failed = moved(record({ retryAfter: NOW + 5_000 }), { kind: 'timeout', message: 'late' }).record;
  assert.deepEqual([failed.errorCode, failed.statusMessage, failed.retryAfter, failed.dueAt, failed.lockKey, failed.terminalAt], ['ServiceTimeout', 'late', undefined, undefined, undefined, NOW]);
  assert.equal(failed.stepCount, 2, 'a timeout is no step');
});

test('hooks: blocked fails with InvalidRequest and the reason; passed keeps the request and records the verdict', () => {
  const blocked = moved(record({ status: 'PENDING' }), { kind: 'hooks', hooksProgress: '[9]', blockedBy: 'reason', dueAt: NOW + 10 }).record;
  assert.deepEqual([blocked.status, blocked.errorCode, blocked.statusMessage, blocked.hooksProgress, blocked.retryAfter, blocked.dueAt], ['FAILED', 'InvalidRequest', 'reason', '[9]', undefined, undefined]);
  const passed = moved(record({ status: 'PENDING', stepCount: 0 }), { kind: 'hooks', hooksProgress: '[8]', dueAt: NOW + 10 }).record;
  assert.deepEqual([passed.status, passed.errorCode, passed.statusMessage, passed.stepCount, passed.version], ['IN_PROGRESS', undefined, undefined, 0, 8]);
  assert.equal(transition(record({ status: 'IN_PROGRESS' }), { kind: 'hooks', hooksProgress: '[]', dueAt: NOW }, NOW).kind, 'unchanged');
});

test('acceptance: a fault with only a failure or only a message holds nothing back', () => {
  const draft = { accountId: '1', region: 'r', typeName: 'Test::M::Thing', operation: 'UPDATE' as const, fingerprint: 'f' };
  const failing = accept(draft, { token: 't', fault: { errorCode: 'NotFound' } }, NOW);
  assert.deepEqual(failing.record.fault, { errorCode: 'NotFound' });
  assert.equal(failing.record.dueAt, NOW);
  assert.equal(failing.record.retryAfter, undefined);
  assert.equal(failing.detail, 'accepted; injected failure NotFound');
  const zeroDelay = accept(draft, { token: 't', fault: { delayMs: 0, statusMessage: '' } }, NOW);
  assert.deepEqual(zeroDelay.record.fault, { statusMessage: '' });
  assert.equal(zeroDelay.record.dueAt, NOW);
  assert.equal(zeroDelay.detail, 'accepted');
  const delayed = accept(draft, { token: 't', fault: { delayMs: 10 } }, NOW);
  assert.deepEqual(delayed.record.fault, { notBefore: NOW + 10 });
  assert.equal(delayed.detail, 'accepted; injected delay of 10 ms');
  const plain = accept(draft, { token: 't' }, NOW);
  assert.equal('fault' in plain.record, false);
  assert.equal('hooksRequestToken' in plain.record, false);
  const hooked = accept(draft, { token: 't', hooks: { requestToken: 'h', progress: '[]', count: 3 } }, NOW);
  assert.equal(hooked.detail, 'accepted; 3 pre-provision hook(s) to run');
  assert.equal('fault' in hooked.record, false);
  assert.equal(hooked.record.operation, 'UPDATE');
});

test('nextStep: the timeout uses the handler\'s own minutes and counts from acceptance, not from now', () => {
  const r = record({ createdAt: 1_000 });
  assert.deepEqual(nextStep(r, { typeKnown: true, handlerTimeoutMinutes: 2, now: 1_000 + 120_000 - 1 }), { kind: 'handler', deadline: 121_000 });
  assert.deepEqual(nextStep(r, { typeKnown: true, handlerTimeoutMinutes: 2, now: 121_000 }), { kind: 'event', event: { kind: 'timeout', message: 'Operation timed out after 2 minutes' } });
  assert.deepEqual(nextStep(r, { typeKnown: true, handlerTimeoutMinutes: 2, now: 121_001 }), { kind: 'event', event: { kind: 'timeout', message: 'Operation timed out after 2 minutes' } });
});

test("a step's notes (a broken reference accepted under --references warn) follow its timeline line", () => {
  const notes = ["broken reference: AWS::EC2::Subnet VpcId 'vpc-1' names no existing AWS::EC2::VPC (accepted: --references warn)"];
  const result = moved(record(), { kind: 'step', outcome: { status: 'SUCCESS' }, notes });
  assert.equal(result.detail, `handler step 3 returned SUCCESS; ${notes[0]}`);
  assert.equal(result.record.statusMessage, undefined, 'a note is not a StatusMessage: clients never see it');
  assert.equal(moved(record(), { kind: 'step', outcome: { status: 'SUCCESS' }, notes: [] }).detail, 'handler step 3 returned SUCCESS');
});
