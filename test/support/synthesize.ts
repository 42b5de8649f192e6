/**
 * Synthesizes resource models from a CloudFormation resource schema, for conformance sweeps:
 *
 * - a MINIMAL VALID DesiredState: only `required` properties (recursively, through `$ref`, `allOf`, the first
 *   workable branch of `oneOf`/`anyOf`), arrays with `minItems` items, enums, consts, numbers within their
 *   bounds, strings matching `pattern` (generated with randexp from the Java pattern translated to JavaScript)
 *   and length limits, never a readOnly property;
 * - an UPDATE patch: one top-level property that is not createOnly, readOnly, writeOnly, deprecated or part of
 *   the primary identifier, set to a fresh valid value.
 *
 * Every model is checked with the type's own validator (the caller passes `validate`); when it is rejected,
 * generation is retried with other choices (other branches, other enum values, other random strings).
 * Generation is deterministic for a given seed, so a sweep's failures reproduce.
 */
import { createRequire } from 'node:module';
import { isDeepStrictEqual } from 'node:util';
import { translateJavaPattern } from '../../src/registry/java-regex.js';
import type { JsonSchema, ResourceSchema } from '../../src/registry/types.js';

/** The part of randexp used here. It is CommonJS (module.exports = the class); its typings say otherwise. */
interface RandExpInstance {
  max: number;
  defaultRange: { add(from: number, to?: number): unknown; subtract(from: number, to?: number): unknown };
  randInt(a: number, b: number): number;
  gen(): string;
}
const RandExp = createRequire(import.meta.url)('randexp') as new (pattern: string, flags?: string) => RandExpInstance;

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type Model = Record<string, Json>;

/** A JavaScript regex for a registry (java.util.regex) pattern. */
export interface TranslatedPattern {
  source: string;
  flags: string;
  /** The translator rejected the pattern; nothing is known about what the validator does with it. */
  untranslatable?: boolean;
}
export type PatternTranslator = (pattern: string) => TranslatedPattern;

/**
 * The project's Java-regex translation (the one the validator uses), as a PatternTranslator. A pattern Java itself
 * would reject is marked untranslatable: nothing is known then about what the validator does with it.
 */
export function loadPatternTranslator(): { translate: PatternTranslator; from: string } {
  const translate: PatternTranslator = (pattern) => {
    try {
      const { source, flags } = translateJavaPattern(pattern);
      return { source, flags };
    } catch {
      return { source: pattern, flags: '', untranslatable: true };
    }
  };
  return { translate, from: 'src/registry/java-regex.ts' };
}

export interface SynthesisOptions {
  /** The type's validator: violations, or [] when valid. */
  validate: (model: unknown) => string[];
  translate: PatternTranslator;
  /** Top-level properties to include although not required (e.g. the list handlerSchema's required ones). */
  include?: string[];
  /** How many different models to try before giving up. Default 12. */
  attempts?: number;
  seed?: number;
}

export type Synthesis = { ok: true; model: Model; attempt: number } | { ok: false; reason: string };

export type PatchOperation = { op: 'add' | 'replace'; path: string; value: Json };

export type UpdateSynthesis =
  | {
      ok: true;
      property: string;
      value: Json;
      patch: PatchOperation[];
      /** False when no candidate passed local validation because the base model itself is invalid. */
      verified: boolean;
      /** Why the base failed local validation, when verified is false. */
      baseViolations?: string[];
    }
  | { ok: false; reason: string };

const MAX_DEPTH = 24;
const UNSAFE_CHARS = /[|]/; // `|` joins compound identifiers: keep it out of generated strings when possible

/** mulberry32: small, fast, good enough for test data. */
function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function hashSeed(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return h >>> 0;
}

const isObject = (v: unknown): v is JsonSchema => typeof v === 'object' && v !== null && !Array.isArray(v);
const codePointLength = (s: string) => [...s].length;

function decodeToken(t: string): string {
  return decodeURIComponent(t).replace(/~1/g, '/').replace(/~0/g, '~');
}

// ---------------------------------------------------------------------------------------------------------
// Regex helpers
// ---------------------------------------------------------------------------------------------------------

/** The regex the validator would build: with the `u` flag, then without; undefined when neither compiles. */
export function compileLikeValidator(p: TranslatedPattern): RegExp | undefined {
  if (p.untranslatable) return undefined;
  const flags = /[uv]/.test(p.flags) ? p.flags : p.flags + 'u';
  for (const f of new Set([flags, flags.replace(/[uv]/, '')])) {
    try {
      return new RegExp(p.source, f);
    } catch {
      // next
    }
  }
  return undefined;
}

/** ASCII approximations of Unicode/POSIX classes randexp (ret) cannot parse, as class bodies. */
const PROPERTY_CLASSES: Record<string, string> = {
  L: 'a-zA-Z', Letter: 'a-zA-Z', Alpha: 'a-zA-Z', Alphabetic: 'a-zA-Z', IsAlphabetic: 'a-zA-Z', IsLetter: 'a-zA-Z',
  Lu: 'A-Z', Upper: 'A-Z', Uppercase_Letter: 'A-Z', IsUppercase: 'A-Z', Ll: 'a-z', Lower: 'a-z', Lowercase_Letter: 'a-z', IsLowercase: 'a-z',
  N: '0-9', Nd: '0-9', Digit: '0-9', IsDigit: '0-9', Decimal_Number: '0-9', Number: '0-9',
  Alnum: 'a-zA-Z0-9', Punct: '!-/:-@\\[-`{-~', P: '!-/:-@\\[-`{-~', Punctuation: '!-/:-@\\[-`{-~',
  Graph: '!-~', Print: ' -~', S: '$+<=>^`~', Z: ' ', Zs: ' ', Space: ' ', IsWhite_Space: ' ', White_Space: ' ', Blank: ' ',
  XDigit: '0-9a-fA-F', ASCII: ' -~', Cntrl: 'a', M: 'a', Mn: 'a', Cc: 'a', C: 'a', IsIdeographic: 'a',
};

/**
 * Makes a JavaScript pattern digestible for randexp: \p{…} classes become ASCII sets, named groups plain
 * groups, lookbehinds lookaheads (which randexp ignores). Only for generation; results are re-checked
 * against the real regex.
 */
export function forGeneration(source: string): string {
  let out = '';
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const c = source[i]!;
    if (c === '\\') {
      const next = source[i + 1];
      if ((next === 'p' || next === 'P') && source[i + 2] === '{') {
        const end = source.indexOf('}', i + 3);
        const name = source.slice(i + 3, end).replace(/^(Is|In)(?=[A-Z])/, (m) => (PROPERTY_CLASSES[source.slice(i + 3, end)] ? m : ''));
        const body = PROPERTY_CLASSES[source.slice(i + 3, end)] ?? PROPERTY_CLASSES[name.split('=').pop()!] ?? 'a-zA-Z';
        if (next === 'P') out += inClass ? '' : `[^${body}]`;
        else out += inClass ? body : `[${body}]`;
        i = end;
        continue;
      }
      if (next === 'u' && source[i + 2] === '{') {
        const end = source.indexOf('}', i + 3);
        const cp = parseInt(source.slice(i + 3, end), 16);
        out += cp <= 0xffff ? `\\u${cp.toString(16).padStart(4, '0')}` : 'a';
        i = end;
        continue;
      }
      if (next === 'Z' || next === 'z') {
        out += '$';
        i++;
        continue;
      }
      if (next === 'A') {
        out += '^';
        i++;
        continue;
      }
      out += c + (next ?? '');
      i++;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      out += c;
      continue;
    }
    if (c === '[') {
      inClass = true;
      out += c;
      if (source[i + 1] === '^') out += source[++i];
      if (source[i + 1] === ']') out += '\\' + source[++i]; // leading ] is literal
      continue;
    }
    if (c === '(' && source[i + 1] === '?') {
      if (source[i + 2] === '<' && (source[i + 3] === '=' || source[i + 3] === '!')) {
        out += '(?' + source[i + 3];
        i += 3;
        continue;
      }
      if (source[i + 2] === '<') {
        const end = source.indexOf('>', i);
        out += '(';
        i = end;
        continue;
      }
      const flags = /^\(\?([a-zA-Z-]+)\)/.exec(source.slice(i)); // inline flags (?i), (?s) left over
      if (flags) {
        i += flags[0].length - 1;
        continue;
      }
      const scoped = /^\(\?([a-zA-Z-]+):/.exec(source.slice(i));
      if (scoped) {
        out += '(?:';
        i += scoped[0].length - 1;
        continue;
      }
    }
    out += c;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------
// The generator
// ---------------------------------------------------------------------------------------------------------

interface GenContext {
  rng: () => number;
  /** 0 on the first attempt: canonical choices (first branch, first enum value); later attempts vary. */
  attempt: number;
  /** Selects a different value for the same schema: array items, update values. */
  variant: number;
}

class Generator {
  private readonly readOnly: Set<string>;
  private readonly patternCache = new Map<string, { regex?: RegExp; sources: string[] }>();

  constructor(
    private readonly schema: ResourceSchema,
    private readonly translate: PatternTranslator,
  ) {
    this.readOnly = new Set(schema.readOnlyProperties ?? []);
  }

  /** The model schema's root, as the validator sees it (readOnly top-level properties never required). */
  root(include: string[] = []): JsonSchema {
    const root: JsonSchema = { type: 'object', properties: this.schema.properties ?? {} };
    const required = [...new Set([...(this.schema.required ?? []), ...include])];
    root.required = required;
    for (const k of ['oneOf', 'anyOf', 'allOf', 'dependencies', 'minProperties', 'additionalProperties', 'patternProperties']) {
      if (this.schema[k] !== undefined) root[k] = this.schema[k];
    }
    return root;
  }

  private lookup(ref: string): JsonSchema | undefined {
    if (!ref.startsWith('#/')) return undefined;
    let cur: unknown = this.schema;
    for (const token of ref.slice(2).split('/')) {
      if (!isObject(cur)) return undefined;
      cur = cur[decodeToken(token)];
    }
    return isObject(cur) ? cur : undefined;
  }

  /** Follows $ref (merging sibling keywords, which ajv applies too). */
  resolve(node: JsonSchema): JsonSchema {
    let cur = node;
    for (let guard = 0; typeof cur.$ref === 'string' && guard < 32; guard++) {
      const target = this.lookup(cur.$ref);
      const { $ref: _ref, ...rest } = cur;
      cur = target ? merge(target, rest) : rest;
    }
    return cur;
  }

  isReadOnly(path: string[]): boolean {
    return this.readOnly.has('/properties/' + path.join('/'));
  }

  generate(node: JsonSchema, path: string[], ctx: GenContext, depth = 0): Json | undefined {
    if (depth > MAX_DEPTH) return undefined;
    let s = this.resolve(node);
    if (Array.isArray(s.allOf)) {
      const { allOf, ...rest } = s;
      s = (allOf as unknown[]).filter(isObject).reduce<JsonSchema>((acc, b) => merge(acc, this.resolve(b)), rest);
      s = this.resolve(s);
    }
    for (const combinator of ['oneOf', 'anyOf'] as const) {
      const branches = s[combinator];
      if (!Array.isArray(branches) || branches.length === 0) continue;
      const { [combinator]: _c, ...rest } = s;
      const order = branchOrder(branches.length, ctx);
      for (const index of order) {
        const branch = branches[index];
        if (!isObject(branch)) continue;
        const resolved = this.resolve(branch);
        let merged = merge(rest, resolved);
        // A oneOf branch told apart only by which properties it allows: an empty object would match them all.
        if (combinator === 'oneOf' && isObject(resolved.properties) && !Array.isArray(resolved.required)) {
          const first = Object.keys(resolved.properties).find((n) => !this.isReadOnly([...path, n]));
          if (first !== undefined) merged = merge(merged, { required: [first] });
        }
        const value = this.generate(merged, path, ctx, depth + 1);
        if (value !== undefined) return value;
      }
      return undefined;
    }
    if ('const' in s) return s.const as Json;
    if (Array.isArray(s.enum) && s.enum.length > 0) {
      const values = s.enum as Json[];
      const typed = s.type === undefined ? values : values.filter((v) => matchesType(v, s.type));
      const pool = typed.length ? typed : values;
      const pick = ctx.variant > 0 ? ctx.variant % pool.length : ctx.attempt === 0 ? 0 : Math.floor(ctx.rng() * pool.length);
      return pool[pick]!;
    }
    switch (chooseType(s, ctx)) {
      case 'object':
        return this.object(s, path, ctx, depth);
      case 'array':
        return this.array(s, path, ctx, depth);
      case 'string':
        return this.string(s, ctx);
      case 'integer':
        return this.number(s, ctx, true);
      case 'number':
        return this.number(s, ctx, false);
      case 'boolean':
        return ctx.variant > 0 ? ctx.variant % 2 === 0 : ctx.attempt === 0 ? true : ctx.rng() < 0.5;
      case 'null':
        return null;
      default:
        return ctx.variant > 0 ? { ccapi: ctx.variant } : {};
    }
  }

  object(s: JsonSchema, path: string[], ctx: GenContext, depth: number): Json | undefined {
    const properties = isObject(s.properties) ? s.properties : {};
    const patternProperties = isObject(s.patternProperties) ? s.patternProperties : {};
    const out: Record<string, Json> = {};
    const wanted = Array.isArray(s.required) ? [...(s.required as string[])] : [];
    const addProperty = (name: string): boolean => {
      if (name in out) return true;
      const sub = this.propertySchema(s, name);
      if (!sub) return false;
      const value = this.generate(sub, [...path, name], ctx, depth + 1);
      if (value === undefined) return false;
      out[name] = value;
      return true;
    };
    for (const name of wanted) {
      if (this.isReadOnly([...path, name])) continue;
      if (!addProperty(name)) return undefined;
    }
    // dependencies: a present property may require others.
    if (isObject(s.dependencies)) {
      for (let changed = true; changed; ) {
        changed = false;
        for (const [key, dep] of Object.entries(s.dependencies)) {
          if (!(key in out) || !Array.isArray(dep)) continue;
          for (const d of dep as string[]) {
            if (d in out || this.isReadOnly([...path, d])) continue;
            if (!addProperty(d)) return undefined;
            changed = true;
          }
        }
      }
    }
    const minProperties = typeof s.minProperties === 'number' ? s.minProperties : 0;
    const optional = Object.keys(properties).filter((n) => !(n in out) && !this.isReadOnly([...path, n]));
    for (const name of optional) {
      if (Object.keys(out).length >= minProperties) break;
      addProperty(name);
    }
    for (const [pattern, sub] of Object.entries(patternProperties)) {
      if (Object.keys(out).length >= minProperties) break;
      const key = this.matchingString(pattern, 1, 64, ctx) ?? 'key';
      if (!isObject(sub)) continue;
      const value = this.generate(sub, [...path, key], ctx, depth + 1);
      if (value !== undefined) out[key] = value;
    }
    for (let i = 0; Object.keys(out).length < minProperties && s.additionalProperties !== false && i < minProperties; i++) {
      const sub = isObject(s.additionalProperties) ? s.additionalProperties : { type: 'string' };
      const value = this.generate(sub, [...path, `key${i}`], ctx, depth + 1);
      if (value !== undefined) out[`key${i}`] = value;
    }
    return out;
  }

  private propertySchema(s: JsonSchema, name: string): JsonSchema | undefined {
    const properties = isObject(s.properties) ? s.properties : {};
    const direct = properties[name];
    if (isObject(direct)) return direct;
    if (isObject(s.patternProperties)) {
      for (const [pattern, sub] of Object.entries(s.patternProperties)) {
        const re = this.regexFor(pattern).regex;
        if (isObject(sub) && (!re || re.test(name))) return sub;
      }
    }
    if (s.additionalProperties === false) return undefined;
    return isObject(s.additionalProperties) ? s.additionalProperties : {};
  }

  array(s: JsonSchema, path: string[], ctx: GenContext, depth: number): Json | undefined {
    const min = typeof s.minItems === 'number' ? s.minItems : 0;
    const count = Math.max(min, ctx.variant > 0 && min === 0 ? 1 : 0); // an update value should not be [] again
    const out: Json[] = [];
    const items = s.items;
    for (let i = 0; i < count; i++) {
      const itemSchema = Array.isArray(items) ? items[i] : items;
      const sub = isObject(itemSchema) ? itemSchema : {};
      let value: Json | undefined;
      // Distinct items: vary until the value is new (uniqueItems, and friendlier data anyway).
      let extraProperties = 0;
      for (let v = 0; v < 12; v++) {
        const varied = extraProperties > 0 ? merge(this.resolve(sub), { minProperties: extraProperties }) : sub;
        const candidate = this.generate(varied, [...path, '*'], { ...ctx, variant: i + v + (ctx.variant > 0 ? ctx.variant : 0) }, depth + 1);
        if (candidate === undefined) break;
        value = candidate;
        if (!out.some((o) => isDeepStrictEqual(o, candidate))) break;
        // Objects made of required members only can be identical whatever the variant: add optional members.
        if (isObject(candidate)) extraProperties = Object.keys(candidate).length + 1;
      }
      if (value === undefined) return undefined;
      out.push(value);
    }
    return out;
  }

  number(s: JsonSchema, ctx: GenContext, integer: boolean): number | undefined {
    const step = typeof s.multipleOf === 'number' && s.multipleOf > 0 ? s.multipleOf : integer ? 1 : 1;
    let lo = typeof s.minimum === 'number' ? s.minimum : -Infinity;
    let hi = typeof s.maximum === 'number' ? s.maximum : Infinity;
    const exclusiveLo = typeof s.exclusiveMinimum === 'number' ? s.exclusiveMinimum : undefined;
    const exclusiveHi = typeof s.exclusiveMaximum === 'number' ? s.exclusiveMaximum : undefined;
    if (exclusiveLo !== undefined && exclusiveLo >= lo) lo = exclusiveLo + (integer || step !== 1 ? 0 : 0.5);
    if (exclusiveHi !== undefined && exclusiveHi <= hi) hi = exclusiveHi - (integer || step !== 1 ? 0 : 0.5);
    const ok = (n: number) =>
      n >= lo && n <= hi && (exclusiveLo === undefined || n > exclusiveLo) && (exclusiveHi === undefined || n < exclusiveHi) && (!integer || Number.isInteger(n));
    // Start at the lower bound (or 1), on a multiple of the step.
    let base = lo !== -Infinity ? lo : hi !== Infinity ? Math.min(hi, 1) : 1;
    base = Math.ceil(base / step) * step;
    if (integer) base = Math.ceil(base);
    const offsets = [ctx.variant, ctx.attempt > 0 ? Math.floor(ctx.rng() * 10) : 0, 0, 1, 2];
    for (const k of offsets) {
      for (let extra = 0; extra < 4; extra++) {
        const n = roundTo(base + (k + extra) * step, step);
        if (ok(n)) return n;
      }
    }
    // Bounds too tight for the step: try the bounds themselves.
    for (const n of [lo, hi, Math.floor(hi), Math.ceil(lo)]) if (Number.isFinite(n) && ok(n)) return n;
    return undefined;
  }

  string(s: JsonSchema, ctx: GenContext): string | undefined {
    const min = typeof s.minLength === 'number' ? s.minLength : 0;
    const max = typeof s.maxLength === 'number' ? s.maxLength : Infinity;
    if (typeof s.pattern === 'string') {
      // An empty string is valid for many optional-looking patterns ("[a-z]*") but makes a poor name or identifier.
      const nonEmpty = max >= 1 ? this.matchingString(s.pattern, Math.max(min, 1), max, ctx) : undefined;
      return nonEmpty ?? this.matchingString(s.pattern, min, max, ctx);
    }
    const format = typeof s.format === 'string' ? s.format : undefined;
    let base: string;
    if (format === 'date-time' || format === 'timestamp') base = ctx.variant > 0 ? `2024-01-0${(ctx.variant % 9) + 1}T00:00:00Z` : '2024-01-01T00:00:00Z';
    else if (format === 'date') base = '2024-01-01';
    else if (format === 'uri' || format === 'url') base = `https://example.com/ccapi${ctx.variant || ''}`;
    else if (format === 'email') base = `ccapi${ctx.variant || ''}@example.com`;
    else base = ctx.attempt === 0 && ctx.variant === 0 ? 'ccapi' : `ccapi${ctx.variant || ''}${ctx.attempt ? randomAlnum(ctx.rng, 4) : ''}`;
    return fitLength(base, min, max);
  }

  private regexFor(pattern: string): { regex?: RegExp; sources: string[] } {
    let cached = this.patternCache.get(pattern);
    if (!cached) {
      const translated = this.translate(pattern);
      const regex = compileLikeValidator(translated);
      // Generate from the translation and from the Java original (simpler for randexp when the translation uses
      // v-mode class syntax); every candidate is checked against the translated regex anyway.
      cached = { sources: [...new Set([forGeneration(translated.source), forGeneration(pattern)])] };
      if (regex) cached.regex = regex;
      this.patternCache.set(pattern, cached);
    }
    return cached;
  }

  /** A string matching `pattern` with a length in [min, max]; undefined when none was found. */
  matchingString(pattern: string, min: number, max: number, ctx: GenContext): string | undefined {
    const { regex, sources } = this.regexFor(pattern);
    const valid = (c: string) => {
      const n = codePointLength(c);
      return n >= min && n <= max && (!regex || regex.test(c));
    };
    const rng = seededRandom(hashSeed(pattern) ^ (ctx.attempt * 7919) ^ (ctx.variant * 104729));
    const found: string[] = [];
    for (const source of sources) {
      let generator: RandExpInstance;
      try {
        generator = new RandExp(source);
      } catch {
        continue;
      }
      generator.randInt = (a: number, b: number) => a + Math.floor(rng() * (1 + b - a));
      // Safe printable characters for ".", "\S" and negated classes.
      const range = generator.defaultRange;
      for (const [from, to] of [[0, 47], [58, 64], [91, 96], [123, 0x10ffff]] as const) range.subtract(from, to);
      range.add(45);
      range.add(95);
      const caps = [3, 8, Math.max(min, 1), 16, 32, Math.max(min, 1) * 2];
      for (let i = 0; i < 36 && found.length < 6; i++) {
        generator.max = caps[i % caps.length]!;
        let candidate: string;
        try {
          candidate = generator.gen();
        } catch {
          break;
        }
        for (const c of adjustments(candidate, min, max)) {
          if (valid(c) && !found.includes(c)) {
            found.push(c);
            break;
          }
        }
      }
      if (found.length) break;
    }
    // Without a usable generator (or no luck), try plain fillers: some patterns are trivially unanchored.
    if (found.length === 0) {
      for (const c of [fitLength('ccapi', min, max), fitLength('a', min, max), fitLength('A', min, max), fitLength('1', min, max)]) {
        if (valid(c)) found.push(c);
      }
    }
    if (found.length === 0) return undefined;
    const safe = found.filter((c) => !UNSAFE_CHARS.test(c));
    const pool = safe.length ? safe : found;
    // Prefer readable (no control characters or punctuation), then short strings, deterministically.
    const odd = (c: string) => c.replace(/[A-Za-z0-9_-]/g, '').length;
    pool.sort((a, b) => odd(a) - odd(b) || a.length - b.length || (a < b ? -1 : 1));
    return pool[0];
  }
}

function roundTo(n: number, step: number): number {
  if (Number.isInteger(step)) return n;
  const decimals = (String(step).split('.')[1] ?? '').length;
  return Number(n.toFixed(decimals));
}

function randomAlnum(rng: () => number, n: number): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  let out = '';
  for (let i = 0; i < n; i++) out += alphabet[Math.floor(rng() * alphabet.length)];
  return out;
}

/** Pads (repeating the last character, then "a") or trims a string into [min, max] code points. */
function fitLength(s: string, min: number, max: number): string {
  let chars = [...s];
  if (chars.length > max) chars = chars.slice(0, max);
  while (chars.length < min) chars.push(chars.length ? chars[chars.length - 1]! : 'a');
  return chars.join('');
}

/** The candidate as generated, then trimmed/padded variants that may fit the length limits. */
function adjustments(s: string, min: number, max: number): string[] {
  const chars = [...s];
  const out = [s];
  if (chars.length > max) {
    out.push(chars.slice(0, max).join(''), chars.slice(chars.length - max).join(''));
  }
  if (chars.length < min) {
    const last = chars[chars.length - 1] ?? 'a';
    const first = chars[0] ?? 'a';
    out.push(s + last.repeat(min - chars.length), first.repeat(min - chars.length) + s, s + 'a'.repeat(min - chars.length), s + '0'.repeat(min - chars.length));
  }
  return out;
}

function branchOrder(n: number, ctx: GenContext): number[] {
  const order = [...Array(n).keys()];
  if (ctx.attempt === 0) return order;
  // Later attempts start from another branch, then fall back to the rest in order.
  const start = ctx.attempt % n;
  return [...order.slice(start), ...order.slice(0, start)];
}

function matchesType(v: unknown, type: unknown): boolean {
  const types = Array.isArray(type) ? (type as string[]) : [type as string];
  return types.some((t) => {
    switch (t) {
      case 'string':
        return typeof v === 'string';
      case 'integer':
        return Number.isInteger(v);
      case 'number':
        return typeof v === 'number';
      case 'boolean':
        return typeof v === 'boolean';
      case 'object':
        return isObject(v);
      case 'array':
        return Array.isArray(v);
      case 'null':
        return v === null;
      default:
        return true;
    }
  });
}

function chooseType(s: JsonSchema, ctx: GenContext): string {
  if (typeof s.type === 'string') return s.type;
  if (Array.isArray(s.type) && s.type.length > 0) {
    const types = (s.type as string[]).filter((t) => t !== 'null');
    const pool = types.length ? types : (s.type as string[]);
    return ctx.attempt === 0 ? pool[0]! : pool[ctx.attempt % pool.length]!;
  }
  if (s.properties || s.required || s.patternProperties || s.minProperties !== undefined) return 'object';
  if (s.items || s.minItems !== undefined) return 'array';
  if (s.pattern !== undefined || s.minLength !== undefined || s.maxLength !== undefined || s.format !== undefined) return 'string';
  if (s.minimum !== undefined || s.maximum !== undefined || s.multipleOf !== undefined) return 'number';
  return 'any';
}

/**
 * Merges two schema fragments for generation (allOf, a chosen oneOf/anyOf branch, $ref siblings):
 * properties and required are unioned, a property defined on both sides becomes an allOf of both,
 * enums are intersected, anything else from `b` wins.
 */
export function merge(a: JsonSchema, b: JsonSchema): JsonSchema {
  const out: JsonSchema = { ...a };
  for (const [k, v] of Object.entries(b)) {
    if (k === 'properties' && isObject(v) && isObject(a.properties)) {
      const props: JsonSchema = { ...a.properties };
      for (const [name, sub] of Object.entries(v)) {
        const existing = props[name];
        props[name] = isObject(existing) && isObject(sub) && Object.keys(sub).length ? { allOf: [existing, sub] } : isObject(existing) ? existing : sub;
      }
      out.properties = props;
    } else if (k === 'required' && Array.isArray(v) && Array.isArray(a.required)) {
      out.required = [...new Set([...(a.required as string[]), ...(v as string[])])];
    } else if (k === 'enum' && Array.isArray(v) && Array.isArray(a.enum)) {
      const both = (a.enum as unknown[]).filter((x) => (v as unknown[]).some((y) => isDeepStrictEqual(x, y)));
      out.enum = both.length ? both : v;
    } else if ((k === 'allOf' || k === 'oneOf' || k === 'anyOf') && Array.isArray(a[k]) && Array.isArray(v)) {
      // Two combinators of the same kind: keep both constraints.
      out.allOf = [...(Array.isArray(out.allOf) ? (out.allOf as unknown[]) : []), { [k]: v }];
    } else {
      out[k] = v;
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------
// Public entry points
// ---------------------------------------------------------------------------------------------------------

/** A minimal DesiredState that the type's validator accepts, or why none was found. */
export function synthesizeDesiredState(schema: ResourceSchema, options: SynthesisOptions): Synthesis {
  const generator = new Generator(schema, options.translate);
  const attempts = options.attempts ?? 12;
  const seed = options.seed ?? hashSeed(schema.typeName);
  const root = generator.root(options.include);
  let lastReason = 'no attempt made';
  for (let attempt = 0; attempt < attempts; attempt++) {
    const ctx: GenContext = { rng: seededRandom(seed + attempt), attempt, variant: 0 };
    const value = generator.generate(root, [], ctx);
    if (!isObject(value)) {
      lastReason = 'the generator found no value for some required property (unsatisfiable constraints)';
      continue;
    }
    const violations = options.validate(value);
    if (violations.length === 0) return { ok: true, model: value as Model, attempt };
    lastReason = `validator rejected ${JSON.stringify(value)}: ${violations.join('; ')}`;
  }
  return { ok: false, reason: lastReason };
}

const topLevelOf = (pointer: string) => (pointer.startsWith('/properties/') ? decodeToken(pointer.slice('/properties/'.length).split('/')[0]!) : undefined);

function simpleKind(generator: Generator, sub: JsonSchema): number {
  const s = generator.resolve(sub);
  const type = Array.isArray(s.type) ? s.type[0] : s.type;
  if (Array.isArray(s.enum) && s.enum.length < 2) return 9; // nothing else to change to
  if (type === 'string' || type === 'integer' || type === 'number' || type === 'boolean') return s.oneOf || s.anyOf || s.allOf ? 2 : 0;
  if (type === 'array') return 3;
  if (type === 'object' || s.properties) return 4;
  return 5;
}

export interface UpdateOptions {
  validate: (model: unknown) => string[];
  translate: PatternTranslator;
  seed?: number;
}

/**
 * An UpdateResource patch that changes one updatable top-level property to a fresh valid value.
 * `sent` is the DesiredState the resource was created with, `read` what GetResource returned: the patch base
 * is the read model without readOnly properties (what Cloud Control patches); writeOnly properties are not in
 * it, so required writeOnly values are re-added with `add`, as clients do.
 */
export function synthesizeUpdatePatch(schema: ResourceSchema, sent: Model, read: Model, options: UpdateOptions): UpdateSynthesis {
  const generator = new Generator(schema, options.translate);
  const primary = new Set(schema.primaryIdentifier.map(topLevelOf));
  const listed = (key: string) => new Set(((schema[key] as string[] | undefined) ?? []).map(topLevelOf));
  const createOnly = listed('createOnlyProperties');
  const readOnly = listed('readOnlyProperties');
  const writeOnly = listed('writeOnlyProperties');
  const deprecated = listed('deprecatedProperties');
  const conditional = listed('conditionalCreateOnlyProperties');
  const createOnlyPointers = schema.createOnlyProperties ?? [];
  const isCreateOnly = (tokens: string[]) =>
    createOnlyPointers.some((p) => {
      const c = p.slice('/properties/'.length).split('/').map(decodeToken);
      return c.length <= tokens.length && c.every((t, i) => t === '*' || t === tokens[i]);
    });

  // The patch base as Cloud Control computes it: the read model without readOnly properties.
  const base = withoutPointers(read, schema.readOnlyProperties ?? []);
  // writeOnly values are not in it; re-add the ones sent at create with `add` (what clients such as Terraform's
  // awscc provider do), except createOnly ones: supplying those in a patch counts as changing them.
  const reAdd: PatchOperation[] = [];
  const withReAdds: Model = structuredClone(base);
  for (const pointer of schema.writeOnlyProperties ?? []) {
    for (const tokens of pathsAt(sent, pointer)) {
      if (isCreateOnly(tokens) || pathsAt(withReAdds, '/properties/' + tokens.map(escapeToken).join('/')).length) continue;
      // Add at the first level missing from the base.
      let depth = 1;
      while (depth < tokens.length && valueAt(withReAdds, tokens.slice(0, depth)) !== undefined) depth++;
      const at = tokens.slice(0, depth);
      const value = structuredClone(valueAt(sent, at)) as Json;
      reAdd.push({ op: 'add', path: '/' + at.map(escapeToken).join('/'), value });
      setValueAt(withReAdds, at, value);
    }
  }
  const baseViolations = options.validate(withReAdds);

  const candidates = Object.keys(schema.properties)
    .filter((name) => !primary.has(name) && !createOnly.has(name) && !readOnly.has(name) && !writeOnly.has(name) && !deprecated.has(name))
    .map((name) => ({ name, rank: simpleKind(generator, schema.properties[name]!) + (conditional.has(name) ? 10 : 0) }))
    .filter((c) => c.rank < 9)
    .sort((a, b) => a.rank - b.rank || (a.name < b.name ? -1 : 1));
  if (candidates.length === 0) return { ok: false, reason: 'no updatable property' };

  let fallback: { name: string; value: Json } | undefined;
  const seed = options.seed ?? hashSeed(schema.typeName + '/update');
  for (const { name } of candidates) {
    const current = base[name];
    // A minimal object or array often cannot differ from the current one: ask for one more member.
    const richer = (): JsonSchema => {
      const s = generator.resolve(schema.properties[name]!);
      if (isObject(current)) return merge(s, { minProperties: Object.keys(current).length + 1 });
      if (Array.isArray(current)) return merge(s, { minItems: current.length + 1 });
      return s;
    };
    for (let variant = 1; variant <= 12; variant++) {
      const ctx: GenContext = { rng: seededRandom(seed + variant), attempt: variant, variant };
      let value = generator.generate(schema.properties[name]!, [name], ctx);
      if (value !== undefined && isDeepStrictEqual(value, current)) value = generator.generate(richer(), [name], ctx);
      if (value === undefined || isDeepStrictEqual(value, current)) continue;
      fallback ??= { name, value };
      if (options.validate({ ...withReAdds, [name]: value }).length === 0) {
        return { ok: true, property: name, value, patch: [...reAdd, patchOp(name, value, base)], verified: true };
      }
    }
  }
  if (baseViolations.length > 0 && fallback) {
    // The model read back is itself invalid: still send a patch, so the API's own answer is what the test sees.
    return { ok: true, property: fallback.name, value: fallback.value, patch: [...reAdd, patchOp(fallback.name, fallback.value, base)], verified: false, baseViolations };
  }
  return { ok: false, reason: `no updatable property (no valid new value for ${candidates.map((c) => c.name).join(', ')})` };
}

function valueAt(doc: unknown, tokens: string[]): unknown {
  let cur = doc;
  for (const t of tokens) {
    if (Array.isArray(cur)) cur = cur[Number(t)];
    else if (isObject(cur) && Object.prototype.hasOwnProperty.call(cur, t)) cur = cur[t];
    else return undefined;
  }
  return cur;
}

function setValueAt(doc: Model, tokens: string[], value: Json): void {
  let cur: unknown = doc;
  for (const t of tokens.slice(0, -1)) cur = Array.isArray(cur) ? cur[Number(t)] : (cur as Record<string, unknown>)[t];
  const last = tokens[tokens.length - 1]!;
  if (Array.isArray(cur)) cur[Number(last)] = value;
  else (cur as Record<string, unknown>)[last] = value;
}

function escapeToken(name: string): string {
  return name.replace(/~/g, '~0').replace(/\//g, '~1');
}

function patchOp(name: string, value: Json, base: Model): PatchOperation {
  return { op: name in base ? 'replace' : 'add', path: `/${escapeToken(name)}`, value };
}

/** Top-level properties a list handlerSchema requires (plus the first branch of a top-level oneOf/anyOf). */
export function listHandlerRequired(schema: ResourceSchema): string[] {
  const hs = schema.handlers?.list?.handlerSchema;
  if (!hs) return [];
  const out = new Set<string>(Array.isArray(hs.required) ? (hs.required as string[]) : []);
  for (const combinator of ['oneOf', 'anyOf'] as const) {
    const branches = hs[combinator];
    if (Array.isArray(branches) && isObject(branches[0]) && Array.isArray(branches[0].required)) {
      for (const r of branches[0].required as string[]) out.add(r);
    }
  }
  if (Array.isArray(hs.allOf)) for (const b of hs.allOf) if (isObject(b) && Array.isArray(b.required)) for (const r of b.required as string[]) out.add(r);
  return [...out];
}

/**
 * Where a schema pointer ("/properties/A/*\/B", "*" meaning every array element) has values in a model: the
 * concrete token paths, for checks such as "writeOnly properties never come back".
 */
export function pathsAt(model: unknown, pointer: string): string[][] {
  if (!pointer.startsWith('/properties/')) return [];
  const tokens = pointer.slice('/properties/'.length).split('/').map(decodeToken);
  const found: string[][] = [];
  const walk = (cur: unknown, i: number, at: string[]) => {
    if (i === tokens.length) {
      found.push(at);
      return;
    }
    const t = tokens[i]!;
    if (t === '*' && Array.isArray(cur)) cur.forEach((v, k) => walk(v, i + 1, [...at, String(k)]));
    else if (t === '*' && isObject(cur)) for (const [k, v] of Object.entries(cur)) walk(v, i + 1, [...at, k]);
    else if (Array.isArray(cur) && /^\d+$/.test(t)) {
      if (Number(t) < cur.length) walk(cur[Number(t)], i + 1, [...at, t]);
    } else if (Array.isArray(cur)) cur.forEach((v, k) => walk(v, i, [...at, String(k)])); // pointers that skip the index
    else if (isObject(cur) && Object.prototype.hasOwnProperty.call(cur, t)) walk(cur[t], i + 1, [...at, t]);
  };
  walk(model, 0, []);
  return found;
}

/** A copy of `model` without whatever the given schema pointers address (array elements become absent). */
export function withoutPointers(model: Model, pointers: string[]): Model {
  const copy = structuredClone(model);
  const REMOVED = Symbol('removed');
  const touched = new Set<unknown[]>();
  for (const pointer of pointers) {
    for (const path of pathsAt(copy, pointer)) {
      const last = path[path.length - 1]!;
      let cur: unknown = copy;
      for (const t of path.slice(0, -1)) cur = Array.isArray(cur) ? cur[Number(t)] : (cur as Record<string, unknown>)[t];
      if (Array.isArray(cur)) {
        (cur as unknown[])[Number(last)] = REMOVED;
        touched.add(cur);
      } else if (isObject(cur)) delete cur[last];
    }
  }
  for (const arr of touched) {
    const kept = arr.filter((v) => v !== REMOVED);
    arr.splice(0, arr.length, ...kept);
  }
  return copy;
}
