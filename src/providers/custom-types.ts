/**
 * Loading custom resource types (`ccapi serve --types DIR`): each type is a folder holding `schema.json` (a
 * CloudFormation resource schema) and a handler module (`handlers.js`, `.mjs` or `.cjs`). A DIR is either
 * such a folder or a folder of them. Every type is checked when it is loaded, against the meta-schema rules
 * that matter at run time, and a broken one is reported (file and problem) without stopping the others.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Ajv } from 'ajv';
import type { Logger } from '../lib/logger.js';
import { resourceTypeFromSchema } from '../registry/catalogue.js';
import type { CatalogueLayer } from '../registry/layered.js';
import type { ResourceSchema, ResourceType } from '../registry/types.js';
import { SCHEMA_HANDLER_KEYS, type SchemaHandlerKey } from '../domain/vocabulary.js';
import type { ResourceHandler } from './author.js';
import { customProvider } from './custom-provider.js';
import type { ResourceProvider } from './contract.js';

export const TYPE_NAME_PATTERN = /^[A-Za-z0-9]{2,64}::[A-Za-z0-9]{2,64}::[A-Za-z0-9]{2,64}$/;
/** A type cannot be provisioned without these (CloudFormation refuses to register it). */
const REQUIRED_HANDLERS: readonly SchemaHandlerKey[] = ['create', 'read', 'delete'];
const MODULE_NAMES = ['handlers.js', 'handlers.mjs', 'handlers.cjs'];

/** A type folder that could not be loaded: where, and what is wrong, in words a type author can act on. */
export interface TypeLoadError {
  path: string;
  message: string;
}

export interface CustomTypes {
  /** The loaded types as a catalogue layer (source `custom`), to stack over the AWS catalogues. */
  readonly catalogue: CatalogueLayer;
  /** The provider of each loaded type. */
  readonly providers: ReadonlyMap<string, ResourceProvider>;
  readonly errors: readonly TypeLoadError[];
  /** Non-fatal remarks (an exported handler the schema does not declare, a timeout CloudFormation would refuse). */
  readonly warnings: readonly string[];
}

export interface LoadOptions {
  /** Each type's `typeConfiguration`, by type name (from `--type-config FILE`). */
  typeConfiguration?: Record<string, unknown>;
  /** Where the type configuration came from, for error messages. */
  typeConfigurationSource?: string;
  logger?: Logger;
}

class LoadError extends Error {
  constructor(
    readonly path: string,
    message: string,
  ) {
    super(message);
  }
}

/** Type folders under each DIR: the DIR itself when it holds a schema.json, else its subfolders that do. */
function typeFolders(dir: string): string[] {
  const root = resolve(dir);
  if (!existsSync(root) || !statSync(root).isDirectory()) throw new LoadError(root, 'not a directory');
  if (existsSync(join(root, 'schema.json'))) return [root];
  const folders = readdirSync(root, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(root, entry.name, 'schema.json')))
    .map((entry) => join(root, entry.name))
    .sort();
  if (folders.length === 0) throw new LoadError(root, 'holds no type folder (a folder with a schema.json and a handlers.js)');
  return folders;
}

const ajv = new Ajv({ strict: false, allErrors: true, validateSchema: true, validateFormats: false });

function describeAjvErrors(errors: { instancePath: string; message?: string }[] | null | undefined): string {
  return (errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? 'is invalid'}`).join('; ');
}

/** The meta-schema rules ccapi relies on; each failure names the schema field. */
function checkSchema(value: unknown, file: string, warnings: string[]): ResourceSchema {
  const fail = (message: string): never => {
    throw new LoadError(file, message);
  };
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail('the schema must be a JSON object');
  const schema = value as ResourceSchema;
  if (typeof schema.typeName !== 'string') fail('typeName is missing (e.g. "Acme::Db::Database")');
  if (!TYPE_NAME_PATTERN.test(schema.typeName)) fail(`typeName "${schema.typeName}" must be three ::-separated parts of 2-64 letters or digits, e.g. "Acme::Db::Database"`);
  if (typeof schema.properties !== 'object' || schema.properties === null || Object.keys(schema.properties).length === 0) fail('properties must be a non-empty object');
  if (schema.additionalProperties !== false) fail('additionalProperties must be false (the CloudFormation meta-schema requires it)');

  const checkPointer = (pointer: unknown, field: string) => {
    if (typeof pointer !== 'string' || !pointer.startsWith('/properties/')) fail(`${field}: "${String(pointer)}" is not a JSON pointer of the form /properties/Name`);
    const name = (pointer as string).split('/')[2]!.replace(/~1/g, '/').replace(/~0/g, '~');
    if (!(name in schema.properties)) fail(`${field}: ${pointer as string} names no property in properties`);
  };
  const checkPointers = (list: unknown, field: string) => {
    if (list === undefined) return;
    if (!Array.isArray(list)) fail(`${field} must be a list of JSON pointers`);
    for (const pointer of list as unknown[]) checkPointer(pointer, field);
  };
  if (!Array.isArray(schema.primaryIdentifier) || schema.primaryIdentifier.length === 0) fail('primaryIdentifier must list at least one JSON pointer, e.g. ["/properties/Id"]');
  checkPointers(schema.primaryIdentifier, 'primaryIdentifier');
  if (schema.additionalIdentifiers !== undefined) {
    if (!Array.isArray(schema.additionalIdentifiers)) fail('additionalIdentifiers must be a list of lists of JSON pointers');
    for (const ids of schema.additionalIdentifiers) checkPointers(ids, 'additionalIdentifiers');
  }
  for (const field of ['readOnlyProperties', 'createOnlyProperties', 'writeOnlyProperties'] as const) checkPointers(schema[field], field);
  for (const name of schema.required ?? []) if (!(name in schema.properties)) fail(`required: "${name}" is not in properties`);

  const handlers = schema.handlers;
  if (typeof handlers !== 'object' || handlers === null) fail('handlers is missing: declare at least create, read and delete, e.g. {"create": {"permissions": []}, ...}');
  for (const name of Object.keys(handlers!)) {
    if (!SCHEMA_HANDLER_KEYS.includes(name as SchemaHandlerKey)) fail(`handlers.${name}: unknown handler (expected ${SCHEMA_HANDLER_KEYS.join(', ')})`);
  }
  for (const name of REQUIRED_HANDLERS) if (!handlers![name]) fail(`handlers.${name} is missing: a type needs create, read and delete handlers`);
  for (const [name, definition] of Object.entries(handlers!)) {
    const timeout = definition?.timeoutInMinutes;
    if (timeout === undefined) continue;
    if (typeof timeout !== 'number' || !(timeout > 0)) fail(`handlers.${name}.timeoutInMinutes must be a positive number`);
    // Accepted (tests of timeout handling need short ones), but said: CloudFormation would refuse it.
    if (!Number.isInteger(timeout) || timeout < 2 || timeout > 2160) warnings.push(`${file}: handlers.${name}.timeoutInMinutes ${timeout} is outside CloudFormation's 2-2160 (accepted by ccapi)`);
  }
  // The schema must compile as JSON Schema (draft-07), so a typo fails here and not on the first request.
  try {
    const { handlers: _h, typeConfiguration: _t, ...modelSchema } = schema;
    ajv.compile({ ...modelSchema, $schema: undefined, $id: undefined });
  } catch (error) {
    fail(`not a valid JSON schema: ${(error as Error).message}`);
  }
  return schema;
}

async function importHandlers(folder: string, schema: ResourceSchema, warnings: string[]): Promise<Partial<Record<SchemaHandlerKey, ResourceHandler>>> {
  const moduleName = MODULE_NAMES.find((name) => existsSync(join(folder, name)));
  if (!moduleName) throw new LoadError(folder, `no handler module: expected ${MODULE_NAMES.join(', ')} beside schema.json`);
  const file = join(folder, moduleName);
  let namespace: Record<string, unknown>;
  try {
    namespace = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  } catch (error) {
    throw new LoadError(file, `could not be loaded: ${(error as Error).message}`);
  }
  // Named exports, or one default export object (CommonJS module.exports lands there too).
  const fromDefault = typeof namespace.default === 'object' && namespace.default !== null ? (namespace.default as Record<string, unknown>) : undefined;
  const exported = (name: string) => namespace[name] ?? fromDefault?.[name];
  const handlers: Partial<Record<SchemaHandlerKey, ResourceHandler>> = {};
  for (const name of SCHEMA_HANDLER_KEYS) {
    const fn = exported(name);
    const declared = schema.handlers?.[name] !== undefined;
    if (fn !== undefined && typeof fn !== 'function') throw new LoadError(file, `exports "${name}" but it is not a function`);
    if (declared && fn === undefined) {
      const hint = name === 'delete' ? ' (delete is a reserved word: `export { remove as delete }`)' : '';
      throw new LoadError(file, `schema.json declares handlers.${name} but ${moduleName} exports no "${name}" function${hint}`);
    }
    if (!declared && fn !== undefined) warnings.push(`${file}: exports "${name}" but schema.json does not declare handlers.${name}; it is not used`);
    if (declared) handlers[name] = fn as ResourceHandler;
  }
  return handlers;
}

function checkTypeConfiguration(schema: ResourceSchema, config: unknown, source: string, file: string): void {
  const definition = schema.typeConfiguration;
  if (definition === undefined) return;
  let validate;
  try {
    validate = ajv.compile({ ...(definition as object), $schema: undefined, $id: undefined });
  } catch (error) {
    throw new LoadError(file, `typeConfiguration is not a valid JSON schema: ${(error as Error).message}`);
  }
  if (!validate(config ?? {})) {
    const problems = describeAjvErrors(validate.errors);
    throw new LoadError(
      file,
      config === undefined
        ? `${schema.typeName} needs a type configuration (an entry "${schema.typeName}" in the --type-config file): ${problems}`
        : `the type configuration for ${schema.typeName} in ${source} does not fit the schema's typeConfiguration: ${problems}`,
    );
  }
}

async function loadTypeFolder(folder: string, options: LoadOptions, warnings: string[]): Promise<{ type: ResourceType; provider: ResourceProvider }> {
  const file = join(folder, 'schema.json');
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new LoadError(file, `cannot be read: ${(error as Error).message}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new LoadError(file, `is not valid JSON: ${(error as Error).message}`);
  }
  const schema = checkSchema(parsed, file, warnings);
  const handlers = await importHandlers(folder, schema, warnings);
  const config = options.typeConfiguration?.[schema.typeName];
  checkTypeConfiguration(schema, config, options.typeConfigurationSource ?? '--type-config', file);
  const type: ResourceType = { ...resourceTypeFromSchema(schema, 'custom'), origin: folder, schemaText: text };
  return { type, provider: customProvider(schema.typeName, handlers, config, options.logger) };
}

/**
 * Loads every type under the given folders. Problems with one type are collected in `errors`; a folder
 * that does not exist or holds no type is an error too. Later folders may not redefine a type.
 *
 * @example
 *   const custom = await loadCustomTypes(['examples/types'], { typeConfiguration: { 'Ccapi::PostgreSQL::Database': {...} } });
 *   for (const e of custom.errors) console.error(`${e.path}: ${e.message}`);
 */
export async function loadCustomTypes(dirs: readonly string[], options: LoadOptions = {}): Promise<CustomTypes> {
  const types = new Map<string, ResourceType>();
  const providers = new Map<string, ResourceProvider>();
  const errors: TypeLoadError[] = [];
  const warnings: string[] = [];
  const record = (error: unknown, fallbackPath: string) => {
    if (error instanceof LoadError) errors.push({ path: error.path, message: error.message });
    else errors.push({ path: fallbackPath, message: (error as Error).message });
  };
  for (const dir of dirs) {
    let folders: string[];
    try {
      folders = typeFolders(dir);
    } catch (error) {
      record(error, dir);
      continue;
    }
    for (const folder of folders) {
      try {
        const { type, provider } = await loadTypeFolder(folder, options, warnings);
        const existing = types.get(type.typeName);
        if (existing) throw new LoadError(join(folder, 'schema.json'), `${type.typeName} is already defined by ${existing.origin}`);
        types.set(type.typeName, type);
        providers.set(type.typeName, provider);
      } catch (error) {
        record(error, folder);
      }
    }
  }
  for (const name of Object.keys(options.typeConfiguration ?? {})) {
    if (!types.has(name) && !errors.some((e) => e.message.includes(name))) {
      warnings.push(`${options.typeConfigurationSource ?? '--type-config'}: configuration for ${name}, which is not a loaded custom type`);
    }
  }
  const origin = dirs.map((d) => resolve(d)).join(', ');
  const catalogue: CatalogueLayer = {
    source: 'custom',
    origin,
    warnings,
    get size() {
      return types.size;
    },
    has: (typeName) => types.has(typeName),
    get: (typeName) => types.get(typeName),
    typeNames: () => [...types.keys()].sort(),
  };
  return { catalogue, providers, errors, warnings };
}

/** Reads `--type-config FILE`: a JSON object of per-type configuration objects, keyed by type name. */
export function readTypeConfiguration(file: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new Error(`cannot read the type configuration file ${file}: ${(error as Error).message}`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new Error(`the type configuration file ${file} is not valid JSON: ${(error as Error).message}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new Error(`the type configuration file ${file} must be a JSON object keyed by type name, e.g. {"Acme::Db::Database": {"host": "..."}}`);
  }
  for (const [name, config] of Object.entries(value)) {
    if (!TYPE_NAME_PATTERN.test(name)) throw new Error(`the type configuration file ${file}: "${name}" is not a type name`);
    if (typeof config !== 'object' || config === null || Array.isArray(config)) throw new Error(`the type configuration file ${file}: the entry for ${name} must be an object`);
  }
  return value as Record<string, unknown>;
}
