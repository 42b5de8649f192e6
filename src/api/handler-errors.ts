/**
 * Synchronous calls (GetResource, ListResources, the pre-read of UpdateResource) surface a handler's
 * FAILED result as an exception (semantics reference §8.4), with AWS's message form:
 * "<TypeName> Handler returned status FAILED: <message> (HandlerErrorCode: <code>, RequestToken: <uuid>)".
 */
import { ServiceError, type ErrorCode } from '../protocol/errors.js';
import type { HandlerErrorCode } from '../domain/vocabulary.js';

const EXCEPTION_FOR: Record<HandlerErrorCode, ErrorCode> = {
  NotFound: 'ResourceNotFoundException',
  GeneralServiceException: 'GeneralServiceException',
  AccessDenied: 'AccessDeniedException',
  InternalFailure: 'HandlerInternalFailureException',
  InvalidRequest: 'InvalidRequestException',
  InvalidCredentials: 'InvalidCredentialsException',
  AlreadyExists: 'AlreadyExistsException',
  NotUpdatable: 'NotUpdatableException',
  ResourceConflict: 'ResourceConflictException',
  Throttling: 'ThrottlingException',
  ServiceLimitExceeded: 'ServiceLimitExceededException',
  NotStabilized: 'NotStabilizedException',
  ServiceInternalError: 'ServiceInternalErrorException',
  NetworkFailure: 'NetworkFailureException',
  UnauthorizedTaggingOperation: 'AccessDeniedException',
  ServiceTimeout: 'HandlerFailureException',
};

export function handlerFailure(typeName: string, code: HandlerErrorCode | undefined, message: string | undefined, requestToken: string): ServiceError {
  const exception = code ? EXCEPTION_FOR[code] : 'HandlerFailureException';
  const text = `${typeName} Handler returned status FAILED: ${message ?? 'no message'} (HandlerErrorCode: ${code ?? 'none'}, RequestToken: ${requestToken})`;
  return new ServiceError(exception, text);
}
