/**
 * Migration 6: the resource index (issues #15, #17). One row per indexed value of a resource: found by
 * (scope, type, path, value) in identifier order, and removed by (scope, type, identifier) when the resource
 * is updated or deleted. Resources stored before this migration have no rows until they are next written
 * (no backfill: see the report of the branch issue-refindex and docs; the index only serves references, which
 * are checked from this version on).
 */
export const sql = `
CREATE TABLE resource_index (
  account_id  TEXT NOT NULL,
  region      TEXT NOT NULL,
  type_name   TEXT NOT NULL,
  path        TEXT NOT NULL,
  value       TEXT NOT NULL,
  identifier  TEXT NOT NULL,
  PRIMARY KEY (account_id, region, type_name, path, value, identifier)
) WITHOUT ROWID;
CREATE INDEX resource_index_by_resource ON resource_index (account_id, region, type_name, identifier);
`;
