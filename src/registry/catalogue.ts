// Type catalogues: the built-in one (dist/catalogue, generated from @aws-cdk/aws-service-spec, read lazily
// one line per type) and an in-memory one; both wrap schemas with resourceTypeFromSchema.
import { closeSync, openSync, readFileSync, readSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import type { CatalogueSource, ResourceSchema, ResourceType, TypeCatalogue } from './types.js';
import type { SchemaHandlerKey } from '../domain/vocabulary.js';
import { compileModelValidator } from './validation.js';
import { compileListModelValidator } from './list-model.js';
import { applyDefaults } from './defaults.js';

/**
 * Wraps a schema. Nothing is compiled here: the model validator is compiled on the first validate() call
 * (1-600 ms a type), the list handlerSchema validator on the first validateListModel() call.
 */
export function resourceTypeFromSchema(schema: ResourceSchema, source: CatalogueSource): ResourceType {
  let validator: ((model: unknown) => string[]) | undefined;
  let listValidator: ((model: unknown) => string[]) | undefined;
  const handlerSchema = schema.handlers?.list?.handlerSchema;
  const listMembers: Pick<ResourceType, 'validateListModel' | 'listModelProperties'> = handlerSchema
    ? {
        validateListModel(model: unknown): string[] {
          listValidator ??= compileListModelValidator(schema)!;
          return listValidator(model);
        },
        listModelProperties: Object.keys((handlerSchema.properties as object | undefined) ?? {}),
      }
    : {};
  return {
    typeName: schema.typeName,
    schema,
    source,
    validate(model: unknown): string[] {
      validator ??= compileModelValidator(schema);
      return validator(model);
    },
    ...listMembers,
    applyDefaults: <T>(model: T): T => applyDefaults(schema, model),
    hasHandler(handler: SchemaHandlerKey): boolean {
      return schema.handlers?.[handler] !== undefined;
    },
  };
}

export function inMemoryCatalogue(schemas: ResourceSchema[], source: CatalogueSource = 'custom'): TypeCatalogue {
  const types = new Map(schemas.map((s) => [s.typeName, resourceTypeFromSchema(s, source)]));
  return {
    get size() {
      return types.size;
    },
    has: (typeName) => types.has(typeName),
    get: (typeName) => types.get(typeName),
    typeNames: () => [...types.keys()].sort(),
  };
}

interface CatalogueIndex {
  generatedFrom: string;
  types: Record<string, [offset: number, length: number]>;
}

/** Directory of the generated catalogue: dist/catalogue when this module runs as dist/registry/catalogue.js. */
export const DEFAULT_CATALOGUE_DIR = fileURLToPath(new URL('../catalogue/', import.meta.url));

/**
 * Opens the built-in catalogue written by scripts/build-catalogue.mjs. Only index.json (~85 KB) is read here;
 * each schema line is read with one positioned read the first time its type is asked for, then cached.
 */
export function openBuiltInCatalogue(dir: string = DEFAULT_CATALOGUE_DIR): TypeCatalogue & { generatedFrom: string; catalogueDir: string } {
  const indexPath = join(dir, 'index.json');
  let index: CatalogueIndex;
  try {
    index = JSON.parse(readFileSync(indexPath, 'utf8')) as CatalogueIndex;
  } catch (err) {
    throw new Error(`Built-in catalogue not readable at ${indexPath} (run "npm run build"): ${(err as Error).message}`);
  }
  // A Map, not the parsed object: type names come from callers and must not hit Object.prototype.
  const entries = new Map(Object.entries(index.types));
  const loaded = new Map<string, ResourceType>();
  const schemasPath = join(dir, 'schemas.jsonl');

  function load(typeName: string): ResourceType | undefined {
    const cached = loaded.get(typeName);
    if (cached) return cached;
    const entry = entries.get(typeName);
    if (!entry) return undefined;
    const [offset, length] = entry;
    const buf = Buffer.allocUnsafe(length);
    const fd = openSync(schemasPath, 'r');
    try {
      let read = 0;
      while (read < length) {
        const n = readSync(fd, buf, read, length - read, offset + read);
        if (n === 0) throw new Error(`Built-in catalogue truncated at ${typeName} (${schemasPath})`);
        read += n;
      }
    } finally {
      closeSync(fd);
    }
    const type = resourceTypeFromSchema(JSON.parse(buf.toString('utf8')) as ResourceSchema, 'aws-service-spec');
    loaded.set(typeName, type);
    return type;
  }

  return {
    generatedFrom: index.generatedFrom,
    // Where relationships.json lies beside the schemas (registry/relationships.ts reads it from there).
    catalogueDir: dir,
    size: entries.size,
    has: (typeName) => entries.has(typeName),
    get: load,
    typeNames: () => [...entries.keys()].sort(),
  };
}
