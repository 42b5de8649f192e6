/**
 * The Store for several nodes on one PostgreSQL. Everything that must hold across nodes is enforced by
 * the database: unique indexes for client tokens and the per-resource lock, compare-and-set on version
 * for every transition, FOR UPDATE SKIP LOCKED for claims. A node keeps in memory only what can no longer
 * change (the status views of finished requests, terminal-statuses.ts), so any node answers any call.
 * Writes share commits (group-commit.ts); single-statement reads share a few pipelined connections;
 * claims and lease renewals have one of their own, which does not wait for the WAL flush. Calls retry
 * across a short outage, then fail with StoreUnavailableError.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { HistoryEntry, RequestRecord, RequestStatusView, Scope } from '../../domain/records.js';
import { countsFromRows, fromHistoryRow, fromRequestRow, fromStatusRow, toHistoryParams, toRequestParams, toRequestValues, toResource, valuesOf, type CountRow, type HistoryRow, type RequestRow, type ResourceRow } from '../rows.js';
import { POSTGRES_TEXT } from '../stored-text.js';
import { filterPairs } from '../request-filter.js';
import {
  MARKER_TYPE_NAME,
  ResourceWriteConflict,
  isIndexable,
  type IndexedValue,
  type ConsoleRequestFilter,
  type InsertOutcome,
  type ProvisionedResource,
  type RequestCounts,
  type RequestFilter,
  type RequestScan,
  type ResourceKind,
  type ResourceWrite,
  type Store,
  type ResetCounts,
  type StoredFaultRules,
  type StoredResource,
  type TenantFilter,
  type WorkListener,
} from '../store.js';
import { CONNECTION_DEFAULTS, PipelinedConnections, classifyError, clientConfig, describeTarget, withRetry, type ConnectionOptions } from './connection.js';
import { GroupCommit, type WriteUnit } from './group-commit.js';
import { runMigrations } from './migrate.js';
import { WorkAnnouncer, WorkSubscription } from './notify.js';
import * as q from './queries.js';
import { StatusBatch, type BatchedRow } from './status-batch.js';
import { TerminalStatuses } from './terminal-statuses.js';

export interface PostgresStoreOptions extends ConnectionOptions {
  /** Reports connection trouble (dropped connections, reconnects); off the hot path. */
  onConnectionError?: (error: Error, detail: string) => void;
}
/** Text from callers and handlers, escaped where PostgreSQL could not hold it (U+0000) or keep it (stored-text.ts). */
const text = POSTGRES_TEXT;

const historyValues = (e: HistoryEntry) => {
  const h = toHistoryParams(e, text);
  return [h.status, h.event_time, h.detail, h.error_code, h.status_message, h.retry_after];
};

/** A resource write's parameters: the key, then (create, update) the properties and the time. */
const writeValues = (w: ResourceWrite, now: number) => {
  const key = [w.scope.accountId, w.scope.region, w.typeName, w.identifier].map(text.encode);
  return w.kind === 'delete' ? key : [...key, w.properties, now];
};

/** Resource index (issues #15, #17): a create's or update's indexed values as two parallel arrays (paths, values). */
/** A resource's indexed values as the (paths, values) arrays q.indexResource unnests; values over the cap left out. */
const indexArrays = (indexed: readonly IndexedValue[] | undefined): [string[], string[]] => {
  const rows = (indexed ?? []).filter((v) => isIndexable(v.value));
  return [rows.map((r) => text.encode(r.path)), rows.map((r) => text.encode(r.value))];
};

const RESOURCE_WRITE = { create: q.createResource, update: q.updateResource, delete: q.deleteResource };

/** bigint's largest value: "no upper bound" for the seq < $n paging condition. */
const NO_SEQ_BOUND = '9223372036854775807';

export class PostgresStore implements Store {
  readonly description: string;
  private readonly options: Required<ConnectionOptions>;
  private readonly config: pg.ClientConfig;
  private readonly pool: pg.Pool;
  private readonly reads: PipelinedConnections;
  private readonly leases: PipelinedConnections;
  private readonly writes: GroupCommit;
  private readonly announcer: WorkAnnouncer;
  private readonly subscriptions = new Set<WorkSubscription>();
  /** Tells this node's announcements from the others'. */
  private readonly instance = randomBytes(6).toString('hex');
  private readonly statusReads: StatusBatch;
  private readonly finished = new TerminalStatuses();
  private readonly onConnectionError: (error: Error, detail: string) => void;
  private migrated: Promise<void> | undefined;
  private isReady = false;
  private closing: Promise<void> | undefined;

  /** `target`: a postgres:// or postgresql:// URL, or undefined for the standard PG* environment variables. */
  constructor(
    private readonly target: string | undefined,
    options: PostgresStoreOptions = {},
  ) {
    const { onConnectionError, ...connection } = options;
    this.options = { ...CONNECTION_DEFAULTS, ...connection };
    this.onConnectionError = onConnectionError ?? (() => {});
    this.description = describeTarget(target);
    this.config = clientConfig(target, this.options);
    // Pipeline mode: a group commit sends BEGIN, its statements and COMMIT in one round trip.
    this.pool = new pg.Pool({ ...this.config, pipeline: true, max: this.options.poolSize, idleTimeoutMillis: 30_000 });
    // An idle pooled connection that the server closes (a restart) is dropped by the pool; without a
    // listener the 'error' event would crash the process.
    this.pool.on('error', (error) => this.onConnectionError(error, 'idle pooled connection lost'));
    this.writes = new GroupCommit(this.pool);
    this.reads = new PipelinedConnections(this.config, this.options.pipelinedReaders, (error) => this.onConnectionError(error, 'pipelined connection lost'));
    // Claims and lease renewals need not wait for their commit to reach the disk: if the database
    // crashes before it does, the lease is simply lost with it, the request is claimed again, and a step
    // run under the lost lease fails its compare-and-set (the claim's version bump is gone too). A
    // transition that did commit durably flushed the claim before it (the WAL is written in order).
    this.leases = new PipelinedConnections(this.config, 1, (error) => this.onConnectionError(error, 'lease connection lost'), 'SET synchronous_commit = off');
    this.statusReads = new StatusBatch((tokens) => this.read<BatchedRow>(q.statusByTokens, [tokens]));
    this.announcer = new WorkAnnouncer(this.instance, (payload) => this.reads.query({ ...q.notifyWork, values: [payload] }));
  }

  /** Connects and applies pending migrations (under an advisory lock: nodes starting together migrate once). */
  ready(): Promise<void> {
    // Remembered when it succeeds; forgotten when it fails, so the next call tries again.
    this.migrated ??= withRetry('migrating the schema', this.options.retryBudgetMs, () => runMigrations(this.target, this.options)).then(
      () => {
        this.isReady = true;
      },
      (error: unknown) => {
        this.migrated = undefined;
        throw error;
      },
    );
    return this.migrated;
  }

  private async read<R extends pg.QueryResultRow>(statement: q.Statement, values: unknown[]): Promise<R[]> {
    if (!this.isReady) await this.ready();
    const result = await withRetry(statement.name!, this.options.retryBudgetMs, () => this.reads.query<R>({ ...statement, values }));
    return result.rows;
  }

  /** A write of one statement, committed with whatever other writes are waiting (group commit). */
  private async write<R extends pg.QueryResultRow>(statement: q.Statement, values: unknown[]): Promise<pg.QueryResult<R>> {
    return this.commit({ statement, values, answer: (result) => result as pg.QueryResult<R> });
  }

  private async commit<T>(unit: WriteUnit<T>): Promise<T> {
    if (!this.isReady) await this.ready();
    return withRetry(unit.statement.name!, this.options.retryBudgetMs, () => this.writes.run(unit));
  }

  async findByClientToken(scope: Scope, clientToken: string, notBefore: number): Promise<RequestRecord | undefined> {
    const [row] = await this.read<RequestRow>(q.byClientToken, [scope.accountId, scope.region, clientToken].map(text.encode));
    return row && row.created_at >= notBefore ? fromRequestRow(row, text) : undefined;
  }

  async insertRequest(record: RequestRecord, history: HistoryEntry, clientTokensNotBefore: number): Promise<InsertOutcome> {
    const params = toRequestParams(record, text);
    const values = [...valuesOf(params), ...historyValues(history)];
    // Each pass either inserts or finds what stood in the way; a blocker that vanished in between
    // (its request just ended) means one more pass.
    for (let attempt = 0; attempt < 5; attempt++) {
      const { rows } = await this.write<{ seq: number }>(q.insertRequest, values);
      if (rows[0]) return this.accepted(record, rows[0].seq);
      const [own] = await this.read<{ seq: number }>(q.seqByToken, [params.token]);
      if (own) return this.accepted(record, own.seq);
      if (params.client_token !== null) {
        const [used] = await this.read<RequestRow>(q.byClientToken, [params.account_id, params.region, params.client_token]);
        if (used && used.created_at >= clientTokensNotBefore) return { kind: 'clientTokenUsed', existing: fromRequestRow(used, text) };
        // Past its 36-hour window the token starts a new request; the old one keeps its history.
        if (used) {
          await this.write(q.forgetClientToken, [used.seq, clientTokensNotBefore]);
          continue;
        }
      }
      if (params.lock_key !== null) {
        const [holder] = await this.read<RequestRow>(q.lockHolder, [params.account_id, params.region, params.type_name, params.lock_key]);
        if (holder) return { kind: 'locked', holderToken: text.decode(holder.token) };
      }
    }
    throw new Error(`could not insert request ${record.token}: its client token or resource lock kept changing`);
  }

  private accepted(record: RequestRecord, seq: number): InsertOutcome {
    // Work nobody holds yet (a delayed first step) is announced, so any node may take it when due.
    if (record.dueAt !== undefined && record.leaseOwner === undefined) this.announcer.due(record.dueAt);
    return { kind: 'inserted', record: { ...record, seq } };
  }

  async getRequest(token: string): Promise<RequestRecord | undefined> {
    const [row] = await this.read<RequestRow>(q.byToken, [text.encode(token)]);
    return row && fromRequestRow(row, text);
  }

  async getRequestByHooksToken(hooksRequestToken: string): Promise<RequestRecord | undefined> {
    const [row] = await this.read<RequestRow>(q.byHooksToken, [text.encode(hooksRequestToken)]);
    return row && fromRequestRow(row, text);
  }

  async getRequestStatus(token: string): Promise<RequestStatusView | undefined> {
    const known = this.finished.get(token);
    if (known) return known;
    // Batched by stored token: for every token ccapi issues, that is the token itself.
    const row = await this.statusReads.get(text.encode(token));
    if (!row) return undefined;
    const view = fromStatusRow(row, text);
    this.finished.offer(token, view);
    return view;
  }

  async listRequests(scope: Scope, filter: RequestFilter, beforeSeq: number | undefined, limit: number): Promise<RequestRecord[]> {
    const account = text.encode(scope.accountId);
    const region = text.encode(scope.region);
    const pairs = filterPairs(filter);
    const rows = pairs === undefined
      ? await this.read<RequestRow>(q.listRequests, [account, region, beforeSeq ?? NO_SEQ_BOUND, limit])
      : await this.read<RequestRow>(q.listRequestsFiltered, [account, region, pairs.map((p) => p[0]), pairs.map((p) => p[1]), beforeSeq ?? NO_SEQ_BOUND, limit]);
    return rows.map((row) => fromRequestRow(row, text));
  }

  async findLockHolder(scope: Scope, typeName: string, lockKey: string): Promise<RequestRecord | undefined> {
    const [row] = await this.read<RequestRow>(q.lockHolder, [scope.accountId, scope.region, typeName, lockKey].map(text.encode));
    return row && fromRequestRow(row, text);
  }

  async applyTransition(next: RequestRecord, expectedVersion: number, history: HistoryEntry | undefined, writes: ResourceWrite[]): Promise<boolean> {
    const values = [...toRequestValues(next, text), expectedVersion, ...(history ? historyValues(history) : [])];
    let applied: boolean;
    if (writes.length === 0) {
      applied = (await this.write(history ? q.updateRequestWithHistory : q.updateRequest, values)).rowCount === 1;
    } else if (new Set(writes.map((w) => w.identifier)).size === writes.length) {
      applied = await this.commit({
        statement: q.transitionWithWrites(writes.map((w) => w.kind), history !== undefined),
        values: [...values, ...writes.flatMap((w) => (w.kind === 'delete' ? writeValues(w, next.eventTime) : [...writeValues(w, next.eventTime), ...indexArrays(w.indexed)]))],
        answer: (result) => result.rowCount === 1,
        failure: (error) => ((error as { code?: string }).code === q.RESOURCE_WRITE_CONFLICT ? new ResourceWriteConflict(writes[Number((error as { detail?: string }).detail)]!) : error),
      });
    } else {
      applied = await this.transitionStepByStep(history ? q.updateRequestWithHistory : q.updateRequest, values, writes, next.eventTime);
    }
    if (applied && next.dueAt !== undefined && next.leaseOwner === undefined) this.announcer.due(next.dueAt);
    return applied;
  }

  /**
   * A step that wrote one resource more than once (a create then an update, say): one statement cannot
   * see its own earlier writes, so these run in order in a transaction of their own. Rare.
   */
  private async transitionStepByStep(statement: q.Statement, values: unknown[], writes: ResourceWrite[], now: number): Promise<boolean> {
    return this.inTransaction('applying a transition', async (client) => {
      const applied = (await client.query({ ...statement, values })).rowCount === 1;
      for (const write of applied ? writes : []) {
        const written = await client.query({ ...RESOURCE_WRITE[write.kind], values: writeValues(write, now) });
        if (written.rowCount === 0) throw new ResourceWriteConflict(write);
        const key = writeValues(write, now).slice(0, 4);
        if (write.kind !== 'create') await client.query({ ...q.unindexResource, values: key });
        if (write.kind !== 'delete') await client.query({ ...q.indexResource, values: [...key, ...indexArrays(write.indexed)] });
      }
      await client.query('COMMIT');
      return applied;
    });
  }

  /**
   * Runs `work` in a transaction of its own on a pooled connection (retried while the database is unreachable):
   * COMMIT is `work`'s to issue; on an error it is rolled back, and a broken connection is dropped from the pool.
   */
  private async inTransaction<T>(label: string, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    if (!this.isReady) await this.ready();
    return withRetry(label, this.options.retryBudgetMs, async () => {
      const client = await this.pool.connect();
      let broken: Error | undefined;
      const onError = (error: Error) => (broken = error); // see GroupCommit.send
      client.on('error', onError);
      try {
        await client.query('BEGIN');
        return await work(client);
      } catch (error) {
        if (classifyError(error) !== 'other') broken ??= error as Error;
        else await client.query('ROLLBACK').catch((e: Error) => (broken = e));
        throw error;
      } finally {
        client.off('error', onError);
        client.release(broken);
      }
    });
  }

  async claimDueRequests(now: number, owner: string, leaseUntil: number, limit: number): Promise<RequestRecord[]> {
    const rows = await this.lease<RequestRow>(q.claimDueRequests, [text.encode(owner), leaseUntil, now, limit]);
    return rows.map((row) => fromRequestRow(row, text)).sort((a, b) => (a.dueAt ?? 0) - (b.dueAt ?? 0));
  }

  async renewLeases(owner: string, tokens: readonly string[], leaseUntil: number): Promise<string[]> {
    if (tokens.length === 0) return [];
    return (await this.lease<{ token: string }>(q.renewLeases, [text.encode(owner), tokens.map(text.encode), leaseUntil])).map((r) => text.decode(r.token));
  }

  /** A claim or renewal: on the lease connection (see the constructor), never queued behind other writes. */
  private async lease<R extends pg.QueryResultRow>(statement: q.Statement, values: unknown[]): Promise<R[]> {
    if (!this.isReady) await this.ready();
    return (await withRetry(statement.name!, this.options.retryBudgetMs, () => this.leases.query<R>({ ...statement, values }))).rows;
  }

  async nextDueAt(): Promise<number | undefined> {
    const [row] = await this.read<{ t: number | null }>(q.nextDueAt, []);
    return row?.t ?? undefined;
  }

  async countRequests(now: number): Promise<RequestCounts> {
    return countsFromRows(await this.read<CountRow>(q.countRequests, [now]));
  }

  async history(token: string): Promise<HistoryEntry[]> {
    return (await this.read<HistoryRow>(q.history, [text.encode(token)])).map((row) => fromHistoryRow(row, text));
  }

  async purgeRequests(terminalBefore: number, batchSize: number): Promise<number> {
    // Not through group commit: a batch of deletes should not hold up the requests' commits.
    if (!this.isReady) await this.ready();
    const result = await withRetry('purging', this.options.retryBudgetMs, () => this.pool.query({ ...q.purgeRequests, values: [terminalBefore, batchSize] }));
    // Other nodes may still remember a purged view; it ended before the retention horizon, which the engine
    // answers as not found, so only this node's own reads need the exact contract.
    this.finished.forgetEndedBefore(terminalBefore);
    return result.rowCount ?? 0;
  }

  async pagingKey(candidate: string): Promise<string> {
    if (!this.isReady) await this.ready();
    const ensured = await withRetry('paging key', this.options.retryBudgetMs, () => this.pool.query<{ value: string }>({ ...q.ensureSetting, values: ['paging-key', candidate] }));
    if (ensured.rows[0]) return ensured.rows[0].value;
    const [row] = await this.read<{ value: string }>(q.settingValue, ['paging-key']);
    if (!row) throw new Error('the paging key was neither stored nor found');
    return row.value;
  }

  async resetState(tenant: TenantFilter): Promise<ResetCounts> {
    // Not through group commit (like the purge): one large delete should not hold up the requests' commits.
    if (!this.isReady) await this.ready();
    const values = [tenant.accountId, tenant.region].map((v) => (v === undefined ? null : text.encode(v)));
    const result = await withRetry('resetting', this.options.retryBudgetMs, () => this.pool.query<ResetCounts>({ ...q.resetState, values }));
    // This node's memory of finished requests goes too. Another node's does not: it may answer a status poll
    // for a forgotten request until that entry ages out (README, "Resetting state").
    this.finished.clear();
    return result.rows[0]!;
  }

  async loadFaultRules(): Promise<StoredFaultRules> {
    const [row] = await this.read<{ config: string; version: number }>(q.loadFaultRules, []);
    return row ? { config: row.config, version: row.version } : { config: undefined, version: 0 };
  }

  async saveFaultRules(config: string): Promise<StoredFaultRules> {
    const { rows } = await this.write<{ config: string; version: number }>(q.saveFaultRules, [config]);
    return { config: rows[0]!.config, version: rows[0]!.version };
  }

  async getResource(scope: Scope, typeName: string, identifier: string): Promise<StoredResource | undefined> {
    const [row] = await this.read<ResourceRow>(q.getResource, [scope.accountId, scope.region, typeName, identifier].map(text.encode));
    return row && toResource(row, text);
  }

  async backfillResourceIndex(indexedOf: (typeName: string, properties: string) => IndexedValue[], limit: number): Promise<number> {
    return this.inTransaction('indexing stored resources', async (client) => {
      const [cursor] = (await client.query<{ account_id: string; region: string; type_name: string; identifier: string }>({ ...q.backfillCursor, values: [] })).rows;
      if (!cursor) {
        await client.query('COMMIT');
        return 0;
      }
      const key = (r: typeof cursor) => [r.account_id, r.region, r.type_name, r.identifier];
      const rows = (await client.query<{ account_id: string; region: string; type_name: string; identifier: string; properties: string }>({ ...q.backfillBatch, values: [...key(cursor), limit] })).rows;
      for (const row of rows) {
        await client.query({ ...q.unindexResource, values: key(row) });
        await client.query({ ...q.indexResource, values: [...key(row), ...indexArrays(indexedOf(text.decode(row.type_name), row.properties))] });
      }
      const last = rows.at(-1);
      if (rows.length < limit || !last) await client.query({ ...q.backfillDone, values: [] });
      else await client.query({ ...q.backfillMove, values: key(last) });
      await client.query('COMMIT');
      return rows.length;
    });
  }

  async findResources(scope: Scope, typeName: string, path: string, value: string, limit: number, afterIdentifier?: string): Promise<StoredResource[]> {
    if (!isIndexable(value)) return [];
    const rows = await this.read<ResourceRow>(q.findResources, [...[scope.accountId, scope.region, typeName, path, value].map(text.encode), limit, text.encode(afterIdentifier ?? '')]);
    return rows.map((row) => toResource(row, text));
  }

  async listResources(scope: Scope, typeName: string, afterIdentifier: string | undefined, limit: number, maxBytes?: number): Promise<StoredResource[]> {
    const key = [...[scope.accountId, scope.region, typeName, afterIdentifier ?? ''].map(text.encode), limit];
    const rows = await this.read<ResourceRow>(maxBytes === undefined ? q.listResources : q.listResourcesWithin, maxBytes === undefined ? key : [...key, maxBytes]);
    return rows.map((row) => toResource(row, text));
  }

  async provisionOnce(scope: Scope, marker: string, resources: ProvisionedResource[], now: number): Promise<boolean> {
    const result = await this.write<{ claimed: number }>(q.provisionOnce, [
      ...[scope.accountId, scope.region, marker].map(text.encode),
      now,
      resources.map((r) => text.encode(r.typeName)),
      resources.map((r) => text.encode(r.identifier)),
      resources.map((r) => r.properties),
      ...indexColumns(resources),
    ]);
    return result.rows[0]?.claimed === 1;
  }

  async hasMarker(scope: Scope, marker: string): Promise<boolean> {
    return (await this.getResource(scope, MARKER_TYPE_NAME, marker)) !== undefined;
  }

  // ---- web console (issue #16): bounded cross-tenant reads

  async scanRequests(filter: ConsoleRequestFilter, beforeSeq: number | undefined, limit: number, scanLimit: number): Promise<RequestScan> {
    const before = beforeSeq ?? NO_SEQ_BOUND;
    const scope = filter.scope ? [text.encode(filter.scope.accountId), text.encode(filter.scope.region)] : [];
    const [window] = await this.read<{ floor: string | null; n: string }>(filter.scope ? q.scanWindowInScope : q.scanWindow, [before, scanLimit, ...scope]);
    if (!window || window.floor === null) return { records: [] };
    const floor = Number(window.floor);
    const values = [
      before,
      floor,
      filter.operations ?? [],
      filter.statuses ?? [],
      filter.typeName === undefined ? null : text.encode(filter.typeName),
      filter.identifier === undefined ? null : text.encode(filter.identifier),
      limit,
      ...scope,
    ];
    const rows = await this.read<RequestRow>(filter.scope ? q.scanRequestsInScope : q.scanRequests, values);
    const records = rows.map((row) => fromRequestRow(row, text));
    if (records.length === limit) return { records, nextBeforeSeq: records[records.length - 1]!.seq! };
    return Number(window.n) === scanLimit ? { records, nextBeforeSeq: floor } : { records };
  }

  async listResourceKinds(after: ResourceKind | undefined, limit: number): Promise<ResourceKind[]> {
    const key = after ? [after.accountId, after.region, after.typeName].map(text.encode) : ['', '', ''];
    const rows = await this.read<{ account_id: string; region: string; type_name: string }>(q.resourceKinds, [...key, limit]);
    return rows.map((row) => ({ accountId: text.decode(row.account_id), region: text.decode(row.region), typeName: text.decode(row.type_name) }));
  }

  async subscribe(onWork: WorkListener): Promise<() => Promise<void>> {
    const subscription = new WorkSubscription(this.config, this.instance, onWork, (error, delay) =>
      this.onConnectionError(error, `listening connection lost; reconnecting in ${delay} ms`),
    );
    this.subscriptions.add(subscription);
    await subscription.start();
    return async () => {
      this.subscriptions.delete(subscription);
      await subscription.stop();
    };
  }

  close(): Promise<void> {
    this.closing ??= (async () => {
      await Promise.all([...this.subscriptions].map((s) => s.stop()));
      this.subscriptions.clear();
      await Promise.all([this.reads.close(), this.leases.close()]);
      await this.pool.end();
    })();
    return this.closing;
  }
}

/** A provisioned set's index rows (the indexable values of each resource) as the four parallel arrays of provisionOnce. */
function indexColumns(resources: ProvisionedResource[]): [string[], string[], string[], string[]] {
  const columns: [string[], string[], string[], string[]] = [[], [], [], []];
  for (const r of resources) {
    for (const { path, value } of r.indexed ?? []) {
      if (!isIndexable(value)) continue;
      columns[0].push(text.encode(r.typeName));
      columns[1].push(text.encode(r.identifier));
      columns[2].push(text.encode(path));
      columns[3].push(text.encode(value));
    }
  }
  return columns;
}
