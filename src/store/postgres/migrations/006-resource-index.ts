/**
 * Migration 6: the resource index (issues #15, #17). One row per indexed value of a resource: found by
 * (scope, type, path, value) in identifier order, and removed by (scope, type, identifier) when the resource
 * is updated or deleted. Resources stored before this migration are indexed at start, in batches
 * (engine/index-backfill.ts, Store.backfillResourceIndex), from the cursor row added here when there are any.
 */
export const sql = `
CREATE TABLE ccapi.resource_index (
  account_id  text NOT NULL,
  region      text NOT NULL,
  type_name   text NOT NULL,
  path        text NOT NULL,
  value       text NOT NULL,
  identifier  text NOT NULL,
  PRIMARY KEY (account_id, region, type_name, path, value, identifier)
);
CREATE INDEX resource_index_by_resource ON ccapi.resource_index (account_id, region, type_name, identifier);
CREATE TABLE ccapi.resource_index_backfill (
  id          integer PRIMARY KEY CHECK (id = 1),
  account_id  text NOT NULL,
  region      text NOT NULL,
  type_name   text NOT NULL,
  identifier  text NOT NULL
);
INSERT INTO ccapi.resource_index_backfill (id, account_id, region, type_name, identifier)
  SELECT 1, '', '', '', '' WHERE EXISTS (SELECT 1 FROM ccapi.resources);
`;
