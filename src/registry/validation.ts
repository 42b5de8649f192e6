// Resource model validation against a registry schema (ajv 8), with violations worded as CloudFormation
// reports them (its handlers validate with everit-json-schema): "#/DelaySeconds: expected type: Integer, found: String".
import { Ajv, type ErrorObject, type Options } from 'ajv';
import type { JsonSchema, ResourceSchema } from './types.js';
import { propertyTokens } from './pointers.js';

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

/**
 * Seam for Java-regex translation (issue 3): registry patterns are java.util.regex syntax (\A, \Z, (?i), \p{Graph}).
 * For now patterns pass through unchanged and compilePattern degrades gracefully.
 */
export function translateJavaPattern(pattern: string): string {
  return pattern;
}

const MATCH_ALL = { test: (_s: string) => true };

/** ajv `code.regExp` hook: with the `u` flag, then without, then match-all, so a bad pattern never throws. */
function compilePattern(pattern: string, flags: string): { test(s: string): boolean } {
  const source = translateJavaPattern(pattern);
  for (const f of new Set([flags, flags.replace('u', '')])) {
    try {
      return new RegExp(source, f);
    } catch {
      // try the next, more lenient, variant
    }
  }
  return MATCH_ALL;
}
compilePattern.code = 'new RegExp';

let shared: Ajv | undefined;
function ajv(): Ajv {
  if (shared) return shared;
  const options: Options = {
    allErrors: true, // CloudFormation reports every violation, not the first
    verbose: true, // errors carry the offending data, needed for everit's "found"/"actual" wording
    strict: false, // third-party schemas carry keywords nobody registered
    strictTypes: false,
    validateFormats: false, // registry formats include garbage ("string", regexes); CloudFormation ignores them
    validateSchema: false, // schemas are checked when registered, not on every compile
    addUsedSchema: false, // a nested $id in one type must not collide with another type's
    // optimize:false halves compile time (all built-in types: ~19 s -> ~10 s) with no measurable cost per
    // validation (S3::Bucket ~0.3 us either way).
    code: { regExp: compilePattern, optimize: false },
  };
  shared = new Ajv(options);
  shared.addVocabulary(CFN_KEYWORDS);
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

export function compileModelValidator(schema: ResourceSchema): (model: unknown) => string[] {
  const validate = ajv().compile(modelSchema(schema));
  return (model) => (validate(model) ? [] : translateErrors(validate.errors ?? []));
}

/** The ValidationException message Cloud Control returns for schema violations. */
export function modelValidationFailed(violations: string[]): string {
  return `Model validation failed (${violations.join('\n    ')})`;
}

const TYPE_NAMES: Record<string, string> = {
  string: 'String', integer: 'Integer', number: 'Number', boolean: 'Boolean',
  object: 'JSONObject', array: 'JSONArray', null: 'Null',
};

/** everit names the Java class of the value; fractional numbers are reported as "Number" here. */
function foundType(v: unknown): string {
  if (v === null) return 'Null';
  if (Array.isArray(v)) return 'JSONArray';
  if (typeof v === 'number') return Number.isInteger(v) ? 'Integer' : 'Number';
  return TYPE_NAMES[typeof v] ?? 'JSONObject';
}

const show = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v));
const codePoints = (v: unknown) => (typeof v === 'string' ? [...v].length : 0);

function message(e: ErrorObject): string {
  const p = e.params as Record<string, unknown>;
  const at = `#${e.instancePath}`;
  switch (e.keyword) {
    case 'additionalProperties':
      return `${at}: extraneous key [${p.additionalProperty}] is not permitted`;
    case 'required':
      return `${at}: required key [${p.missingProperty}] not found`;
    case 'dependencies':
    case 'dependentRequired':
      return `${at}: property [${p.missingProperty}] is required`;
    case 'type': {
      const types = Array.isArray(p.type) ? p.type : String(p.type).split(',');
      // everit loads a type list as anyOf over single-type schemas.
      if (types.length > 1) return `${at}: #: no subschema matched out of the total ${types.length} subschemas`;
      return `${at}: expected type: ${TYPE_NAMES[types[0] as string] ?? types[0]}, found: ${foundType(e.data)}`;
    }
    case 'minLength':
      return `${at}: expected minLength: ${p.limit}, actual: ${codePoints(e.data)}`;
    case 'maxLength':
      return `${at}: expected maxLength: ${p.limit}, actual: ${codePoints(e.data)}`;
    case 'pattern':
      return `${at}: string [${show(e.data)}] does not match pattern ${p.pattern}`;
    case 'enum':
      return `${at}: ${show(e.data)} is not a valid enum value`;
    case 'maximum':
      return `${at}: ${show(e.data)} is not less or equal to ${p.limit}`;
    case 'exclusiveMaximum':
      return `${at}: ${show(e.data)} is not less than ${p.limit}`;
    case 'minimum':
      return `${at}: ${show(e.data)} is not greater or equal to ${p.limit}`;
    case 'exclusiveMinimum':
      return `${at}: ${show(e.data)} is not greater than ${p.limit}`;
    case 'multipleOf':
      return `${at}: ${show(e.data)} is not a multiple of ${p.multipleOf}`;
    case 'minItems':
      return `${at}: expected minimum item count: ${p.limit}, found: ${Array.isArray(e.data) ? e.data.length : 0}`;
    case 'maxItems':
      return `${at}: expected maximum item count: ${p.limit}, found: ${Array.isArray(e.data) ? e.data.length : 0}`;
    case 'uniqueItems':
      return `${at}: array items are not unique`;
    case 'minProperties':
      return `${at}: minimum size: [${p.limit}], found: [${Object.keys(e.data as object).length}]`;
    case 'maxProperties':
      return `${at}: maximum size: [${p.limit}], found: [${Object.keys(e.data as object).length}]`;
    case 'anyOf':
    case 'oneOf': {
      const total = Array.isArray(e.schema) ? e.schema.length : 0;
      const passing = p.passingSchemas;
      if (Array.isArray(passing)) return `${at}: #: ${passing.length} subschemas matched instead of one`;
      return `${at}: #: no subschema matched out of the total ${total} subschemas`;
    }
    case 'not':
      return `${at}: subject must not be valid against schema ${JSON.stringify(e.schema)}`;
    case 'const':
      return `${at}: ${show(e.data)} is not the expected constant value`;
    case 'false schema':
      return `${at}: false schema always fails`;
    default:
      return `${at}: ${e.message ?? e.keyword}`;
  }
}

const within = (path: string, base: string) => path === base || path.startsWith(base + '/');

/**
 * Indexes of errors that ajv reports *under* a failed anyOf/oneOf (everit reports only the combined failure).
 * ajv emits a combinator's sub-errors immediately before its own error, and evaluates anyOf/oneOf before the
 * sibling keywords of the same schema object. So walk back from the combinator while errors concern the same
 * data and are not from a sibling keyword. Inline sub-errors sit under its schemaPath; sub-errors reached through
 * a $ref carry the referenced definition's path instead, hence the "not a sibling" test rather than a prefix test.
 * (A sibling allOf whose branch is a $ref, evaluated just before, could be swallowed too; CloudFormation schemas
 * do not combine them that way in practice.)
 */
function suppressedByCombinators(errors: ErrorObject[]): Set<number> {
  const out = new Set<number>();
  errors.forEach((e, i) => {
    if (e.keyword !== 'anyOf' && e.keyword !== 'oneOf') return;
    const own = e.schemaPath + '/';
    const parent = e.schemaPath.slice(0, e.schemaPath.lastIndexOf('/')) + '/';
    for (let k = i - 1; k >= 0; k--) {
      const s = errors[k]!;
      if (!within(s.instancePath, e.instancePath)) break;
      const inside = s.schemaPath.startsWith(own) || s.schemaPath.startsWith(parent + 'definitions/');
      if (!inside && s.schemaPath.startsWith(parent)) break; // sibling keyword of the combinator
      out.add(k);
    }
  });
  return out;
}

export function translateErrors(errors: ErrorObject[]): string[] {
  const skip = suppressedByCombinators(errors);
  const out = new Set<string>();
  errors.forEach((e, i) => {
    if (!skip.has(i)) out.add(message(e));
  });
  return [...out];
}
