/**
 * The reference check's view of the emulated services: does a resource of a type have a property value, in the
 * request's account and region, seeing the step's own writes (EmulatedResources.ofType: an indexed lookup).
 */
import type { EmulatedResources } from '../contract.js';
import type { TargetLookup } from './check.js';

export function lookupIn(resources: EmulatedResources): TargetLookup {
  return {
    async exists(targetType, targetProperty, value) {
      return (await resources.ofType(targetType).findBy(targetProperty, value, 1)).length > 0;
    },
  };
}
