/**
 * A request's timeline as people and tools read it (GET /_ccapi/requests/<token>/events, the web console,
 * `ccapi requests watch`): each stored history entry with its times in ISO 8601. One rendering, so every view
 * of the timeline says the same thing.
 */
import type { HistoryEntry } from './records.js';

export interface TimelineEvent {
  OperationStatus: string;
  EventTime: string;
  Detail: string;
  ErrorCode?: string;
  StatusMessage?: string;
  RetryAfter?: string;
}

export function timelineEvent(e: HistoryEntry): TimelineEvent {
  const event: TimelineEvent = { OperationStatus: e.status, EventTime: new Date(e.eventTime).toISOString(), Detail: e.detail };
  if (e.errorCode) event.ErrorCode = e.errorCode;
  if (e.statusMessage) event.StatusMessage = e.statusMessage;
  if (e.retryAfter) event.RetryAfter = new Date(e.retryAfter).toISOString();
  return event;
}
