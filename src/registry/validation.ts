// Resource model validation against a registry schema (ajv 8), worded as CloudFormation reports it.
// CloudFormation validates with everit-json-schema (draft-07) through aws-cloudformation-resource-schema, whose
// ValidationException scrubs every message that could echo a value: only required, min/maxProperties,
// dependencies, additionalProperties, min/maxLength, min/maxItems, uniqueItems, contains, type, allOf, anyOf and
// oneOf keep everit's text; the rest read "#/Path: failed validation constraint for keyword [pattern]" (observed
// verbatim from AWS, e.g. "Model validation failed (#/EventSourceArn: failed validation constraint for keyword
// [pattern])"). Patterns are Java regexes (java-regex.ts); CloudFormation's own keywords are annotations; formats
// follow everit (below); validators compile per top-level property, on demand (compileByProperty); the list
// handler's handlerSchema validates ListResources' ResourceModel (list-model.ts). The messages are worded in
// validation-messages.ts.
import { Ajv, type ErrorObject, type Options, type ValidateFunction } from 'ajv';
import type { JsonSchema, ResourceSchema } from './types.js';
import { propertyTokens } from './pointers.js';
import { compileJavaPattern } from './java-regex.js';
import { lazyRefKeyword, lazyRefs, throughLazyRef, type LazyRefs } from './lazy-refs.js';
import { translateErrors } from './validation-messages.js';

/** Keywords of the CloudFormation resource schema meta-schema; registered so ajv treats them as annotations. */
const CFN_KEYWORDS = [
  'insertionOrder', 'arrayType', 'relationshipRef', 'tagging', 'handlers', 'primaryIdentifier',
  'additionalIdentifiers', 'readOnlyProperties', 'writeOnlyProperties', 'createOnlyProperties',
  'deprecatedProperties', 'conditionalCreateOnlyProperties', 'typeName', 'sourceUrl', 'documentationUrl',
  'replacementStrategy', 'propertyTransform', 'taggable', 'nonPublicProperties', 'nonPublicDefinitions',
  'resourceLink', 'x-ccapi-arnTemplate', 'tagOnCreate', 'tagUpdatable', 'tagProperty',
  'cloudFormationSystemTags', 'enumDescriptions', 'propertyTransformSchema',
];

/** Top-level keywords of a resource schema that constrain the model, beyond properties/required. */
const MODEL_KEYWORDS = ['oneOf', 'anyOf', 'allOf', 'not', 'dependencies', 'patternProperties', 'minProperties', 'maxProperties'];

const MATCH_ALL = { test: (_s: string) => true };
const fallbacks = new Map<string, string>();

/**
 * Patterns that could not be translated and match everything instead (pattern -> reason). None of the official
 * bundle's; a custom schema can still bring one (e.g. \p{InGreek}: JS has no Unicode blocks). everit would have
 * rejected such a schema when it was registered, so accepting values here is the lenient choice.
 */
export function patternFallbacks(): ReadonlyMap<string, string> {
  return fallbacks;
}

/** ajv `code.regExp` hook: registry patterns are java.util.regex syntax, searched like Matcher.find(). */
function compilePattern(pattern: string): { test(s: string): boolean } {
  try {
    return compileJavaPattern(pattern);
  } catch (err) {
    fallbacks.set(pattern, (err as Error).message);
    return MATCH_ALL;
  }
}
compilePattern.code = 'new RegExp';

// --- Formats ------------------------------------------------------------------------------------------------------
// everit's draft-07 loader validates the formats it knows and ignores the others; the bundle uses date-time (406
// times), uri (once) and unknown ones (int64, double, timestamp, "string", a regex...). These follow everit's
// validators, checked against the JDK: date-time is DateTimeFormatter "yyyy-MM-dd'T'HH:mm:ss[.S{1,9}]XXX" (offset
// required, 'T' and 'Z' upper case, fields range-checked but not resolved, so 2024-02-30 passes and 24:00:00 is
// accepted), date is ISO_LOCAL_DATE (a real date), uri is java.net.URI with a scheme, or protocol-relative "//…".
// everit's email, hostname, ipv4, ipv6, uri-reference, uri-template and json-pointer are not used by the bundle and
// are accepted unchecked here.

const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:Z|[+-](\d{2}):(\d{2}))$/;

function isDateTime(s: string): boolean {
  const m = DATE_TIME.exec(s);
  if (!m) return false;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  const endOfDay = hour === 24 && minute === 0 && second === 0 && !/[1-9]/.test(m[7] ?? '');
  const offsetOk = m[8] === undefined || (Number(m[8]) < 18 && Number(m[9]) < 60) || (m[8] === '18' && m[9] === '00');
  return year > 0 && month >= 1 && month <= 12 && day >= 1 && day <= 31 && (hour < 24 || endOfDay) && minute < 60 && second < 60 && offsetOk;
}

function isDate(s: string): boolean {
  const m = /^([+-]\d{5,10}|\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return false;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1];
  return days !== undefined && day >= 1 && day <= days;
}

function isUri(s: string): boolean {
  if (!/^(?:[A-Za-z][A-Za-z0-9+.-]*:[^]|\/\/)/.test(s)) return false;
  if (/["<>\\^`{|}]|%(?![0-9A-Fa-f]{2})|[\p{Z}\p{Cc}]/u.test(s)) return false;
  return s.indexOf('#') === s.lastIndexOf('#');
}

const FORMATS = { 'date-time': isDateTime, date: isDate, uri: isUri };

/** ajv's logger without its "unknown format" warnings: unknown formats are ignored on purpose, as everit does. */
const logger = {
  log: (...args: unknown[]) => console.log(...args),
  warn: (...args: unknown[]) => {
    if (!String(args[0]).startsWith('unknown format')) console.warn(...args);
  },
  error: (...args: unknown[]) => console.error(...args),
};

let shared: Ajv | undefined;
function ajv(): Ajv {
  if (shared) return shared;
  const options: Options = {
    allErrors: true, // CloudFormation reports every violation, not the first
    verbose: true, // errors carry the offending data, needed for everit's "found"/"actual" wording
    strict: false, // third-party schemas carry keywords nobody registered
    strictTypes: false,
    formats: FORMATS,
    validateSchema: false, // schemas are checked when registered, not on every compile
    addUsedSchema: false, // a nested $id in one type must not collide with another type's
    logger,
    // optimize:false halves compile time (all built-in types: ~19 s -> ~10 s) with no measurable cost per
    // validation (S3::Bucket ~0.3 us either way).
    code: { regExp: compilePattern, optimize: false },
  };
  shared = new Ajv(options);
  shared.addVocabulary(CFN_KEYWORDS);
  shared.addKeyword(lazyRefKeyword);
  return shared;
}

/** The JSON Schema that a model is validated against: the schema's model part, readOnly never required. */
export function modelSchema(schema: ResourceSchema): JsonSchema {
  const readOnlyTop = new Set(
    (schema.readOnlyProperties ?? []).map(propertyTokens).filter((t) => t.length === 1).map((t) => t[0]),
  );
  const root: JsonSchema = { type: 'object', properties: schema.properties ?? {} };
  if (schema.definitions) root.definitions = schema.definitions;
  const required = (schema.required ?? []).filter((r) => !readOnlyTop.has(r));
  if (required.length) root.required = required;
  if (schema.additionalProperties !== undefined) root.additionalProperties = schema.additionalProperties;
  for (const k of MODEL_KEYWORDS) if (schema[k] !== undefined) root[k] = schema[k];
  return root;
}

export function compileSchema(root: JsonSchema): (model: unknown) => string[] {
  const validate = ajv().compile(root);
  return (model) => (validate(model) ? [] : translateErrors(validate.errors ?? []));
}

/** Where a document's top-level properties live for per-property compilation (kept out of `properties`). */
const PROPERTY_FRAGMENTS = 'x-ccapi-properties';
let documents = 0;
const escapeToken = (t: string) => encodeURIComponent(t.replace(/~/g, '~0').replace(/\//g, '~1'));

const lazyRefsBySchema = new WeakMap<ResourceSchema, LazyRefs | null>();

/** The lazy references of a resource schema (lazy-refs.ts), shared by its validators; null when it has none. */
function lazyRefsOf(schema: ResourceSchema): LazyRefs | null {
  let lazy = lazyRefsBySchema.get(schema);
  if (lazy === undefined) {
    const parts = [schema.properties, schema.definitions, ...MODEL_KEYWORDS.map((k) => schema[k])];
    lazy = lazyRefs(ajv(), schema.definitions, parts) ?? null;
    lazyRefsBySchema.set(schema, lazy);
  }
  return lazy;
}

/**
 * Per-property compilation: a "shell" validator checks the root keywords (type, required, additionalProperties,
 * root combinators; every property schema replaced by `true`), and each top-level property's schema is compiled
 * the first time a model carries that property; each definition it refers to is compiled the first time a model
 * reaches it (lazy-refs.ts). QuickSight::Analysis generates ~2.4 MB of validation code when compiled whole, a
 * first CreateResource only pays for the parts its model uses. Violations come out in the same order as from one
 * whole-schema validator: root combinators and object keywords, then properties in schema order, then
 * patternProperties.
 * Without lazy references (a reference lazy-refs.ts cannot mirror), a property is compiled with every definition
 * it reaches, and undefined is returned when the schema cannot be split at all (a `$ref` into "#/properties/…").
 */
function compileByProperty(schema: ResourceSchema, root: JsonSchema): ((model: unknown) => string[]) | undefined {
  const properties = (root.properties ?? {}) as Record<string, JsonSchema>;
  const names = Object.keys(properties);
  const shellSchema: JsonSchema = { ...root, properties: Object.fromEntries(names.map((n) => [n, true])) };
  const lazy = lazyRefsOf(schema);
  let shell: ValidateFunction;
  let compileProperty: (name: string) => ValidateFunction;
  if (lazy) {
    delete shellSchema.definitions; // references are resolved by the stubs, not by ajv
    shell = lazy.compile(shellSchema);
    compileProperty = (name) => lazy.compile(properties[name]);
  } else {
    const refersToProperties = (node: unknown): boolean =>
      Array.isArray(node) ? node.some(refersToProperties)
        : !!node && typeof node === 'object' &&
          Object.entries(node).some(([k, v]) => (k === '$ref' && typeof v === 'string' && !v.startsWith('#/definitions/')) || refersToProperties(v));
    if (refersToProperties(properties) || refersToProperties(schema.definitions) || MODEL_KEYWORDS.some((k) => refersToProperties(root[k]))) return undefined;
    shell = ajv().compile(shellSchema);
    const key = `ccapi-model-${++documents}`;
    ajv().addSchema({ definitions: schema.definitions ?? {}, [PROPERTY_FRAGMENTS]: properties }, key);
    compileProperty = (name) => ajv().getSchema(`${key}#/${PROPERTY_FRAGMENTS}/${escapeToken(name)}`)!;
  }
  const fragments = new Map<string, ValidateFunction>();
  const fragment = (name: string): ValidateFunction => {
    let v = fragments.get(name);
    if (!v) {
      v = compileProperty(name);
      fragments.set(name, v);
    }
    return v;
  };
  const validate = (model: unknown): string[] => {
    const errors: ErrorObject[] = [];
    const late: ErrorObject[] = [];
    if (!shell(model)) {
      for (const e of shell.errors ?? []) (e.schemaPath.startsWith('#/patternProperties/') ? late : errors).push(e);
    }
    if (model && typeof model === 'object' && !Array.isArray(model)) {
      for (const name of names) {
        if (!Object.hasOwn(model, name)) continue;
        const v = fragment(name);
        if (v((model as Record<string, unknown>)[name])) continue;
        const prefix = '/' + name.replace(/~/g, '~0').replace(/\//g, '~1');
        for (const e of v.errors ?? []) {
          // A definition's errors keep their paths, as when the property is compiled in place with the document.
          const schemaPath = throughLazyRef(e) ? e.schemaPath : `#/properties/${escapeToken(name)}${e.schemaPath.slice(1)}`;
          errors.push({ ...e, instancePath: prefix + e.instancePath, schemaPath });
        }
      }
    }
    errors.push(...late);
    return errors.length ? translateErrors(errors) : [];
  };
  return Object.assign(validate, {
    compileAll: () => {
      names.forEach(fragment);
      lazy?.compileAll();
    },
  });
}

export interface ModelValidator {
  (model: unknown): string[];
  /** Compiles every part now (for sweeps and measurements); a no-op when compiled whole. */
  compileAll(): void;
}

/**
 * The model validator of a resource schema. By default the compilation is per top-level property and on demand
 * (see compileByProperty); `{ whole: true }` compiles the whole schema at once.
 */
export function compileModelValidator(schema: ResourceSchema, options: { whole?: boolean } = {}): ModelValidator {
  const root = modelSchema(schema);
  const split = options.whole ? undefined : compileByProperty(schema, root);
  return (split as ModelValidator | undefined) ?? Object.assign(compileSchema(root), { compileAll: () => {} });
}

const fragmentValidators = new WeakMap<object, ValidateFunction | null>();

/**
 * Whether `value` satisfies `node`, a schema fragment of `schema` (its "#/definitions/…" refs resolve there).
 * Compiled once per fragment. A fragment that cannot be compiled on its own (a ref elsewhere) counts as satisfied.
 */
export function satisfies(schema: ResourceSchema, node: JsonSchema, value: unknown): boolean {
  let validate = fragmentValidators.get(node);
  if (validate === undefined) {
    try {
      const lazy = lazyRefsOf(schema);
      validate = lazy ? lazy.compile(node) : ajv().compile({ ...node, definitions: schema.definitions ?? {} });
    } catch {
      validate = null;
    }
    fragmentValidators.set(node, validate);
  }
  if (validate === null) return true;
  try {
    return validate(value) as boolean;
  } catch {
    fragmentValidators.set(node, null); // a definition reached lazily that does not compile
    return true;
  }
}
