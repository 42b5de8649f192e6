/**
 * What the HTTP front tells the observer about each API call it answered: the operation (bounded to the
 * operations that exist; anything else a client sends is "Unknown", since metrics labels must stay
 * bounded), the type, identifier and request token the call named, the outcome and the time taken.
 */
import { performance } from 'node:perf_hooks';
import type { ApiCallEvent, Observer } from '../engine/observer.js';
import { isOperationName } from '../protocol/operations.js';
import type { QueryService } from './query-front.js';

const UNKNOWN = 'Unknown';

interface NamedInput {
  TypeName?: unknown;
  Identifier?: unknown;
  RequestToken?: unknown;
}

interface MutationOutput {
  ProgressEvent?: { RequestToken?: unknown; Identifier?: unknown };
}

const text = (value: unknown) => (typeof value === 'string' ? value : undefined);

/** A Cloud Control (JSON 1.0) call: `input` when it parsed, `output` when it succeeded. */
export function observeJsonCall(
  observer: Observer | undefined,
  startedAt: number,
  operation: string | undefined,
  input: object | undefined,
  output: object | undefined,
  httpStatus: number,
  errorCode: string | undefined,
): void {
  if (!observer?.active) return;
  const named = input as NamedInput | undefined;
  const progress = (output as MutationOutput | undefined)?.ProgressEvent;
  const typeName = text(named?.TypeName);
  const identifier = text(named?.Identifier) ?? text(progress?.Identifier);
  const requestToken = text(named?.RequestToken) ?? text(progress?.RequestToken);
  const event: ApiCallEvent = {
    kind: 'call',
    operation: operation !== undefined && isOperationName(operation) ? operation : UNKNOWN,
    httpStatus,
    ms: performance.now() - startedAt,
  };
  // Assigned, not spread: this runs on every call, status polls included.
  if (typeName !== undefined) event.typeName = typeName;
  if (identifier !== undefined) event.identifier = identifier;
  if (requestToken !== undefined) event.requestToken = requestToken;
  if (errorCode !== undefined) event.errorCode = errorCode;
  observer.emit(event);
}

/** A query-protocol call (STS, CloudFormation's type calls). */
export function observeQueryCall(
  observer: Observer | undefined,
  startedAt: number,
  services: readonly QueryService[],
  reply: { operation?: string; code?: string; status: number },
): void {
  if (!observer?.active) return;
  const known = reply.operation !== undefined && services.some((s) => Object.hasOwn(s.operations, reply.operation!));
  observer.emit({
    kind: 'call',
    operation: known ? reply.operation! : UNKNOWN,
    ...(reply.code !== undefined ? { errorCode: reply.code } : {}),
    httpStatus: reply.status,
    ms: performance.now() - startedAt,
  });
}
