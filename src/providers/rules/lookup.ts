/**
 * What the rules share: the read-only lookup of other resources they are given, reading values at a property
 * path, and the FAILED event a refusal becomes.
 */
import type { IdSource } from '../../lib/ids.js';
import type { StoredResource } from '../../store/store.js';
import type { EmulatedResources, HandlerProgressEvent, ResourceLookup, ResourceModel } from '../contract.js';
import type { PropertyTest } from './delete-refusals.js';
import { renderMessage } from './messages.js';

export type { ResourceLookup };

export interface RuleContext {
  /** Other types' resources in the caller's account and Region, read-only, through the store's index. */
  lookups: Pick<EmulatedResources, 'ofType'>;
  ids: IdSource;
  /** The caller's Region (the zones a subnet may use). */
  region: string;
  /** The caller's account (with the Region, which default VPC is this scope's). */
  accountId: string;
}

/** The values at a '/'-separated path, '*' standing for every element of an array; strings and numbers, as text. */
export function valuesAt(model: unknown, path: string): string[] {
  let current: unknown[] = [model];
  for (const token of path.split('/')) {
    const next: unknown[] = [];
    for (const value of current) {
      if (token === '*') {
        if (Array.isArray(value)) next.push(...value);
      } else if (typeof value === 'object' && value !== null && !Array.isArray(value) && token in value) {
        next.push((value as Record<string, unknown>)[token]);
      }
    }
    current = next;
  }
  return current.filter((v) => typeof v === 'string' || typeof v === 'number').map(String);
}

export function holds(model: unknown, test: PropertyTest): boolean {
  return valuesAt(model, test.path).includes(test.equals);
}

/** Rules grouped by the type they are about. */
export function byType<T extends { type: string }>(rules: readonly T[]): Map<string, T[]> {
  const map = new Map<string, T[]>();
  for (const rule of rules) map.set(rule.type, [...(map.get(rule.type) ?? []), rule]);
  return map;
}

/** The handler's FAILED answer for a rule, its message rendered over `values`. */
export function failed(rule: { errorCode: HandlerProgressEvent['errorCode']; message: string }, values: Readonly<Record<string, unknown>>, ids: IdSource): HandlerProgressEvent {
  return { status: 'FAILED', errorCode: rule.errorCode, message: renderMessage(rule.message, values, ids) };
}

export const modelOf = (resource: StoredResource): ResourceModel => JSON.parse(resource.properties) as ResourceModel;
