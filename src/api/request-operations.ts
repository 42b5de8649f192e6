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
import { openPageToken, sealPageToken, type PageQuery } from './page-tokens.js';

/** A sealed position is always one this server wrote; the check only guards against a key shared with a different format. */
function seqOf(position: string): number {
  if (!/^\d+$/.test(position)) throw validationError('Invalid NextToken');
  return Number(position);
}

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

/** What a ListResourceRequests token is bound to: the filter, as the set of values each list names. */
function requestsQuery(operations: readonly string[] | undefined, statuses: readonly string[] | undefined): PageQuery {
  const set = (values: readonly string[] | undefined) => [...new Set(values ?? [])].sort().join(',');
  return { operation: 'ListResourceRequests', terms: [set(operations), set(statuses)] };
}

export async function listResourceRequests(ctx: ApiContext, caller: Caller, input: OperationInputs['ListResourceRequests']) {
  const limit = input.MaxResults ?? DEFAULT_PAGE;
  const filter = input.ResourceRequestStatusFilter ?? {};
  const query = requestsQuery(filter.Operations, filter.OperationStatuses);
  // The position is the seq of the last request the previous page held: a keyset, so requests created or purged
  // in between neither shift nor repeat the pages that follow.
  const before = input.NextToken === undefined ? undefined : seqOf(await openPageToken(ctx.store, caller, query, input.NextToken));
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
  if (records.length > page.length) output.NextToken = await sealPageToken(ctx.store, caller, query, String(records[page.length - 1]!.seq!));
  return output;
}
