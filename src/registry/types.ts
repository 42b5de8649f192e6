/**
 * What a resource type is, whatever catalogue it came from: a CloudFormation resource schema
 * (the registry format), plus where it came from. Built-in types are generated from
 * @aws-cdk/aws-service-spec into this same format at build time, so everything downstream
 * (validation, identifiers, patch rules) is written once against the registry format.
 */
import type { SchemaHandlerKey } from '../domain/vocabulary.js';

/** A JSON Schema (draft-07) fragment as CloudFormation schemas use it. Left open on purpose. */
export type JsonSchema = { [keyword: string]: unknown };

export interface HandlerDefinition {
  permissions?: string[];
  timeoutInMinutes?: number;
  handlerSchema?: JsonSchema;
}

/** A CloudFormation resource schema (provider.definition.schema.v1), the fields ccapi uses. */
export interface ResourceSchema {
  typeName: string;
  description?: string;
  properties: Record<string, JsonSchema>;
  definitions?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean;
  /** JSON pointers such as "/properties/QueueUrl"; compound identifiers have several. */
  primaryIdentifier: string[];
  additionalIdentifiers?: string[][];
  readOnlyProperties?: string[];
  createOnlyProperties?: string[];
  writeOnlyProperties?: string[];
  handlers?: Partial<Record<SchemaHandlerKey, HandlerDefinition>>;
  tagging?: { taggable?: boolean; tagProperty?: string; [key: string]: unknown };
  /** ccapi extension: ARN template such as "arn:${Partition}:sqs:${Region}:${Account}:${QueueName}". */
  'x-ccapi-arnTemplate'?: string;
  [keyword: string]: unknown;
}

export type CatalogueSource = 'aws-service-spec' | 'registry' | 'custom';

export interface ResourceType {
  readonly typeName: string;
  readonly schema: ResourceSchema;
  readonly source: CatalogueSource;
  /** Where the definition came from, for people: "@aws-cdk/aws-service-spec@0.1.216", a zip or folder path. */
  readonly origin?: string;
  /** The schema exactly as published, when it was read from a file (DescribeType returns these bytes). */
  readonly schemaText?: string;
  /**
   * Validates a resource model against the schema. Returns AWS-worded violations
   * (e.g. "#: extraneous key [Tags] is not permitted"); an empty list means valid.
   * Compiled on first use and cached, per top-level property as models first carry it.
   */
  validate(model: unknown): string[];
  /**
   * Validates a ListResources ResourceModel (undefined counts as {}) against `handlers.list.handlerSchema`, with
   * its refs resolved against this schema. Everit-worded violations ("#: required key [ClusterName] not found");
   * listModelError() turns them into AWS's InvalidRequestException text. Present only when the type declares a
   * handlerSchema; compiled on first call.
   */
  validateListModel?(model: unknown): string[];
  /** The top-level properties the list handlerSchema declares: what ListResources can filter by. */
  readonly listModelProperties?: string[];
  /** A copy of the model with the schema's defaults filled in for absent properties, as handlers return on read. */
  applyDefaults<T>(model: T): T;
  /** Whether the type declares the handler. Built-in types declare all five. */
  hasHandler(handler: SchemaHandlerKey): boolean;
}

export interface TypeCatalogue {
  /** Number of types known (without loading any of them). */
  readonly size: number;
  has(typeName: string): boolean;
  /** Loads (on first use) and returns the type, or undefined when unknown. */
  get(typeName: string): ResourceType | undefined;
  typeNames(): string[];
}
