/**
 * Mapping between records and rows (snake_case columns, NULL for absent), for both stores. Text from
 * callers and handlers goes through the store's TextCodec (stored-text.ts); JSON columns (models, the
 * rendered events, callback context, fault) are JSON.stringify text, which never needs it.
 */
import { type FaultPlan, type HistoryEntry, type RequestRecord, type RequestStatusView } from '../domain/records.js';
import { renderProgressEvent } from '../domain/progress-event.js';
import type { HandlerErrorCode, OperationStatus, OperationType } from '../domain/vocabulary.js';
import type { RequestCounts, StoredResource } from './store.js';
import { encodeOptional, type TextCodec } from './stored-text.js';

export interface RequestRow {
  seq: number;
  token: string;
  account_id: string;
  region: string;
  client_token: string | null;
  fingerprint: string;
  type_name: string;
  operation: string;
  status: string;
  identifier: string | null;
  lock_key: string | null;
  desired_state: string | null;
  previous_state: string | null;
  patch_document: string | null;
  resource_model: string | null;
  role_arn: string | null;
  type_version_id: string | null;
  status_message: string | null;
  error_code: string | null;
  created_at: number;
  event_time: number;
  retry_after: number | null;
  due_at: number | null;
  callback_context: string | null;
  step_count: number;
  fault: string | null;
  lease_owner: string | null;
  lease_until: number | null;
  version: number;
  terminal_at: number | null;
  progress_event: string;
  hooks_request_token: string | null;
  hooks_progress: string | null;
}

export interface StatusRow {
  account_id: string;
  region: string;
  retry_after: number | null;
  terminal_at: number | null;
  progress_event: string;
  hooks_progress: string | null;
}

export function fromStatusRow(row: StatusRow, text: TextCodec): RequestStatusView {
  const view: RequestStatusView = { accountId: text.decode(row.account_id), region: text.decode(row.region), progressEvent: row.progress_event };
  if (row.retry_after !== null) view.retryAfter = row.retry_after;
  if (row.terminal_at !== null) view.terminalAt = row.terminal_at;
  if (row.hooks_progress !== null) view.hooksProgress = row.hooks_progress;
  return view;
}

/** Column list shared by INSERT and UPDATE, in one place so they cannot drift. */
export const REQUEST_COLUMNS = [
  'token', 'account_id', 'region', 'client_token', 'fingerprint', 'type_name', 'operation', 'status',
  'identifier', 'lock_key', 'desired_state', 'previous_state', 'resource_model', 'role_arn', 'type_version_id',
  'status_message', 'error_code', 'created_at', 'event_time', 'retry_after', 'due_at', 'callback_context',
  'step_count', 'fault', 'lease_owner', 'lease_until', 'version', 'terminal_at', 'progress_event',
  'hooks_request_token', 'hooks_progress', 'patch_document',
] as const;

type Params = Record<(typeof REQUEST_COLUMNS)[number], string | number | null>;

const orNull = <T>(v: T | undefined): T | null => (v === undefined ? null : v);
const orUndefined = <T>(v: T | null): T | undefined => (v === null ? undefined : v);
const decodedOrUndefined = (text: TextCodec, v: string | null): string | undefined => (v === null ? undefined : text.decode(v));

/** The same values as an array in REQUEST_COLUMNS order: positional binding is measurably cheaper on the hot path. */
export function toRequestValues(r: RequestRecord, text: TextCodec): (string | number | null)[] {
  return valuesOf(toRequestParams(r, text));
}

export function valuesOf(params: Params): (string | number | null)[] {
  return REQUEST_COLUMNS.map((c) => params[c]);
}

/** What a status read of the row written with `params` returns (the columns statusByToken selects). */
export function statusViewOf(params: Params, text: TextCodec): RequestStatusView {
  return fromStatusRow({
    account_id: params.account_id as string,
    region: params.region as string,
    retry_after: params.retry_after as number | null,
    terminal_at: params.terminal_at as number | null,
    progress_event: params.progress_event as string,
    hooks_progress: params.hooks_progress as string | null,
  }, text);
}

export function toRequestParams(r: RequestRecord, text: TextCodec): Params {
  return {
    token: text.encode(r.token),
    account_id: text.encode(r.accountId),
    region: text.encode(r.region),
    client_token: encodeOptional(text, r.clientToken),
    fingerprint: text.encode(r.fingerprint),
    type_name: text.encode(r.typeName),
    operation: r.operation,
    status: r.status,
    identifier: encodeOptional(text, r.identifier),
    lock_key: encodeOptional(text, r.lockKey),
    desired_state: orNull(r.desiredState),
    previous_state: orNull(r.previousState),
    patch_document: orNull(r.patchDocument),
    resource_model: orNull(r.resourceModel),
    role_arn: encodeOptional(text, r.roleArn),
    type_version_id: encodeOptional(text, r.typeVersionId),
    status_message: encodeOptional(text, r.statusMessage),
    error_code: orNull(r.errorCode),
    created_at: r.createdAt,
    event_time: r.eventTime,
    retry_after: orNull(r.retryAfter),
    due_at: orNull(r.dueAt),
    callback_context: orNull(r.callbackContext),
    step_count: r.stepCount,
    fault: r.fault ? JSON.stringify(r.fault) : null,
    lease_owner: encodeOptional(text, r.leaseOwner),
    lease_until: orNull(r.leaseUntil),
    version: r.version,
    terminal_at: orNull(r.terminalAt),
    progress_event: renderProgressEvent(r),
    hooks_request_token: encodeOptional(text, r.hooksRequestToken),
    hooks_progress: orNull(r.hooksProgress),
  };
}

export function fromRequestRow(row: RequestRow, text: TextCodec): RequestRecord {
  const r: RequestRecord = {
    token: text.decode(row.token),
    seq: row.seq,
    accountId: text.decode(row.account_id),
    region: text.decode(row.region),
    fingerprint: text.decode(row.fingerprint),
    typeName: text.decode(row.type_name),
    operation: row.operation as OperationType,
    status: row.status as OperationStatus,
    createdAt: row.created_at,
    eventTime: row.event_time,
    stepCount: row.step_count,
    version: row.version,
  };
  // Only set what is present, so records compare equal whether built in memory or read back.
  const optional: Partial<RequestRecord> = {
    clientToken: decodedOrUndefined(text, row.client_token),
    identifier: decodedOrUndefined(text, row.identifier),
    lockKey: decodedOrUndefined(text, row.lock_key),
    desiredState: orUndefined(row.desired_state),
    previousState: orUndefined(row.previous_state),
    patchDocument: orUndefined(row.patch_document),
    resourceModel: orUndefined(row.resource_model),
    roleArn: decodedOrUndefined(text, row.role_arn),
    typeVersionId: decodedOrUndefined(text, row.type_version_id),
    statusMessage: decodedOrUndefined(text, row.status_message),
    errorCode: orUndefined(row.error_code) as HandlerErrorCode | undefined,
    retryAfter: orUndefined(row.retry_after),
    dueAt: orUndefined(row.due_at),
    callbackContext: orUndefined(row.callback_context),
    fault: row.fault === null ? undefined : (JSON.parse(row.fault) as FaultPlan),
    leaseOwner: decodedOrUndefined(text, row.lease_owner),
    leaseUntil: orUndefined(row.lease_until),
    terminalAt: orUndefined(row.terminal_at),
    hooksRequestToken: decodedOrUndefined(text, row.hooks_request_token),
    hooksProgress: orUndefined(row.hooks_progress),
  };
  for (const [key, value] of Object.entries(optional)) {
    if (value !== undefined) (r as unknown as Record<string, unknown>)[key] = value;
  }
  return r;
}

export interface HistoryRow {
  token: string;
  n: number;
  status: string;
  event_time: number;
  detail: string;
  error_code: string | null;
  status_message: string | null;
  retry_after: number | null;
}

export function fromHistoryRow(row: HistoryRow, text: TextCodec): HistoryEntry {
  const e: HistoryEntry = { token: text.decode(row.token), status: row.status as OperationStatus, eventTime: row.event_time, detail: text.decode(row.detail) };
  if (row.error_code !== null) e.errorCode = row.error_code as HandlerErrorCode;
  if (row.status_message !== null) e.statusMessage = text.decode(row.status_message);
  if (row.retry_after !== null) e.retryAfter = row.retry_after;
  return e;
}

export function toHistoryParams(e: HistoryEntry, text: TextCodec) {
  return {
    token: text.encode(e.token),
    status: e.status,
    event_time: e.eventTime,
    detail: text.encode(e.detail),
    error_code: orNull(e.errorCode),
    status_message: encodeOptional(text, e.statusMessage),
    retry_after: orNull(e.retryAfter),
  };
}

export interface ResourceRow {
  type_name: string;
  identifier: string;
  properties: string;
  created_at: number;
  updated_at: number;
}

export const toResource = (row: ResourceRow, text: TextCodec): StoredResource => ({
  typeName: text.decode(row.type_name),
  identifier: text.decode(row.identifier),
  properties: row.properties,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

/** A row of the metrics' count (#16): one status, how many requests are in it, and how many of those are due. */
export interface CountRow {
  status: string;
  n: number;
  due: number | null;
}

export function countsFromRows(rows: CountRow[]): RequestCounts {
  const counts: RequestCounts = { byStatus: {}, due: 0 };
  for (const row of rows) {
    counts.byStatus[row.status as OperationStatus] = Number(row.n);
    counts.due += Number(row.due ?? 0);
  }
  return counts;
}
