/**
 * The embedded default Store: one SQLite file (better-sqlite3, WAL, synchronous=NORMAL: a process crash
 * loses nothing committed; only a power loss can lose the last commits). The file is opened in exclusive
 * locking mode so a second ccapi process cannot run a second worker over the same requests.
 */
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { HistoryEntry, RequestRecord, RequestStatusView, Scope } from '../../domain/records.js';
import {
  MARKER_TYPE_NAME,
  type ProvisionedResource,
  ResourceWriteConflict,
  isIndexable,
  type IndexedValue,
  type ConsoleRequestFilter,
  type InsertOutcome,
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
} from '../store.js';
import { SQLITE_TEXT } from '../stored-text.js';
import { filterPairs } from '../request-filter.js';
import { SQLITE_MIGRATIONS } from './migrations/index.js';
import {
  REQUEST_COLUMNS,
  countsFromRows,
  fromHistoryRow,
  type CountRow,
  fromRequestRow,
  fromStatusRow,
  statusViewOf,
  toHistoryParams,
  toRequestParams,
  valuesOf,
  type HistoryRow,
  type RequestRow,
  type StatusRow,
  toResource,
  type ResourceRow,
} from '../rows.js';

type Statement = Database.Statement;

export class DatabaseInUseError extends Error {}


/** Text from callers and handlers, escaped where SQLite would not give it back as it was (stored-text.ts). */
const text = SQLITE_TEXT;

/** Status views kept in memory: enough for the requests clients poll now, small next to SQLite's page cache. */
const STATUS_CACHE_SIZE = 2048;

export class SqliteStore implements Store {
  readonly description: string;
  private readonly db: Database.Database;
  private readonly stmt: Record<string, Statement>;
  private readonly listStatements = new Map<string, Statement>();
  private pending: { run: () => unknown; resolve: (value: unknown) => void; reject: (error: unknown) => void }[] = [];
  /** Status views of recent requests, kept current by this process's writes (see remember()). */
  private readonly statuses = new Map<string, RequestStatusView>();

  /** `path` is a file path or ":memory:". */
  constructor(path: string) {
    const memory = path === ':memory:';
    const file = memory ? path : resolve(path);
    if (!memory) mkdirSync(dirname(file), { recursive: true });
    this.description = memory ? 'sqlite::memory:' : `sqlite:${file}`;
    this.db = new Database(file, { timeout: 0 });
    try {
      this.db.pragma('locking_mode = EXCLUSIVE');
      this.db.pragma('journal_mode = WAL');
      this.db.pragma('synchronous = NORMAL');
      // A 16 MB page cache (8x SQLite's default) keeps the hot index pages in memory; status polls mostly skip
      // SQLite anyway (the status cache below), and 32 MB cost 16 MB of resident memory for no measured gain.
      // Checkpoints every ~40 MB of WAL rather than 4 MB write each often-updated page (index leaves, the
      // queue) back to the file far less often.
      this.db.pragma('cache_size = -16384');
      this.db.pragma('wal_autocheckpoint = 10000');
      // Every query here is written for the indexes the migrations create. With statistics (ANALYZE) SQLite chose
      // to build a throwaway index over every resource for each ListResources page instead (255 ms a page at 100k
      // LogGroups, issue #17): automatic indexes only ever stand in for a missing one, and none is missing.
      this.db.pragma('automatic_index = OFF');
      // Taking the write lock now turns "another process has it" into a clear start-up error.
      this.db.exec('BEGIN IMMEDIATE; COMMIT;');
    } catch (error) {
      this.db.close();
      if ((error as { code?: string }).code === 'SQLITE_BUSY') {
        throw new DatabaseInUseError(`The database ${file} is in use by another process (is another ccapi server running on it?)`);
      }
      throw error;
    }
    this.migrate();
    this.stmt = this.prepareStatements();
  }

  private migrate(): void {
    const current = this.db.pragma('user_version', { simple: true }) as number;
    for (const migration of SQLITE_MIGRATIONS) {
      if (migration.version <= current) continue;
      this.db.transaction(() => {
        this.db.exec(migration.sql);
        this.db.pragma(`user_version = ${migration.version}`);
      })();
    }
  }

  private prepareStatements(): Record<string, Statement> {
    const cols = REQUEST_COLUMNS.join(', ');
    const params = REQUEST_COLUMNS.map(() => '?').join(', ');
    // Positional, in REQUEST_COLUMNS order; `token = ?` (a no-op) keeps the order identical to the INSERT's.
    const assignments = REQUEST_COLUMNS.map((c) => `${c} = ?`).join(', ');
    const p = (sql: string) => this.db.prepare(sql);
    return {
      byClientToken: p('SELECT * FROM requests WHERE account_id = ? AND region = ? AND client_token = ?'),
      forgetClientToken: p('UPDATE requests SET client_token = NULL WHERE seq = ?'),
      lockHolder: p('SELECT * FROM requests WHERE account_id = ? AND region = ? AND type_name = ? AND lock_key = ?'),
      insertRequest: p(`INSERT INTO requests (${cols}) VALUES (${params})`),
      byToken: p('SELECT * FROM requests WHERE token = ?'),
      byHooksToken: p('SELECT * FROM requests WHERE hooks_request_token = ?'),
      statusByToken: p('SELECT account_id, region, retry_after, terminal_at, progress_event, hooks_progress FROM requests WHERE token = ?'),
      update: p(`UPDATE requests SET ${assignments} WHERE token = ? AND version = ?`),
      insertHistory: p(
        `INSERT INTO request_events (token, n, status, event_time, detail, error_code, status_message, retry_after)
         VALUES (@token, (SELECT COALESCE(MAX(n), 0) + 1 FROM request_events WHERE token = @token),
                 @status, @event_time, @detail, @error_code, @status_message, @retry_after)`,
      ),
      history: p('SELECT * FROM request_events WHERE token = ? ORDER BY n'),
      // Claim in one statement: the inner SELECT picks due, unleased work in due order; RETURNING hands
      // back the leased rows, so no other claimer can see them as free.
      claim: p(
        `UPDATE requests SET lease_owner = @owner, lease_until = @lease_until, version = version + 1
         WHERE seq IN (SELECT seq FROM requests
                       WHERE due_at IS NOT NULL AND due_at <= @now AND (lease_until IS NULL OR lease_until < @now)
                       ORDER BY due_at LIMIT @limit)
         RETURNING *`,
      ),
      // A leased request is not due again before its lease ends, whatever its due_at says.
      nextDue: p(
        `SELECT MIN(CASE WHEN lease_until IS NOT NULL AND lease_until > due_at THEN lease_until ELSE due_at END) AS t
         FROM requests WHERE due_at IS NOT NULL`,
      ),
      listRequests: p('SELECT * FROM requests WHERE account_id = ? AND region = ? AND seq < ? ORDER BY seq DESC LIMIT ?'),
      expiredTokens: p('SELECT seq, token FROM requests WHERE terminal_at IS NOT NULL AND terminal_at < ? ORDER BY terminal_at LIMIT ?'),
      deleteRequest: p('DELETE FROM requests WHERE seq = ?'),
      // The metrics' counts (#16): per status, and how many of them are due with no live lease (as claim sees them).
      countRequests: p(
        `SELECT status, COUNT(*) AS n,
                SUM(CASE WHEN due_at IS NOT NULL AND due_at <= @now AND (lease_until IS NULL OR lease_until < @now) THEN 1 ELSE 0 END) AS due
         FROM requests GROUP BY status`,
      ),
      deleteHistory: p('DELETE FROM request_events WHERE token = ?'),
      getResource: p('SELECT * FROM resources WHERE account_id = ? AND region = ? AND type_name = ? AND identifier = ?'),
      listResourcesFirst: p('SELECT * FROM resources WHERE account_id = ? AND region = ? AND type_name = ? ORDER BY identifier LIMIT ?'),
      listResourcesAfter: p(
        'SELECT * FROM resources WHERE account_id = ? AND region = ? AND type_name = ? AND identifier > ? ORDER BY identifier LIMIT ?',
      ),
      // The page's sizes come from the index order alone (octet_length), and only the rows that fit are read whole.
      // CROSS JOIN fixes the join order (SQLite never reorders it): with statistics (ANALYZE, PRAGMA optimize) the
      // planner otherwise chose to walk every resource of the type and probe the page for each, 350 ms at 100k
      // LogGroups instead of 1 ms (issue #17, bench/scale.mjs).
      listResourcesWithin: p(
        `SELECT r.* FROM (
           SELECT id, row_number() OVER (ORDER BY id) AS n, sum(bytes) OVER (ORDER BY id ROWS UNBOUNDED PRECEDING) AS running
           FROM (SELECT identifier AS id, octet_length(identifier) + octet_length(properties) AS bytes FROM resources
                 WHERE account_id = @account AND region = @region AND type_name = @type AND identifier > @after ORDER BY identifier LIMIT @limit)
         ) AS sized
         CROSS JOIN resources r ON r.account_id = @account AND r.region = @region AND r.type_name = @type AND r.identifier = sized.id
         WHERE sized.n = 1 OR sized.running <= @maxBytes
         ORDER BY r.identifier`,
      ),
      createResource: p(
        `INSERT INTO resources (account_id, region, type_name, identifier, properties, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
      ),
      updateResource: p(
        'UPDATE resources SET properties = ?, updated_at = ? WHERE account_id = ? AND region = ? AND type_name = ? AND identifier = ?',
      ),
      insertSetting: p('INSERT INTO settings (name, value) VALUES (?, ?) ON CONFLICT (name) DO NOTHING'),
      setting: p('SELECT value FROM settings WHERE name = ?'),
      deleteResource: p('DELETE FROM resources WHERE account_id = ? AND region = ? AND type_name = ? AND identifier = ?'),
      // Resource index (issues #15, #17)
      unindexResource: p('DELETE FROM resource_index WHERE account_id = ? AND region = ? AND type_name = ? AND identifier = ?'),
      indexValue: p('INSERT OR IGNORE INTO resource_index (account_id, region, type_name, path, value, identifier) VALUES (?, ?, ?, ?, ?, ?)'),
      backfillCursor: p('SELECT account_id, region, type_name, identifier FROM resource_index_backfill WHERE id = 1'),
      backfillBatch: p(
        `SELECT * FROM resources WHERE (account_id, region, type_name, identifier) > (?, ?, ?, ?)
         ORDER BY account_id, region, type_name, identifier LIMIT ?`,
      ),
      backfillMove: p('UPDATE resource_index_backfill SET account_id = ?, region = ?, type_name = ?, identifier = ? WHERE id = 1'),
      backfillDone: p('DELETE FROM resource_index_backfill WHERE id = 1'),
      findResources: p(
        `SELECT r.* FROM resource_index i
         JOIN resources r ON r.account_id = i.account_id AND r.region = i.region AND r.type_name = i.type_name AND r.identifier = i.identifier
         WHERE i.account_id = ? AND i.region = ? AND i.type_name = ? AND i.path = ? AND i.value = ? AND i.identifier > ?
         ORDER BY i.identifier LIMIT ?`,
      ),
      // A reset: NULL for "any account" / "any region". Timelines first, while their requests still say whose they are.
      resetHistory: p(
        `DELETE FROM request_events WHERE token IN
           (SELECT token FROM requests WHERE (@account IS NULL OR account_id = @account) AND (@region IS NULL OR region = @region))`,
      ),
      resetRequests: p('DELETE FROM requests WHERE (@account IS NULL OR account_id = @account) AND (@region IS NULL OR region = @region)'),
      // Markers (provisionOnce) go too, so a reset scope gets its default VPC again, but are not counted as resources.
      resetMarkers: p(`DELETE FROM resources WHERE type_name = '${MARKER_TYPE_NAME}' AND (@account IS NULL OR account_id = @account) AND (@region IS NULL OR region = @region)`),
      resetResources: p('DELETE FROM resources WHERE (@account IS NULL OR account_id = @account) AND (@region IS NULL OR region = @region)'),
      resetIndex: p('DELETE FROM resource_index WHERE (@account IS NULL OR account_id = @account) AND (@region IS NULL OR region = @region)'),
      loadFaultRules: p('SELECT config, version FROM fault_rules WHERE id = 1'),
      saveFaultRules: p(
        `INSERT INTO fault_rules (id, config, version) VALUES (1, ?, 1)
         ON CONFLICT (id) DO UPDATE SET config = excluded.config, version = fault_rules.version + 1
         RETURNING config, version`,
      ),
    };
  }

  async findByClientToken(scope: Scope, clientToken: string, notBefore: number): Promise<RequestRecord | undefined> {
    const row = this.stmt.byClientToken!.get(text.encode(scope.accountId), text.encode(scope.region), text.encode(clientToken)) as RequestRow | undefined;
    return row && row.created_at >= notBefore ? fromRequestRow(row, text) : undefined;
  }

  /**
   * Group commit: writes issued in the same turn of the event loop run in ONE transaction, each inside its
   * own savepoint (so one failing write rolls back alone), and every caller is answered only after the
   * commit. Under load this turns hundreds of small commits (each rewriting the same index pages into the
   * WAL) into a few; nothing is acknowledged before it is durable.
   */
  private write<T>(run: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.pending.push({ run, resolve: resolve as (value: unknown) => void, reject });
      if (this.pending.length === 1) setImmediate(() => this.flush());
    });
  }

  private flush(): void {
    const batch = this.pending;
    if (batch.length === 0) return;
    this.pending = [];
    const outcomes: { ok: boolean; value: unknown }[] = [];
    try {
      this.db.transaction(() => {
        for (const item of batch) {
          try {
            outcomes.push({ ok: true, value: this.db.transaction(item.run)() });
          } catch (error) {
            outcomes.push({ ok: false, value: error });
          }
        }
      })();
    } catch (error) {
      for (const item of batch) item.reject(error);
      return;
    }
    batch.forEach((item, i) => (outcomes[i]!.ok ? item.resolve(outcomes[i]!.value) : item.reject(outcomes[i]!.value)));
  }

  async insertRequest(record: RequestRecord, history: HistoryEntry, clientTokensNotBefore: number): Promise<InsertOutcome> {
    const params = toRequestParams(record, text);
    const outcome = await this.write((): InsertOutcome => {
      if (params.client_token !== null) {
        const used = this.stmt.byClientToken!.get(params.account_id, params.region, params.client_token) as RequestRow | undefined;
        if (used && used.created_at >= clientTokensNotBefore) return { kind: 'clientTokenUsed', existing: fromRequestRow(used, text) };
        // Past its 36-hour window the token starts a new request; the old one keeps its history.
        if (used) this.stmt.forgetClientToken!.run(used.seq);
      }
      if (params.lock_key !== null) {
        const holder = this.stmt.lockHolder!.get(params.account_id, params.region, params.type_name, params.lock_key) as RequestRow | undefined;
        if (holder) return { kind: 'locked', holderToken: text.decode(holder.token) };
      }
      const info = this.stmt.insertRequest!.run(valuesOf(params));
      this.stmt.insertHistory!.run(toHistoryParams(history, text));
      return { kind: 'inserted', record: { ...record, seq: Number(info.lastInsertRowid) } };
    });
    if (outcome.kind === 'inserted') this.remember(record.token, statusViewOf(params, text));
    return outcome;
  }

  async getRequest(token: string): Promise<RequestRecord | undefined> {
    const row = this.stmt.byToken!.get(text.encode(token)) as RequestRow | undefined;
    return row && fromRequestRow(row, text);
  }

  async getRequestByHooksToken(hooksRequestToken: string): Promise<RequestRecord | undefined> {
    const row = this.stmt.byHooksToken!.get(text.encode(hooksRequestToken)) as RequestRow | undefined;
    return row && fromRequestRow(row, text);
  }

  async getRequestStatus(token: string): Promise<RequestStatusView | undefined> {
    const cached = this.statuses.get(token);
    if (cached) return cached;
    // Read and remembered in one synchronous step: no write can land between the two.
    const row = this.stmt.statusByToken!.get(text.encode(token)) as StatusRow | undefined;
    if (!row) return undefined;
    const view = fromStatusRow(row, text);
    this.remember(token, view);
    return view;
  }

  /**
   * Status polls are the hot path. This process is the database's only writer (exclusive locking), and every
   * write that changes what a poll sees (insert, transition, purge) passes through here, so the view of each
   * recently written or polled request is kept in memory, updated after each commit: a poll then costs no
   * SQLite read. Bounded; the oldest entries go first.
   */
  private remember(token: string, view: RequestStatusView): void {
    this.statuses.delete(token);
    this.statuses.set(token, view);
    if (this.statuses.size > STATUS_CACHE_SIZE) this.statuses.delete(this.statuses.keys().next().value!);
  }

  /**
   * Newest first. Unfiltered, one walk of requests_scope_seq. Filtered, the filter becomes its (operation, status)
   * pairs (a dimension it leaves out stands for all its values), each read newest first from requests_filter,
   * index only, `limit` entries at most, and merged: a page reads at most pairs × limit index entries (pairs ≤ 18)
   * and `limit` rows, whether the filter matches every request or none (issue #17).
   */
  async listRequests(scope: Scope, filter: RequestFilter, beforeSeq: number | undefined, limit: number): Promise<RequestRecord[]> {
    const pairs = filterPairs(filter);
    const before = beforeSeq ?? Number.MAX_SAFE_INTEGER;
    const account = text.encode(scope.accountId);
    const region = text.encode(scope.region);
    if (pairs === undefined) {
      return (this.stmt.listRequests!.all(account, region, before, limit) as RequestRow[]).map((row) => fromRequestRow(row, text));
    }
    let stmt = this.listStatements.get(String(pairs.length));
    if (!stmt) {
      const arm = 'SELECT seq FROM (SELECT seq FROM requests WHERE account_id = ? AND region = ? AND operation = ? AND status = ? AND seq < ? ORDER BY seq DESC LIMIT ?)';
      const merged = `${pairs.map(() => arm).join(' UNION ALL ')} ORDER BY seq DESC LIMIT ?`;
      stmt = this.db.prepare(`SELECT * FROM requests WHERE seq IN (${merged}) ORDER BY seq DESC`);
      this.listStatements.set(String(pairs.length), stmt);
    }
    const args: unknown[] = [];
    for (const [operation, status] of pairs) args.push(account, region, operation, status, before, limit);
    args.push(limit);
    return (stmt.all(...args) as RequestRow[]).map((row) => fromRequestRow(row, text));
  }

  async findLockHolder(scope: Scope, typeName: string, lockKey: string): Promise<RequestRecord | undefined> {
    const row = this.stmt.lockHolder!.get(text.encode(scope.accountId), text.encode(scope.region), text.encode(typeName), text.encode(lockKey)) as RequestRow | undefined;
    return row && fromRequestRow(row, text);
  }

  async applyTransition(next: RequestRecord, expectedVersion: number, history: HistoryEntry | undefined, writes: ResourceWrite[]): Promise<boolean> {
    const params = toRequestParams(next, text);
    const applied = await this.write((): boolean => {
      const changed = this.stmt.update!.run(...valuesOf(params), params.token, expectedVersion).changes;
      if (changed === 0) return false;
      for (const write of writes) this.applyWrite(write, next.eventTime);
      if (history) this.stmt.insertHistory!.run(toHistoryParams(history, text));
      return true;
    });
    // Resolved only after the commit, in commit order.
    if (applied) this.remember(next.token, statusViewOf(params, text));
    return applied;
  }

  private applyWrite(write: ResourceWrite, now: number): void {
    const [accountId, region, typeName, identifier] = [write.scope.accountId, write.scope.region, write.typeName, write.identifier].map(text.encode);
    let changes: number;
    switch (write.kind) {
      case 'create':
        changes = this.stmt.createResource!.run(accountId, region, typeName, identifier, write.properties, now, now).changes;
        break;
      case 'update':
        changes = this.stmt.updateResource!.run(write.properties, now, accountId, region, typeName, identifier).changes;
        break;
      case 'delete':
        changes = this.stmt.deleteResource!.run(accountId, region, typeName, identifier).changes;
        break;
    }
    // Throwing inside the transaction rolls back the request transition too.
    if (changes === 0) throw new ResourceWriteConflict(write);
    this.reindex(write, [accountId, region, typeName, identifier]);
  }

  /** Resource index (issues #15, #17): the resource's old values out, its new set (create, update) in. */
  private reindex(write: ResourceWrite, key: unknown[]): void {
    if (write.kind !== 'create') this.stmt.unindexResource!.run(...key);
    if (write.kind === 'delete') return;
    const [accountId, region, typeName, identifier] = key;
    for (const { path, value } of write.indexed ?? []) {
      if (isIndexable(value)) this.stmt.indexValue!.run(accountId, region, typeName, text.encode(path), text.encode(value), identifier);
    }
  }

  async backfillResourceIndex(indexedOf: (typeName: string, properties: string) => IndexedValue[], limit: number): Promise<number> {
    // One synchronous transaction: nothing else writes between the read and the index rows (one process).
    return this.write((): number => {
      const cursor = this.stmt.backfillCursor!.get() as { account_id: string; region: string; type_name: string; identifier: string } | undefined;
      if (!cursor) return 0;
      const rows = this.stmt.backfillBatch!.all(cursor.account_id, cursor.region, cursor.type_name, cursor.identifier, limit) as (ResourceRow & { account_id: string; region: string })[];
      for (const row of rows) {
        const resource = toResource(row, text);
        this.reindex({ kind: 'update', scope: { accountId: '', region: '' }, typeName: resource.typeName, identifier: '', properties: '', indexed: indexedOf(resource.typeName, resource.properties) }, [row.account_id, row.region, row.type_name, row.identifier]);
      }
      const last = rows.at(-1);
      if (rows.length < limit || !last) this.stmt.backfillDone!.run();
      else this.stmt.backfillMove!.run(last.account_id, last.region, last.type_name, last.identifier);
      return rows.length;
    });
  }

  async findResources(scope: Scope, typeName: string, path: string, value: string, limit: number, afterIdentifier?: string): Promise<StoredResource[]> {
    if (!isIndexable(value)) return [];
    const args = [scope.accountId, scope.region, typeName, path, value, afterIdentifier ?? ''].map(text.encode);
    return (this.stmt.findResources!.all(...args, limit) as ResourceRow[]).map((row) => toResource(row, text));
  }

  async claimDueRequests(now: number, owner: string, leaseUntil: number, limit: number): Promise<RequestRecord[]> {
    const rows = this.stmt.claim!.all({ owner: text.encode(owner), lease_until: leaseUntil, now, limit }) as RequestRow[];
    return rows.map((row) => fromRequestRow(row, text)).sort((a, b) => (a.dueAt ?? 0) - (b.dueAt ?? 0));
  }

  async nextDueAt(): Promise<number | undefined> {
    const row = this.stmt.nextDue!.get() as { t: number | null };
    return row.t ?? undefined;
  }

  async countRequests(now: number): Promise<RequestCounts> {
    return countsFromRows(this.stmt.countRequests!.all({ now }) as CountRow[]);
  }

  async history(token: string): Promise<HistoryEntry[]> {
    return (this.stmt.history!.all(text.encode(token)) as HistoryRow[]).map((row) => fromHistoryRow(row, text));
  }

  async purgeRequests(terminalBefore: number, batchSize: number): Promise<number> {
    return this.db.transaction((): number => {
      const tokens = this.stmt.expiredTokens!.all(terminalBefore, batchSize) as { seq: number; token: string }[];
      for (const { seq, token } of tokens) {
        this.stmt.deleteHistory!.run(token);
        this.stmt.deleteRequest!.run(seq);
        this.statuses.delete(text.decode(token));
      }
      return tokens.length;
    })();
  }

  async getResource(scope: Scope, typeName: string, identifier: string): Promise<StoredResource | undefined> {
    const row = this.stmt.getResource!.get(text.encode(scope.accountId), text.encode(scope.region), text.encode(typeName), text.encode(identifier)) as ResourceRow | undefined;
    return row && toResource(row, text);
  }

  async listResources(scope: Scope, typeName: string, afterIdentifier: string | undefined, limit: number, maxBytes?: number): Promise<StoredResource[]> {
    if (maxBytes !== undefined) {
      const params = { account: text.encode(scope.accountId), region: text.encode(scope.region), type: text.encode(typeName), after: text.encode(afterIdentifier ?? ''), limit, maxBytes };
      return (this.stmt.listResourcesWithin!.all(params) as ResourceRow[]).map((row) => toResource(row, text));
    }
    const key = [scope.accountId, scope.region, typeName].map(text.encode);
    const rows = (
      afterIdentifier === undefined
        ? this.stmt.listResourcesFirst!.all(...key, limit)
        : this.stmt.listResourcesAfter!.all(...key, text.encode(afterIdentifier), limit)
    ) as ResourceRow[];
    return rows.map((row) => toResource(row, text));
  }

  async pagingKey(candidate: string): Promise<string> {
    this.stmt.insertSetting!.run('paging-key', candidate);
    return (this.stmt.setting!.get('paging-key') as { value: string }).value;
  }

  async provisionOnce(scope: Scope, marker: string, resources: ProvisionedResource[], now: number): Promise<boolean> {
    const [accountId, region] = [scope.accountId, scope.region].map(text.encode);
    return this.write((): boolean => {
      // The marker row decides: inserted means this call does the set-up; present means it was done before.
      const claimed = this.stmt.createResource!.run(accountId, region, MARKER_TYPE_NAME, text.encode(marker), '{}', now, now).changes === 1;
      if (!claimed) return false;
      for (const r of resources) {
        const [typeName, identifier] = [r.typeName, r.identifier].map(text.encode);
        if (this.stmt.createResource!.run(accountId, region, typeName, identifier, r.properties, now, now).changes === 0) continue;
        this.reindex({ kind: 'create', scope, typeName: r.typeName, identifier: r.identifier, properties: r.properties, ...(r.indexed ? { indexed: r.indexed } : {}) }, [accountId, region, typeName, identifier]);
      }
      return true;
    });
  }

  async hasMarker(scope: Scope, marker: string): Promise<boolean> {
    return (await this.getResource(scope, MARKER_TYPE_NAME, marker)) !== undefined;
  }

  async resetState(tenant: TenantFilter): Promise<ResetCounts> {
    const params = {
      account: tenant.accountId === undefined ? null : text.encode(tenant.accountId),
      region: tenant.region === undefined ? null : text.encode(tenant.region),
    };
    // Queued with the other writes, so it commits between group commits, never inside one half-applied.
    const counts = await this.write((): ResetCounts => {
      this.stmt.resetHistory!.run(params);
      this.stmt.resetIndex!.run(params);
      this.stmt.resetMarkers!.run(params);
      return { requests: this.stmt.resetRequests!.run(params).changes, resources: this.stmt.resetResources!.run(params).changes };
    });
    // The cache would otherwise keep answering status polls for forgotten requests.
    this.statuses.clear();
    return counts;
  }

  async loadFaultRules(): Promise<StoredFaultRules> {
    const row = this.stmt.loadFaultRules!.get() as { config: string; version: number } | undefined;
    return row ? { config: row.config, version: row.version } : { config: undefined, version: 0 };
  }

  async saveFaultRules(config: string): Promise<StoredFaultRules> {
    return this.write(() => this.stmt.saveFaultRules!.get(config) as StoredFaultRules);
  }

  // ---- web console (issue #16): bounded cross-tenant reads

  async scanRequests(filter: ConsoleRequestFilter, beforeSeq: number | undefined, limit: number, scanLimit: number): Promise<RequestScan> {
    const before = beforeSeq ?? Number.MAX_SAFE_INTEGER;
    const scope = filter.scope ? [text.encode(filter.scope.accountId), text.encode(filter.scope.region)] : [];
    const inScope = filter.scope ? 'account_id = ? AND region = ? AND ' : '';
    // The window: the newest `scanLimit` seqs below the cursor, read off an index (the primary key, or requests_scope_seq).
    const window = this.db
      .prepare(`SELECT min(seq) AS floor, count(*) AS n FROM (SELECT seq FROM requests WHERE ${inScope}seq < ? ORDER BY seq DESC LIMIT ?)`)
      .get(...scope, before, scanLimit) as { floor: number | null; n: number };
    if (window.floor === null) return { records: [] };
    const ops = filter.operations ?? [];
    const statuses = filter.statuses ?? [];
    const where = [`${inScope}seq < ? AND seq >= ?`];
    const args: unknown[] = [...scope, before, window.floor];
    if (ops.length) where.push(`operation IN (${ops.map(() => '?').join(', ')})`), args.push(...ops);
    if (statuses.length) where.push(`status IN (${statuses.map(() => '?').join(', ')})`), args.push(...statuses);
    if (filter.typeName !== undefined) where.push('type_name = ?'), args.push(text.encode(filter.typeName));
    if (filter.identifier !== undefined) where.push('identifier = ?'), args.push(text.encode(filter.identifier));
    const rows = this.db.prepare(`SELECT * FROM requests WHERE ${where.join(' AND ')} ORDER BY seq DESC LIMIT ?`).all(...args, limit) as RequestRow[];
    const records = rows.map((row) => fromRequestRow(row, text));
    if (records.length === limit) return { records, nextBeforeSeq: records[records.length - 1]!.seq! };
    return window.n === scanLimit ? { records, nextBeforeSeq: window.floor } : { records };
  }

  async listResourceKinds(after: ResourceKind | undefined, limit: number): Promise<ResourceKind[]> {
    // A loose index scan of the primary key: one seek per kind, however many resources each has.
    const next = this.db.prepare(
      'SELECT account_id, region, type_name FROM resources WHERE (account_id, region, type_name) > (?, ?, ?) ORDER BY account_id, region, type_name LIMIT 1',
    );
    const kinds: ResourceKind[] = [];
    let key = after ? [after.accountId, after.region, after.typeName].map(text.encode) : ['', '', ''];
    while (kinds.length < limit) {
      const row = next.get(...key) as { account_id: string; region: string; type_name: string } | undefined;
      if (!row) break;
      key = [row.account_id, row.region, row.type_name];
      // Markers (provisionOnce) are rows of the resources table but no resource kind.
      if (row.type_name === MARKER_TYPE_NAME) continue;
      kinds.push({ accountId: text.decode(row.account_id), region: text.decode(row.region), typeName: text.decode(row.type_name) });
    }
    return kinds;
  }

  async releaseAbandonedLeases(): Promise<number> {
    // requests_leased (migration 4) holds only the leased rows: start-up does not read every request stored.
    return this.db.prepare('UPDATE requests SET lease_owner = NULL, lease_until = NULL, version = version + 1 WHERE lease_owner IS NOT NULL').run().changes;
  }

  async close(): Promise<void> {
    this.flush();
    if (this.db.open) this.db.close();
  }
}
