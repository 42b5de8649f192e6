/**
 * Resource identifiers (semantics reference §4). Callers give exactly one identifier: the primary one as
 * a string (compound values joined with `|` in schema order) or as a JSON object; secondary
 * (additionalIdentifiers) only as JSON. Output identifiers are always the primary `|` form.
 */
import { validationError } from '../protocol/errors.js';
import { getAt, propertyTokens, setAt } from './pointers.js';
import type { ResourceType } from './types.js';

export interface ParsedIdentifier {
  /** The identifier set used: pointers such as "/properties/DatabaseName". */
  set: readonly string[];
  /** Value per pointer of `set`, as strings. */
  values: ReadonlyMap<string, string>;
  /** The canonical primary identifier (`a|b`) when `set` is the primary identifier. */
  primary?: string;
}

function scalarToString(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

const describeSets = (sets: readonly (readonly string[])[]) => `[${sets.map((s) => `[${s.join(', ')}]`).join(', ')}]`;

function parseJsonObject(text: string): Record<string, unknown> | undefined {
  if (!text.trimStart().startsWith('{')) return undefined;
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** The top-level property name of an identifier pointer (identifiers are top-level in practice). */
function keyOf(pointer: string): string {
  return propertyTokens(pointer).join('/');
}

export function parseIdentifier(type: ResourceType, input: string): ParsedIdentifier {
  const primarySet = type.schema.primaryIdentifier;
  const json = parseJsonObject(input);
  if (json) {
    const sets = [primarySet, ...(type.schema.additionalIdentifiers ?? [])];
    const keys = Object.keys(json).sort();
    const set = sets.find((s) => s.length === keys.length && s.map(keyOf).sort().every((k, i) => k === keys[i]));
    if (!set) {
      throw validationError(
        `When specifying the identifier as JSON, you must specify exactly one identifier from ${describeSets(sets)}, and no additional properties can be specified`,
      );
    }
    const values = new Map<string, string>();
    for (const pointer of set) {
      const value = scalarToString(json[keyOf(pointer)]);
      if (value === undefined || value.length === 0) {
        throw validationError(`Identifier property ${pointer} must be a non-empty string, number or boolean`);
      }
      values.set(pointer, value);
    }
    const parsed: ParsedIdentifier = { set, values };
    if (set === primarySet) parsed.primary = primarySet.map((p) => values.get(p)!).join('|');
    return parsed;
  }
  if (primarySet.length === 1) {
    return { set: primarySet, values: new Map([[primarySet[0]!, input]]), primary: input };
  }
  let parts = input.split('|');
  // A value may itself contain '|' (an ARN pattern allows it): the extra pieces belong to the last value,
  // the one most often free-form. Callers who need certainty use the JSON form.
  if (parts.length > primarySet.length) parts = [...parts.slice(0, primarySet.length - 1), parts.slice(primarySet.length - 1).join('|')];
  if (parts.length !== primarySet.length || parts.some((p) => p.length === 0)) {
    throw validationError(
      `Identifier '${input}' is not valid for type ${type.typeName}: expected ${primarySet.length} values joined by '|' in the order [${primarySet.join(', ')}]`,
    );
  }
  return { set: primarySet, values: new Map(primarySet.map((p, i) => [p, parts[i]!])), primary: input };
}

/** The primary identifier of a model in `a|b` form, or undefined while any part is missing. */
export function primaryIdentifierOf(type: ResourceType, model: unknown): string | undefined {
  const parts: string[] = [];
  for (const pointer of type.schema.primaryIdentifier) {
    const value = scalarToString(getAt(model, propertyTokens(pointer)));
    if (value === undefined || value.length === 0) return undefined;
    parts.push(value);
  }
  return parts.join('|');
}

/** Whether a model's values match a parsed identifier (used to find resources by secondary identifiers). */
export function modelMatches(model: unknown, identifier: ParsedIdentifier): boolean {
  for (const [pointer, value] of identifier.values) {
    if (scalarToString(getAt(model, propertyTokens(pointer))) !== value) return false;
  }
  return true;
}

/** Pointer-keyed JSON, as AWS renders identifiers in handler messages: {"/properties/LogGroupName":"x"}. */
export function describeIdentifier(type: ResourceType, primary: string): string {
  const set = type.schema.primaryIdentifier;
  const parts = set.length === 1 ? [primary] : primary.split('|');
  const shown: Record<string, string> = {};
  set.forEach((pointer, i) => (shown[pointer] = parts[i] ?? ''));
  return JSON.stringify(shown);
}

/** A model holding just the identifier's values, e.g. to seed a read. */
export function identifierModel(identifier: ParsedIdentifier): Record<string, unknown> {
  const model: Record<string, unknown> = {};
  for (const [pointer, value] of identifier.values) setAt(model, propertyTokens(pointer), value);
  return model;
}
