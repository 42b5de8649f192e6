/**
 * The durable shape of a resource operation request (what every store keeps and every layer reads), its
 * timeline rows, and what a status poll reads. Times are epoch milliseconds inside ccapi.
 */
import type { HandlerErrorCode, OperationStatus, OperationType } from './vocabulary.js';

/** Every request, resource and client token belongs to one (account, region). Nothing crosses it. */
export interface Scope {
  accountId: string;
  region: string;
}

/** A decision taken from the fault rules when the request was accepted, persisted so restarts keep it. */
export interface FaultPlan {
  /** The handler's first step does not run before this time (an injected delay). */
  notBefore?: number;
  /** The operation fails with this HandlerErrorCode instead of running the handler. */
  errorCode?: HandlerErrorCode;
  statusMessage?: string;
}

/** What api/ asks the engine to run: a request before acceptance gives it a token, a status and times. */
export interface RequestDraft extends Scope {
  typeName: string;
  operation: OperationType;
  clientToken?: string;
  fingerprint: string;
  identifier?: string;
  lockKey?: string;
  desiredState?: string;
  previousState?: string;
  patchDocument?: string;
  resourceModel?: string;
  roleArn?: string;
  typeVersionId?: string;
}

export interface RequestRecord extends Scope {
  token: string;
  /** Insertion order, assigned by the store; ListResourceRequests pages on it (newest first). */
  seq?: number;
  clientToken?: string;
  /** What the request asked for, to tell a ClientToken replay from a conflicting reuse. */
  fingerprint: string;
  typeName: string;
  operation: OperationType;
  status: OperationStatus;
  identifier?: string;
  /** Primary identifier held as the per-resource lock while the request is active; cleared when terminal. */
  lockKey?: string;
  /** JSON: the desired model handed to the handler (create: DesiredState; update: the patched model). */
  desiredState?: string;
  /** JSON: the model before the update (update only). */
  previousState?: string;
  /**
   * JSON: the update's patch operations (normalized paths), as accepted. If an earlier update changed the
   * model after this one's pre-read, the worker applies them again to the model as it stands (no lost update).
   */
  patchDocument?: string;
  /** JSON shown as ProgressEvent.ResourceModel (writeOnly and, on update acceptance, readOnly removed). */
  resourceModel?: string;
  roleArn?: string;
  typeVersionId?: string;
  statusMessage?: string;
  errorCode?: HandlerErrorCode;
  createdAt: number;
  /** Time of the latest status change. */
  eventTime: number;
  /** Set only while IN_PROGRESS with the next step scheduled in the future. */
  retryAfter?: number;
  /** When a worker should take the request next; absent when nothing is left to do. */
  dueAt?: number;
  /** JSON callbackContext returned by the last IN_PROGRESS step. */
  callbackContext?: string;
  stepCount: number;
  fault?: FaultPlan;
  leaseOwner?: string;
  leaseUntil?: number;
  /** Compare-and-set guard: every write checks and bumps it. */
  version: number;
  terminalAt?: number;
  /** Set when pre-provision hooks apply to the request (ProgressEvent.HooksRequestToken). */
  hooksRequestToken?: string;
  /** JSON: the HooksProgressEvent list as clients see it (epoch-second times). */
  hooksProgress?: string;
}

/** One row of a request's timeline (GET /_ccapi/requests/<token>/events). */
export interface HistoryEntry {
  token: string;
  status: OperationStatus;
  eventTime: number;
  /** What happened, in words: "accepted", "handler step 2 returned IN_PROGRESS", "cancel requested"... */
  detail: string;
  errorCode?: HandlerErrorCode;
  statusMessage?: string;
  retryAfter?: number;
}

export const TERMINAL_STATUSES: ReadonlySet<OperationStatus> = new Set(['SUCCESS', 'FAILED', 'CANCEL_COMPLETE']);

export function isTerminal(status: OperationStatus): boolean {
  return TERMINAL_STATUSES.has(status);
}

/** What a status poll reads: the rendered event plus what is needed to check scope and retention. */
export interface RequestStatusView extends Scope {
  progressEvent: string;
  /** The rendered HooksProgressEvent list, when hooks apply to the request. */
  hooksProgress?: string;
  retryAfter?: number;
  terminalAt?: number;
}
