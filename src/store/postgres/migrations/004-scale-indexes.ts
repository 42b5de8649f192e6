/**
 * Migration 4: indexes that keep every call flat with millions of rows stored (issue #17); the SQLite store
 * has the same two (sqlite/migrations/004-scale-indexes.ts says why).
 *
 * requests_filter: ListResourceRequests with a filter reads the newest `limit` entries per (operation, status)
 * pair (queries.ts, listRequestsFiltered) instead of walking the scope until enough rows match.
 * settings: the page-token key (Store.pagingKey).
 * requests_leased: the requests holding a lease (few at any time). Built inside the migration's transaction
 * (not CONCURRENTLY), so upgrading a large database blocks writes to requests while the index builds.
 */
export const sql = `
CREATE INDEX requests_filter ON ccapi.requests (account_id, region, operation, status, seq);
CREATE INDEX requests_leased ON ccapi.requests (lease_owner) WHERE lease_owner IS NOT NULL;
-- Secrets every node on this database shares, created on first use: the key that signs page tokens (NextToken),
-- so a token from one node is honoured by the others and after a restart, and clients cannot forge one.
CREATE TABLE ccapi.settings (
  name  text PRIMARY KEY,
  value text NOT NULL
);
`;
