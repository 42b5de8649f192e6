/**
 * Turns a handler's ProgressEvent into a StepOutcome the state machine accepts, enforcing the handler
 * contract: FAILED carries a valid error code, SUCCESS on delete carries no model, SUCCESS on create, read and
 * update carries a model with its primary identifier, IN_PROGRESS is only for create/update/delete. A violation
 * fails the call with InternalFailure instead of storing or showing garbage.
 */
import { HANDLER_ERROR_CODES, type HandlerAction, type HandlerErrorCode } from '../domain/vocabulary.js';
import type { HandlerProgressEvent, ResourceModel } from '../providers/contract.js';
import { primaryIdentifierOf } from '../registry/identifiers.js';
import { withoutWriteOnly } from '../registry/pointers.js';
import type { ResourceType } from '../registry/types.js';
import type { StepOutcome } from './machine.js';

/** Handler-side codes that are not in Cloud Control's enum, mapped as the semantics reference says (§8.2). */
const CODE_ALIASES: Record<string, HandlerErrorCode> = {
  HandlerInternalFailure: 'InternalFailure',
  InvalidTypeConfiguration: 'InvalidRequest',
  NonCompliant: 'InternalFailure',
  UnsupportedTarget: 'InternalFailure',
  Unknown: 'InternalFailure',
};

export function normalizeErrorCode(code: unknown): HandlerErrorCode | undefined {
  if (typeof code !== 'string') return undefined;
  if ((HANDLER_ERROR_CODES as readonly string[]).includes(code)) return code as HandlerErrorCode;
  // Own members only: "toString" must not come back as Object.prototype's function.
  return Object.hasOwn(CODE_ALIASES, code) ? CODE_ALIASES[code] : undefined;
}

/** The model as clients may see it: writeOnly properties never leave the server (nor objects they alone filled). */
export function visibleModel(type: ResourceType, model: ResourceModel): ResourceModel {
  const writeOnly = type.schema.writeOnlyProperties ?? [];
  return writeOnly.length ? withoutWriteOnly(model, writeOnly) : model;
}

/** A FAILED outcome standing for a handler that broke the contract; the worker logs these. */
export type ContractViolation = StepOutcome & { status: 'FAILED'; contractViolation: true };

const violation = (message: string): ContractViolation => ({ status: 'FAILED', errorCode: 'InternalFailure', message: `Handler contract violation: ${message}`, contractViolation: true });

export function isContractViolation(outcome: StepOutcome): outcome is ContractViolation {
  return (outcome as Partial<ContractViolation>).contractViolation === true;
}

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * What an untrusted handler returned, checked beyond the status rules: a model that is a JSON object and fits
 * the schema (required properties aside: writeOnly ones are legitimately absent), a serializable callbackContext
 * and a sane delay. Undefined when it is fine.
 */
export function untrustedEventProblem(type: ResourceType, event: unknown): string | undefined {
  if (!isPlainObject(event)) return `the handler returned ${event === null ? 'null' : Array.isArray(event) ? 'an array' : typeof event} instead of a ProgressEvent object`;
  const { resourceModel, resourceModels, callbackContext, callbackDelaySeconds } = event as Partial<HandlerProgressEvent>;
  const models = [...(resourceModel === undefined ? [] : [resourceModel]), ...(Array.isArray(resourceModels) ? resourceModels : [])];
  if (resourceModels !== undefined && !Array.isArray(resourceModels)) return 'resourceModels is not a list';
  for (const model of models) {
    if (!isPlainObject(model)) return 'a returned resource model is not a JSON object';
    const problems = type.validate(model).filter((p) => !p.includes('required key'));
    if (problems.length) return `the returned model does not fit the schema (${problems.slice(0, 3).join('; ')})`;
  }
  if (callbackContext !== undefined) {
    try {
      JSON.stringify(callbackContext);
    } catch (error) {
      return `callbackContext is not JSON-serializable (${(error as Error).message})`;
    }
  }
  if (callbackDelaySeconds !== undefined && (typeof callbackDelaySeconds !== 'number' || !Number.isFinite(callbackDelaySeconds) || callbackDelaySeconds < 0)) {
    return `callbackDelaySeconds must be a non-negative number (got ${JSON.stringify(callbackDelaySeconds)})`;
  }
  return undefined;
}

export function toStepOutcome(type: ResourceType, operation: HandlerAction, event: HandlerProgressEvent, untrusted = false): StepOutcome {
  if (untrusted) {
    const problem = untrustedEventProblem(type, event);
    if (problem) return violation(problem);
  }
  const model = event.resourceModel;
  const identifier = model ? primaryIdentifierOf(type, model) : undefined;
  const withId = <T extends object>(o: T): T => (identifier !== undefined ? { ...o, identifier } : o);
  switch (event.status) {
    case 'SUCCESS': {
      if (operation === 'DELETE') {
        if (model !== undefined) return violation('a delete handler returned SUCCESS with a resource model');
        return { status: 'SUCCESS' };
      }
      // A list page's models are checked above (untrusted) and described by the caller.
      if (operation === 'LIST') return { status: 'SUCCESS' };
      if (!model) return violation(`${operation.toLowerCase()} handler returned SUCCESS without a resource model`);
      if (identifier === undefined) return violation('the returned model has no primary identifier');
      // A read's model is the caller's to show (or to patch); only a step's is stored as the request's model.
      if (operation === 'READ') return withId({ status: 'SUCCESS' as const });
      return withId({ status: 'SUCCESS' as const, resourceModel: JSON.stringify(visibleModel(type, model)) });
    }
    case 'FAILED': {
      const errorCode = normalizeErrorCode(event.errorCode);
      if (!errorCode) return violation(`FAILED without a valid errorCode (got ${JSON.stringify(event.errorCode)})`);
      return withId({ status: 'FAILED' as const, errorCode, ...(event.message ? { message: event.message } : {}) });
    }
    case 'IN_PROGRESS': {
      if (operation === 'READ' || operation === 'LIST') return violation(`${operation} handler returned IN_PROGRESS`);
      const outcome: StepOutcome = {
        status: 'IN_PROGRESS',
        callbackDelaySeconds: Math.max(0, event.callbackDelaySeconds ?? 0),
        ...(event.callbackContext !== undefined ? { callbackContext: JSON.stringify(event.callbackContext) } : {}),
        // The CloudFormation contract re-invokes with the returned model as the desired state.
        ...(model !== undefined ? { desiredState: JSON.stringify(model) } : {}),
        ...(event.message ? { message: event.message } : {}),
      };
      return withId(outcome);
    }
    default:
      return violation(`unknown status ${JSON.stringify((event as { status: unknown }).status)}`);
  }
}
