/**
 * Migration 6: the resource index (issues #15, #17). One row per indexed value of a resource: found by
 * (scope, type, path, value) in identifier order, and removed by (scope, type, identifier) when the resource
 * is updated or deleted. Resources stored before this migration are indexed at start, in batches
 * (engine/index-backfill.ts, Store.backfillResourceIndex), from the cursor row added here when there are any.
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
CREATE TABLE resource_index_backfill (
  id          INTEGER PRIMARY KEY CHECK (id = 1),
  account_id  TEXT NOT NULL,
  region      TEXT NOT NULL,
  type_name   TEXT NOT NULL,
  identifier  TEXT NOT NULL
);
INSERT INTO resource_index_backfill (id, account_id, region, type_name, identifier)
  SELECT 1, '', '', '', '' WHERE EXISTS (SELECT 1 FROM resources);
`;
