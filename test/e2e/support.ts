/**
 * Shared helpers for the end-to-end tests: JS SDK clients pointed at a test server, admin calls
 * (fault rules, request timelines), polling a request to a terminal status, and asserting on errors.
 */
import type { TimelineEvent } from '../../src/domain/timeline.js';
import assert from 'node:assert/strict';
import { CloudControlClient, GetResourceRequestStatusCommand, type ProgressEvent } from '@aws-sdk/client-cloudcontrol';
import { eventually, type ServerProcess } from '../support/server.js';

// The SDK warns once per process that future versions need Node 22; it is noise in test output.
const originalEmitWarning = process.emitWarning.bind(process);
process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
  const text = typeof warning === 'string' ? warning : warning.message;
  const name = typeof rest[0] === 'string' ? rest[0] : (rest[0] as { type?: string } | undefined)?.type;
  if (name === 'NodeVersionSupportWarning' || /require node >=22/.test(text)) return;
  (originalEmitWarning as (...args: unknown[]) => void)(warning, ...rest);
}) as typeof process.emitWarning;

export const DEFAULT_ACCOUNT = '000000000000';

export interface ClientOptions {
  region?: string;
  accessKeyId?: string;
  /** SDK attempts; 1 disables the SDK's own retries (for fault tests that count matches). */
  maxAttempts?: number;
}

export function makeClient(server: ServerProcess, options: ClientOptions = {}): CloudControlClient {
  return new CloudControlClient({
    endpoint: server.url,
    region: options.region ?? 'us-east-1',
    credentials: { accessKeyId: options.accessKeyId ?? 'AKIDEXAMPLE', secretAccessKey: 'secret-for-tests' },
    ...(options.maxAttempts !== undefined ? { maxAttempts: options.maxAttempts } : {}),
  });
}

export const TERMINAL = new Set(['SUCCESS', 'FAILED', 'CANCEL_COMPLETE']);

/** Polls GetResourceRequestStatus until the request is terminal (or `status` when given). */
export async function waitForStatus(client: CloudControlClient, requestToken: string, status?: string, timeoutMs = 30_000): Promise<ProgressEvent> {
  return eventually(async () => {
    const { ProgressEvent: event } = await client.send(new GetResourceRequestStatusCommand({ RequestToken: requestToken }));
    assert.ok(event, 'GetResourceRequestStatus returned no ProgressEvent');
    if (status === undefined ? TERMINAL.has(event.OperationStatus!) : event.OperationStatus === status) return event;
    return undefined;
  }, timeoutMs);
}

/**
 * Waits for a cancelled request's CANCEL_COMPLETE (30 s, a deadline only a hang reaches) and checks by the
 * server's own clock, not a stopwatch, that it came before the delayed step was due: the cancel did not
 * wait for the step. `inFlight` is the request's IN_PROGRESS event, which says when that step is due.
 */
export async function waitForCancelBeforeDue(client: CloudControlClient, inFlight: ProgressEvent): Promise<ProgressEvent> {
  assert.ok(inFlight.RetryAfter instanceof Date, 'the in-flight request says when its delayed step is due');
  const complete = await waitForStatus(client, inFlight.RequestToken!, 'CANCEL_COMPLETE', 30_000);
  assert.ok(
    complete.EventTime!.getTime() < inFlight.RetryAfter.getTime(),
    `CANCEL_COMPLETE at ${complete.EventTime!.toISOString()}, not before the step was due at ${inFlight.RetryAfter.toISOString()}: the cancel waited for it`,
  );
  return complete;
}

/**
 * Counts the GetResourceRequestStatus calls a client sends (a waiter's polls), so a test can say "the waiter
 * succeeded on its first poll" by counting, not by timing it.
 */
export function countStatusPolls(client: CloudControlClient): { readonly count: number; stop(): void } {
  let count = 0;
  const name = `count-status-polls-${Math.random()}`;
  client.middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName === 'GetResourceRequestStatusCommand') count++;
      return next(args);
    },
    { step: 'initialize', name },
  );
  return {
    get count() {
      return count;
    },
    stop: () => void client.middlewareStack.remove(name),
  };
}

export interface ExpectedError {
  name: string;
  status?: number;
  message?: string | RegExp;
}

/** Awaits a call that must fail with the given AWS error; returns the error for further checks. */
export async function expectError(call: Promise<unknown>, expected: ExpectedError): Promise<Error & { $metadata?: { httpStatusCode?: number } }> {
  let result: unknown;
  try {
    result = await call;
  } catch (error) {
    const e = error as Error & { $metadata?: { httpStatusCode?: number } };
    assert.equal(e.name, expected.name, `expected ${expected.name}, got ${e.name}: ${e.message}`);
    if (expected.status !== undefined) assert.equal(e.$metadata?.httpStatusCode, expected.status, `HTTP status of ${e.name}`);
    if (typeof expected.message === 'string') assert.equal(e.message, expected.message);
    else if (expected.message) assert.match(e.message, expected.message);
    return e;
  }
  assert.fail(`expected ${expected.name}, but the call succeeded: ${JSON.stringify(result)}`);
}

export async function putFaults(server: ServerProcess, config: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${server.url}/_ccapi/faults`, { method: 'PUT', body: JSON.stringify(config), headers: { 'content-type': 'application/json' } });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

export async function putFaultsOk(server: ServerProcess, config: unknown): Promise<void> {
  const { status, body } = await putFaults(server, config);
  assert.equal(status, 200, `PUT /_ccapi/faults: ${JSON.stringify(body)}`);
}

export async function getFaults(server: ServerProcess): Promise<{ seed?: number; rules: unknown[]; remaining: (number | null)[] }> {
  const res = await fetch(`${server.url}/_ccapi/faults`);
  assert.equal(res.status, 200);
  return (await res.json()) as { seed?: number; rules: unknown[]; remaining: (number | null)[] };
}

export async function clearFaults(server: ServerProcess): Promise<void> {
  const res = await fetch(`${server.url}/_ccapi/faults`, { method: 'DELETE' });
  assert.equal(res.status, 200);
  await res.arrayBuffer();
}

/** One event of GET /_ccapi/requests/<token>/events. */
export type TimelineEntry = TimelineEvent;

export async function timeline(server: ServerProcess, requestToken: string): Promise<{ status: number; body: { RequestToken?: string; Events?: TimelineEntry[]; error?: string } }> {
  const res = await fetch(`${server.url}/_ccapi/requests/${encodeURIComponent(requestToken)}/events`);
  return { status: res.status, body: (await res.json()) as { RequestToken?: string; Events?: TimelineEntry[] } };
}

/** A name unique to this run, so tests sharing a server never collide. */
let counter = 0;
export function uniqueName(prefix: string): string {
  counter += 1;
  return `${prefix}-${process.pid}-${counter}`;
}

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The message form AWS uses when a synchronous call surfaces a handler failure (semantics §8.4). */
export function handlerFailedMessage(typeName: string, code: string): RegExp {
  const escaped = typeName.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`^${escaped} Handler returned status FAILED: .+ \\(HandlerErrorCode: ${code}, RequestToken: [0-9a-f-]{36}\\)$`);
}

/**
 * What a LogGroup reads back beyond the caller's own properties: the defaults the read handler returns, which the
 * built-in catalogue carries from the service spec's defaultValues (@aws-cdk/aws-service-spec; DeletionProtectionEnabled
 * false is also seen in real reads, radius-project/radius#11569).
 */
export const LOG_GROUP_DEFAULTS = { LogGroupClass: 'STANDARD', DeletionProtectionEnabled: false, BearerTokenAuthenticationEnabled: false } as const;
