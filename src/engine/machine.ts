/**
 * The request state machine: every status change, acceptance included, as pure functions over
 * (status × event). No I/O, no clock: the caller passes `now` and applies the result (persisting it with a
 * compare-and-set on `version`: compare-and-set.ts).
 *
 * Each step of a claimed request (`nextStep`) is decided here too, before anything runs: settle a cancel,
 * fail a request whose type left the catalogue, run the hooks of a PENDING one, time out, fail with an
 * injected fault, or run the handler; the worker only carries it out.
 *
 * Acceptance (`accept`): a new request is IN_PROGRESS, due at once or when an injected delay ends (shown as
 * RetryAfter); with pre-provision hooks to run it is PENDING instead, due at once (hooks run whatever the delay).
 *
 * PENDING: accepted but not started: the request is queued behind pre-provision hooks. `hooks` records
 * their verdict: IN_PROGRESS (due at once, or when an injected delay ends) when no FAIL-mode hook failed,
 * else FAILED with InvalidRequest. A step outcome applies as in IN_PROGRESS (the worker fails a PENDING
 * request whose type left the catalogue that way, so PENDING → SUCCESS/FAILED exist too). A cancel moves it
 * to CANCEL_IN_PROGRESS.
 *
 * IN_PROGRESS: the handler is being driven one step at a time. A step that returns IN_PROGRESS keeps the
 * status and schedules the next step after its callback delay (RetryAfter is shown only when that is in
 * the future). SUCCESS and FAILED are terminal. `timeout` fails the request with ServiceTimeout. A cancel
 * moves it to CANCEL_IN_PROGRESS and makes it due at once, so a worker settles it.
 *
 * CANCEL_IN_PROGRESS: no further handler invocations. If a step was running when the cancel arrived, its
 * result is still applied to the emulated resources (downstream work already happened; Cloud Control does
 * not roll back) and the request becomes CANCEL_COMPLETE. Otherwise a worker `settle`s it to
 * CANCEL_COMPLETE. Cancelling again is idempotent.
 *
 * SUCCESS, FAILED, CANCEL_COMPLETE: terminal. Cancel of SUCCESS or FAILED is rejected (AWS answers
 * "Request <token> is already in status <STATUS>"); cancel of CANCEL_COMPLETE returns it unchanged. Late
 * step results (a reclaimed lease's old worker) are ignored.
 *
 * Leaving an active status clears the per-resource lock (lockKey) and the due time; reaching a terminal
 * status stamps terminalAt, from which the 7-day retention counts.
 */
import type { HandlerErrorCode, OperationStatus } from '../domain/vocabulary.js';
import { isTerminal, type FaultPlan, type RequestDraft, type RequestRecord } from '../domain/records.js';
import { defaultMessage } from './messages.js';

/** What one handler step reported, already checked against the handler contract. */
export type StepOutcome =
  | { status: 'SUCCESS'; identifier?: string; resourceModel?: string; message?: string }
  | { status: 'FAILED'; errorCode: HandlerErrorCode; message?: string; identifier?: string }
  | { status: 'IN_PROGRESS'; callbackContext?: string; callbackDelaySeconds: number; identifier?: string; desiredState?: string; message?: string };

export type MachineEvent =
  /**
   * `notes`: lines the handler added for the timeline (appended to the history entry's detail); `ranMs`: how long
   * the handler ran (for the timeline); `injected`: the outcome is an injected fault, the handler did not run.
   */
  | { kind: 'step'; outcome: StepOutcome; notes?: readonly string[]; ranMs?: number; injected?: boolean }
  | { kind: 'cancel' }
  | { kind: 'settle' }
  | { kind: 'timeout'; message: string }
  /** The hooks' verdict: `hooksProgress` is the rendered HooksProgressEvent list; `blockedBy` fails the request. */
  | { kind: 'hooks'; hooksProgress: string; blockedBy?: string; dueAt: number };

/**
 * A handler's `timeoutInMinutes` when its schema gives none: 120, the default of the resource provider
 * meta-schema (cloud-control-semantics.md §timeouts, source CFN-meta: range 2–2160, default 120).
 */
export const DEFAULT_TIMEOUT_MINUTES = 120;

/** What a worker that has claimed a request does next, decided from the record before anything runs. */
export type NextStep =
  /** Nothing needs to run: apply this event. */
  | { kind: 'event'; event: MachineEvent }
  /** PENDING: run the pre-provision hooks, then apply their `hooks` verdict. */
  | { kind: 'hooks' }
  /** Run one handler step and apply its outcome; no callback delay may reach past `deadline`. */
  | { kind: 'handler'; deadline: number };

export interface StepFacts {
  /** The request's type is still in the catalogue. */
  typeKnown: boolean;
  /** The operation's handler `timeoutInMinutes`, when its schema declares one. */
  handlerTimeoutMinutes: number | undefined;
  now: number;
}

/**
 * The next step of a claimed request: a cancel in progress is settled; a type gone from the catalogue fails
 * the request; PENDING runs the hooks; past the handler's timeout (counted from acceptance) the request times
 * out; an injected fault fails it at its first step; otherwise the handler runs.
 */
export function nextStep(record: RequestRecord, facts: StepFacts): NextStep {
  if (record.status === 'CANCEL_IN_PROGRESS') return { kind: 'event', event: { kind: 'settle' } };
  if (!facts.typeKnown) {
    return { kind: 'event', event: { kind: 'step', outcome: { status: 'FAILED', errorCode: 'InternalFailure', message: `Type ${record.typeName} is no longer in the catalogue` } } };
  }
  if (record.status === 'PENDING') return { kind: 'hooks' };
  const timeoutMinutes = facts.handlerTimeoutMinutes ?? DEFAULT_TIMEOUT_MINUTES;
  const deadline = record.createdAt + timeoutMinutes * 60_000;
  if (facts.now >= deadline) return { kind: 'event', event: { kind: 'timeout', message: `Operation timed out after ${timeoutMinutes} minutes` } };
  if (record.fault?.errorCode) {
    const message = record.fault.statusMessage ?? defaultMessage(record.fault.errorCode, record);
    return { kind: 'event', event: { kind: 'step', outcome: { status: 'FAILED', errorCode: record.fault.errorCode, message }, injected: true } };
  }
  return { kind: 'handler', deadline };
}

export type MachineResult =
  /** Persist `record`; `detail` describes the change for the request's timeline. */
  | { kind: 'transition'; record: RequestRecord; detail: string; applyResourceWrites: boolean }
  | { kind: 'unchanged' }
  | { kind: 'rejected'; reason: 'already-terminal'; status: OperationStatus };

/** What was decided for a request as it is accepted, besides what the caller asked for. */
export interface Acceptance {
  token: string;
  /** An injected fault for the request's handler (faults.ts), decided now and kept with the request. */
  fault?: { delayMs?: number; errorCode?: HandlerErrorCode; statusMessage?: string };
  /** Pre-provision hooks apply: their token and their HooksProgressEvent list, all pending. */
  hooks?: { requestToken: string; progress: string; count: number };
}

/** The first transition: the request as it is stored when accepted, and its first timeline line. */
export function accept(draft: RequestDraft, acceptance: Acceptance, now: number): { record: RequestRecord; detail: string } {
  const record: RequestRecord = { ...draft, token: acceptance.token, status: 'IN_PROGRESS', createdAt: now, eventTime: now, dueAt: now, stepCount: 0, version: 1 };
  let detail = 'accepted';
  const { fault, hooks } = acceptance;
  if (fault) {
    const plan: FaultPlan = {};
    if (fault.delayMs) {
      plan.notBefore = now + fault.delayMs;
      record.dueAt = plan.notBefore;
      record.retryAfter = plan.notBefore;
      detail += `; injected delay of ${fault.delayMs} ms`;
    }
    if (fault.errorCode) {
      plan.errorCode = fault.errorCode;
      detail += `; injected failure ${fault.errorCode}`;
    }
    if (fault.statusMessage !== undefined) plan.statusMessage = fault.statusMessage;
    record.fault = plan;
  }
  if (hooks) {
    record.status = 'PENDING';
    record.dueAt = now;
    delete record.retryAfter;
    record.hooksRequestToken = hooks.requestToken;
    record.hooksProgress = hooks.progress;
    detail += `; ${hooks.count} pre-provision hook(s) to run`;
  }
  return { record, detail };
}

function moveTo(r: RequestRecord, status: OperationStatus, now: number, changes: Partial<RequestRecord>): RequestRecord {
  const next: RequestRecord = { ...r, ...changes, status, eventTime: now, version: r.version + 1 };
  if (status !== 'IN_PROGRESS' || next.retryAfter === undefined || next.retryAfter <= now) delete next.retryAfter;
  if (isTerminal(status)) {
    delete next.lockKey;
    delete next.dueAt;
    delete next.retryAfter;
    next.terminalAt = now;
  }
  return next;
}

/**
 * A step's timeline line: what it returned and, in parentheses, how long the handler ran and the callback
 * delay it asked for; an injected failure says so (the handler did not run).
 */
function stepDetail(step: number, event: Extract<MachineEvent, { kind: 'step' }>, delayMs: number): string {
  const { outcome } = event;
  if (event.injected && outcome.status === 'FAILED') return `handler step ${step}: injected failure ${outcome.errorCode} applied; the handler did not run`;
  const notes: string[] = [];
  if (event.ranMs !== undefined) notes.push(`ran ${event.ranMs} ms`);
  if (delayMs > 0) notes.push(`callback delay ${delayMs} ms`);
  return `handler step ${step} returned ${outcome.status}${notes.length ? ` (${notes.join('; ')})` : ''}`;
}

function applyStep(r: RequestRecord, event: Extract<MachineEvent, { kind: 'step' }>, now: number): MachineResult {
  const { outcome } = event;
  const step = r.stepCount + 1;
  const identifier = outcome.identifier ?? r.identifier;
  const base: Partial<RequestRecord> = { stepCount: step, ...(identifier !== undefined ? { identifier } : {}) };
  switch (outcome.status) {
    case 'SUCCESS': {
      const changes: Partial<RequestRecord> = { ...base };
      if (outcome.resourceModel !== undefined) changes.resourceModel = outcome.resourceModel;
      const record = moveTo(r, 'SUCCESS', now, changes);
      delete record.callbackContext;
      if (outcome.message === undefined) delete record.statusMessage;
      else record.statusMessage = outcome.message;
      return { kind: 'transition', record, detail: stepDetail(step, event, 0), applyResourceWrites: true };
    }
    case 'FAILED': {
      const changes: Partial<RequestRecord> = { ...base, errorCode: outcome.errorCode };
      if (outcome.message !== undefined) changes.statusMessage = outcome.message;
      const record = moveTo(r, 'FAILED', now, changes);
      delete record.callbackContext;
      return { kind: 'transition', record, detail: stepDetail(step, event, 0), applyResourceWrites: true };
    }
    case 'IN_PROGRESS': {
      const delayMs = Math.max(0, Math.round(outcome.callbackDelaySeconds * 1000));
      const dueAt = now + delayMs;
      const changes: Partial<RequestRecord> = { ...base, dueAt };
      if (delayMs > 0) changes.retryAfter = dueAt;
      if (outcome.callbackContext !== undefined) changes.callbackContext = outcome.callbackContext;
      if (outcome.desiredState !== undefined) changes.desiredState = outcome.desiredState;
      if (outcome.message !== undefined) changes.statusMessage = outcome.message;
      const record = moveTo(r, 'IN_PROGRESS', now, changes);
      if (delayMs === 0) delete record.retryAfter;
      return { kind: 'transition', record, detail: stepDetail(step, event, delayMs), applyResourceWrites: true };
    }
  }
}

/** The step's timeline line with the handler's notes after it. */
function withNotes(result: MachineResult, notes: readonly string[] | undefined): MachineResult {
  if (result.kind !== 'transition' || !notes?.length) return result;
  return { ...result, detail: [result.detail, ...notes].join('; ') };
}

export function transition(r: RequestRecord, event: MachineEvent, now: number): MachineResult {
  switch (r.status) {
    case 'PENDING':
    case 'IN_PROGRESS':
      switch (event.kind) {
        case 'step':
          return withNotes(applyStep(r, event, now), event.notes);
        case 'cancel':
          return {
            kind: 'transition',
            record: moveTo(r, 'CANCEL_IN_PROGRESS', now, { dueAt: now }),
            detail: 'cancel requested',
            applyResourceWrites: false,
          };
        case 'settle':
          return { kind: 'unchanged' };
        case 'timeout':
          return {
            kind: 'transition',
            record: moveTo(r, 'FAILED', now, { errorCode: 'ServiceTimeout', statusMessage: event.message }),
            detail: 'timed out',
            applyResourceWrites: false,
          };
        case 'hooks':
          if (r.status !== 'PENDING') return { kind: 'unchanged' };
          if (event.blockedBy !== undefined) {
            return {
              kind: 'transition',
              record: moveTo(r, 'FAILED', now, { hooksProgress: event.hooksProgress, errorCode: 'InvalidRequest', statusMessage: event.blockedBy }),
              detail: 'hooks failed',
              applyResourceWrites: false,
            };
          }
          return {
            kind: 'transition',
            record: moveTo(r, 'IN_PROGRESS', now, { hooksProgress: event.hooksProgress, dueAt: event.dueAt, ...(event.dueAt > now ? { retryAfter: event.dueAt } : {}) }),
            detail: 'hooks passed',
            applyResourceWrites: false,
          };
      }
      break;
    case 'CANCEL_IN_PROGRESS':
      switch (event.kind) {
        case 'step':
          return {
            kind: 'transition',
            record: moveTo(r, 'CANCEL_COMPLETE', now, { stepCount: r.stepCount + 1 }),
            detail: `handler step ${r.stepCount + 1} returned ${event.outcome.status} after the cancel; no further steps`,
            applyResourceWrites: true,
          };
        case 'settle':
        case 'timeout':
          return { kind: 'transition', record: moveTo(r, 'CANCEL_COMPLETE', now, {}), detail: 'cancelled', applyResourceWrites: false };
        case 'hooks':
          // Cancelled while the hooks ran: keep their verdict on record, run nothing further.
          return { kind: 'transition', record: moveTo(r, 'CANCEL_COMPLETE', now, { hooksProgress: event.hooksProgress }), detail: 'cancelled while hooks ran', applyResourceWrites: false };
        case 'cancel':
          return { kind: 'unchanged' };
      }
      break;
    case 'SUCCESS':
    case 'FAILED':
      return event.kind === 'cancel' ? { kind: 'rejected', reason: 'already-terminal', status: r.status } : { kind: 'unchanged' };
    case 'CANCEL_COMPLETE':
      return { kind: 'unchanged' };
  }
}
