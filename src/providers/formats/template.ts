/** Evaluates the `${}` templates of formats/format.ts against a model and the caller's scope. */
import { LOWER_ALNUM, LOWER_HEX, MIXED_ALNUM, UPPER_ALNUM, type IdSource } from '../../lib/ids.js';

export interface TemplateScope {
  partition: string;
  region: string;
  accountId: string;
  ids: IdSource;
  /** The creation time, in milliseconds since the epoch, for `${Time:…}` (the clock's now when absent). */
  now?: number;
}

const DIGITS = '0123456789';
const LOWER = 'abcdefghijklmnopqrstuvwxyz';

const RANDOM_CLASSES: Readonly<Record<string, string>> = {
  hex: LOWER_HEX,
  lower: LOWER_ALNUM,
  upper: UPPER_ALNUM,
  alnum: MIXED_ALNUM,
  digits: DIGITS,
  letters: LOWER,
};

/**
 * The domain suffix of AWS endpoints in a partition, as CloudFormation's AWS::URLSuffix gives it:
 * amazonaws.com, amazonaws.com.cn in China (AWS CloudFormation User Guide, "Pseudo parameters reference").
 */
export function urlSuffix(partition: string): string {
  return partition === 'aws-cn' ? 'amazonaws.com.cn' : 'amazonaws.com';
}

/**
 * The value at a dotted path of the model (`Endpoint.Address`), where a number picks an array's item
 * (`EncryptionConfig.0.Provider.KeyArn`); undefined when absent.
 */
export function valueAt(model: Record<string, unknown>, path: string): unknown {
  let node: unknown = model;
  for (const key of path.split('.')) {
    if (Array.isArray(node) && /^\d+$/.test(key)) node = node[Number(key)];
    else if (node === null || typeof node !== 'object' || Array.isArray(node)) return undefined;
    else node = (node as Record<string, unknown>)[key];
  }
  return node;
}

/** Thrown when a template names a model value the model does not have. */
export class MissingValue extends Error {}

const PLACEHOLDER = /\$\{([^}]+)\}/g;

/** The names of every placeholder a template uses (filters dropped), for checks over the data. */
export function placeholdersOf(template: string): string[] {
  return [...template.matchAll(PLACEHOLDER)].map((m) => m[1]!.split('|')[0]!);
}

/**
 * Filters after a placeholder's name, each after a `|`: `lower`, `upper`, `last:SEP` (the part after the last
 * SEP, the whole value without one: a cluster's name from its name or ARN, `${Cluster|last:/}`), `trimStart:P`
 * (the value without a leading P: an SSM parameter's ARN names `/a/b` and `a` alike, `parameter/${Name|trimStart:/}`), `replace:FROM=TO`
 * (every FROM becomes TO: an instance's DNS name from its address, `ip-${PrivateIp|replace:.=-}`), and
 * `map:FROM=TO,…` (a value the map does not name is kept, or becomes the `*=TO` entry's value). WAFv2 puts a
 * set's Scope into its ARN as `${Scope|map:REGIONAL=regional,CLOUDFRONT=global}`.
 */
function applyFilter(value: string, filter: string): string {
  if (filter === 'lower') return value.toLowerCase();
  if (filter === 'upper') return value.toUpperCase();
  if (filter.startsWith('replace:')) {
    const [from = '', to = ''] = filter.slice(8).split('=');
    return from === '' ? value : value.split(from).join(to);
  }
  if (filter.startsWith('trimStart:')) {
    const prefix = filter.slice(10);
    return prefix !== '' && value.startsWith(prefix) ? value.slice(prefix.length) : value;
  }
  if (filter.startsWith('last:')) {
    const separator = filter.slice(5);
    const at = value.lastIndexOf(separator);
    return at < 0 ? value : value.slice(at + separator.length);
  }
  if (filter.startsWith('map:')) {
    let fallback = value;
    for (const pair of filter.slice(4).split(',')) {
      const [from, to = ''] = pair.split('=');
      if (from === value) return to;
      if (from === '*') fallback = to;
    }
    return fallback;
  }
  throw new Error(`unknown template filter |${filter}`);
}

function placeholderValue(placeholder: string, scope: TemplateScope, model: Record<string, unknown>): string {
  const [name, ...filters] = placeholder.split('|');
  return filters.reduce(applyFilter, rawValue(name!, scope, model));
}

function rawValue(name: string, scope: TemplateScope, model: Record<string, unknown>): string {
  switch (name) {
    case 'AWS::Partition':
      return scope.partition;
    case 'AWS::Region':
      return scope.region;
    case 'AWS::AccountId':
      return scope.accountId;
    case 'AWS::URLSuffix':
      return urlSuffix(scope.partition);
    case 'Random:uuid':
      return scope.ids.uuid();
    case 'Time:iso':
      return new Date(scope.now ?? Date.now()).toISOString();
    case 'Time:isoSeconds':
      return new Date(scope.now ?? Date.now()).toISOString().replace(/\.\d{3}Z$/, 'Z');
    case 'Time:epoch':
      return String(Math.floor((scope.now ?? Date.now()) / 1000));
  }
  if (name.startsWith('Time:')) throw new Error(`unknown placeholder \${${name}}`);
  if (name.startsWith('Random:')) {
    const [, kind, length] = name.split(':');
    const alphabet = RANDOM_CLASSES[kind!];
    const n = Number(length);
    if (!alphabet || !Number.isInteger(n) || n <= 0) throw new Error(`unknown placeholder \${${name}}`);
    return scope.ids.random(alphabet, n);
  }
  const value = valueAt(model, name);
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw new MissingValue(`\${${name}} is not in the model`);
}

/** The template with every placeholder replaced; throws MissingValue when a model value is absent. */
export function evaluate(template: string, scope: TemplateScope, model: Record<string, unknown>): string {
  return template.replace(PLACEHOLDER, (_, name: string) => placeholderValue(name, scope, model));
}

/**
 * A copy of a JSON value with the templates in its strings evaluated (a curated default such as KMS's default
 * key policy names the caller's account and partition).
 */
export function evaluateDeep(value: unknown, scope: TemplateScope, model: Record<string, unknown>): unknown {
  if (typeof value === 'string') return value.includes('${') ? evaluate(value, scope, model) : value;
  if (Array.isArray(value)) return value.map((item) => evaluateDeep(item, scope, model));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, evaluateDeep(v, scope, model)]));
  }
  return value;
}

/** Whether a placeholder is one of the scope's or a random class (not a model value). */
export function isBuiltin(name: string): boolean {
  return name.startsWith('AWS::') || name.startsWith('Random:') || name.startsWith('Time:');
}
