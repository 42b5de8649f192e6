/**
 * Every statement the PostgreSQL store runs, one per constant with the reason above it. Named, so each
 * connection parses and plans it once. Time is always a parameter from the node (never now()), so
 * tests can run under a fake clock and the nodes agree on what "due" means up to their clock skew.
 */
import type pg from 'pg';
import { REQUEST_COLUMNS } from '../rows.js';
import { PURGE_LOCK, ADVISORY_LOCK_SPACE } from './migrate.js';
import { MARKER_TYPE_NAME } from '../store.js';

export type Statement = Pick<pg.QueryConfig, 'name' | 'text'>;

const statement = (name: string, text: string): Statement => ({ name: `ccapi_${name}`, text });

const COLUMNS = REQUEST_COLUMNS.join(', ');
const VALUES = REQUEST_COLUMNS.map((_, i) => `$${i + 1}`).join(', ');
const N = REQUEST_COLUMNS.length;
// Every column but token (the key, $1), in REQUEST_COLUMNS order, so toRequestValues() binds as is.
const ASSIGNMENTS = REQUEST_COLUMNS.map((c, i) => (c === 'token' ? undefined : `${c} = $${i + 1}`)).filter(Boolean).join(', ');
if (REQUEST_COLUMNS[0] !== 'token') throw new Error('queries.ts expects token to be the first request column');

/** A timeline entry's parameters from $first on: status, event_time, detail, error_code, status_message, retry_after. */
const historyValues = (first: number) =>
  `$${first}::text, $${first + 1}::bigint, $${first + 2}::text, $${first + 3}::text, $${first + 4}::text, $${first + 5}::bigint`;
const HISTORY_COLUMNS = 'token, status, event_time, detail, error_code, status_message, retry_after';

// ---- requests: accepting

// The common case in one round trip and one commit: the request and its first timeline entry. ON
// CONFLICT DO NOTHING lets the unique indexes (client token, resource lock) decide between nodes racing
// for the same token or resource; no row back means "find out which", a rare path.
export const insertRequest = statement(
  'insert_request',
  `WITH inserted AS (
     INSERT INTO ccapi.requests (${COLUMNS}) VALUES (${VALUES}) ON CONFLICT DO NOTHING RETURNING seq, token
   ), event AS (
     INSERT INTO ccapi.request_events (${HISTORY_COLUMNS}) SELECT token, ${historyValues(N + 1)} FROM inserted
   )
   SELECT seq FROM inserted`,
);

// After a failed insert: is this our own row (an earlier attempt committed, but its answer was lost when
// the connection dropped)? Then the insert happened.
export const seqByToken = statement('seq_by_token', 'SELECT seq FROM ccapi.requests WHERE token = $1');

// After a failed insert, and for ClientToken replays: the request holding the token, however old.
export const byClientToken = statement('by_client_token', 'SELECT * FROM ccapi.requests WHERE account_id = $1 AND region = $2 AND client_token = $3');

// Past its 36-hour window a token starts a new request; the old one keeps its history but lets go of
// the token. created_at guards against a concurrent node having just reused it.
export const forgetClientToken = statement('forget_client_token', 'UPDATE ccapi.requests SET client_token = NULL WHERE seq = $1 AND created_at < $2');

// ConcurrentOperationException needs the holder's token.
export const lockHolder = statement('lock_holder', 'SELECT * FROM ccapi.requests WHERE account_id = $1 AND region = $2 AND type_name = $3 AND lock_key = $4');

// ---- requests: reading

export const byToken = statement('by_token', 'SELECT * FROM ccapi.requests WHERE token = $1');
export const byHooksToken = statement('by_hooks_token', 'SELECT * FROM ccapi.requests WHERE hooks_request_token = $1');

// GetResourceRequestStatus: one read on the token index, of the event rendered at the last change.
export const statusByToken = statement('status_by_token', 'SELECT account_id, region, retry_after, terminal_at, progress_event, hooks_progress FROM ccapi.requests WHERE token = $1');
// The status polls of one event-loop turn, in one statement (status-batch.ts).
export const statusByTokens = statement(
  'status_by_tokens',
  'SELECT token, account_id, region, retry_after, terminal_at, progress_event, hooks_progress FROM ccapi.requests WHERE token = ANY($1::text[])',
);

// ListResourceRequests without a filter: newest first within the scope, on requests_scope_seq. seq < $3 is always
// present (the first page passes the largest bigint) so it stays an index condition.
export const listRequests = statement(
  'list_requests',
  'SELECT * FROM ccapi.requests WHERE account_id = $1 AND region = $2 AND seq < $3 ORDER BY seq DESC LIMIT $4',
);

// ListResourceRequests with a filter, as its (operation, status) pairs ($3, $4: parallel arrays, request-filter.ts):
// each pair's newest $6 entries come from requests_filter (migration 4), index only, and the newest $6 of their
// union are read whole. At most pairs × $6 index entries and $6 rows, however many requests match (issue #17).
export const listRequestsFiltered = statement(
  'list_requests_filtered',
  `SELECT r.* FROM ccapi.requests r
   WHERE r.seq IN (
     SELECT picked.seq FROM unnest($3::text[], $4::text[]) AS pair(operation, status)
     CROSS JOIN LATERAL (
       SELECT seq FROM ccapi.requests
       WHERE account_id = $1 AND region = $2 AND operation = pair.operation AND status = pair.status AND seq < $5
       ORDER BY seq DESC LIMIT $6
     ) AS picked
     ORDER BY picked.seq DESC LIMIT $6)
   ORDER BY r.seq DESC`,
);

export const history = statement(
  'history',
  `SELECT ${HISTORY_COLUMNS} FROM ccapi.request_events WHERE token = $1 ORDER BY id`,
);

// ---- requests: transitions

// A transition without resource writes: compare-and-set on version, in one statement (and one commit).
export const updateRequest = statement('update_request', `UPDATE ccapi.requests SET ${ASSIGNMENTS} WHERE token = $1 AND version = $${N + 1}`);

// The same with its timeline entry: the entry is written only if the compare-and-set matched, so the
// row count answers "applied?".
export const updateRequestWithHistory = statement(
  'update_request_with_history',
  `WITH updated AS (
     UPDATE ccapi.requests SET ${ASSIGNMENTS} WHERE token = $1 AND version = $${N + 1} RETURNING token
   )
   INSERT INTO ccapi.request_events (${HISTORY_COLUMNS}) SELECT token, ${historyValues(N + 2)} FROM updated`,
);

// A transition with the step's resource writes, in ONE statement (so it can join a pipelined group
// commit): the writes run only if the compare-and-set matched (FROM updated / EXISTS), and a write that
// touches no row (create: the resource exists; update, delete: it is gone) raises RESOURCE_WRITE_CONFLICT
// through ccapi.resource_written(), which undoes the whole statement, the transition included. No row
// back: the compare-and-set failed. One statement per shape (which writes, in which order), built once.
// Each write is 8 parameters (account, region, type, identifier, properties, time, and the resource index's
// paths[] and values[]; delete uses the first 4). The resource index (issues #15, #17) is kept in the same
// statement: a create inserts its values, an update removes the values not in its new set and inserts the new
// ones, a delete removes them all; each only when its resource write happened (FROM / EXISTS w<i>).
export const RESOURCE_WRITE_CONFLICT = 'CC409';
const transitionShapes = new Map<string, Statement>();
export function transitionWithWrites(kinds: readonly ('create' | 'update' | 'delete')[], withHistory: boolean): Statement {
  const shape = `${withHistory ? 'h' : 'n'}_${kinds.map((k) => k[0]).join('')}`;
  let known = transitionShapes.get(shape);
  if (known) return known;
  const ctes = [`updated AS (UPDATE ccapi.requests SET ${ASSIGNMENTS} WHERE token = $1 AND version = $${N + 1} RETURNING token)`];
  let next = N + 2;
  if (withHistory) {
    ctes.push(`event AS (INSERT INTO ccapi.request_events (${HISTORY_COLUMNS}) SELECT token, ${historyValues(next)} FROM updated)`);
    next += 6;
  }
  const checks: string[] = [];
  kinds.forEach((kind, i) => {
    const [account, region, type, id, properties, at] = [0, 1, 2, 3, 4, 5].map((k) => `$${next + k}`);
    const key = `account_id = ${account}::text AND region = ${region}::text AND type_name = ${type}::text AND identifier = ${id}::text`;
    if (kind === 'create') {
      ctes.push(
        `w${i} AS (INSERT INTO ccapi.resources (account_id, region, type_name, identifier, properties, created_at, updated_at)
         SELECT ${account}::text, ${region}::text, ${type}::text, ${id}::text, ${properties}::text, ${at}::bigint, ${at}::bigint FROM updated
         ON CONFLICT DO NOTHING RETURNING 1)`,
      );
    } else if (kind === 'update') {
      ctes.push(`w${i} AS (UPDATE ccapi.resources SET properties = ${properties}::text, updated_at = ${at}::bigint WHERE ${key} AND EXISTS (SELECT 1 FROM updated) RETURNING 1)`);
    } else {
      ctes.push(`w${i} AS (DELETE FROM ccapi.resources WHERE ${key} AND EXISTS (SELECT 1 FROM updated) RETURNING 1)`);
    }
    const [paths, values] = [`$${next + 6}::text[]`, `$${next + 7}::text[]`];
    if (kind !== 'create') {
      const stale = kind === 'update' ? ` AND NOT EXISTS (SELECT 1 FROM unnest(${paths}, ${values}) AS u(p, v) WHERE u.p = path AND u.v = value)` : '';
      ctes.push(`x${i} AS (DELETE FROM ccapi.resource_index WHERE ${key} AND EXISTS (SELECT 1 FROM w${i})${stale})`);
    }
    if (kind !== 'delete') {
      ctes.push(
        `i${i} AS (INSERT INTO ccapi.resource_index (account_id, region, type_name, path, value, identifier)
         SELECT ${account}::text, ${region}::text, ${type}::text, u.p, u.v, ${id}::text FROM w${i}, unnest(${paths}, ${values}) AS u(p, v)
         ON CONFLICT DO NOTHING)`,
      );
    }
    checks.push(`ccapi.resource_written((SELECT count(*) FROM w${i}), ${i})`);
    next += kind === 'delete' ? 4 : 8;
  });
  known = statement(`transition_${shape}`, `WITH ${ctes.join(',\n')}\nSELECT ${checks.join(' + ')} AS writes FROM updated`);
  transitionShapes.set(shape, known);
  return known;
}

// ---- the queue

// The claim, as graphile-worker does it: pick due requests whose lease is free or expired, skipping rows
// another node is claiming or updating right now (SKIP LOCKED: claimers never wait on each other and
// never get the same row), and lease them in the same statement. The version bump makes a step still
// running on a node whose lease expired lose its compare-and-set.
export const claimDueRequests = statement(
  'claim_due_requests',
  `UPDATE ccapi.requests SET lease_owner = $1, lease_until = $2, version = version + 1
   WHERE seq IN (
     SELECT seq FROM ccapi.requests
     WHERE due_at IS NOT NULL AND due_at <= $3 AND (lease_until IS NULL OR lease_until < $3)
     ORDER BY due_at
     LIMIT $4
     FOR UPDATE SKIP LOCKED)
   RETURNING *`,
);

// The heartbeat of a running step: push its lease out, without a version bump (a renewal is not a
// transition), and only while the lease is still ours. Rows another transaction holds right now (a cancel
// landing, say) are skipped this round rather than waited for: a heartbeat must never wait on a lock.
// The answer is the tokens another owner holds now (taken over after our lease expired); a lease our own
// step just released is not "lost".
export const renewLeases = statement(
  'renew_leases',
  `WITH renewable AS (
     SELECT token FROM ccapi.requests WHERE token = ANY($2::text[]) AND lease_owner = $1 FOR UPDATE SKIP LOCKED
   ), renewed AS (
     UPDATE ccapi.requests SET lease_until = GREATEST(lease_until, $3) WHERE token IN (SELECT token FROM renewable)
   )
   SELECT token FROM ccapi.requests WHERE token = ANY($2::text[]) AND lease_owner <> $1`,
);

// The worker's timer: a leased request is not due again before its lease ends, whatever due_at says.
export const nextDueAt = statement('next_due_at', 'SELECT MIN(GREATEST(due_at, lease_until)) AS t FROM ccapi.requests WHERE due_at IS NOT NULL');

// The metrics' counts (#16): requests per status, and how many are due with no live lease (the claim's
// condition), in one scan. The metrics cache the answer; no scrape runs it more than once per interval.
export const countRequests = statement(
  'count_requests',
  `SELECT status, COUNT(*) AS n,
          COUNT(*) FILTER (WHERE due_at IS NOT NULL AND due_at <= $1 AND (lease_until IS NULL OR lease_until < $1)) AS due
   FROM ccapi.requests GROUP BY status`,
);

// ---- retention

// One batch of the retention purge, on one node at a time: the advisory lock is tried, not waited for
// (a node that does not get it purges nothing and stops; the holder is on it), and is released at the
// end of this statement's transaction, so no node ever holds it across batches.
export const purgeRequests = statement(
  'purge_requests',
  `WITH purger AS (
     SELECT pg_try_advisory_xact_lock(${ADVISORY_LOCK_SPACE}, ${PURGE_LOCK}) AS holds
   ), expired AS (
     SELECT r.token FROM ccapi.requests r, purger
     WHERE purger.holds AND r.terminal_at IS NOT NULL AND r.terminal_at < $1
     ORDER BY r.terminal_at LIMIT $2
   ), events AS (
     DELETE FROM ccapi.request_events WHERE token IN (SELECT token FROM expired)
   )
   DELETE FROM ccapi.requests WHERE token IN (SELECT token FROM expired)`,
);

// ---- reset and fault rules (issue #16)

// A reset (`ccapi reset`, POST /_ccapi/reset): requests, their timelines and resources of every tenant, or of
// one account and/or region ($1, $2: NULL for any), in one statement. A step still running on a deleted
// request fails its compare-and-set later, and its resource writes go with it (transitionWithWrites).
export const resetState = statement(
  'reset_state',
  `WITH gone AS (
     DELETE FROM ccapi.requests WHERE ($1::text IS NULL OR account_id = $1::text) AND ($2::text IS NULL OR region = $2::text) RETURNING token
   ), events AS (
     DELETE FROM ccapi.request_events WHERE token IN (SELECT token FROM gone)
   ), resources AS (
     DELETE FROM ccapi.resources WHERE ($1::text IS NULL OR account_id = $1::text) AND ($2::text IS NULL OR region = $2::text) RETURNING type_name
   ), indexed AS (
     DELETE FROM ccapi.resource_index WHERE ($1::text IS NULL OR account_id = $1::text) AND ($2::text IS NULL OR region = $2::text)
   )
   SELECT (SELECT count(*) FROM gone)::int AS requests, (SELECT count(*) FROM resources WHERE type_name <> '${MARKER_TYPE_NAME}')::int AS resources`,
);

// The rules every node applies: one row. Each node polls it (cheap: a primary-key read) and reloads when the
// version moved.
export const loadFaultRules = statement('load_fault_rules', 'SELECT config, version::int AS version FROM ccapi.fault_rules WHERE id = 1');

// Saving bumps the version in the same statement, so two nodes saving at once still give two versions.
export const saveFaultRules = statement(
  'save_fault_rules',
  `INSERT INTO ccapi.fault_rules (id, config, version) VALUES (1, $1, 1)
   ON CONFLICT (id) DO UPDATE SET config = EXCLUDED.config, version = ccapi.fault_rules.version + 1
   RETURNING config, version::int AS version`,
);

// ---- emulated resources

const RESOURCE_KEY = 'account_id = $1 AND region = $2 AND type_name = $3';

export const getResource = statement('get_resource', `SELECT type_name, identifier, properties, created_at, updated_at FROM ccapi.resources WHERE ${RESOURCE_KEY} AND identifier = $4`);

// Ordered by identifier; '' sorts before every identifier, so the first page needs no second statement.
export const listResources = statement(
  'list_resources',
  `SELECT type_name, identifier, properties, created_at, updated_at FROM ccapi.resources
   WHERE ${RESOURCE_KEY} AND identifier > $4 ORDER BY identifier LIMIT $5`,
);

// The same page ending before the resource that would take its bytes past $6 (the first always comes). The sizes
// come from octet_length, which reads a TOASTed value's header only; only the rows that fit are read whole.
export const listResourcesWithin = statement(
  'list_resources_within',
  `SELECT r.type_name, r.identifier, r.properties, r.created_at, r.updated_at FROM (
     SELECT id, row_number() OVER (ORDER BY id) AS n, sum(bytes) OVER (ORDER BY id ROWS UNBOUNDED PRECEDING) AS running
     FROM (SELECT identifier AS id, octet_length(identifier) + octet_length(properties) AS bytes FROM ccapi.resources
           WHERE ${RESOURCE_KEY} AND identifier > $4 ORDER BY identifier LIMIT $5) AS limited
   ) AS sized
   JOIN ccapi.resources r ON r.account_id = $1 AND r.region = $2 AND r.type_name = $3 AND r.identifier = sized.id
   WHERE sized.n = 1 OR sized.running <= $6
   ORDER BY r.identifier`,
);

// No row inserted means the resource exists: the transition is rolled back with ResourceWriteConflict.
export const createResource = statement(
  'create_resource',
  `INSERT INTO ccapi.resources (account_id, region, type_name, identifier, properties, created_at, updated_at)
   VALUES ($1, $2, $3, $4, $5, $6, $6) ON CONFLICT DO NOTHING`,
);

// Set-up done once per scope (Store.provisionOnce): the marker row ($3) is inserted first; only when it was (the
// CTE returns a row) are the resources inserted, with their index rows (Store.findResources). A node racing with another for the same marker waits on the
// other's uncommitted marker row and then inserts nothing, so exactly one of them does the set-up.
export const provisionOnce = statement(
  'provision_once',
  `WITH marker AS (
     INSERT INTO ccapi.resources (account_id, region, type_name, identifier, properties, created_at, updated_at)
     VALUES ($1, $2, '${MARKER_TYPE_NAME}', $3, '{}', $4, $4) ON CONFLICT DO NOTHING RETURNING 1
   ), provisioned AS (
     INSERT INTO ccapi.resources (account_id, region, type_name, identifier, properties, created_at, updated_at)
     SELECT $1, $2, r.type_name, r.identifier, r.properties, $4, $4
     FROM unnest($5::text[], $6::text[], $7::text[]) AS r(type_name, identifier, properties)
     WHERE EXISTS (SELECT 1 FROM marker)
     ON CONFLICT DO NOTHING
   ), indexed AS (
     INSERT INTO ccapi.resource_index (account_id, region, type_name, path, value, identifier)
     SELECT $1, $2, v.type_name, v.path, v.value, v.identifier
     FROM unnest($8::text[], $9::text[], $10::text[], $11::text[]) AS v(type_name, identifier, path, value)
     WHERE EXISTS (SELECT 1 FROM marker)
     ON CONFLICT DO NOTHING
   )
   SELECT count(*)::int AS claimed FROM marker`,
);

export const updateResource = statement('update_resource', `UPDATE ccapi.resources SET properties = $5, updated_at = $6 WHERE ${RESOURCE_KEY} AND identifier = $4`);

export const deleteResource = statement('delete_resource', `DELETE FROM ccapi.resources WHERE ${RESOURCE_KEY} AND identifier = $4`);

// ---- settings

// The page-token key: the first node to need it stores its candidate; every node then reads the one stored. The
// statement's own SELECT cannot see a row a concurrent first use committed after it began, so an empty answer
// is followed by a plain read (settingValue).
export const ensureSetting = statement(
  'ensure_setting',
  `WITH inserted AS (INSERT INTO ccapi.settings (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING RETURNING value)
   SELECT value FROM inserted UNION ALL SELECT value FROM ccapi.settings WHERE name = $1`,
);
export const settingValue = statement('setting_value', 'SELECT value FROM ccapi.settings WHERE name = $1');

// ---- resource index (issues #15, #17)

// For a step that writes one resource more than once (PostgresStore.transitionStepByStep): its rows out, then in.
export const unindexResource = statement('unindex_resource', `DELETE FROM ccapi.resource_index WHERE ${RESOURCE_KEY} AND identifier = $4`);
export const indexResource = statement(
  'index_resource',
  `INSERT INTO ccapi.resource_index (account_id, region, type_name, path, value, identifier)
   SELECT $1, $2, $3, u.p, u.v, $4 FROM unnest($5::text[], $6::text[]) AS u(p, v) ON CONFLICT DO NOTHING`,
);

// Backfill of resources stored before migration 006 (Store.backfillResourceIndex): the cursor, locked so two nodes
// take turns; the next batch in key order, each row share-locked so a step's concurrent write waits (or went first).
export const backfillCursor = statement('backfill_cursor', 'SELECT account_id, region, type_name, identifier FROM ccapi.resource_index_backfill WHERE id = 1 FOR UPDATE');
export const backfillBatch = statement(
  'backfill_batch',
  `SELECT account_id, region, type_name, identifier, properties FROM ccapi.resources WHERE (account_id, region, type_name, identifier) > ($1, $2, $3, $4)
   ORDER BY account_id, region, type_name, identifier LIMIT $5 FOR SHARE`,
);
export const backfillMove = statement('backfill_move', 'UPDATE ccapi.resource_index_backfill SET account_id = $1, region = $2, type_name = $3, identifier = $4 WHERE id = 1');
export const backfillDone = statement('backfill_done', 'DELETE FROM ccapi.resource_index_backfill WHERE id = 1');

// One read on the index's primary key, joined to the resources it names, in identifier order.
export const findResources = statement(
  'find_resources',
  `SELECT r.type_name, r.identifier, r.properties, r.created_at, r.updated_at FROM ccapi.resource_index i
   JOIN ccapi.resources r ON r.account_id = i.account_id AND r.region = i.region AND r.type_name = i.type_name AND r.identifier = i.identifier
   WHERE i.account_id = $1 AND i.region = $2 AND i.type_name = $3 AND i.path = $4 AND i.value = $5 AND i.identifier > $7
   ORDER BY i.identifier LIMIT $6`,
);

// ---- notifications

export const WORK_CHANNEL = 'ccapi_work';

// A hint to the other nodes that work is due at some time; committed on its own (it carries no state).
export const notifyWork = statement('notify_work', `SELECT pg_notify('${WORK_CHANNEL}', $1)`);

// ---- web console (issue #16): bounded cross-tenant reads

// The window of a console scan: the newest $2 seqs below $1 (the primary key), or in one scope (requests_scope_seq).
export const scanWindow = statement(
  'scan_window',
  'SELECT min(seq) AS floor, count(*) AS n FROM (SELECT seq FROM ccapi.requests WHERE seq < $1 ORDER BY seq DESC LIMIT $2) AS w',
);
export const scanWindowInScope = statement(
  'scan_window_in_scope',
  'SELECT min(seq) AS floor, count(*) AS n FROM (SELECT seq FROM ccapi.requests WHERE account_id = $3 AND region = $4 AND seq < $1 ORDER BY seq DESC LIMIT $2) AS w',
);
// The matches within a window (seq between $2 and $1): the range bounds the rows read, whatever the filter.
const SCAN_FILTER = `seq < $1 AND seq >= $2
     AND (cardinality($3::text[]) = 0 OR operation = ANY($3::text[]))
     AND (cardinality($4::text[]) = 0 OR status = ANY($4::text[]))
     AND ($5::text IS NULL OR type_name = $5)
     AND ($6::text IS NULL OR identifier = $6)`;
export const scanRequests = statement('scan_requests', `SELECT * FROM ccapi.requests WHERE ${SCAN_FILTER} ORDER BY seq DESC LIMIT $7`);
export const scanRequestsInScope = statement(
  'scan_requests_in_scope',
  `SELECT * FROM ccapi.requests WHERE account_id = $8 AND region = $9 AND ${SCAN_FILTER} ORDER BY seq DESC LIMIT $7`,
);

// The (account, region, type) triples with resources: a loose index scan of the primary key (one seek per
// triple, however many resources each holds), from the triple after ($1, $2, $3).
// Markers (Store.provisionOnce) are rows of the resources table but no resource kind: skipped.
export const resourceKinds = statement(
  'resource_kinds',
  `WITH RECURSIVE kinds AS (
     (SELECT account_id, region, type_name FROM ccapi.resources
      WHERE (account_id, region, type_name) > ($1, $2, $3) ORDER BY account_id, region, type_name LIMIT 1)
     UNION ALL
     SELECT n.account_id, n.region, n.type_name FROM kinds k CROSS JOIN LATERAL (
       SELECT account_id, region, type_name FROM ccapi.resources r
       WHERE (r.account_id, r.region, r.type_name) > (k.account_id, k.region, k.type_name)
       ORDER BY r.account_id, r.region, r.type_name LIMIT 1) AS n
   )
   SELECT account_id, region, type_name FROM kinds WHERE type_name <> '${MARKER_TYPE_NAME}' LIMIT $4`,
);
