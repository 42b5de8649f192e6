/**
 * The fidelity corpus (test/fidelity/cases/*.json): what each case looks like, loading and checking the files,
 * variable substitution, and the matcher that compares a response with what AWS answered. The JS runner
 * (fidelity.test.ts) and the boto3 runner (run_boto3.py) give the same meaning to the same data; see README.md.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../support/server.js';

export const CASES_DIR = join(REPO_ROOT, 'test/fidelity/cases');

export const OPERATIONS = [
  'CreateResource',
  'GetResource',
  'UpdateResource',
  'DeleteResource',
  'ListResources',
  'GetResourceRequestStatus',
  'ListResourceRequests',
  'CancelResourceRequest',
] as const;
export type Operation = (typeof OPERATIONS)[number];

export interface ExpectedError {
  /** The error code (the `__type` after `#`), e.g. ResourceNotFoundException; left out only when no source names it. */
  code?: string;
  status?: number;
  /** The whole message, after variable substitution. */
  message?: string;
  /** A regular expression the message must match; variables inside it are substituted regex-escaped. */
  messagePattern?: string;
}

export interface Step {
  call: Operation;
  /** The request; DesiredState, PatchDocument and ResourceModel may be given as JSON values (sent as strings). */
  input: Record<string, unknown>;
  /** Poll GetResourceRequestStatus with the response's RequestToken until the request is terminal. */
  wait?: boolean;
  /** The step may fail or succeed, its answer unchecked (a later step checks its effect). */
  allowError?: boolean;
  /** Variables taken from this step: name → dotted path in {output, final}, e.g. "final.Identifier". */
  save?: Record<string, string>;
  expect?: {
    error?: ExpectedError;
    /** Subset of the output (JSON strings such as Properties and ResourceModel are parsed first). */
    output?: unknown;
    /** Subset of the terminal ProgressEvent (with wait). */
    final?: unknown;
  };
}

export interface Case {
  id: string;
  title: string;
  /** Public sources (issue URLs, documentation pages) that quote the behaviour; at least one. */
  sources: string[];
  /** The words of the source the expectation is taken from. */
  quote: string;
  /** "registry": needs AWS's official schema bundle (../shared/cfn-schemas/CloudformationSchema.zip). */
  catalogue?: 'built-in' | 'registry';
  /** Also run through boto3 (run_boto3.py). */
  boto3?: boolean;
  /** ccapi does not answer like AWS yet: the reason (run as a node:test todo). */
  todo?: string;
  steps: Step[];
}

export interface CaseFile {
  theme: string;
  description: string;
  cases: Case[];
  file: string;
}

export function loadCorpus(dir = CASES_DIR): CaseFile[] {
  const files = readdirSync(dir).filter((f) => f.endsWith('.json')).sort();
  const loaded = files.map((file) => ({ ...(JSON.parse(readFileSync(join(dir, file), 'utf8')) as Omit<CaseFile, 'file'>), file }));
  const problems = loaded.flatMap((f) => f.cases.flatMap((c) => checkCase(c).map((p) => `${f.file} ${c.id ?? '?'}: ${p}`)));
  const ids = loaded.flatMap((f) => f.cases.map((c) => c.id));
  for (const id of new Set(ids)) if (ids.filter((x) => x === id).length > 1) problems.push(`duplicate case id ${id}`);
  if (problems.length) throw new Error(`the fidelity corpus is malformed:\n${problems.join('\n')}`);
  return loaded;
}

/** Why a case is not well formed (empty when it is). */
export function checkCase(c: Case): string[] {
  const problems: string[] = [];
  if (!c.id || !/^[a-z0-9-]+$/.test(c.id)) problems.push('id must be kebab-case');
  if (!c.title) problems.push('no title');
  if (!Array.isArray(c.sources) || c.sources.length === 0) problems.push('no source: every case needs the public source it is quoted from');
  for (const s of c.sources ?? []) if (!/^https:\/\/\S+$/.test(s)) problems.push(`source is not an https URL: ${s}`);
  if (!c.quote) problems.push('no quote from the source');
  if (!Array.isArray(c.steps) || c.steps.length === 0) problems.push('no steps');
  let expects = 0;
  for (const [i, s] of (c.steps ?? []).entries()) {
    if (!OPERATIONS.includes(s.call)) problems.push(`step ${i}: unknown call ${s.call}`);
    if (s.expect) {
      if (s.expect.error && (s.expect.output !== undefined || s.expect.final !== undefined)) problems.push(`step ${i}: error and output expected at once`);
      if (s.expect.final !== undefined && !s.wait) problems.push(`step ${i}: final needs wait`);
      if (s.expect.error && !s.expect.error.code && !s.expect.error.message && !s.expect.error.messagePattern) problems.push(`step ${i}: an error expectation names nothing`);
      expects++;
    }
  }
  if (expects === 0) problems.push('no step expects anything');
  return problems;
}

export type Vars = Record<string, string>;

const VAR = /\$\{([A-Za-z0-9_]+)\}/g;

export function substitute(text: string, vars: Vars, escape: (s: string) => string = (s) => s): string {
  return text.replace(VAR, (whole, name: string) => {
    if (!(name in vars)) throw new Error(`unknown variable ${whole}`);
    return escape(vars[name]!);
  });
}

export const regexEscape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Substitutes variables in every string of a JSON value. */
export function substituteDeep(value: unknown, vars: Vars): unknown {
  if (typeof value === 'string') return substitute(value, vars);
  if (Array.isArray(value)) return value.map((v) => substituteDeep(v, vars));
  if (value && typeof value === 'object') {
    // Matchers keep their pattern unsubstituted here: match() substitutes it regex-escaped.
    if ('$pattern' in value) return value;
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substituteDeep(v, vars)]));
  }
  return value;
}

const JSON_MEMBERS = ['DesiredState', 'PatchDocument', 'ResourceModel'];

/** A step's request as sent: variables substituted, JSON members as strings. */
export function requestOf(step: Step, vars: Vars): Record<string, unknown> {
  const input = substituteDeep(step.input, vars) as Record<string, unknown>;
  for (const k of JSON_MEMBERS) if (k in input && typeof input[k] !== 'string') input[k] = JSON.stringify(input[k]);
  return input;
}

/** An output with its JSON-string members parsed, so expectations can name properties. */
export function parsedView(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(parsedView);
  if (value instanceof Date) return value.getTime() / 1000;
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([k]) => k !== '$metadata')
        .map(([k, v]) => [k, (k === 'Properties' || k === 'ResourceModel') && typeof v === 'string' ? tryParse(v) : parsedView(v)]),
    );
  }
  return value;
}

function tryParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/**
 * Where `actual` differs from `expected` (empty when it matches). Objects match as subsets; arrays match
 * element by element and by length; `{"$pattern": "re"}` matches a string; `{"$absent": true}` a missing key;
 * `{"$type": "string"}` any value of that JSON type; `{"$contains": x}` an array holding an element matching x; `{"$notContains": x}` one holding none.
 */
export function match(actual: unknown, expected: unknown, vars: Vars, at = '$'): string[] {
  if (expected && typeof expected === 'object' && !Array.isArray(expected)) {
    const e = expected as Record<string, unknown>;
    if ('$pattern' in e) {
      const re = new RegExp(substitute(String(e.$pattern), vars, regexEscape));
      return typeof actual === 'string' && re.test(actual) ? [] : [`${at}: ${JSON.stringify(actual)} does not match /${re.source}/`];
    }
    if ('$absent' in e) return actual === undefined ? [] : [`${at}: expected absent, got ${JSON.stringify(actual)}`];
    if ('$type' in e) {
      const type = Array.isArray(actual) ? 'array' : actual === null ? 'null' : typeof actual;
      return type === e.$type ? [] : [`${at}: expected a ${String(e.$type)}, got ${JSON.stringify(actual)}`];
    }
    if ('$notContains' in e) {
      if (!Array.isArray(actual)) return [`${at}: expected an array, got ${JSON.stringify(actual)}`];
      return actual.some((a) => match(a, e.$notContains, vars).length === 0) ? [`${at}: an element matches ${JSON.stringify(e.$notContains)}`] : [];
    }
    if ('$contains' in e) {
      if (!Array.isArray(actual)) return [`${at}: expected an array, got ${JSON.stringify(actual)}`];
      return actual.some((a) => match(a, e.$contains, vars).length === 0) ? [] : [`${at}: no element matches ${JSON.stringify(e.$contains)} in ${JSON.stringify(actual)}`];
    }
    if (!actual || typeof actual !== 'object' || Array.isArray(actual)) return [`${at}: expected an object, got ${JSON.stringify(actual)}`];
    return Object.entries(e).flatMap(([k, v]) => match((actual as Record<string, unknown>)[k], v, vars, `${at}.${k}`));
  }
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) return [`${at}: expected an array, got ${JSON.stringify(actual)}`];
    if (actual.length !== expected.length) return [`${at}: expected ${expected.length} elements, got ${JSON.stringify(actual)}`];
    return expected.flatMap((v, i) => match(actual[i], v, vars, `${at}[${i}]`));
  }
  const want = typeof expected === 'string' ? substitute(expected, vars) : expected;
  return actual === want ? [] : [`${at}: expected ${JSON.stringify(want)}, got ${JSON.stringify(actual)}`];
}

export function pick(root: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((v, k) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined), root);
}
