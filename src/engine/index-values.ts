/**
 * The values of a model at the paths ccapi indexes (registry/relationships.ts indexedPaths), as the store keeps
 * them (store.ts IndexedValue): strings as they are, numbers and booleans as their JSON text, one value per array
 * element at a '*' segment; objects, nulls and arrays not reached through '*' are not indexed. Values longer than
 * INDEXED_VALUE_MAX_BYTES are left out (they cannot be found; store.ts says why the cap exists).
 */
import { isIndexable, type IndexedValue } from '../store/store.js';

/** The scalar values at one path ('VpcId', 'SecurityGroupIds/*', 'SecurityGroupIngress/*\/SourceSecurityGroupId'). */
export function valuesAt(model: unknown, path: string): string[] {
  const out: string[] = [];
  const walk = (node: unknown, segments: readonly string[], i: number): void => {
    if (i === segments.length) {
      const value = scalarText(node);
      if (value !== undefined) out.push(value);
      return;
    }
    const segment = segments[i]!;
    if (segment === '*') {
      if (Array.isArray(node)) for (const element of node) walk(element, segments, i + 1);
      return;
    }
    if (typeof node === 'object' && node !== null && !Array.isArray(node) && Object.hasOwn(node, segment)) {
      walk((node as Record<string, unknown>)[segment], segments, i + 1);
    }
  };
  walk(model, path.split('/'), 0);
  return out;
}

function scalarText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return JSON.stringify(value);
  return undefined;
}

/** A model's full set of indexed values, without duplicates, in path order. */
export function indexedValues(model: unknown, paths: readonly string[]): IndexedValue[] {
  const out: IndexedValue[] = [];
  for (const path of paths) {
    for (const value of new Set(valuesAt(model, path))) if (isIndexable(value)) out.push({ path, value });
  }
  return out;
}
