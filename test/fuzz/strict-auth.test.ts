/**
 * Fuzz, strict mode: mostly-well-formed but wrong SigV4 material (Authorization headers, presigned query
 * parameters, X-Amz-Date, session tokens, body hashes) against a server with --credentials, for both
 * protocols. Each answer must be the protocol's authentication error in its AWS shape (JSON `__type` or XML
 * `<Code>`) with a request id: never a 5xx, never a success for a signature nobody computed.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { Agent, request as httpRequest } from 'node:http';
import fc from 'fast-check';
import { startServer, type ServerProcess } from '../support/server.js';
import { amzDate, strictArgs } from '../e2e/strict/support.js';

const SEED = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : Date.now() % 2 ** 31;
const RUNS = 1500;

let server: ServerProcess;
let agent: Agent;

before(async () => {
  server = await startServer({ extraArgs: strictArgs() });
  agent = new Agent({ keepAlive: true, maxSockets: 8 });
});

after(async () => {
  agent?.destroy();
  await server?.stop();
});

const stamp = amzDate(new Date());
const day = stamp.slice(0, 8);
const text = (max: number) => fc.string({ maxLength: max });
const keyId = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom('AKIAALICEEXAMPLE0001', 'AKIABOBEXAMPLE000002') },
  { weight: 2, arbitrary: fc.constantFrom('ASIATEMPEXAMPLE00003', 'AKIANOBODYEXAMPLE999') },
  { weight: 1, arbitrary: text(20) },
);
const credential = fc.oneof(
  {
    weight: 6,
    arbitrary: fc
      .tuple(keyId, fc.constantFrom(day, day, day, '20200101', '99999999'), fc.constantFrom('us-east-1', 'eu-west-1', '', 'r'.repeat(300), '..'), fc.constantFrom('cloudcontrolapi', 'sts', 'cloudformation', 'x'))
      .map(([k, d, r, s]) => `${k}/${d}/${r}/${s}/aws4_request`),
  },
  fc.array(fc.oneof(fc.constantFrom(day, 'us-east-1', 'cloudcontrolapi', 'aws4_request', ''), text(12)), { maxLength: 8 }).map((p) => p.join('/')),
);
const signedHeaders = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom('host;x-amz-date', 'content-type;host;x-amz-date;x-amz-target', 'host;x-amz-date;x-amz-security-token') },
  fc.constantFrom('host', '', ';', 'host;;x-amz-date', 'HOST;X-AMZ-DATE', 'x-amz-date;host', 'host;host', 'constructor;__proto__;host'),
  fc.array(text(10), { maxLength: 4 }).map((a) => a.join(';')),
);
const signature = fc.oneof({ weight: 5, arbitrary: fc.stringMatching(/^[0-9a-f]{64}$/) }, fc.constantFrom('', 'zz', '0'.repeat(63), 'F'.repeat(64)), fc.stringMatching(/^[0-9a-f]{0,70}$/));
const algorithm = fc.oneof({ weight: 4, arbitrary: fc.constant('AWS4-HMAC-SHA256') }, fc.constantFrom('AWS4-HMAC-SHA256 ', 'AWS4-ECDSA-P256-SHA256', 'AWS4', 'aws4-hmac-sha256', ''));
const date = fc.oneof({ weight: 5, arbitrary: fc.constant(stamp) }, fc.constantFrom('20200101T000000Z', '99991231T235959Z', '', `${day}T246060Z`, `${day}T000000`), text(20));
const expires = fc.oneof(fc.constantFrom('300', '0', '-1', '604800', '604801', '1e3', 'NaN', 'Infinity', '', '0x10', ' 60'), text(8));
const authorization = fc
  .tuple(algorithm, credential, signedHeaders, signature, fc.constantFrom(', ', ',', ' , ', ' '))
  .map(([a, c, h, s, sep]) => `${a} Credential=${c}${sep}SignedHeaders=${h}${sep}Signature=${s}`);
const presigned = fc.record(
  { 'X-Amz-Algorithm': algorithm, 'X-Amz-Credential': credential, 'X-Amz-Date': date, 'X-Amz-Expires': expires, 'X-Amz-SignedHeaders': signedHeaders, 'X-Amz-Signature': signature, 'X-Amz-Security-Token': text(10) },
  { requiredKeys: [] },
);

/** Percent-encodes UTF-8 bytes (lone surrogates included). */
const pct = (value: string) => [...Buffer.from(value, 'utf8')].map((b) => (/[A-Za-z0-9._~-]/.test(String.fromCharCode(b)) ? String.fromCharCode(b) : `%${b.toString(16).padStart(2, '0')}`)).join('');
/** A header value node's client accepts. */
const headerSafe = (value: string) => (/[^\t\x20-\x7e\x80-\xff]/.test(value) ? pct(value) : value);

/** Absent three times out of four: present, they stop most attempts before the signature check. */
const rarely = <T>(arb: fc.Arbitrary<T>) => fc.oneof({ weight: 3, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: arb });

const attempt = fc.record({
  where: fc.constantFrom('header', 'header', 'header', 'query', 'query', 'both', 'none'),
  authorization,
  presigned,
  date: fc.option(date, { freq: 8 }),
  sessionToken: rarely(fc.oneof(fc.constant('FwoGZXIvYXdzEXAMPLEsessionTOKEN//+abc=='), text(10))),
  contentSha256: rarely(fc.oneof(fc.constantFrom('UNSIGNED-PAYLOAD', 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD', '0'.repeat(64)), text(10))),
  protocol: fc.constantFrom('json', 'query'),
  action: fc.constantFrom('GetCallerIdentity', 'DescribeType', 'ListTypes', 'Nope'),
});
type Attempt = typeof attempt extends fc.Arbitrary<infer T> ? T : never;

function fire(a: Attempt): Promise<{ status: number; text: string; requestId?: string; contentType?: string } | { error: string }> {
  const headers: Record<string, string> = {};
  let path = '/';
  let body: string;
  if (a.protocol === 'json') {
    headers['x-amz-target'] = 'CloudApiService.ListResourceRequests';
    headers['content-type'] = 'application/x-amz-json-1.0';
    body = '{}';
  } else {
    headers['content-type'] = 'application/x-www-form-urlencoded';
    body = `Action=${a.action}&Version=${a.action === 'GetCallerIdentity' ? '2011-06-15' : '2010-05-15'}`;
  }
  if (a.where === 'header' || a.where === 'both') headers.authorization = headerSafe(a.authorization);
  if (a.where === 'query' || a.where === 'both') path = `/?${Object.entries(a.presigned).map(([k, v]) => `${k}=${pct(v)}`).join('&')}`;
  if (a.date !== null) headers['x-amz-date'] = headerSafe(a.date);
  if (a.sessionToken !== null) headers['x-amz-security-token'] = headerSafe(a.sessionToken);
  if (a.contentSha256 !== null) headers['x-amz-content-sha256'] = headerSafe(a.contentSha256);
  headers['content-length'] = String(Buffer.byteLength(body));
  return new Promise((resolve) => {
    const r = httpRequest({ host: '127.0.0.1', port: server.port, method: 'POST', path, headers, agent, timeout: 8_000 }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (text += d));
      res.on('end', () => {
        const out: { status: number; text: string; requestId?: string; contentType?: string } = { status: res.statusCode ?? 0, text };
        if (typeof res.headers['x-amzn-requestid'] === 'string') out.requestId = res.headers['x-amzn-requestid'];
        if (typeof res.headers['content-type'] === 'string') out.contentType = res.headers['content-type'];
        resolve(out);
      });
    });
    r.on('timeout', () => r.destroy(new Error('no answer within 8 s')));
    r.on('error', (e) => resolve({ error: e.message }));
    r.end(body);
  });
}

const JSON_AUTH = new Set(['MissingAuthenticationTokenException', 'IncompleteSignatureException', 'UnrecognizedClientException', 'InvalidSignatureException']);
const QUERY_AUTH = new Set(['MissingAuthenticationToken', 'IncompleteSignature', 'InvalidClientTokenId', 'SignatureDoesNotMatch', 'InvalidAction']);

test('fuzz: wrong SigV4 material always gets the protocol’s authentication error, in its AWS shape', async (t) => {
  t.diagnostic(`seed ${SEED} (FUZZ_SEED=${SEED} replays it)`);
  const codes = new Map<string, number>();
  const result = await fc.check(
    fc.asyncProperty(attempt, async (a) => {
      const answer = await fire(a);
      if ('error' in answer) throw new Error(`no answer: ${answer.error}`);
      assert.match(answer.requestId ?? '', /^[0-9a-f-]{36}$/, `no request id: ${answer.status} ${answer.text}`);
      assert.ok(answer.status === 400 || answer.status === 403, `status ${answer.status}: ${answer.text.slice(0, 300)}`);
      let code: string | undefined;
      if (a.protocol === 'json') {
        assert.equal(answer.contentType, 'application/x-amz-json-1.0');
        const body = JSON.parse(answer.text) as { __type?: string; Message?: string };
        code = body.__type?.slice(body.__type.indexOf('#') + 1);
        assert.equal(typeof body.Message, 'string');
        assert.ok(code !== undefined && JSON_AUTH.has(code), `not an authentication error: ${answer.text.slice(0, 300)}`);
        assert.equal(answer.status, 400, 'Coral answers every authentication failure with 400, a missing one included');
      } else {
        assert.equal(answer.contentType, 'text/xml');
        code = /<Code>(\w+)<\/Code>/.exec(answer.text)?.[1];
        assert.ok(code !== undefined && QUERY_AUTH.has(code), `not an authentication error: ${answer.text.slice(0, 300)}`);
        assert.match(answer.text, /<Type>Sender<\/Type>/);
      }
      codes.set(`${answer.status} ${code}`, (codes.get(`${answer.status} ${code}`) ?? 0) + 1);
    }),
    { seed: SEED, numRuns: RUNS, interruptAfterTimeLimit: 20_000, markInterruptAsFailure: false, endOnFailure: true },
  );
  t.diagnostic(`${result.numRuns} requests; ${[...codes.entries()].sort().map(([c, n]) => `${c}×${n}`).join(', ')}`);
  if (result.failed) assert.fail(`seed ${SEED}: ${JSON.stringify(result.counterexample)?.slice(0, 2000)}\n${String(result.errorInstance).slice(0, 2000)}`);
  assert.ok(result.numRuns >= 300, `only ${result.numRuns} requests were sent`);
  // The generator must reach past the parser: unknown keys and bad signatures, not only malformed headers.
  assert.ok([...codes.keys()].some((c) => /UnrecognizedClientException|InvalidClientTokenId/.test(c)), 'some attempts reached the key lookup');
  assert.ok([...codes.keys()].some((c) => /InvalidSignatureException|SignatureDoesNotMatch/.test(c)), 'some attempts reached the signature check');
  assert.equal(server.child.exitCode, null, 'the server is still running');
});
