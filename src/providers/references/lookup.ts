/**
 * The reference check's view of the emulated services: does a resource of a type have a property value, in the
 * request's account and region, seeing the step's own writes (EmulatedResources.ofType, an indexed lookup).
 */
import type { EmulatedResources } from '../contract.js';
import type { TargetLookup } from './check.js';

/** EmulatedResources.ofType as the resource index (issue-refindex) provides it. */
interface TypedResources {
  ofType?(typeName: string): { findBy(path: string, value: string, limit: number): Promise<unknown[]> };
}

export function lookupIn(resources: EmulatedResources): TargetLookup {
  const typed = resources as EmulatedResources & TypedResources;
  return {
    async exists(targetType, targetProperty, value) {
      if (!typed.ofType) throw new Error('the emulated resources cannot be searched by property (resource index missing)');
      return (await typed.ofType(targetType).findBy(targetProperty, value, 1)).length > 0;
    },
  };
}
