/** The Cloud Control service: one entry per operation, and the injected API errors checked before any effect. */
import { ServiceError } from '../protocol/errors.js';
import type { OperationInputs, OperationName } from '../protocol/operations.js';
import { StoreUnavailableError } from '../store/store.js';
import type { ApiContext } from './context.js';
import type { Caller } from '../domain/caller.js';
import { cancelResourceRequest, getResourceRequestStatus, listResourceRequests } from './request-operations.js';
import { createResource, deleteResource, getResource, listResources, updateResource } from './resource-operations.js';

type OperationHandler<Op extends OperationName> = (ctx: ApiContext, caller: Caller, input: OperationInputs[Op]) => Promise<object>;

const OPERATIONS: { [Op in OperationName]: OperationHandler<Op> } = {
  CreateResource: createResource,
  GetResource: getResource,
  UpdateResource: updateResource,
  DeleteResource: deleteResource,
  ListResources: listResources,
  GetResourceRequestStatus: getResourceRequestStatus,
  ListResourceRequests: listResourceRequests,
  CancelResourceRequest: cancelResourceRequest,
};

export async function callOperation<Op extends OperationName>(ctx: ApiContext, caller: Caller, operation: Op, input: OperationInputs[Op]): Promise<object> {
  const injected = ctx.faults.apiError(operation, (input as { TypeName?: string }).TypeName);
  if (injected) throw new ServiceError(injected.code, injected.message);
  // Every call in a scope sees its default VPC, as every AWS account and Region has one before anyone asks.
  const ready = ctx.scopes?.prepare(caller);
  const run = ready ? ready.then(() => OPERATIONS[operation](ctx, caller, input)) : OPERATIONS[operation](ctx, caller, input);
  return run.catch(storeUnavailableAsRetryable);
}

/**
 * A database that cannot be reached (a PostgreSQL restart, a network fault) is a server-side fault the
 * caller should simply retry: a 500 ServiceInternalErrorException, which every SDK retries with backoff.
 * A CreateResource retried this way is safe: the SDK sends the same ClientToken again.
 */
function storeUnavailableAsRetryable(error: unknown): never {
  if (error instanceof StoreUnavailableError) {
    throw new ServiceError('ServiceInternalErrorException', 'The service is temporarily unable to reach its database. Please retry the request.');
  }
  throw error;
}
