/**
 * AWS JSON 1.0 rendering: response bodies with timestamps as epoch seconds (JSON numbers with
 * milliseconds) and absent members omitted; error bodies as {"__type", "Message"} and nothing else
 * (a `code` key would override `__type` in the JS SDK).
 */
import { ServiceError } from './errors.js';

export const JSON_10_CONTENT_TYPE = 'application/x-amz-json-1.0';

/** Members of the Cloud Control model whose shape is Timestamp. Internally they are epoch milliseconds. */
const TIMESTAMP_MEMBERS = new Set(['EventTime', 'RetryAfter', 'HookEventTime']);

function replacer(key: string, value: unknown): unknown {
  if (value === null) return undefined;
  if (typeof value === 'number' && TIMESTAMP_MEMBERS.has(key)) return value / 1000;
  return value;
}

/** Serializes an operation output. `undefined` and `null` members are dropped by JSON.stringify/replacer. */
export function renderOutput(output: object): string {
  return JSON.stringify(output, replacer);
}

export function renderError(error: ServiceError): string {
  return JSON.stringify({ __type: error.wireType, Message: error.message });
}

/** Parses a request body: empty means `{}`; anything that is not JSON is a SerializationException. */
export function parseBody(raw: string): unknown {
  if (raw.length === 0 || raw.trim().length === 0) return {};
  try {
    return JSON.parse(raw);
  } catch {
    throw new ServiceError('SerializationException', 'Unable to parse the request body as JSON');
  }
}
