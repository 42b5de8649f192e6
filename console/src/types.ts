/** What the console's JSON routes answer (src/server/console.ts). */
import type { TimelineEvent } from '../../src/domain/timeline.js';

export interface RequestSummary {
  RequestToken: string;
  AccountId: string;
  Region: string;
  TypeName: string;
  Operation: string;
  OperationStatus: string;
  Identifier?: string;
  ErrorCode?: string;
  StatusMessage?: string;
  CreatedAt: string;
  EventTime: string;
}

export interface RequestPage {
  Requests: RequestSummary[];
  NextBefore?: number;
}

/** One event of a request's timeline, as the server renders it (one rendering: src/domain/timeline.ts). */
export type { TimelineEvent };

export interface RequestDetails extends RequestSummary {
  StepCount: number;
  RetryAfter?: string;
  TerminalAt?: string;
  DesiredState?: unknown;
  PreviousState?: unknown;
  PatchDocument?: unknown;
  ResourceModel?: unknown;
  HooksRequestToken?: string;
  HooksProgress?: { InvocationPoint?: string; HookTypeName?: string; HookStatus?: string; HookStatusMessage?: string; FailureMode?: string }[];
  InjectedFault?: { DelayedUntil?: string; ErrorCode?: string; StatusMessage?: string };
}

export interface StoredModel {
  Identifier: string;
  Model: unknown;
  CreatedAt?: string;
  UpdatedAt: string;
}

export interface RequestView {
  Request: RequestDetails;
  Events: TimelineEvent[];
  Resource?: StoredModel;
}

export interface ResourceKind {
  accountId: string;
  region: string;
  typeName: string;
}

export const STATUSES = ['PENDING', 'IN_PROGRESS', 'SUCCESS', 'FAILED', 'CANCEL_IN_PROGRESS', 'CANCEL_COMPLETE'] as const;
export const OPERATIONS = ['CREATE', 'UPDATE', 'DELETE'] as const;
export const TERMINAL = new Set(['SUCCESS', 'FAILED', 'CANCEL_COMPLETE']);
