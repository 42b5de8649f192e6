/**
 * The CloudFormation resource handler contract, as ccapi drives it. A provider implements five handlers;
 * create/update/delete may return IN_PROGRESS with a callbackContext and a delay, and are invoked again
 * with that context until they return SUCCESS or FAILED. Read and list answer in one step.
 */
import type { Clock } from '../lib/clock.js';
import type { IdSource } from '../lib/ids.js';
import type { Logger } from '../lib/logger.js';
import type { HandlerAction, HandlerErrorCode } from '../domain/vocabulary.js';
import type { ResourceType } from '../registry/types.js';
import { partitionOf } from '../domain/partition.js';
import type { Scope } from '../domain/records.js';
import type { StoredResource } from '../store/store.js';

export type ResourceModel = Record<string, unknown>;

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
  /** In identifier order; with `maxBytes`, ends before the resource that would pass it (the first always comes), as Store.listResources. */
  list(afterIdentifier: string | undefined, limit: number, maxBytes?: number): Promise<StoredResource[]>;
  create(identifier: string, model: ResourceModel): void;
  update(identifier: string, model: ResourceModel): void;
  delete(identifier: string): void;
  /** Another type's resources in this scope, read-only, seeing this step's own writes. */
  ofType(typeName: string): ResourceLookup;
}

/** Read-only access to one type's emulated resources (issues #15, #17): by identifier, or through the resource index. */
export interface ResourceLookup {
  get(identifier: string): Promise<StoredResource | undefined>;
  /** Resources whose indexed `path` holds `value`; only paths in indexedPaths(type). */
  findBy(path: string, value: string, limit: number): Promise<StoredResource[]>;
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
  /** LIST: the most bytes a page's resources may hold (LIST_PAGE_BYTES unless a test says otherwise). */
  listPageBytes?: number;
}

/**
 * The byte budget of one ListResources page: the UTF-8 bytes of its descriptions' Identifier and Properties.
 * A page ends early (with a NextToken) before the item that would pass it, and always holds at least one item.
 * 1 MiB matches the request body limit (--body-limit): a page is no bigger than the largest call ccapi accepts,
 * 4 models at the 256 KiB DesiredState limit, or 100 models of 10 KiB, so ordinary pages are not cut, while 32
 * concurrent pages of the largest models cost tens of MB instead of the 25 MB each that 100 such models made.
 * AWS documents no byte limit on ListResources; its handlers page by their own services' limits.
 */
export const LIST_PAGE_BYTES = 1024 * 1024;

/** What one resource costs a page: the UTF-8 bytes of its identifier and properties (as the stores count them). */
export function resourceBytes(resource: { identifier: string; properties: string }): number {
  return Buffer.byteLength(resource.identifier) + Buffer.byteLength(resource.properties);
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
