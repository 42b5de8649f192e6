/**
 * `ccapi requests ls` and `ccapi requests watch TOKEN`: the resource operation requests of a running server,
 * as a list and as one request's live timeline.
 */
// The SDK and ora load when a command runs (dynamic imports below), never at `ccapi serve`'s start-up.
import type { CloudControlClient, ProgressEvent } from '@aws-sdk/client-cloudcontrol';
import { Option, type Command } from 'commander';
import type { Ora } from 'ora';
import { OPERATION_STATUS_ENUM, OPERATIONS_ENUM } from '../domain/vocabulary.js';
import type { TimelineEvent } from '../domain/timeline.js';
import { CliError } from './catalogue.js';
import { AdminRouteError, addAdminTokenOption, addConnectionOptions, adminCall, cloudControlClient, describeSdkError, type ConnectionOptions } from './client/connection.js';
import { isoTime, renderJson, renderTable } from './client/output.js';
import { writeOut } from './stdout.js';

interface ListOptions extends ConnectionOptions {
  status?: string[];
  operation?: string[];
  type?: string;
  maxItems?: number;
  pageSize?: number;
}

function positive(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`expected a positive whole number, got ${value}`);
  return n;
}

/** A ProgressEvent for JSON output: times as ISO strings (the SDK gives Dates). */
function plainEvent(e: ProgressEvent): Record<string, unknown> {
  return { ...e, EventTime: isoTime(e.EventTime), ...(e.RetryAfter ? { RetryAfter: isoTime(e.RetryAfter) } : {}) };
}

async function sdkCall<T>(options: ConnectionOptions, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw new CliError(describeSdkError(error, options.endpointUrl));
  }
}

/**
 * Every page of ListResourceRequests, newest first as the service returns them. The API filters by operation
 * and status only (ResourceRequestStatusFilter has Operations and OperationStatuses:
 * https://docs.aws.amazon.com/cloudcontrolapi/latest/APIReference/API_ResourceRequestStatusFilter.html), so
 * --type filters here.
 */
async function listRequests(client: CloudControlClient, options: ListOptions): Promise<ProgressEvent[]> {
  const found: ProgressEvent[] = [];
  const filter = {
    ...(options.operation?.length ? { Operations: options.operation as ('CREATE' | 'UPDATE' | 'DELETE')[] } : {}),
    ...(options.status?.length ? { OperationStatuses: options.status as ProgressEvent['OperationStatus'][] as never } : {}),
  };
  const { ListResourceRequestsCommand } = await import('@aws-sdk/client-cloudcontrol');
  let nextToken: string | undefined;
  do {
    const page = await sdkCall(options, () =>
      client.send(new ListResourceRequestsCommand({ ...(Object.keys(filter).length ? { ResourceRequestStatusFilter: filter } : {}), ...(options.pageSize ? { MaxResults: options.pageSize } : {}), ...(nextToken ? { NextToken: nextToken } : {}) })),
    );
    for (const event of page.ResourceRequestStatusSummaries ?? []) {
      if (options.type !== undefined && event.TypeName !== options.type) continue;
      found.push(event);
      if (options.maxItems !== undefined && found.length >= options.maxItems) return found;
    }
    nextToken = page.NextToken;
  } while (nextToken);
  return found;
}

async function requestsLs(options: ListOptions): Promise<void> {
  const client = await cloudControlClient(options);
  const events = await listRequests(client, options);
  client.destroy();
  if (options.output === 'json') return writeOut(renderJson(events.map(plainEvent)));
  writeOut(
    renderTable(
      ['REQUEST TOKEN', 'OPERATION', 'TYPE', 'IDENTIFIER', 'STATUS', 'EVENT TIME', 'ERROR'],
      events.map((e) => [e.RequestToken, e.Operation, e.TypeName, e.Identifier, e.OperationStatus, isoTime(e.EventTime), e.ErrorCode && `${e.ErrorCode}${e.StatusMessage ? `: ${e.StatusMessage}` : ''}`]),
    ),
  );
}


/** Exit status of `requests watch`: what a script wants to branch on. */
export const WATCH_EXIT = { SUCCESS: 0, FAILED: 1, CANCEL_COMPLETE: 2 } as const;
const TERMINAL = new Set(Object.keys(WATCH_EXIT));

/** Between polls: the request's RetryAfter when it says when to look again, within 100 ms..1 s. */
function pollDelay(event: ProgressEvent): number {
  const until = event.RetryAfter ? event.RetryAfter.getTime() - Date.now() : 250;
  return Math.min(1_000, Math.max(100, until));
}

function timelineLine(e: TimelineEvent, previous: number | undefined): string {
  const at = Date.parse(e.EventTime);
  const delta = previous === undefined ? '' : `+${((at - previous) / 1000).toFixed(3)}s`;
  const error = e.ErrorCode ? `  ${e.ErrorCode}${e.StatusMessage ? `: ${e.StatusMessage}` : ''}` : e.StatusMessage ? `  ${e.StatusMessage}` : '';
  const retry = e.RetryAfter ? `  (next step at ${e.RetryAfter})` : '';
  return `${e.EventTime}  ${delta.padStart(9)}  ${e.OperationStatus.padEnd(18)}  ${e.Detail}${error}${retry}\n`;
}

/**
 * Prints lines without tearing the spinner: on a terminal the spinner sits on stderr's last line, so it is
 * cleared before stdout is written and drawn again after.
 */
function printer(spinner: Ora | undefined) {
  return (text: string) => {
    spinner?.clear();
    writeOut(text);
    spinner?.render();
  };
}

async function requestsWatch(token: string, options: ConnectionOptions): Promise<void> {
  const client = await cloudControlClient(options);
  const { GetResourceRequestStatusCommand } = await import('@aws-sdk/client-cloudcontrol');
  const json = options.output === 'json';
  const { default: ora } = await import('ora');
  // Only on a terminal: piped, the timeline lines themselves show progress.
  const spinner = process.stderr.isTTY && !json ? ora({ text: `waiting for ${token}`, stream: process.stderr }).start() : undefined;
  const print = printer(spinner);
  let timelineOpen = true;
  let printed = 0;
  let lastTime: number | undefined;
  let lastSeen = '';
  try {
    for (;;) {
      const { ProgressEvent: event } = await sdkCall(options, () => client.send(new GetResourceRequestStatusCommand({ RequestToken: token })));
      if (!event) throw new CliError(`GetResourceRequestStatus returned no ProgressEvent for ${token}`);
      if (timelineOpen) {
        try {
          const timeline = await adminCall<{ Events: TimelineEvent[] }>(options, 'GET', `/_ccapi/requests/${encodeURIComponent(token)}/events`);
          for (const e of timeline.Events.slice(printed)) {
            print(json ? JSON.stringify(e) + '\n' : timelineLine(e, lastTime));
            lastTime = Date.parse(e.EventTime);
          }
          printed = timeline.Events.length;
        } catch (error) {
          // A strict-mode server without the admin token: the status alone still tells the story, less finely.
          if (!(error instanceof AdminRouteError) || (error.status !== 401 && error.status !== 403)) throw error;
          timelineOpen = false;
          process.stderr.write(`ccapi: the timeline route needs the admin token (--admin-token or CCAPI_ADMIN_TOKEN); showing status changes only\n`);
        }
      }
      if (!timelineOpen) {
        const seen = `${event.OperationStatus}|${event.StatusMessage ?? ''}|${event.ErrorCode ?? ''}`;
        if (seen !== lastSeen) {
          const e: TimelineEvent = { OperationStatus: event.OperationStatus!, EventTime: isoTime(event.EventTime)!, Detail: 'status', ...(event.ErrorCode ? { ErrorCode: event.ErrorCode } : {}), ...(event.StatusMessage ? { StatusMessage: event.StatusMessage } : {}) };
          print(json ? JSON.stringify(e) + '\n' : timelineLine(e, lastTime));
          lastTime = Date.parse(e.EventTime);
          lastSeen = seen;
        }
      }
      const status = event.OperationStatus!;
      if (TERMINAL.has(status)) {
        spinner?.stop();
        if (json) writeOut(JSON.stringify({ ProgressEvent: plainEvent(event) }) + '\n');
        else writeOut(`${status}: ${event.Operation} ${event.TypeName}${event.Identifier ? ` ${event.Identifier}` : ''}${event.ErrorCode ? ` (${event.ErrorCode}${event.StatusMessage ? `: ${event.StatusMessage}` : ''})` : ''}\n`);
        process.exitCode = WATCH_EXIT[status as keyof typeof WATCH_EXIT];
        return;
      }
      if (spinner) spinner.text = `${event.Operation} ${event.TypeName}${event.Identifier ? ` ${event.Identifier}` : ''}: ${status}`;
      await new Promise((resolve) => setTimeout(resolve, pollDelay(event)));
    }
  } finally {
    spinner?.stop();
    client.destroy();
  }
}

export function registerRequests(program: Command): void {
  const requests = program.command('requests').description('Resource operation requests of a running server');
  addConnectionOptions(
    requests
      .command('ls')
      .description('List requests, newest first (every page of ListResourceRequests)')
      .addOption(new Option('--status <status...>', 'only requests in these statuses').choices(OPERATION_STATUS_ENUM))
      .addOption(new Option('--operation <operation...>', 'only these operations').choices(OPERATIONS_ENUM))
      .addOption(new Option('--type <type>', 'only requests for this resource type, e.g. AWS::Logs::LogGroup'))
      .addOption(new Option('--max-items <n>', 'stop after this many').argParser(positive))
      .addOption(new Option('--page-size <n>', 'MaxResults of each ListResourceRequests call (the server\'s default otherwise)').argParser(positive)),
  ).action((options: ListOptions) => requestsLs(options));
  addAdminTokenOption(
    addConnectionOptions(
      requests
        .command('watch')
        .argument('<token>', 'the RequestToken')
        .description('Follow one request live until it ends; exit status 0 SUCCESS, 1 FAILED, 2 CANCEL_COMPLETE'),
    ),
  ).action((token: string, options: ConnectionOptions) => requestsWatch(token, options));
}
