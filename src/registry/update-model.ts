/**
 * UpdateResource's synchronous part (semantics reference §1.3, §5): the patch is applied to the current
 * model without its readOnly (and writeOnly) properties, and the result is checked before anything is
 * accepted. Any failure rejects the whole patch; nothing changes. The worker applies the same rules again
 * when an earlier update changed the model after this one's pre-read (issue #11: no update is lost).
 */
import { ServiceError, validationError } from '../protocol/errors.js';
import { exceedsDepth, MAX_JSON_DEPTH } from '../protocol/json-depth.js';
import { MAX_MODEL_LENGTH } from '../protocol/operations.js';
import { applyPatchAtomic, normalizePatchPaths, PatchError } from './json-patch.js';
import { getAt, hasAt, propertyPath, propertyTokens, setAt, withoutPaths, withoutWriteOnly } from './pointers.js';
import { modelValidationFailed } from './validation-messages.js';
import type { ResourceType } from './types.js';

type ResourceModel = Record<string, unknown>;

export interface PatchOperation {
  op: string;
  path: string;
  from?: string;
  value?: unknown;
}

export function parsePatchDocument(text: string): PatchOperation[] {
  if (exceedsDepth(text)) throw validationError(`PatchDocument nests deeper than ${MAX_JSON_DEPTH} levels`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw validationError('PatchDocument is not valid JSON: it must be a JSON array of RFC 6902 operations');
  }
  if (!Array.isArray(parsed)) throw validationError('PatchDocument must be a JSON array of RFC 6902 operations');
  return normalizePatchPaths(parsed) as PatchOperation[];
}

/** Whether `path` is the pointer itself or inside it ("/Tags/0" touches "/Tags"). */
function touches(path: string, propertyPointer: string): boolean {
  const target = propertyPath(propertyPointer);
  return path === target || path.startsWith(`${target}/`);
}

export function patchedModel(type: ResourceType, current: ResourceModel, patch: PatchOperation[]): ResourceModel {
  const schema = type.schema;
  const readOnly = schema.readOnlyProperties ?? [];
  const writeOnly = schema.writeOnlyProperties ?? [];
  const createOnly = schema.createOnlyProperties ?? [];

  // Any operation on a read-only path is refused as read-only, before the patch is tried: the base has no
  // read-only values, so `replace /Arn` would otherwise fail as a missing path, although GetResource shows Arn
  // and AWS answers read-only for it as for `add` (semantics §1.3: "Patch sets or changes a readOnly path").
  // A move takes its value away from `from`, so `from` counts too; a copy only reads it.
  const touchedReadOnly = readOnly.filter((p) => patch.some((op) => touches(op.path, p) || (op.op === 'move' && typeof op.from === 'string' && touches(op.from, p))));
  if (touchedReadOnly.length) throw validationError(`Invalid patch update: readOnlyProperties [${touchedReadOnly.join(', ')}] cannot be updated`);

  for (const op of patch) {
    const wo = writeOnly.find((p) => touches(op.path, p));
    if (wo && op.op !== 'add') {
      throw validationError(`Invalid patch update: writeOnlyProperties [${propertyPath(wo)}] can only be updated using 'add' operation`);
    }
  }

  const base = withoutWriteOnly(withoutPaths(current, readOnly), writeOnly);
  let patched: ResourceModel;
  try {
    patched = applyPatchAtomic(base, patch) as ResourceModel;
  } catch (error) {
    if (error instanceof PatchError) throw validationError(error.verbatim ? error.message : `Invalid patch update: ${error.message}`);
    throw error;
  }
  if (typeof patched !== 'object' || patched === null || Array.isArray(patched)) {
    throw validationError('Invalid patch update: the patched model must be a JSON object');
  }

  // A patch can still bring a read-only value in from above it (`add /Endpoint` with an Address inside).
  const setReadOnly = readOnly.filter((p) => hasAt(patched, propertyTokens(p)));
  if (setReadOnly.length) throw validationError(`Invalid patch update: readOnlyProperties [${setReadOnly.join(', ')}] cannot be updated`);

  const changedCreateOnly = createOnly.filter((p) => {
    // Read-only createOnly values are not in the patch base (and the readOnly check above stops any patch
    // that sets them), so their absence from the patched model is no change.
    if (readOnly.includes(p)) return false;
    const tokens = propertyTokens(p);
    // A writeOnly createOnly property is absent from the base, so any value in the patched model was supplied by
    // the patch, at its own path or from above it (a whole object, the root), and is a change even when it equals
    // the stored value: AWS cannot compare what reads never return (semantics reference §1.3).
    if (writeOnly.includes(p)) return hasAt(patched, tokens);
    return JSON.stringify(getAt(current, tokens)) !== JSON.stringify(getAt(patched, tokens));
  });
  if (changedCreateOnly.length) {
    throw new ServiceError('NotUpdatableException', `Invalid patch update: createOnlyProperties [${changedCreateOnly.join(', ')}] cannot be updated`);
  }

  // A model is at most 262,144 characters wherever the service model carries one (DesiredState, ResourceModel,
  // ResourceDescription.Properties: botocore's Properties shape), so repeated patches cannot grow one past it
  // (and every later GetResource or ListResources page with it). AWS's own message for this is not known.
  const length = JSON.stringify(patched).length;
  if (length > MAX_MODEL_LENGTH) {
    throw validationError(`Invalid patch update: the patched model is ${length} characters long; a resource model has at most ${MAX_MODEL_LENGTH}`);
  }

  // A required writeOnly property can never be in the patch base (reads never return it), so its absence
  // is not the client's mistake: AWS accepts such patches (Terraform awscc updates these types).
  const missingWriteOnly = new Set(writeOnly.map(propertyTokens).filter((t) => t.length === 1).map((t) => `#: required key [${t[0]}] not found`));
  const violations = type.validate(patched).filter((v) => !missingWriteOnly.has(v));
  if (violations.length) throw validationError(modelValidationFailed(violations));
  return patched;
}

/**
 * The update handler's desiredResourceState: the patched model with the primary identifier put back (it may
 * be read-only, and so absent from the patch base, but the handler needs it to find the resource).
 */
export function updateDesiredState(type: ResourceType, current: ResourceModel, patched: ResourceModel): ResourceModel {
  const desired = structuredClone(patched);
  for (const pointer of type.schema.primaryIdentifier) {
    const tokens = propertyTokens(pointer);
    setAt(desired, tokens, getAt(current, tokens));
  }
  return desired;
}
