/**
 * Generic input validation over the operation table, worded as AWS's Coral framework words it:
 * "2 validation errors detected: Value 'x' at 'typeName' failed to satisfy constraint: Member must ...".
 * JSON values of the wrong type are a SerializationException, as on the real service.
 */
import { OPERATION_TABLE, type Member, type OperationInputs, type OperationName, type Shape } from './operations.js';
import { ServiceError } from './errors.js';

/** Members whose values are never echoed in messages (botocore marks them `sensitive`). */
const SENSITIVE_SHAPES = new Set(['Properties', 'PatchDocument']);

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

function describe(value: unknown, sensitive: boolean): string {
  if (sensitive) return '';
  if (Array.isArray(value)) return `'[${value.join(', ')}]' `;
  return `'${String(value)}' `;
}

function check(value: unknown, shape: Shape, path: string, sensitive: boolean, problems: string[]): void {
  const at = (constraint: string) =>
    problems.push(`Value ${describe(value, sensitive)}at '${path}' failed to satisfy constraint: ${constraint}`);
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

function checkMembers(input: Record<string, unknown>, members: Readonly<Record<string, Member>>, prefix: string, problems: string[]): void {
  for (const [name, member] of Object.entries(members)) {
    const value = input[name];
    const path = prefix + lowerFirst(name);
    // JSON null is how some clients say "absent"; Coral treats it the same, and so must everything after
    // validation: the member is removed, so the typed input never holds a null.
    if (value === undefined || value === null) {
      if (value === null) delete input[name];
      if (member.required) problems.push(`Value null at '${path}' failed to satisfy constraint: Member must not be null`);
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
