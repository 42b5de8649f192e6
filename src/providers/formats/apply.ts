/**
 * Applies a type's format (formats/format.ts) to a model the generic provider is creating: curated
 * defaults, the generated name, then each attribute rule in order.
 */
import type { AttributeRule, NameRule, TypeFormat } from './format.js';
import { evaluate, evaluateDeep, MissingValue, valueAt, type TemplateScope } from './template.js';
import { LOWER_ALNUM, UPPER_ALNUM } from '../../lib/ids.js';

/** How many random characters end a generated name, as in CloudFormation's `mystack-mybucket-kdwwxmddtr2g`. */
const NAME_RANDOM_LENGTH = 12;

/**
 * A generated name: the type's short name, a hyphen and 12 random characters, upper case unless the service
 * wants lower case (CloudFormation's style for names it generates, e.g. `MyQueue-1DEPS0MI1FL3P` and the
 * lower-case `mystack-mybucket-kdwwxmddtr2g` for S3, per the AWS::SQS::Queue and AWS::S3::Bucket "Return
 * values" pages of the CloudFormation User Guide). Cloud Control has no stack or logical id to put first;
 * what it generates is not on record, so the type's short name stands in for them. The name is cut to the
 * service's limit from the left, keeping the random part, and ends with the suffix the model asks for.
 */
export function generatedName(typeName: string, rule: NameRule, scope: TemplateScope, model: Record<string, unknown>): string {
  const lower = rule.case === 'lower';
  const suffix = rule.suffix && model[rule.suffix.when] === true ? rule.suffix.value : '';
  const random = scope.ids.random(lower ? LOWER_ALNUM : UPPER_ALNUM, NAME_RANDOM_LENGTH);
  let prefix = `${typeName.split('::')[2]}-`;
  if (lower) prefix = prefix.toLowerCase();
  const max = rule.maxLength ?? Infinity;
  const room = max - random.length - suffix.length;
  if (prefix.length > room) prefix = room > 0 ? prefix.slice(0, room) : '';
  return `${prefix}${random}${suffix}`.slice(0, max === Infinity ? undefined : max);
}

function setPath(model: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split('.');
  let node = model;
  for (const key of keys.slice(0, -1)) {
    const next = node[key];
    if (next === null || typeof next !== 'object' || Array.isArray(next)) node[key] = {};
    node = node[key] as Record<string, unknown>;
  }
  node[keys[keys.length - 1]!] = value;
}

/** Whether the model has a value at the path; a number picks an array's item, as in templates (`Topics.0`). */
function hasPath(model: Record<string, unknown>, path: string): boolean {
  let node: unknown = model;
  for (const key of path.split('.')) {
    if (Array.isArray(node) && /^\d+$/.test(key)) {
      if (Number(key) >= node.length) return false;
      node = node[Number(key)];
      continue;
    }
    if (node === null || typeof node !== 'object' || Array.isArray(node) || !(key in node)) return false;
    node = (node as Record<string, unknown>)[key];
  }
  return true;
}

/**
 * Fills the curated defaults the caller did not set (a shallow fill: an object default is taken whole), with
 * the templates in their strings evaluated. They come before the schema's own `default`s, so a curated value
 * replaces a schema default that is documentation rather than a value (KMS's key policy with `<account-id>`).
 */
export function applyFormatDefaults(format: TypeFormat, scope: TemplateScope, model: Record<string, unknown>): void {
  for (const [key, value] of Object.entries(format.defaults ?? {})) if (!(key in model)) model[key] = evaluateDeep(value, scope, model);
}

type Choice = Exclude<AttributeRule, string | { value: unknown } | { generic: true }>;

/** What a rule's evaluation gives when the rule leaves the attribute to the generic provider. */
const LEFT_TO_GENERIC = Symbol('left to the generic provider');

/** The branch a choice takes for the model; undefined when it leaves the attribute absent. */
function chosenBranch(rule: Choice, model: Record<string, unknown>): AttributeRule | undefined {
  if ('absent' in rule) return undefined;
  if ('ifSet' in rule) return hasPath(model, rule.ifSet) ? rule.then : rule.else;
  const value = valueAt(model, rule.on);
  const key = typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? String(value) : undefined;
  return key !== undefined && Object.hasOwn(rule.cases, key) ? rule.cases[key] : rule.else;
}

function valueOf(rule: AttributeRule, scope: TemplateScope, model: Record<string, unknown>): unknown {
  if (typeof rule === 'string') return evaluate(rule, scope, model);
  if ('value' in rule) return evaluateDeep(rule.value, scope, model);
  if ('generic' in rule) return LEFT_TO_GENERIC;
  const branch = chosenBranch(rule, model);
  return branch === undefined ? undefined : valueOf(branch, scope, model);
}

/** The branches of a choice (none for a template or a literal). */
function branchesOf(rule: AttributeRule): AttributeRule[] {
  if (typeof rule === 'string' || 'value' in rule || 'absent' in rule || 'generic' in rule) return [];
  const branches = 'ifSet' in rule ? [rule.then] : Object.values(rule.cases);
  return rule.else === undefined ? branches : [...branches, rule.else];
}

/**
 * Whether a rule may leave its attribute unformed (a choice without `else` at any depth, or one that leaves it
 * to the generic provider), for the checks over the data.
 */
export function mayLeaveAbsent(rule: AttributeRule): boolean {
  if (typeof rule === 'string' || 'value' in rule) return false;
  if ('absent' in rule || 'generic' in rule) return true;
  return rule.else === undefined || branchesOf(rule).some(mayLeaveAbsent);
}

/** Every template a rule holds, and a `${}` for each property a choice reads, for the checks over the data. */
export function templatesOf(rule: AttributeRule): string[] {
  if (typeof rule === 'string') return [rule];
  if ('value' in rule) return [JSON.stringify(rule.value)];
  if ('absent' in rule || 'generic' in rule) return [];
  return [`\${${'ifSet' in rule ? rule.ifSet : rule.on}}`, ...branchesOf(rule).flatMap(templatesOf)];
}

/**
 * Forms each attribute the format describes, in order, where the model has no value yet. Returns the
 * attributes the format decided, formed or left absent by its rule; one whose template names a value the
 * model lacks is left to the generic provider. `properties`, when given, are the schema's top-level
 * properties: a rule for an attribute the schema lacks (the service spec has an RDS parameter group's ARN,
 * the registry schema does not) forms nothing there, so the model stays valid against that schema.
 */
export function formAttributes(
  format: TypeFormat,
  scope: TemplateScope,
  model: Record<string, unknown>,
  properties?: Readonly<Record<string, unknown>>,
): Set<string> {
  const formed = new Set<string>();
  for (const [path, rule] of Object.entries(format.attributes ?? {})) {
    if (properties && !Object.hasOwn(properties, path.split('.')[0]!)) continue;
    if (hasPath(model, path)) {
      formed.add(path);
      continue;
    }
    try {
      const value = valueOf(rule, scope, model);
      if (value === LEFT_TO_GENERIC) continue;
      if (value !== undefined) setPath(model, path, value);
      formed.add(path);
    } catch (error) {
      if (!(error instanceof MissingValue)) throw error;
    }
  }
  return formed;
}
