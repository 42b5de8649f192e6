/**
 * Fault and latency injection: rules users load from --faults FILE or PUT /_ccapi/faults to exercise their
 * retry and polling code. A rule matches a type (exact or `*` glob) and an operation: CREATE/UPDATE/DELETE
 * (the asynchronous handler operation), READ/LIST (the handler calls behind GetResource/ListResources), or
 * an API operation name (for `apiError`). `count` spends a rule after N matches; `probability` draws from
 * a PRNG seeded with the top-level `seed`, so a run is reproducible.
 */
import { MAX_GLOB_LENGTH, TypeGlob } from '../lib/glob.js';
import { ERROR_STATUS, isErrorCode, type ErrorCode } from '../protocol/errors.js';
import { OPERATION_NAMES, type OperationName } from '../protocol/operations.js';
import { HANDLER_ACTIONS, HANDLER_ERROR_CODES, type HandlerAction, type HandlerErrorCode } from '../domain/vocabulary.js';


/** An injected delay longer than a day is a typo, not a test. */
const MAX_DELAY_MS = 24 * 60 * 60 * 1000;

export interface FaultRule {
  typeName?: string;
  operation?: HandlerAction | OperationName;
  delayMs?: number;
  errorCode?: HandlerErrorCode;
  statusMessage?: string;
  apiError?: ErrorCode;
  count?: number;
  probability?: number;
}

export interface FaultConfig {
  seed?: number;
  rules: FaultRule[];
}

export class FaultConfigError extends Error {}

export interface HandlerFault {
  delayMs?: number;
  errorCode?: HandlerErrorCode;
  statusMessage?: string;
}

const RULE_KEYS = new Set(['typeName', 'operation', 'delayMs', 'errorCode', 'statusMessage', 'apiError', 'count', 'probability']);

/** mulberry32: tiny, fast, and good enough to make "10% of calls" reproducible. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Checks a parsed JSON document and returns it as a FaultConfig, or throws naming the bad field. */
export function parseFaultConfig(input: unknown): FaultConfig {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) throw new FaultConfigError('the fault configuration must be a JSON object with a "rules" array');
  const doc = input as Record<string, unknown>;
  for (const key of Object.keys(doc)) if (key !== 'seed' && key !== 'rules') throw new FaultConfigError(`unknown field "${key}" (expected "seed" and "rules")`);
  if (doc.seed !== undefined && !Number.isInteger(doc.seed)) throw new FaultConfigError('seed must be an integer');
  if (!Array.isArray(doc.rules)) throw new FaultConfigError('rules must be an array');
  const rules = doc.rules.map((raw, i) => parseRule(raw, `rules[${i}]`));
  return doc.seed === undefined ? { rules } : { seed: doc.seed as number, rules };
}

function parseRule(raw: unknown, at: string): FaultRule {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new FaultConfigError(`${at} must be an object`);
  const r = raw as Record<string, unknown>;
  for (const key of Object.keys(r)) if (!RULE_KEYS.has(key)) throw new FaultConfigError(`${at}.${key} is not a rule field (expected one of ${[...RULE_KEYS].join(', ')})`);
  const fail = (field: string, why: string) => new FaultConfigError(`${at}.${field} ${why}`);
  const rule: FaultRule = {};
  if (r.typeName !== undefined) {
    if (typeof r.typeName !== 'string' || r.typeName.length === 0) throw fail('typeName', 'must be a non-empty string (a type name or a * glob)');
    if (r.typeName.length > MAX_GLOB_LENGTH) throw fail('typeName', `is ${r.typeName.length} characters long; a type name or glob has at most ${MAX_GLOB_LENGTH}`);
    rule.typeName = r.typeName;
  }
  if (r.operation !== undefined) {
    const ok = (HANDLER_ACTIONS as readonly unknown[]).includes(r.operation) || (OPERATION_NAMES as readonly unknown[]).includes(r.operation);
    if (!ok) throw fail('operation', `must be one of ${[...HANDLER_ACTIONS, ...OPERATION_NAMES].join(', ')}; got ${JSON.stringify(r.operation)}`);
    rule.operation = r.operation as FaultRule['operation'];
  }
  if (r.delayMs !== undefined) {
    if (!Number.isInteger(r.delayMs) || (r.delayMs as number) < 0 || (r.delayMs as number) > MAX_DELAY_MS) throw fail('delayMs', `must be an integer from 0 to ${MAX_DELAY_MS}`);
    rule.delayMs = r.delayMs as number;
  }
  if (r.errorCode !== undefined) {
    if (!(HANDLER_ERROR_CODES as readonly unknown[]).includes(r.errorCode)) throw fail('errorCode', `must be a HandlerErrorCode (${HANDLER_ERROR_CODES.join(', ')}); got ${JSON.stringify(r.errorCode)}`);
    rule.errorCode = r.errorCode as HandlerErrorCode;
  }
  if (r.statusMessage !== undefined) {
    if (typeof r.statusMessage !== 'string') throw fail('statusMessage', 'must be a string');
    rule.statusMessage = r.statusMessage;
  }
  if (r.apiError !== undefined) {
    if (typeof r.apiError !== 'string' || !isErrorCode(r.apiError)) throw fail('apiError', `must be an error name (${Object.keys(ERROR_STATUS).join(', ')}); got ${JSON.stringify(r.apiError)}`);
    rule.apiError = r.apiError;
  }
  if (r.count !== undefined) {
    if (!Number.isInteger(r.count) || (r.count as number) < 1) throw fail('count', 'must be a positive integer');
    rule.count = r.count as number;
  }
  if (r.probability !== undefined) {
    if (typeof r.probability !== 'number' || r.probability < 0 || r.probability > 1) throw fail('probability', 'must be a number from 0 to 1');
    rule.probability = r.probability;
  }
  const isApiOperation = rule.operation !== undefined && (OPERATION_NAMES as readonly string[]).includes(rule.operation);
  if (rule.apiError !== undefined) {
    if (!isApiOperation) throw fail('apiError', 'needs "operation" set to an API operation name (e.g. GetResource)');
    if (rule.delayMs !== undefined || rule.errorCode !== undefined) throw fail('apiError', 'cannot be combined with delayMs or errorCode');
  } else {
    if (rule.delayMs === undefined && rule.errorCode === undefined) throw new FaultConfigError(`${at} has no effect: set delayMs, errorCode or apiError`);
    if (isApiOperation) throw fail('operation', 'must be CREATE, UPDATE, DELETE, READ or LIST for delayMs/errorCode rules (API operation names go with apiError)');
  }
  return rule;
}

interface ActiveRule {
  rule: FaultRule;
  type: TypeGlob | undefined;
  remaining: number | undefined;
}

/** The rules in force, with their counters and random stream. Replaced whole by PUT /_ccapi/faults. */
export class FaultInjector {
  private config: FaultConfig = { rules: [] };
  private active: ActiveRule[] = [];
  private random: () => number = prng(0);

  constructor(config?: FaultConfig) {
    if (config) this.replace(config);
  }

  replace(config: FaultConfig): void {
    this.config = config;
    this.random = prng(config.seed ?? 0);
    this.active = config.rules.map((rule) => ({
      rule,
      type: rule.typeName === undefined ? undefined : new TypeGlob(rule.typeName),
      remaining: rule.count,
    }));
  }

  clear(): void {
    this.replace({ rules: [] });
  }

  /** The configuration as loaded, with each rule's remaining count, for GET /_ccapi/faults. */
  describe(): FaultConfig & { remaining: (number | null)[] } {
    return { ...this.config, remaining: this.active.map((a) => (a.remaining === undefined ? null : a.remaining)) };
  }

  private take(operation: string, typeName: string | undefined, wants: (rule: FaultRule) => boolean): FaultRule | undefined {
    for (const a of this.active) {
      if (!wants(a.rule)) continue;
      if (a.rule.operation !== undefined && a.rule.operation !== operation) continue;
      if (a.type && (typeName === undefined || !a.type.matches(typeName))) continue;
      if (a.remaining === 0) continue;
      if (a.rule.probability !== undefined && this.random() >= a.rule.probability) continue;
      if (a.remaining !== undefined) a.remaining -= 1;
      return a.rule;
    }
    return undefined;
  }

  /** The API error to answer an API call with, if a rule says so. */
  apiError(operation: OperationName, typeName: string | undefined): { code: ErrorCode; message: string } | undefined {
    if (this.active.length === 0) return undefined;
    const rule = this.take(operation, typeName, (r) => r.apiError !== undefined);
    if (!rule) return undefined;
    return { code: rule.apiError!, message: rule.statusMessage ?? (rule.apiError === 'ThrottlingException' ? 'Rate exceeded' : `Injected fault: ${rule.apiError}`) };
  }

  /** The delay and/or failure for a handler operation, if a rule matches (first matching rule wins). */
  handlerFault(operation: HandlerAction, typeName: string): HandlerFault | undefined {
    if (this.active.length === 0) return undefined;
    const rule = this.take(operation, typeName, (r) => r.apiError === undefined);
    if (!rule) return undefined;
    const fault: HandlerFault = {};
    if (rule.delayMs !== undefined) fault.delayMs = rule.delayMs;
    if (rule.errorCode !== undefined) fault.errorCode = rule.errorCode;
    if (rule.statusMessage !== undefined) fault.statusMessage = rule.statusMessage;
    return fault;
  }
}
