/**
 * Errors that carry their wire identity: the AWS error code, the HTTP status, and whether the SDKs see it as
 * a client error or a server fault (faults are retried by every SDK). One hierarchy for both protocols:
 * ServiceError for AWS JSON 1.0 (Cloud Control; the code is the `__type` suffix) and QueryError for the
 * query protocol (CloudFormation, STS; `<Code>` and `<Type>`). api/, auth/, engine/ and registry/ throw
 * these; only protocol/ renders them.
 */

/** What every wire error has: its code, its HTTP status, and whether it is a server fault. */
export abstract class WireError extends Error {
  abstract readonly code: string;
  readonly status: number;

  constructor(name: string, message: string, status: number) {
    super(message);
    this.name = name;
    this.status = status;
  }

  /** A server fault (5xx): what the SDKs retry. */
  get isFault(): boolean {
    return this.status >= 500;
  }
}

/** Every error code ccapi can put on the wire, with its HTTP status (semantics reference §9.3). */
export const ERROR_STATUS = {
  // Modeled Cloud Control exceptions (botocore cloudcontrol 2021-09-30).
  AlreadyExistsException: 400,
  ClientTokenConflictException: 400,
  ConcurrentModificationException: 500,
  ConcurrentOperationException: 400,
  GeneralServiceException: 400,
  HandlerFailureException: 500,
  HandlerInternalFailureException: 500,
  InvalidCredentialsException: 400,
  InvalidRequestException: 400,
  NetworkFailureException: 500,
  NotStabilizedException: 400,
  NotUpdatableException: 400,
  PrivateTypeException: 400,
  RequestTokenNotFoundException: 400,
  ResourceConflictException: 400,
  ResourceNotFoundException: 400,
  ServiceInternalErrorException: 500,
  ServiceLimitExceededException: 400,
  ThrottlingException: 400,
  TypeNotFoundException: 400,
  UnsupportedActionException: 400,
  // Framework (Coral) errors seen on the real service, not in the model.
  ValidationException: 400,
  SerializationException: 400,
  UnknownOperationException: 400,
  AccessDeniedException: 400,
  InternalFailure: 500,
  ServiceUnavailable: 503,
  // Authentication failures of AWS JSON services: all 400 (Coral; a live DynamoDB capture shows 400 for a
  // missing Authorization, where the query protocol's MissingAuthenticationToken is 403).
  MissingAuthenticationTokenException: 400,
  IncompleteSignatureException: 400,
  UnrecognizedClientException: 400,
  InvalidSignatureException: 400,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export function isErrorCode(name: string): name is ErrorCode {
  return Object.prototype.hasOwnProperty.call(ERROR_STATUS, name);
}

/** Modeled errors use AWS's service namespace; framework errors use Coral's, as the real service does. */
const FRAMEWORK_NAMESPACE: Partial<Record<ErrorCode, string>> = {
  ValidationException: 'com.amazon.coral.validate',
  SerializationException: 'com.amazon.coral.service',
  UnknownOperationException: 'com.amazon.coral.service',
  AccessDeniedException: 'com.amazon.coral.service',
  InternalFailure: 'com.amazon.coral.service',
  ServiceUnavailable: 'com.amazon.coral.availability',
  MissingAuthenticationTokenException: 'com.amazon.coral.service',
  IncompleteSignatureException: 'com.amazon.coral.service',
  UnrecognizedClientException: 'com.amazon.coral.service',
  InvalidSignatureException: 'com.amazon.coral.service',
};

/** An AWS JSON 1.0 (Cloud Control) error. */
export class ServiceError extends WireError {
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string) {
    super(code, message, ERROR_STATUS[code]);
    this.code = code;
  }

  /** The `__type` value: clients strip everything up to `#`, so only the suffix matters to them. */
  get wireType(): string {
    return `${FRAMEWORK_NAMESPACE[this.code] ?? 'com.amazon.cloudapiservice'}#${this.code}`;
  }
}

export const validationError = (message: string) => new ServiceError('ValidationException', message);

// ---------------------------------------------------------------------------------------------------------
// Query-protocol errors

/**
 * The errors every query service shares (AWS "Common Errors"), with their HTTP status. Service-specific
 * errors (CloudFormation's TypeNotFoundException, 404) are built by the service with their own status.
 */
export const COMMON_QUERY_ERRORS = {
  AccessDeniedException: 400,
  IncompleteSignature: 400,
  InternalFailure: 500,
  InvalidAction: 400,
  InvalidClientTokenId: 403,
  InvalidParameterCombination: 400,
  InvalidParameterValue: 400,
  InvalidQueryParameter: 400,
  MalformedQueryString: 404,
  MissingAction: 400,
  MissingAuthenticationToken: 403,
  MissingParameter: 400,
  RequestExpired: 400,
  ServiceUnavailable: 503,
  ThrottlingException: 400,
  ValidationError: 400,
} as const;

export type CommonQueryErrorCode = keyof typeof COMMON_QUERY_ERRORS;

/** An error with its query-protocol identity: `<Type>Sender|Receiver</Type><Code>…</Code>` and the HTTP status. */
export class QueryError extends WireError {
  readonly code: string;

  constructor(code: string, message: string, status: number) {
    super(code, message, status);
    this.code = code;
  }

  /** Sender for client errors, Receiver for server faults (what SDKs retry). */
  get type(): 'Sender' | 'Receiver' {
    return this.status >= 500 ? 'Receiver' : 'Sender';
  }
}

export function commonQueryError(code: CommonQueryErrorCode, message: string): QueryError {
  return new QueryError(code, message, COMMON_QUERY_ERRORS[code]);
}

/** AWS's wording for an Action the service does not have, or a Version it does not speak. */
export function invalidAction(action: string, version: string | undefined): QueryError {
  return commonQueryError('InvalidAction', `Could not find operation ${action} for version ${version ?? 'NO_VERSION_SPECIFIED'}`);
}
