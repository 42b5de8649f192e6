/**
 * Turns a handler's ProgressEvent into a StepOutcome the state machine accepts, enforcing the handler
 * contract: FAILED carries a valid error code, SUCCESS on delete carries no model, IN_PROGRESS is only
 * for create/update/delete. A violation fails the request with InternalFailure instead of storing garbage.
 */
import { HANDLER_ERROR_CODES, type HandlerErrorCode, type OperationType } from '../protocol/operations.js';
import type { HandlerProgressEvent, ResourceModel } from '../providers/contract.js';
import { primaryIdentifierOf } from '../registry/identifiers.js';
import { withoutPaths } from '../registry/pointers.js';
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
  return CODE_ALIASES[code];
}

/** The model as clients may see it: writeOnly properties never leave the server. */
export function visibleModel(type: ResourceType, model: ResourceModel): ResourceModel {
  const writeOnly = type.schema.writeOnlyProperties ?? [];
  return writeOnly.length ? withoutPaths(model, writeOnly) : model;
}

const violation = (message: string): StepOutcome => ({ status: 'FAILED', errorCode: 'InternalFailure', message });

export function toStepOutcome(type: ResourceType, operation: OperationType, event: HandlerProgressEvent): StepOutcome {
  const model = event.resourceModel;
  const identifier = model ? primaryIdentifierOf(type, model) : undefined;
  const withId = <T extends object>(o: T): T => (identifier !== undefined ? { ...o, identifier } : o);
  switch (event.status) {
    case 'SUCCESS': {
      if (operation === 'DELETE') {
        if (model !== undefined) return violation('Handler contract violation: a delete handler returned SUCCESS with a resource model');
        return { status: 'SUCCESS' };
      }
      if (!model) return violation(`Handler contract violation: ${operation.toLowerCase()} handler returned SUCCESS without a resource model`);
      if (identifier === undefined) return violation('Handler contract violation: the returned model has no primary identifier');
      return withId({ status: 'SUCCESS' as const, resourceModel: JSON.stringify(visibleModel(type, model)) });
    }
    case 'FAILED': {
      const errorCode = normalizeErrorCode(event.errorCode);
      if (!errorCode) return violation(`Handler contract violation: FAILED without a valid errorCode (got ${JSON.stringify(event.errorCode)})`);
      return withId({ status: 'FAILED' as const, errorCode, ...(event.message ? { message: event.message } : {}) });
    }
    case 'IN_PROGRESS': {
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
      return violation(`Handler contract violation: unknown status ${JSON.stringify((event as { status: unknown }).status)}`);
  }
}
