/**
 * The request engine's front door for api/: accepting requests (with ClientToken replay, the
 * per-resource lock and injected faults), cancelling, looking them up, and keeping retention.
 */
import type { Clock } from '../lib/clock.js';
import type { IdSource } from '../lib/ids.js';
import { ServiceError, validationError } from '../protocol/errors.js';
import type { OperationType } from '../domain/vocabulary.js';
import type { RequestFilter, Store } from '../store/store.js';
import type { FaultInjector } from './faults.js';
import type { HookRunner } from './hooks/runner.js';
import { partitionOf } from '../domain/partition.js';
import { accept } from './machine.js';
import { nextPurgeBatch, PURGE_FIRST_BATCH } from './purge-pace.js';
import { applyEvent, historyFor } from './compare-and-set.js';
import type { HistoryEntry, RequestDraft, RequestRecord, Scope } from '../domain/records.js';
import type { ProgressEvent } from '../domain/progress-event.js';
import type { Worker } from './worker.js';
import { Observer, transitionEvent } from './observer.js';

export const CLIENT_TOKEN_WINDOW_MS = 36 * 60 * 60 * 1000;
export const RETENTION_MS = 7 * 24 * 60 * 60 * 1000;
/**
 * How long CreateResource/UpdateResource/DeleteResource wait for the first handler step before answering.
 * Waiters poll at once after the call (then 5 s later), so finishing a fast operation here saves them 5 s;
 * a slow handler is never waited for longer than this.
 */
export const FIRST_STEP_WAIT_MS = 25;

export type SubmitOutcome = { kind: 'accepted' | 'replayed'; record: RequestRecord };

export class Engine {
  constructor(
    readonly store: Store,
    private readonly worker: Worker,
    private readonly faults: FaultInjector,
    private readonly clock: Clock,
    private readonly ids: IdSource,
    private readonly hooks?: HookRunner,
    private readonly observer: Observer = new Observer(),
  ) {}

  /**
   * The original request when `clientToken` was used within 36 hours with the same fingerprint;
   * ClientTokenConflictException when it was used for something else; undefined when unused.
   */
  async replayed(scope: Scope, clientToken: string | undefined, fingerprint: string): Promise<RequestRecord | undefined> {
    if (clientToken === undefined) return undefined;
    const existing = await this.store.findByClientToken(scope, clientToken, this.clock.now() - CLIENT_TOKEN_WINDOW_MS);
    return existing && this.checkReplay(existing, fingerprint);
  }

  private checkReplay(existing: RequestRecord, fingerprint: string): RequestRecord {
    if (existing.fingerprint !== fingerprint) {
      throw new ServiceError('ClientTokenConflictException', 'The specified client token has already been used in another resource request');
    }
    return existing;
  }

  async submit(draft: RequestDraft): Promise<SubmitOutcome> {
    const now = this.clock.now();
    const fault = this.faults.handlerFault(draft.operation, draft.typeName);
    const hooks = this.hooks?.matching(draft.typeName, draft.operation) ?? [];
    const { record, detail } = accept(
      draft,
      {
        token: this.ids.timeOrderedUuid(),
        ...(fault ? { fault } : {}),
        ...(hooks.length > 0
          ? { hooks: { requestToken: this.ids.uuid(), progress: JSON.stringify(this.hooks!.pending(hooks, { ...draft, partition: partitionOf(draft.region) }, now)), count: hooks.length } }
          : {}),
      },
      now,
    );
    const runsNow = record.dueAt! <= now;
    if (runsNow) Object.assign(record, this.worker.leaseFrom(now));
    const outcome = await this.store.insertRequest(record, historyFor(record, detail), now - CLIENT_TOKEN_WINDOW_MS);
    switch (outcome.kind) {
      case 'inserted': {
        this.observer.emit(transitionEvent(undefined, outcome.record, now));
        if (runsNow) await firstOf(this.worker.runFresh(outcome.record), FIRST_STEP_WAIT_MS);
        else this.worker.wake();
        // The answer is the request as accepted, whatever the first step did: AWS answers IN_PROGRESS.
        const accepted = { ...outcome.record };
        delete accepted.leaseOwner;
        delete accepted.leaseUntil;
        return { kind: 'accepted', record: accepted };
      }
      case 'clientTokenUsed':
        return { kind: 'replayed', record: this.checkReplay(outcome.existing, draft.fingerprint) };
      case 'locked':
        throw concurrentOperation(draft.lockKey!, outcome.holderToken);
    }
  }

  /** ConcurrentOperationException when another active request holds the resource. */
  async assertUnlocked(scope: Scope, typeName: string, lockKey: string): Promise<void> {
    const holder = await this.store.findLockHolder(scope, typeName, lockKey);
    if (holder) throw concurrentOperation(lockKey, holder.token);
  }

  async get(scope: Scope, token: string): Promise<RequestRecord> {
    const record = await this.store.getRequest(token);
    if (!record || record.accountId !== scope.accountId || record.region !== scope.region || this.expired(record)) {
      throw new ServiceError('RequestTokenNotFoundException', `Request with token ${token} was not found`);
    }
    return record;
  }

  /**
   * The rendered ProgressEvent of a request, for GetResourceRequestStatus: one indexed read, no rendering,
   * except in the rare moment a scheduled step is late (RetryAfter must never be in the past). What comes
   * back is the store's view itself whenever it can be: the same object for as long as the request is
   * unchanged and the store keeps it in memory, so callers may remember what they derive from it.
   */
  async statusEvent(scope: Scope, token: string): Promise<{ readonly progressEvent: string; readonly hooksProgress?: string }> {
    const view = await this.store.getRequestStatus(token);
    if (!view || view.accountId !== scope.accountId || view.region !== scope.region || this.expired(view)) {
      throw new ServiceError('RequestTokenNotFoundException', `Request with token ${token} was not found`);
    }
    if (view.retryAfter === undefined || view.retryAfter > this.clock.now()) return view;
    const event = JSON.parse(view.progressEvent) as ProgressEvent;
    delete event.RetryAfter;
    const progressEvent = JSON.stringify(event);
    return view.hooksProgress === undefined ? { progressEvent } : { progressEvent, hooksProgress: view.hooksProgress };
  }

  /** The request a HooksRequestToken belongs to, in the caller's scope and retention; undefined otherwise. */
  async byHooksToken(scope: Scope, hooksRequestToken: string): Promise<RequestRecord | undefined> {
    const record = await this.store.getRequestByHooksToken(hooksRequestToken);
    if (!record || record.accountId !== scope.accountId || record.region !== scope.region || this.expired(record)) return undefined;
    return record;
  }

  private expired(record: { terminalAt?: number }): boolean {
    return record.terminalAt !== undefined && record.terminalAt < this.clock.now() - RETENTION_MS;
  }

  async list(scope: Scope, filter: RequestFilter, beforeSeq: number | undefined, limit: number): Promise<RequestRecord[]> {
    const records = await this.store.listRequests(scope, filter, beforeSeq, limit);
    return records.filter((r) => !this.expired(r));
  }

  async cancel(scope: Scope, token: string): Promise<RequestRecord> {
    // The lease stays with whoever holds it: a step under way finishes and settles the cancel itself.
    const applied = await applyEvent(await this.get(scope, token), { kind: 'cancel' }, { store: this.store, now: () => this.clock.now(), attempts: 3, reread: () => this.get(scope, token) });
    switch (applied.kind) {
      case 'stored':
        this.observer.emit(transitionEvent(applied.from, applied.record, applied.record.eventTime));
        this.worker.wake();
        return applied.record;
      case 'not-applicable':
        if (applied.result.kind === 'rejected') throw validationError(`Request ${token} is already in status ${applied.result.status}`);
        return applied.record;
      case 'gone':
      case 'gave-up':
        throw new ServiceError('ConcurrentModificationException', 'The resource is currently being modified by another operation');
    }
  }

  history(token: string): Promise<HistoryEntry[]> {
    return this.store.history(token);
  }

  /**
   * Deletes requests that ended more than 7 days ago, in batches sized so each lasts about 5 ms (purge-pace.ts),
   * yielding to other calls between them: the hot path is never blocked long, however much has expired.
   */
  async purgeExpired(firstBatch = PURGE_FIRST_BATCH): Promise<number> {
    let total = 0;
    let batch = firstBatch;
    for (;;) {
      const started = performance.now();
      const n = await this.store.purgeRequests(this.clock.now() - RETENTION_MS, batch);
      total += n;
      if (n < batch) return total;
      batch = nextPurgeBatch(batch, performance.now() - started);
      await new Promise((resolve) => setImmediate(resolve));
    }
  }
}

/** Resolves when `work` does or after `ms`, whichever is first. */
function firstOf(work: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const bound = new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)));
  return Promise.race([work, bound]).finally(() => clearTimeout(timer));
}

function concurrentOperation(lockKey: string, holderToken: string): ServiceError {
  // Wording observed on AWS (radius-project/radius#7066); clients parse the token out of it.
  return new ServiceError('ConcurrentOperationException', `Concurrent operation found for resource ${lockKey} with RequestToken ${holderToken}`);
}
