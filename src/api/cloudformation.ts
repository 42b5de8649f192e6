/**
 * The CloudFormation registry type API that Cloud Control's clients call beside it (terraform-provider-aws
 * `aws_cloudcontrolapi_resource` and cdkd call DescribeType for the schema): DescribeType and ListTypes over
 * the server's catalogue. Semantics only; the query protocol reads the input and renders what this returns.
 *
 * Every catalogued type is presented as a public type published by AWS, version 00000001, activated and live.
 * ListTypes stays cheap: the sorted name list is kept per catalogue, and the facts a summary needs
 * (description, provisioning type) are computed once per type, on the first call that needs them.
 */
import { commonQueryError } from '../protocol/errors.js';
import {
  typeNotFound,
  type DescribeTypeInput,
  type DescribeTypeOutput,
  type ListTypesInput,
  type ListTypesOutput,
  type ProvisioningType,
  type TypeSummary,
} from '../protocol/cloudformation.js';
import { partitionOf } from '../domain/partition.js';
import { parseTypeArn, typeArn } from './type-arn.js';
import type { ResourceType, TypeCatalogue } from '../registry/types.js';
import type { ApiContext } from './context.js';
import type { Caller } from '../domain/caller.js';

/** The version every catalogued type has: AWS numbers registered versions 00000001, 00000002, … */
export const DEFAULT_VERSION_ID = '00000001';
/** ListTypes' page size when MaxResults is not given (AWS does not document one; 100 is the model's maximum). */
export const DEFAULT_LIST_TYPES_PAGE = 100;

// ---------------------------------------------------------------------------------------------------------
// Facts about a type, computed once

interface TypeFacts {
  /** Published by AWS (built-in and registry-bundle types) rather than a third party (custom types). */
  awsPublished: boolean;
  description: string | undefined;
  provisioningType: ProvisioningType;
  sourceUrl: string | undefined;
  documentationUrl: string | undefined;
}

const factsByType = new WeakMap<ResourceType, TypeFacts>();
/** The schema as JSON text, made on the first DescribeType of the type (and gone with the type). */
const schemaTextByType = new WeakMap<ResourceType, string>();

/** FULLY_MUTABLE with create, read, update and delete; IMMUTABLE without update; NON_PROVISIONABLE without create, read or delete. */
export function provisioningTypeOf(type: Pick<ResourceType, 'hasHandler'>): ProvisioningType {
  if (!type.hasHandler('create') || !type.hasHandler('read') || !type.hasHandler('delete')) return 'NON_PROVISIONABLE';
  return type.hasHandler('update') ? 'FULLY_MUTABLE' : 'IMMUTABLE';
}

const nonEmptyString = (value: unknown): string | undefined => (typeof value === 'string' && value.length > 0 ? value : undefined);

function factsOf(type: ResourceType): TypeFacts {
  let facts = factsByType.get(type);
  if (!facts) {
    facts = {
      awsPublished: type.source !== 'custom',
      description: nonEmptyString(type.schema.description),
      provisioningType: provisioningTypeOf(type),
      sourceUrl: nonEmptyString(type.schema.sourceUrl),
      documentationUrl: nonEmptyString(type.schema.documentationUrl),
    };
    factsByType.set(type, facts);
  }
  return facts;
}

/** The schema as the registry would hand it out: ccapi's own `x-ccapi-*` annotations are not part of it. */
export function schemaText(type: ResourceType): string {
  if (type.schemaText !== undefined) return type.schemaText;
  let text = schemaTextByType.get(type);
  if (text === undefined) {
    const schema = type.schema;
    const own = Object.keys(schema).some((key) => key.startsWith('x-ccapi-'));
    text = JSON.stringify(own ? Object.fromEntries(Object.entries(schema).filter(([key]) => !key.startsWith('x-ccapi-'))) : schema);
    schemaTextByType.set(type, text);
  }
  return text;
}

interface CatalogueState {
  /** The catalogue size the names were listed at; -1 before the first listing. */
  size: number;
  names: string[];
  /**
   * A listing's view of each name: its facts, or null when the catalogue has no such type. Kept by name so
   * that a listing does not look every type up again (a layered catalogue's get() walks its layers).
   */
  listed: Map<string, TypeFacts | null>;
  /** When the catalogue's types were "registered": first use in this process. */
  registeredAt: Date;
}

const stateByCatalogue = new WeakMap<TypeCatalogue, CatalogueState>();

function catalogueState(ctx: Pick<ApiContext, 'catalogue' | 'clock'>): CatalogueState {
  let state = stateByCatalogue.get(ctx.catalogue);
  if (!state) {
    state = { size: -1, names: [], listed: new Map(), registeredAt: new Date(ctx.clock.now()) };
    stateByCatalogue.set(ctx.catalogue, state);
  }
  return state;
}

/**
 * The sorted type names, listed again only when the catalogue's size changes. Only ListTypes asks: listing
 * a registry bundle's names parses every file once, which DescribeType must not pay for.
 */
function listedNames(ctx: Pick<ApiContext, 'catalogue' | 'clock'>, state: CatalogueState): readonly string[] {
  if (state.size !== ctx.catalogue.size) {
    state.names = [...ctx.catalogue.typeNames()].sort();
    state.listed = new Map();
    state.size = ctx.catalogue.size;
  }
  return state.names;
}

// ---------------------------------------------------------------------------------------------------------
// Operations

function describe(ctx: Pick<ApiContext, 'catalogue' | 'clock'>, caller: Pick<Caller, 'region'>, type: ResourceType): DescribeTypeOutput {
  const facts = factsOf(type);
  const registeredAt = catalogueState(ctx).registeredAt;
  return {
    Arn: typeArn(caller, type.typeName),
    Type: 'RESOURCE',
    TypeName: type.typeName,
    DefaultVersionId: DEFAULT_VERSION_ID,
    IsDefaultVersion: true,
    Description: facts.description,
    Schema: schemaText(type),
    ProvisioningType: facts.provisioningType,
    DeprecatedStatus: 'LIVE',
    Visibility: 'PUBLIC',
    SourceUrl: facts.sourceUrl,
    DocumentationUrl: facts.documentationUrl,
    LastUpdated: registeredAt,
    TimeCreated: registeredAt,
  };
}

/**
 * DescribeType by `Type` + `TypeName` or by `Arn` (with or without the version suffix). Only resource types
 * exist here: a MODULE or HOOK, a private (account) ARN, another region's ARN, a publisher or a version
 * other than 00000001 is a TypeNotFoundException, as a type the registry does not have.
 */
export function describeType(ctx: Pick<ApiContext, 'catalogue' | 'clock'>, caller: Pick<Caller, 'region'>, input: DescribeTypeInput): DescribeTypeOutput {
  const byName = input.TypeName !== undefined || input.Type !== undefined;
  if (input.Arn !== undefined ? byName : !(input.TypeName !== undefined && input.Type !== undefined)) {
    throw commonQueryError('ValidationError', 'You must specify either TypeName and Type, or Arn.');
  }
  let typeName: string;
  let versionId = input.VersionId;
  let shown: string;
  if (input.Arn !== undefined) {
    const arn = parseTypeArn(input.Arn);
    shown = input.Arn;
    if (!arn || arn.registryType !== 'RESOURCE' || arn.account !== undefined || arn.region !== caller.region || arn.partition !== partitionOf(caller.region)) {
      throw typeNotFound(shown);
    }
    if (arn.versionId !== undefined) {
      if (versionId !== undefined && versionId !== arn.versionId) throw typeNotFound(shown);
      versionId = arn.versionId;
    }
    typeName = arn.typeName;
  } else {
    typeName = input.TypeName!;
    shown = typeName;
    if (input.Type !== 'RESOURCE') throw typeNotFound(shown);
  }
  const type = ctx.catalogue.get(typeName);
  if (!type) throw typeNotFound(shown);
  if ((versionId !== undefined && versionId !== DEFAULT_VERSION_ID) || input.PublisherId !== undefined || input.PublicVersionNumber !== undefined) {
    throw typeNotFound(shown);
  }
  return describe(ctx, caller, type);
}

function encodeToken(lastTypeName: string): string {
  return Buffer.from(JSON.stringify({ after: lastTypeName }), 'utf8').toString('base64');
}

function decodeToken(token: string): string {
  try {
    const value = JSON.parse(Buffer.from(token, 'base64').toString('utf8')) as { after?: unknown };
    if (typeof value.after === 'string' && value.after.length > 0) return value.after;
  } catch {
    // fall through
  }
  throw commonQueryError('ValidationError', 'Invalid NextToken');
}

/** First index in sorted `names` whose name is greater than `key` (or, with `orEqual`, not less than it). */
function searchSorted(names: readonly string[], key: string, orEqual = false): number {
  let lo = 0;
  let hi = names.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (names[mid]! < key || (!orEqual && names[mid] === key)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Whether the listing can contain anything at all. Every type here is a public, live RESOURCE, published by
 * AWS (built-in and registry-bundle types, Alexa::ASK::Skill included) or by a third party (custom types),
 * without a publisher id, so:
 * Visibility defaults to PRIVATE (AWS's default), which holds only registered and activated types;
 * REGISTERED and ACTIVATED are private categories; a publisher id matches nothing.
 */
function canMatch(input: ListTypesInput): boolean {
  if ((input.Visibility ?? 'PRIVATE') !== 'PUBLIC') return false;
  if (input.Type !== undefined && input.Type !== 'RESOURCE') return false;
  if (input.DeprecatedStatus !== undefined && input.DeprecatedStatus !== 'LIVE') return false;
  const category = input.Filters?.Category;
  if (category === 'REGISTERED' || category === 'ACTIVATED') return false;
  if (input.Filters?.PublisherId !== undefined) return false;
  return true;
}

/**
 * ListTypes: summaries in type-name order, filtered by the request. ProvisioningType defaults to
 * FULLY_MUTABLE, as AWS documents. The NextToken carries the last type name returned, so a page is found by
 * binary search and only the types a page looks at are loaded.
 */
export function listTypes(ctx: Pick<ApiContext, 'catalogue' | 'clock'>, caller: Pick<Caller, 'region'>, input: ListTypesInput): ListTypesOutput {
  const after = input.NextToken === undefined ? undefined : decodeToken(input.NextToken);
  const limit = input.MaxResults ?? DEFAULT_LIST_TYPES_PAGE;
  if (!canMatch(input)) return { TypeSummaries: [], NextToken: undefined };

  const state = catalogueState(ctx);
  const names = listedNames(ctx, state);
  const prefix = input.Filters?.TypeNamePrefix;
  const category = input.Filters?.Category;
  const wanted = input.ProvisioningType ?? 'FULLY_MUTABLE';

  const matches = (name: string): TypeFacts | undefined => {
    let facts = state.listed.get(name);
    if (facts === undefined) {
      const type = ctx.catalogue.get(name);
      facts = type ? factsOf(type) : null;
      state.listed.set(name, facts);
    }
    if (!facts || facts.provisioningType !== wanted) return undefined;
    if (category === 'AWS_TYPES' && !facts.awsPublished) return undefined;
    if (category === 'THIRD_PARTY' && facts.awsPublished) return undefined;
    return facts;
  };

  const summaries: TypeSummary[] = [];
  let i = after === undefined ? 0 : searchSorted(names, after);
  // Names are sorted, so the names with a prefix are one run starting at the first name >= the prefix.
  if (prefix !== undefined) i = Math.max(i, searchSorted(names, prefix, true));
  let more = false;
  for (; i < names.length; i++) {
    const name = names[i]!;
    if (prefix !== undefined && !name.startsWith(prefix)) break; // past the prefix's run
    const facts = matches(name);
    if (!facts) continue;
    if (summaries.length === limit) {
      more = true;
      break;
    }
    summaries.push({
      Type: 'RESOURCE',
      TypeName: name,
      DefaultVersionId: DEFAULT_VERSION_ID,
      TypeArn: typeArn(caller, name),
      LastUpdated: state.registeredAt,
      Description: facts.description,
    });
  }
  return { TypeSummaries: summaries, NextToken: more ? encodeToken(summaries[summaries.length - 1]!.TypeName) : undefined };
}
