// Atomic RFC 6902 JSON Patch for UpdateResource: validate the patch shape, apply to a copy, all or nothing.
import { applyPatch, type Operation } from 'rfc6902';
import { getAt, parsePointer } from './pointers.js';

export class PatchError extends Error {
  /** Index of the offending operation in the patch, or -1 when the patch as a whole is malformed. */
  readonly opIndex: number;
  /** Whether the message is the service's own wording, given to the client as it is (no "Invalid patch update:"). */
  readonly verbatim: boolean;

  constructor(opIndex: number, message: string, verbatim = false) {
    super(message);
    this.name = 'PatchError';
    this.opIndex = opIndex;
    this.verbatim = verbatim;
  }
}

const OPS = new Set(['add', 'remove', 'replace', 'move', 'copy', 'test']);
const NEEDS_VALUE = new Set(['add', 'replace', 'test']);
const NEEDS_FROM = new Set(['move', 'copy']);
// rfc6902 walks pointers with plain property access: "/constructor/prototype/x" would reach Object.prototype.
const FORBIDDEN_TOKENS = new Set(['__proto__', 'constructor', 'prototype']);

type PatchOp = Record<string, unknown> & { op: string; path: string; from?: string };

function checkPointer(index: number, name: 'path' | 'from', pointer: string): void {
  let tokens: string[];
  try {
    tokens = parsePointer(pointer);
  } catch {
    throw new PatchError(index, `Invalid patch operation at index ${index}: ${name} ${pointer} is not a JSON pointer`);
  }
  const bad = tokens.find((t) => FORBIDDEN_TOKENS.has(t));
  if (bad !== undefined) {
    throw new PatchError(index, `Invalid patch operation at index ${index}: ${name} ${pointer} uses the reserved name ${bad}`);
  }
}

/** Throws a PatchError unless `patch` is an array of well-formed RFC 6902 operations. */
export function validatePatchShape(patch: unknown): asserts patch is PatchOp[] {
  if (!Array.isArray(patch)) throw new PatchError(-1, 'Invalid patch: the patch document must be a JSON array');
  patch.forEach((op: unknown, i) => {
    const at = `Invalid patch operation at index ${i}`;
    if (typeof op !== 'object' || op === null || Array.isArray(op)) throw new PatchError(i, `${at}: not an object`);
    const o = op as Record<string, unknown>;
    if (typeof o.op !== 'string' || !OPS.has(o.op)) {
      throw new PatchError(i, `${at}: op must be one of add, remove, replace, move, copy, test`);
    }
    if (typeof o.path !== 'string') throw new PatchError(i, `${at}: path must be a string`);
    checkPointer(i, 'path', o.path);
    // "value": null is a valid value; only a missing member is an error.
    if (NEEDS_VALUE.has(o.op) && !Object.prototype.hasOwnProperty.call(o, 'value')) {
      throw new PatchError(i, `${at}: ${o.op} requires a value`);
    }
    if (NEEDS_FROM.has(o.op)) {
      if (typeof o.from !== 'string') throw new PatchError(i, `${at}: ${o.op} requires a string from`);
      checkPointer(i, 'from', o.from);
      if (o.op === 'move' && o.path.startsWith(o.from + '/')) {
        throw new PatchError(i, `${at}: cannot move ${o.from} into its own child ${o.path}`);
      }
    }
  });
}

/**
 * Cloud Control accepts "RetentionInDays" as well as "/RetentionInDays" (user guide shows both):
 * prefixes "/" on `path` and `from` when missing. "" (the whole document) is left as it is.
 * Anything that is not an array of objects is returned unchanged for validatePatchShape to reject.
 */
export function normalizePatchPaths<T>(patch: T): T {
  if (!Array.isArray(patch)) return patch;
  return patch.map((op: unknown) => {
    if (typeof op !== 'object' || op === null || Array.isArray(op)) return op;
    const o = { ...(op as Record<string, unknown>) };
    for (const key of ['path', 'from'] as const) {
      const v = o[key];
      if (typeof v === 'string' && v !== '' && !v.startsWith('/')) o[key] = '/' + v;
    }
    return o;
  }) as T;
}

/**
 * Applies the patch to a deep copy and returns it; the input is never mutated.
 * rfc6902 keeps going after a failed op and cannot replace the root in place, so the copy is boxed
 * ({ r: doc }, paths prefixed with "/r") and any failing op discards the whole result.
 */
export function applyPatchAtomic(doc: unknown, patch: unknown): unknown {
  validatePatchShape(patch);
  const box = { r: structuredClone(doc) };
  const boxed = patch.map((o) => ({
    ...o,
    path: '/r' + o.path,
    ...(typeof o.from === 'string' ? { from: '/r' + o.from } : {}),
  })) as unknown as Operation[];
  // One op at a time (rfc6902 applies a list in order just the same), so an op that throws is known by its index.
  for (const [index, op] of boxed.entries()) {
    let result: Error | null | undefined;
    try {
      [result] = applyPatch(box, [op]);
    } catch (error) {
      // rfc6902 assigns into whatever the parent is: a number or string parent throws a TypeError.
      if (error instanceof TypeError) throw notAContainer(index, patch[index]!, box.r);
      throw error;
    }
    if (result) throw describe(index, patch[index]!, result);
  }
  return box.r;
}

/**
 * Cloud Control applies patches with zjsonpatch and passes its messages on as they are: a missing path is
 * `[REPLACE Operation] noSuchPath in source, path provided : //Code` (ValidationException quoted in
 * pulumi/pulumi-aws-native#277 and hashicorp/terraform-provider-awscc#3235, for `/Code` and
 * `/Behaviors/0/Criteria/DurationSeconds`: the pointer is written after one more "/"). zjsonpatch words every
 * operation the same way (`[REMOVE Operation]`, `[COPY Operation]` naming the `from` path, …) and a failed
 * test `[TEST Operation] value mismatch` (its own tests, e.g. "[REPLACE Operation] noSuchPath in source, path
 * provided : //k3"); only the REPLACE form is quoted from AWS.
 */
function describe(index: number, op: PatchOp, err: Error): PatchError {
  const operation = `[${op.op.toUpperCase()} Operation]`;
  if (err.name === 'TestError') return new PatchError(index, `${operation} value mismatch`, true);
  if (err.name === 'MissingError') {
    const missing = unbox((err as Error & { path?: string }).path) ?? op.path;
    return new PatchError(index, `${operation} noSuchPath in source, path provided : /${missing}`, true);
  }
  return new PatchError(index, `Invalid patch operation at index ${index}: ${err.message}`);
}

/**
 * An add, copy or move whose target's parent is a scalar: zjsonpatch's words for it, `[ADD Operation] parent is
 * not a container in source, path provided : //Size/x | node : 1` (its set(), the node as Jackson prints it),
 * with the path written as in the noSuchPath answers above; this answer itself has not been seen from AWS.
 */
function notAContainer(index: number, op: PatchOp, doc: unknown): PatchError {
  const parent = getAt(doc, parsePointer(op.path).slice(0, -1));
  return new PatchError(index, `[${op.op.toUpperCase()} Operation] parent is not a container in source, path provided : /${op.path} | node : ${JSON.stringify(parent)}`, true);
}

function unbox(path: string | undefined): string | undefined {
  if (path === undefined) return undefined;
  return path === '/r' ? '' : path.startsWith('/r/') ? path.slice(2) : path;
}
