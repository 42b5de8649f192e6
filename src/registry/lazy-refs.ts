// Lazily compiled "#/definitions/…" references: a definition's validator is compiled the first time a model
// reaches it, not when the validator that refers to it is compiled.
//
// ajv compiles a schema together with everything it reaches through $ref. QuickSight::Dashboard's `Definition`
// reaches 671 of its 707 definitions (a QuickSight type compiled whole is ~2.4 MB of generated code: 250-400 ms
// on an idle core, seconds on a loaded machine), while a model touches a few dozen of them. So every schema part
// is compiled with its `$ref`s rewritten to the keyword LAZY_REF, whose generated code calls a stub; the stub
// compiles its definition (rewritten the same way) on its first call, then calls it as ajv's own code calls a
// referenced schema (same arguments, same merge of errors).
//
// The violations are those of plain ajv, error for error: ajv inlines a reference whose target holds no further
// $ref, and reports its errors under the reference ("#/definitions/X/type"); other targets are called as
// functions whose errors read "#/type". The stub reproduces both forms (the combinator suppression of
// validation.ts reads these paths). A document with a reference this cannot mirror exactly (a pointer deeper
// than one definition, a reference outside "#/definitions/", $id) gets no lazy references (lazyRefs answers
// undefined) and is compiled as before.
import { _, str, Name, type Ajv, type AnySchemaObject, type CodeKeywordDefinition, type KeywordCxt, type ValidateFunction } from 'ajv';

/** The keyword that replaces `$ref` in a rewritten document; its value is the original reference. */
export const LAZY_REF = 'x-ccapi-lazy-ref';

/** A stub that stands for one reference: compiles the definition on first call, then delegates to it. */
interface LazyRefValidator {
  (data: unknown, context: object): boolean;
  errors: ValidateFunction['errors'];
}

interface LazyDocument {
  ajv: Ajv;
  definitions: Record<string, unknown>;
  stubs: Map<string, LazyRefValidator>;
  /** Reference as written → the definition ajv resolves it to (through pure-alias definitions). */
  targets: Map<string, string>;
  /** Definition name → its validator, compiled on first use. */
  compiled: Map<string, ValidateFunction>;
}

/** Errors that a stub returned: their schemaPath is already what plain ajv reports (see throughLazyRef). */
const stubErrors = new WeakSet<object>();

/**
 * Whether a validation error came through a lazily compiled reference. Its schemaPath reads as plain ajv reports
 * it for a reference, whatever the schema that made the call; a caller that rebases the paths of its own errors
 * (validation.ts compiles properties one by one) must leave these alone.
 */
export function throughLazyRef(error: object): boolean {
  return stubErrors.has(error);
}

/** Compiled units (the rewritten schema given to ajv.compile) → their document; found from inside keyword code. */
const documents = new WeakMap<object, LazyDocument>();

const NAMES = { vErrors: new Name('vErrors'), errors: new Name('errors'), instancePath: new Name('instancePath'), rootData: new Name('rootData') };

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function compiledDefinition(doc: LazyDocument, name: string): ValidateFunction {
  let v = doc.compiled.get(name);
  if (!v) {
    v = compileUnit(doc, doc.definitions[name]);
    doc.compiled.set(name, v);
  }
  return v;
}

function stubFor(doc: LazyDocument, ref: string): LazyRefValidator {
  const known = doc.stubs.get(ref);
  if (known) return known;
  const name = doc.targets.get(ref)!;
  // ajv inlines a target that holds no reference: its errors then read "<ref>/type", not "#/type".
  const inline = !hasRef(doc.definitions[name]);
  let validate: ValidateFunction | undefined;
  const stub = ((data: unknown, context: object): boolean => {
    validate ??= compiledDefinition(doc, name);
    const ok = validate(data, context as never) as boolean;
    const errors = ok ? null : validate.errors ?? [];
    for (const e of errors ?? []) {
      if (inline) e.schemaPath = ref + e.schemaPath.slice(1);
      stubErrors.add(e);
    }
    stub.errors = errors;
    return ok;
  }) as LazyRefValidator;
  stub.errors = null;
  doc.stubs.set(ref, stub);
  return stub;
}

/** The code of LAZY_REF: ajv's own code for a `$ref` to a compiled schema (vocabularies/core/ref.ts, callRef). */
export const lazyRefKeyword: CodeKeywordDefinition = {
  keyword: LAZY_REF,
  schemaType: 'string',
  before: '$ref', // evaluated where $ref was, relative to its sibling keywords
  code(cxt: KeywordCxt) {
    const { gen, it, data } = cxt;
    const doc = documents.get(it.schemaEnv.root.schema as object);
    if (!doc || !doc.targets.has(cxt.schema as string)) return; // not a schema of ours: an unknown annotation
    const v = gen.scopeValue('validate', { ref: stubFor(doc, cxt.schema as string) });
    const context = gen.object(
      [NAMES.instancePath, str`${NAMES.instancePath}${it.errorPath}`],
      [new Name('parentData'), it.parentData],
      [new Name('parentDataProperty'), it.parentDataProperty],
      [NAMES.rootData, NAMES.rootData],
    );
    cxt.result(_`${v}(${data}, ${context})`, () => undefined, () => {
      const errs = _`${v}.errors`;
      gen.assign(NAMES.vErrors, _`${NAMES.vErrors} === null ? ${errs} : ${NAMES.vErrors}.concat(${errs})`);
      gen.assign(NAMES.errors, _`${NAMES.vErrors}.length`);
    });
  },
};

// --- Rewriting ------------------------------------------------------------------------------------------------

const REF_KEYWORDS = new Set(['$ref', '$recursiveRef', '$recursiveAnchor', '$dynamicRef', '$dynamicAnchor']);

/** ajv's hasRef (compile/resolve.ts): ajv inlines a referenced schema unless this holds. */
function hasRef(schema: unknown): boolean {
  if (Array.isArray(schema)) return schema.some(hasRef);
  if (!isObject(schema)) return false;
  for (const key in schema) {
    if (REF_KEYWORDS.has(key)) return true;
    if (typeof schema[key] === 'object' && hasRef(schema[key])) return true;
  }
  return false;
}

/** The definition name of a one-token "#/definitions/X" reference, decoded as ajv decodes it; else undefined. */
function definitionName(ref: string): string | undefined {
  const m = /^#\/definitions\/([^/]+)$/.exec(ref);
  if (!m) return undefined;
  try {
    return decodeURIComponent(m[1]!).replace(/~1/g, '/').replace(/~0/g, '~');
  } catch {
    return undefined;
  }
}

const mapValues = (v: unknown, f: (x: unknown) => unknown) =>
  isObject(v) ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, f(x)])) : v;

/** A copy of `node` with `$ref` replaced by LAZY_REF in every schema position (values such as enums untouched). */
function rewrite(node: unknown): unknown {
  if (!isObject(node)) return node;
  const out: Record<string, unknown> = {};
  for (const k in node) {
    const v = node[k];
    switch (k) {
      case '$ref':
        out[LAZY_REF] = v;
        break;
      case 'properties': case 'patternProperties': case 'definitions':
        out[k] = mapValues(v, rewrite);
        break;
      case 'dependencies':
        out[k] = mapValues(v, (x) => (Array.isArray(x) ? x : rewrite(x)));
        break;
      case 'items':
        out[k] = Array.isArray(v) ? v.map(rewrite) : rewrite(v);
        break;
      case 'anyOf': case 'oneOf': case 'allOf':
        out[k] = Array.isArray(v) ? v.map(rewrite) : v;
        break;
      case 'additionalItems': case 'additionalProperties': case 'contains': case 'propertyNames':
      case 'not': case 'if': case 'then': case 'else':
        out[k] = rewrite(v);
        break;
      default:
        out[k] = v;
    }
  }
  return out;
}

function compileUnit(doc: LazyDocument, schema: unknown): ValidateFunction {
  const unit = rewrite(schema);
  if (isObject(unit)) documents.set(unit, doc);
  return doc.ajv.compile(unit as AnySchemaObject);
}

/** Compiles schemas of one resource schema with lazily compiled references (see the header). */
export interface LazyRefs {
  /** A validator of `schema`, a part of the resource schema (its "#/definitions/X" resolve there). */
  compile(schema: unknown): ValidateFunction;
  /** Compiles every referenced definition now (for sweeps and measurements). */
  compileAll(): void;
}

/**
 * Lazy references for the schemas of one document whose `definitions` are `definitions`; `parts` are all the
 * schemas that will be compiled with it (to check their references). Undefined when a reference cannot be
 * mirrored exactly (see the header): the caller compiles as ajv does, eagerly. The given schemas are not modified.
 */
export function lazyRefs(ajv: Ajv, definitions: Record<string, unknown> | undefined, parts: unknown[]): LazyRefs | undefined {
  const defs = definitions ?? {};
  // One pass over the text finds every reference (and anything this cannot handle) faster than a walk.
  const text = JSON.stringify(parts);
  if (/"\$(?:id|recursiveRef|recursiveAnchor|dynamicRef|dynamicAnchor)"|"\$ref":(?!")/.test(text)) return undefined;
  const targets = new Map<string, string>();
  for (const m of text.matchAll(/"\$ref":("(?:[^"\\]|\\.)*")/g)) {
    const ref = JSON.parse(m[1]!) as string;
    if (targets.has(ref)) continue;
    // ajv resolves a reference to a definition that is only a $ref (no other rule keyword) through to its target.
    const seen = new Set<string>();
    let name: string | undefined;
    for (let current = ref; ; ) {
      name = definitionName(current);
      if (name === undefined || !Object.hasOwn(defs, name) || seen.has(name)) return undefined;
      seen.add(name);
      const target = defs[name];
      if (!isObject(target) || typeof target.$ref !== 'string' || Object.keys(target).some((k) => k !== '$ref' && ajv.RULES.all[k])) break;
      current = target.$ref;
    }
    targets.set(ref, name);
  }
  const doc: LazyDocument = { ajv, definitions: defs, stubs: new Map(), targets, compiled: new Map() };
  return {
    compile: (schema) => compileUnit(doc, schema),
    compileAll: () => new Set(targets.values()).forEach((name) => compiledDefinition(doc, name)),
  };
}
