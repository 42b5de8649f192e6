/**
 * Who is calling, in the two modes ccapi runs in. Open mode (no credentials configured, loopback only):
 * the caller is read from the credential scope without checking the signature. Strict mode
 * (--credentials FILE): every API call must carry a valid SigV4 signature; the account comes from the
 * credential, the region from the scope. Failures carry the error each protocol answers with.
 */
import type { Caller } from '../domain/caller.js';
import type { StsCaller } from '../domain/caller.js';
import type { Clock } from '../lib/clock.js';
import { ServiceError } from '../protocol/errors.js';
import { commonQueryError, QueryError } from '../protocol/errors.js';
import { callerFrom } from './caller.js';
import type { CredentialStore } from './credentials.js';
import { verifySigV4, type SignedRequest, type VerifyFailure } from './sigv4.js';

export interface AuthFailure {
  failure: VerifyFailure;
  message: string;
}

export interface Authenticator {
  readonly strict: boolean;
  authenticate(req: SignedRequest, expectedService: string): Caller | AuthFailure;
}

export const isAuthFailure = (x: Caller | AuthFailure): x is AuthFailure => 'failure' in x;

export const openAuthenticator: Authenticator = {
  strict: false,
  authenticate(req) {
    const queryAt = req.url.indexOf('?');
    return callerFrom(req.headers, queryAt === -1 ? undefined : new URLSearchParams(req.url.slice(queryAt + 1)));
  },
};

export function verifyingAuthenticator(credentials: CredentialStore, clock: Clock): Authenticator {
  return {
    strict: true,
    authenticate(req, expectedService) {
      const result = verifySigV4(req, (id) => credentials.lookup(id), clock.now(), expectedService);
      if (!result.ok) return { failure: result.failure, message: result.message };
      const { credential } = result;
      const caller: StsCaller = { accountId: credential.accountId, region: result.region, accessKeyId: credential.accessKeyId };
      if (credential.userName) caller.userName = credential.userName;
      if (credential.roleName && credential.sessionName) caller.assumedRole = { roleName: credential.roleName, sessionName: credential.sessionName };
      return caller;
    },
  };
}

/** AWS JSON 1.0 services (Cloud Control) answer authentication failures with these Coral errors. */
export function jsonAuthError(f: AuthFailure): ServiceError {
  switch (f.failure) {
    case 'MissingAuthentication':
      // No authentication at all, on an AWS JSON service: Coral answers 400, not the 403 of the query protocol.
      // Observed from live DynamoDB (`curl -X POST https://dynamodb.us-east-2.amazonaws.com/` with a target and
      // no Authorization: `HTTP/1.1 400`, `com.amazon.coral.service#MissingAuthenticationTokenException`), and
      // asserted by dynalite's connection tests, which run against the live service.
      return new ServiceError('MissingAuthenticationTokenException', 'Request is missing Authentication Token');
    case 'IncompleteSignature':
      return new ServiceError('IncompleteSignatureException', f.message);
    case 'UnknownAccessKey':
    case 'InvalidSessionToken':
      return new ServiceError('UnrecognizedClientException', f.message);
    case 'SignatureExpired':
    case 'SignatureMismatch':
    case 'WrongService':
    // "'Host' or ':authority' must be a 'SignedHeader' …" is an InvalidSignatureException on live DynamoDB
    // (github.com/aws/aws-sdk-php/issues/2469); the other required headers are answered alike (src/auth/sigv4.ts).
    case 'HeaderNotSigned':
      return new ServiceError('InvalidSignatureException', f.message);
  }
}

/** Query services (STS, CloudFormation) name the same failures differently, with 403s. */
export function queryAuthError(f: AuthFailure): QueryError {
  switch (f.failure) {
    case 'MissingAuthentication':
      return commonQueryError('MissingAuthenticationToken', 'Request is missing Authentication Token');
    case 'IncompleteSignature':
      return commonQueryError('IncompleteSignature', f.message);
    case 'UnknownAccessKey':
    case 'InvalidSessionToken':
      return commonQueryError('InvalidClientTokenId', f.message);
    case 'SignatureExpired':
    case 'SignatureMismatch':
    case 'WrongService':
    // No source shows a query service's answer to an unsigned required header: the query protocol's name
    // for InvalidSignatureException, as for the other signature failures.
    case 'HeaderNotSigned':
      return new QueryError('SignatureDoesNotMatch', f.message, 403);
  }
}
