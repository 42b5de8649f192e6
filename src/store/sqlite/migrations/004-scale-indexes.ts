/**
 * Migration 4: indexes that keep every call flat with millions of rows stored (issue #17).
 *
 * requests_filter: ListResourceRequests with a ResourceRequestStatusFilter reads, per (operation, status) pair
 * the filter names, the newest `limit` entries of this index and merges them (sqlite-store.ts, listRequests):
 * at most pairs × limit index entries and `limit` rows, whatever the history holds. Without it a filter matching
 * few requests walked the whole scope (74 ms at 100k requests). Cost: one more index entry per request, moved
 * on each status change (measured in bench/scale.mjs and the core bench; see the report of #17).
 *
 * settings: the page-token key (Store.pagingKey).
 * requests_leased: the few requests holding a lease, for the start-up release of abandoned leases, which
 * otherwise read every request ever stored before the server could answer.
 */
export const sql = `
CREATE INDEX requests_filter ON requests (account_id, region, operation, status, seq);
CREATE INDEX requests_leased ON requests (lease_owner) WHERE lease_owner IS NOT NULL;
-- Secrets every node on this database shares, created on first use: the key that signs page tokens (NextToken),
-- so a token from one node is honoured by the others and after a restart, and clients cannot forge one.
CREATE TABLE settings (
  name  TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
`;
