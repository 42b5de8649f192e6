/** The hand-written verifier against @smithy/signature-v4 (the signer the JS SDK uses) as an oracle. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, createHmac } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';
import { verifySigV4, type Credential, type SignedRequest } from './sigv4.js';

class Sha256 {
  private readonly hash;
  constructor(secret?: string | Uint8Array) {
    this.hash = secret ? createHmac('sha256', secret) : createHash('sha256');
  }
  update(data: string | Uint8Array) {
    this.hash.update(data);
  }
  async digest() {
    return new Uint8Array(this.hash.digest());
  }
}

const KEY: Credential = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY', accountId: '111122223333' };
const TEMP: Credential = { accessKeyId: 'ASIATEMP', secretAccessKey: 'temp-secret', accountId: '444455556666', sessionToken: 'the-session-token' };
const lookup = (id: string) => [KEY, TEMP].find((k) => k.accessKeyId === id);
const NOW = Date.UTC(2026, 10, 28, 12, 0, 0);

async function sign(options: { cred?: Credential; service?: string; region?: string; body?: string; query?: Record<string, string>; path?: string; at?: number; presign?: boolean } = {}): Promise<SignedRequest> {
  const cred = options.cred ?? KEY;
  const signer = new SignatureV4({
    credentials: { accessKeyId: cred.accessKeyId, secretAccessKey: cred.secretAccessKey, ...(cred.sessionToken ? { sessionToken: cred.sessionToken } : {}) },
    region: options.region ?? 'eu-west-2',
    service: options.service ?? 'cloudcontrolapi',
    sha256: Sha256 as never,
  });
  const body = options.body ?? '{"RequestToken":"abc"}';
  const request = {
    method: 'POST',
    protocol: 'http:',
    hostname: '127.0.0.1',
    port: 4600,
    path: options.path ?? '/',
    query: options.query ?? {},
    headers: { host: '127.0.0.1:4600', 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'CloudApiService.GetResourceRequestStatus' } as Record<string, string>,
    body,
  };
  const signingDate = new Date(options.at ?? NOW);
  const signed = options.presign ? await signer.presign(request, { signingDate, expiresIn: 300 }) : await signer.sign(request, { signingDate });
  const query = Object.entries(signed.query ?? {}).map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`).join('&');
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(signed.headers)) headers[k.toLowerCase()] = String(v);
  return { method: 'POST', url: `${signed.path}${query ? `?${query}` : ''}`, headers, body: Buffer.from(body) };
}

describe('SigV4 verification', () => {
  test('a request signed by the SDK signer verifies', async () => {
    const result = verifySigV4(await sign(), lookup, NOW, 'cloudcontrolapi');
    assert.equal(result.ok, true);
    if (result.ok) {
      assert.equal(result.region, 'eu-west-2');
      assert.equal(result.credential.accountId, '111122223333');
    }
  });

  test('query parameters with reserved characters and an encoded path verify', async () => {
    const req = await sign({ query: { 'Filters.TypeNamePrefix': 'AWS::S3', b: 'a b+c/d~e*', empty: '' }, path: '/a%20b/c' });
    assert.equal(verifySigV4(req, lookup, NOW, 'cloudcontrolapi').ok, true);
  });

  test('temporary credentials need their session token', async () => {
    const req = await sign({ cred: TEMP });
    assert.equal(verifySigV4(req, lookup, NOW, 'cloudcontrolapi').ok, true);
    delete req.headers['x-amz-security-token'];
    const r = verifySigV4(req, lookup, NOW, 'cloudcontrolapi');
    assert.deepEqual(r.ok ? 'ok' : r.failure, 'InvalidSessionToken');
  });

  test('presigned requests verify, and expire', async () => {
    const req = await sign({ presign: true, body: '' });
    assert.equal(verifySigV4(req, lookup, NOW, 'cloudcontrolapi').ok, true);
    const late = verifySigV4(req, lookup, NOW + 301_000, 'cloudcontrolapi');
    assert.equal(late.ok ? 'ok' : late.failure, 'SignatureExpired');
  });

  const failures: [string, () => Promise<[SignedRequest, number?, string?]>, string][] = [
    ['wrong secret', async () => [await sign({ cred: { ...KEY, secretAccessKey: 'wrong' } })], 'SignatureMismatch'],
    ['unknown access key', async () => [await sign({ cred: { ...KEY, accessKeyId: 'AKIDUNKNOWN' } })], 'UnknownAccessKey'],
    ['tampered body', async () => {
      const req = await sign();
      return [{ ...req, body: Buffer.from('{"RequestToken":"xyz"}') }];
    }, 'SignatureMismatch'],
    ['tampered body with its hash header kept', async () => {
      const req = await sign();
      req.headers['x-amz-content-sha256'] = createHash('sha256').update('{"RequestToken":"abc"}').digest('hex');
      return [{ ...req, body: Buffer.from('{"RequestToken":"xyz"}') }];
    }, 'SignatureMismatch'],
    ['tampered target header', async () => {
      const req = await sign();
      req.headers['x-amz-target'] = 'CloudApiService.CancelResourceRequest';
      return [req];
    }, 'SignatureMismatch'],
    ['signed more than 15 minutes ago', async () => [await sign({ at: NOW - 16 * 60_000 })], 'SignatureExpired'],
    ['signed more than 15 minutes in the future', async () => [await sign({ at: NOW + 16 * 60_000 })], 'SignatureExpired'],
    ['scoped to another service', async () => [await sign({ service: 'dynamodb' })], 'WrongService'],
    ['no authentication at all', async () => [{ method: 'POST', url: '/', headers: {}, body: Buffer.alloc(0) }], 'MissingAuthentication'],
    ['a malformed Authorization header', async () => [{ method: 'POST', url: '/', headers: { authorization: 'AWS4-HMAC-SHA256 Credential=x' }, body: Buffer.alloc(0) }], 'IncompleteSignature'],
  ];
  for (const [name, make, expected] of failures) {
    test(`rejects: ${name}`, async () => {
      const [req] = await make();
      const result = verifySigV4(req, lookup, NOW, 'cloudcontrolapi');
      assert.equal(result.ok ? 'ok' : result.failure, expected);
      if (!result.ok) assert.ok(result.message.length > 0);
    });
  }

});
