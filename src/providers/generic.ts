/**
 * The generic emulated provider: one implementation of the five handlers that serves every type with a
 * schema. It keeps resources in the engine's emulated store, fills in what AWS would generate
 * (identifiers, names, ARNs, read-only attributes), and answers as the handler contract requires:
 * AlreadyExists on a taken identifier, NotFound for missing resources, SUCCESS without a model on delete.
 */
import { describeIdentifier, primaryIdentifierOf } from '../registry/identifiers.js';
import { getAt, hasAt, propertyTokens, setAt } from '../registry/pointers.js';
import type { ResourceType } from '../registry/types.js';
import { indexedPaths } from '../registry/relationships.js';
import { isIndexable } from '../store/store.js';
import { LIST_PAGE_BYTES, resourceBytes, type HandlerContext, type HandlerProgressEvent, type HandlerRequest, type ResourceModel, type ResourceProvider } from './contract.js';
import { conformNumber, conformString, conformStringRule, hasMeaningfulPattern, resolveSchema, typeOf } from './conform.js';
import { derivationOrder, generateString, physicalNameFor, type Generated, type Provenance, type RealismContext } from './realism.js';
import { formatOf } from './formats/catalogue.js';
import { applyFormatDefaults, formAttributes, generatedName } from './formats/apply.js';
import type { TypeFormat } from './formats/format.js';
import { referenceFailure } from './references/hook.js';
import { checkCreate, refuseDelete, type RuleContext } from './rules/index.js';

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

/** A top-level property's schema, with `$ref`s followed. */
function propertySchema(type: ResourceType, name: string): Record<string, unknown> | undefined {
  return resolveSchema(type, type.schema.properties[name] as Record<string, unknown> | undefined);
}

/** The schema at a property path, following `$ref`s and nested `properties`. */
function nestedSchema(type: ResourceType, tokens: string[]): Record<string, unknown> | undefined {
  let schema = propertySchema(type, tokens[0]!);
  for (const token of tokens.slice(1)) {
    const properties = schema?.properties as Record<string, Record<string, unknown>> | undefined;
    schema = resolveSchema(type, properties?.[token]);
  }
  return schema;
}

/** Properties that hold the caller's own account id, which AWS never makes up. */
const ACCOUNT_PROPERTIES = new Set(['AwsAccountId', 'AccountId', 'OwnerAccountId']);

/**
 * An owner the schema's documentation says is an account (EC2 OwnerId "The ID of the AWS account that created
 * ...", Route53Resolver OwnerId "AccountId", WellArchitected Lens Owner "The Amazon Web Services account ID that
 * owns the lens"): this account, since the caller created it.
 */
function namesAccount(name: string, schema: Record<string, unknown> | undefined): boolean {
  if (ACCOUNT_PROPERTIES.has(name)) return true;
  return /^(Resource)?Owner(Id)?$/.test(name) && /account/i.test(String(schema?.description ?? ''));
}

/** A region attribute (Connect LastModifiedRegion, NimbleStudio HomeRegion): the region the resource was created in. */
function namesRegion(name: string): boolean {
  return /(^|Modified|Home|AwsAccount)Region$/.test(name);
}

/** The primary identifier to end the type's own ARN with, when it is known and is not that ARN. */
function identifierForArn(type: ResourceType, model: ResourceModel, attribute: string): string | undefined {
  const parts = type.schema.primaryIdentifier.map(propertyTokens);
  if (parts.some((tokens) => tokens.length !== 1 || tokens[0] === attribute)) return undefined;
  const values = parts.map((tokens) => model[tokens[0]!]);
  return values.every((v) => typeof v === 'string' || typeof v === 'number') ? values.join('|') : undefined;
}

interface Formed {
  value: unknown;
  rule: Provenance;
}

/**
 * A generated value for a top-level property, by its schema type and constrained to fit its schema, with how
 * it was formed; undefined to leave it absent (objects: nested read-only structures are not invented).
 */
function generateValue(name: string, type: ResourceType, rc: RealismContext, model: ResourceModel, asName = false, format?: TypeFormat): Formed | undefined {
  const schema = propertySchema(type, name);
  if (asName && format?.name?.property === name) return { value: conformString(schema, generatedName(type.typeName, format.name, rc, model)), rule: 'cited' };
  switch (typeOf(schema)) {
    // Numbers and booleans follow the schema (its bounds, false): not AWS's value, but no invented string.
    case 'integer':
      return { value: conformNumber(schema, true), rule: 'derived' };
    case 'number':
      return { value: conformNumber(schema, false), rule: 'derived' };
    case 'boolean':
      return { value: false, rule: 'derived' };
    case 'array':
      return { value: [], rule: 'derived' };
    case 'object':
      return undefined;
    default: {
      const candidate: Generated = namesAccount(name, schema)
        ? { value: rc.accountId, rule: 'derived' }
        : namesRegion(name)
          ? { value: rc.region, rule: 'derived' }
        : asName
          ? { value: physicalNameFor(rc, model), rule: 'derived' }
          : generateString(name, rc, model, type.schema['x-ccapi-arnTemplate'], identifierForArn(type, model, name));
      const conformed = conformStringRule(schema, candidate.value);
      // An id that fits a pattern which pins its shape (e.g. `^[a-z0-9]{10}$`) has the service's shape; an ARN
      // with an invented resource name does not become real by fitting `^arn:.*`.
      const shaped = conformed.fromSchema || (!/Arn$/.test(name) && hasMeaningfulPattern(schema));
      return { value: conformed.value, rule: shaped ? 'derived' : candidate.rule };
    }
  }
}

/** The model with the type's curated defaults (formats/), then the schema's `default`s, filled in where absent. */
function withDefaults(type: ResourceType, desired: ResourceModel, rc: RealismContext): ResourceModel {
  const format = formatOf(type.typeName);
  const curated = structuredClone(desired);
  if (format) applyFormatDefaults(format, rc, curated);
  return type.applyDefaults(curated);
}

/**
 * Completes a desired model the way AWS would on create: the type's curated defaults (formats/) and the
 * schema's `default`s, then missing identifier parts and the type's own name property get generated values,
 * then every top-level read-only attribute is filled in: by the type's format where it has one, else guessed.
 * `provenance`, when given, learns how each generated top-level value was formed (the realism report).
 */
export function completeModel(type: ResourceType, desired: ResourceModel, rc: RealismContext, provenance?: Map<string, Provenance>): ResourceModel {
  const format = formatOf(type.typeName);
  // Defaults are filled in as AWS's handlers do: a later read shows them.
  const model = withDefaults(type, desired, rc);
  const readOnly = new Set(type.schema.readOnlyProperties ?? []);
  const ownName = `${type.typeName.split('::')[2]}Name`;
  const put = (name: string, formed: Formed | undefined) => {
    if (formed === undefined) return;
    model[name] = formed.value;
    provenance?.set(name, formed.rule);
  };
  for (const pointer of type.schema.primaryIdentifier) {
    const tokens = propertyTokens(pointer);
    if (readOnly.has(pointer) || hasAt(model, tokens)) continue;
    const name = tokens[tokens.length - 1]!;
    if (tokens.length === 1) {
      put(name, generateValue(name, type, rc, model, name.endsWith('Name') || format?.name?.property === name, format));
    } else {
      // A nested identifier part, e.g. QuickSight RefreshSchedule's /properties/Schedule/ScheduleId.
      const schema = nestedSchema(type, tokens);
      const candidate = name.endsWith('Name') ? physicalNameFor(rc, model) : generateString(name, rc, model).value;
      setAt(model, tokens, typeOf(schema) === 'integer' || typeOf(schema) === 'number' ? conformNumber(schema, true) : conformString(schema, candidate));
    }
  }
  const nameProperty = format?.name?.property ?? ownName;
  if (nameProperty in type.schema.properties && !(nameProperty in model) && !readOnly.has(`/properties/${nameProperty}`)) {
    put(nameProperty, generateValue(nameProperty, type, rc, model, true, format));
  }
  // The type's own rules first; the generic guesses only fill what they leave.
  const formed = format ? formAttributes(format, rc, model, type.schema.properties) : new Set<string>();
  // A path the format leaves absent (AWS returns nothing there) is decided too: not guessed, not cited.
  for (const path of formed) if (hasAt(model, path.split('.'))) provenance?.set(path, 'cited');
  const attributes = [...readOnly].map(propertyTokens).filter((t) => t.length === 1).map((t) => t[0]!);
  for (const name of derivationOrder(attributes)) {
    if (formed.has(name)) continue;
    put(name, generateValue(name, type, rc, model));
  }
  return model;
}

/**
 * What an update keeps from the current resource: read-only values (stripped from the patch base), and
 * write-only values the patch did not set (a real service keeps a password nobody changed; Cloud Control's
 * patch base never contains them).
 */
function carryOver(type: ResourceType, desired: ResourceModel, current: ResourceModel): ResourceModel {
  const model = structuredClone(desired);
  for (const pointer of type.schema.readOnlyProperties ?? []) {
    const tokens = propertyTokens(pointer);
    if (hasAt(current, tokens)) setAt(model, tokens, structuredClone(getAt(current, tokens)));
  }
  for (const pointer of type.schema.writeOnlyProperties ?? []) {
    const tokens = propertyTokens(pointer);
    if (!hasAt(model, tokens) && hasAt(current, tokens)) setAt(model, tokens, structuredClone(getAt(current, tokens)));
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

/** What the service rules (rules/) read: other resources of the caller's account and Region, through the index. */
const rulesContext = (request: HandlerRequest, context: HandlerContext): RuleContext => ({ lookups: context.resources, ids: context.ids, region: request.region, accountId: request.awsAccountId });

/** The primary identifier of the request's model; absent when the caller named a resource that cannot exist. */
function identifierOf(type: ResourceType, request: HandlerRequest): string | undefined {
  return primaryIdentifierOf(type, request.desiredResourceState ?? {});
}

/**
 * Which model property each ListResources filter key stands for. The list handlerSchema names its keys
 * and points each at a resource property: APS::AnomalyDetector's list key `Arn` is
 * `{"$ref": "resource-schema.json#/properties/Workspace"}`, i.e. the parent workspace, not its own Arn.
 */
function filterTargets(type: ResourceType): Map<string, string> {
  const targets = new Map<string, string>();
  const properties = type.schema.handlers?.list?.handlerSchema?.properties as Record<string, { $ref?: unknown }> | undefined;
  for (const [key, schema] of Object.entries(properties ?? {})) {
    const match = typeof schema?.$ref === 'string' ? /#\/properties\/([^/]+)$/.exec(schema.$ref) : null;
    targets.set(key, match ? match[1]! : key);
  }
  return targets;
}

function matchesFilter(model: ResourceModel, filter: ResourceModel | undefined, targets: Map<string, string>): boolean {
  if (!filter) return true;
  return Object.entries(filter).every(([key, value]) => JSON.stringify(model[targets.get(key) ?? key]) === JSON.stringify(value));
}

type CandidateSource = { kind: 'identifier'; identifier: string } | { kind: 'index'; path: string; value: string } | { kind: 'scan' };

/**
 * How a list filter is served without reading every resource of the type (issue #17): by the primary identifier
 * when the filter gives all of its properties (a single read), else by the first filter property the resource
 * index holds (registry/relationships.ts indexedPaths: additionalIdentifiers, list-handler required properties,
 * relationships) with a scalar value, as index-values.ts stores it. The filter is still applied whole to each
 * candidate. Any other filter scans the type, as before.
 */
function candidateSource(type: ResourceType, filter: ResourceModel | undefined, targets: Map<string, string>): CandidateSource {
  if (!filter || Object.keys(filter).length === 0) return { kind: 'scan' };
  const named = new Map(Object.entries(filter).map(([key, value]) => [targets.get(key) ?? key, value]));
  const primary = type.schema.primaryIdentifier.map((pointer) => pointer.replace(/^\/properties\//, ''));
  const primaryValues = primary.map((property) => scalarOf(named.get(property)));
  if (primary.every((property) => !property.includes('/')) && primaryValues.every((v) => v !== undefined)) {
    const identifier = primaryIdentifierOf(type, Object.fromEntries(primary.map((property) => [property, named.get(property)])));
    if (identifier !== undefined) return { kind: 'identifier', identifier };
  }
  const indexed = schemaIndexedPaths(type);
  for (const [property, value] of named) {
    const text = scalarOf(value);
    if (indexed.has(property) && text !== undefined && isIndexable(text)) return { kind: 'index', path: property, value: text };
  }
  return { kind: 'scan' };
}

/**
 * The paths every resource of the type is indexed under whatever the catalogue (registry/relationships.ts
 * indexedPaths takes them from the schema alone): its additionalIdentifiers and its list handler's required
 * properties, the ones ListResources filters and secondary-identifier lookups name.
 */
function schemaIndexedPaths(type: ResourceType): Set<string> {
  const all = new Set(indexedPaths(type));
  const fromSchema = new Set<string>();
  for (const set of type.schema.additionalIdentifiers ?? []) for (const pointer of set) fromSchema.add(pointer.replace(/^\/properties\//, ''));
  const required = type.schema.handlers?.list?.handlerSchema?.required;
  if (Array.isArray(required)) for (const name of required) if (typeof name === 'string') fromSchema.add(name);
  return new Set([...fromSchema].filter((path) => all.has(path)));
}

/** A filter value as the resource index holds it: strings as they are, numbers and booleans as JSON text. */
function scalarOf(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return JSON.stringify(value);
  return undefined;
}

export const genericProvider: ResourceProvider = {
  async create(request, context) {
    const type = context.resourceType;
    const model = completeModel(type, request.desiredResourceState ?? {}, realism(request, context));
    const identifier = primaryIdentifierOf(type, model);
    if (identifier === undefined) throw new Error(`Could not derive a primary identifier for ${type.typeName}`);
    const broken = await referenceFailure(request, context, request.desiredResourceState ?? {});
    if (broken) return broken;
    if (await context.resources.get(identifier)) {
      return {
        status: 'FAILED',
        errorCode: 'AlreadyExists',
        message: `Resource of type '${request.typeName}' with identifier '${describeIdentifier(type, identifier)}' already exists.`,
        resourceModel: model,
      };
    }
    const refused = await checkCreate(request.typeName, model, rulesContext(request, context));
    if (refused) return refused;
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
    const current = JSON.parse(stored.properties) as ResourceModel;
    const broken = await referenceFailure(request, context, request.desiredResourceState ?? {}, current);
    if (broken) return broken;
    // A property the update leaves out reads back as the service's default, as after a create (an SQS queue
    // whose VisibilityTimeout is removed reads 30 again).
    const desired = withDefaults(type, request.desiredResourceState ?? {}, realism(request, context));
    const model = carryOver(type, desired, current);
    context.resources.update(identifier, model);
    return { status: 'SUCCESS', resourceModel: model };
  },

  async delete(request, context) {
    const identifier = identifierOf(context.resourceType, request);
    const stored = identifier === undefined ? undefined : await context.resources.get(identifier);
    if (identifier === undefined || !stored) return notFound(request, context.resourceType, identifier);
    const refused = await refuseDelete(request.typeName, identifier, JSON.parse(stored.properties) as ResourceModel, rulesContext(request, context));
    if (refused) return refused;
    context.resources.delete(identifier);
    return { status: 'SUCCESS' };
  },

  async list(request, context) {
    const limit = request.maxResults ?? DEFAULT_LIST_PAGE;
    const budget = context.listPageBytes ?? LIST_PAGE_BYTES;
    const filter = request.desiredResourceState;
    const type = context.resourceType;
    const targets = filterTargets(type);
    const models: ResourceModel[] = [];
    let bytes = 0;
    let cursor = request.nextToken;
    // Where the candidates come from (issue #17): a filter naming the whole primary identifier is one read; one
    // naming an indexed property walks that value's index entries; only other filters walk the whole type.
    const source = candidateSource(type, filter, targets);
    if (source.kind === 'identifier') {
      if (cursor !== undefined && cursor >= source.identifier) return { status: 'SUCCESS', resourceModels: [] };
      const resource = await context.resources.get(source.identifier);
      const model = resource && (JSON.parse(resource.properties) as ResourceModel);
      return { status: 'SUCCESS', resourceModels: model && matchesFilter(model, filter, targets) ? [model] : [] };
    }
    const lookup = source.kind === 'index' ? context.resources.ofType(type.typeName) : undefined;
    // Index entries are read `limit` at a time, rows whole (at most `limit` rows past the page's byte budget);
    // the type's rows are read in batches of at most the bytes the page has left (or one resource), so rows past
    // the budget are never read: a short batch may mean "the next one is too big", not "no more".
    const next = (after: string | undefined, count: number, maxBytes: number) =>
      lookup && source.kind === 'index' ? lookup.findBy(source.path, source.value, count, after) : context.resources.list(after, count, maxBytes);
    // Scan in batches until the page is full (by count or by bytes) or the candidates are exhausted; the token is
    // the last identifier the page covers.
    for (;;) {
      const batch = await next(cursor, limit, Math.max(0, budget - bytes));
      if (batch.length === 0) return { status: 'SUCCESS', resourceModels: models };
      for (const resource of batch) {
        const model = JSON.parse(resource.properties) as ResourceModel;
        if (matchesFilter(model, filter, targets)) {
          const size = resourceBytes(resource);
          // Ends before the resource that would pass the budget; it starts the next page.
          if (models.length > 0 && bytes + size > budget) return { status: 'SUCCESS', resourceModels: models, nextToken: cursor! };
          models.push(model);
          bytes += size;
        }
        cursor = resource.identifier;
        if (models.length === limit) {
          const more = (await next(cursor, 1, 0)).length > 0;
          return more ? { status: 'SUCCESS', resourceModels: models, nextToken: cursor } : { status: 'SUCCESS', resourceModels: models };
        }
      }
    }
  },

};
