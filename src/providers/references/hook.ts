/**
 * The reference check as a create or update step runs it (providers/generic.ts calls it before writing):
 * under strict, the FAILED event the service's handler would return for the first broken reference; under
 * warn, nothing, but each broken reference goes to the request's timeline (context.note) and the log.
 */
import type { HandlerContext, HandlerProgressEvent, HandlerRequest, ResourceModel } from '../contract.js';
import { findBrokenReferences, type BrokenReference, type TargetLookup } from './check.js';
import { failureFor, renderFailure } from './failures.js';
import { lookupIn } from './lookup.js';
import type { ResourceType } from '../../registry/types.js';
import { propertyTokens } from '../../registry/pointers.js';

/**
 * The property a type names itself by: its whole primary identifier, called `<Type>Name` or `Name`
 * (AWS::Logs::LogGroup LogGroupName, AWS::EKS::Cluster Name). The service spec records relationships on some
 * of these (LogGroupName → AWS::Lambda::Function FunctionName, the `/aws/lambda/<name>` convention;
 * AutoScalingGroupName → AWS::EC2::Instance) which say how names are shared, not that another resource must
 * exist: a create gives the new resource its name there. Such a property is never checked.
 */
function ownNameOf(type: ResourceType): string | undefined {
  const ids = type.schema.primaryIdentifier ?? [];
  if (ids.length !== 1) return undefined;
  const tokens = propertyTokens(ids[0]!);
  if (tokens.length !== 1) return undefined;
  const name = tokens[0]!;
  return name === 'Name' || name === `${type.typeName.split('::')[2]}Name` ? name : undefined;
}

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
  const ownName = ownNameOf(context.resourceType);
  const edges = policy.relationshipsOf(request.typeName).filter((edge) => edge.path !== ownName);
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
