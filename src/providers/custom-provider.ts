/**
 * A custom type's handler module as a ResourceProvider: the author's handlers get the request fields of
 * the CloudFormation contract (plus the type's configuration) and a small context (abort signal, logger);
 * what they return is checked by the engine like any provider's answer, more strictly (`untrusted`).
 */
import type { Logger } from '../lib/logger.js';
import { silentLogger } from '../lib/logger.js';
import type { SchemaHandlerKey } from '../domain/vocabulary.js';
import type { ResourceHandler, ResourceHandlerRequest } from './author.js';
import type { Handler, HandlerContext, HandlerProgressEvent, HandlerRequest, ResourceProvider } from './contract.js';

const neverAborted = new AbortController().signal;

function adapt(typeName: string, name: SchemaHandlerKey, handler: ResourceHandler | undefined, typeConfiguration: unknown, logger: Logger): Handler {
  if (!handler) {
    // resolveType() refuses undeclared handlers before a request exists; this answers a request accepted
    // before a restart that dropped the handler from the type.
    return async () => ({ status: 'FAILED', errorCode: 'InvalidRequest', message: `${typeName} has no ${name} handler` });
  }
  return async (request: HandlerRequest, context: HandlerContext) => {
    const authorRequest: ResourceHandlerRequest = {
      typeName: request.typeName,
      awsAccountId: request.awsAccountId,
      region: request.region,
      awsPartition: request.awsPartition,
      clientRequestToken: request.clientRequestToken,
    };
    if (request.desiredResourceState !== undefined) authorRequest.desiredResourceState = structuredClone(request.desiredResourceState);
    if (request.previousResourceState !== undefined) authorRequest.previousResourceState = structuredClone(request.previousResourceState);
    if (request.logicalResourceIdentifier !== undefined) authorRequest.logicalResourceIdentifier = request.logicalResourceIdentifier;
    if (request.callbackContext !== undefined) authorRequest.callbackContext = request.callbackContext;
    if (request.nextToken !== undefined) authorRequest.nextToken = request.nextToken;
    if (request.maxResults !== undefined) authorRequest.maxResults = request.maxResults;
    // Each step gets its own copy: a handler that mutates its configuration cannot leak into the next step.
    if (typeConfiguration !== undefined) authorRequest.typeConfiguration = structuredClone(typeConfiguration);
    const log = (context.log ?? logger).child({ typeName, handler: name, requestToken: request.clientRequestToken });
    return (await handler(authorRequest, { signal: context.signal ?? neverAborted, log })) as HandlerProgressEvent;
  };
}

export function customProvider(
  typeName: string,
  handlers: Partial<Record<SchemaHandlerKey, ResourceHandler>>,
  typeConfiguration: unknown,
  logger: Logger = silentLogger,
): ResourceProvider {
  return {
    untrusted: true,
    create: adapt(typeName, 'create', handlers.create, typeConfiguration, logger),
    read: adapt(typeName, 'read', handlers.read, typeConfiguration, logger),
    update: adapt(typeName, 'update', handlers.update, typeConfiguration, logger),
    delete: adapt(typeName, 'delete', handlers.delete, typeConfiguration, logger),
    list: adapt(typeName, 'list', handlers.list, typeConfiguration, logger),
  };
}
