/**
 * The words every layer shares: Cloud Control's operations and statuses, the handler actions, and the
 * HandlerErrorCode values. The enums are the service model's (botocore `cloudcontrol` 2021-09-30: Operation,
 * OperationStatus, HandlerErrorCode); protocol/operations.test.ts compares them with it, so drift is caught.
 */

export const OPERATIONS_ENUM = ['CREATE', 'DELETE', 'UPDATE'] as const;
export const OPERATION_STATUS_ENUM = ['PENDING', 'IN_PROGRESS', 'SUCCESS', 'FAILED', 'CANCEL_IN_PROGRESS', 'CANCEL_COMPLETE'] as const;
export const HANDLER_ERROR_CODES = [
  'NotUpdatable', 'InvalidRequest', 'AccessDenied', 'UnauthorizedTaggingOperation', 'InvalidCredentials',
  'AlreadyExists', 'NotFound', 'ResourceConflict', 'Throttling', 'ServiceLimitExceeded', 'NotStabilized',
  'GeneralServiceException', 'ServiceInternalError', 'ServiceTimeout', 'NetworkFailure', 'InternalFailure',
] as const;

/** A resource operation request's operation: what a mutating call asked for. */
export type OperationType = (typeof OPERATIONS_ENUM)[number];
export type OperationStatus = (typeof OPERATION_STATUS_ENUM)[number];
export type HandlerErrorCode = (typeof HANDLER_ERROR_CODES)[number];

/**
 * The five handlers of the CloudFormation resource contract, as the handler request's `action` names them
 * (https://docs.aws.amazon.com/cloudformation-cli/latest/userguide/resource-type-test-contract.html). One word for
 * the verb everywhere: handler requests, fault rules, a schema's `handlers` (keyed in lower case, see
 * schemaHandlerKey) and the worker's choice of handler for an operation (an OperationType is also an action).
 */
export const HANDLER_ACTIONS = ['CREATE', 'UPDATE', 'DELETE', 'READ', 'LIST'] as const;
export type HandlerAction = (typeof HANDLER_ACTIONS)[number];

/** A schema's `handlers` object keys its handlers in lower case ("create", "read", …). */
export type SchemaHandlerKey = Lowercase<HandlerAction>;
export function schemaHandlerKey(action: HandlerAction): SchemaHandlerKey {
  return action.toLowerCase() as SchemaHandlerKey;
}

/** The keys in the order schemas and `ccapi types` list them. */
export const SCHEMA_HANDLER_KEYS: readonly SchemaHandlerKey[] = ['create', 'read', 'update', 'delete', 'list'];
