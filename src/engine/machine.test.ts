import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { OPERATION_STATUS_ENUM, type OperationStatus } from '../domain/vocabulary.js';
import { accept, DEFAULT_TIMEOUT_MINUTES, nextStep, transition, type MachineEvent } from './machine.js';
import { isTerminal, type RequestRecord } from '../domain/records.js';

const NOW = 1_000_000;

function record(status: OperationStatus, extra: Partial<RequestRecord> = {}): RequestRecord {
  return {
    token: 't-1', accountId: '000000000000', region: 'us-east-1', fingerprint: 'f', typeName: 'AWS::Logs::LogGroup',
    operation: 'CREATE', status, createdAt: 0, eventTime: 0, stepCount: 0, version: 3,
    lockKey: 'lg', dueAt: 0, ...extra,
  };
}

const EVENTS: Record<string, MachineEvent> = {
  success: { kind: 'step', outcome: { status: 'SUCCESS', identifier: 'lg', resourceModel: '{"LogGroupName":"lg"}' } },
  failed: { kind: 'step', outcome: { status: 'FAILED', errorCode: 'NotFound', message: 'gone' } },
  inProgressDelayed: { kind: 'step', outcome: { status: 'IN_PROGRESS', callbackDelaySeconds: 5, callbackContext: '{"n":1}' } },
  inProgressNow: { kind: 'step', outcome: { status: 'IN_PROGRESS', callbackDelaySeconds: 0 } },
  cancel: { kind: 'cancel' },
  settle: { kind: 'settle' },
  timeout: { kind: 'timeout', message: 'too slow' },
  hooksPassed: { kind: 'hooks', hooksProgress: '[{"HookStatus":"HOOK_COMPLETE_SUCCEEDED"}]', dueAt: NOW },
  hooksBlocked: { kind: 'hooks', hooksProgress: '[{"HookStatus":"HOOK_COMPLETE_FAILED"}]', blockedBy: 'The following hook(s) failed: [A::B::C]. no', dueAt: NOW },
};

/** The whole table: for every (status × event), the status it leads to, or 'unchanged' / 'rejected'. */
const EXPECTED: Record<OperationStatus, Record<keyof typeof EVENTS, OperationStatus | 'unchanged' | 'rejected'>> = {
  PENDING: { success: 'SUCCESS', failed: 'FAILED', inProgressDelayed: 'IN_PROGRESS', inProgressNow: 'IN_PROGRESS', cancel: 'CANCEL_IN_PROGRESS', settle: 'unchanged', timeout: 'FAILED', hooksPassed: 'IN_PROGRESS', hooksBlocked: 'FAILED' },
  IN_PROGRESS: { success: 'SUCCESS', failed: 'FAILED', inProgressDelayed: 'IN_PROGRESS', inProgressNow: 'IN_PROGRESS', cancel: 'CANCEL_IN_PROGRESS', settle: 'unchanged', timeout: 'FAILED', hooksPassed: 'unchanged', hooksBlocked: 'unchanged' },
  CANCEL_IN_PROGRESS: { success: 'CANCEL_COMPLETE', failed: 'CANCEL_COMPLETE', inProgressDelayed: 'CANCEL_COMPLETE', inProgressNow: 'CANCEL_COMPLETE', cancel: 'unchanged', settle: 'CANCEL_COMPLETE', timeout: 'CANCEL_COMPLETE', hooksPassed: 'CANCEL_COMPLETE', hooksBlocked: 'CANCEL_COMPLETE' },
  SUCCESS: { success: 'unchanged', failed: 'unchanged', inProgressDelayed: 'unchanged', inProgressNow: 'unchanged', cancel: 'rejected', settle: 'unchanged', timeout: 'unchanged', hooksPassed: 'unchanged', hooksBlocked: 'unchanged' },
  FAILED: { success: 'unchanged', failed: 'unchanged', inProgressDelayed: 'unchanged', inProgressNow: 'unchanged', cancel: 'rejected', settle: 'unchanged', timeout: 'unchanged', hooksPassed: 'unchanged', hooksBlocked: 'unchanged' },
  CANCEL_COMPLETE: { success: 'unchanged', failed: 'unchanged', inProgressDelayed: 'unchanged', inProgressNow: 'unchanged', cancel: 'unchanged', settle: 'unchanged', timeout: 'unchanged', hooksPassed: 'unchanged', hooksBlocked: 'unchanged' },
};

describe('state machine: every (status × event) pair', () => {
  for (const status of OPERATION_STATUS_ENUM) {
    for (const [name, event] of Object.entries(EVENTS)) {
      const expected = EXPECTED[status][name]!;
      test(`${status} + ${name} → ${expected}`, () => {
        const before = record(status);
        const result = transition(before, event, NOW);
        if (expected === 'unchanged') return assert.equal(result.kind, 'unchanged');
        if (expected === 'rejected') {
          assert.equal(result.kind, 'rejected');
          if (result.kind === 'rejected') assert.equal(result.status, status);
          return;
        }
        assert.equal(result.kind, 'transition');
        if (result.kind !== 'transition') return;
        const after = result.record;
        assert.equal(after.status, expected);
        assert.equal(after.version, before.version + 1, 'every transition bumps the version');
        assert.equal(after.eventTime, NOW, 'EventTime is the time of the latest status change');
        assert.ok(result.detail.length > 0);
        if (isTerminal(expected)) {
          assert.equal(after.lockKey, undefined, 'terminal requests release the resource lock');
          assert.equal(after.dueAt, undefined, 'terminal requests have no work left');
          assert.equal(after.retryAfter, undefined, 'no RetryAfter on terminal events');
          assert.equal(after.terminalAt, NOW);
        } else {
          assert.equal(after.lockKey, 'lg', 'active requests keep the lock');
          assert.equal(after.terminalAt, undefined);
        }
        assert.equal(before.status, status, 'the input record is not mutated');
      });
    }
  }
});

describe('state machine: details', () => {
  test('a RetryAfter at or before the time of a transition is dropped, never kept as a time gone by', () => {
    // Not a state accept() makes today (a PENDING request has no RetryAfter): this pins moveTo's guard.
    const result = transition(record('PENDING', { retryAfter: NOW - 1000 }), EVENTS.hooksPassed!, NOW);
    assert.equal(result.kind, 'transition');
    if (result.kind !== 'transition') return;
    assert.equal(result.record.status, 'IN_PROGRESS');
    assert.equal(result.record.retryAfter, undefined);
  });

  test('IN_PROGRESS with a callback delay schedules the next step and shows RetryAfter', () => {
    const result = transition(record('IN_PROGRESS'), EVENTS.inProgressDelayed!, NOW);
    assert.equal(result.kind, 'transition');
    if (result.kind !== 'transition') return;
    assert.equal(result.record.dueAt, NOW + 5000);
    assert.equal(result.record.retryAfter, NOW + 5000);
    assert.equal(result.record.callbackContext, '{"n":1}');
    assert.equal(result.record.stepCount, 1);
    assert.equal(result.applyResourceWrites, true);
  });

  test('IN_PROGRESS without a delay runs again at once and shows no RetryAfter', () => {
    const result = transition(record('IN_PROGRESS', { retryAfter: NOW - 10 }), EVENTS.inProgressNow!, NOW);
    assert.equal(result.kind, 'transition');
    if (result.kind !== 'transition') return;
    assert.equal(result.record.dueAt, NOW);
    assert.equal(result.record.retryAfter, undefined);
  });

  test('FAILED keeps the identifier already known and records the code and message', () => {
    const result = transition(record('IN_PROGRESS', { identifier: 'lg' }), EVENTS.failed!, NOW);
    assert.equal(result.kind, 'transition');
    if (result.kind !== 'transition') return;
    assert.equal(result.record.identifier, 'lg');
    assert.equal(result.record.errorCode, 'NotFound');
    assert.equal(result.record.statusMessage, 'gone');
  });

  test('SUCCESS stores the final model and identifier', () => {
    const result = transition(record('IN_PROGRESS'), EVENTS.success!, NOW);
    assert.equal(result.kind, 'transition');
    if (result.kind !== 'transition') return;
    assert.equal(result.record.identifier, 'lg');
    assert.equal(result.record.resourceModel, '{"LogGroupName":"lg"}');
    assert.equal(result.record.callbackContext, undefined);
  });

  test('a timeout fails with ServiceTimeout', () => {
    const result = transition(record('IN_PROGRESS'), EVENTS.timeout!, NOW);
    assert.equal(result.kind, 'transition');
    if (result.kind !== 'transition') return;
    assert.equal(result.record.errorCode, 'ServiceTimeout');
    assert.equal(result.record.statusMessage, 'too slow');
  });

  test('hooks that pass start the request, due when an injected delay ends, with their progress on record', () => {
    const result = transition(record('PENDING', { hooksRequestToken: 'h-1' }), { kind: 'hooks', hooksProgress: '[1]', dueAt: NOW + 2000 }, NOW);
    assert.equal(result.kind, 'transition');
    if (result.kind !== 'transition') return;
    assert.equal(result.record.status, 'IN_PROGRESS');
    assert.equal(result.record.dueAt, NOW + 2000);
    assert.equal(result.record.retryAfter, NOW + 2000);
    assert.equal(result.record.hooksProgress, '[1]');
    assert.equal(result.record.hooksRequestToken, 'h-1');
  });

  test('a FAIL hook that fails fails the request with InvalidRequest and the hooks message', () => {
    const result = transition(record('PENDING'), EVENTS.hooksBlocked!, NOW);
    assert.equal(result.kind, 'transition');
    if (result.kind !== 'transition') return;
    assert.equal(result.record.errorCode, 'InvalidRequest');
    assert.match(result.record.statusMessage!, /hook\(s\) failed: \[A::B::C\]/);
    assert.equal(result.record.hooksProgress, '[{"HookStatus":"HOOK_COMPLETE_FAILED"}]');
  });

  test('cancel makes the request due at once and hides RetryAfter', () => {
    const result = transition(record('IN_PROGRESS', { dueAt: NOW + 60_000, retryAfter: NOW + 60_000 }), EVENTS.cancel!, NOW);
    assert.equal(result.kind, 'transition');
    if (result.kind !== 'transition') return;
    assert.equal(result.record.dueAt, NOW);
    assert.equal(result.record.retryAfter, undefined);
    assert.equal(result.applyResourceWrites, false);
  });

  test('a step that finishes after a cancel still applies its downstream writes (no rollback)', () => {
    const result = transition(record('CANCEL_IN_PROGRESS'), EVENTS.success!, NOW);
    assert.equal(result.kind, 'transition');
    if (result.kind !== 'transition') return;
    assert.equal(result.record.status, 'CANCEL_COMPLETE');
    assert.equal(result.applyResourceWrites, true);
  });
});

describe('state machine: acceptance', () => {
  const draft = { accountId: '000000000000', region: 'us-east-1', typeName: 'AWS::Logs::LogGroup', operation: 'CREATE' as const, fingerprint: 'f', lockKey: 'lg' };

  test('a plain request is IN_PROGRESS, due at once, version 1, with no RetryAfter', () => {
    const { record, detail } = accept(draft, { token: 't-1' }, NOW);
    assert.equal(record.status, 'IN_PROGRESS');
    assert.equal(record.dueAt, NOW);
    assert.equal(record.retryAfter, undefined);
    assert.equal(record.createdAt, NOW);
    assert.equal(record.eventTime, NOW);
    assert.equal(record.version, 1);
    assert.equal(record.stepCount, 0);
    assert.equal(record.token, 't-1');
    assert.equal(record.lockKey, 'lg');
    assert.equal(detail, 'accepted');
  });

  test('an injected delay makes it due when the delay ends, shown as RetryAfter, and kept as the fault plan', () => {
    const { record, detail } = accept(draft, { token: 't-1', fault: { delayMs: 2000, errorCode: 'Throttling', statusMessage: 'slow down' } }, NOW);
    assert.equal(record.status, 'IN_PROGRESS');
    assert.equal(record.dueAt, NOW + 2000);
    assert.equal(record.retryAfter, NOW + 2000);
    assert.deepEqual(record.fault, { notBefore: NOW + 2000, errorCode: 'Throttling', statusMessage: 'slow down' });
    assert.equal(detail, 'accepted; injected delay of 2000 ms; injected failure Throttling');
  });

  test('with hooks to run it is PENDING and due at once, whatever the delay, with their pending progress', () => {
    const { record, detail } = accept(draft, { token: 't-1', fault: { delayMs: 2000 }, hooks: { requestToken: 'h-1', progress: '[1]', count: 1 } }, NOW);
    assert.equal(record.status, 'PENDING');
    assert.equal(record.dueAt, NOW);
    assert.equal(record.retryAfter, undefined);
    assert.equal(record.fault?.notBefore, NOW + 2000, 'the delay still holds the first step back');
    assert.equal(record.hooksRequestToken, 'h-1');
    assert.equal(record.hooksProgress, '[1]');
    assert.equal(detail, 'accepted; injected delay of 2000 ms; 1 pre-provision hook(s) to run');
  });
});

describe('nextStep: what a worker does with a claimed request', () => {
  const facts = { typeKnown: true, handlerTimeoutMinutes: undefined, now: NOW };

  test('a cancel in progress is settled, whatever else holds', () => {
    assert.deepEqual(nextStep(record('CANCEL_IN_PROGRESS'), { ...facts, typeKnown: false, now: Number.MAX_SAFE_INTEGER }), { kind: 'event', event: { kind: 'settle' } });
  });

  test('a type gone from the catalogue fails the request, PENDING or IN_PROGRESS', () => {
    for (const status of ['PENDING', 'IN_PROGRESS'] as const) {
      const next = nextStep(record(status), { ...facts, typeKnown: false });
      assert.deepEqual(next, {
        kind: 'event',
        event: { kind: 'step', outcome: { status: 'FAILED', errorCode: 'InternalFailure', message: 'Type AWS::Logs::LogGroup is no longer in the catalogue' } },
      });
    }
  });

  test('PENDING runs the hooks, even past the timeout or with a fault planned', () => {
    const pending = record('PENDING', { fault: { errorCode: 'Throttling' } });
    assert.deepEqual(nextStep(pending, { ...facts, now: Number.MAX_SAFE_INTEGER }), { kind: 'hooks' });
  });

  test('the timeout counts from acceptance: the handler runs until the last millisecond, then the request times out', () => {
    const started = record('IN_PROGRESS', { createdAt: NOW });
    const deadline = NOW + 30 * 60_000;
    assert.deepEqual(nextStep(started, { ...facts, handlerTimeoutMinutes: 30, now: deadline - 1 }), { kind: 'handler', deadline });
    assert.deepEqual(nextStep(started, { ...facts, handlerTimeoutMinutes: 30, now: deadline }), {
      kind: 'event',
      event: { kind: 'timeout', message: 'Operation timed out after 30 minutes' },
    });
    const byDefault = nextStep(started, { ...facts, now: NOW + DEFAULT_TIMEOUT_MINUTES * 60_000 });
    assert.deepEqual(byDefault, { kind: 'event', event: { kind: 'timeout', message: 'Operation timed out after 120 minutes' } });
    assert.equal(DEFAULT_TIMEOUT_MINUTES, 120);
  });

  test('an injected fault fails the request at its step, with its message or the code\'s default', () => {
    const withMessage = nextStep(record('IN_PROGRESS', { createdAt: NOW, fault: { errorCode: 'ServiceLimitExceeded', statusMessage: 'too many' } }), facts);
    assert.deepEqual(withMessage, { kind: 'event', event: { kind: 'step', outcome: { status: 'FAILED', errorCode: 'ServiceLimitExceeded', message: 'too many' }, injected: true } });
    const byDefault = nextStep(record('IN_PROGRESS', { createdAt: NOW, fault: { errorCode: 'NotFound' } }), facts);
    assert.equal(byDefault.kind, 'event');
    const outcome = byDefault.kind === 'event' && byDefault.event.kind === 'step' ? byDefault.event.outcome : undefined;
    assert.equal(outcome?.status, 'FAILED');
    assert.ok(outcome?.status === 'FAILED' && outcome.errorCode === 'NotFound' && (outcome.message ?? '').length > 0);
  });

  test('a delay-only fault lets the handler run', () => {
    assert.deepEqual(nextStep(record('IN_PROGRESS', { createdAt: NOW, fault: { notBefore: NOW + 5000 } }), facts), { kind: 'handler', deadline: NOW + 120 * 60_000 });
  });
});
