/**
 * Errors that carry their wire identity: the AWS error code (the `__type` suffix), the HTTP status,
 * and whether the SDKs see it as a client error or a server fault (faults are retried by every SDK).
 * api/, engine/ and registry/ throw these; only protocol/ renders them.
 */

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

export class ServiceError extends Error {
  readonly code: ErrorCode;
  readonly status: number;

  constructor(code: ErrorCode, message: string) {
    super(message);
    this.name = code;
    this.code = code;
    this.status = ERROR_STATUS[code];
  }

  /** The `__type` value: clients strip everything up to `#`, so only the suffix matters to them. */
  get wireType(): string {
    return `${FRAMEWORK_NAMESPACE[this.code] ?? 'com.amazon.cloudapiservice'}#${this.code}`;
  }

  get isFault(): boolean {
    return this.status >= 500;
  }
}

export const validationError = (message: string) => new ServiceError('ValidationException', message);
