/**
 * Migration 6: the resource index (issues #15, #17). One row per indexed value of a resource: found by
 * (scope, type, path, value) in identifier order, and removed by (scope, type, identifier) when the resource
 * is updated or deleted. Resources stored before this migration have no rows until they are next written
 * (no backfill yet; the index only serves references, which are checked from this version on).
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
`;
