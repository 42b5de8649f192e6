// Schema `default`s filled into a resource model, the way AWS's handlers return them on read (a LogGroup created
// without RetentionInDays reads back without it, but an IVS Channel created without LatencyMode reads back "LOW").
import type { JsonSchema, ResourceSchema } from './types.js';
import { parsePointer } from './pointers.js';
import { satisfies } from './validation.js';

/** Deep enough for any real schema; stops a recursive definition (a tree of nodes) from looping on cyclic refs. */
const MAX_DEPTH = 64;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Follows `$ref`s ("#/definitions/X", "#/properties/X/…") to the schema that describes the value. */
function resolve(root: JsonSchema, node: JsonSchema): JsonSchema {
  let current = node;
  for (let hops = 0; typeof current.$ref === 'string' && hops < MAX_DEPTH; hops++) {
    const ref = current.$ref;
    if (!ref.startsWith('#')) return current;
    let target: unknown = root;
    for (const token of parsePointer(ref.slice(1))) target = isObject(target) ? target[token] : undefined;
    if (!isObject(target)) return current;
    current = target;
  }
  return current;
}

/**
 * A property's default: on the property itself (beside a $ref, it wins) or on what it refers to. Only a default
 * that the property's own schema accepts: registry schemas carry a few that are documentation, not values ("0"
 * for a date-time, a schema fragment as an object's default), and a handler never returns those.
 * `"default": null` (QuickSight) is not applied either: a handler returns no value for it.
 */
function defaultOf(schema: ResourceSchema, root: JsonSchema, property: JsonSchema): unknown {
  const d = property.default !== undefined ? property.default : resolve(root, property).default;
  return d !== undefined && d !== null && satisfies(schema, property, d) ? d : undefined;
}

function fill(schema: ResourceSchema, root: JsonSchema, node: JsonSchema, value: unknown, depth: number): void {
  if (depth > MAX_DEPTH) return;
  const target = resolve(root, node);
  if (isObject(value)) {
    const properties = isObject(target.properties) ? (target.properties as Record<string, JsonSchema>) : {};
    for (const [name, property] of Object.entries(properties)) {
      if (!isObject(property)) continue;
      if (Object.hasOwn(value, name)) {
        fill(schema, root, property, value[name], depth + 1);
      } else {
        const d = defaultOf(schema, root, property);
        if (d !== undefined) value[name] = structuredClone(d);
      }
    }
    // allOf branches all apply; oneOf/anyOf would need knowing which branch the model took, so they are left alone.
    if (Array.isArray(target.allOf)) for (const branch of target.allOf) if (isObject(branch)) fill(schema, root, branch, value, depth + 1);
  } else if (Array.isArray(value) && isObject(target.items)) {
    for (const item of value) fill(schema, root, target.items, item, depth + 1);
  }
}

/**
 * A copy of `model` with the schema's `default` values filled in for absent properties: at the top level and in
 * every nested object (or array of objects) the model has, following `$ref`s into definitions. Defaults are copied
 * as written (an object default is not itself completed); present values, even null, are left alone; a default
 * the property's schema rejects is skipped.
 *
 * @example applyDefaults(ivsChannelSchema, { Name: 'c' }) // { Name: 'c', LatencyMode: 'LOW', Type: 'STANDARD', … }
 */
export function applyDefaults<T>(schema: ResourceSchema, model: T): T {
  const copy = structuredClone(model);
  const root: JsonSchema = { properties: schema.properties ?? {}, definitions: schema.definitions ?? {} };
  fill(schema, root, { properties: root.properties }, copy, 0);
  return copy;
}
