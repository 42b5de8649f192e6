/**
 * The reference check as a create or update step runs it (providers/generic.ts calls it before writing):
 * under strict, the FAILED event the service's handler would return for the first broken reference; under
 * warn, nothing, but each broken reference goes to the request's timeline (context.note) and the log.
 */
import type { HandlerContext, HandlerProgressEvent, HandlerRequest, ResourceModel } from '../contract.js';
import { findBrokenReferences, type BrokenReference, type TargetLookup } from './check.js';
import { failureFor, renderFailure } from './failures.js';
import { lookupIn } from './lookup.js';

function describe(typeName: string, broken: BrokenReference): string {
  return `broken reference: ${typeName} ${broken.at} '${broken.value}' names no existing ${broken.targetTypes.join(' or ')}`;
}

/**
 * Checks `model`'s references. `previous` (UPDATE) is the model before the update: values it already held are
 * not checked again, as a service does not re-validate a reference it is not asked to change.
 */
export async function referenceFailure(request: HandlerRequest, context: HandlerContext, model: ResourceModel, previous?: ResourceModel): Promise<HandlerProgressEvent | undefined> {
  const policy = context.references;
  if (!policy || policy.mode === 'off') return undefined;
  const edges = policy.relationshipsOf(request.typeName);
  if (edges.length === 0) return undefined;
  const lookup: TargetLookup = lookupIn(context.resources);
  const scope = { accountId: request.awsAccountId, region: request.region, partition: request.awsPartition };
  const { broken, skipped } = await findBrokenReferences(edges, model, scope, lookup, { canCreate: policy.canCreate, ...(previous ? { previous } : {}) });
  for (const s of skipped) context.log?.debug({ typeName: request.typeName, requestToken: request.clientRequestToken, at: s.at, value: s.value }, `reference not checked: ${s.reason}`);
  if (broken.length === 0) return undefined;
  if (policy.mode === 'warn') {
    for (const b of broken) {
      const text = `${describe(request.typeName, b)} (accepted: --references warn)`;
      context.note?.(text);
      context.log?.warn({ typeName: request.typeName, requestToken: request.clientRequestToken, at: b.at, value: b.value }, text);
    }
    return undefined;
  }
  const first = broken[0]!;
  const failure = failureFor(request.typeName, first.path, first.targetTypes);
  const message = renderFailure(failure, { typeName: request.typeName, path: first.at, targetType: first.targetTypes.join(' or '), value: first.value, requestId: context.ids.uuid() });
  context.log?.info({ typeName: request.typeName, requestToken: request.clientRequestToken, at: first.at, value: first.value }, describe(request.typeName, first));
  return { status: 'FAILED', errorCode: failure.errorCode, message };
}
