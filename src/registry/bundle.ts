/**
 * Official CloudFormation registry schemas as a TypeCatalogue: AWS's `CloudformationSchema.zip`, a folder of
 * schema files, or one schema file.
 *
 * The zip holds ~1,665 files (13 MB of JSON, 2.8 MB compressed) and serve must answer health within a second,
 * so opening it only reads the zip's central directory: one small record per file, keyed by the file name.
 * A type is inflated, parsed and wrapped the first time it is asked for, then cached. AWS names each file
 * after its type (`AWS::S3::Bucket` → `aws-s3-bucket.json`), which is what makes that lookup possible; the
 * type name inside the file is still the authority, so lookups stay case-sensitive as on AWS.
 *
 * The zip's central directory and entries are read by registry/zip.ts (why not a library: see there).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, extname, join, resolve } from 'node:path';
import { resourceTypeFromSchema } from './catalogue.js';
import { readZipDirectory, readZipEntry, type ZipEntry } from './zip.js';
import type { ResourceSchema, ResourceType, TypeCatalogue } from './types.js';

/** A catalogue opened from registry schemas. `warnings` grows when a lazily parsed file turns out broken. */
export interface SchemaBundle extends TypeCatalogue {
  readonly source: 'registry';
  /** The absolute path that was opened. */
  readonly origin: string;
  readonly format: 'zip' | 'directory' | 'file';
  /** One line per skipped or suspicious file ("aws-foo-bar.json: skipped: not valid JSON (…)"). */
  readonly warnings: readonly string[];
  /** How many schema files have been JSON-parsed so far: 0 right after opening a zip (for tests and benches). */
  readonly parsedCount: number;
  /** typeKey() of every type, known without parsing anything (to count a union of catalogues cheaply). */
  indexKeys(): string[];
}

export interface SchemaBundleOptions {
  /** Called once per warning as it is found (at open, or later when a zip entry is first parsed). */
  onWarning?: (message: string) => void;
}

/** Thrown when a bundle cannot be opened at all; the message names the path and says why. */
export class SchemaBundleError extends Error {
  constructor(
    readonly path: string,
    readonly reason: string,
  ) {
    super(`cannot read schemas from ${path}: ${reason}`);
    this.name = 'SchemaBundleError';
  }
}

/**
 * The name AWS gives a type's file in the bundle, without `.json`: `AWS::S3::Bucket` → `aws-s3-bucket`.
 * Registry type names are `[A-Za-z0-9]+` segments joined by `::`, so this is unambiguous up to case.
 */
export function typeKey(typeName: string): string {
  return typeName.toLowerCase().replaceAll('::', '-');
}

/**
 * Opens a schema bundle: a zip (AWS's CloudformationSchema.zip), a directory of `*.json` schema files, or a
 * single `.json` schema file. Throws SchemaBundleError when the path cannot be read or holds no schema files;
 * a file that is not a usable schema is skipped with a warning.
 *
 * @example
 *   const registry = openSchemaBundle('CloudformationSchema.zip');
 *   registry.get('AWS::S3::Bucket')?.schema.primaryIdentifier; // ['/properties/BucketName']
 *   registry.get('aws::s3::bucket');                          // undefined: names are case-sensitive
 */
export function openSchemaBundle(path: string, options: SchemaBundleOptions = {}): SchemaBundle {
  const origin = resolve(path);
  try {
    let isDirectory: boolean;
    try {
      isDirectory = statSync(origin).isDirectory();
    } catch (error) {
      throw new SchemaBundleError(origin, describeFsError(error));
    }
    if (isDirectory) return openDirectory(origin, options);
    if (extname(origin).toLowerCase() === '.json') return openSingleFile(origin, options);
    return openZip(origin, options);
  } catch (error) {
    // Name the path as the user wrote it.
    if (error instanceof SchemaBundleError && error.path !== path) throw new SchemaBundleError(path, error.reason);
    throw error;
  }
}

// ---------------------------------------------------------------------------------------------------------
// Checking and wrapping one schema

/** Parses a schema file's text; returns the schema or why it cannot be used. */
function parseSchema(text: string): ResourceSchema | string {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return `not valid JSON (${(error as Error).message})`;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'not a JSON object';
  const schema = value as Record<string, unknown>;
  const missing: string[] = [];
  if (typeof schema.typeName !== 'string' || schema.typeName === '') missing.push('typeName');
  if (typeof schema.properties !== 'object' || schema.properties === null || Array.isArray(schema.properties)) missing.push('properties');
  const id = schema.primaryIdentifier;
  if (!Array.isArray(id) || id.length === 0 || !id.every((p) => typeof p === 'string')) missing.push('primaryIdentifier');
  if (missing.length > 0) return `not a resource schema (missing or invalid ${missing.join(', ')})`;
  sourceText.set(value as ResourceSchema, text);
  return value as ResourceSchema;
}

/**
 * The file's own text, for DescribeType: re-serializing the parsed schema would not give AWS's bytes back
 * (9223372036854775807 bounds, for one, do not survive a trip through a JavaScript number).
 */
const sourceText = new WeakMap<ResourceSchema, string>();

function wrap(schema: ResourceSchema, origin: string): ResourceType {
  // resourceTypeFromSchema returns a plain object of closures, so a spread keeps it working.
  const text = sourceText.get(schema);
  return { ...resourceTypeFromSchema(schema, 'registry'), origin, ...(text === undefined ? {} : { schemaText: text }) };
}

function describeFsError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'no such file or directory';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  return (error as Error).message;
}

/** A file that looks like a schema: `*.json`, not macOS metadata (`__MACOSX/`, `._name.json`). */
function isSchemaFileName(path: string): boolean {
  const name = basename(path);
  return name.toLowerCase().endsWith('.json') && !name.startsWith('._') && !path.includes('__MACOSX/');
}

// ---------------------------------------------------------------------------------------------------------
// Directories and single files: small, user-written; everything is read and checked at open.

function openDirectory(dir: string, options: SchemaBundleOptions): SchemaBundle {
  let names: string[];
  try {
    names = readdirSync(dir, { withFileTypes: true })
      .filter((d) => (d.isFile() || d.isSymbolicLink()) && isSchemaFileName(d.name))
      .map((d) => d.name)
      .sort();
  } catch (error) {
    throw new SchemaBundleError(dir, describeFsError(error));
  }
  if (names.length === 0) throw new SchemaBundleError(dir, 'no schema files (*.json) in this directory');
  return eagerBundle(dir, 'directory', names.map((n) => join(dir, n)), options);
}

function openSingleFile(file: string, options: SchemaBundleOptions): SchemaBundle {
  // Given on its own, a broken file is the whole catalogue: fail instead of starting with nothing.
  return eagerBundle(file, 'file', [file], options, (reason) => {
    throw new SchemaBundleError(file, reason);
  });
}

function eagerBundle(
  origin: string,
  format: 'directory' | 'file',
  files: string[],
  options: SchemaBundleOptions,
  onSkip?: (reason: string) => void,
): SchemaBundle {
  const warnings: string[] = [];
  const warn = (message: string) => {
    warnings.push(message);
    options.onWarning?.(message);
  };
  const skip = (file: string, reason: string) => {
    onSkip?.(reason);
    warn(`${basename(file)}: skipped: ${reason}`);
  };
  const schemas = new Map<string, { schema: ResourceSchema; file: string }>();
  let parsedCount = 0;
  for (const file of files) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      skip(file, describeFsError(error));
      continue;
    }
    parsedCount++;
    const parsed = parseSchema(text);
    if (typeof parsed === 'string') {
      skip(file, parsed);
      continue;
    }
    const earlier = schemas.get(parsed.typeName);
    if (earlier) warn(`${basename(file)}: ${parsed.typeName} is also defined in ${basename(earlier.file)}; using ${basename(file)}`);
    schemas.set(parsed.typeName, { schema: parsed, file });
  }
  const loaded = new Map<string, ResourceType>();
  const get = (typeName: string): ResourceType | undefined => {
    let type = loaded.get(typeName);
    if (type) return type;
    const found = schemas.get(typeName);
    if (!found) return undefined;
    type = wrap(found.schema, found.file);
    loaded.set(typeName, type);
    return type;
  };
  return {
    source: 'registry',
    origin,
    format,
    warnings,
    parsedCount,
    size: schemas.size,
    has: (typeName) => schemas.has(typeName),
    get,
    typeNames: () => [...schemas.keys()].sort(),
    indexKeys: () => [...schemas.keys()].map(typeKey),
  };
}

// ---------------------------------------------------------------------------------------------------------
// Zips: indexed by file name at open, parsed per type on first use.

/** One schema file of the zip and what is known about it so far. */
interface ZipSlot {
  readonly entry: ZipEntry;
  /** The exact type name inside, once the file has been parsed. */
  typeName?: string;
  /** Why the file cannot be used, once found out. */
  broken?: string;
  type?: ResourceType;
}

/** No schema comes near this; it bounds what a hostile or damaged entry can make us allocate. */
const MAX_SCHEMA_BYTES = 64 * 1024 * 1024;

function openZip(path: string, options: SchemaBundleOptions): SchemaBundle {
  let zip: Buffer;
  let entries: ZipEntry[];
  try {
    zip = readFileSync(path);
  } catch (error) {
    throw new SchemaBundleError(path, describeFsError(error));
  }
  try {
    entries = readZipDirectory(zip);
  } catch (error) {
    throw new SchemaBundleError(path, (error as Error).message);
  }

  const warnings: string[] = [];
  const warn = (message: string) => {
    warnings.push(message);
    options.onWarning?.(message);
  };
  // Keyed by the file's name (lower-cased, without folders and `.json`), which is typeKey() of the type it holds.
  const slots = new Map<string, ZipSlot>();
  for (const entry of entries) {
    if (entry.name.endsWith('/') || !isSchemaFileName(entry.name)) continue;
    const key = basename(entry.name).slice(0, -'.json'.length).toLowerCase();
    const earlier = slots.get(key);
    if (earlier) warn(`${entry.name}: same file name as ${earlier.entry.name}; using ${entry.name}`);
    slots.set(key, { entry });
  }
  if (slots.size === 0) throw new SchemaBundleError(path, 'no schema files (*.json) in the zip');

  let parsedCount = 0;
  let broken = 0;
  let allParsed = false;

  /** Parses a slot's schema (not cached: callers keep what they need). Marks the slot broken on failure. */
  function parseSlot(key: string, slot: ZipSlot): ResourceSchema | undefined {
    if (slot.broken !== undefined) return undefined;
    let parsed: ResourceSchema | string;
    try {
      parsedCount++;
      parsed = parseSchema(readZipEntry(zip, slot.entry, MAX_SCHEMA_BYTES).toString('utf8'));
    } catch (error) {
      parsed = (error as Error).message;
    }
    // Lookups go by file name, so a file named otherwise could only be found by parsing the whole zip first;
    // skipping it keeps get() the same before and after typeNames(). (Every file in AWS's bundle conforms.)
    if (typeof parsed !== 'string' && typeKey(parsed.typeName) !== key) {
      parsed = `holds ${parsed.typeName}, which AWS's bundle names ${typeKey(parsed.typeName)}.json (rename it, or use a directory)`;
    }
    if (typeof parsed === 'string') {
      slot.broken = parsed;
      broken++;
      warn(`${slot.entry.name}: skipped: ${parsed}`);
      return undefined;
    }
    slot.typeName = parsed.typeName;
    return parsed;
  }

  function get(typeName: string): ResourceType | undefined {
    const key = typeKey(typeName);
    const slot = slots.get(key);
    if (!slot || slot.broken !== undefined) return undefined;
    // The file matches case-insensitively; AWS's type names do not.
    if (slot.typeName !== undefined && slot.typeName !== typeName) return undefined;
    if (!slot.type) {
      const schema = parseSlot(key, slot);
      if (!schema) return undefined;
      slot.type = wrap(schema, path);
    }
    return slot.type.typeName === typeName ? slot.type : undefined;
  }

  /** Parses every file not parsed yet, to learn exact names (and which files are broken). */
  function scanAll(): void {
    if (allParsed) return;
    for (const [key, slot] of slots) if (slot.typeName === undefined) parseSlot(key, slot);
    allParsed = true;
  }

  return {
    source: 'registry',
    origin: path,
    format: 'zip',
    warnings,
    get parsedCount() {
      return parsedCount;
    },
    /** Schema files in the zip, less those found broken so far. */
    get size() {
      return slots.size - broken;
    },
    has(typeName) {
      const slot = slots.get(typeKey(typeName));
      if (!slot || slot.broken !== undefined) return false;
      // Once the exact name is known (after typeNames()), answering needs no parse.
      return slot.typeName !== undefined ? slot.typeName === typeName : get(typeName) !== undefined;
    },
    get,
    typeNames() {
      scanAll();
      const names: string[] = [];
      for (const slot of slots.values()) if (slot.broken === undefined) names.push(slot.typeName!);
      return names.sort();
    },
    indexKeys() {
      const keys: string[] = [];
      for (const [key, slot] of slots) if (slot.broken === undefined) keys.push(key);
      return keys;
    },
  };
}
