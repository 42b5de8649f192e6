// SigV4 verification in detail, with @smithy/signature-v4 as the oracle where a signature is involved:
// canonical paths, queries and header values; the Authorization header's forms; every refusal in AWS's words.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';
import { Sha256 } from '../../test/support/sha256.js';
import { verifySigV4, type Credential, type SignedRequest, type VerifyResult } from './sigv4.js';


const KEY: Credential = { accessKeyId: 'AKIDRULES', secretAccessKey: 'rules-secret', accountId: '111122223333' };
const NOW = Date.UTC(2026, 10, 28, 12, 0, 0);
let credentials: Credential[] = [KEY];
const lookup = (id: string) => credentials.find((k) => k.accessKeyId === id);

interface SignOptions {
  cred?: Credential;
  region?: string;
  path?: string;
  query?: Record<string, string | string[]>;
  headers?: Record<string, string>;
  at?: number;
  presign?: boolean;
  expiresIn?: number;
  method?: string;
}

/** Signs with the SDK's signer; `url` is for the caller to set when the raw target differs from what was signed. */
async function sign(options: SignOptions = {}): Promise<SignedRequest> {
  const cred = options.cred ?? KEY;
  const signer = new SignatureV4({ credentials: cred, region: options.region ?? 'eu-west-2', service: 'cloudcontrolapi', sha256: Sha256 as never });
  const body = '{"a":1}';
  const request = {
    method: options.method ?? 'POST',
    protocol: 'http:',
    hostname: 'localhost',
    path: options.path ?? '/',
    query: options.query ?? {},
    headers: { host: 'localhost', 'x-amz-target': 'CloudApiService.ListResources', ...options.headers } as Record<string, string>,
    body,
  };
  const signingDate = new Date(options.at ?? NOW);
  const signed = options.presign
    ? await signer.presign(request, { signingDate, expiresIn: options.expiresIn ?? 300, unhoistableHeaders: new Set(['x-amz-target']) })
    : await signer.sign(request, { signingDate });
  const query = Object.entries(signed.query ?? {})
    .flatMap(([k, v]) => (Array.isArray(v) ? v : [v]).map((x) => `${encodeURIComponent(k)}=${encodeURIComponent(String(x))}`))
    .join('&');
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(signed.headers)) headers[k.toLowerCase()] = String(v);
  return { method: request.method, url: `${signed.path}${query ? `?${query}` : ''}`, headers, body: Buffer.from(body) };
}

const verify = (req: SignedRequest, now = NOW, service = 'cloudcontrolapi') => verifySigV4(req, lookup, now, service);
const outcome = (r: VerifyResult) => (r.ok ? 'ok' : `${r.failure}: ${r.message}`);
const withAuthorization = (req: SignedRequest, authorization: string): SignedRequest => ({ ...req, headers: { ...req.headers, authorization } });
const authParts = (req: SignedRequest) => /^AWS4-HMAC-SHA256 Credential=([^,]+), SignedHeaders=([^,]+), Signature=([0-9a-f]{64})$/.exec(String(req.headers.authorization))!.slice(1) as [string, string, string];

describe('canonical request', () => {
  test('dot segments are removed, and a trailing slash kept, as the SDK does', async () => {
    for (const path of ['/a/./b/../c', '/a/b/', '/a/b/../', '/x/..', '/./a', '/a%20b/c%2Fd']) {
      const req = await sign({ path });
      assert.equal(req.url, path, 'the raw target is what was signed');
      assert.equal(outcome(verify(req)), 'ok', path);
    }
    const req = await sign({ path: '/a/b' });
    assert.match(outcome(verify({ ...req, url: '/a/c' })), /^SignatureMismatch: The request signature we calculated does not match/);
  });

  test('query pairs sorted by key then value, empty and valueless pairs, undecodable escapes', async () => {
    const signed = await sign({ query: { b: '2', a: ['2', '1'], 'k~*': "v!'()", empty: '', pct: '%zz', plus: '+' } });
    assert.equal(outcome(verify(signed)), 'ok');
    const path = signed.url.split('?')[0];
    const reordered = `${path}?plus=%2B&pct=%zz&&empty&b=2&a=2&k~%2A=v%21%27%28%29&a=1&`;
    assert.equal(outcome(verify({ ...signed, url: reordered })), 'ok', 'same pairs, any order, however encoded');
    assert.match(outcome(verify({ ...signed, url: reordered.replace('a=1', 'a=3') })), /^SignatureMismatch/);
  });

  test('header values: trimmed, inner whitespace runs one space, repeated headers joined with ","', async () => {
    const req = await sign({ headers: { 'x-amz-meta-a': 'a b c', 'x-amz-meta-b': 'x,y' } });
    assert.equal(outcome(verify({ ...req, headers: { ...req.headers, 'x-amz-meta-a': ' \ta \t b   c  ' } })), 'ok');
    assert.equal(outcome(verify({ ...req, headers: { ...req.headers, 'x-amz-meta-b': ['x', 'y'] } })), 'ok');
    assert.match(outcome(verify({ ...req, headers: { ...req.headers, 'x-amz-meta-a': 'a bc' } })), /^SignatureMismatch/);
  });

  test('the method is compared in upper case', async () => {
    const req = await sign({ method: 'POST' });
    assert.equal(outcome(verify({ ...req, method: 'post' })), 'ok');
    assert.match(outcome(verify({ ...req, method: 'PUT' })), /^SignatureMismatch/);
  });

  test('a signed header named like an Object member that was not sent is missing, not inherited', async () => {
    const req = await sign({ headers: { constructor: 'x' } });
    const { constructor: _, ...sent } = req.headers as Record<string, string>;
    assert.equal(outcome(verify({ ...req, headers: sent })), "SignatureMismatch: The request signature we calculated does not match the signature you provided: signed header 'constructor' is missing.");
  });

  test('a key whose secret changed is derived again', async () => {
    const rotated = { ...KEY, accessKeyId: 'AKIDROTATE', secretAccessKey: 'one' };
    credentials = [KEY, rotated];
    assert.equal(outcome(verify(await sign({ cred: rotated }))), 'ok');
    credentials = [KEY, { ...rotated, secretAccessKey: 'two' }];
    assert.equal(outcome(verify(await sign({ cred: { ...rotated, secretAccessKey: 'two' } }))), 'ok');
    assert.match(outcome(verify(await sign({ cred: rotated }))), /^SignatureMismatch/);
    credentials = [KEY];
  });

  test('more distinct scopes than the parse memory holds still verify', async () => {
    const req = await sign();
    const [credential, signedHeaders, signature] = authParts(req);
    for (let i = 0; i < 1_005; i++) {
      const other = withAuthorization(req, `AWS4-HMAC-SHA256 Credential=${credential.replace('eu-west-2', `r${i}`)}, SignedHeaders=${signedHeaders}, Signature=${signature}`);
      assert.match(outcome(verify(other)), /^SignatureMismatch/);
    }
    assert.equal(outcome(verify(req)), 'ok');
  });
});

describe('the Authorization header', () => {
  test('spacing around its parts is free; a trailing space after the signature too', async () => {
    const req = await sign();
    const [credential, signedHeaders, signature] = authParts(req);
    for (const form of [
      `AWS4-HMAC-SHA256 Credential=${credential},SignedHeaders=${signedHeaders},Signature=${signature}`,
      `AWS4-HMAC-SHA256   Credential=${credential} ,  SignedHeaders=${signedHeaders} , Signature=${signature}  `,
    ]) assert.equal(outcome(verify(withAuthorization(req, form))), 'ok', form);
  });

  test('malformed: refused as an incomplete signature', async () => {
    const req = await sign();
    const [credential, signedHeaders, signature] = authParts(req);
    const incomplete = "IncompleteSignature: Authorization header requires 'Credential', 'SignedHeaders' and 'Signature' parameters.";
    for (const form of [
      `AWS4-HMAC-SHA256 Credential=${credential}, SignedHeaders=${signedHeaders}`,
      `AWS4-HMAC-SHA256 Credential=${credential}, SignedHeaders=${signedHeaders}, Signature=${signature.toUpperCase()}`,
      `AWS4-HMAC-SHA256 Credential=${credential}, SignedHeaders=${signedHeaders}, Signature=${signature.slice(1)}`,
      `AWS4-HMAC-SHA256 Credential=${credential}, SignedHeaders=${signedHeaders}, Signature=${signature}0`,
      `AWS4-HMAC-SHA256 Credential=${credential}, SignedHeaders=${signedHeaders}, Signature=${signature} x`,
      `AWS4-HMAC-SHA256Credential=${credential}, SignedHeaders=${signedHeaders}, Signature=${signature}`,
      `AWS4-HMAC-SHA256 Credential=${credential}, SignedHeaders=${signedHeaders}, Extra=1, Signature=${signature}`,
      `AWS4-HMAC-SHA256 SignedHeaders=${signedHeaders}, Credential=${credential}, Signature=${signature}`,
      `AWS4-HMAC-SHA256 Credential=, SignedHeaders=${signedHeaders}, Signature=${signature}`,
      `AWS4-HMAC-SHA256 Credential=${credential}, SignedHeaders=, Signature=${signature}`,
      `AWS4-HMAC-SHA256 Credential=${credential}, SignedHeaders=${signedHeaders} x, Signature=${signature}`,
      `AWS4-HMAC-SHA256 Credential=a b, SignedHeaders=${signedHeaders}, Signature=${signature}`,
      `x AWS4-HMAC-SHA256 Credential=${credential}, SignedHeaders=${signedHeaders}, Signature=${signature}`,
    ]) {
      const expected = form.startsWith('x ') ? 'MissingAuthentication: Request is missing Authentication Token' : incomplete;
      assert.equal(outcome(verify(withAuthorization(req, form))), expected, form);
    }
    assert.equal(outcome(verify(withAuthorization(req, 'AWS4-ECDSA-P256-SHA256 Credential=x'))), "IncompleteSignature: Authorization header requires 'AWS4-HMAC-SHA256' as the algorithm.");
  });

  test('the credential scope must have five parts, a date of eight digits and end in aws4_request', async () => {
    const req = await sign();
    const [credential, signedHeaders, signature] = authParts(req);
    const withCredential = (c: string) => withAuthorization(req, `AWS4-HMAC-SHA256 Credential=${c}, SignedHeaders=${signedHeaders}, Signature=${signature}`);
    const scoped = (region: string) => `IncompleteSignature: Credential should be scoped to a valid region, not '${region}'. Expected format <access key>/<date>/<region>/<service>/aws4_request.`;
    assert.equal(outcome(verify(withCredential('AKIDRULES/20261128/eu-west-2/cloudcontrolapi'))), scoped('eu-west-2'));
    assert.equal(outcome(verify(withCredential('AKIDRULES/20261128/eu-west-2/cloudcontrolapi/aws4_request/x'))), scoped('eu-west-2'));
    assert.equal(outcome(verify(withCredential('AKIDRULES/20261128/eu-west-2/cloudcontrolapi/aws5_request'))), scoped('eu-west-2'));
    assert.equal(outcome(verify(withCredential('AKIDRULES/2026112/eu-west-2/cloudcontrolapi/aws4_request'))), scoped('eu-west-2'));
    assert.equal(outcome(verify(withCredential('AKIDRULES/2026112x/eu-west-2/cloudcontrolapi/aws4_request'))), scoped('eu-west-2'));
    assert.equal(outcome(verify(withCredential('AKIDRULES/x20261128/eu-west-2/cloudcontrolapi/aws4_request'))), scoped('eu-west-2'));
    assert.equal(outcome(verify(withCredential('AKIDRULES'))), scoped(''));
    assert.equal(credential, 'AKIDRULES/20261128/eu-west-2/cloudcontrolapi/aws4_request');
  });

  test('the date of the scope must be the date signed, and the date must be a whole ISO-8601 basic timestamp', async () => {
    const req = await sign();
    assert.equal(
      outcome(verify({ ...req, headers: { ...req.headers, 'x-amz-date': '20261129T000000Z' } })),
      "IncompleteSignature: Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '20261128' != '20261129', from '20261129T000000Z'.",
    );
    for (const bad of ['20261128T1200Z', '20261128T120000', '20261128T120000Zjunk', '20261128X20261128T120000Z', '20261128t120000Z']) {
      assert.equal(outcome(verify({ ...req, headers: { ...req.headers, 'x-amz-date': bad } })), `IncompleteSignature: Invalid X-Amz-Date '${bad}'.`, bad);
    }
    const { 'x-amz-date': _, ...undated } = req.headers as Record<string, string>;
    assert.equal(outcome(verify({ ...req, headers: undated })), "IncompleteSignature: Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.");
  });
});

describe('refusals in full', () => {
  test('unknown key, a token a long-term key was never issued, another service', async () => {
    credentials = [KEY];
    assert.equal(outcome(verify(await sign({ cred: { ...KEY, accessKeyId: 'AKIDNOBODY' } }))), 'UnknownAccessKey: The security token included in the request is invalid.');
    const withToken = await sign({ cred: { ...KEY, sessionToken: 'stray' } });
    assert.equal(outcome(verify(withToken)), 'InvalidSessionToken: The security token included in the request is invalid.');
    assert.equal(outcome(verify(await sign(), NOW, 'sts')), "WrongService: Credential should be scoped to correct service: 'sts'. ");
    const failed = verify(await sign(), NOW, 'sts');
    assert.equal(failed.ok ? '' : failed.region, 'eu-west-2', 'refusals after the scope is read name its region');
  });

  test('the skew window, to the millisecond, worded as AWS words it', async () => {
    const req = await sign();
    assert.equal(outcome(verify(req, NOW + 15 * 60_000)), 'ok');
    assert.equal(outcome(verify(req, NOW - 15 * 60_000)), 'ok');
    assert.equal(
      outcome(verify(req, NOW + 15 * 60_000 + 1000)),
      'SignatureExpired: Signature expired: 20261128T120000Z is now earlier than 20261128T120001Z (20261128T121501Z - 15 min.)',
    );
    assert.equal(
      outcome(verify(req, NOW - 15 * 60_000 - 1000)),
      'SignatureExpired: Signature not yet current: 20261128T120000Z is still later than 20261128T115959Z (20261128T114459Z + 15 min.)',
    );
  });

  test('a signature of the right form that does not match', async () => {
    const req = await sign();
    const [credential, signedHeaders, signature] = authParts(req);
    const flipped = signature.slice(0, 63) + (signature[63] === '0' ? '1' : '0');
    assert.equal(
      outcome(verify(withAuthorization(req, `AWS4-HMAC-SHA256 Credential=${credential}, SignedHeaders=${signedHeaders}, Signature=${flipped}`))),
      'SignatureMismatch: The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
    );
    const first = (signature[0] === '0' ? '1' : '0') + signature.slice(1);
    assert.match(outcome(verify(withAuthorization(req, `AWS4-HMAC-SHA256 Credential=${credential}, SignedHeaders=${signedHeaders}, Signature=${first}`))), /^SignatureMismatch/);
  });

  test('a matching x-amz-content-sha256 is accepted', async () => {
    const hash = createHash('sha256').update('{"a":1}').digest('hex');
    const req = await sign({ headers: { 'x-amz-content-sha256': hash } });
    assert.equal(outcome(verify(req)), 'ok');
  });

  test('success names the credential, region and service', async () => {
    assert.deepEqual(verify(await sign({ region: 'ap-south-1' })), { ok: true, credential: KEY, region: 'ap-south-1', service: 'cloudcontrolapi' });
  });
});

describe('presigned URLs', () => {
  const query = (req: SignedRequest) => new URLSearchParams(req.url.split('?')[1]);
  const withQuery = (req: SignedRequest, edit: (q: URLSearchParams) => void): SignedRequest => {
    const q = query(req);
    edit(q);
    return { ...req, url: `${req.url.split('?')[0]}?${q.toString().replace(/\+/g, '%20')}` };
  };

  test('live until X-Amz-Expires runs out, to the second, and not before their date (15 minutes of skew)', async () => {
    const req = await sign({ presign: true, expiresIn: 60 });
    assert.equal(outcome(verify(req, NOW + 60_000)), 'ok');
    assert.equal(outcome(verify(req, NOW + 60_001)), 'SignatureExpired: Signature expired: 20261128T120000Z is now earlier than 20261128T120000Z (20261128T120100Z - 60 sec.)');
    assert.equal(outcome(verify(req, NOW - 15 * 60_000)), 'ok');
    assert.equal(
      outcome(verify(req, NOW - 15 * 60_000 - 1_000)),
      'SignatureExpired: Signature not yet current: 20261128T120000Z is still later than 20261128T115959Z (20261128T114459Z + 15 min.)',
    );
  });

  test('a lifetime of up to 7 days, in whole seconds', async () => {
    const week = await sign({ presign: true, expiresIn: 604_800 });
    assert.equal(outcome(verify(week)), 'ok');
    const message = 'IncompleteSignature: X-Amz-Expires must be a whole number of seconds, at most 604800 (7 days).';
    for (const expires of ['604801', '1.5', 'soon']) assert.equal(outcome(verify(withQuery(week, (q) => q.set('X-Amz-Expires', expires)))), message, expires);
  });

  test('X-Amz-Expires is required', async () => {
    const req = await sign({ presign: true, expiresIn: 900 });
    assert.equal(query(req).get('X-Amz-Expires'), '900');
    const open = withQuery(req, (p) => p.delete('X-Amz-Expires'));
    assert.equal(outcome(verify(open)), 'IncompleteSignature: X-Amz-Expires must be a whole number of seconds, at most 604800 (7 days).');
  });

  test('every part must be there, and the algorithm must be AWS4-HMAC-SHA256', async () => {
    const req = await sign({ presign: true });
    const needs = 'IncompleteSignature: Presigned requests need X-Amz-Credential, X-Amz-SignedHeaders, X-Amz-Date and X-Amz-Signature.';
    for (const name of ['X-Amz-Credential', 'X-Amz-SignedHeaders', 'X-Amz-Date']) assert.equal(outcome(verify(withQuery(req, (q) => q.delete(name)))), needs, name);
    assert.equal(outcome(verify(withQuery(req, (q) => q.set('X-Amz-Signature', 'ABC')))), needs);
    assert.equal(outcome(verify(withQuery(req, (q) => q.set('X-Amz-Signature', `${q.get('X-Amz-Signature')}0`)))), needs);
    assert.equal(outcome(verify(withQuery(req, (q) => q.set('X-Amz-Signature', `x${q.get('X-Amz-Signature')}`)))), needs);
    assert.equal(outcome(verify(withQuery(req, (q) => q.delete('X-Amz-Signature')))), needs, 'a credential alone makes it a presigned URL');
    assert.equal(outcome(verify(withQuery(req, (q) => q.set('X-Amz-Algorithm', 'AWS4-HMAC-SHA1')))), 'IncompleteSignature: X-Amz-Algorithm must be AWS4-HMAC-SHA256.');
    assert.equal(outcome(verify(withQuery(req, (q) => q.delete('X-Amz-Algorithm')))), 'IncompleteSignature: X-Amz-Algorithm must be AWS4-HMAC-SHA256.');
  });

  test('an Authorization header that is not SigV4 leaves the presigned query in charge; a SigV4 one takes precedence', async () => {
    const req = await sign({ presign: true });
    assert.equal(outcome(verify({ ...req, headers: { ...req.headers, authorization: 'Bearer x' } })), 'ok');
    assert.match(outcome(verify({ ...req, headers: { ...req.headers, authorization: 'AWS4-HMAC-SHA256 nonsense' } })), /^IncompleteSignature: Authorization header requires 'Credential'/);
  });

  test('the session token may come in the query', async () => {
    const temp: Credential = { accessKeyId: 'ASIARULES', secretAccessKey: 's', accountId: '1', sessionToken: 'tok' };
    credentials = [KEY, temp];
    const req = await sign({ presign: true, cred: temp });
    assert.equal(query(req).get('X-Amz-Security-Token'), 'tok');
    assert.equal(outcome(verify(req)), 'ok');
    assert.equal(outcome(verify(withQuery(req, (q) => q.set('X-Amz-Security-Token', 'other')))), 'InvalidSessionToken: The security token included in the request is invalid.');
    credentials = [KEY];
  });
});

describe('query pairs with the same key', () => {
  test('are ordered by value whatever order they arrive in; a bare "?" is an empty query', async () => {
    const signed = await sign({ query: { a: ['1', '2'] } });
    assert.equal(signed.url, '/?a=1&a=2');
    assert.equal(outcome(verify(signed)), 'ok');
    assert.equal(outcome(verify({ ...signed, url: '/?a=2&a=1' })), 'ok');
    const bare = await sign();
    assert.equal(outcome(verify({ ...bare, url: '/?' })), 'ok');
  });
});
