/**
 * Pre-provision hooks (`ccapi serve --hooks FILE`): what a hooks file may say, checked when it is loaded.
 * A hook is either declarative (conditions on the target model, each a JSON pointer that must exist, be
 * absent, equal a value or match a pattern) or a JavaScript module exporting a hook function. Hooks run
 * before the CREATE/UPDATE (and, when asked, DELETE) handlers of the types their targets match.
 *
 * @example hooks.json
 *   {"hooks": [{"typeName": "Acme::Policy::Owner", "targets": ["Acme::*"], "failureMode": "FAIL",
 *               "conditions": [{"pointer": "/Owner", "exists": true}], "message": "Every resource names an Owner"},
 *              {"typeName": "Acme::Policy::Budget", "module": "./budget-hook.js", "failureMode": "WARN"}]}
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { MAX_GLOB_LENGTH } from '../../lib/glob.js';
import type { Hook } from '../../providers/author.js';
import type { OperationType } from '../../domain/vocabulary.js';

export type FailureMode = 'FAIL' | 'WARN';

/** One declarative check on the target model. */
export type Condition =
  | { pointer: string; exists: boolean }
  | { pointer: string; equals: unknown }
  | { pointer: string; matches: string; regex: RegExp };

export interface HookDefinition {
  /** HookTypeName on the wire, e.g. "Acme::Policy::Owner". */
  typeName: string;
  /** Type-name globs (`*` matches any run of characters). */
  targets: string[];
  operations: OperationType[];
  failureMode: FailureMode;
  /** Declarative hooks: all must hold. */
  conditions?: Condition[];
  /** Module hooks: the exported hook function. */
  run?: Hook;
  /** Module hooks: where the function came from, for logs. */
  module?: string;
  /** Declarative hooks: the status message when a condition fails (default: the condition, in words). */
  message?: string;
  /** Handed to module hooks as `hookConfiguration`. */
  configuration?: unknown;
}

export class HooksFileError extends Error {}

const HOOK_TYPE_NAME = /^[A-Za-z0-9]{2,64}::[A-Za-z0-9]{2,64}::[A-Za-z0-9]{2,64}$/;
const OPERATIONS: readonly OperationType[] = ['CREATE', 'UPDATE', 'DELETE'];
/** The Cloud Control user guide: hooks run "prior to create and update operations"; DELETE is opt-in. */
const DEFAULT_OPERATIONS: OperationType[] = ['CREATE', 'UPDATE'];
const KNOWN_KEYS = new Set(['typeName', 'targets', 'operations', 'failureMode', 'conditions', 'module', 'message', 'configuration']);

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function parseCondition(value: unknown, where: string): Condition {
  if (!isObject(value)) throw new HooksFileError(`${where}: a condition must be an object such as {"pointer": "/Name", "exists": true}`);
  const { pointer } = value;
  if (typeof pointer !== 'string' || !(pointer === '' || pointer.startsWith('/'))) throw new HooksFileError(`${where}: "pointer" must be a JSON pointer into the model, e.g. "/Tags" or "/Config/Size"`);
  const tests = ['exists', 'equals', 'matches'].filter((k) => k in value);
  if (tests.length !== 1) throw new HooksFileError(`${where}: give exactly one of "exists", "equals" or "matches" (got ${tests.length ? tests.join(', ') : 'none'})`);
  if ('exists' in value) {
    if (typeof value.exists !== 'boolean') throw new HooksFileError(`${where}: "exists" must be true or false`);
    return { pointer, exists: value.exists };
  }
  if ('equals' in value) return { pointer, equals: value.equals };
  if (typeof value.matches !== 'string') throw new HooksFileError(`${where}: "matches" must be a regular expression string`);
  let regex: RegExp;
  try {
    regex = new RegExp(value.matches, 'u');
  } catch (error) {
    throw new HooksFileError(`${where}: "matches" is not a valid regular expression: ${(error as Error).message}`);
  }
  return { pointer, matches: value.matches, regex };
}

async function loadModule(path: string, where: string): Promise<Hook> {
  let namespace: Record<string, unknown>;
  try {
    namespace = (await import(pathToFileURL(path).href)) as Record<string, unknown>;
  } catch (error) {
    throw new HooksFileError(`${where}: module ${path} could not be loaded: ${(error as Error).message}`);
  }
  const fromDefault = namespace.default;
  const fn = typeof fromDefault === 'function' ? fromDefault : (namespace.hook ?? (isObject(fromDefault) ? fromDefault.hook : undefined));
  if (typeof fn !== 'function') throw new HooksFileError(`${where}: module ${path} must export a hook function (as default or as "hook")`);
  return fn as Hook;
}

async function parseHook(value: unknown, index: number, baseDir: string): Promise<HookDefinition> {
  let where = `hooks[${index}]`;
  if (!isObject(value)) throw new HooksFileError(`${where}: must be an object`);
  if (typeof value.typeName !== 'string' || !HOOK_TYPE_NAME.test(value.typeName)) {
    throw new HooksFileError(`${where}: "typeName" must be a hook type name of three ::-separated parts, e.g. "Acme::Policy::RequireOwner"`);
  }
  where = `hooks[${index}] (${value.typeName})`;
  const unknown = Object.keys(value).filter((k) => !KNOWN_KEYS.has(k));
  if (unknown.length) throw new HooksFileError(`${where}: unknown field(s) ${unknown.join(', ')} (known: ${[...KNOWN_KEYS].join(', ')})`);
  const targets = value.targets ?? ['*'];
  if (!Array.isArray(targets) || targets.length === 0 || !targets.every((t) => typeof t === 'string' && t.length > 0)) {
    throw new HooksFileError(`${where}: "targets" must be a non-empty list of type-name globs such as "Acme::*" or "AWS::S3::Bucket"`);
  }
  const tooLong = (targets as string[]).find((t) => t.length > MAX_GLOB_LENGTH);
  if (tooLong !== undefined) throw new HooksFileError(`${where}: target "${tooLong.slice(0, 40)}..." is ${tooLong.length} characters long; a type name or glob has at most ${MAX_GLOB_LENGTH}`);
  const operations = value.operations ?? DEFAULT_OPERATIONS;
  if (!Array.isArray(operations) || operations.length === 0 || !operations.every((o) => OPERATIONS.includes(o as OperationType))) {
    throw new HooksFileError(`${where}: "operations" must be a non-empty list of ${OPERATIONS.join(', ')}`);
  }
  const failureMode = value.failureMode ?? 'FAIL';
  if (failureMode !== 'FAIL' && failureMode !== 'WARN') throw new HooksFileError(`${where}: "failureMode" must be FAIL or WARN`);
  if (value.message !== undefined && typeof value.message !== 'string') throw new HooksFileError(`${where}: "message" must be a string`);
  const hasConditions = value.conditions !== undefined;
  const hasModule = value.module !== undefined;
  if (hasConditions === hasModule) throw new HooksFileError(`${where}: give either "conditions" (declarative) or "module" (a JavaScript hook), not ${hasModule ? 'both' : 'neither'}`);
  const definition: HookDefinition = { typeName: value.typeName, targets: targets as string[], operations: operations as OperationType[], failureMode };
  if (value.message !== undefined) definition.message = value.message as string;
  if (value.configuration !== undefined) definition.configuration = value.configuration;
  if (hasConditions) {
    const list = Array.isArray(value.conditions) ? value.conditions : [value.conditions];
    if (list.length === 0) throw new HooksFileError(`${where}: "conditions" is empty`);
    definition.conditions = list.map((c, i) => parseCondition(c, `${where} conditions[${i}]`));
  } else {
    if (typeof value.module !== 'string') throw new HooksFileError(`${where}: "module" must be a path to a JavaScript file`);
    definition.module = resolve(baseDir, value.module);
    definition.run = await loadModule(definition.module, where);
  }
  return definition;
}

/** Parses hooks already read from JSON; module paths resolve against `baseDir`. */
export async function parseHooks(value: unknown, baseDir: string): Promise<HookDefinition[]> {
  const list = Array.isArray(value) ? value : isObject(value) ? value.hooks : undefined;
  if (!Array.isArray(list)) throw new HooksFileError('expected {"hooks": [...]} (or a list of hooks)');
  const hooks: HookDefinition[] = [];
  for (const [index, entry] of list.entries()) {
    const hook = await parseHook(entry, index, baseDir);
    if (hooks.some((h) => h.typeName === hook.typeName)) throw new HooksFileError(`hooks[${index}]: ${hook.typeName} is defined twice`);
    hooks.push(hook);
  }
  return hooks;
}

/** Reads and checks a hooks file; errors name the file and the entry. */
export async function loadHooksFile(file: string): Promise<HookDefinition[]> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new HooksFileError(`cannot read the hooks file ${file}: ${(error as Error).message}`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new HooksFileError(`the hooks file ${file} is not valid JSON: ${(error as Error).message}`);
  }
  try {
    return await parseHooks(value, dirname(resolve(file)));
  } catch (error) {
    if (error instanceof HooksFileError) throw new HooksFileError(`invalid hooks file ${file}: ${error.message}`);
    throw error;
  }
}
