/**
 * The record of one checker run: every call with its answer and times, and what the server showed
 * afterwards (statuses, timelines, the request list, the final models). The driver writes it; the
 * checker and the report only read it.
 */

export type MutatingOperation = 'CreateResource' | 'UpdateResource' | 'DeleteResource';
export type Operation = MutatingOperation | 'CancelResourceRequest';

export const TERMINAL = new Set(['SUCCESS', 'FAILED', 'CANCEL_COMPLETE']);

export interface ProgressEventView {
  RequestToken: string;
  Operation?: string;
  OperationStatus: string;
  Identifier?: string;
  ErrorCode?: string;
  StatusMessage?: string;
}

export interface CallRecord {
  id: number;
  round: number;
  node: number;
  operation: Operation;
  /** The JSON body sent (ClientToken included when there is one). */
  input: Record<string, string>;
  /** The LogGroupName a mutation names. */
  resource?: string;
  /** A replay: the id of the call whose ClientToken it sends again. */
  replayOf?: number;
  /** Date.now() when sent and when the whole answer was read: the same clock the server stamps events with. */
  sentAt: number;
  answeredAt: number;
  /** HTTP status; 0 when the call got no answer (network error, timeout). */
  status: number;
  body: Record<string, unknown>;
  networkError?: string;
}

export interface StatusRead {
  token: string;
  node: number;
  sentAt: number;
  answeredAt: number;
  /** Undefined when the answer was not a ProgressEvent (e.g. RequestTokenNotFoundException). */
  event?: ProgressEventView;
  errorCode?: string;
}

export interface TimelineEntry {
  OperationStatus: string;
  /** Epoch ms. */
  eventTime: number;
  Detail: string;
  ErrorCode?: string;
}

export interface RunHistory {
  runId: string;
  nodes: number;
  /** Every LogGroupName the run may touch. */
  resources: string[];
  calls: CallRecord[];
  /** Polls until terminal, then one more read per node once everything settled. */
  statusReads: StatusRead[];
  /** GET /_ccapi/requests/<token>/events per acknowledged token; null when the server did not find it. */
  timelines: Record<string, TimelineEntry[] | null>;
  /** ListResourceRequests summaries of the run, newest first, as the server listed them. */
  listed: ProgressEventView[];
  /** GetResource per resource and node: the model, or null for ResourceNotFoundException. */
  finalModels: Record<string, (Record<string, unknown> | null)[]>;
}

export const errorCodeOf = (call: { body: Record<string, unknown> }): string | undefined =>
  typeof call.body.__type === 'string' ? call.body.__type.split('#').pop() : undefined;

/** The ProgressEvent of a successful Create/Update/Delete/Cancel answer. */
export function progressEventOf(call: CallRecord): ProgressEventView | undefined {
  if (call.status !== 200) return undefined;
  return call.body.ProgressEvent as ProgressEventView | undefined;
}

/** What a ClientToken must stand for: the operation and every input member except the token itself. */
export function inputFingerprint(call: CallRecord): string {
  const { ClientToken: _token, ...rest } = call.input;
  return JSON.stringify([call.operation, Object.entries(rest).sort(([a], [b]) => a.localeCompare(b))]);
}
