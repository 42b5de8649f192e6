/**
 * Which properties of a type name resources of another type (a Subnet's VpcId names a VPC's VpcId), and which
 * property paths ccapi therefore indexes in the store so that such references are found without a scan.
 *
 * Two sources, united:
 * - the built-in table, generated at build time from @aws-cdk/aws-service-spec's `relationshipRefs`
 *   (scripts/build-catalogue.mjs → dist/catalogue/relationships.json; ~100 KB, read once on first use);
 * - `relationshipRef` keywords in registry schemas (the official bundle, user and custom types), read from the
 *   type's own schema, so a registry type that adds a reference carries it too.
 *
 * Everything is computed on first use and cached (per type, per catalogue): no request does file I/O here.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_CATALOGUE_DIR } from './catalogue.js';
import { EXTRA_INDEXED_PATHS } from './extra-indexed-paths.js';
import type { JsonSchema, ResourceSchema, ResourceType, TypeCatalogue } from './types.js';

/** `path`: a property path in the referencing type's model, '/'-separated, '*' for array elements
 *  ('VpcId', 'SecurityGroupIds/*', 'SecurityGroupIngress/*\/SourceSecurityGroupId'). */
export interface Relationship {
  path: string;
  targetType: string;
  targetProperty: string;
}

export type InboundRelationship = Relationship & { sourceType: string };

type Table = Map<string, readonly Relationship[]>;

// ---------------------------------------------------------------------------------------------------------
// The built-in table

const builtInTables = new Map<string, Table>();

/**
 * The built-in relationships generated into `dir` (dist/catalogue by default). A catalogue built without them
 * (or not built at all) has none: references are then only what registry schemas declare.
 */
export function builtInRelationships(dir: string = DEFAULT_CATALOGUE_DIR): Table {
  let table = builtInTables.get(dir);
  if (table) return table;
  table = new Map();
  const file = join(dir, 'relationships.json');
  if (existsSync(file)) {
    const data = JSON.parse(readFileSync(file, 'utf8')) as { relationships: Record<string, [string, string, string][]> };
    for (const [typeName, rows] of Object.entries(data.relationships)) {
      table.set(typeName, Object.freeze(rows.map(([path, targetType, targetProperty]) => ({ path, targetType, targetProperty }))));
    }
  }
  builtInTables.set(dir, table);
  return table;
}

/** The directory a catalogue's built-in layer was opened from (openBuiltInCatalogue records it). */
function builtInDirOf(catalogue: TypeCatalogue | undefined): string {
  const layers = (catalogue as { layers?: readonly TypeCatalogue[] } | undefined)?.layers ?? (catalogue ? [catalogue] : []);
  for (const layer of layers) {
    const dir = (layer as { catalogueDir?: string }).catalogueDir;
    if (dir !== undefined) return dir;
  }
  return DEFAULT_CATALOGUE_DIR;
}

// ---------------------------------------------------------------------------------------------------------
// relationshipRef in registry schemas

const fromSchemaCache = new WeakMap<ResourceSchema, readonly Relationship[]>();

/**
 * The `relationshipRef`s a registry schema declares, e.g. `"items": {"relationshipRef": {"typeName":
 * "AWS::EC2::VPCEndpoint", "propertyPath": "/properties/Id"}}` under `VpcEndpointIds` gives
 * `VpcEndpointIds/*` → AWS::EC2::VPCEndpoint.Id. Follows `#/definitions/` references (each once per path, so
 * recursive definitions end), `items` ('*'), `properties` and anyOf/oneOf/allOf branches (same path).
 */
export function relationshipsInSchema(schema: ResourceSchema): readonly Relationship[] {
  const cached = fromSchemaCache.get(schema);
  if (cached) return cached;
  const out: Relationship[] = [];
  const seenRows = new Set<string>();
  const definitions = schema.definitions ?? {};

  const visit = (node: unknown, path: string, onPath: ReadonlySet<string>): void => {
    if (typeof node !== 'object' || node === null || Array.isArray(node)) return;
    const n = node as JsonSchema;
    for (const ref of refsOf(n.relationshipRef)) {
      const key = `${path}\u0000${ref.typeName}\u0000${ref.propertyPath}`;
      if (seenRows.has(key)) continue;
      seenRows.add(key);
      out.push({ path, targetType: ref.typeName, targetProperty: ref.propertyPath.replace(/^\/properties\//, '') });
    }
    if (typeof n.$ref === 'string' && n.$ref.startsWith('#/definitions/')) {
      const name = n.$ref.slice('#/definitions/'.length);
      if (!onPath.has(name)) visit(definitions[name], path, new Set([...onPath, name]));
    }
    if (n.items !== undefined) visit(n.items, `${path}/*`, onPath);
    if (typeof n.properties === 'object' && n.properties !== null) {
      for (const [name, child] of Object.entries(n.properties as Record<string, unknown>)) visit(child, `${path}/${name}`, onPath);
    }
    for (const keyword of ['anyOf', 'oneOf', 'allOf']) {
      const branches = n[keyword];
      if (Array.isArray(branches)) for (const b of branches) visit(b, path, onPath);
    }
  };
  for (const [name, property] of Object.entries(schema.properties ?? {})) visit(property, name, new Set());
  const frozen = Object.freeze(out);
  fromSchemaCache.set(schema, frozen);
  return frozen;
}

/** relationshipRef is one object in AWS's schemas; a list of them is read too. */
function refsOf(value: unknown): { typeName: string; propertyPath: string }[] {
  const list = Array.isArray(value) ? value : value === undefined ? [] : [value];
  return list.filter(
    (r): r is { typeName: string; propertyPath: string } =>
      typeof r === 'object' && r !== null && typeof (r as { typeName?: unknown }).typeName === 'string' && typeof (r as { propertyPath?: unknown }).propertyPath === 'string',
  );
}

// ---------------------------------------------------------------------------------------------------------
// The union, and its inverse

function union(a: readonly Relationship[], b: readonly Relationship[]): readonly Relationship[] {
  if (b.length === 0) return a;
  if (a.length === 0) return b;
  const seen = new Set(a.map(keyOf));
  return Object.freeze([...a, ...b.filter((r) => !seen.has(keyOf(r)))]);
}
const keyOf = (r: Relationship) => `${r.path}\u0000${r.targetType}\u0000${r.targetProperty}`;

/** Types a catalogue defines from schemas it read (registry, custom), i.e. not the built-in layer's own. */
function schemaLayerTypeNames(catalogue: TypeCatalogue): string[] {
  const layers = (catalogue as { layers?: readonly (TypeCatalogue & { catalogueDir?: string; generatedFrom?: string })[] }).layers;
  if (!layers) return (catalogue as { catalogueDir?: string }).catalogueDir !== undefined ? [] : catalogue.typeNames();
  const names = new Set<string>();
  for (const layer of layers) if (layer.catalogueDir === undefined && layer.generatedFrom === undefined) for (const n of layer.typeNames()) names.add(n);
  return [...names];
}

const inverseCache = new WeakMap<object, { size: number; table: Map<string, InboundRelationship[]> }>();
const NO_CATALOGUE = {};

function inverse(catalogue: TypeCatalogue | undefined): Map<string, InboundRelationship[]> {
  const key = catalogue ?? NO_CATALOGUE;
  const size = catalogue?.size ?? 0;
  const cached = inverseCache.get(key);
  // A catalogue that gained types (a registered custom type) is read again: the memo is keyed by its size.
  if (cached && cached.size === size) return cached.table;
  const table = new Map<string, InboundRelationship[]>();
  const add = (sourceType: string, rows: readonly Relationship[]) => {
    for (const r of rows) {
      let list = table.get(r.targetType);
      if (!list) table.set(r.targetType, (list = []));
      list.push({ ...r, sourceType });
    }
  };
  const builtIn = builtInRelationships(builtInDirOf(catalogue));
  const fromSchemas = new Map<string, readonly Relationship[]>();
  // Reading every registry type's schema happens once per catalogue (the first inverse question), not per request.
  if (catalogue) for (const name of schemaLayerTypeNames(catalogue)) {
    const type = catalogue.get(name);
    if (type) fromSchemas.set(name, relationshipsInSchema(type.schema));
  }
  for (const name of new Set([...builtIn.keys(), ...fromSchemas.keys()])) add(name, union(builtIn.get(name) ?? [], fromSchemas.get(name) ?? []));
  for (const list of table.values()) list.sort((a, b) => (a.sourceType + a.path < b.sourceType + b.path ? -1 : 1));
  inverseCache.set(key, { size, table });
  return table;
}

/**
 * The references resources of `typeName` make. With a catalogue, the type's schema's own relationshipRefs are
 * added to the built-in ones (and the built-in table is the one generated beside the catalogue's built-in layer).
 */
export function relationshipsOf(typeName: string, catalogue?: TypeCatalogue): readonly Relationship[] {
  const builtIn = builtInRelationships(builtInDirOf(catalogue)).get(typeName) ?? [];
  const type = catalogue?.get(typeName);
  return type ? union(builtIn, relationshipsInSchema(type.schema)) : builtIn;
}

/** The references other types make to `typeName` (the inverse of relationshipsOf), by source type then path. */
export function referencedBy(typeName: string, catalogue?: TypeCatalogue): readonly InboundRelationship[] {
  return inverse(catalogue).get(typeName) ?? [];
}

const indexedCache = new WeakMap<ResourceType, readonly string[]>();

/**
 * The paths ccapi indexes for a type: its relationship paths, the target properties others reference on it,
 * its additionalIdentifiers, and the properties its list handler requires (handlers.list.handlerSchema).
 * Sorted, without duplicates.
 */
export function indexedPaths(type: ResourceType, catalogue?: TypeCatalogue): readonly string[] {
  const cached = indexedCache.get(type);
  if (cached) return cached;
  const paths = new Set<string>();
  const builtIn = builtInRelationships(builtInDirOf(catalogue)).get(type.typeName) ?? [];
  for (const r of union(builtIn, relationshipsInSchema(type.schema))) paths.add(r.path);
  for (const r of referencedBy(type.typeName, catalogue)) paths.add(r.targetProperty);
  for (const identifier of type.schema.additionalIdentifiers ?? []) for (const pointer of identifier) paths.add(pointerToPath(pointer));
  const required = type.schema.handlers?.list?.handlerSchema?.required;
  if (Array.isArray(required)) for (const name of required) if (typeof name === 'string') paths.add(name);
  for (const path of EXTRA_INDEXED_PATHS[type.typeName] ?? []) paths.add(path);
  const result = Object.freeze([...paths].sort());
  indexedCache.set(type, result);
  return result;
}

/** "/properties/A/B" → "A/B". */
function pointerToPath(pointer: string): string {
  return pointer.replace(/^\/properties\//, '');
}
