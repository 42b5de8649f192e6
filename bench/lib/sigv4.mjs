/**
 * SigV4-signed load for the strict-mode row of the GetResourceRequestStatus check: a credentials file for
 * `ccapi serve --credentials FILE`, requests signed by @smithy/signature-v4 (the JS SDK's signer) with the
 * headers the JS SDK sends, a signed call for setup, and a pool of distinct signed requests for autocannon.
 *
 * autocannon builds its requests synchronously and the signer is asynchronous, so the requests are signed
 * in bulk before a run ("pre-signed"), each with its own invocation id: the server verifies every one in
 * full (it keeps no memory of signatures, only of derived signing keys), exactly as for a live SDK.
 */
import { createHash, createHmac, randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { SignatureV4 } from '@smithy/signature-v4';
import { collectResponse, CONTENT_TYPE, TARGET_PREFIX } from './client.mjs';

/** The one credential of the bench's strict-mode server (an IAM user of account 111122223333). */
export const BENCH_CREDENTIAL = {
  accessKeyId: 'AKIABENCHEXAMPLE0001',
  secretAccessKey: 'bench/secret+KEY000000000000000000000001',
  accountId: '111122223333',
  userName: 'bench',
};
const REGION = 'us-east-1';

/** Writes the credentials file into `dir`; returns its path. */
export function writeCredentialsFile(dir) {
  const file = join(dir, 'bench-credentials.json');
  writeFileSync(file, JSON.stringify([BENCH_CREDENTIAL]));
  return file;
}

/** node:crypto behind the hash interface @smithy/signature-v4 expects. */
class Sha256 {
  constructor(secret) {
    this.hash = secret ? createHmac('sha256', secret) : createHash('sha256');
  }
  update(data) {
    this.hash.update(data);
  }
  async digest() {
    return new Uint8Array(this.hash.digest());
  }
}

const signer = new SignatureV4({
  credentials: { accessKeyId: BENCH_CREDENTIAL.accessKeyId, secretAccessKey: BENCH_CREDENTIAL.secretAccessKey },
  region: REGION,
  service: 'cloudcontrolapi',
  sha256: Sha256,
});

/**
 * One Cloud Control request signed as the JS SDK signs it: { method, path, headers, body }, headers in
 * lower case (host included, content-length not: the sender adds it, and the SDK does not sign it).
 */
export async function signedRequest(baseUrl, operation, input, signingDate = new Date()) {
  const url = new URL(baseUrl);
  const body = typeof input === 'string' ? input : JSON.stringify(input);
  const headers = {
    host: url.host,
    'content-type': CONTENT_TYPE,
    'x-amz-target': TARGET_PREFIX + operation,
    'amz-sdk-invocation-id': randomUUID(),
    'amz-sdk-request': 'attempt=1; max=3',
    'x-amz-user-agent': 'aws-sdk-js/3.1142.0',
    'user-agent': 'aws-sdk-js/3.1142.0 ua/2.1 os/linux lang/js md/nodejs#20 api/cloudcontrol#3.1142.0 bench',
  };
  const signed = await signer.sign({ method: 'POST', protocol: 'http:', hostname: url.hostname, port: Number(url.port), path: '/', query: {}, headers, body }, { signingDate });
  const out = {};
  for (const [name, value] of Object.entries(signed.headers)) out[name.toLowerCase()] = String(value);
  return { method: 'POST', path: '/', headers: out, body };
}

/** `count` distinct signed requests of one operation and body, for autocannon's `requests` option. */
export async function signedRequestPool(baseUrl, operation, body, count) {
  const signingDate = new Date();
  const pool = [];
  for (let i = 0; i < count; i++) pool.push(await signedRequest(baseUrl, operation, body, signingDate));
  return pool;
}

/** Sends one signed call; resolves like lib/client.mjs call(): { status, headers, rawHeaders, body, json }. */
export async function signedCall(baseUrl, operation, input, { agent, timeoutMs = 30_000 } = {}) {
  const url = new URL(baseUrl);
  const req = await signedRequest(baseUrl, operation, input);
  return new Promise((resolve, reject) => {
    const r = request({ host: url.hostname, port: url.port, path: req.path, method: req.method, agent, headers: { ...req.headers, 'content-length': Buffer.byteLength(req.body) } }, (res) =>
      collectResponse(res, resolve, reject),
    );
    r.setTimeout(timeoutMs, () => r.destroy(new Error(`${operation} timed out after ${timeoutMs} ms`)));
    r.on('error', reject);
    r.end(req.body);
  });
}
