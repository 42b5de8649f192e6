/**
 * Which references of a model name resources that do not exist. Pure over its inputs: the type's
 * relationships (from registry data), the model, and a lookup that answers whether a target exists in the
 * request's account and region; no I/O of its own, so it is unit-tested with a fake lookup.
 *
 * A property may reference several targets (SQS KmsMasterKeyId: a KMS key by Arn or KeyId, or an alias by
 * name): the reference holds when any target has the value in any of its naming forms (arn.ts).
 */
import { namingForms, parseArn } from './arn.js';
import { whyNotChecked, type ReferenceScope } from './never-checked.js';

/** One referencing property, as registry/relationships.ts gives it. */
export interface ReferenceEdge {
  /** '/'-separated model path, '*' for array elements: 'VpcId', 'SecurityGroupIds/*'. */
  path: string;
  targetType: string;
  targetProperty: string;
}

export interface TargetLookup {
  /** Whether a resource of `targetType` whose `targetProperty` equals `value` exists (same account and region). */
  exists(targetType: string, targetProperty: string, value: string): Promise<boolean>;
}

export interface BrokenReference {
  /** The relationship path ('SecurityGroupIds/*'). */
  path: string;
  /** Where the value sits in the model ('SecurityGroupIds/1'). */
  at: string;
  value: string;
  /** The types it could have named, in data order. */
  targetTypes: string[];
}

export interface CheckOptions {
  /** Whether ccapi can create resources of a type; references to other types are never checked. */
  canCreate(typeName: string): boolean;
  /** UPDATE: the model before; a value it already held at the same path is not checked again. */
  previous?: Record<string, unknown>;
}

/** The string values at a relationship path, with where each sits. */
export function valuesAt(model: unknown, path: string): { at: string; value: string }[] {
  let level: { at: string[]; node: unknown }[] = [{ at: [], node: model }];
  for (const token of path.split('/')) {
    const next: { at: string[]; node: unknown }[] = [];
    for (const { at, node } of level) {
      if (token === '*') {
        if (Array.isArray(node)) node.forEach((item, i) => next.push({ at: [...at, String(i)], node: item }));
      } else if (typeof node === 'object' && node !== null && !Array.isArray(node) && Object.prototype.hasOwnProperty.call(node, token)) {
        next.push({ at: [...at, token], node: (node as Record<string, unknown>)[token] });
      }
    }
    level = next;
  }
  return level.filter((v): v is { at: string[]; node: string } => typeof v.node === 'string' && v.node !== '').map((v) => ({ at: v.at.join('/'), value: v.node }));
}

/** The edges grouped by path, in first-seen order. */
function byPath(edges: readonly ReferenceEdge[]): Map<string, ReferenceEdge[]> {
  const groups = new Map<string, ReferenceEdge[]>();
  for (const edge of edges) {
    const group = groups.get(edge.path);
    if (group) group.push(edge);
    else groups.set(edge.path, [edge]);
  }
  return groups;
}

export interface CheckResult {
  broken: BrokenReference[];
  /** Values left unchecked, with why (AWS-managed, another account, a type ccapi cannot create). */
  skipped: { at: string; value: string; reason: string }[];
}

export async function findBrokenReferences(edges: readonly ReferenceEdge[], model: Record<string, unknown>, scope: ReferenceScope, lookup: TargetLookup, options: CheckOptions): Promise<CheckResult> {
  const result: CheckResult = { broken: [], skipped: [] };
  for (const [path, targets] of byPath(edges)) {
    const values = valuesAt(model, path);
    if (values.length === 0) continue;
    const held = options.previous ? new Set(valuesAt(options.previous, path).map((v) => v.value)) : undefined;
    // A miss could be a resource of a type ccapi cannot create, so such a path is not judged at all.
    const uncreatable = targets.find((t) => !options.canCreate(t.targetType));
    for (const { at, value } of values) {
      if (held?.has(value)) continue;
      if (uncreatable) {
        result.skipped.push({ at, value, reason: `${uncreatable.targetType} is a type ccapi cannot create` });
        continue;
      }
      const arn = parseArn(value);
      const reason = whyNotChecked(value, arn, scope);
      if (reason !== undefined) {
        result.skipped.push({ at, value, reason });
        continue;
      }
      if (!(await anyTargetHas(targets, namingForms(value, arn), lookup))) {
        result.broken.push({ path, at, value, targetTypes: [...new Set(targets.map((t) => t.targetType))] });
      }
    }
  }
  return result;
}

async function anyTargetHas(targets: readonly ReferenceEdge[], forms: readonly string[], lookup: TargetLookup): Promise<boolean> {
  for (const form of forms) {
    for (const target of targets) {
      if (await lookup.exists(target.targetType, target.targetProperty, form)) return true;
    }
  }
  return false;
}
