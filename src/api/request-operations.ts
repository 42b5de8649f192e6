/** GetResourceRequestStatus, ListResourceRequests and CancelResourceRequest. */
import { toProgressEvent, type ProgressEvent } from '../domain/progress-event.js';
import { validationError } from '../protocol/errors.js';
import { RenderedOutput } from '../protocol/json10.js';
import type { OperationInputs } from '../protocol/operations.js';
import { LIST_PAGE_BYTES } from '../providers/contract.js';
import type { ApiContext } from './context.js';
import type { Caller } from '../domain/caller.js';
import { itemsWithin, utf8Bytes } from './page-budget.js';
import { pageTurn } from './page-turns.js';

const DEFAULT_PAGE = 20;

/** Response bodies by the status view they render: a view stays the same object while its request is unchanged. */
const renderedStatus = new WeakMap<object, RenderedOutput>();

export async function getResourceRequestStatus(ctx: ApiContext, caller: Caller, input: OperationInputs['GetResourceRequestStatus']) {
  // The hot path: clients like rain poll in a busy loop, so the event comes pre-rendered from the store, and
  // the body around it is built once per view.
  const view = await ctx.engine.statusEvent(caller, input.RequestToken);
  let output = renderedStatus.get(view);
  if (!output) {
    const { progressEvent, hooksProgress } = view;
    // HooksProgressEvent only where hooks applied (semantics reference §10: absent without hooks).
    output = new RenderedOutput(hooksProgress === undefined ? `{"ProgressEvent":${progressEvent}}` : `{"ProgressEvent":${progressEvent},"HooksProgressEvent":${hooksProgress}}`);
    renderedStatus.set(view, output);
  }
  return output;
}

export async function cancelResourceRequest(ctx: ApiContext, caller: Caller, input: OperationInputs['CancelResourceRequest']) {
  return { ProgressEvent: toProgressEvent(await ctx.engine.cancel(caller, input.RequestToken)) };
}

/** Page tokens are base64 of the last entry's position, so new requests never shift a page. */
function encodeToken(seq: number): string {
  return Buffer.from(`seq:${seq}`).toString('base64');
}

function decodeToken(token: string): number {
  const match = /^seq:(\d+)$/.exec(Buffer.from(token, 'base64').toString('utf8'));
  if (!match) throw validationError('Invalid NextToken');
  return Number(match[1]);
}

export async function listResourceRequests(ctx: ApiContext, caller: Caller, input: OperationInputs['ListResourceRequests']) {
  const limit = input.MaxResults ?? DEFAULT_PAGE;
  const before = input.NextToken === undefined ? undefined : decodeToken(input.NextToken);
  const filter = input.ResourceRequestStatusFilter ?? {};
  await pageTurn();
  const records = await ctx.engine.list(
    caller,
    { ...(filter.Operations?.length ? { operations: filter.Operations } : {}), ...(filter.OperationStatuses?.length ? { statuses: filter.OperationStatuses } : {}) },
    before,
    limit + 1,
  );
  // Summaries carry no ResourceModel (API reference examples).
  const summaries = records.slice(0, limit).map((r) => {
    const event = toProgressEvent(r);
    delete event.ResourceModel;
    return event;
  });
  // A summary's Identifier and StatusMessage are the tenant's to make long: the page keeps to the same byte
  // budget as ListResources and ends early, with a NextToken, before the summary that would pass it.
  const fit = itemsWithin(
    summaries.map((event) => utf8Bytes(JSON.stringify(event))),
    ctx.listPageBytes ?? LIST_PAGE_BYTES,
  );
  const page = summaries.slice(0, fit);
  const output: { ResourceRequestStatusSummaries: ProgressEvent[]; NextToken?: string } = { ResourceRequestStatusSummaries: page };
  if (records.length > page.length) output.NextToken = encodeToken(records[page.length - 1]!.seq!);
  return output;
}
