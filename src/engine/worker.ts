/**
 * The worker: claims due requests, runs ONE handler step for each, and applies the result with a
 * compare-and-set, together with the step's resource writes and a timeline entry, in one transaction.
 * Nothing sleeps inside a request: a step that wants more time returns IN_PROGRESS with a delay and the
 * request becomes due again later. wake() runs the loop at once (setImmediate), so a fast operation is
 * finished before the client's first GetResourceRequestStatus can even be read off the socket.
 *
 * Where the store can renew leases, a claimed request's lease is short (10 s by default) so that when a
 * node dies another node takes over its work quickly; while a step runs, a heartbeat renews the leases of
 * every request this worker is stepping (one statement for all, every third of a lease), so a slow step
 * keeps its request.
 *
 * Fresh requests take a shorter path: the engine inserts them already leased to this worker and hands
 * them to runFresh(), so their first step needs no claim; the engine waits briefly for that step, and a
 * fast operation is SUCCESS by the time the client's first poll arrives.
 */
import { hostname } from 'node:os';
import type { Clock } from '../lib/clock.js';
import type { IdSource } from '../lib/ids.js';
import type { Logger } from '../lib/logger.js';
import { schemaHandlerKey, type HandlerErrorCode } from '../domain/vocabulary.js';
import type { HandlerRequest, ProviderResolver, ResourceModel } from '../providers/contract.js';
import { partitionOf } from '../domain/partition.js';
import { blockedMessage, type HookRunner } from './hooks/runner.js';
import type { ResourceType, TypeCatalogue } from '../registry/types.js';
import type { Store } from '../store/store.js';
import { BufferedResources } from './emulated-resources.js';
import { backfillResourceIndex } from './index-backfill.js';
import { applyEvent } from './compare-and-set.js';
import { nextStep, type MachineEvent, type StepOutcome } from './machine.js';
import { defaultMessage } from './messages.js';
import type { RequestRecord } from '../domain/records.js';
import { DEFAULT_STEP_BUDGET_MS } from '../lib/budget.js';
import { invokeHandler, type InvokeDeps } from './invoke.js';
import { awaitsRebase, rebaseUpdate } from './update-rebase.js';
import type { ReferencePolicy } from '../providers/references/policy.js';
import { Observer, transitionEvent } from './observer.js';
import { performance } from 'node:perf_hooks';

export interface WorkerOptions {
  nodeId?: string;
  /** How long a claimed request is ours before another worker may take it over; renewed while a step runs. */
  leaseMs?: number;
  batchSize?: number;
  /** Upper bound on idle sleeps, so work scheduled by other means is found without a wake-up. */
  maxIdleMs?: number;
  /** How long one handler step may take before it counts as failed (default 60 s, CloudFormation's per-event limit). */
  stepBudgetMs?: number;
  /** Pre-provision hooks: requests accepted PENDING run them before their first handler step. */
  hooks?: HookRunner;
  /** How create and update steps check references to other resources (--references); absent: not checked. */
  references?: ReferencePolicy;
  /** Where the worker reports status changes, step durations and its lag (the access log and the metrics). */
  observer?: Observer;
}

export class Worker {
  readonly nodeId: string;
  private readonly leaseMs: number;
  private readonly batchSize: number;
  private readonly maxIdleMs: number;
  private readonly stepBudgetMs: number;
  private readonly hooks: HookRunner | undefined;
  private readonly observer: Observer;
  private readonly invokeDeps: InvokeDeps;
  private running = false;
  private again = false;
  private stopped = true;
  private timer: NodeJS.Timeout | undefined;
  private timerDueAt = Infinity;
  private immediate: NodeJS.Immediate | undefined;
  private current: Promise<void> = Promise.resolve();
  private readonly fresh = new Set<Promise<void>>();
  /** Tokens whose step runs here right now: the leases the heartbeat renews. */
  private readonly stepping = new Set<string>();
  private heartbeat: NodeJS.Timeout | undefined;
  private renewing = false;
  /** The backfill of the resource index (index-backfill.ts) started by start(). */
  private backfill: Promise<void> | undefined;

  constructor(
    private readonly store: Store,
    private readonly catalogue: TypeCatalogue,
    private readonly providers: ProviderResolver,
    private readonly clock: Clock,
    private readonly ids: IdSource,
    private readonly log: Logger,
    options: WorkerOptions = {},
  ) {
    this.nodeId = options.nodeId ?? `${hostname()}:${process.pid}:${ids.random('abcdefghijklmnopqrstuvwxyz0123456789', 6)}`;
    this.stepBudgetMs = options.stepBudgetMs ?? DEFAULT_STEP_BUDGET_MS;
    // Short only where a heartbeat keeps a slow step's lease alive; otherwise it must outlive a step that
    // runs for its whole budget.
    this.leaseMs = options.leaseMs ?? (store.renewLeases ? 10_000 : Math.max(30_000, this.stepBudgetMs + 5_000));
    this.batchSize = options.batchSize ?? 64;
    this.maxIdleMs = options.maxIdleMs ?? 5_000;
    this.hooks = options.hooks;
    this.observer = options.observer ?? new Observer();
    this.invokeDeps = { providers, clock, ids, log, budgetMs: this.stepBudgetMs, ...(options.references ? { references: options.references } : {}) };
  }

  start(): void {
    this.stopped = false;
    // Resources stored before the resource index existed (migration 006) are indexed in the background.
    this.backfill ??= backfillResourceIndex(this.store, this.catalogue, () => this.stopped)
      .then((n) => void (n > 0 && this.log.info({ resources: n }, 'indexed resources stored before the resource index')))
      .catch((error: unknown) => {
        this.log.warn({ err: error }, 'could not index the resources stored before the resource index; trying again at the next start');
      });
    this.wake();
  }

  /** Stops taking new work and waits for the steps under way to be applied. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    if (this.immediate) clearImmediate(this.immediate);
    await Promise.all([this.current, ...this.fresh, this.backfill]);
    this.backfill = undefined;
    clearInterval(this.heartbeat);
    this.heartbeat = undefined;
  }

  /** The lease a fresh request is inserted with, so that it is this worker's without a claim. */
  leaseFrom(now: number): { leaseOwner: string; leaseUntil: number } {
    return { leaseOwner: this.nodeId, leaseUntil: now + this.leaseMs };
  }

  /** Runs the first step of a request inserted with leaseFrom(); resolves once its result is stored. */
  runFresh(record: RequestRecord): Promise<void> {
    if (this.stopped) return Promise.resolve(); // the lease is released at the next start (or expires)
    const run: Promise<void> = this.runOne(record).finally(() => this.fresh.delete(run));
    this.fresh.add(run);
    return run;
  }

  /** New or newly due work: run the loop as soon as the current I/O callback is done. */
  wake(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    if (this.immediate) return;
    this.immediate = setImmediate(() => {
      this.immediate = undefined;
      this.current = this.drain();
    });
  }

  private async drain(): Promise<void> {
    if (this.running || this.stopped) return;
    this.running = true;
    try {
      do {
        this.again = false;
        const now = this.clock.now();
        const batch = await this.store.claimDueRequests(now, this.nodeId, now + this.leaseMs, this.batchSize);
        if (this.observer.active) for (const record of batch) this.observer.emit({ kind: 'claim', ms: Math.max(0, now - (record.dueAt ?? now)) });
        await Promise.all(batch.map((record) => this.runOne(record)));
        if (batch.length === this.batchSize) this.again = true;
      } while (this.again && !this.stopped);
    } catch (error) {
      this.log.error({ err: error }, 'worker loop failed; retrying shortly');
    } finally {
      this.running = false;
    }
    await this.scheduleNext();
  }

  private async scheduleNext(): Promise<void> {
    if (this.stopped) return;
    let delay = this.maxIdleMs;
    try {
      const next = await this.store.nextDueAt();
      if (next !== undefined) delay = Math.min(delay, Math.max(0, next - this.clock.now()));
    } catch (error) {
      this.log.error({ err: error }, 'could not read the next due time');
    }
    if (this.stopped) return;
    this.armTimer(this.clock.now() + delay);
  }

  /** Makes sure the loop runs by `at` (keeps an earlier timer). */
  private armTimer(at: number): void {
    if (this.timer && this.timerDueAt <= at) return;
    if (this.timer) clearTimeout(this.timer);
    this.timerDueAt = at;
    // A step due now goes through wake() so it shares the setImmediate path; later ones wait on a timer.
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.timerDueAt = Infinity;
      this.wake();
    }, Math.max(0, at - this.clock.now()));
    this.timer.unref();
  }

  /** A stored transition left work for later (a callback delay): make sure the loop wakes for it. */
  private noteDue(dueAt: number | undefined): void {
    if (dueAt === undefined || this.stopped) return;
    if (dueAt <= this.clock.now()) this.wake();
    else this.armTimer(dueAt);
  }

  private async runOne(claimed: RequestRecord): Promise<void> {
    this.stepping.add(claimed.token);
    this.startHeartbeat();
    try {
      const type = this.catalogue.get(claimed.typeName);
      const now = this.clock.now();
      const next = nextStep(claimed, {
        typeKnown: type !== undefined,
        handlerTimeoutMinutes: type?.schema.handlers?.[schemaHandlerKey(claimed.operation)]?.timeoutInMinutes,
        now,
      });
      if (next.kind === 'event') {
        await this.apply(claimed, next.event, []);
        return;
      }
      // From here on the type is known: nextStep answers with an event for a type gone from the catalogue.
      if (next.kind === 'hooks') {
        // Hooks judge the update as it will run; a patch that no longer applies is refused at the first step.
        const rebased = await this.rebased(type!, claimed);
        const record = 'status' in rebased ? claimed : rebased.record;
        await this.apply(record, await this.runHooks(type!, record), []);
        return;
      }
      const deadline = next.deadline;
      const rebased = await this.rebased(type!, claimed);
      if ('status' in rebased) {
        await this.apply(claimed, { kind: 'step', outcome: rebased }, []);
        return;
      }
      claimed = rebased.record;
      if (claimed.stepCount === 0) this.observer.emit({ kind: 'first-step', ms: Math.max(0, now - claimed.createdAt) });
      const resources = new BufferedResources(this.store, claimed, claimed.typeName, now, this.catalogue);
      const started = this.clock.now();
      const { outcome, notes } = await this.invoke(type!, claimed, resources);
      const ranMs = this.clock.now() - started;
      // A callback delay past the timeout would let the request outlive it: wake up at the deadline instead.
      if (outcome.status === 'IN_PROGRESS') outcome.callbackDelaySeconds = Math.min(outcome.callbackDelaySeconds, Math.max(0, (deadline - this.clock.now()) / 1000));
      await this.apply(claimed, { kind: 'step', outcome, ranMs, ...(notes ? { notes } : {}) }, resources.writes);
    } catch (error) {
      // The lease runs out and the request is retried; log it so a persistent fault is visible.
      this.log.error({ err: error, requestToken: claimed.token }, 'handler step could not be applied');
    } finally {
      this.stepping.delete(claimed.token);
    }
  }

  /** Renews the leases of the steps under way every third of a lease, until none is left. */
  private startHeartbeat(): void {
    if (this.heartbeat || !this.store.renewLeases) return;
    this.heartbeat = setInterval(() => void this.renewLeases(), Math.max(1, Math.floor(this.leaseMs / 3)));
    this.heartbeat.unref();
  }

  private async renewLeases(): Promise<void> {
    if (this.stepping.size === 0) {
      clearInterval(this.heartbeat);
      this.heartbeat = undefined;
      return;
    }
    if (this.renewing) return; // the previous renewal is still waiting on a slow database
    this.renewing = true;
    const tokens = [...this.stepping];
    try {
      const lost = await this.store.renewLeases!(this.nodeId, tokens, this.clock.now() + this.leaseMs);
      // Another worker took these over (our lease had expired); the step's result will lose its compare-and-set.
      if (lost.length > 0) this.log.warn({ requestTokens: lost }, 'lease lost while a step was running');
    } catch (error) {
      this.log.warn({ err: error, requestTokens: tokens }, 'could not renew leases; retrying at the next heartbeat');
    } finally {
      this.renewing = false;
    }
  }

  /** A request's step: its handler, with the state the request carries. */
  private async invoke(type: ResourceType, record: RequestRecord, resources: BufferedResources): Promise<{ outcome: StepOutcome; notes?: string[] }> {
    const request: Partial<HandlerRequest> = {};
    if (record.desiredState !== undefined) request.desiredResourceState = JSON.parse(record.desiredState) as ResourceModel;
    if (record.previousState !== undefined) request.previousResourceState = JSON.parse(record.previousState) as ResourceModel;
    if (record.callbackContext !== undefined) request.callbackContext = JSON.parse(record.callbackContext);
    const started = performance.now();
    const { outcome, notes } = await invokeHandler(this.invokeDeps, { type, action: record.operation, scope: record, token: record.token, request, resources, step: record.stepCount + 1 });
    this.observer.emit({ kind: 'step', operation: record.operation, outcome: outcome.status, ms: performance.now() - started });
    return { outcome, ...(notes ? { notes } : {}) };
  }

  /**
   * Runs the pre-provision hooks of a PENDING request. DELETE hooks judge the resource as it is, so it is
   * read first (a resource that cannot be read is judged by its identifier).
   */
  private async runHooks(type: ResourceType, record: RequestRecord): Promise<MachineEvent> {
    const now = () => this.clock.now();
    const dueAt = Math.max(now(), record.fault?.notBefore ?? 0);
    const matching = this.hooks?.matching(record.typeName, record.operation) ?? [];
    if (matching.length === 0) return { kind: 'hooks', hooksProgress: record.hooksProgress ?? '[]', dueAt };
    const desired = record.desiredState === undefined ? undefined : (JSON.parse(record.desiredState) as ResourceModel);
    let targetModel = desired;
    if (record.operation === 'DELETE' && desired) targetModel = (await this.readCurrent(type, record, desired)) ?? desired;
    const verdict = await this.hooks!.run(
      matching,
      {
        typeName: record.typeName,
        operation: record.operation,
        accountId: record.accountId,
        region: record.region,
        partition: partitionOf(record.region),
        requestToken: record.token,
        ...(targetModel ? { targetModel } : {}),
        ...(record.previousState !== undefined ? { previousModel: JSON.parse(record.previousState) as ResourceModel } : {}),
      },
      now,
    );
    const hooksProgress = JSON.stringify(verdict.progress);
    return verdict.blocking.length > 0
      ? { kind: 'hooks', hooksProgress, blockedBy: blockedMessage(verdict.blocking), dueAt }
      : { kind: 'hooks', hooksProgress, dueAt: Math.max(dueAt, now()) };
  }

  /**
   * An update before its first handler step, with its desired state rebased on the model as it stands now
   * (update-rebase.ts: no lost update); or the FAILED outcome when its patch no longer applies. Other
   * requests come back as they are.
   */
  private async rebased(type: ResourceType, record: RequestRecord): Promise<{ record: RequestRecord } | Extract<StepOutcome, { status: 'FAILED' }>> {
    if (!awaitsRebase(record)) return { record };
    // A model that cannot be read (deleted meanwhile) is the handler's to report, as on any update.
    const current = await this.readCurrent(type, record, JSON.parse(record.desiredState!) as ResourceModel);
    const rebase = current === undefined ? ({ kind: 'unchanged' } as const) : rebaseUpdate(type, record, current);
    switch (rebase.kind) {
      case 'unchanged':
        return { record };
      case 'refused':
        this.log.info({ requestToken: record.token, typeName: record.typeName, reason: rebase.outcome.message }, 'update refused: an earlier update changed the model after its pre-read and its patch no longer applies');
        return rebase.outcome;
      case 'rebased':
        this.log.info({ requestToken: record.token, typeName: record.typeName }, 'update patch applied again to the model an earlier update left after its pre-read');
        return { record: rebase.record };
    }
  }

  /** The resource's current model, or undefined when it cannot be read (our own database being down aside). */
  private async readCurrent(type: ResourceType, record: RequestRecord, identifierModel: ResourceModel): Promise<ResourceModel | undefined> {
    const resources = new BufferedResources(this.store, record, record.typeName, this.clock.now(), this.catalogue);
    const { outcome, event } = await invokeHandler(this.invokeDeps, { type, action: 'READ', scope: record, token: record.token, request: { desiredResourceState: identifierModel }, resources });
    if (outcome.status === 'SUCCESS') return event!.resourceModel;
    this.log.warn({ requestToken: record.token, operation: record.operation, errorCode: outcome.status === 'FAILED' ? outcome.errorCode : undefined, reason: outcome.message }, 'could not read the resource before the step; going on without its current model');
    return undefined;
  }

  /**
   * Applies an event to the claimed request. If the version moved (a cancel arrived while the step ran),
   * re-reads and applies the same event to the fresh record, as long as the lease is still ours.
   */
  private async apply(claimed: RequestRecord, event: MachineEvent, writes: BufferedResources['writes']): Promise<void> {
    const applied = await applyEvent(claimed, event, {
      store: this.store,
      now: () => this.clock.now(),
      attempts: 5,
      writes,
      prepare: (next) => {
        const released = { ...next };
        delete released.leaseOwner;
        delete released.leaseUntil;
        return released;
      },
      // Someone else owns it now (our lease ran out): our result is stale.
      reread: async () => {
        const fresh = await this.store.getRequest(claimed.token);
        return fresh?.leaseOwner === this.nodeId ? fresh : undefined;
      },
      // The resource changed under the step (another request created or deleted it): fail cleanly.
      onWriteConflict: (conflict, record) => {
        const errorCode: HandlerErrorCode = conflict.write.kind === 'create' ? 'AlreadyExists' : 'NotFound';
        return { kind: 'step', outcome: { status: 'FAILED', errorCode, message: defaultMessage(errorCode, record) } };
      },
    });
    switch (applied.kind) {
      case 'stored':
        this.observer.emit(transitionEvent(applied.from, applied.record, applied.record.eventTime));
        return this.noteDue(applied.record.dueAt);
      case 'not-applicable':
        return this.releaseLease(applied.record);
      case 'gone':
        return;
      case 'gave-up':
        throw new Error(`gave up applying a step to ${claimed.token} after repeated version conflicts`);
    }
  }

  /** Nothing to change (e.g. a late event): hand the request back without touching its state. */
  private async releaseLease(record: RequestRecord): Promise<void> {
    if (record.leaseOwner !== this.nodeId) return;
    const next: RequestRecord = { ...record, version: record.version + 1 };
    delete next.leaseOwner;
    delete next.leaseUntil;
    await this.store.applyTransition(next, record.version, undefined, []);
  }
}
