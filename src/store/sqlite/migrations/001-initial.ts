/** Migration 1: requests, their timelines, and the emulated resources. */
export const sql = `
-- Requests: one row per resource operation request. seq gives ListResourceRequests its stable,
-- newest-first order; token is what clients hold.
CREATE TABLE requests (
  seq             INTEGER PRIMARY KEY AUTOINCREMENT,
  token           TEXT NOT NULL UNIQUE,
  account_id      TEXT NOT NULL,
  region          TEXT NOT NULL,
  client_token    TEXT,
  fingerprint     TEXT NOT NULL,
  type_name       TEXT NOT NULL,
  operation       TEXT NOT NULL,
  status          TEXT NOT NULL,
  identifier      TEXT,
  lock_key        TEXT,
  desired_state   TEXT,
  previous_state  TEXT,
  resource_model  TEXT,
  role_arn        TEXT,
  type_version_id TEXT,
  status_message  TEXT,
  error_code      TEXT,
  created_at      INTEGER NOT NULL,
  event_time      INTEGER NOT NULL,
  retry_after     INTEGER,
  due_at          INTEGER,
  callback_context TEXT,
  step_count      INTEGER NOT NULL DEFAULT 0,
  fault           TEXT,
  lease_owner     TEXT,
  lease_until     INTEGER,
  version         INTEGER NOT NULL,
  terminal_at     INTEGER,
  -- The ProgressEvent as clients see it, rendered once per change: status polls (rain polls in a busy
  -- loop) read this one column instead of rebuilding the event each time.
  progress_event  TEXT NOT NULL
);

-- A client token names one request per (account, region) within its replay window; older rows have
-- their client_token cleared when the token is reused, so the index stays unique.
CREATE UNIQUE INDEX requests_client_token ON requests (account_id, region, client_token) WHERE client_token IS NOT NULL;

-- One active operation per resource: lock_key is set while the request is active and cleared when terminal.
CREATE UNIQUE INDEX requests_resource_lock ON requests (account_id, region, type_name, lock_key) WHERE lock_key IS NOT NULL;

-- The worker's queue: requests with work left, by due time.
CREATE INDEX requests_due ON requests (due_at) WHERE due_at IS NOT NULL;

-- ListResourceRequests: per scope, newest first.
CREATE INDEX requests_scope_seq ON requests (account_id, region, seq);

-- Retention purge.
CREATE INDEX requests_terminal ON requests (terminal_at) WHERE terminal_at IS NOT NULL;

-- Each request's timeline.
CREATE TABLE request_events (
  token          TEXT NOT NULL,
  n              INTEGER NOT NULL,
  status         TEXT NOT NULL,
  event_time     INTEGER NOT NULL,
  detail         TEXT NOT NULL,
  error_code     TEXT,
  status_message TEXT,
  retry_after    INTEGER,
  PRIMARY KEY (token, n)
) WITHOUT ROWID;

-- The emulated resources themselves.
CREATE TABLE resources (
  account_id  TEXT NOT NULL,
  region      TEXT NOT NULL,
  type_name   TEXT NOT NULL,
  identifier  TEXT NOT NULL,
  properties  TEXT NOT NULL,
  created_at  INTEGER NOT NULL,
  updated_at  INTEGER NOT NULL,
  PRIMARY KEY (account_id, region, type_name, identifier)
) WITHOUT ROWID;
`;
