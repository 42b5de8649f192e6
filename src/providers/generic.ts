/**
 * The generic emulated provider: one implementation of the five handlers that serves every type with a
 * schema. It keeps resources in the engine's emulated store, fills in what AWS would generate
 * (identifiers, names, ARNs, read-only attributes), and answers as the handler contract requires:
 * AlreadyExists on a taken identifier, NotFound for missing resources, SUCCESS without a model on delete.
 */
import { describeIdentifier, primaryIdentifierOf } from '../registry/identifiers.js';
import { getAt, hasAt, propertyTokens, setAt } from '../registry/pointers.js';
import type { ResourceType } from '../registry/types.js';
import type { HandlerContext, HandlerProgressEvent, HandlerRequest, ResourceModel, ResourceProvider } from './contract.js';
import { derivationOrder, generateString, physicalNameFor, type RealismContext } from './realism.js';

const DEFAULT_LIST_PAGE = 100;

function realism(request: HandlerRequest, context: HandlerContext): RealismContext {
  return {
    typeName: request.typeName,
    accountId: request.awsAccountId,
    region: request.region,
    partition: request.awsPartition,
    ids: context.ids,
    now: context.clock.now(),
  };
}

function schemaAt(type: ResourceType, pointer: string): Record<string, unknown> | undefined {
  const tokens = propertyTokens(pointer);
  if (tokens.length !== 1) return undefined;
  return type.schema.properties[tokens[0]!] as Record<string, unknown> | undefined;
}

function typeOf(schema: Record<string, unknown> | undefined): string | undefined {
  const t = schema?.type;
  return Array.isArray(t) ? (t[0] as string) : (t as string | undefined);
}

/** A generated value for a top-level attribute, by its schema type; undefined to leave it absent. */
function generateAttribute(name: string, type: ResourceType, rc: RealismContext, model: ResourceModel): unknown {
  const schema = type.schema.properties[name] as Record<string, unknown> | undefined;
  switch (typeOf(schema)) {
    case 'string':
      return generateString(name, rc, model, type.schema['x-ccapi-arnTemplate']);
    case 'integer':
    case 'number':
      return 1;
    case 'boolean':
      return false;
    case 'array':
      return [];
    default:
      // Objects and $refs (nested read-only structures) are left absent rather than invented.
      return schema && '$ref' in schema ? undefined : generateString(name, rc, model, type.schema['x-ccapi-arnTemplate']);
  }
}

/**
 * Completes a desired model the way AWS would on create: missing identifier parts and the type's own
 * name property get generated values, then every top-level read-only attribute is filled in.
 */
export function completeModel(type: ResourceType, desired: ResourceModel, rc: RealismContext): ResourceModel {
  const model = structuredClone(desired);
  const readOnly = new Set(type.schema.readOnlyProperties ?? []);
  const ownName = `${type.typeName.split('::')[2]}Name`;
  for (const pointer of type.schema.primaryIdentifier) {
    const tokens = propertyTokens(pointer);
    if (readOnly.has(pointer) || hasAt(model, tokens)) continue;
    const name = tokens[tokens.length - 1]!;
    const schema = schemaAt(type, pointer);
    setAt(model, tokens, typeOf(schema) === 'integer' ? 1 : name.endsWith('Name') ? physicalNameFor(rc, model) : generateString(name, rc, model));
  }
  if (ownName in type.schema.properties && !(ownName in model) && !readOnly.has(`/properties/${ownName}`)) {
    model[ownName] = physicalNameFor(rc, model);
  }
  const attributes = [...readOnly].map(propertyTokens).filter((t) => t.length === 1).map((t) => t[0]!);
  for (const name of derivationOrder(attributes)) {
    const value = generateAttribute(name, type, rc, model);
    if (value !== undefined) model[name] = value;
  }
  return model;
}

/** Keeps the read-only values of `current` on an updated model (they are stripped from the patch base). */
function carryReadOnly(type: ResourceType, desired: ResourceModel, current: ResourceModel): ResourceModel {
  const model = structuredClone(desired);
  for (const pointer of type.schema.readOnlyProperties ?? []) {
    const tokens = propertyTokens(pointer);
    if (hasAt(current, tokens)) setAt(model, tokens, structuredClone(getAt(current, tokens)));
  }
  return model;
}

const notFound = (request: HandlerRequest, type: ResourceType, identifier: string | undefined): HandlerProgressEvent => ({
  status: 'FAILED',
  errorCode: 'NotFound',
  message: `Resource of type '${request.typeName}' with identifier '${
    identifier === undefined ? JSON.stringify(request.desiredResourceState ?? {}) : describeIdentifier(type, identifier)
  }' was not found.`,
});

/** The primary identifier of the request's model; absent when the caller named a resource that cannot exist. */
function identifierOf(type: ResourceType, request: HandlerRequest): string | undefined {
  return primaryIdentifierOf(type, request.desiredResourceState ?? {});
}

function matchesFilter(model: ResourceModel, filter: ResourceModel | undefined): boolean {
  if (!filter) return true;
  return Object.entries(filter).every(([key, value]) => JSON.stringify(model[key]) === JSON.stringify(value));
}

export const genericProvider: ResourceProvider = {
  async create(request, context) {
    const type = context.resourceType;
    const model = completeModel(type, request.desiredResourceState ?? {}, realism(request, context));
    const identifier = primaryIdentifierOf(type, model);
    if (identifier === undefined) throw new Error(`Could not derive a primary identifier for ${type.typeName}`);
    if (await context.resources.get(identifier)) {
      return {
        status: 'FAILED',
        errorCode: 'AlreadyExists',
        message: `Resource of type '${request.typeName}' with identifier '${describeIdentifier(type, identifier)}' already exists.`,
        resourceModel: model,
      };
    }
    context.resources.create(identifier, model);
    return { status: 'SUCCESS', resourceModel: model };
  },

  async read(request, context) {
    const identifier = identifierOf(context.resourceType, request);
    const stored = identifier === undefined ? undefined : await context.resources.get(identifier);
    if (!stored) return notFound(request, context.resourceType, identifier);
    return { status: 'SUCCESS', resourceModel: JSON.parse(stored.properties) as ResourceModel };
  },

  async update(request, context) {
    const type = context.resourceType;
    const identifier = identifierOf(type, request);
    const stored = identifier === undefined ? undefined : await context.resources.get(identifier);
    if (!stored || identifier === undefined) return notFound(request, type, identifier);
    const model = carryReadOnly(type, request.desiredResourceState ?? {}, JSON.parse(stored.properties) as ResourceModel);
    context.resources.update(identifier, model);
    return { status: 'SUCCESS', resourceModel: model };
  },

  async delete(request, context) {
    const identifier = identifierOf(context.resourceType, request);
    if (identifier === undefined || !(await context.resources.get(identifier))) return notFound(request, context.resourceType, identifier);
    context.resources.delete(identifier);
    return { status: 'SUCCESS' };
  },

  async list(request, context) {
    const limit = request.maxResults ?? DEFAULT_LIST_PAGE;
    const filter = request.desiredResourceState;
    const models: ResourceModel[] = [];
    let cursor = request.nextToken;
    // Scan in pages until the page is full or the type is exhausted; the token is the last identifier seen.
    for (;;) {
      const batch = await context.resources.list(cursor, limit);
      for (const resource of batch) {
        cursor = resource.identifier;
        const model = JSON.parse(resource.properties) as ResourceModel;
        if (matchesFilter(model, filter)) models.push(model);
        if (models.length === limit) break;
      }
      if (models.length === limit) {
        const more = (await context.resources.list(cursor, 1)).length > 0;
        return more ? { status: 'SUCCESS', resourceModels: models, nextToken: cursor! } : { status: 'SUCCESS', resourceModels: models };
      }
      if (batch.length < limit) return { status: 'SUCCESS', resourceModels: models };
    }
  },
};
