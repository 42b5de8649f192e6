/**
 * Helpers for the strict-mode end-to-end tests: a credentials file with two accounts, JS SDK clients signed
 * with those credentials, raw HTTP requests signed by @smithy/signature-v4 (the JS SDK's signer) so a test
 * can tamper with them after signing, and a plain request helper that returns status, headers and body.
 */
import { createHash, createHmac } from 'node:crypto';
import { Sha256 } from '../../support/sha256.js';
import { writeFileSync } from 'node:fs';
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { connect as netConnect } from 'node:net';
import { join } from 'node:path';
import { CloudControlClient } from '@aws-sdk/client-cloudcontrol';
import { SignatureV4 } from '@smithy/signature-v4';
import { tempDir, type ServerProcess } from '../../support/server.js';
import '../support.js'; // silences the SDK's Node-version warning

export interface TestCredential {
  accessKeyId: string;
  secretAccessKey: string;
  accountId: string;
  sessionToken?: string;
  userName?: string;
  roleName?: string;
  sessionName?: string;
}

export const ACCOUNT_A = '111122223333';
export const ACCOUNT_B = '444455556666';

/** Account A, an IAM user "alice". */
export const ALICE: TestCredential = { accessKeyId: 'AKIAALICEEXAMPLE0001', secretAccessKey: 'alice/secret+KEY0000000000000000000000001', accountId: ACCOUNT_A, userName: 'alice' };
/** Account B, no user name (the account root). */
export const BOB: TestCredential = { accessKeyId: 'AKIABOBEXAMPLE000002', secretAccessKey: 'bob-secret-KEY00000000000000000000000002', accountId: ACCOUNT_B };
/** Account B, temporary credentials: only valid with their session token. */
export const TEMP: TestCredential = {
  accessKeyId: 'ASIATEMPEXAMPLE00003',
  secretAccessKey: 'temp-secret-KEY0000000000000000000000003',
  accountId: ACCOUNT_B,
  sessionToken: 'FwoGZXIvYXdzEXAMPLEsessionTOKEN//+abc==',
};
/** Account A, temporary credentials of a role session (AssumeRole): role "deployer", session "ci-run-42". */
export const DEPLOYER: TestCredential = {
  accessKeyId: 'ASIADEPLOYEREXAMPLE4',
  secretAccessKey: 'deployer-secret-KEY000000000000000000004',
  accountId: ACCOUNT_A,
  sessionToken: 'IQoJb3JpZ2luX2VjEXAMPLEdeployerTOKEN//+xyz==',
  roleName: 'deployer',
  sessionName: 'ci-run-42',
};
export const CREDENTIALS: TestCredential[] = [ALICE, BOB, TEMP];
export const UNKNOWN: TestCredential = { accessKeyId: 'AKIANOBODYEXAMPLE999', secretAccessKey: 'whatever', accountId: '999999999999' };
export const ADMIN_TOKEN = 'admin-token-for-tests-0123456789';

/** Writes the credentials file and returns the `serve` arguments for strict mode. */
export function strictArgs(options: { adminToken?: string; extra?: string[]; moreCredentials?: TestCredential[] } = {}): string[] {
  const file = join(tempDir('ccapi-creds-'), 'credentials.json');
  writeFileSync(file, JSON.stringify([...CREDENTIALS, ...(options.moreCredentials ?? [])]));
  return ['--credentials', file, ...(options.adminToken ? ['--admin-token', options.adminToken] : []), ...(options.extra ?? [])];
}

export interface StrictClientOptions {
  region?: string;
  maxAttempts?: number;
  systemClockOffset?: number;
  /** Override what the client signs with (wrong secret, dropped session token...). */
  secretAccessKey?: string;
  sessionToken?: string | null;
}

export function strictClient(server: ServerProcess, cred: TestCredential, options: StrictClientOptions = {}): CloudControlClient {
  const sessionToken = options.sessionToken === null ? undefined : (options.sessionToken ?? cred.sessionToken);
  return new CloudControlClient({
    endpoint: server.url,
    region: options.region ?? 'us-east-1',
    credentials: {
      accessKeyId: cred.accessKeyId,
      secretAccessKey: options.secretAccessKey ?? cred.secretAccessKey,
      ...(sessionToken !== undefined ? { sessionToken } : {}),
    },
    ...(options.maxAttempts !== undefined ? { maxAttempts: options.maxAttempts } : {}),
    ...(options.systemClockOffset !== undefined ? { systemClockOffset: options.systemClockOffset } : {}),
  });
}

export { Sha256 };

export interface RawRequest {
  method: string;
  /** Path and query, as sent. */
  path: string;
  headers: Record<string, string>;
  body: string | Buffer;
}

export interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
}

/** Sends one request on a fresh connection and reads the whole answer. */
export function send(server: ServerProcess, req: RawRequest, timeoutMs = 10_000): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const r = httpRequest(
      { host: '127.0.0.1', port: server.port, method: req.method, path: req.path, headers: req.headers, agent: false, timeout: timeoutMs },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    r.on('timeout', () => r.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    r.on('error', reject);
    r.end(req.body);
  });
}

export interface SignOptions {
  cred?: TestCredential;
  secretAccessKey?: string;
  service?: string;
  region?: string;
  /** The X-Amz-Target header; null for none (query-protocol requests). */
  target?: string | null;
  body?: string;
  /** Query parameters to sign. */
  query?: Record<string, string>;
  signingDate?: Date;
  presign?: boolean;
  /** For presign: how long the URL is valid, in seconds. */
  expiresIn?: number;
  /** Extra headers to sign. */
  headers?: Record<string, string>;
  /** Whether the signer adds a signed x-amz-content-sha256 header (the JS SDK's signer does by default). */
  applyChecksum?: boolean;
}

/** A Cloud Control (AWS JSON 1.0) request signed with @smithy/signature-v4, ready to send or tamper with. */
export async function signRequest(server: ServerProcess, options: SignOptions = {}): Promise<RawRequest> {
  const cred = options.cred ?? ALICE;
  const signer = new SignatureV4({
    credentials: {
      accessKeyId: cred.accessKeyId,
      secretAccessKey: options.secretAccessKey ?? cred.secretAccessKey,
      ...(cred.sessionToken ? { sessionToken: cred.sessionToken } : {}),
    },
    region: options.region ?? 'us-east-1',
    service: options.service ?? 'cloudcontrolapi',
    sha256: Sha256 as never,
    applyChecksum: options.applyChecksum ?? true,
  });
  const body = options.body ?? '{}';
  const headers: Record<string, string> = {
    host: `127.0.0.1:${server.port}`,
    'content-type': 'application/x-amz-json-1.0',
    ...(options.target === null ? {} : { 'x-amz-target': options.target ?? 'CloudApiService.ListResourceRequests' }),
    ...options.headers,
  };
  const request = { method: 'POST', protocol: 'http:', hostname: '127.0.0.1', port: server.port, path: '/', query: options.query ?? {}, headers, body };
  const signingDate = options.signingDate ?? new Date();
  const signed = options.presign
    ? // X-Amz-Target stays a header: AWS JSON services read the operation from the header only.
      await signer.presign(request, { signingDate, expiresIn: options.expiresIn ?? 300, unhoistableHeaders: new Set(['x-amz-target']) })
    : await signer.sign(request, { signingDate });
  const query = Object.entries(signed.query ?? {})
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`)
    .join('&');
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(signed.headers)) out[k.toLowerCase()] = String(v);
  out['content-length'] = String(Buffer.byteLength(body));
  return { method: 'POST', path: `${signed.path}${query ? `?${query}` : ''}`, headers: out, body };
}

/** A JSON 1.0 error body: `__type` (namespace#Code) and `Message`. Returns the code. */
export function jsonErrorCode(res: RawResponse): { code: string; message: string } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(res.text);
  } catch {
    throw new Error(`not a JSON body (status ${res.status}): ${res.text.slice(0, 300)}`);
  }
  const body = parsed as { __type?: unknown; Message?: unknown };
  if (typeof body.__type !== 'string' || typeof body.Message !== 'string') throw new Error(`not an AWS JSON error: ${res.text.slice(0, 300)}`);
  return { code: body.__type.slice(body.__type.indexOf('#') + 1), message: body.Message };
}

/** A query-protocol XML error: <ErrorResponse><Error><Type/><Code/><Message/></Error><RequestId/></ErrorResponse>. */
export function xmlError(text: string): { type?: string; code?: string; message?: string; requestId?: string } {
  const pick = (tag: string) => new RegExp(`<${tag}>([\\s\\S]*?)</${tag}>`).exec(text)?.[1];
  const out: { type?: string; code?: string; message?: string; requestId?: string } = {};
  const type = pick('Type');
  const code = pick('Code');
  const message = pick('Message');
  const requestId = pick('RequestId');
  if (type !== undefined) out.type = type;
  if (code !== undefined) out.code = code;
  if (message !== undefined) out.message = message;
  if (requestId !== undefined) out.requestId = requestId;
  return out;
}

export { awsEnv } from '../../support/aws-env.js';

// ------------------------------------------------------------------------------------------------------
// A SigV4 signer written from the AWS specification, for requests @smithy/signature-v4 will not produce
// (duplicate headers, a chosen SignedHeaders list, presigned URLs with any X-Amz-Expires).

const sha256Hex = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');
const rfc3986 = (value: string) => encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

export function amzDate(date: Date): string {
  return date.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

export interface HandSignInput {
  cred: TestCredential;
  method?: string;
  path?: string;
  query?: [string, string][];
  /** Canonical header values by lower-case name, exactly as they must appear in the canonical request. */
  canonicalHeaders: Record<string, string>;
  signedHeaders: string[];
  /** The payload hash line: the body's SHA-256, or UNSIGNED-PAYLOAD. */
  payloadHash: string;
  date: Date;
  region?: string;
  service?: string;
}

export function handSignature(input: HandSignInput): { credential: string; signature: string } {
  const stamp = amzDate(input.date);
  const day = stamp.slice(0, 8);
  const region = input.region ?? 'us-east-1';
  const service = input.service ?? 'cloudcontrolapi';
  const scope = `${day}/${region}/${service}/aws4_request`;
  const query = (input.query ?? [])
    .map(([k, v]) => [rfc3986(k), rfc3986(v)] as const)
    .sort((a, b) => (a[0] === b[0] ? (a[1] < b[1] ? -1 : 1) : a[0] < b[0] ? -1 : 1))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
  const signed = [...input.signedHeaders].sort();
  const canonical = [
    input.method ?? 'POST',
    input.path ?? '/',
    query,
    `${signed.map((h) => `${h}:${input.canonicalHeaders[h]}`).join('\n')}\n`,
    signed.join(';'),
    input.payloadHash,
  ].join('\n');
  const stringToSign = ['AWS4-HMAC-SHA256', stamp, scope, sha256Hex(canonical)].join('\n');
  const hmac = (key: string | Buffer, data: string) => createHmac('sha256', key).update(data).digest();
  const key = hmac(hmac(hmac(hmac(`AWS4${input.cred.secretAccessKey}`, day), region), service), 'aws4_request');
  return { credential: `${input.cred.accessKeyId}/${scope}`, signature: createHmac('sha256', key).update(stringToSign).digest('hex') };
}

export interface HandRequestOptions {
  /** The X-Amz-Target header (a Cloud Control operation); null for a query-protocol request. */
  target: string | null;
  body: string;
  date?: Date;
  /** The headers to sign (default: every header sent). */
  signedHeaders?: string[];
  /** The payload hash line (default: the body's SHA-256). */
  payloadHash?: string;
  service?: string;
  /** Query parameters besides the presigning ones (query protocol: Action, Version...). */
  query?: [string, string][];
  /** Sent as x-amz-content-sha256 (and signed when signedHeaders names it). */
  contentSha256?: string;
}

function handHeaders(server: ServerProcess, options: HandRequestOptions): Record<string, string> {
  const headers: Record<string, string> = {
    host: `127.0.0.1:${server.port}`,
    'content-type': options.target === null ? 'application/x-www-form-urlencoded; charset=utf-8' : 'application/x-amz-json-1.0',
  };
  if (options.target !== null) headers['x-amz-target'] = options.target;
  if (options.contentSha256 !== undefined) headers['x-amz-content-sha256'] = options.contentSha256;
  return headers;
}

const encodeQuery = (query: [string, string][]) => query.map(([k, v]) => `${rfc3986(k)}=${rfc3986(v)}`).join('&');

/** A request signed by hand in the Authorization header, over `signedHeaders` (default: every header sent). */
export function handSigned(server: ServerProcess, cred: TestCredential, options: HandRequestOptions): RawRequest {
  const date = options.date ?? new Date();
  const headers: Record<string, string> = { ...handHeaders(server, options), 'x-amz-date': amzDate(date) };
  const signedHeaders = options.signedHeaders ?? Object.keys(headers);
  const query = options.query ?? [];
  const { credential, signature } = handSignature({
    cred,
    query,
    canonicalHeaders: headers,
    signedHeaders,
    payloadHash: options.payloadHash ?? sha256Hex(options.body),
    date,
    ...(options.service ? { service: options.service } : {}),
  });
  headers['authorization'] = `AWS4-HMAC-SHA256 Credential=${credential}, SignedHeaders=${[...signedHeaders].sort().join(';')}, Signature=${signature}`;
  if (cred.sessionToken) headers['x-amz-security-token'] = cred.sessionToken;
  headers['content-length'] = String(Buffer.byteLength(options.body));
  return { method: 'POST', path: query.length ? `/?${encodeQuery(query)}` : '/', headers, body: options.body };
}

/**
 * A presigned request with any X-Amz-Expires, signed by hand over `signedHeaders` (default: every header sent,
 * X-Amz-Target included, as @smithy/signature-v4 presigns with it unhoisted) and the body's hash.
 */
export function handPresign(server: ServerProcess, cred: TestCredential, options: HandRequestOptions & { expires: string }): RawRequest {
  const date = options.date ?? new Date();
  const headers = handHeaders(server, options);
  const signedHeaders = options.signedHeaders ?? Object.keys(headers);
  const day = amzDate(date).slice(0, 8);
  const query: [string, string][] = [
    ...(options.query ?? []),
    ['X-Amz-Algorithm', 'AWS4-HMAC-SHA256'],
    ['X-Amz-Credential', `${cred.accessKeyId}/${day}/us-east-1/${options.service ?? 'cloudcontrolapi'}/aws4_request`],
    ['X-Amz-Date', amzDate(date)],
    ['X-Amz-Expires', options.expires],
    ['X-Amz-SignedHeaders', [...signedHeaders].sort().join(';')],
  ];
  const { signature } = handSignature({
    cred,
    query,
    canonicalHeaders: headers,
    signedHeaders,
    payloadHash: options.payloadHash ?? sha256Hex(options.body),
    date,
    ...(options.service ? { service: options.service } : {}),
  });
  headers['content-length'] = String(Buffer.byteLength(options.body));
  return { method: 'POST', path: `/?${encodeQuery([...query, ['X-Amz-Signature', signature]])}`, headers, body: options.body };
}

/** Sends raw header lines (duplicates allowed) on a fresh socket; resolves with status and body. */
export function sendRawLines(server: ServerProcess, head: string[], body: string, timeoutMs = 10_000): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const socket = netConnect(server.port, '127.0.0.1');
    let data = '';
    const timer = setTimeout(() => socket.destroy(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
    socket.on('data', (d: Buffer) => (data += d.toString('utf8')));
    socket.on('error', reject);
    socket.on('close', () => {
      clearTimeout(timer);
      const at = data.indexOf('\r\n\r\n');
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(data)?.[1] ?? 0);
      const headers: IncomingHttpHeaders = {};
      for (const line of data.slice(0, at).split('\r\n').slice(1)) {
        const colon = line.indexOf(':');
        headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
      }
      resolve({ status, headers, text: at === -1 ? '' : data.slice(at + 4) });
    });
    socket.write(`${[...head, `Content-Length: ${Buffer.byteLength(body)}`, 'Connection: close'].join('\r\n')}\r\n\r\n${body}`);
  });
}
