/**
 * The one input validator, for both protocols: it walks an operation's members (protocol/operations.ts
 * shapes) and words every problem as AWS's Coral framework words it:
 * "2 validation errors detected: Value 'x' at 'typeName' failed to satisfy constraint: Member must ...".
 *
 * - AWS JSON 1.0 (Cloud Control): values carry their JSON types; a value of the wrong type is a
 *   SerializationException, as on the real service, and the body is checked in place.
 * - Query protocol (CloudFormation, STS): every value is a string (or a list or structure of them) that the
 *   shape types; a value that cannot be read as its shape is one more validation problem (ValidationError).
 *
 * Both have the same limits: at most 10 problems, echoed values cut at 1,024 characters, sensitive members
 * never echoed.
 */
import { OPERATION_TABLE, type Member, type OperationInputs, type OperationName, type Shape } from './operations.js';
import { commonQueryError, ServiceError } from './errors.js';
import type { QueryStruct } from './query.js';

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

/** How values arrive: typed JSON, or query-protocol strings that the shape types. */
type Wire = 'json' | 'query';

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
    const text = scalarText(value);
    return { text, length: text.length };
  }
  let text = '[';
  let length = 1;
  value.forEach((item, i) => {
    const part = `${i === 0 ? '' : ', '}${scalarText(item)}`;
    if (text.length <= MAX_ECHOED_CHARS) text += part;
    length += part.length;
  });
  return { text: `${text}]`, length: length + 1 };
}

/** Strings and numbers are echoed; a structure (or a list inside a list) is shown as an ellipsis. */
function scalarText(value: unknown): string {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? String(value) : '…';
}

function describe(value: unknown, sensitive: boolean): string {
  if (sensitive) return '';
  const { text, length } = echoText(value);
  if (length <= MAX_ECHOED_CHARS) return `'${text}' `;
  // Never cut a surrogate pair in two.
  const cut = /[\uD800-\uDBFF]/.test(text.charAt(MAX_ECHOED_CHARS - 1)) ? MAX_ECHOED_CHARS - 1 : MAX_ECHOED_CHARS;
  return `'${text.slice(0, cut)}...' (truncated; ${length} characters) `;
}

function record(problems: string[], value: unknown, path: string, sensitive: boolean, constraint: string): void {
  // Past the cap the walk goes on (a JSON value of the wrong type is still a SerializationException) but
  // records nothing more.
  if (problems.length < MAX_PROBLEMS) problems.push(`Value ${describe(value, sensitive)}at '${path}' failed to satisfy constraint: ${constraint}`);
}

/** A value that is not of its shape's kind: a SerializationException in JSON, a validation problem in a query. */
function wrongKind(wire: Wire, value: unknown, path: string, kind: Shape['kind'], problems: string[]): undefined {
  if (wire === 'json') throw serializationError(path, kind, value);
  record(problems, value, path, false, `Member must be ${kind === 'integer' ? 'an' : 'a'} ${kind}`);
  return undefined;
}

/** A query integer: optional sign, at most 15 digits (so every one is exact as a JavaScript number). */
const QUERY_INTEGER = /^[-+]?[0-9]{1,15}$/;

/** Checks one value against its shape; returns the typed value (the same value in JSON), undefined if unreadable. */
function check(wire: Wire, value: unknown, shape: Shape, path: string, sensitive: boolean, problems: string[]): unknown {
  switch (shape.kind) {
    case 'string': {
      if (typeof value !== 'string') return wrongKind(wire, value, path, 'string', problems);
      if (shape.min !== undefined && value.length < shape.min) record(problems, value, path, sensitive, `Member must have length greater than or equal to ${shape.min}`);
      if (shape.max !== undefined && value.length > shape.max) record(problems, value, path, sensitive, `Member must have length less than or equal to ${shape.max}`);
      if (shape.enum && !shape.enum.includes(value)) record(problems, value, path, sensitive, `Member must satisfy enum value set: [${shape.enum.join(', ')}]`);
      else if (shape.pattern && value.length > 0 && !fullMatch(shape.pattern).test(value))
        record(problems, value, path, sensitive, `Member must satisfy regular expression pattern: ${shape.pattern}`);
      return value;
    }
    case 'integer': {
      let n: number;
      if (wire === 'json') {
        if (typeof value !== 'number' || !Number.isInteger(value)) return wrongKind(wire, value, path, 'integer', problems);
        n = value;
      } else {
        if (typeof value !== 'string' || !QUERY_INTEGER.test(value.trim())) return wrongKind(wire, value, path, 'integer', problems);
        n = Number(value.trim());
      }
      if (shape.min !== undefined && n < shape.min) record(problems, value, path, sensitive, `Member must have value greater than or equal to ${shape.min}`);
      if (shape.max !== undefined && n > shape.max) record(problems, value, path, sensitive, `Member must have value less than or equal to ${shape.max}`);
      return n;
    }
    case 'list': {
      // `Name=` is how the query protocol sends an empty list.
      if (wire === 'query' && value === '') return [];
      if (!Array.isArray(value)) return wrongKind(wire, value, path, 'list', problems);
      if (wire === 'json') {
        value.forEach((item, i) => check(wire, item, shape.member, `${path}.${i + 1}.member`, sensitive, problems));
        return value;
      }
      return value.map((item, i) => check(wire, item, shape.member, `${path}.${i + 1}.member`, sensitive, problems));
    }
    case 'structure': {
      if (value === null || typeof value !== 'object' || Array.isArray(value)) return wrongKind(wire, value, path, 'structure', problems);
      return checkMembers(wire, value as Record<string, unknown>, shape.members, `${path}.`, problems);
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

/**
 * Checks a structure's members. JSON is checked in place and returned; a query's strings become a new typed
 * object. Unknown members are ignored, as the real service ignores them.
 */
function checkMembers(wire: Wire, input: Record<string, unknown>, members: Readonly<Record<string, Member>>, prefix: string, problems: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = wire === 'json' ? input : {};
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
    const typed = check(wire, value, member.type, path, SENSITIVE_SHAPES.has(member.shape), problems);
    if (wire === 'query' && typed !== undefined) out[name] = typed;
  }
  return out;
}

function serializationError(path: string, expected: string, value: unknown): ServiceError {
  return new ServiceError('SerializationException', `Unexpected value for '${path}': expected ${expected}, found ${jsonTypeOf(value)}`);
}

/** "1 validation error detected: …" or "N validation errors detected: …; …". */
function summary(problems: readonly string[]): string {
  const count = problems.length === 1 ? '1 validation error detected' : `${problems.length} validation errors detected`;
  return `${count}: ${problems.join('; ')}`;
}

/**
 * Validates a parsed AWS JSON 1.0 body against the Cloud Control operation's input members, in place.
 * Returns the body typed as the operation's input; every problem is in one ValidationException.
 */
export function validateInput<Op extends OperationName>(operation: Op, body: unknown): OperationInputs[Op] {
  if (jsonTypeOf(body) !== 'object') {
    throw new ServiceError('SerializationException', 'Expected a JSON object as the request body');
  }
  const problems: string[] = [];
  checkMembers('json', body as Record<string, unknown>, OPERATION_TABLE[operation], '', problems);
  if (problems.length > 0) throw new ServiceError('ValidationException', summary(problems));
  return body as OperationInputs[Op];
}

/**
 * Reads a query-protocol operation's input from its parsed parameters: strings become the members' types,
 * unknown parameters are ignored (as AWS ignores them), and every problem is in one ValidationError.
 */
export function readQueryInput<T = Record<string, unknown>>(params: QueryStruct, members: Readonly<Record<string, Member>>): T {
  const problems: string[] = [];
  const input = checkMembers('query', params, members, '', problems);
  if (problems.length > 0) throw commonQueryError('ValidationError', summary(problems));
  return input as T;
}
