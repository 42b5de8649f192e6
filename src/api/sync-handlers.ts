/**
 * Running the read and list handlers synchronously, behind GetResource, ListResources and the pre-read of
 * UpdateResource: injected READ/LIST faults apply here, contract violations (IN_PROGRESS from read/list)
 * become failures, and a FAILED result becomes the exception AWS would answer with.
 */
import { DEFAULT_STEP_BUDGET_MS } from '../lib/budget.js';
import { silentLogger } from '../lib/logger.js';
import { BufferedResources } from '../engine/emulated-resources.js';
import { defaultMessage } from '../engine/messages.js';
import { invokeHandler } from '../engine/invoke.js';
import { visibleModel } from '../engine/step-outcome.js';
import { LIST_PAGE_BYTES, type HandlerProgressEvent, type HandlerRequest, type ResourceModel } from '../providers/contract.js';
import { identifierModel, modelMatches, primaryIdentifierOf, type ParsedIdentifier } from '../registry/identifiers.js';
import type { ResourceType } from '../registry/types.js';
import type { ApiContext } from './context.js';
import type { Caller } from '../domain/caller.js';
import { handlerFailure } from './handler-errors.js';
import { itemsWithin, utf8Bytes } from './page-budget.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A read or list call: injected READ/LIST faults first, then the one handler invocation; FAILED becomes the exception. */
async function invoke(ctx: ApiContext, caller: Caller, type: ResourceType, action: 'READ' | 'LIST', extra: Partial<HandlerRequest>): Promise<HandlerProgressEvent> {
  const token = ctx.ids.uuid();
  const fault = ctx.faults.handlerFault(action, type.typeName);
  if (fault?.delayMs) await sleep(fault.delayMs);
  if (fault?.errorCode) {
    const message = fault.statusMessage ?? defaultMessage(fault.errorCode, { typeName: type.typeName, operation: action });
    throw handlerFailure(type.typeName, fault.errorCode, message, token);
  }
  const deps = { providers: ctx.providers, clock: ctx.clock, ids: ctx.ids, log: ctx.log ?? silentLogger, budgetMs: ctx.stepBudgetMs ?? DEFAULT_STEP_BUDGET_MS, listPageBytes: ctx.listPageBytes ?? LIST_PAGE_BYTES };
  const resources = new BufferedResources(ctx.store, caller, type.typeName, ctx.clock.now(), ctx.catalogue);
  const { outcome, event } = await invokeHandler(deps, { type, action, scope: caller, token, request: extra, resources });
  if (outcome.status === 'FAILED') throw handlerFailure(type.typeName, outcome.errorCode, outcome.message, token);
  return event!;
}

/** The current model of the resource an identifier names (primary or secondary). */
export async function readResource(ctx: ApiContext, caller: Caller, type: ResourceType, identifier: ParsedIdentifier): Promise<ResourceModel> {
  let seed = identifierModel(identifier);
  if (identifier.primary === undefined) {
    // A secondary identifier: find the resource through the list handler, then read it by its primary one.
    const found = await findBySecondary(ctx, caller, type, identifier);
    if (!found) throw handlerFailure(type.typeName, 'NotFound', `Resource of type '${type.typeName}' with identifier '${JSON.stringify(Object.fromEntries(identifier.values))}' was not found.`, ctx.ids.uuid());
    seed = found;
  }
  // The contract (invoke.ts) guarantees a read's SUCCESS carries a model.
  const event = await invoke(ctx, caller, type, 'READ', { desiredResourceState: seed });
  return event.resourceModel!;
}

async function findBySecondary(ctx: ApiContext, caller: Caller, type: ResourceType, identifier: ParsedIdentifier): Promise<ResourceModel | undefined> {
  let nextToken: string | undefined;
  do {
    const page = await listPage(ctx, caller, type, nextToken, undefined, undefined);
    const match = page.resourceModels?.find((m) => modelMatches(m, identifier));
    if (match) return match;
    nextToken = page.nextToken;
  } while (nextToken);
  return undefined;
}

export function listPage(
  ctx: ApiContext,
  caller: Caller,
  type: ResourceType,
  nextToken: string | undefined,
  maxResults: number | undefined,
  filter: ResourceModel | undefined,
): Promise<HandlerProgressEvent> {
  const extra: Partial<HandlerRequest> = {};
  if (nextToken !== undefined) extra.nextToken = nextToken;
  if (maxResults !== undefined) extra.maxResults = maxResults;
  if (filter !== undefined) extra.desiredResourceState = filter;
  return invoke(ctx, caller, type, 'LIST', extra);
}

export interface ResourceDescription {
  Identifier?: string;
  Properties: string;
}

/**
 * One ListResources page, as descriptions, within the page byte budget (LIST_PAGE_BYTES). The emulated list
 * handler keeps to it itself, reading no row past it. Another handler's page that passes it is not cut here:
 * only the handler can say where its next page starts (its tokens are opaque, and re-reading a page to skip
 * what was sent repeats or skips items when the data changes in between). So the handler is asked again for
 * the same page with maxResults set to the number of items that fit, and its own nextToken then follows them.
 * A handler that answers with more models than maxResults asked for cannot be kept in the budget: that call
 * fails as a contract violation instead of sending an unbounded page.
 */
export async function describedListPage(
  ctx: ApiContext,
  caller: Caller,
  type: ResourceType,
  nextToken: string | undefined,
  maxResults: number | undefined,
  filter: ResourceModel | undefined,
): Promise<{ descriptions: ResourceDescription[]; nextToken?: string }> {
  const budget = ctx.listPageBytes ?? LIST_PAGE_BYTES;
  let asked = maxResults;
  for (;;) {
    const page = await listPage(ctx, caller, type, nextToken, asked, filter);
    const descriptions = (page.resourceModels ?? []).map((model) => ({
      Identifier: primaryIdentifierOf(type, model),
      Properties: JSON.stringify(visibleModel(type, model)),
    }));
    const fit = itemsWithin(
      descriptions.map((d) => utf8Bytes(d.Identifier, d.Properties)),
      budget,
    );
    if (fit === descriptions.length) return page.nextToken ? { descriptions, nextToken: page.nextToken } : { descriptions };
    if (asked !== undefined && descriptions.length > asked) {
      const problem = `the list handler returned ${descriptions.length} models when asked for at most ${asked} (maxResults); ccapi asks for fewer to keep a ListResources page within ${budget} bytes`;
      const token = ctx.ids.uuid();
      ctx.log?.error({ typeName: type.typeName, handler: 'LIST', requestToken: token }, `Handler contract violation: ${problem}`);
      throw handlerFailure(type.typeName, 'InternalFailure', `Handler contract violation: ${problem}`, token);
    }
    // fit < descriptions.length <= asked: every round asks for fewer, down to one item, which always fits.
    asked = fit;
  }
}
