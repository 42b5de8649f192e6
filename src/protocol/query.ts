/**
 * Query-protocol requests (CloudFormation, STS): requests are `Action=...&Version=...` pairs,
 * form-encoded in a POST body or in a GET query string, with nested members flattened into dotted keys;
 * answers are XML (protocol/xml.ts), and the input is typed and checked by protocol/validate.ts. Nothing
 * here knows a service.
 *
 *   Filters.TypeNamePrefix=AWS%3A%3AS3        structure member          { Filters: { TypeNamePrefix: 'AWS::S3' } }
 *   Names.member.1=a&Names.member.2=b         list (botocore's form)    { Names: ['a', 'b'] }
 *   Names.1=a&Names.2=b                       flattened list            { Names: ['a', 'b'] }
 *   Names=                                    empty list                { Names: '' }  (a list shape reads it as [])
 *   Tags.entry.1.key=k&Tags.entry.1.value=v   map                       { Tags: { k: 'v' } }
 */
import { commonQueryError } from './errors.js';

export const FORM_CONTENT_TYPE = 'application/x-www-form-urlencoded';

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
