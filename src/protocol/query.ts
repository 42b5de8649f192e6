/**
 * The AWS query protocol (CloudFormation now, STS later): requests are `Action=...&Version=...` pairs,
 * form-encoded in a POST body or in a GET query string, with nested members flattened into dotted keys;
 * responses and errors are XML. Nothing here knows a service: the caller supplies the XML namespace, the
 * operation name and the input members (as protocol/operations.ts shapes).
 *
 *   Filters.TypeNamePrefix=AWS%3A%3AS3        structure member          { Filters: { TypeNamePrefix: 'AWS::S3' } }
 *   Names.member.1=a&Names.member.2=b         list (botocore's form)    { Names: ['a', 'b'] }
 *   Names.1=a&Names.2=b                       flattened list            { Names: ['a', 'b'] }
 *   Names=                                    empty list                { Names: '' }  (a list shape reads it as [])
 *   Tags.entry.1.key=k&Tags.entry.1.value=v   map                       { Tags: { k: 'v' } }
 */
import type { Member, Shape } from './operations.js';

export const FORM_CONTENT_TYPE = 'application/x-www-form-urlencoded';
/** What the query services answer with (CloudFormation, STS, IAM all send text/xml). */
export const XML_CONTENT_TYPE = 'text/xml';

// ---------------------------------------------------------------------------------------------------------
// Errors

/**
 * The errors every query service shares (AWS "Common Errors"), with their HTTP status. Service-specific
 * errors (CloudFormation's TypeNotFoundException, 404) are built by the service with their own status.
 */
export const COMMON_QUERY_ERRORS = {
  AccessDeniedException: 400,
  IncompleteSignature: 400,
  InternalFailure: 500,
  InvalidAction: 400,
  InvalidClientTokenId: 403,
  InvalidParameterCombination: 400,
  InvalidParameterValue: 400,
  InvalidQueryParameter: 400,
  MalformedQueryString: 404,
  MissingAction: 400,
  MissingAuthenticationToken: 403,
  MissingParameter: 400,
  RequestExpired: 400,
  ServiceUnavailable: 503,
  ThrottlingException: 400,
  ValidationError: 400,
} as const;

export type CommonQueryErrorCode = keyof typeof COMMON_QUERY_ERRORS;

/** An error with its query-protocol identity: `<Type>Sender|Receiver</Type><Code>…</Code>` and the HTTP status. */
export class QueryError extends Error {
  readonly code: string;
  readonly status: number;

  constructor(code: string, message: string, status: number) {
    super(message);
    this.name = code;
    this.code = code;
    this.status = status;
  }

  /** Sender for client errors, Receiver for server faults (what SDKs retry). */
  get type(): 'Sender' | 'Receiver' {
    return this.status >= 500 ? 'Receiver' : 'Sender';
  }
}

export function commonQueryError(code: CommonQueryErrorCode, message: string): QueryError {
  return new QueryError(code, message, COMMON_QUERY_ERRORS[code]);
}

/** AWS's wording for an Action the service does not have, or a Version it does not speak. */
export function invalidAction(action: string, version: string | undefined): QueryError {
  return commonQueryError('InvalidAction', `Could not find operation ${action} for version ${version ?? 'NO_VERSION_SPECIFIED'}`);
}

// ---------------------------------------------------------------------------------------------------------
// Requests

/** A parsed parameter: a string, a list, or a structure/map (null-prototype, so `__proto__` is just a key). */
export type QueryValue = string | QueryValue[] | QueryStruct;
export interface QueryStruct {
  [key: string]: QueryValue;
}

export interface QueryRequest {
  action: string | undefined;
  version: string | undefined;
  /** Every parameter except Action and Version, unflattened. */
  params: QueryStruct;
}

/** Decodes `a=1&b=2` (form encoding: `+` is a space); a key given twice keeps its last value. */
export function parseQueryString(text: string): Map<string, string> {
  const out = new Map<string, string>();
  if (text.length === 0) return out;
  for (const [key, value] of new URLSearchParams(text)) out.set(key, value);
  return out;
}

const INDEX = /^[1-9][0-9]*$/;

function struct(): QueryStruct {
  return Object.create(null) as QueryStruct;
}

/**
 * Turns dotted keys into nested values. A key that is both a value and a prefix (`A=1&A.B=2`) keeps the
 * nested form. Lists come out ordered by their 1-based index, whatever order the pairs arrived in.
 */
/** No query API nests members this deep; deeper keys are hostile (and the walk below recurses per level). */
export const MAX_QUERY_KEY_DEPTH = 32;

export function unflatten(flat: Iterable<[string, string]>): QueryStruct {
  const root = struct();
  for (const [key, value] of flat) {
    const parts = key.split('.');
    if (parts.length > MAX_QUERY_KEY_DEPTH) {
      throw commonQueryError('MalformedQueryString', `Parameter ${key.slice(0, 64)}… nests deeper than ${MAX_QUERY_KEY_DEPTH} levels`);
    }
    let node = root;
    for (let i = 0; i < parts.length - 1; i++) {
      const part = parts[i]!;
      const next = node[part];
      if (next === undefined || typeof next === 'string') {
        const child = struct();
        node[part] = child;
        node = child;
      } else {
        node = next as QueryStruct;
      }
    }
    const last = parts[parts.length - 1]!;
    if (node[last] === undefined || typeof node[last] === 'string') node[last] = value;
  }
  return normalize(root) as QueryStruct;
}

function indexed(node: QueryStruct): QueryValue[] | undefined {
  const keys = Object.keys(node);
  if (keys.length === 0 || !keys.every((k) => INDEX.test(k))) return undefined;
  return keys.sort((a, b) => Number(a) - Number(b)).map((k) => normalize(node[k]!));
}

function normalize(value: QueryValue): QueryValue {
  if (typeof value === 'string' || Array.isArray(value)) return value;
  const keys = Object.keys(value);
  if (keys.length === 1 && keys[0] === 'member' && typeof value.member === 'object' && !Array.isArray(value.member)) {
    const list = indexed(value.member);
    if (list) return list;
  }
  if (keys.length === 1 && keys[0] === 'entry' && typeof value.entry === 'object' && !Array.isArray(value.entry)) {
    const entries = indexed(value.entry);
    if (entries && entries.every((e) => typeof e === 'object' && !Array.isArray(e) && typeof e.key === 'string')) {
      const map = struct();
      for (const e of entries as QueryStruct[]) map[e.key as string] = e.value ?? '';
      return map;
    }
  }
  const flattened = indexed(value);
  if (flattened) return flattened;
  const out = struct();
  for (const key of keys) out[key] = normalize(value[key]!);
  return out;
}

/**
 * Parses a query-protocol request from the POST body and the URL's query string (either may carry the
 * parameters; the body wins when both name the same key). SigV4 presigning parameters (X-Amz-*) are not
 * operation parameters and are dropped.
 */
export function parseQueryRequest(body: string, urlQuery = ''): QueryRequest {
  const flat = parseQueryString(urlQuery);
  for (const [key, value] of parseQueryString(body)) flat.set(key, value);
  const action = flat.get('Action');
  const version = flat.get('Version');
  flat.delete('Action');
  flat.delete('Version');
  for (const key of [...flat.keys()]) if (key.startsWith('X-Amz-')) flat.delete(key);
  return { action: action || undefined, version: version || undefined, params: unflatten(flat) };
}

/**
 * Whether a request without X-Amz-Target speaks the query protocol: an `Action` in the URL's query string
 * (GET, or a presigned POST), or a form-encoded body (or one without a content type) that names an Action.
 */
export function isQueryRequest(method: string | undefined, contentType: string | undefined, body: string, urlQuery: string): boolean {
  if (urlQuery.length > 0 && new URLSearchParams(urlQuery).has('Action')) return true;
  if (method !== 'POST' || body.length === 0) return false;
  if (contentType !== undefined && !contentType.toLowerCase().startsWith(FORM_CONTENT_TYPE)) return false;
  return new URLSearchParams(body).has('Action');
}

// ---------------------------------------------------------------------------------------------------------
// Typed input: coercion from strings by shape, then the model's constraints, worded as Coral words them
// ("1 validation error detected: Value 'A' at 'filters.typeNamePrefix' failed to satisfy constraint: ...").

const lowerFirst = (s: string) => s.charAt(0).toLowerCase() + s.slice(1);

const patternCache = new Map<string, RegExp>();
function fullMatch(pattern: string): RegExp {
  let re = patternCache.get(pattern);
  if (!re) {
    re = new RegExp(`^(?:${pattern})$`, 'u');
    patternCache.set(pattern, re);
  }
  return re;
}

function describe(value: unknown): string {
  if (Array.isArray(value)) return `'[${value.map((v) => (typeof v === 'string' ? v : '…')).join(', ')}]'`;
  return typeof value === 'string' ? `'${value}'` : "'…'";
}

function readValue(value: QueryValue, shape: Shape, path: string, problems: string[]): unknown {
  const violated = (shown: unknown, constraint: string) =>
    problems.push(`Value ${describe(shown)} at '${path}' failed to satisfy constraint: ${constraint}`);
  switch (shape.kind) {
    case 'string': {
      if (typeof value !== 'string') {
        violated(value, 'Member must be a string');
        return undefined;
      }
      if (shape.min !== undefined && value.length < shape.min) violated(value, `Member must have length greater than or equal to ${shape.min}`);
      if (shape.max !== undefined && value.length > shape.max) violated(value, `Member must have length less than or equal to ${shape.max}`);
      if (shape.enum && !shape.enum.includes(value)) violated(value, `Member must satisfy enum value set: [${shape.enum.join(', ')}]`);
      else if (shape.pattern && value.length > 0 && !fullMatch(shape.pattern).test(value))
        violated(value, `Member must satisfy regular expression pattern: ${shape.pattern}`);
      return value;
    }
    case 'integer': {
      if (typeof value !== 'string' || !/^[-+]?[0-9]{1,15}$/.test(value.trim())) {
        violated(value, 'Member must be an integer');
        return undefined;
      }
      const n = Number(value.trim());
      if (shape.min !== undefined && n < shape.min) violated(value, `Member must have value greater than or equal to ${shape.min}`);
      if (shape.max !== undefined && n > shape.max) violated(value, `Member must have value less than or equal to ${shape.max}`);
      return n;
    }
    case 'list': {
      // `Name=` is how the query protocol sends an empty list.
      if (value === '') return [];
      if (!Array.isArray(value)) {
        violated(value, 'Member must be a list');
        return undefined;
      }
      return value.map((item, i) => readValue(item, shape.member, `${path}.${i + 1}.member`, problems));
    }
    case 'structure': {
      if (typeof value === 'string' || Array.isArray(value)) {
        violated(value, 'Member must be a structure');
        return undefined;
      }
      return readMembers(value, shape.members, `${path}.`, problems);
    }
  }
}

function readMembers(params: QueryStruct, members: Readonly<Record<string, Member>>, prefix: string, problems: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, member] of Object.entries(members)) {
    const path = prefix + lowerFirst(name);
    const value = params[name];
    if (value === undefined) {
      if (member.required) problems.push(`Value null at '${path}' failed to satisfy constraint: Member must not be null`);
      continue;
    }
    const read = readValue(value, member.type, path, problems);
    if (read !== undefined) out[name] = read;
  }
  return out;
}

/**
 * Reads an operation's input from parsed parameters: strings become the member's type, unknown parameters
 * are ignored (as AWS ignores them), and every constraint violation is reported in one ValidationError.
 */
export function readQueryInput<T = Record<string, unknown>>(params: QueryStruct, members: Readonly<Record<string, Member>>): T {
  const problems: string[] = [];
  const input = readMembers(params, members, '', problems);
  if (problems.length > 0) {
    const count = problems.length === 1 ? '1 validation error detected' : `${problems.length} validation errors detected`;
    throw commonQueryError('ValidationError', `${count}: ${problems.join('; ')}`);
  }
  return input as T;
}

// ---------------------------------------------------------------------------------------------------------
// Responses

/**
 * A value to render: structures are plain objects (members in insertion order, undefined omitted), lists are
 * arrays (`<member>` items), maps are `Map`s (`<entry><key/><value/></entry>`), timestamps are `Date`s.
 */
export type XmlValue = string | number | boolean | Date | undefined | null | readonly XmlValue[] | ReadonlyMap<string, XmlValue> | XmlStruct;
export interface XmlStruct {
  readonly [member: string]: XmlValue;
}

/**
 * Escapes text for an XML element. Besides `&`, `<` and `>`, CR is written as a character reference (a raw
 * CR would be normalised to LF by every XML parser, changing the value), and what XML 1.0 cannot carry at
 * all (other C0 controls, lone surrogates, U+FFFE/U+FFFF) becomes U+FFFD. Quotes need no escaping in
 * element text, and schemas are full of them, so they are left as they are.
 */
export function escapeXml(text: string): string {
  // Fast path: most values have nothing to escape.
  // eslint-disable-next-line no-control-regex
  if (!/[&<>\r\u0000-\u0008\u000b\u000c\u000e-\u001f\ud800-\udfff\ufffe\uffff]/.test(text)) return text;
  // eslint-disable-next-line no-control-regex
  return text.replace(/[&<>\r\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff][\udc00-\udfff]|[\ud800-\udfff]/g, (c) => {
    switch (c) {
      case '&':
        return '&amp;';
      case '<':
        return '&lt;';
      case '>':
        return '&gt;';
      case '\r':
        return '&#xD;';
      default:
        return c.length === 2 ? c : '\ufffd'; // a valid surrogate pair stays
    }
  });
}

/** Escapes text for a double-quoted attribute value. */
export function escapeXmlAttribute(text: string): string {
  return escapeXml(text).replace(/"/g, '&quot;').replace(/[\t\n]/g, (c) => (c === '\t' ? '&#x9;' : '&#xA;'));
}

/** Query-protocol timestamps are ISO 8601 with milliseconds in UTC: 2019-12-03T23:29:33.321Z. */
export function isoTimestamp(value: Date | number): string {
  return (typeof value === 'number' ? new Date(value) : value).toISOString();
}

function renderValue(value: XmlValue): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return escapeXml(value);
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : value > 0 ? 'Infinity' : value < 0 ? '-Infinity' : 'NaN';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (value instanceof Date) return isoTimestamp(value);
  if (Array.isArray(value)) return (value as readonly XmlValue[]).map((item) => `<member>${renderValue(item)}</member>`).join('');
  if (value instanceof Map) {
    let out = '';
    for (const [k, v] of value as ReadonlyMap<string, XmlValue>) out += `<entry><key>${escapeXml(k)}</key><value>${renderValue(v)}</value></entry>`;
    return out;
  }
  return renderMembers(value as XmlStruct);
}

function renderMembers(struct: XmlStruct): string {
  let out = '';
  for (const name of Object.keys(struct)) {
    const value = struct[name];
    if (value === undefined || value === null) continue;
    out += `<${name}>${renderValue(value)}</${name}>`;
  }
  return out;
}

export interface QueryResponse {
  /** The operation (Action) name: the document element is `<{operation}Response>`. */
  operation: string;
  /** The service's XML namespace, e.g. http://cloudformation.amazonaws.com/doc/2010-05-15/. */
  namespace: string;
  /** The output members. */
  result: XmlStruct;
  requestId: string;
  /** The result wrapper element; `${operation}Result` unless the model says otherwise. */
  resultElement?: string;
}

/**
 * `<{Op}Response xmlns=…><{Op}Result>…</{Op}Result><ResponseMetadata><RequestId>…</RequestId></ResponseMetadata></{Op}Response>`
 */
export function renderQueryResponse(response: QueryResponse): string {
  const resultElement = response.resultElement ?? `${response.operation}Result`;
  return (
    `<${response.operation}Response xmlns="${escapeXmlAttribute(response.namespace)}">` +
    `<${resultElement}>${renderMembers(response.result)}</${resultElement}>` +
    `<ResponseMetadata><RequestId>${escapeXml(response.requestId)}</RequestId></ResponseMetadata>` +
    `</${response.operation}Response>`
  );
}

/** `<ErrorResponse xmlns=…><Error><Type/><Code/><Message/></Error><RequestId/></ErrorResponse>` */
export function renderQueryError(error: QueryError, requestId: string, namespace?: string): string {
  const xmlns = namespace ? ` xmlns="${escapeXmlAttribute(namespace)}"` : '';
  return (
    `<ErrorResponse${xmlns}>` +
    `<Error><Type>${error.type}</Type><Code>${escapeXml(error.code)}</Code><Message>${escapeXml(error.message)}</Message></Error>` +
    `<RequestId>${escapeXml(requestId)}</RequestId>` +
    `</ErrorResponse>`
  );
}
