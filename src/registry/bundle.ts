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
 * The zip is read with the few lines of central-directory parsing below rather than adm-zip: adm-zip builds
 * a closure-heavy object per entry, which for this bundle costs ~180 ms (module load included) and ~50 MB
 * RSS at open; this costs ~20 ms and ~9 MB (the compressed bytes plus one small record per file).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, extname, join, resolve } from 'node:path';
import { inflateRawSync } from 'node:zlib';
import { resourceTypeFromSchema } from './catalogue.js';
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

/** Where one file's bytes are in the zip, from its central-directory record. */
interface ZipEntryRef {
  readonly name: string;
  readonly localHeaderOffset: number;
  readonly compressedSize: number;
  readonly uncompressedSize: number;
  readonly method: number;
  readonly flags: number;
  readonly crc: number;
}

/** One schema file of the zip and what is known about it so far. */
interface ZipSlot {
  readonly entry: ZipEntryRef;
  /** The exact type name inside, once the file has been parsed. */
  typeName?: string;
  /** Why the file cannot be used, once found out. */
  broken?: string;
  type?: ResourceType;
}

const SIG_END_OF_CENTRAL_DIR = 0x06054b50;
const SIG_CENTRAL_FILE = 0x02014b50;
const SIG_LOCAL_FILE = 0x04034b50;
/** No schema comes near this; it bounds what a hostile or damaged entry can make us allocate. */
const MAX_SCHEMA_BYTES = 64 * 1024 * 1024;

/** Reads the central directory (PKWARE APPNOTE.TXT 4.3.12-4.3.16); throws, saying why, on a damaged zip. */
function readCentralDirectory(zip: Buffer): ZipEntryRef[] {
  // The end record is 22 bytes plus a comment of up to 64 KiB, so it starts within the last 65,557 bytes.
  let end = -1;
  for (let i = zip.length - 22; i >= Math.max(0, zip.length - 22 - 0xffff); i--) {
    if (zip.readUInt32LE(i) === SIG_END_OF_CENTRAL_DIR) {
      end = i;
      break;
    }
  }
  if (end === -1) throw new Error('not a zip file (no end of central directory record)');
  const count = zip.readUInt16LE(end + 10);
  const size = zip.readUInt32LE(end + 12);
  const offset = zip.readUInt32LE(end + 16);
  if (count === 0xffff || offset === 0xffffffff || size === 0xffffffff) throw new Error('zip64 archives are not supported');
  if (offset + size > end) throw new Error('damaged zip (central directory out of bounds)');
  const entries: ZipEntryRef[] = [];
  let p = offset;
  for (let i = 0; i < count; i++) {
    if (p + 46 > end || zip.readUInt32LE(p) !== SIG_CENTRAL_FILE) throw new Error(`damaged zip (central directory record ${i + 1} of ${count})`);
    const nameLength = zip.readUInt16LE(p + 28);
    entries.push({
      flags: zip.readUInt16LE(p + 8),
      method: zip.readUInt16LE(p + 10),
      crc: zip.readUInt32LE(p + 16),
      compressedSize: zip.readUInt32LE(p + 20),
      uncompressedSize: zip.readUInt32LE(p + 24),
      localHeaderOffset: zip.readUInt32LE(p + 42),
      name: zip.toString('utf8', p + 46, p + 46 + nameLength),
    });
    p += 46 + nameLength + zip.readUInt16LE(p + 30) + zip.readUInt16LE(p + 32);
  }
  return entries;
}

/** The uncompressed bytes of one entry; throws, saying why, when they cannot be had intact. */
function readEntry(zip: Buffer, entry: ZipEntryRef): Buffer {
  if (entry.flags & 0x1) throw new Error('encrypted');
  if (entry.uncompressedSize > MAX_SCHEMA_BYTES) throw new Error(`too large (${entry.uncompressedSize} bytes)`);
  const at = entry.localHeaderOffset;
  if (at + 30 > zip.length || zip.readUInt32LE(at) !== SIG_LOCAL_FILE) throw new Error('damaged zip (local header)');
  // The local header's name and extra field may differ in length from the central record's.
  const start = at + 30 + zip.readUInt16LE(at + 26) + zip.readUInt16LE(at + 28);
  const end = start + entry.compressedSize;
  if (end > zip.length) throw new Error('damaged zip (data out of bounds)');
  const raw = zip.subarray(start, end);
  let data: Buffer;
  if (entry.method === 0) data = raw;
  else if (entry.method === 8) {
    try {
      data = inflateRawSync(raw, { maxOutputLength: MAX_SCHEMA_BYTES });
    } catch (error) {
      throw new Error(`damaged zip data (${(error as Error).message})`);
    }
  } else throw new Error(`compression method ${entry.method} not supported`);
  if (data.length !== entry.uncompressedSize || crc32(data) !== entry.crc) throw new Error('damaged zip data (CRC mismatch)');
  return data;
}

let crcTable: Int32Array | undefined;

/** CRC-32 (IEEE), as zip stores it. zlib.crc32 would do, but only from Node 20.15. */
function crc32(data: Uint8Array): number {
  if (!crcTable) {
    crcTable = new Int32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c;
    }
  }
  let crc = -1;
  for (let i = 0; i < data.length; i++) crc = crcTable[(crc ^ data[i]!) & 0xff]! ^ (crc >>> 8);
  return (crc ^ -1) >>> 0;
}

function openZip(path: string, options: SchemaBundleOptions): SchemaBundle {
  let zip: Buffer;
  let entries: ZipEntryRef[];
  try {
    zip = readFileSync(path);
  } catch (error) {
    throw new SchemaBundleError(path, describeFsError(error));
  }
  try {
    entries = readCentralDirectory(zip);
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
      parsed = parseSchema(readEntry(zip, slot.entry).toString('utf8'));
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
