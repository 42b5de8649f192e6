/** Declarative hook conditions, evaluated against the target model; a failure is said in words. */
import { isDeepStrictEqual } from 'node:util';
import { getAt, hasAt, parsePointer } from '../../registry/pointers.js';
import type { Condition } from './definitions.js';

/** The first condition the model breaks, in words ("/Owner must exist"); undefined when all hold. */
export function brokenCondition(conditions: readonly Condition[], model: unknown): string | undefined {
  for (const condition of conditions) {
    const tokens = parsePointer(condition.pointer);
    const present = hasAt(model, tokens);
    const where = condition.pointer || 'the model';
    if ('exists' in condition) {
      if (present !== condition.exists) return condition.exists ? `${where} must exist` : `${where} must be absent`;
    } else if ('equals' in condition) {
      if (!present || !isDeepStrictEqual(getAt(model, tokens), condition.equals)) return `${where} must equal ${JSON.stringify(condition.equals)}`;
    } else {
      const value = present ? getAt(model, tokens) : undefined;
      if (typeof value !== 'string' || !condition.regex.test(value)) return `${where} must match ${condition.matches}`;
    }
  }
  return undefined;
}
