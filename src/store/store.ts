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
  | { kind: 'create'; scope: Scope; typeName: string; identifier: string; properties: string; indexed?: IndexedValue[] }
  | { kind: 'update'; scope: Scope; typeName: string; identifier: string; properties: string; indexed?: IndexedValue[] }
  | { kind: 'delete'; scope: Scope; typeName: string; identifier: string };

// ---- Resource index (issues #15, #17): cross-type lookups by property value without a scan --------------------
// A create or update carries the resource's full set of indexed values (registry/relationships.ts indexedPaths
// says which paths; engine/index-values.ts extracts them); the store replaces the resource's old set with it,
// and a delete removes it, in the same transaction as the step's transition (migration 006 in both stores).

/** One indexed value of a resource: `path` as in registry/relationships.ts ('VpcId', 'SecurityGroupIds/*'). */
export interface IndexedValue {
  path: string;
  value: string;
}

/**
 * The longest value indexed, in UTF-8 bytes; a longer value is simply not indexed (findResources never finds
 * it). Why 1,024: PostgreSQL refuses a B-tree entry over 2,704 bytes (a third of an 8 KiB page), and an index
 * entry also holds account, region, type, path and identifier; 1,024 bytes leaves them room and holds every
 * value references carry (IDs, names, and ARNs, which in practice stay far below it), while a page of index
 * entries stays small. The same cap applies in SQLite so both stores find the same things.
 */
export const INDEXED_VALUE_MAX_BYTES = 1024;

/** Whether a value is within INDEXED_VALUE_MAX_BYTES (and so findable). */
export function isIndexable(value: string): boolean {
  // Most values are short ASCII: the length test alone decides them without encoding.
  return value.length * 3 <= INDEXED_VALUE_MAX_BYTES || Buffer.byteLength(value, 'utf8') <= INDEXED_VALUE_MAX_BYTES;
}

/**
 * A resource written directly, not by a request's handler step: one AWS made before anyone asked (the default
 * VPC). `properties` is the JSON model, as in StoredResource.
 */
export interface ProvisionedResource {
  typeName: string;
  identifier: string;
  properties: string;
  /** Its indexed values (IndexedValue), as a step's create carries them, so lookups find it like any other. */
  indexed?: IndexedValue[];
}

export type InsertOutcome =
  | { kind: 'inserted'; record: RequestRecord }
  /** The client token was used within the replay window: the caller compares fingerprints. */
  | { kind: 'clientTokenUsed'; existing: RequestRecord }
  /** Another active request holds the resource's lock. */
  | { kind: 'locked'; holderToken: string };

/** What the metrics read from the store (#16): requests per status, and the due work nobody holds yet. */
export interface RequestCounts {
  byStatus: Partial<Record<OperationStatus, number>>;
  /** Requests due at `now` whose lease is free or expired: the work the workers have not claimed yet. */
  due: number;
}

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

/** The resources-table type name under which markers (Store.provisionOnce) are kept: never a real type's name. */
export const MARKER_TYPE_NAME = 'ccapi:marker';
/** Whose state a reset forgets: every account and region when both are absent, else the ones named. */
export interface TenantFilter {
  accountId?: string;
  region?: string;
}

/** What a reset forgot. */
export interface ResetCounts {
  requests: number;
  resources: number;
}

/** The fault rules document saved last (JSON text), and its version: 0 before the first save. */
export interface StoredFaultRules {
  config: string | undefined;
  version: number;
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

  // Observability (#16): counts for /_ccapi/metrics. A scan of the requests table, so the metrics cache the
  // answer rather than call it on every scrape.
  /** Requests per status (retained ones, purged ones gone) and the due backlog at `now`, in one statement. */
  countRequests(now: number): Promise<RequestCounts>;

  // Emulated resources
  getResource(scope: Scope, typeName: string, identifier: string): Promise<StoredResource | undefined>;
  /**
   * Ordered by identifier; `afterIdentifier` pages (exclusive). With `maxBytes`, the page ends before the first
   * resource that would take the UTF-8 bytes of the page's identifiers and properties past it (the first resource
   * always comes), and the rows left out are never read: a page of huge models costs `maxBytes`, not `limit` of them.
   */
  listResources(scope: Scope, typeName: string, afterIdentifier: string | undefined, limit: number, maxBytes?: number): Promise<StoredResource[]>;

  // Paging at scale (issue #17)
  /**
   * The secret that signs page tokens (NextToken): the same for every node on this database and across restarts,
   * created at random on first use (`candidate`, from a CSPRNG, is stored if none is yet; concurrent first uses
   * all get the one that was stored). Never sent to clients.
   */
  pagingKey(candidate: string): Promise<string>;

  // Resource index (issues #15, #17; see IndexedValue above)
  /**
   * Resources of `typeName` in `scope` whose indexed `path` holds `value`, identifier order, at most `limit`. One indexed read.
   * `afterIdentifier` pages (exclusive; #17: ListResources filtered on an indexed property pages through it by keyset).
   */
  findResources(scope: Scope, typeName: string, path: string, value: string, limit: number, afterIdentifier?: string): Promise<StoredResource[]>;
  /**
   * Indexes resources stored before migration 006 (which left them without index rows): up to `limit` of them,
   * in key order past a cursor the store keeps (a row migration 006 adds only when resources existed), each
   * given the values `indexedOf` says, replacing its rows under a lock on the resource so a concurrent step's
   * write is never undone. Returns how many it indexed; 0 once done (the cursor is then dropped). Idempotent:
   * several nodes may run it at once.
   */
  backfillResourceIndex(indexedOf: (typeName: string, properties: string) => IndexedValue[], limit: number): Promise<number>;
  // Resources that exist before any request (#15: the default VPC, seed files). A marker names a piece of set-up
  // done once per (account, region); it is kept as a row of the resources table under MARKER_TYPE_NAME, a name
  // no resource type can have (type names are three `::`-separated words), so no operation ever lists it.

  /**
   * Atomically, and once per (scope, marker) across every node and restart: records `marker` and inserts
   * `resources` (a resource already there is left as it is). Returns true when this call did it, false (writing
   * nothing) when the marker was already recorded. Two nodes racing: exactly one gets true.
   */
  provisionOnce(scope: Scope, marker: string, resources: ProvisionedResource[], now: number): Promise<boolean>;
  /** Whether `marker` was recorded in the scope (provisionOnce). */
  hasMarker(scope: Scope, marker: string): Promise<boolean>;
  // Reset and persisted fault rules (issue #16: `ccapi reset`, POST /_ccapi/reset, PUT /_ccapi/faults)
  /**
   * Deletes the requests (with their timelines) and the emulated resources of `tenant`, in one transaction.
   * A step running on a request deleted here loses its compare-and-set when it ends, so its resource writes
   * (which commit only with the transition) never land: a reset cannot be undone by work that was in flight.
   */
  resetState(tenant: TenantFilter): Promise<ResetCounts>;
  /** The fault rules in force for every node sharing the database (migration 005). */
  loadFaultRules(): Promise<StoredFaultRules>;
  /** Replaces the saved fault rules; the version moves on by one, so nodes that poll it see the change. */
  saveFaultRules(config: string): Promise<StoredFaultRules>;

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
