// Schema violations worded as CloudFormation words them: everit-json-schema's messages, scrubbed as
// aws-cloudformation-resource-schema's ValidationException scrubs them (see validation.ts), from ajv's errors.
import type { ErrorObject } from 'ajv';

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

const codePoints = (v: unknown) => (typeof v === 'string' ? [...v].length : 0);

/** everit's keyword for an ajv error that CloudFormation scrubs. */
function everitKeyword(e: ErrorObject): string {
  if (e.keyword === 'if') return String((e.params as { failingKeyword?: string }).failingKeyword ?? 'if');
  if (e.keyword === 'false schema') return 'false';
  return e.keyword;
}

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
    case 'minItems':
      return `${at}: expected minimum item count: ${p.limit}, found: ${Array.isArray(e.data) ? e.data.length : 0}`;
    case 'maxItems':
      return `${at}: expected maximum item count: ${p.limit}, found: ${Array.isArray(e.data) ? e.data.length : 0}`;
    case 'uniqueItems':
      return `${at}: array items are not unique`;
    case 'contains':
      return `${at}: expected at least one array item to match 'contains' schema`;
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
    default:
      // pattern, enum, const, minimum/maximum, exclusive*, multipleOf, format, not, … would echo the value.
      return `${at}: failed validation constraint for keyword [${everitKeyword(e)}]`;
  }
}

const within = (path: string, base: string) => path === base || path.startsWith(base + '/');

/**
 * Indexes of errors that ajv reports *under* a failed anyOf/oneOf/contains (everit reports only the combined
 * failure).
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
    if (e.keyword !== 'anyOf' && e.keyword !== 'oneOf' && e.keyword !== 'contains') return;
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
