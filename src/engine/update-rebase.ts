/**
 * No lost update (issue #11, defect 1): an UPDATE's desired state is computed from the pre-read the API took
 * while accepting it. The per-resource lock stops two updates from running at once, but it cannot see an
 * earlier update that started and finished between this one's pre-read and its insert; that update's patch
 * would be silently overwritten. So before the first handler step (when the lock, held since the insert,
 * keeps the model still until this request ends) the worker reads the model again and, if it moved on,
 * applies the accepted patch to it, with the same rules UpdateResource applies synchronously.
 *
 * A patch that no longer applies (a `test` that now fails, a createOnly value another update changed) fails
 * the request instead of running the handler. No AWS source describes this race; the asynchronous failure
 * follows what AWS does for update problems it finds after acceptance (FAILED with NotUpdatable for
 * conditionalCreateOnlyProperties, semantics reference §5), with the message the synchronous check gives.
 */
import { ServiceError } from '../protocol/errors.js';
import type { HandlerErrorCode } from '../domain/vocabulary.js';
import type { ResourceType } from '../registry/types.js';
import { patchedModel, updateDesiredState, type PatchOperation } from '../registry/update-model.js';
import type { StepOutcome } from './machine.js';
import type { RequestRecord } from '../domain/records.js';
import { visibleModel } from './step-outcome.js';

type ResourceModel = Record<string, unknown>;

export type Rebase =
  /** The model is as the pre-read saw it: run the handler with the accepted desired state. */
  | { kind: 'unchanged' }
  /** The patch applied to the current model: desired, previous and shown model replaced. */
  | { kind: 'rebased'; record: RequestRecord }
  /** The patch no longer applies to the current model: the request fails with this outcome. */
  | { kind: 'refused'; outcome: Extract<StepOutcome, { status: 'FAILED' }> };

/** Whether `record` is an update whose handler has not run yet, so its desired state may need rebasing. */
export function awaitsRebase(record: RequestRecord): boolean {
  return record.operation === 'UPDATE' && record.patchDocument !== undefined && record.stepCount === 0;
}

/** The synchronous check's exception as a handler error code, for an update refused after acceptance. */
const REFUSAL_CODES: Record<string, HandlerErrorCode> = { NotUpdatableException: 'NotUpdatable' };

export function rebaseUpdate(type: ResourceType, record: RequestRecord, current: ResourceModel): Rebase {
  if (!awaitsRebase(record) || JSON.stringify(current) === record.previousState) return { kind: 'unchanged' };
  const patch = JSON.parse(record.patchDocument!) as PatchOperation[];
  let patched: ResourceModel;
  try {
    patched = patchedModel(type, current, patch);
  } catch (error) {
    if (!(error instanceof ServiceError)) throw error;
    return { kind: 'refused', outcome: { status: 'FAILED', errorCode: REFUSAL_CODES[error.code] ?? 'InvalidRequest', message: error.message } };
  }
  return {
    kind: 'rebased',
    record: {
      ...record,
      desiredState: JSON.stringify(updateDesiredState(type, current, patched)),
      previousState: JSON.stringify(current),
      resourceModel: JSON.stringify(visibleModel(type, patched)),
    },
  };
}
