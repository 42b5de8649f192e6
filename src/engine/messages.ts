/** Default handler messages, worded as the CloudFormation Java plugin words them (semantics reference §8.3). */
import type { HandlerErrorCode } from '../domain/vocabulary.js';

export function defaultMessage(code: HandlerErrorCode, r: { typeName: string; operation: string; identifier?: string }): string {
  const id = r.identifier ?? '';
  switch (code) {
    case 'AccessDenied': return `Access denied for operation '${r.operation}'.`;
    case 'AlreadyExists': return `Resource of type '${r.typeName}' with identifier '${id}' already exists.`;
    case 'GeneralServiceException': return `Error occurred during operation '${r.operation}'.`;
    case 'InternalFailure': return 'Internal error occurred.';
    case 'InvalidCredentials': return 'Invalid credentials provided.';
    case 'InvalidRequest': return 'Invalid request provided.';
    case 'NetworkFailure': return `Network failure occurred during operation '${r.operation}'.`;
    case 'NotFound': return `Resource of type '${r.typeName}' with identifier '${id}' was not found.`;
    case 'NotStabilized': return `Resource of type '${r.typeName}' with identifier '${id}' did not stabilize.`;
    case 'NotUpdatable': return `Resource of type '${r.typeName}' with identifier '${id}' is not updatable with parameters provided.`;
    case 'ResourceConflict': return `Resource of type '${r.typeName}' with identifier '${id}' has a conflict.`;
    case 'ServiceInternalError': return `Internal error reported from downstream service during operation '${r.operation}'.`;
    case 'ServiceLimitExceeded': return `Limit exceeded for resource of type '${r.typeName}'.`;
    case 'Throttling': return `Rate exceeded for operation '${r.operation}'.`;
    case 'UnauthorizedTaggingOperation': return 'Unauthorized tagging operation';
    case 'ServiceTimeout': return `Operation '${r.operation}' timed out.`;
  }
}
