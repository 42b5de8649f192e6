/**
 * The CloudFormation resource handler contract, as ccapi drives it. A provider implements five handlers;
 * create/update/delete may return IN_PROGRESS with a callbackContext and a delay, and are invoked again
 * with that context until they return SUCCESS or FAILED. Read and list answer in one step.
 */
import type { Clock } from '../lib/clock.js';
import type { IdSource } from '../lib/ids.js';
import type { Logger } from '../lib/logger.js';
import type { HandlerErrorCode } from '../protocol/operations.js';
import type { ResourceType } from '../registry/types.js';
import type { Scope } from '../engine/records.js';
import type { StoredResource } from '../store/store.js';

export type ResourceModel = Record<string, unknown>;
export type HandlerAction = 'CREATE' | 'READ' | 'UPDATE' | 'DELETE' | 'LIST';

export interface HandlerRequest {
  action: HandlerAction;
  typeName: string;
  awsAccountId: string;
  region: string;
  awsPartition: string;
  /** The request token (a fresh one for READ/LIST). */
  clientRequestToken: string;
  desiredResourceState?: ResourceModel;
  previousResourceState?: ResourceModel;
  logicalResourceIdentifier?: string;
  typeConfiguration?: unknown;
  callbackContext?: unknown;
  nextToken?: string;
  maxResults?: number;
}

/** A handler's answer (lowerCamel keys, as in the CloudFormation plugins). */
export interface HandlerProgressEvent {
  status: 'IN_PROGRESS' | 'SUCCESS' | 'FAILED';
  resourceModel?: ResourceModel;
  resourceModels?: ResourceModel[];
  callbackContext?: unknown;
  callbackDelaySeconds?: number;
  errorCode?: HandlerErrorCode;
  message?: string;
  nextToken?: string;
}

/**
 * The emulated "downstream service" a provider may keep resources in. Reads see this step's own writes;
 * the writes are committed by the engine together with the step's status transition, atomically.
 */
export interface EmulatedResources {
  get(identifier: string): Promise<StoredResource | undefined>;
  list(afterIdentifier: string | undefined, limit: number): Promise<StoredResource[]>;
  create(identifier: string, model: ResourceModel): void;
  update(identifier: string, model: ResourceModel): void;
  delete(identifier: string): void;
}

export interface HandlerContext {
  resourceType: ResourceType;
  scope: Scope;
  resources: EmulatedResources;
  clock: Clock;
  ids: IdSource;
  /** Aborted when the step's time budget runs out; I/O should stop then. */
  signal?: AbortSignal;
  log?: Logger;
}

export type Handler = (request: HandlerRequest, context: HandlerContext) => Promise<HandlerProgressEvent>;

export interface ResourceProvider {
  /**
   * Code ccapi did not write (a custom type's handler module): its answers are checked more strictly (the
   * returned model against the schema, callbackContext serializable) and a contract violation is logged.
   */
  untrusted?: boolean;
  create: Handler;
  read: Handler;
  update: Handler;
  delete: Handler;
  list: Handler;
}

/** Chooses the provider for a type: a custom type's own handlers, else the generic emulator. */
export interface ProviderResolver {
  providerFor(resourceType: ResourceType): ResourceProvider;
}

/** The request fields every handler call has: what, on which type, for whom, under which token. */
export function handlerRequest(action: HandlerAction, typeName: string, scope: { accountId: string; region: string }, clientRequestToken: string): HandlerRequest {
  return { action, typeName, awsAccountId: scope.accountId, region: scope.region, awsPartition: partitionOf(scope.region), clientRequestToken };
}

export function partitionOf(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  if (region.startsWith('us-iso-')) return 'aws-iso';
  if (region.startsWith('us-isob-')) return 'aws-iso-b';
  return 'aws';
}
