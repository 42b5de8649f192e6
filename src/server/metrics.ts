/**
 * Prometheus metrics (prom-client), served at GET /_ccapi/metrics: counted from the observer's events as
 * they happen (with light-metrics.ts, cheap enough for every status poll), plus gauges read at scrape time,
 * plus the process defaults (collectDefaultMetrics). Each
 * node has its own registry and serves only what it did itself; Prometheus tells the nodes apart by the
 * target it scraped (its `instance` label).
 *
 * Labels are bounded: operation names (the operation tables), AWS error codes, statuses, handler operations
 * and outcomes, Store member names. Never a request token, an identifier, an account or a region. Nor a
 * type name: the catalogue bounds them, but at 1,807 built-in types (more with a schema bundle or custom
 * types) times operations times error codes that is tens of thousands of series from one test suite, and
 * the access log already names the type of every call.
 *
 * Requests by status and the due backlog are the store's counts (every node of a cluster sees the same
 * numbers): one scan, cached for COUNTS_TTL_MS, so a scrape never costs more than one scan per interval,
 * however many scrapers there are.
 */
import { Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import { LightCounter, LightHistogram } from './light-metrics.js';
import type { ObservedEvent, Observer } from '../engine/observer.js';
import type { Clock } from '../lib/clock.js';
import type { RequestCounts, Store } from '../store/store.js';
import { OPERATION_STATUS_ENUM } from '../domain/vocabulary.js';

export const COUNTS_TTL_MS = 10_000;

/** Latency buckets (seconds) for calls and store queries: 0.5 ms to 10 s, the range a local server spans. */
const CALL_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
/** Worker lag and handler steps: up to a minute (a step's budget is 60 s by default). */
const LAG_BUCKETS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

/** The process defaults (CPU, memory, event loop lag, GC): one set per process, shared by every app in it. */
let processRegistry: Registry | undefined;
function processDefaults(): Registry {
  if (!processRegistry) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry });
  }
  return processRegistry;
}

export interface MetricsSources {
  observer: Observer;
  store: Store;
  clock: Clock;
  /** Connections open on the HTTP front right now. */
  openConnections: () => number;
}

export class Metrics {
  readonly registry = new Registry();
  private readonly unsubscribe: () => void;
  private counts: { at: number; value: Promise<RequestCounts> } | undefined;

  constructor(private readonly sources: MetricsSources) {
    const register = [this.registry];
    const light = <M extends LightCounter | LightHistogram>(metric: M): M => {
      this.registry.registerMetric(metric as never);
      return metric;
    };
    const calls = light(new LightCounter('ccapi_api_calls_total', 'API calls answered, by operation and outcome (OK or the AWS error code)', ['operation', 'code']));
    const callSeconds = light(new LightHistogram('ccapi_api_call_duration_seconds', 'Time from the request read to the answer written, by operation', ['operation'], CALL_BUCKETS));
    const transitions = light(new LightCounter('ccapi_request_transitions_total', 'Request status transitions this node stored (from "accepted" for a new request; from = to for a step that kept IN_PROGRESS)', ['operation', 'from', 'to']));
    const stepSeconds = light(new LightHistogram('ccapi_handler_step_duration_seconds', 'Handler steps this node ran, by operation and outcome', ['operation', 'outcome'], LAG_BUCKETS));
    const firstStep = light(new LightHistogram('ccapi_request_first_step_latency_seconds', 'From acceptance to the start of the first handler step (hooks and injected delays included)', [], LAG_BUCKETS)).cell();
    const claimLag = light(new LightHistogram('ccapi_worker_claim_lag_seconds', 'From the moment due work was due to the moment this node claimed it (the worker lag)', [], LAG_BUCKETS)).cell();
    const storeSeconds = light(new LightHistogram('ccapi_store_query_duration_seconds', 'Store calls, by Store member', ['method'], CALL_BUCKETS));
    const storeErrors = light(new LightCounter('ccapi_store_query_errors_total', 'Store calls that failed, by Store member', ['method']));

    const observe = (event: ObservedEvent) => {
      switch (event.kind) {
        case 'call':
          calls.cell(event.operation, event.errorCode ?? 'OK').inc();
          return callSeconds.cell(event.operation).observe(event.ms / 1000);
        case 'transition':
          return transitions.cell(event.operation, event.from ?? 'accepted', event.to).inc();
        case 'step':
          return stepSeconds.cell(event.operation, event.outcome).observe(event.ms / 1000);
        case 'first-step':
          return firstStep.observe(event.ms / 1000);
        case 'claim':
          return claimLag.observe(event.ms / 1000);
        case 'store':
          if (event.failed) storeErrors.cell(event.method).inc();
          return storeSeconds.cell(event.method).observe(event.ms / 1000);
      }
    };
    this.unsubscribe = sources.observer.subscribe(observe);

    const metrics = this;
    new Gauge({
      name: 'ccapi_requests',
      help: `Requests in the store by status (retained ones; the count is at most ${COUNTS_TTL_MS / 1000} s old)`,
      labelNames: ['status'],
      registers: register,
      async collect() {
        const { byStatus } = await metrics.requestCounts();
        // Every status, zeros included, so a rate over a status that empties out does not vanish.
        for (const status of OPERATION_STATUS_ENUM) this.labels(status).set(byStatus[status] ?? 0);
      },
    });
    new Gauge({
      name: 'ccapi_requests_due',
      help: `Requests due now that no worker holds (the backlog; at most ${COUNTS_TTL_MS / 1000} s old)`,
      registers: register,
      async collect() {
        this.set((await metrics.requestCounts()).due);
      },
    });
    new Gauge({
      name: 'ccapi_open_connections',
      help: 'HTTP connections open on this node',
      registers: register,
      collect() {
        this.set(sources.openConnections());
      },
    });
  }

  /** The store's counts, read at most once per COUNTS_TTL_MS (a failed read is not kept). */
  private requestCounts(): Promise<RequestCounts> {
    const now = this.sources.clock.now();
    if (this.counts && now - this.counts.at < COUNTS_TTL_MS) return this.counts.value;
    const value = this.sources.store.countRequests(now);
    const entry = { at: now, value };
    this.counts = entry;
    value.catch(() => {
      if (this.counts === entry) this.counts = undefined;
    });
    return value;
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  /** The exposition text: this node's metrics and the process defaults. */
  render(): Promise<string> {
    return Registry.merge([this.registry, processDefaults()]).metrics();
  }

  stop(): void {
    this.unsubscribe();
  }
}
