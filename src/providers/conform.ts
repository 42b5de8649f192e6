/**
 * Generated values must satisfy the type's own schema, or the model the generic provider stores would
 * fail the next UpdateResource's validation for properties the client never set. A realistic candidate
 * (an EC2-style id, a CloudFormation-style name) is kept when it fits; otherwise it is reshaped, and as a
 * last resort a value is drawn from the property's pattern.
 */
import { createRequire } from 'node:module';
import { compileJavaPattern } from '../registry/java-regex.js';
import type { ResourceType } from '../registry/types.js';

type Schema = Record<string, unknown>;

/** randexp is CommonJS (module.exports is the class); its typings claim a default export. */
const RandExp = createRequire(import.meta.url)('randexp') as new (pattern: RegExp) => { max: number; gen(): string };

/** Follows `$ref: "#/definitions/X"` (repeatedly) to the schema it names. */
export function resolveSchema(type: ResourceType, schema: Schema | undefined): Schema | undefined {
  let current = schema;
  for (let hops = 0; current && typeof current.$ref === 'string' && hops < 10; hops++) {
    const ref = current.$ref as string;
    if (!ref.startsWith('#/definitions/')) return current;
    current = type.schema.definitions?.[ref.slice('#/definitions/'.length)] as Schema | undefined;
  }
  return current;
}

export function typeOf(schema: Schema | undefined): string | undefined {
  const t = schema?.type;
  return Array.isArray(t) ? (t[0] as string) : (t as string | undefined);
}

function pattern(schema: Schema): RegExp | undefined {
  if (typeof schema.pattern !== 'string') return undefined;
  try {
    return compileJavaPattern(schema.pattern);
  } catch {
    return undefined;
  }
}

/**
 * Whether the schema's pattern says something about a value's shape: it rejects a string no identifier or
 * name would be (spaces, punctuation, mixed case). `^.*$` and its kin say nothing.
 */
export function hasMeaningfulPattern(schema: Schema | undefined): boolean {
  const re = schema ? pattern(schema) : undefined;
  return re !== undefined && !re.test('~ Not An Id! ~') && !re.test('');
}

export function fitsString(schema: Schema, value: string): boolean {
  if (typeof schema.minLength === 'number' && value.length < schema.minLength) return false;
  if (typeof schema.maxLength === 'number' && value.length > schema.maxLength) return false;
  if (Array.isArray(schema.enum) && !schema.enum.includes(value)) return false;
  const re = pattern(schema);
  return re === undefined || re.test(value);
}

/**
 * Sources randexp can generate from: it knows no lookbehind and no `u`-mode escapes, so the end-of-input
 * assertion the Java translation spells as a lookaround becomes `$`, and Java's own anchors are tried too.
 * Every candidate is checked against the real (translated) regex afterwards.
 */
function generationSources(javaPattern: string, re: RegExp): string[] {
  const simplified = re.source
    .replace(/\(\?=\(\?:\\r\\n\|\(\?<!\\r\)\\n\|[^\]]*\]\)\?\$\)/g, '$')
    .replace(/\(\?<[!=][^)]*\)/g, '');
  const java = javaPattern.replace(/\\[Zz]/g, '$').replace(/\\A/g, '^');
  return [...new Set([simplified, java])];
}

function fromPattern(schema: Schema): string | undefined {
  const re = pattern(schema);
  if (!re) return undefined;
  for (const source of generationSources(schema.pattern as string, re)) {
    let gen;
    try {
      gen = new RandExp(new RegExp(source));
    } catch {
      continue;
    }
    gen.max = 8;
    const value = drawFitting(schema, gen);
    if (value !== undefined) return value;
  }
  return undefined;
}

function drawFitting(schema: Schema, gen: { gen(): string }): string | undefined {
  for (let attempt = 0; attempt < 20; attempt++) {
    let value: string;
    try {
      value = gen.gen();
    } catch {
      return undefined;
    }
    const min = typeof schema.minLength === 'number' ? schema.minLength : 1;
    if (value.length < min) continue;
    if (typeof schema.maxLength === 'number') value = value.slice(0, schema.maxLength);
    if (fitsString(schema, value)) return value;
  }
  return undefined;
}

/**
 * The candidate if it fits; else the same candidate reshaped (separators, case, length); else one drawn from
 * the schema (its enum, its pattern). `fromSchema` says the value came from the schema, not the candidate.
 */
export function conformStringRule(schema: Schema | undefined, candidate: string): { value: string; fromSchema: boolean } {
  if (!schema) return { value: candidate, fromSchema: false };
  if (Array.isArray(schema.enum) && schema.enum.length > 0 && typeof schema.enum[0] === 'string') {
    // Either way the value is one the schema lists: a value of the service's own vocabulary.
    return schema.enum.includes(candidate) ? { value: candidate, fromSchema: true } : { value: schema.enum[0] as string, fromSchema: true };
  }
  const max = typeof schema.maxLength === 'number' ? schema.maxLength : Infinity;
  const variants = [
    candidate,
    candidate.replace(/-/g, '_'),
    candidate.replace(/[^A-Za-z0-9]/g, ''),
    candidate.toLowerCase(),
    candidate.toLowerCase().replace(/[^a-z0-9]/g, ''),
    candidate.replace(/^[^A-Za-z]+/, ''),
  ].map((v) => (v.length > max ? v.slice(0, max) : v));
  for (const v of variants) if (v.length > 0 && fitsString(schema, v)) return { value: v, fromSchema: false };
  const drawn = fromPattern(schema);
  return drawn === undefined ? { value: candidate, fromSchema: false } : { value: drawn, fromSchema: true };
}

/** The candidate if it fits; else the same candidate reshaped; else one drawn from the schema. */
export function conformString(schema: Schema | undefined, candidate: string): string {
  return conformStringRule(schema, candidate).value;
}

export function conformNumber(schema: Schema | undefined, integer: boolean): number {
  if (Array.isArray(schema?.enum) && typeof schema.enum[0] === 'number') return schema.enum[0];
  let value = 1;
  if (typeof schema?.minimum === 'number') value = Math.max(value, schema.minimum);
  if (typeof schema?.exclusiveMinimum === 'number') value = Math.max(value, schema.exclusiveMinimum + 1);
  if (typeof schema?.maximum === 'number') value = Math.min(value, schema.maximum);
  return integer ? Math.ceil(value) : value;
}
