/**
 * The query-protocol front: requests without X-Amz-Target that carry `Action=` (form-encoded POST, or GET).
 * The service is the SigV4 credential scope's service (`…/us-east-1/cloudformation/aws4_request`); an
 * unsigned request is matched by its `Version`. Each service is a table of operations (input members and the
 * api/ function to call); STS plugs in here as one more entry.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { describeType, listTypes } from '../api/cloudformation.js';
import { listHookResults } from '../api/hook-results.js';
import {
  CLOUDFORMATION_NAMESPACE,
  CLOUDFORMATION_OPERATIONS,
  CLOUDFORMATION_SIGNING_NAME,
  CLOUDFORMATION_VERSION,
  LIST_HOOK_RESULTS_MEMBERS,
  type DescribeTypeInput,
  type ListHookResultsInput,
  type ListTypesInput,
} from '../protocol/cloudformation.js';
import { STS_NAMESPACE, STS_SIGNING_NAME, STS_VERSION } from '../protocol/sts.js';
import type { ApiContext } from '../api/context.js';
import type { Caller } from '../domain/caller.js';
import { getCallerIdentity } from '../api/sts.js';
import { callerFrom } from '../auth/caller.js';
import type { Logger } from '../lib/logger.js';
import type { Member } from '../protocol/operations.js';
import { commonQueryError, invalidAction, QueryError } from '../protocol/errors.js';
import { parseQueryRequest } from '../protocol/query.js';
import { readQueryInput } from '../protocol/validate.js';
import { renderQueryError, renderQueryResponse, XML_CONTENT_TYPE, type XmlStruct } from '../protocol/xml.js';

export { isQueryRequest } from '../protocol/query.js';

interface QueryOperation {
  members: Readonly<Record<string, Member>>;
  // The input is what readQueryInput made of the members above; each entry narrows it to its own type.
  call(ctx: ApiContext, caller: Caller, input: never): XmlStruct | Promise<XmlStruct>;
}

export interface QueryService {
  /** The SigV4 signing name, i.e. the credential scope's service. */
  signingName: string;
  /** The API version the service answers (`Version=`). */
  version: string;
  /** The XML namespace of its responses and errors. */
  namespace: string;
  operations: Readonly<Record<string, QueryOperation>>;
}

export const CLOUDFORMATION_QUERY_SERVICE: QueryService = {
  signingName: CLOUDFORMATION_SIGNING_NAME,
  version: CLOUDFORMATION_VERSION,
  namespace: CLOUDFORMATION_NAMESPACE,
  operations: {
    DescribeType: {
      members: CLOUDFORMATION_OPERATIONS.DescribeType,
      call: (ctx: ApiContext, caller: Caller, input: DescribeTypeInput) => describeType(ctx, caller, input),
    },
    ListTypes: {
      members: CLOUDFORMATION_OPERATIONS.ListTypes,
      call: (ctx: ApiContext, caller: Caller, input: ListTypesInput) => listTypes(ctx, caller, input),
    },
    ListHookResults: {
      members: LIST_HOOK_RESULTS_MEMBERS,
      call: (ctx: ApiContext, caller: Caller, input: ListHookResultsInput) => listHookResults(ctx, caller, input),
    },
  },
};

export const STS_QUERY_SERVICE: QueryService = {
  signingName: STS_SIGNING_NAME,
  version: STS_VERSION,
  namespace: STS_NAMESPACE,
  operations: {
    GetCallerIdentity: { members: {}, call: (_ctx: ApiContext, caller: Caller) => getCallerIdentity(caller) },
  },
};

export const QUERY_SERVICES: readonly QueryService[] = [CLOUDFORMATION_QUERY_SERVICE, STS_QUERY_SERVICE];

const SCOPE_SERVICE = /Credential=[^/,\s]+\/\d{8}\/[^/,\s]+\/([^/,\s]+)\/aws4_request/;

/** The credential scope's service, from the Authorization header or a presigned URL's X-Amz-Credential. */
export function signingServiceOf(headers: IncomingHttpHeaders, query: URLSearchParams): string | undefined {
  const authorization = headers.authorization;
  const match = authorization ? SCOPE_SERVICE.exec(authorization) : null;
  if (match) return match[1];
  const scope = query.get('X-Amz-Credential')?.split('/');
  return scope && scope.length === 5 ? scope[3] : undefined;
}

export interface QueryReply {
  status: number;
  contentType: string;
  body: string;
  /** The operation answered (or attempted), for logs. */
  operation?: string;
  code?: string;
}

const hasOwn = (object: object, key: string) => Object.prototype.hasOwnProperty.call(object, key);

export async function answerQuery(
  ctx: ApiContext,
  log: Logger,
  headers: IncomingHttpHeaders,
  urlQuery: string,
  body: string,
  requestId: string,
  services: readonly QueryService[] = QUERY_SERVICES,
  /** Resolves the caller once the service is known (strict mode verifies the signature for it); throws a QueryError. */
  resolveCaller: (signingName: string) => Caller = () => callerFrom(headers, new URLSearchParams(urlQuery)),
): Promise<QueryReply> {
  let service: QueryService | undefined;
  let action: string | undefined;
  try {
    const request = parseQueryRequest(body, urlQuery);
    action = request.action;
    if (!action) throw commonQueryError('MissingAction', 'The request must contain the parameter Action');
    const query = new URLSearchParams(urlQuery);
    const signingName = signingServiceOf(headers, query);
    service = signingName === undefined ? services.find((s) => s.version === request.version) : services.find((s) => s.signingName === signingName);
    if (!service) {
      if (signingName === undefined) throw invalidAction(action, request.version);
      const served = services.map((s) => `${s.signingName} (${Object.keys(s.operations).join(', ')})`).join('; ');
      throw commonQueryError(
        'InvalidAction',
        `ccapi does not serve the '${signingName}' query API (Action=${action}). Query APIs served on this endpoint: ${served}; Cloud Control is served as AWS JSON 1.0.`,
      );
    }
    const caller = resolveCaller(service.signingName);
    if (request.version !== service.version || !hasOwn(service.operations, action)) throw invalidAction(action, request.version);
    const operation = service.operations[action]!;
    const input = readQueryInput(request.params, operation.members);
    const result = await (operation.call as (ctx: ApiContext, caller: Caller, input: unknown) => XmlStruct | Promise<XmlStruct>)(ctx, caller, input);
    return {
      status: 200,
      contentType: XML_CONTENT_TYPE,
      body: renderQueryResponse({ operation: action, namespace: service.namespace, result, requestId }),
      operation: action,
    };
  } catch (error) {
    let failure: QueryError;
    if (error instanceof QueryError) {
      failure = error;
    } else {
      // Never a stack trace or an internal path to the client: the request id ties the log to the answer.
      log.error({ err: error, requestId, operation: action }, 'unexpected failure (query protocol)');
      failure = commonQueryError('InternalFailure', `An internal error occurred (request id ${requestId})`);
    }
    const reply: QueryReply = {
      status: failure.status,
      contentType: XML_CONTENT_TYPE,
      body: renderQueryError(failure, requestId, service?.namespace),
      code: failure.code,
    };
    if (action !== undefined) reply.operation = action;
    return reply;
  }
}
