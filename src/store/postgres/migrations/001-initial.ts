/** Migration 1: requests, their timelines, and the emulated resources (the SQLite schema, in PostgreSQL terms). */
export const sql = `
-- Requests: one row per resource operation request. seq gives ListResourceRequests its stable,
-- newest-first order; token is what clients hold. Times are epoch milliseconds from the nodes' clocks.
-- fillfactor leaves room on each page so the frequent lease and status updates can stay HOT updates.
CREATE TABLE ccapi.requests (
  seq              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  token            text    NOT NULL UNIQUE,
  account_id       text    NOT NULL,
  region           text    NOT NULL,
  client_token     text,
  fingerprint      text    NOT NULL,
  type_name        text    NOT NULL,
  operation        text    NOT NULL,
  status           text    NOT NULL,
  identifier       text,
  lock_key         text,
  desired_state    text,
  previous_state   text,
  resource_model   text,
  role_arn         text,
  type_version_id  text,
  status_message   text,
  error_code       text,
  created_at       bigint  NOT NULL,
  event_time       bigint  NOT NULL,
  retry_after      bigint,
  due_at           bigint,
  callback_context text,
  step_count       integer NOT NULL DEFAULT 0,
  fault            text,
  lease_owner      text,
  lease_until      bigint,
  version          integer NOT NULL,
  terminal_at      bigint,
  -- The ProgressEvent as clients see it, rendered once per change: status polls read this one column.
  progress_event   text    NOT NULL
) WITH (fillfactor = 80);

-- A client token names one request per (account, region) within its replay window; older rows have
-- their client_token cleared when the token is reused, so the index stays unique. Enforced here, not in
-- a node's memory: two nodes accepting the same token at once cannot both insert.
CREATE UNIQUE INDEX requests_client_token ON ccapi.requests (account_id, region, client_token) WHERE client_token IS NOT NULL;

-- One active operation per resource, across all nodes: lock_key is set while the request is active and
-- cleared when it ends.
CREATE UNIQUE INDEX requests_resource_lock ON ccapi.requests (account_id, region, type_name, lock_key) WHERE lock_key IS NOT NULL;

-- The work queue: requests with work left, by due time (claims walk it with FOR UPDATE SKIP LOCKED).
CREATE INDEX requests_due ON ccapi.requests (due_at) WHERE due_at IS NOT NULL;

-- ListResourceRequests: per scope, newest first.
CREATE INDEX requests_scope_seq ON ccapi.requests (account_id, region, seq);

-- Retention purge.
CREATE INDEX requests_terminal ON ccapi.requests (terminal_at) WHERE terminal_at IS NOT NULL;

-- Each request's timeline, in insertion order.
CREATE TABLE ccapi.request_events (
  id             bigint GENERATED ALWAYS AS IDENTITY,
  token          text   NOT NULL,
  status         text   NOT NULL,
  event_time     bigint NOT NULL,
  detail         text   NOT NULL,
  error_code     text,
  status_message text,
  retry_after    bigint,
  PRIMARY KEY (token, id)
);

-- The emulated resources themselves. Identifiers sort bytewise (COLLATE "C"), as in SQLite and whatever
-- the database's locale, so ListResources pages the same everywhere and the primary key serves the order.
CREATE TABLE ccapi.resources (
  account_id  text   NOT NULL,
  region      text   NOT NULL,
  type_name   text   NOT NULL,
  identifier  text   COLLATE "C" NOT NULL,
  properties  text   NOT NULL,
  created_at  bigint NOT NULL,
  updated_at  bigint NOT NULL,
  PRIMARY KEY (account_id, region, type_name, identifier)
);

-- A step's resource write that touched no row (create: the resource already exists; update or delete:
-- it no longer does) must undo the step's whole transition. Raising here does that within the one
-- statement that carries the transition (see queries.ts, transitionWithWrites); DETAIL says which write.
CREATE FUNCTION ccapi.resource_written(written bigint, write_index integer) RETURNS integer
LANGUAGE plpgsql AS $$
BEGIN
  IF written = 0 THEN
    RAISE EXCEPTION 'resource write % of the step touched no row', write_index
      USING ERRCODE = 'CC409', DETAIL = write_index::text;
  END IF;
  RETURN 1;
END
$$;
`;
