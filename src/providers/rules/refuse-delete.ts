/**
 * Deletes the service refuses (delete-refusals.ts), decided at the delete handler's step: while a resource of
 * another type (or another resource of this one) names the resource, the handler fails as AWS's does and nothing
 * is deleted. One indexed lookup per dependent type and name; the first blocking dependent is enough.
 */
import type { HandlerProgressEvent, ResourceModel } from '../contract.js';
import { DELETE_REFUSALS, type DeleteRefusal } from './delete-refusals.js';
import { byType, failed, holds, modelOf, valuesAt, type RuleContext } from './lookup.js';
import { defaultVpcMainRouteTableId } from '../default-vpc.js';

/**
 * How many dependents one lookup reads: the first that blocks is enough, but up to two may not count (the
 * resource itself, through a rule naming its own group; a VPC's own default security group).
 */
const DEPENDENT_READ = 3;

const refusalsByType = byType(DELETE_REFUSALS);

/** Whether a resource of another type (or another resource of this one) still names the resource deleted. */
async function dependedOn(refusal: DeleteRefusal, typeName: string, identifier: string, model: ResourceModel, context: RuleContext): Promise<boolean> {
  const names = [...new Set((refusal.referencedAs ?? []).flatMap((path) => valuesAt(model, path)))];
  for (const dependent of refusal.blockedBy ?? []) {
    const lookup = context.lookups.ofType(dependent.type);
    const goesWithIt = dependent.unlessDefaultVpcMainRouteTable ? defaultVpcMainRouteTableId(context) : undefined;
    for (const name of names) {
      const found = await lookup.findBy(dependent.path, name, DEPENDENT_READ);
      const blocking = found.filter(
        (r) =>
          !(dependent.type === typeName && r.identifier === identifier) && !(dependent.unless && holds(modelOf(r), dependent.unless)) && r.identifier !== goesWithIt,
      );
      if (blocking.length > 0) return true;
    }
  }
  return false;
}

/**
 * The service's refusal to delete this resource, or undefined when AWS would delete it. `model` is the stored
 * resource's model.
 */
export async function refuseDelete(typeName: string, identifier: string, model: ResourceModel, context: RuleContext): Promise<HandlerProgressEvent | undefined> {
  for (const refusal of refusalsByType.get(typeName) ?? []) {
    const refused = refusal.refusedWhen ? holds(model, refusal.refusedWhen) : await dependedOn(refusal, typeName, identifier, model, context);
    if (refused) return failed(refusal, model, context.ids);
  }
  return undefined;
}
