/**
 * Generic input validation over the operation table, worded as AWS's Coral framework words it:
 * "2 validation errors detected: Value 'x' at 'typeName' failed to satisfy constraint: Member must ...".
 * JSON values of the wrong type are a SerializationException, as on the real service.
 */
import { OPERATION_TABLE, type Member, type OperationInputs, type OperationName, type Shape } from './operations.js';
import { ServiceError } from './errors.js';

/** Members whose values are never echoed in messages (botocore marks them `sensitive`). */
const SENSITIVE_SHAPES = new Set(['Properties', 'PatchDocument']);

/**
 * Coral reports at most 10 problems ("10 validation errors detected: ..."): dynalite's validator stops at 10,
 * and its suite runs against live DynamoDB. Without a cap, a 1 MiB list of bad enum values would make a
 * message of tens of megabytes.
 */
const MAX_PROBLEMS = 10;

/**
 * The longest value echoed whole. Coral echoes a failing value in full (a 256-character table name comes
 * back whole from live DynamoDB, per dynalite's tests); nobody has shown what it does with a megabyte, and
 * echoing one makes the answer as big as the request (and a log line of it). Longer values are cut here,
 * and the message says so. TypeName (196), tokens (128) and their like come back whole; an Identifier over
 * its 1,024 limit is always cut.
 */
export const MAX_ECHOED_CHARS = 1024;

const patternCache = new Map<string, RegExp>();
function fullMatch(pattern: string): RegExp {
  let re = patternCache.get(pattern);
  if (!re) {
    // Smithy patterns are not anchored; Coral's validator requires the whole value to match.
    re = new RegExp(`^(?:${pattern})$`, 'u');
    patternCache.set(pattern, re);
  }
  return re;
}

const lowerFirst = (s: string) => s.charAt(0).toLowerCase() + s.slice(1);

function jsonTypeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

/** The text of a value as Coral echoes it, built no further than needed to echo it (a list may be huge). */
function echoText(value: unknown): { text: string; length: number } {
  if (!Array.isArray(value)) {
    const text = String(value);
    return { text, length: text.length };
  }
  let text = '[';
  let length = 1;
  value.forEach((item, i) => {
    const part = `${i === 0 ? '' : ', '}${String(item)}`;
    if (text.length <= MAX_ECHOED_CHARS) text += part;
    length += part.length;
  });
  return { text: `${text}]`, length: length + 1 };
}

function describe(value: unknown, sensitive: boolean): string {
  if (sensitive) return '';
  const { text, length } = echoText(value);
  if (length <= MAX_ECHOED_CHARS) return `'${text}' `;
  // Never cut a surrogate pair in two.
  const cut = /[\uD800-\uDBFF]/.test(text.charAt(MAX_ECHOED_CHARS - 1)) ? MAX_ECHOED_CHARS - 1 : MAX_ECHOED_CHARS;
  return `'${text.slice(0, cut)}...' (truncated; ${length} characters) `;
}

function check(value: unknown, shape: Shape, path: string, sensitive: boolean, problems: string[]): void {
  // Past the cap the walk goes on (a value of the wrong JSON type is still a SerializationException) but
  // records nothing more.
  const at = (constraint: string) => {
    if (problems.length < MAX_PROBLEMS) problems.push(`Value ${describe(value, sensitive)}at '${path}' failed to satisfy constraint: ${constraint}`);
  };
  switch (shape.kind) {
    case 'string': {
      if (typeof value !== 'string') throw serializationError(path, 'string', value);
      if (shape.min !== undefined && value.length < shape.min) at(`Member must have length greater than or equal to ${shape.min}`);
      if (shape.max !== undefined && value.length > shape.max) at(`Member must have length less than or equal to ${shape.max}`);
      if (shape.enum && !shape.enum.includes(value)) at(`Member must satisfy enum value set: [${shape.enum.join(', ')}]`);
      else if (shape.pattern && value.length > 0 && !fullMatch(shape.pattern).test(value))
        at(`Member must satisfy regular expression pattern: ${shape.pattern}`);
      return;
    }
    case 'integer': {
      if (typeof value !== 'number' || !Number.isInteger(value)) throw serializationError(path, 'integer', value);
      if (shape.min !== undefined && value < shape.min) at(`Member must have value greater than or equal to ${shape.min}`);
      if (shape.max !== undefined && value > shape.max) at(`Member must have value less than or equal to ${shape.max}`);
      return;
    }
    case 'list': {
      if (!Array.isArray(value)) throw serializationError(path, 'list', value);
      value.forEach((item, i) => check(item, shape.member, `${path}.${i + 1}.member`, sensitive, problems));
      return;
    }
    case 'structure': {
      if (jsonTypeOf(value) !== 'object') throw serializationError(path, 'structure', value);
      checkMembers(value as Record<string, unknown>, shape.members, `${path}.`, problems);
      return;
    }
  }
}

/** Each members table as [name, member, name as it appears in messages], built once per table. */
const memberLists = new WeakMap<Readonly<Record<string, Member>>, readonly (readonly [string, Member, string])[]>();
function memberList(members: Readonly<Record<string, Member>>): readonly (readonly [string, Member, string])[] {
  let list = memberLists.get(members);
  if (!list) memberLists.set(members, (list = Object.entries(members).map(([name, member]) => [name, member, lowerFirst(name)] as const)));
  return list;
}

function checkMembers(input: Record<string, unknown>, members: Readonly<Record<string, Member>>, prefix: string, problems: string[]): void {
  for (const [name, member, shown] of memberList(members)) {
    const value = input[name];
    const path = prefix === '' ? shown : prefix + shown;
    // JSON null is how some clients say "absent"; Coral treats it the same, and so must everything after
    // validation: the member is removed, so the typed input never holds a null.
    if (value === undefined || value === null) {
      if (value === null) delete input[name];
      if (member.required && problems.length < MAX_PROBLEMS) problems.push(`Value null at '${path}' failed to satisfy constraint: Member must not be null`);
      continue;
    }
    check(value, member.type, path, SENSITIVE_SHAPES.has(member.shape), problems);
  }
}

function serializationError(path: string, expected: string, value: unknown): ServiceError {
  return new ServiceError('SerializationException', `Unexpected value for '${path}': expected ${expected}, found ${jsonTypeOf(value)}`);
}

/**
 * Validates a parsed JSON body against the operation's input members. Unknown members are ignored,
 * as the real service ignores them. Returns the body typed as the operation's input.
 */
export function validateInput<Op extends OperationName>(operation: Op, body: unknown): OperationInputs[Op] {
  if (jsonTypeOf(body) !== 'object') {
    throw new ServiceError('SerializationException', 'Expected a JSON object as the request body');
  }
  const problems: string[] = [];
  checkMembers(body as Record<string, unknown>, OPERATION_TABLE[operation], '', problems);
  if (problems.length > 0) {
    const count = problems.length === 1 ? '1 validation error detected' : `${problems.length} validation errors detected`;
    throw new ServiceError('ValidationException', `${count}: ${problems.join('; ')}`);
  }
  return body as OperationInputs[Op];
}
