/**
 * The one Store interface. SQLite (embedded default, one process) and PostgreSQL (many nodes) implement
 * it; the engine and the API never know which runs. Business rules live in engine/ and api/; the store
 * only keeps rows and enforces what must hold across processes (unique client tokens, one active request
 * per resource, compare-and-set on versions). Optional members are capabilities some stores have.
 * Every string comes back exactly as given and is found by exactly itself, whatever characters it holds
 * (U+0000, lone surrogates: stored-text.ts); members that hold JSON (models, rendered events) are
 * JSON.stringify text, which never contains those.
 */
import type { HistoryEntry, RequestRecord, RequestStatusView, Scope } from '../domain/records.js';
import type { OperationStatus, OperationType } from '../domain/vocabulary.js';

export interface StoredResource {
  typeName: string;
  /** Primary identifier in `a|b` form. */
  identifier: string;
  /** JSON model, readOnly values included. */
  properties: string;
  createdAt: number;
  updatedAt: number;
}

/** Changes to emulated resources that a handler step makes; committed with the step's transition. */
export type ResourceWrite =
  | { kind: 'create'; scope: Scope; typeName: string; identifier: string; properties: string }
  | { kind: 'update'; scope: Scope; typeName: string; identifier: string; properties: string }
  | { kind: 'delete'; scope: Scope; typeName: string; identifier: string };

export type InsertOutcome =
  | { kind: 'inserted'; record: RequestRecord }
  /** The client token was used within the replay window: the caller compares fingerprints. */
  | { kind: 'clientTokenUsed'; existing: RequestRecord }
  /** Another active request holds the resource's lock. */
  | { kind: 'locked'; holderToken: string };

export interface RequestFilter {
  operations?: OperationType[];
  statuses?: OperationStatus[];
}

/** The web console's request filter: every field narrows; empty lists mean any. */
export interface ConsoleRequestFilter extends RequestFilter {
  scope?: Scope;
  typeName?: string;
  /** Only with `scope` and `typeName`: the requests that touched this resource. */
  identifier?: string;
}

export interface RequestScan {
  records: RequestRecord[];
  /** Pass as `beforeSeq` for the next page; absent when the scan reached the oldest request. */
  nextBeforeSeq?: number;
}

/** An (account, region, type) that has emulated resources. */
export interface ResourceKind extends Scope {
  typeName: string;
}

export class ResourceWriteConflict extends Error {
  constructor(readonly write: ResourceWrite) {
    super(write.kind === 'create' ? `resource ${write.identifier} already exists` : `resource ${write.identifier} does not exist`);
  }
}

/**
 * The database cannot be reached (refused, dropped, timed out) or did not answer in time. Transient by
 * nature: api/ answers it with a retryable 500, and the worker simply tries again on its next pass.
 */
export class StoreUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StoreUnavailableError';
  }
}

/** Called when another node may have made work due; a hint to look now rather than at the next poll. */
export type WorkListener = () => void;

export interface Store {
  /** A label for logs and the start-up line, e.g. "sqlite:/path/ccapi.db". */
  readonly description: string;

  // Requests
  findByClientToken(scope: Scope, clientToken: string, notBefore: number): Promise<RequestRecord | undefined>;
  /**
   * Atomically: replay check on the client token (tokens older than `clientTokensNotBefore` no longer
   * count), lock check on `record.lockKey`, insert of the request and of its first history entry.
   */
  insertRequest(record: RequestRecord, history: HistoryEntry, clientTokensNotBefore: number): Promise<InsertOutcome>;
  getRequest(token: string): Promise<RequestRecord | undefined>;
  /** The request whose pre-provision hooks have this HooksRequestToken (CloudFormation ListHookResults). */
  getRequestByHooksToken(hooksRequestToken: string): Promise<RequestRecord | undefined>;
  /** The hot path of GetResourceRequestStatus: one indexed read of the rendered event. */
  getRequestStatus(token: string): Promise<RequestStatusView | undefined>;
  /** Newest first; `beforeSeq` pages (exclusive). Returns up to `limit` records. */
  listRequests(scope: Scope, filter: RequestFilter, beforeSeq: number | undefined, limit: number): Promise<RequestRecord[]>;
  /** The active request holding the lock on a resource, if any. */
  findLockHolder(scope: Scope, typeName: string, lockKey: string): Promise<RequestRecord | undefined>;
  /**
   * Compare-and-set: writes `next` (its version must be `expectedVersion + 1`), appends `history` if
   * given, and applies `writes`, all in one transaction. Returns false, changing nothing, when the
   * stored version is no longer `expectedVersion`. Throws ResourceWriteConflict when a write conflicts.
   */
  applyTransition(next: RequestRecord, expectedVersion: number, history: HistoryEntry | undefined, writes: ResourceWrite[]): Promise<boolean>;
  /** Leases up to `limit` requests whose dueAt <= now and whose lease is free or expired. */
  claimDueRequests(now: number, owner: string, leaseUntil: number, limit: number): Promise<RequestRecord[]>;
  /** Earliest dueAt among requests that have work left, for the worker's timer. */
  nextDueAt(): Promise<number | undefined>;
  history(token: string): Promise<HistoryEntry[]>;
  /** Deletes terminal requests (and their history) that ended before `terminalBefore`; returns how many. */
  purgeRequests(terminalBefore: number, batchSize: number): Promise<number>;

  // Emulated resources
  getResource(scope: Scope, typeName: string, identifier: string): Promise<StoredResource | undefined>;
  /**
   * Ordered by identifier; `afterIdentifier` pages (exclusive). With `maxBytes`, the page ends before the first
   * resource that would take the UTF-8 bytes of the page's identifiers and properties past it (the first resource
   * always comes), and the rows left out are never read: a page of huge models costs `maxBytes`, not `limit` of them.
   */
  listResources(scope: Scope, typeName: string, afterIdentifier: string | undefined, limit: number, maxBytes?: number): Promise<StoredResource[]>;

  // Web console (issue #16): views across tenants, for an operator. Each reads a bounded number of rows on an
  // index (the seq primary key, requests_scope_seq, the resources primary key), whatever the table's size.

  /**
   * Requests newest first, across every scope (or one, with `filter.scope`), with `seq < beforeSeq`. Reads at
   * most `scanLimit` rows of the seq order and returns those of them that match the filter, up to `limit`;
   * `nextBeforeSeq` continues the scan (absent when the table has no older rows). A filter that matches
   * little therefore answers a short (even empty) page with a cursor rather than reading the whole table.
   */
  scanRequests(filter: ConsoleRequestFilter, beforeSeq: number | undefined, limit: number, scanLimit: number): Promise<RequestScan>;
  /** The (account, region, type) triples that have emulated resources, in that order, after `after`; up to `limit`. */
  listResourceKinds(after: ResourceKind | undefined, limit: number): Promise<ResourceKind[]>;

  /**
   * Stores that only one process can open (SQLite) know at start that every lease belongs to a dead
   * process, and release them so in-flight requests continue at once instead of after the lease expires.
   */
  releaseAbandonedLeases?(): Promise<number>;

  /**
   * Extends the leases `owner` still holds on `tokens` to `leaseUntil`, the heartbeat of a step that is
   * running. Not a transition: the version does not move, so the step's own compare-and-set still
   * applies. A store may skip a row that is busy at that moment (the next beat renews it). Returns the
   * tokens another owner holds now: taken over after `owner`'s lease expired, so the running step's
   * result will lose its compare-and-set. (A lease the step itself released is not in the answer.)
   */
  renewLeases?(owner: string, tokens: readonly string[], leaseUntil: number): Promise<string[]>;

  /**
   * Stores shared by several nodes (PostgreSQL) tell each node when another one made work due (LISTEN/
   * NOTIFY). Only a latency hint: notifications can be lost, and polling still guarantees progress.
   * Resolves once listening; the returned function stops it.
   */
  subscribe?(onWork: WorkListener): Promise<() => Promise<void>>;

  /**
   * Connects and brings the schema up to date. Stores that connect lazily work without it; awaiting it
   * at start turns a wrong URL or an unreachable database into a start-up error instead of failed calls.
   */
  ready?(): Promise<void>;

  close(): Promise<void>;
}
