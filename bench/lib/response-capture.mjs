/**
 * Turning one captured ccapi response into the spec bench/baseline-server.mjs replays, and comparing two
 * responses byte for byte except the headers that differ per response. The same rules as in bench/run.mjs.
 */

/** Headers node:http adds to both servers alike; the baseline's node adds them itself. */
const NODE_ADDED = new Set(['date', 'connection', 'keep-alive', 'transfer-encoding']);

/** The baseline spec for `response` (from lib/client.mjs call()). */
export function baselineSpec(response, { capturedFrom, requestBody }) {
  const headers = [];
  for (let i = 0; i < response.rawHeaders.length; i += 2) {
    if (!NODE_ADDED.has(response.rawHeaders[i].toLowerCase())) headers.push([response.rawHeaders[i], response.rawHeaders[i + 1]]);
  }
  const keepAlive = /timeout=(\d+)/.exec(response.headers['keep-alive'] ?? '')?.[1];
  return {
    status: response.status,
    headers,
    bodyBase64: response.body.toString('base64'),
    keepAliveTimeoutMs: keepAlive ? Number(keepAlive) * 1000 : undefined,
    capturedFrom,
    requestBody,
  };
}

/** Header names and values in order; the request id and Date differ per response, so only their length counts. */
export function headerShape(rawHeaders) {
  const shape = [];
  for (let i = 0; i < rawHeaders.length; i += 2) {
    const name = rawHeaders[i].toLowerCase();
    shape.push(name === 'date' || name === 'x-amzn-requestid' ? `${name}: <${rawHeaders[i + 1].length} chars>` : `${name}: ${rawHeaders[i + 1]}`);
  }
  return shape;
}

/** True when both responses carry the same body and the same header shape. */
export function sameBytes(a, b) {
  return a.status === b.status && a.body.equals(b.body) && JSON.stringify(headerShape(a.rawHeaders)) === JSON.stringify(headerShape(b.rawHeaders));
}
