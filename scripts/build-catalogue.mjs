// Build step: converts @aws-cdk/aws-service-spec into CloudFormation resource schemas (dist/catalogue/).
//
// Output: schemas.jsonl (one ResourceSchema per line) and index.json ({ typeName: [byteOffset, byteLength] }),
// so the server reads only the lines of the types it is asked about (src/registry/catalogue.ts).
// The spec is an approximation of the registry (no writeOnly, handlers or additionalIdentifiers; see
// docs/dependencies.md §1); the official registry bundle overrides it when present.
import { createRequire } from 'node:module';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const started = Date.now();
const require = createRequire(import.meta.url);
const { loadAwsServiceSpecSync } = require('@aws-cdk/aws-service-spec');
const specVersion = require('@aws-cdk/aws-service-spec/package.json').version;
const outDir = fileURLToPath(new URL('../dist/catalogue/', import.meta.url));

// Spec "json" values are free-form documents; only null is excluded (CloudFormation treats null as absent).
const JSON_ANY = { type: ['object', 'array', 'string', 'number', 'boolean'] };
const TAG_DEFINITION = {
  type: 'object',
  properties: { Key: { type: 'string' }, Value: { type: 'string' } },
  required: ['Key', 'Value'],
  additionalProperties: false,
};

const db = loadAwsServiceSpecSync();

// The spec records no write-only properties; the types described in src/providers/formats/ may list them (with
// their sources), so that a read through the built-in catalogue does not echo a password or a function's code.
// tsc has built dist/ before this script runs (npm run build).
const { allFormats } = await import('../dist/providers/formats/catalogue.js');
const writeOnlyOf = new Map([...allFormats()].filter(([, f]) => f.writeOnly?.length).map(([name, f]) => [name, [...f.writeOnly]]));

/** Converts one resource; returns undefined when the spec has no primary identifier (cannot be addressed). */
function convertResource(res) {
  if (!res.primaryIdentifier || res.primaryIdentifier.length === 0) return undefined;

  // Definitions are named after the spec type definition; the same name twice gets a numeric suffix.
  const definitions = {};
  const nameById = new Map();
  const taken = new Set();
  const allocate = (preferred) => {
    let name = preferred;
    for (let i = 2; taken.has(name); i++) name = `${preferred}${i}`;
    taken.add(name);
    return name;
  };

  const definitionName = (ref) => {
    const id = ref.$ref;
    let name = nameById.get(id);
    if (name !== undefined) return name;
    const def = db.get('typeDefinition', id);
    name = allocate(def.name);
    nameById.set(id, name);
    definitions[name] = {}; // placeholder first: recursive definitions must not loop
    definitions[name] = objectSchema(def.properties);
    return name;
  };

  const convertType = (t) => {
    switch (t.type) {
      case 'string':
      case 'integer':
        return t.allowedValues?.length ? { type: t.type, enum: [...t.allowedValues] } : { type: t.type };
      case 'number':
      case 'boolean':
      case 'null':
        return { type: t.type };
      case 'date-time':
        return { type: 'string' };
      case 'json':
        return { ...JSON_ANY };
      case 'tag':
        if (nameById.get('builtin:tag') === undefined) {
          const name = allocate('Tag');
          nameById.set('builtin:tag', name);
          definitions[name] = structuredClone(TAG_DEFINITION);
        }
        return { $ref: `#/definitions/${nameById.get('builtin:tag')}` };
      case 'ref':
        return { $ref: `#/definitions/${definitionName(t.reference)}` };
      case 'array':
        return { type: 'array', items: convertType(t.element) };
      case 'map':
        return { type: 'object', additionalProperties: convertType(t.element) };
      case 'union':
        return { anyOf: t.types.map(convertType) };
      default:
        throw new Error(`${res.cloudFormationType}: unknown spec type ${JSON.stringify(t)}`);
    }
  };

  function objectSchema(props) {
    const properties = {};
    const required = [];
    for (const [name, prop] of Object.entries(props)) {
      properties[name] = convertType(prop.type);
      // The spec's defaultValue is the value as JSON text ("false", "\"NONE\""); the read handler returns it
      // when the caller did not set one (registry/defaults.ts applies only defaults the property accepts).
      if (prop.defaultValue !== undefined) {
        try {
          properties[name].default = JSON.parse(prop.defaultValue);
          stats.defaults++;
        } catch {
          stats.unparsedDefaults++;
        }
      }
      if (prop.required) required.push(name);
    }
    const schema = { type: 'object', properties };
    if (required.length) schema.required = required;
    schema.additionalProperties = false;
    return schema;
  }

  const top = objectSchema(res.properties);
  const properties = top.properties;
  const readOnly = [];
  const readOnlySet = new Set();
  const addReadOnly = (pointer) => {
    // A pointer under an already read-only pointer adds nothing.
    for (const p of readOnlySet) if (pointer === p || pointer.startsWith(p + '/')) return;
    readOnlySet.add(pointer);
    readOnly.push(pointer);
  };

  // Parents before children, so "A" is decided before "A.B".
  const attrs = Object.entries(res.attributes).sort(([a], [b]) => a.split('.').length - b.split('.').length);
  for (const [attrName, attr] of attrs) {
    const [head, ...rest] = attrName.split('.');
    if (rest.length === 0) {
      if (res.properties[head]) continue; // writable and returned (e.g. EC2::VPC CidrBlock): not readOnly
      properties[head] = convertType(attr.type);
      addReadOnly(`/properties/${head}`);
    } else if (res.properties[head]) {
      // Nested output inside a writable property (e.g. VpcEncryptionControl.State): readOnly only when the
      // path exists in the property's type; arrays become "*" as in registry schemas.
      const pointer = nestedPointer(res.properties[head].type, rest);
      if (pointer !== undefined) addReadOnly(`/properties/${head}${pointer}`);
      else stats.unresolvedNested++;
    } else if (readOnlySet.has(`/properties/${head}`)) {
      continue; // the whole parent is already a read-only attribute
    } else {
      // Output-only object (e.g. MetadataConfiguration.Destination): synthesise it, children read-only.
      let container = (properties[head] ??= { type: 'object', properties: {} });
      let pointer = `/properties/${head}`;
      for (let i = 0; i < rest.length - 1; i++) {
        pointer += `/${rest[i]}`;
        if (readOnlySet.has(pointer) || !container.properties) break;
        container = container.properties[rest[i]] ??= { type: 'object', properties: {} };
      }
      const leaf = rest[rest.length - 1];
      if (container.properties && !readOnlySet.has(pointer)) {
        container.properties[leaf] ??= convertType(attr.type);
        addReadOnly(`/properties/${[head, ...rest].join('/')}`);
      }
    }
  }

  function nestedPointer(type, path) {
    let t = type;
    let pointer = '';
    for (const seg of path) {
      while (t.type === 'array' || t.type === 'map') {
        pointer += '/*';
        t = t.element;
      }
      if (t.type !== 'ref') return undefined;
      const def = db.get('typeDefinition', t.reference.$ref);
      const prop = def.properties[seg];
      if (!prop) return undefined;
      pointer += `/${seg}`;
      t = prop.type;
    }
    return pointer;
  }

  const primaryIdentifier = res.primaryIdentifier.map((p) => `/properties/${p}`);
  for (const p of res.primaryIdentifier) {
    if (!p.includes('/') && !res.properties[p] && !properties[p]) {
      // Identifier that is neither a property nor an attribute: still must be a (read-only) property.
      properties[p] = { type: 'string' };
      addReadOnly(`/properties/${p}`);
      stats.syntheticIdentifiers++;
    }
  }

  const schema = { typeName: res.cloudFormationType, properties };
  if (Object.keys(definitions).length) schema.definitions = definitions;
  if (top.required) schema.required = top.required;
  schema.additionalProperties = false;
  schema.primaryIdentifier = primaryIdentifier;
  if (readOnly.length) schema.readOnlyProperties = readOnly;
  const createOnly = Object.entries(res.properties)
    .filter(([, p]) => p.causesReplacement === 'yes')
    .map(([n]) => `/properties/${n}`);
  if (createOnly.length) schema.createOnlyProperties = createOnly;
  const writeOnly = writeOnlyOf.get(res.cloudFormationType);
  if (writeOnly) {
    schema.writeOnlyProperties = writeOnly;
    stats.writeOnly++;
  }
  schema.handlers = Object.fromEntries(['create', 'read', 'update', 'delete', 'list'].map((h) => [h, { permissions: [] }]));
  schema.tagging = res.tagInformation
    ? { taggable: true, tagProperty: `/properties/${res.tagInformation.tagPropertyName}` }
    : { taggable: false };
  if (res.arnTemplate) schema['x-ccapi-arnTemplate'] = res.arnTemplate;
  return schema;
}

// Relationships: `relationshipRefs` on properties, top-level and inside nested type definitions, as
// [path, targetType, targetProperty] per type. Paths are '/'-separated with '*' for array elements (the property
// itself when it is a list: 'SecurityGroupIds/*'); references under a map's values are left out (a map key is not
// a path ccapi can index). src/registry/relationships.ts reads this file lazily.
function relationshipsOf(res) {
  const out = [];
  const walk = (props, prefix, seen) => {
    for (const [name, prop] of Object.entries(props)) {
      let path = prefix ? `${prefix}/${name}` : name;
      let t = prop.type;
      let underMap = false;
      while (t.type === 'array' || t.type === 'map') {
        if (t.type === 'map') underMap = true;
        path += '/*';
        t = t.element;
      }
      if (!underMap) {
        for (const ref of prop.relationshipRefs ?? []) {
          out.push([path, ref.cloudFormationType, ref.propertyName]);
          if (prefix) relStats.nested++;
          else relStats.topLevel++;
        }
      }
      if (!underMap && t.type === 'ref' && !seen.has(t.reference.$ref)) {
        walk(db.get('typeDefinition', t.reference.$ref).properties, path, new Set([...seen, t.reference.$ref]));
      }
    }
  };
  walk(res.properties, '', new Set());
  return out;
}
const relStats = { topLevel: 0, nested: 0 };
const relationships = {};

const stats = { unresolvedNested: 0, syntheticIdentifiers: 0, defaults: 0, unparsedDefaults: 0, writeOnly: 0 };
const resources = db.all('resource').sort((a, b) => (a.cloudFormationType < b.cloudFormationType ? -1 : 1));
const chunks = [];
const types = {};
let offset = 0;
let skipped = 0;
for (const res of resources) {
  const schema = convertResource(res);
  if (!schema) {
    skipped++;
    continue;
  }
  const line = Buffer.from(JSON.stringify(schema) + '\n', 'utf8');
  types[res.cloudFormationType] = [offset, line.length - 1]; // length excludes the newline
  const refs = relationshipsOf(res);
  if (refs.length) relationships[res.cloudFormationType] = refs;
  chunks.push(line);
  offset += line.length;
}

mkdirSync(outDir, { recursive: true });
writeFileSync(join(outDir, 'schemas.jsonl'), Buffer.concat(chunks));
writeFileSync(
  join(outDir, 'index.json'),
  JSON.stringify({ generatedFrom: `@aws-cdk/aws-service-spec@${specVersion}`, types }) + '\n',
);
writeFileSync(
  join(outDir, 'relationships.json'),
  JSON.stringify({ generatedFrom: `@aws-cdk/aws-service-spec@${specVersion}`, relationships }) + '\n',
);
console.log(
  `build-catalogue: ${Object.keys(types).length} types, ${offset} bytes, ${Date.now() - started} ms ` +
    `(skipped ${skipped} without primaryIdentifier; ${stats.unresolvedNested} nested attributes not in their ` +
    `property's type; ${stats.syntheticIdentifiers} identifiers neither property nor attribute; ${stats.defaults} defaults; ` +
    `write-only properties for ${stats.writeOnly} types from providers/formats; relationships: ${relStats.topLevel} ` +
    `top-level and ${relStats.nested} nested references from ${Object.keys(relationships).length} types` +
    `${stats.unparsedDefaults ? `, ${stats.unparsedDefaults} defaults not JSON and left out` : ''})`,
);
