/** The hand-written verifier against @smithy/signature-v4 (the signer the JS SDK uses) as an oracle. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';
import { Sha256 } from '../../test/support/sha256.js';
import { verifySigV4, type Credential, type SignedRequest } from './sigv4.js';


const KEY: Credential = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY', accountId: '111122223333' };
const TEMP: Credential = { accessKeyId: 'ASIATEMP', secretAccessKey: 'temp-secret', accountId: '444455556666', sessionToken: 'the-session-token' };
const lookup = (id: string) => [KEY, TEMP].find((k) => k.accessKeyId === id);
const NOW = Date.UTC(2026, 10, 28, 12, 0, 0);
/** The SignedHeaders list of a signed request, from its Authorization header or its presigned query. */
const signedList = (req: SignedRequest) => /SignedHeaders=([^,]+)/.exec(String(req.headers.authorization))?.[1] ?? new URLSearchParams(req.url.split('?')[1]).get('X-Amz-SignedHeaders');

async function sign(
  options: {
    cred?: Credential;
    service?: string;
    region?: string;
    body?: string;
    query?: Record<string, string>;
    path?: string;
    at?: number;
    presign?: boolean;
    headers?: Record<string, string>;
    /** The X-Amz-Target header; null for none (a query-protocol request). */
    target?: string | null;
    /** Headers sent but left out of the signature. */
    unsigned?: string[];
    /** Presigning: keep X-Amz-Target a (signed) header rather than hoisting it into the query string. */
    unhoistTarget?: boolean;
  } = {},
): Promise<SignedRequest> {
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
    headers: {
      host: '127.0.0.1:4600',
      'content-type': 'application/x-amz-json-1.0',
      ...(options.target === null ? {} : { 'x-amz-target': options.target ?? 'CloudApiService.GetResourceRequestStatus' }),
      ...options.headers,
    } as Record<string, string>,
    body,
  };
  const signingDate = new Date(options.at ?? NOW);
  const unsignableHeaders = new Set(options.unsigned ?? []);
  const signed = options.presign
    ? await signer.presign(request, { signingDate, expiresIn: 300, unsignableHeaders, ...(options.unhoistTarget ? { unhoistableHeaders: new Set(['x-amz-target']) } : {}) })
    : await signer.sign(request, { signingDate, unsignableHeaders });
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

  test('a scope too long for the scratch buffer of the signer (a 500-character region) still verifies, and still checks', async () => {
    const region = 'r'.repeat(500);
    const req = await sign({ region });
    const result = verifySigV4(req, lookup, NOW, 'cloudcontrolapi');
    assert.equal(result.ok, true);
    if (result.ok) assert.equal(result.region, region);
    const wrong = verifySigV4(await sign({ region, cred: { ...KEY, secretAccessKey: 'wrong' } }), lookup, NOW, 'cloudcontrolapi');
    assert.equal(wrong.ok ? 'ok' : wrong.failure, 'SignatureMismatch');
  });

  test('many regions for one key (each its own cached signing key) all verify', async () => {
    for (const region of ['us-east-1', 'eu-west-1', 'ap-south-1', 'us-east-1']) {
      assert.equal(verifySigV4(await sign({ region }), lookup, NOW, 'cloudcontrolapi').ok, true, region);
    }
  });

  test('temporary credentials need their session token', async () => {
    const req = await sign({ cred: TEMP });
    assert.equal(verifySigV4(req, lookup, NOW, 'cloudcontrolapi').ok, true);
    delete req.headers['x-amz-security-token'];
    const r = verifySigV4(req, lookup, NOW, 'cloudcontrolapi');
    assert.deepEqual(r.ok ? 'ok' : r.failure, 'InvalidSessionToken');
  });

  test('the clock-skew window is 15 minutes on both sides: 14 minutes verify, 16 do not', async () => {
    for (const minutes of [14, -14]) {
      const r = verifySigV4(await sign({ at: NOW + minutes * 60_000 }), lookup, NOW, 'cloudcontrolapi');
      assert.equal(r.ok ? 'ok' : r.failure, 'ok', `signed ${minutes} min from the server's clock`);
    }
    for (const minutes of [16, -16]) {
      const r = verifySigV4(await sign({ at: NOW + minutes * 60_000 }), lookup, NOW, 'cloudcontrolapi');
      assert.equal(r.ok ? 'ok' : r.failure, 'SignatureExpired', `signed ${minutes} min from the server's clock`);
    }
  });

  test('a presigned request dated in the future verifies up to 15 minutes ahead: 14 minutes verify, 16 do not', async () => {
    for (const [minutes, expected] of [[14, 'ok'], [16, 'SignatureExpired']] as const) {
      const r = verifySigV4(await sign({ presign: true, body: '', at: NOW + minutes * 60_000 }), lookup, NOW, 'cloudcontrolapi');
      assert.equal(r.ok ? 'ok' : r.failure, expected, `presigned ${minutes} min ahead of the server's clock`);
    }
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
    ['an Authorization header that is not SigV4 (Bearer)', async () => [{ method: 'POST', url: '/', headers: { authorization: 'Bearer abc' }, body: Buffer.alloc(0) }], 'MissingAuthentication'],
    ['an Authorization header that is not SigV4 ("AWS4")', async () => [{ method: 'POST', url: '/', headers: { authorization: 'AWS4' }, body: Buffer.alloc(0) }], 'MissingAuthentication'],
    ['an unsupported SigV4 algorithm', async () => [{ method: 'POST', url: '/', headers: { authorization: 'AWS4-HMAC-SHA1 Credential=x' }, body: Buffer.alloc(0) }], 'IncompleteSignature'],
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

  test("no authentication is worded as Coral words it: 'Request is missing Authentication Token'", () => {
    const result = verifySigV4({ method: 'POST', url: '/', headers: {}, body: Buffer.alloc(0) }, lookup, NOW, 'cloudcontrolapi');
    assert.deepEqual(result, { ok: false, failure: 'MissingAuthentication', message: 'Request is missing Authentication Token' });
  });

  describe('a signed header sent several times', () => {
    // @smithy/signature-v4 signs one value per header: signing "a,b" is what AWS's rule makes of the two
    // lines "a" and "b" (each trimmed, joined with "," in order), so the verifier must accept it from them.
    const rawFrom = (headers: Record<string, string>, dup: string[]) => {
      const raw: string[] = [];
      for (const [name, value] of Object.entries(headers)) if (name !== 'x-amz-meta-dup') raw.push(name.replace(/^x-amz-date$/, 'X-Amz-Date'), value);
      for (const value of dup) raw.push('X-Amz-Meta-Dup', value);
      return raw;
    };

    test('is canonicalized from the raw lines as "a,b", each value trimmed', async () => {
      const req = await sign({ headers: { 'x-amz-meta-dup': 'a,b c' } });
      assert.match(req.headers.authorization as string, /SignedHeaders=[^,]*x-amz-meta-dup/);
      for (const dup of [['a', 'b c'], ['  a ', '\tb   c  ']]) {
        const result = verifySigV4({ ...req, rawHeaders: rawFrom(req.headers as Record<string, string>, dup) }, lookup, NOW, 'cloudcontrolapi');
        assert.equal(result.ok, true, `lines ${JSON.stringify(dup)}`);
      }
    });

    test('in another order, or merged as node merges them ("a, b"), it does not verify', async () => {
      const req = await sign({ headers: { 'x-amz-meta-dup': 'a,b' } });
      const reversed = verifySigV4({ ...req, rawHeaders: rawFrom(req.headers as Record<string, string>, ['b', 'a']) }, lookup, NOW, 'cloudcontrolapi');
      assert.equal(reversed.ok ? 'ok' : reversed.failure, 'SignatureMismatch');
      const merged = verifySigV4({ ...req, headers: { ...req.headers, 'x-amz-meta-dup': 'a, b' } }, lookup, NOW, 'cloudcontrolapi');
      assert.equal(merged.ok ? 'ok' : merged.failure, 'SignatureMismatch');
    });

    test('a signed header absent from the raw lines is missing, whatever the parsed headers say', async () => {
      const req = await sign({ headers: { 'x-amz-meta-dup': 'a' } });
      const result = verifySigV4({ ...req, rawHeaders: rawFrom(req.headers as Record<string, string>, []) }, lookup, NOW, 'cloudcontrolapi');
      assert.equal(result.ok ? 'ok' : result.failure, 'SignatureMismatch');
      if (!result.ok) assert.match(result.message, /signed header 'x-amz-meta-dup' is missing/);
    });
  });


  describe('headers that must be signed', () => {
    const failure = (req: SignedRequest) => {
      const r = verifySigV4(req, lookup, NOW, 'cloudcontrolapi');
      return r.ok ? 'ok' : `${r.failure}: ${r.message}`;
    };

    test("host unsigned → HeaderNotSigned, in DynamoDB's words", async () => {
      const req = await sign({ unsigned: ['host'] });
      assert.equal(failure(req), "HeaderNotSigned: 'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.");
    });

    test('x-amz-date unsigned (Authorization header) → HeaderNotSigned', async () => {
      const req = await sign({ unsigned: ['x-amz-date'] });
      assert.doesNotMatch(signedList(req) ?? '', /x-amz-date/);
      assert.equal(failure(req), "HeaderNotSigned: 'x-amz-date' must be a 'SignedHeader' in the AWS Authorization.");
    });

    test('x-amz-target sent but unsigned → HeaderNotSigned, in the Authorization header and in a presigned URL', async () => {
      const header = await sign({ unsigned: ['x-amz-target'] });
      assert.equal(failure(header), "HeaderNotSigned: 'x-amz-target' must be a 'SignedHeader' in the AWS Authorization.");
      const presigned = await sign({ presign: true, unhoistTarget: true, unsigned: ['x-amz-target'] });
      assert.equal(presigned.headers['x-amz-target'], 'CloudApiService.GetResourceRequestStatus');
      assert.equal(failure(presigned), "HeaderNotSigned: 'x-amz-target' must be a 'SignedHeader' in the AWS Authorization.");
    });

    test('the same SignedHeaders list is refused with an X-Amz-Target and accepted without one (the check is per request, the parsing per list)', async () => {
      const query = await sign({ target: null, body: 'Action=GetCallerIdentity&Version=2011-06-15', service: 'sts', headers: { 'content-type': 'application/x-www-form-urlencoded' }, unsigned: ['content-type'] });
      assert.equal(signedList(query), 'host;x-amz-content-sha256;x-amz-date');
      const json = await sign({ unsigned: ['content-type', 'x-amz-target'] });
      assert.equal(signedList(json), signedList(query));
      for (let i = 0; i < 2; i++) {
        assert.equal(verifySigV4(query, lookup, NOW, 'sts').ok, true);
        assert.match(failure(json), /^HeaderNotSigned: 'x-amz-target'/);
      }
    });

    test('a presigned URL needs no x-amz-date header (its date is X-Amz-Date in the signed query string)', async () => {
      const req = await sign({ presign: true, unhoistTarget: true });
      assert.equal(req.headers['x-amz-date'], undefined);
      assert.match(signedList(req) ?? '', /^content-type;host;x-amz-target$/);
      assert.equal(failure(req), 'ok');
    });

    test('a session token added after signing is accepted (AWS SigV4 test suite: post-sts-token/post-sts-header-after)', async () => {
      const req = await sign({ cred: TEMP, unsigned: ['x-amz-security-token'] });
      assert.equal(req.headers['x-amz-security-token'], TEMP.sessionToken);
      assert.doesNotMatch(signedList(req) ?? '', /x-amz-security-token/);
      assert.equal(failure(req), 'ok');
    });

    test('an unsigned Content-Type is accepted', async () => {
      assert.equal(failure(await sign({ unsigned: ['content-type'] })), 'ok');
    });
  });

  describe('the body is always covered: no UNSIGNED-PAYLOAD', () => {
    test('a presigned request signed over UNSIGNED-PAYLOAD does not verify, with its body or another', async () => {
      const req = await sign({ presign: true, unhoistTarget: true, headers: { 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' } });
      assert.match(req.url, /x-amz-content-sha256=UNSIGNED-PAYLOAD/);
      for (const body of ['{"RequestToken":"abc"}', '{"RequestToken":"xyz"}']) {
        const r = verifySigV4({ ...req, body: Buffer.from(body) }, lookup, NOW, 'cloudcontrolapi');
        assert.equal(r.ok ? 'ok' : r.failure, 'SignatureMismatch', body);
      }
    });

    test('a signed x-amz-content-sha256: UNSIGNED-PAYLOAD header does not verify', async () => {
      const req = await sign({ headers: { 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' } });
      assert.match(signedList(req) ?? '', /x-amz-content-sha256/);
      const r = verifySigV4(req, lookup, NOW, 'cloudcontrolapi');
      assert.deepEqual(r.ok ? 'ok' : [r.failure, r.message], ['SignatureMismatch', 'The provided x-amz-content-sha256 header does not match what was computed.']);
    });

    test('a presigned request signed over its body hash verifies, and not with another body', async () => {
      const req = await sign({ presign: true, unhoistTarget: true });
      assert.equal(verifySigV4(req, lookup, NOW, 'cloudcontrolapi').ok, true);
      const r = verifySigV4({ ...req, body: Buffer.from('{"RequestToken":"xyz"}') }, lookup, NOW, 'cloudcontrolapi');
      assert.equal(r.ok ? 'ok' : r.failure, 'SignatureMismatch');
    });
  });
});
