/**
 * CreateResource, UpdateResource, DeleteResource, GetResource and ListResources: semantics only.
 * Mutations become durable requests in the engine and answer at once with a non-terminal ProgressEvent;
 * reads call the read/list handlers synchronously.
 */
import { createHash } from 'node:crypto';
import { toProgressEvent, type ProgressEvent } from '../domain/progress-event.js';
import { visibleModel } from '../engine/step-outcome.js';
import { ServiceError, validationError } from '../protocol/errors.js';
import { exceedsDepth, MAX_JSON_DEPTH } from '../protocol/json-depth.js';
import type { OperationInputs } from '../protocol/operations.js';
import type { ResourceModel } from '../providers/contract.js';
import { identifierModel, parseIdentifier, primaryIdentifierOf } from '../registry/identifiers.js';
import { withoutPaths } from '../registry/pointers.js';
import { parsePatchDocument, patchedModel, updateDesiredState } from '../registry/update-model.js';
import { listModelError } from '../registry/list-model.js';
import { modelValidationFailed } from '../registry/validation-messages.js';
import type { ApiContext } from './context.js';
import type { Caller } from '../domain/caller.js';
import { pageTurn } from './page-turns.js';
import { openPageToken, sealPageToken, type PageQuery } from './page-tokens.js';
import { describedListPage, readResource, type ResourceDescription } from './sync-handlers.js';
import { resolveType } from './types.js';

/** What a request asked for; a ClientToken reused with a different fingerprint is a conflict. */
function fingerprint(parts: (string | undefined)[]): string {
  return createHash('sha256').update(JSON.stringify(parts)).digest('base64');
}

function parseModel(text: string, member: string): ResourceModel {
  if (exceedsDepth(text)) throw validationError(`${member} nests deeper than ${MAX_JSON_DEPTH} levels`);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw validationError(`${member} is not valid JSON`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    const found = Array.isArray(value) ? 'JSONArray' : value === null ? 'Null' : typeof value === 'string' ? 'String' : typeof value === 'number' ? 'Number' : 'Boolean';
    throw validationError(`Model validation failed (#: expected type: JSONObject, found: ${found})`);
  }
  return value as ResourceModel;
}

export async function createResource(ctx: ApiContext, caller: Caller, input: OperationInputs['CreateResource']): Promise<{ ProgressEvent: ProgressEvent }> {
  const type = resolveType(ctx.catalogue, input.TypeName, 'create');
  const print = fingerprint(['CREATE', input.TypeName, input.DesiredState, input.RoleArn, input.TypeVersionId]);
  const replay = await ctx.engine.replayed(caller, input.ClientToken, print);
  if (replay) return { ProgressEvent: toProgressEvent(replay) };

  const desired = parseModel(input.DesiredState, 'DesiredState');
  const violations = type.validate(desired);
  if (violations.length) throw validationError(modelValidationFailed(violations));
  // readOnly values in DesiredState are accepted and replaced by generated ones (CloudFormation's behaviour).
  const model = withoutPaths(desired, type.schema.readOnlyProperties ?? []);
  const identifier = primaryIdentifierOf(type, model);

  const { record } = await ctx.engine.submit({
    accountId: caller.accountId,
    region: caller.region,
    typeName: type.typeName,
    operation: 'CREATE',
    fingerprint: print,
    desiredState: JSON.stringify(model),
    ...(input.ClientToken !== undefined ? { clientToken: input.ClientToken } : {}),
    ...(identifier !== undefined ? { identifier, lockKey: identifier } : {}),
    ...(input.RoleArn !== undefined ? { roleArn: input.RoleArn } : {}),
    ...(input.TypeVersionId !== undefined ? { typeVersionId: input.TypeVersionId } : {}),
  });
  return { ProgressEvent: toProgressEvent(record) };
}

export async function updateResource(ctx: ApiContext, caller: Caller, input: OperationInputs['UpdateResource']): Promise<{ ProgressEvent: ProgressEvent }> {
  const type = resolveType(ctx.catalogue, input.TypeName, 'update');
  const parsed = parseIdentifier(type, input.Identifier);
  const print = fingerprint(['UPDATE', input.TypeName, input.Identifier, input.PatchDocument, input.RoleArn, input.TypeVersionId]);
  const replay = await ctx.engine.replayed(caller, input.ClientToken, print);
  if (replay) return { ProgressEvent: toProgressEvent(replay) };

  const patch = parsePatchDocument(input.PatchDocument);
  const current = await readResource(ctx, caller, type, parsed);
  const primary = primaryIdentifierOf(type, current)!;
  await ctx.engine.assertUnlocked(caller, type.typeName, primary);
  const patched = patchedModel(type, current, patch);

  const { record } = await ctx.engine.submit({
    accountId: caller.accountId,
    region: caller.region,
    typeName: type.typeName,
    operation: 'UPDATE',
    fingerprint: print,
    identifier: primary,
    lockKey: primary,
    desiredState: JSON.stringify(updateDesiredState(type, current, patched)),
    previousState: JSON.stringify(current),
    // Kept so the worker can apply it again if an earlier update changes the model before this one runs.
    patchDocument: JSON.stringify(patch),
    resourceModel: JSON.stringify(visibleModel(type, patched)),
    ...(input.ClientToken !== undefined ? { clientToken: input.ClientToken } : {}),
    ...(input.RoleArn !== undefined ? { roleArn: input.RoleArn } : {}),
    ...(input.TypeVersionId !== undefined ? { typeVersionId: input.TypeVersionId } : {}),
  });
  return { ProgressEvent: toProgressEvent(record) };
}

export async function deleteResource(ctx: ApiContext, caller: Caller, input: OperationInputs['DeleteResource']): Promise<{ ProgressEvent: ProgressEvent }> {
  const type = resolveType(ctx.catalogue, input.TypeName, 'delete');
  const parsed = parseIdentifier(type, input.Identifier);
  const print = fingerprint(['DELETE', input.TypeName, input.Identifier, input.RoleArn, input.TypeVersionId]);
  const replay = await ctx.engine.replayed(caller, input.ClientToken, print);
  if (replay) return { ProgressEvent: toProgressEvent(replay) };

  let desired = identifierModel(parsed);
  let primary = parsed.primary;
  if (primary === undefined) {
    // Secondary identifier: resolve it now; a missing resource still becomes an accepted request that
    // fails with NotFound, as deletes of missing resources do on AWS.
    try {
      desired = await readResource(ctx, caller, type, parsed);
      primary = primaryIdentifierOf(type, desired);
    } catch {
      primary = undefined;
    }
  }
  const { record } = await ctx.engine.submit({
    accountId: caller.accountId,
    region: caller.region,
    typeName: type.typeName,
    operation: 'DELETE',
    fingerprint: print,
    identifier: primary ?? input.Identifier,
    desiredState: JSON.stringify(desired),
    ...(primary !== undefined ? { lockKey: primary } : {}),
    ...(input.ClientToken !== undefined ? { clientToken: input.ClientToken } : {}),
    ...(input.RoleArn !== undefined ? { roleArn: input.RoleArn } : {}),
    ...(input.TypeVersionId !== undefined ? { typeVersionId: input.TypeVersionId } : {}),
  });
  return { ProgressEvent: toProgressEvent(record) };
}

export async function getResource(ctx: ApiContext, caller: Caller, input: OperationInputs['GetResource']) {
  const type = resolveType(ctx.catalogue, input.TypeName, 'read');
  const parsed = parseIdentifier(type, input.Identifier);
  const model = await readResource(ctx, caller, type, parsed);
  return {
    TypeName: type.typeName,
    ResourceDescription: { Identifier: primaryIdentifierOf(type, model), Properties: JSON.stringify(visibleModel(type, model)) },
  };
}

export async function listResources(ctx: ApiContext, caller: Caller, input: OperationInputs['ListResources']) {
  const type = resolveType(ctx.catalogue, input.TypeName, 'list');
  const filter = input.ResourceModel === undefined ? undefined : parseModel(input.ResourceModel, 'ResourceModel');
  // Child types need their parent in the ResourceModel (EKS::Nodegroup needs ClusterName): the list
  // handler's handlerSchema says which, and AWS answers a missing one with InvalidRequestException.
  const violations = type.validateListModel?.(filter ?? {}) ?? [];
  if (violations.length) throw new ServiceError('InvalidRequestException', listModelError(type.typeName, violations));
  // The handler's own token travels sealed, bound to the caller and to this type and filter (page-tokens.ts).
  const query: PageQuery = { operation: 'ListResources', terms: [type.typeName, filter === undefined ? undefined : JSON.stringify(filter)] };
  const handlerToken = input.NextToken === undefined ? undefined : await openPageToken(ctx.store, caller, query, input.NextToken);
  await pageTurn();
  const page = await describedListPage(ctx, caller, type, handlerToken, input.MaxResults, filter);
  const output: { TypeName: string; ResourceDescriptions: ResourceDescription[]; NextToken?: string } = {
    TypeName: type.typeName,
    ResourceDescriptions: page.descriptions,
  };
  if (page.nextToken) output.NextToken = await sealPageToken(ctx.store, caller, query, page.nextToken);
  return output;
}
