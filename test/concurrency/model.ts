/**
 * The sequential model of one resource: its accepted requests applied one at a time, in acceptance order,
 * by Cloud Control's rules. SUCCESS applies the operation; FAILED applies nothing; CANCEL_COMPLETE may or
 * may not have applied it (a handler step already running when the cancel arrived still takes effect: a
 * cancel stops further handler calls but neither rolls back nor stops work already started, User Guide,
 * https://docs.aws.amazon.com/cloudcontrolapi/latest/userguide/resource-operations-manage-requests.html#resource-operations-manage-requests-cancel),
 * so the model carries every state some choice for those leads to, and nothing else.
 */

/** The properties the checker writes; everything else (Arn) is the server's to fill in. */
export const MODELLED_PROPERTIES = ['LogGroupName', 'RetentionInDays', 'DataProtectionPolicy', 'Tags'] as const;

export type Model = Record<string, unknown>;
/** null: the resource does not exist. */
export type ResourceState = Model | null;

export interface PatchOperation {
  op: string;
  path: string;
  value?: unknown;
}

export interface AcceptedRequest {
  token: string;
  operation: 'CREATE' | 'UPDATE' | 'DELETE';
  status: string;
  errorCode?: string;
  /** CREATE: the DesiredState sent. */
  desired?: Model;
  /** UPDATE: the PatchDocument sent. */
  patch?: PatchOperation[];
}

export function project(model: Model): Model {
  const out: Model = {};
  for (const key of MODELLED_PROPERTIES) if (key in model) out[key] = model[key];
  return out;
}

/** Canonical JSON (sorted keys), to compare and deduplicate states. */
export function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * The three patch forms the driver sends, applied by hand (an oracle independent of the server's own
 * JSON Patch code): replace or add a top-level property, append to a top-level array with "/-".
 * Undefined when the patch cannot apply (replace of a missing property, append to a non-array).
 */
export function applyPatch(model: Model, patch: PatchOperation[]): Model | undefined {
  const next = structuredClone(model);
  for (const op of patch) {
    const [, key, index, ...rest] = op.path.split('/');
    if (key === undefined || rest.length > 0) return undefined;
    if (index === undefined && op.op === 'add') next[key] = structuredClone(op.value);
    else if (index === undefined && op.op === 'replace' && key in next) next[key] = structuredClone(op.value);
    else if (index === '-' && op.op === 'add' && Array.isArray(next[key])) (next[key] as unknown[]).push(structuredClone(op.value));
    else return undefined;
  }
  return next;
}

/** The state after `request` took effect on `state`; undefined when the request could not have succeeded there. */
function applied(request: AcceptedRequest, state: ResourceState): ResourceState | undefined {
  switch (request.operation) {
    case 'CREATE':
      return state === null ? project(request.desired ?? {}) : undefined;
    case 'UPDATE':
      return state === null ? undefined : applyPatch(state, request.patch ?? []);
    case 'DELETE':
      return state === null ? undefined : null;
  }
}

/** The states `request` can leave `state` in, by its terminal status (none: it could not end so from there). */
function outcomes(request: AcceptedRequest, state: ResourceState): ResourceState[] {
  switch (request.status) {
    case 'SUCCESS': {
      const next = applied(request, state);
      return next === undefined ? [] : [next];
    }
    case 'FAILED':
      // The emulated handlers fail with AlreadyExists only over an existing resource and with NotFound only
      // without one; other codes (injected faults) say nothing about the state. A failure changes nothing.
      if (request.errorCode === 'AlreadyExists' && state === null) return [];
      if (request.errorCode === 'NotFound' && state !== null) return [];
      return [state];
    case 'CANCEL_COMPLETE': {
      const next = applied(request, state);
      return next === undefined ? [state] : [state, next];
    }
    default:
      return [];
  }
}

export interface ModelVerdict {
  /** Every final state the history allows (deduplicated). */
  possible: ResourceState[];
  /** When no state is possible: the first request no sequential order explains. */
  unexplained?: AcceptedRequest;
}

/** Folds the resource's accepted requests (oldest first) over "does not exist". */
export function possibleFinalStates(requests: AcceptedRequest[]): ModelVerdict {
  let states = new Map<string, ResourceState>([['null', null]]);
  for (const request of requests) {
    const next = new Map<string, ResourceState>();
    for (const state of states.values()) for (const outcome of outcomes(request, state)) next.set(canonical(outcome), outcome);
    if (next.size === 0) return { possible: [], unexplained: request };
    states = next;
  }
  return { possible: [...states.values()] };
}
