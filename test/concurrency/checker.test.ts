/**
 * The concurrency checker's judgement on hand-made histories: each rule reports what breaks it (a lost
 * update, overlapping requests, a changed terminal status, a ClientToken answered twice, a lost request)
 * and accepts what Cloud Control allows (either outcome of a cancelled update, near misses in timing).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { checkHistory, type Rule } from './checker.js';
import type { CallRecord, RunHistory, TimelineEntry } from './history.js';
import { applyPatch, possibleFinalStates } from './model.js';

const TYPE = 'AWS::Logs::LogGroup';
const R = 'run-r0';
const created = { LogGroupName: R, RetentionInDays: 7, Tags: [] };
const tagPatch = [{ op: 'add', path: '/Tags/-', value: { Key: 'a', Value: '1' } }];
const policyPatch = [{ op: 'add', path: '/DataProtectionPolicy', value: { Name: 'p' } }];

/** Builds a run: requests with their call, timeline and final status; the model and extra calls by hand. */
class HistoryBuilder {
  private readonly history: RunHistory = { runId: 'run', nodes: 1, resources: [R], calls: [], statusReads: [], timelines: {}, listed: [], finalModels: { [R]: [null] } };
  private clock = 1_000;

  call(operation: CallRecord['operation'], input: Record<string, string>, answer: { status: number; body: Record<string, unknown> }, times?: { sentAt: number; answeredAt: number }): CallRecord {
    const sentAt = times?.sentAt ?? (this.clock += 10);
    const record: CallRecord = { id: this.history.calls.length, round: 1, node: 0, operation, input, resource: R, sentAt, answeredAt: times?.answeredAt ?? sentAt + 5, ...answer };
    this.history.calls.push(record);
    return record;
  }

  /** An accepted request: its call, a timeline from `start` to `end` (ms), and the final status read. */
  request(token: string, operation: 'CREATE' | 'UPDATE' | 'DELETE', input: Record<string, string>, status: string, span: { start: number; end: number; answeredAt?: number }, errorCode?: string): void {
    const api = operation === 'CREATE' ? 'CreateResource' : operation === 'UPDATE' ? 'UpdateResource' : 'DeleteResource';
    this.call(api, { TypeName: TYPE, ...input }, { status: 200, body: { ProgressEvent: { RequestToken: token, Operation: operation, OperationStatus: 'IN_PROGRESS', Identifier: R } } }, { sentAt: span.start - 1, answeredAt: span.answeredAt ?? span.end + 1 });
    const timeline: TimelineEntry[] = [
      { OperationStatus: 'IN_PROGRESS', eventTime: span.start, Detail: 'accepted' },
      { OperationStatus: status, eventTime: span.end, Detail: 'handler step 1', ...(errorCode ? { ErrorCode: errorCode } : {}) },
    ];
    this.history.timelines[token] = timeline;
    const event = { RequestToken: token, Operation: operation, OperationStatus: status, Identifier: R, ...(errorCode ? { ErrorCode: errorCode } : {}) };
    this.history.statusReads.push({ token, node: 0, sentAt: span.end + 50, answeredAt: span.end + 51, event });
    this.history.listed.unshift(event);
  }

  create(token: string, status = 'SUCCESS', span = { start: 100, end: 110 }): this {
    this.request(token, 'CREATE', { DesiredState: JSON.stringify(created) }, status, span);
    return this;
  }

  update(token: string, patch: object[], status: string, span: { start: number; end: number; answeredAt?: number }, extra: Record<string, string> = {}): this {
    this.request(token, 'UPDATE', { Identifier: R, PatchDocument: JSON.stringify(patch), ...extra }, status, span);
    return this;
  }

  model(model: Record<string, unknown> | null): this {
    this.history.finalModels[R] = [model === null ? null : { ...model, Arn: 'arn:aws:logs:us-east-1:000000000000:log-group:run-r0' }];
    return this;
  }

  edit(change: (history: RunHistory) => void): this {
    change(this.history);
    return this;
  }

  rules(): Rule[] {
    return checkHistory(this.history).violations.map((v) => v.rule);
  }
}

const withTag = { ...created, Tags: [{ Key: 'a', Value: '1' }] };
const withBoth = { ...withTag, DataProtectionPolicy: { Name: 'p' } };

describe('concurrency checker: final model', () => {
  test('two SUCCESSful updates both show in the final model; losing one is reported (defect 1)', () => {
    const history = () => new HistoryBuilder().create('c').update('u1', tagPatch, 'SUCCESS', { start: 200, end: 210 }).update('u2', policyPatch, 'SUCCESS', { start: 220, end: 230 });
    assert.deepEqual(history().model(withBoth).rules(), []);
    assert.deepEqual(history().model({ ...created, DataProtectionPolicy: { Name: 'p' } }).rules(), ['final-model']);
  });

  test('acceptance order decides which value of one property wins', () => {
    const retention = (days: number) => [{ op: 'replace', path: '/RetentionInDays', value: days }];
    const history = () => new HistoryBuilder().create('c').update('u1', retention(30), 'SUCCESS', { start: 200, end: 210 }).update('u2', retention(60), 'SUCCESS', { start: 220, end: 230 });
    assert.deepEqual(history().model({ ...created, RetentionInDays: 60 }).rules(), []);
    assert.deepEqual(history().model({ ...created, RetentionInDays: 30 }).rules(), ['final-model']);
  });

  test('a CANCEL_COMPLETE update may or may not have applied; a FAILED one never applies', () => {
    const cancelled = () => new HistoryBuilder().create('c').update('u1', tagPatch, 'CANCEL_COMPLETE', { start: 200, end: 210 });
    assert.deepEqual(cancelled().model(created).rules(), []);
    assert.deepEqual(cancelled().model(withTag).rules(), []);
    assert.deepEqual(cancelled().model({ ...created, RetentionInDays: 1 }).rules(), ['final-model']);
    const failed = () => new HistoryBuilder().create('c').update('u1', tagPatch, 'FAILED', { start: 200, end: 210 });
    assert.deepEqual(failed().model(created).rules(), []);
    assert.deepEqual(failed().model(withTag).rules(), ['final-model']);
  });

  test('a SUCCESSful create over an existing resource has no sequential explanation', () => {
    const history = new HistoryBuilder().create('c1').create('c2', 'SUCCESS', { start: 300, end: 310 }).model(created);
    assert.deepEqual(history.rules(), ['final-model']);
  });

  test('the model applies the three patch forms the driver sends, and refuses a replace of a missing property', () => {
    assert.deepEqual(applyPatch(created, [...tagPatch, { op: 'replace', path: '/RetentionInDays', value: 1 }]), { ...withTag, RetentionInDays: 1 });
    assert.equal(applyPatch(created, [{ op: 'replace', path: '/DataProtectionPolicy', value: {} }]), undefined);
    assert.equal(possibleFinalStates([{ token: 'u', operation: 'UPDATE', status: 'SUCCESS', patch: tagPatch }]).unexplained?.token, 'u');
  });
});

describe('concurrency checker: one operation in flight per resource', () => {
  test('a request inserted while another was certainly active is reported', () => {
    // u2's second timeline entry (215) is before u1's terminal time (230): u2 was in the table then.
    const history = new HistoryBuilder().create('c').update('u1', tagPatch, 'SUCCESS', { start: 200, end: 230, answeredAt: 205 }).update('u2', policyPatch, 'SUCCESS', { start: 210, end: 215, answeredAt: 216 }).model(withBoth);
    assert.deepEqual(history.rules(), ['one-in-flight']);
  });

  test('an acceptance stamped before the other ended, but inserted after, is not evidence', () => {
    // u2 was stamped 'accepted' at 220, before u1 ended (230), but nothing shows it was in the table before 235.
    const history = new HistoryBuilder().create('c').update('u1', tagPatch, 'SUCCESS', { start: 200, end: 230 }).update('u2', policyPatch, 'SUCCESS', { start: 220, end: 235 }).model(withBoth);
    assert.deepEqual(history.rules(), []);
  });

  test('a ConcurrentOperationException must name a request on that resource', () => {
    const refused = (holder: string) =>
      new HistoryBuilder()
        .create('c')
        .model(created)
        .edit((h) => h.calls.push({ ...h.calls[0]!, id: 1, operation: 'UpdateResource', status: 400, body: { __type: 'ConcurrentOperationException', Message: `Concurrent operation found for resource ${R} with RequestToken ${holder}` } }))
        .rules();
    assert.deepEqual(refused('c'), []);
    assert.deepEqual(refused('elsewhere'), ['one-in-flight']);
  });
});

describe('concurrency checker: terminal statuses', () => {
  test('a timeline with two terminal statuses, or a status that changes after a terminal one, is reported', () => {
    const twice = new HistoryBuilder()
      .create('c')
      .model(created)
      .edit((h) => h.timelines.c!.push({ OperationStatus: 'CANCEL_COMPLETE', eventTime: 120, Detail: 'cancelled' }));
    assert.ok(twice.rules().includes('one-terminal-status'));
    const changed = new HistoryBuilder()
      .create('c')
      .model(created)
      .edit((h) => h.statusReads.push({ token: 'c', node: 0, sentAt: 900, answeredAt: 901, event: { RequestToken: 'c', OperationStatus: 'FAILED' } }));
    assert.ok(changed.rules().includes('one-terminal-status'));
  });

  test('an accepted cancel must end CANCEL_COMPLETE; a refused one names the status the request ended in', () => {
    const cancel = (answer: { status: number; body: Record<string, unknown> }) =>
      new HistoryBuilder()
        .create('c')
        .model(created)
        .edit((h) => h.calls.push({ ...h.calls[0]!, id: 1, operation: 'CancelResourceRequest', input: { RequestToken: 'c' }, sentAt: 105, answeredAt: 106, ...answer }))
        .rules();
    assert.deepEqual(cancel({ status: 400, body: { __type: 'ValidationException', Message: 'Request c is already in status SUCCESS' } }), []);
    assert.deepEqual(cancel({ status: 400, body: { __type: 'ValidationException', Message: 'Request c is already in status FAILED' } }), ['one-terminal-status']);
    assert.ok(cancel({ status: 200, body: { ProgressEvent: { RequestToken: 'c', OperationStatus: 'CANCEL_IN_PROGRESS' } } }).includes('one-terminal-status'));
  });
});

describe('concurrency checker: ClientTokens and lost requests', () => {
  const token = { ClientToken: 'ct1' };

  test('a replay after acceptance gets the same request (same input) or ClientTokenConflictException (other input)', () => {
    const replay = (input: object, answer: { status: number; body: Record<string, unknown> }) =>
      new HistoryBuilder()
        .create('c')
        .update('u1', tagPatch, 'SUCCESS', { start: 200, end: 210 }, token)
        .model(withTag)
        .edit((h) => h.calls.push({ ...h.calls[1]!, id: 2, input: { ...h.calls[1]!.input, ...input }, sentAt: 500, answeredAt: 505, ...answer }))
        .rules();
    const same = { status: 200, body: { ProgressEvent: { RequestToken: 'u1', Operation: 'UPDATE', OperationStatus: 'SUCCESS' } } };
    const conflict = { status: 400, body: { __type: 'ClientTokenConflictException' } };
    assert.deepEqual(replay({}, same), []);
    assert.deepEqual(replay({ PatchDocument: JSON.stringify(policyPatch) }, conflict), []);
    assert.deepEqual(replay({}, { status: 400, body: { __type: 'ConcurrentOperationException', Message: `... with RequestToken u1` } }), ['client-token']);
    assert.deepEqual(replay({ PatchDocument: JSON.stringify(policyPatch) }, same), ['client-token', 'client-token']);
  });

  test('one ClientToken answered with two requests is reported', () => {
    const history = new HistoryBuilder()
      .create('c')
      .update('u1', tagPatch, 'SUCCESS', { start: 200, end: 210 }, token)
      .update('u2', tagPatch, 'SUCCESS', { start: 202, end: 230 }, token)
      .model({ ...withTag, Tags: [...withTag.Tags, ...withTag.Tags] });
    assert.ok(history.rules().includes('client-token'));
  });

  test('an acknowledged request missing from ListResourceRequests or GetResourceRequestStatus is reported', () => {
    const unlisted = new HistoryBuilder().create('c').model(created).edit((h) => (h.listed = []));
    assert.ok(unlisted.rules().includes('nothing-lost'));
    const notFound = new HistoryBuilder()
      .create('c')
      .model(created)
      .edit((h) => h.statusReads.push({ token: 'c', node: 1, sentAt: 900, answeredAt: 901, errorCode: 'RequestTokenNotFoundException' }));
    assert.deepEqual(notFound.rules(), ['nothing-lost']);
  });
});
