/**
 * How a request is shown to clients: the ProgressEvent (and HooksProgressEvent) wire shapes, with timestamps
 * as epoch seconds. Stores keep the rendered event beside the record so a status poll does no rendering.
 */
import { epochSeconds } from '../lib/clock.js';
import type { RequestRecord } from './records.js';
import type { HandlerErrorCode, OperationStatus, OperationType } from './vocabulary.js';

/** One hook's progress on the wire (GetResourceRequestStatus.HooksProgressEvent[]). */
export interface HookProgressEvent {
  HookTypeName: string;
  HookTypeVersionId?: string;
  HookTypeArn?: string;
  InvocationPoint: 'PRE_PROVISION';
  HookStatus: 'HOOK_PENDING' | 'HOOK_IN_PROGRESS' | 'HOOK_COMPLETE_SUCCEEDED' | 'HOOK_COMPLETE_FAILED' | 'HOOK_FAILED';
  HookEventTime: number;
  HookStatusMessage?: string;
  FailureMode: 'FAIL' | 'WARN';
}

/** The wire shape (timestamps in epoch seconds). */
export interface ProgressEvent {
  TypeName: string;
  Identifier?: string;
  RequestToken: string;
  HooksRequestToken?: string;
  Operation: OperationType;
  OperationStatus: OperationStatus;
  EventTime: number;
  ResourceModel?: string;
  StatusMessage?: string;
  ErrorCode?: HandlerErrorCode;
  RetryAfter?: number;
}

export function toProgressEvent(r: RequestRecord): ProgressEvent {
  const event: ProgressEvent = {
    TypeName: r.typeName,
    RequestToken: r.token,
    Operation: r.operation,
    OperationStatus: r.status,
    EventTime: epochSeconds(r.eventTime),
  };
  if (r.identifier !== undefined) event.Identifier = r.identifier;
  if (r.hooksRequestToken !== undefined) event.HooksRequestToken = r.hooksRequestToken;
  if (r.resourceModel !== undefined) event.ResourceModel = r.resourceModel;
  if (r.statusMessage !== undefined) event.StatusMessage = r.statusMessage;
  if (r.errorCode !== undefined) event.ErrorCode = r.errorCode;
  if (r.retryAfter !== undefined && r.status === 'IN_PROGRESS') event.RetryAfter = epochSeconds(r.retryAfter);
  return event;
}

/** The ProgressEvent as JSON; stores keep it with the request so a status poll does no rendering. */
export function renderProgressEvent(r: RequestRecord): string {
  return JSON.stringify(toProgressEvent(r));
}
