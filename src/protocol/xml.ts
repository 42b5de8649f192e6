/**
 * Query-protocol answers (CloudFormation, STS): results and errors as XML documents, escaped so that every
 * value survives an XML parser unchanged. Nothing here knows a service: the caller supplies the namespace,
 * the operation name and the members.
 */
import type { QueryError } from './errors.js';

/** What the query services answer with (CloudFormation, STS, IAM all send text/xml). */
export const XML_CONTENT_TYPE = 'text/xml';

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
