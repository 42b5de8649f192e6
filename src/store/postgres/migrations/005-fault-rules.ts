/**
 * Migration 5: the fault rules set through PUT /_ccapi/faults, kept for every node (issue #16). One row;
 * `version` moves on at each save, and each node polls it (src/engine/fault-rules.ts).
 */
export const sql = `
CREATE TABLE ccapi.fault_rules (
  id      smallint PRIMARY KEY CHECK (id = 1),
  config  text NOT NULL,
  version bigint NOT NULL
);
`;
