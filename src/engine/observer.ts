/**
 * The observer seam: every API call and every status change is an event, and the access log and the
 * Prometheus metrics are two subscribers to the same events (architecture.md, "Seeing what happens").
 *
 * Emitters (the HTTP front, the engine, the worker, the timed store) call emit() after the work is done:
 * an answer is already written, a transition already stored. emit() is a synchronous loop over the
 * subscribers, so a subscriber must be cheap (count, or queue a line); none may do I/O inline. With no
 * subscriber an emit costs one length check, which keeps tests and embedded uses free of it.
 *
 * Each node observes what it does itself: a status change is emitted by the node whose worker (or whose
 * cancel) stored it, so on a PostgreSQL cluster every node logs and counts its own share.
 */
import type { RequestRecord } from '../domain/records.js';
import type { OperationStatus, OperationType } from '../domain/vocabulary.js';

/** One API call answered (Cloud Control JSON, or the query protocol's STS/CloudFormation companions). */
export interface ApiCallEvent {
  kind: 'call';
  operation: string;
  typeName?: string;
  identifier?: string;
  requestToken?: string;
  /** The AWS error code answered, absent on success. */
  errorCode?: string;
  httpStatus: number;
  ms: number;
}

/** A request's status changed (acceptance included: `from` is then absent). */
export interface TransitionEvent {
  kind: 'transition';
  token: string;
  typeName: string;
  operation: OperationType;
  from?: OperationStatus;
  to: OperationStatus;
  /** Handler steps run so far, this one included. */
  step: number;
  errorCode?: string;
  /** The request's acceptance time, so a subscriber can tell how long it took to reach `to`. */
  createdAt: number;
  at: number;
}

/** One handler step ran (its result may still lose its compare-and-set; the time was spent either way). */
export interface StepEvent {
  kind: 'step';
  operation: OperationType;
  outcome: 'SUCCESS' | 'FAILED' | 'IN_PROGRESS';
  ms: number;
}

/**
 * The worker's lag. `first-step`: from acceptance to the start of the first handler step (hooks and injected
 * delays included, since that is what a client waits). `claim`: from the moment due work was due to the
 * moment a worker claimed it.
 */
export interface LagEvent {
  kind: 'first-step' | 'claim';
  ms: number;
}

/** One Store call and how long it took (the Store member's name; never its arguments). */
export interface StoreQueryEvent {
  kind: 'store';
  method: string;
  ms: number;
  failed: boolean;
}

export type ObservedEvent = ApiCallEvent | TransitionEvent | StepEvent | LagEvent | StoreQueryEvent;

export type ObservedListener = (event: ObservedEvent) => void;

export class Observer {
  private listeners: ObservedListener[] = [];

  /** Whether anyone listens: emitters skip building events (and reading clocks) when nobody does. */
  get active(): boolean {
    return this.listeners.length > 0;
  }

  subscribe(listener: ObservedListener): () => void {
    this.listeners = [...this.listeners, listener];
    return () => void (this.listeners = this.listeners.filter((l) => l !== listener));
  }

  emit(event: ObservedEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch {
        // A broken subscriber must never fail the call or the step that emitted: observation is best effort.
      }
    }
  }
}

/** The observer's view of a stored status change (`from` absent: the request was just accepted). */
export function transitionEvent(from: RequestRecord | undefined, to: RequestRecord, at: number): TransitionEvent {
  const event: TransitionEvent = {
    kind: 'transition',
    token: to.token,
    typeName: to.typeName,
    operation: to.operation,
    to: to.status,
    step: to.stepCount,
    createdAt: to.createdAt,
    at,
  };
  if (from) event.from = from.status;
  if (to.errorCode !== undefined) event.errorCode = to.errorCode;
  return event;
}
