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
  ResourceWriteConflict,
  type ConsoleRequestFilter,
  type InsertOutcome,
  type RequestFilter,
  type RequestScan,
  type ResourceKind,
  type ResourceWrite,
  type Store,
  type StoredResource,
} from '../store.js';
import { SQLITE_TEXT } from '../stored-text.js';
import { SQLITE_MIGRATIONS } from './migrations/index.js';
import {
  REQUEST_COLUMNS,
  fromHistoryRow,
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
      expiredTokens: p('SELECT token FROM requests WHERE terminal_at IS NOT NULL AND terminal_at < ? LIMIT ?'),
      deleteRequest: p('DELETE FROM requests WHERE token = ?'),
      deleteHistory: p('DELETE FROM request_events WHERE token = ?'),
      getResource: p('SELECT * FROM resources WHERE account_id = ? AND region = ? AND type_name = ? AND identifier = ?'),
      listResourcesFirst: p('SELECT * FROM resources WHERE account_id = ? AND region = ? AND type_name = ? ORDER BY identifier LIMIT ?'),
      listResourcesAfter: p(
        'SELECT * FROM resources WHERE account_id = ? AND region = ? AND type_name = ? AND identifier > ? ORDER BY identifier LIMIT ?',
      ),
      // The page's sizes come from the index order alone (octet_length), and only the rows that fit are read whole.
      listResourcesWithin: p(
        `SELECT r.* FROM (
           SELECT id, row_number() OVER (ORDER BY id) AS n, sum(bytes) OVER (ORDER BY id ROWS UNBOUNDED PRECEDING) AS running
           FROM (SELECT identifier AS id, octet_length(identifier) + octet_length(properties) AS bytes FROM resources
                 WHERE account_id = @account AND region = @region AND type_name = @type AND identifier > @after ORDER BY identifier LIMIT @limit)
         ) AS sized
         JOIN resources r ON r.account_id = @account AND r.region = @region AND r.type_name = @type AND r.identifier = sized.id
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
      deleteResource: p('DELETE FROM resources WHERE account_id = ? AND region = ? AND type_name = ? AND identifier = ?'),
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

  async listRequests(scope: Scope, filter: RequestFilter, beforeSeq: number | undefined, limit: number): Promise<RequestRecord[]> {
    const ops = filter.operations ?? [];
    const statuses = filter.statuses ?? [];
    const key = `${ops.length}:${statuses.length}:${beforeSeq === undefined ? 0 : 1}`;
    let stmt = this.listStatements.get(key);
    if (!stmt) {
      const where = ['account_id = ?', 'region = ?'];
      if (ops.length) where.push(`operation IN (${ops.map(() => '?').join(', ')})`);
      if (statuses.length) where.push(`status IN (${statuses.map(() => '?').join(', ')})`);
      if (beforeSeq !== undefined) where.push('seq < ?');
      stmt = this.db.prepare(`SELECT * FROM requests WHERE ${where.join(' AND ')} ORDER BY seq DESC LIMIT ?`);
      this.listStatements.set(key, stmt);
    }
    const args: unknown[] = [text.encode(scope.accountId), text.encode(scope.region), ...ops, ...statuses];
    if (beforeSeq !== undefined) args.push(beforeSeq);
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
  }

  async claimDueRequests(now: number, owner: string, leaseUntil: number, limit: number): Promise<RequestRecord[]> {
    const rows = this.stmt.claim!.all({ owner: text.encode(owner), lease_until: leaseUntil, now, limit }) as RequestRow[];
    return rows.map((row) => fromRequestRow(row, text)).sort((a, b) => (a.dueAt ?? 0) - (b.dueAt ?? 0));
  }

  async nextDueAt(): Promise<number | undefined> {
    const row = this.stmt.nextDue!.get() as { t: number | null };
    return row.t ?? undefined;
  }

  async history(token: string): Promise<HistoryEntry[]> {
    return (this.stmt.history!.all(text.encode(token)) as HistoryRow[]).map((row) => fromHistoryRow(row, text));
  }

  async purgeRequests(terminalBefore: number, batchSize: number): Promise<number> {
    return this.db.transaction((): number => {
      const tokens = this.stmt.expiredTokens!.all(terminalBefore, batchSize) as { token: string }[];
      for (const { token } of tokens) {
        this.stmt.deleteHistory!.run(token);
        this.stmt.deleteRequest!.run(token);
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
      kinds.push({ accountId: text.decode(row.account_id), region: text.decode(row.region), typeName: text.decode(row.type_name) });
      key = [row.account_id, row.region, row.type_name];
    }
    return kinds;
  }

  async releaseAbandonedLeases(): Promise<number> {
    return this.db.prepare('UPDATE requests SET lease_owner = NULL, lease_until = NULL, version = version + 1 WHERE lease_owner IS NOT NULL').run().changes;
  }

  async close(): Promise<void> {
    this.flush();
    if (this.db.open) this.db.close();
  }
}
