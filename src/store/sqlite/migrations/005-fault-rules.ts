/** Migration 5: the fault rules set through PUT /_ccapi/faults outlive a restart (issue #16). One row. */
export const sql = `
CREATE TABLE fault_rules (
  id      INTEGER PRIMARY KEY CHECK (id = 1),
  config  TEXT NOT NULL,
  version INTEGER NOT NULL
);
`;
