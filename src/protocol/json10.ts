/**
 * AWS JSON 1.0 rendering: response bodies with timestamps as epoch seconds (JSON numbers with
 * milliseconds) and absent members omitted; error bodies as {"__type", "Message"} and nothing else
 * (a `code` key would override `__type` in the JS SDK).
 */
import { ServiceError } from './errors.js';
import { exceedsDepth, MAX_JSON_DEPTH } from './json-depth.js';

export const JSON_10_CONTENT_TYPE = 'application/x-amz-json-1.0';

/**
 * An output already rendered, as the bytes of the body (the hot GetResourceRequestStatus path renders each
 * event once per change, and a poll of an unchanged request sends the same bytes again).
 */
export class RenderedOutput {
  readonly bytes: Buffer;
  constructor(json: string) {
    this.bytes = Buffer.from(json, 'utf8');
  }
}

/**
 * Serializes an operation output. Outputs never hold nulls; absent members are `undefined`, which
 * JSON.stringify omits. (No replacer: it would cost a function call per member on every response.)
 */
export function renderOutput(output: object): string | Buffer {
  return output instanceof RenderedOutput ? output.bytes : JSON.stringify(output);
}

export function renderError(error: ServiceError): string {
  return JSON.stringify({ __type: error.wireType, Message: error.message });
}

/** Parses a request body: empty means `{}`; anything that is not JSON is a SerializationException. */
export function parseBody(raw: string): unknown {
  if (raw.length === 0) return {};
  if (exceedsDepth(raw)) throw new ServiceError('SerializationException', `The request body nests deeper than ${MAX_JSON_DEPTH} levels`);
  try {
    return JSON.parse(raw);
  } catch {
    // Only whitespace is an empty body too (checked here, off the path of every well-formed request).
    if (raw.trim().length === 0) return {};
    throw new ServiceError('SerializationException', 'Unable to parse the request body as JSON');
  }
}
