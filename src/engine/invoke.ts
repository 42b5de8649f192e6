/**
 * THE handler call. Every handler ccapi runs (a request's step in the worker, the worker's read of the current
 * model, and the read/list behind GetResource, ListResources and UpdateResource's pre-read) goes through
 * invokeHandler: it builds the handler request, runs the handler within its step budget, turns what it threw
 * into a FAILED outcome, and checks what it returned against the handler contract (step-outcome.ts), so a
 * contract violation is judged and logged the same way wherever the handler was called from.
 */
import type { Clock } from '../lib/clock.js';
import type { IdSource } from '../lib/ids.js';
import type { Logger } from '../lib/logger.js';
import { StepBudgetExceeded, withinBudget } from '../lib/budget.js';
import type { Scope } from '../domain/records.js';
import { schemaHandlerKey, type HandlerAction } from '../domain/vocabulary.js';
import { handlerRequest, type HandlerProgressEvent, type HandlerRequest, type ProviderResolver } from '../providers/contract.js';
import type { ResourceType } from '../registry/types.js';
import type { ReferencePolicy } from '../providers/references/policy.js';
import { StoreUnavailableError } from '../store/store.js';
import type { BufferedResources } from './emulated-resources.js';
import type { StepOutcome } from './machine.js';
import { isContractViolation, toStepOutcome } from './step-outcome.js';

/** What every handler call needs from its surroundings. */
export interface InvokeDeps {
  providers: ProviderResolver;
  clock: Clock;
  ids: IdSource;
  log: Logger;
  /** How long the handler may take (see lib/budget.ts). */
  budgetMs: number;
  /** LIST: the byte budget of a page (LIST_PAGE_BYTES unless set). */
  listPageBytes?: number;
  /** CREATE/UPDATE steps: how references to other resources are checked (--references). */
  references?: ReferencePolicy;
}

/** One handler call: which handler, for whom, with what. */
export interface HandlerCall {
  type: ResourceType;
  action: HandlerAction;
  scope: Scope;
  /** The handler request's clientRequestToken: the request's token, or a fresh one for a read or list call. */
  token: string;
  /** The members beyond the common ones: desired and previous state, callbackContext, nextToken, maxResults. */
  request?: Partial<HandlerRequest>;
  /** The emulated service the handler reads and writes; the caller commits (or drops) the writes. */
  resources: BufferedResources;
  /** Named in log lines: the step number of a request's step. */
  step?: number;
}

export interface Invoked {
  /** The contract's verdict on the call: SUCCESS, IN_PROGRESS or FAILED, with InternalFailure for a broken contract. */
  outcome: StepOutcome;
  /** What the handler returned, when it returned at all (read and list callers need its models). */
  event?: HandlerProgressEvent;
  /** Lines the handler added to the request's timeline (HandlerContext.note). */
  notes?: string[];
}

/** What a contract-breaking handler returned, short enough for a log line. */
function describeReturned(event: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(event) ?? String(event);
  } catch {
    text = String(event);
  }
  return text.length > 2000 ? `${text.slice(0, 2000)}…` : text;
}

/**
 * Runs one handler. Our own database failing under the handler (the emulated provider reads through the store)
 * is not the handler's fault: StoreUnavailableError is thrown on, for the caller to retry. Anything else the
 * handler throws, or its running out of budget, is a FAILED InternalFailure outcome; the message goes to the
 * client, the stack only to the log.
 */
export async function invokeHandler(deps: InvokeDeps, call: HandlerCall): Promise<Invoked> {
  const { type, action, scope, token } = call;
  const provider = deps.providers.providerFor(type);
  const request: HandlerRequest = { ...handlerRequest(action, type.typeName, scope, token), ...call.request };
  const handler = provider[schemaHandlerKey(action)];
  const notes: string[] = [];
  const context = {
    resourceType: type,
    scope,
    resources: call.resources,
    clock: deps.clock,
    ids: deps.ids,
    log: deps.log,
    note: (text: string) => void notes.push(text),
    ...(action === 'LIST' && deps.listPageBytes !== undefined ? { listPageBytes: deps.listPageBytes } : {}),
    ...((action === 'CREATE' || action === 'UPDATE') && deps.references ? { references: deps.references } : {}),
  };
  const logged = { requestToken: token, typeName: type.typeName, action, ...(call.step !== undefined ? { step: call.step } : {}) };
  let event: HandlerProgressEvent;
  try {
    event = await withinBudget(deps.budgetMs, (signal) => handler(request, { ...context, signal }));
  } catch (error) {
    if (error instanceof StoreUnavailableError) throw error;
    if (error instanceof StepBudgetExceeded) {
      deps.log.error(logged, `handler did not return within ${deps.budgetMs} ms; the call fails`);
    } else {
      deps.log.error({ ...logged, err: error }, 'handler threw; the request fails with InternalFailure');
    }
    return { outcome: { status: 'FAILED', errorCode: 'InternalFailure', message: error instanceof Error ? error.message : String(error) } };
  }
  const outcome = toStepOutcome(type, action, event, provider.untrusted);
  if (isContractViolation(outcome)) deps.log.error({ ...logged, returned: describeReturned(event) }, outcome.message!);
  return { outcome, event, ...(notes.length > 0 ? { notes } : {}) };
}
