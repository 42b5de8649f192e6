/**
 * The handler contract for authors of custom resource types (`ccapi serve --types DIR`), as TypeScript
 * types. It is the CloudFormation resource-provider contract: a type is a schema plus five handlers that
 * each return a ProgressEvent; create, update and delete may answer IN_PROGRESS with a callbackContext and
 * a delay and are invoked again with that context until they answer SUCCESS or FAILED.
 *
 * A type's handler module (`handlers.js`, `handlers.mjs` or `handlers.cjs` beside `schema.json`) exports
 * the handlers by name, or as its default export:
 *
 * @example
 *   import type { ResourceHandlers } from 'ccapi/handlers';
 *   export const create: ResourceHandlers['create'] = async (request) => ({ status: 'SUCCESS', resourceModel: { ... } });
 *   async function remove(request) { ...; return { status: 'SUCCESS' }; }
 *   export { remove as delete }; // `delete` is a reserved word: export it under that name
 *
 * Nothing here is imported at run time by ccapi; the types only describe what ccapi passes and expects.
 */

export type Model = Record<string, unknown>;

/** CloudFormation's handler error codes; Cloud Control shows them as ProgressEvent.ErrorCode. */
export type HandlerErrorCode =
  | 'NotUpdatable'
  | 'InvalidRequest'
  | 'AccessDenied'
  | 'InvalidCredentials'
  | 'AlreadyExists'
  | 'NotFound'
  | 'ResourceConflict'
  | 'Throttling'
  | 'ServiceLimitExceeded'
  | 'NotStabilized'
  | 'GeneralServiceException'
  | 'ServiceInternalError'
  | 'NetworkFailure'
  | 'InternalFailure'
  | 'InvalidTypeConfiguration'
  | 'HandlerInternalFailure';

/** What every handler receives. */
export interface ResourceHandlerRequest<M extends Model = Model, C = unknown, T = unknown> {
  /** CREATE: the DesiredState; UPDATE: the patched model; DELETE and READ: the primary identifier; LIST: the ResourceModel filter, if any. */
  desiredResourceState?: M;
  /** UPDATE only: the model before the patch, as the read handler returned it. */
  previousResourceState?: M;
  logicalResourceIdentifier?: string;
  /** The request token: the same on every step of one request, so a handler can make its work idempotent. */
  clientRequestToken: string;
  awsAccountId: string;
  region: string;
  awsPartition: string;
  typeName: string;
  /** This type's entry in `--type-config FILE`, validated against the schema's `typeConfiguration` when it has one. */
  typeConfiguration?: T;
  /** What the previous step of this request returned as callbackContext (absent on the first step). */
  callbackContext?: C;
  /** LIST: the page token the previous page returned. */
  nextToken?: string;
  /** LIST: the page size the caller asked for (ListResources MaxResults), if any. */
  maxResults?: number;
}

/** What every handler returns. */
export interface ProgressEvent<M extends Model = Model, C = unknown> {
  status: 'IN_PROGRESS' | 'SUCCESS' | 'FAILED';
  /** CREATE/UPDATE/READ SUCCESS: the resource, with its primary identifier. DELETE SUCCESS: absent. */
  resourceModel?: M;
  /** LIST SUCCESS: one page of models. */
  resourceModels?: M[];
  /** IN_PROGRESS: handed back on the next step (must be JSON-serializable). */
  callbackContext?: C;
  /** IN_PROGRESS: seconds until the next step (shown to clients as RetryAfter). */
  callbackDelaySeconds?: number;
  /** FAILED: why. */
  errorCode?: HandlerErrorCode;
  message?: string;
  /** LIST: the token of the next page. */
  nextToken?: string;
}

/** Per-step facilities ccapi passes as the handler's second argument. */
export interface HandlerContext {
  /** Aborted when the step's time budget runs out (the step then fails); pass it to I/O that accepts one. */
  readonly signal: AbortSignal;
  /** Structured log lines tagged with the type and the request token (pino's API). */
  readonly log: HandlerLog;
}

export interface HandlerLog {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export type ResourceHandler<M extends Model = Model, C = unknown, T = unknown> = (
  request: ResourceHandlerRequest<M, C, T>,
  context: HandlerContext,
) => Promise<ProgressEvent<M, C>> | ProgressEvent<M, C>;

/** A handler module's exports. Declare in schema.json's `handlers` exactly the ones you export. */
export interface ResourceHandlers<M extends Model = Model, C = unknown, T = unknown> {
  create: ResourceHandler<M, C, T>;
  read: ResourceHandler<M, C, T>;
  update?: ResourceHandler<M, C, T>;
  delete: ResourceHandler<M, C, T>;
  list?: ResourceHandler<M, C, T>;
}

/** What a pre-provision hook module exports (as `default` or `hook`); see docs/hooks.md. */
export interface HookRequest<M extends Model = Model> {
  hookTypeName: string;
  typeName: string;
  operation: 'CREATE' | 'UPDATE' | 'DELETE';
  /** The model the handler is about to be given (for DELETE: the identifier model). */
  desiredResourceState?: M;
  /** UPDATE: the model before the patch. */
  previousResourceState?: M;
  awsAccountId: string;
  region: string;
  clientRequestToken: string;
  /** The hook's `configuration` object from the hooks file. */
  hookConfiguration?: unknown;
}

export interface HookResult {
  /** SUCCESS lets the operation proceed; FAILED fails it (failureMode FAIL) or records a warning (WARN). */
  status: 'SUCCESS' | 'FAILED';
  message?: string;
}

export type Hook<M extends Model = Model> = (request: HookRequest<M>, context: HandlerContext) => Promise<HookResult> | HookResult;
