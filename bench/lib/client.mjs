/**
 * A minimal AWS JSON 1.0 client on node:http with a keep-alive agent (no SDK: the load generator shares
 * the 2 cores with the server, so it must stay cheap). Requests carry no SigV4 signature; ccapi reads
 * the caller from the credential scope when present and defaults to account 000000000000 / us-east-1.
 */
import { Agent, request } from 'node:http';

export const CONTENT_TYPE = 'application/x-amz-json-1.0';
export const TARGET_PREFIX = 'CloudApiService.';

export function keepAliveAgent(maxSockets) {
  return new Agent({ keepAlive: true, maxSockets, maxFreeSockets: maxSockets });
}

/**
 * POSTs one operation. Resolves with { status, headers, rawHeaders, body (Buffer), json } and never rejects
 * on an HTTP error status (only on a transport error or a timeout).
 */
/** Reads a response whole: { status, headers, rawHeaders, body (a Buffer), json (when the body parses) }. */
export function collectResponse(res, resolve, reject) {
  const chunks = [];
  res.on('data', (chunk) => chunks.push(chunk));
  res.on('end', () => {
    const body = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks);
    let json;
    try {
      json = body.length ? JSON.parse(body.toString('utf8')) : undefined;
    } catch {
      json = undefined;
    }
    resolve({ status: res.statusCode, headers: res.headers, rawHeaders: res.rawHeaders, body, json });
  });
  res.on('error', reject);
}

export function call(baseUrl, operation, input, { agent, timeoutMs = 30_000 } = {}) {
  const url = new URL(baseUrl);
  const payload = Buffer.from(JSON.stringify(input));
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        path: '/',
        method: 'POST',
        agent,
        headers: {
          'content-type': CONTENT_TYPE,
          'x-amz-target': TARGET_PREFIX + operation,
          'content-length': payload.length,
        },
      },
      (res) => collectResponse(res, resolve, reject),
    );
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`${operation} timed out after ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end(payload);
  });
}

/** GET a path; resolves with the status code (body drained), rejects on a transport error. */
export function getStatus(baseUrl, path, { agent = false, timeoutMs = 1_000 } = {}) {
  const url = new URL(path, baseUrl);
  return new Promise((resolve, reject) => {
    const req = request({ host: url.hostname, port: url.port, path: url.pathname, method: 'GET', agent }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode));
      res.on('error', reject);
    });
    req.setTimeout(timeoutMs, () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end();
  });
}

/** Throws unless the response is a 200 with a ProgressEvent. */
export function progressEventOf(response, what) {
  const event = response.json?.ProgressEvent;
  if (response.status !== 200 || !event) {
    throw new Error(`${what}: HTTP ${response.status} ${response.body.toString('utf8').slice(0, 300)}`);
  }
  return event;
}

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Setup for the measured runs: creates one LogGroup named `name` through `url` and polls until SUCCESS (10 s at
 * most). `send` is call() above, or lib/sigv4.mjs's signedCall for a strict-mode server. Returns the request
 * token and how many HTTP requests it took.
 */
export async function createAndWait(url, name, send = call, resource = { TypeName: 'AWS::Logs::LogGroup', DesiredState: JSON.stringify({ LogGroupName: name }) }) {
  const agent = keepAliveAgent(1);
  try {
    const input = { ...resource, ClientToken: name };
    const token = progressEventOf(await send(url, 'CreateResource', input, { agent }), 'CreateResource').RequestToken;
    const deadline = performance.now() + 10_000;
    for (let requests = 2; ; requests++) {
      const event = progressEventOf(await send(url, 'GetResourceRequestStatus', { RequestToken: token }, { agent }), 'GetResourceRequestStatus');
      if (event.OperationStatus === 'SUCCESS') return { token, requests, identifier: event.Identifier };
      if (event.OperationStatus === 'FAILED') throw new Error(`setup create failed: ${JSON.stringify(event)}`);
      if (performance.now() > deadline) throw new Error('setup create did not reach SUCCESS within 10 s');
      await sleep(10);
    }
  } finally {
    agent.destroy();
  }
}
