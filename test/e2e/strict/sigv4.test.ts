/**
 * End-to-end, strict mode: a real `ccapi serve --credentials FILE --admin-token T` process, called by the JS
 * SDK, by raw HTTP requests signed with @smithy/signature-v4 (then tampered with), by the AWS CLI, and by
 * boto3 (test/e2e/clients/strict_suite.py). Good credentials work; every kind of bad one gets the error
 * AWS answers with, under the name the real SDKs surface.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import {
  CreateResourceCommand,
  GetResourceCommand,
  GetResourceRequestStatusCommand,
  ListResourceRequestsCommand,
  waitUntilResourceRequestSuccess,
  type CloudControlClient,
} from '@aws-sdk/client-cloudcontrol';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { REPO_ROOT, startServer, type ServerProcess } from '../../support/server.js';
import { skipIfMissing } from '../../support/prerequisites.js';
import { expectError, uniqueName, UUID } from '../support.js';
import {
  amzDate,
  handPresign,
  handSignature,
  sendRawLines,
  ACCOUNT_A,
  ACCOUNT_B,
  ADMIN_TOKEN,
  ALICE,
  BOB,
  DEPLOYER,
  TEMP,
  UNKNOWN,
  awsEnv,
  jsonErrorCode,
  send,
  signRequest,
  strictArgs,
  strictClient,
  xmlError,
  type RawRequest,
  type TestCredential,
} from './support.js';

const LOG_GROUP = 'AWS::Logs::LogGroup';
const SIGNATURE_MISMATCH = /^The request signature we calculated does not match the signature you provided/;
const INVALID_TOKEN = 'The security token included in the request is invalid.';

let server: ServerProcess;
const clients: CloudControlClient[] = [];

function client(cred: TestCredential, options: Parameters<typeof strictClient>[2] = {}): CloudControlClient {
  const c = strictClient(server, cred, options);
  clients.push(c);
  return c;
}

before(async () => {
  server = await startServer({ extraArgs: strictArgs({ adminToken: ADMIN_TOKEN, moreCredentials: [DEPLOYER] }) });
});

after(async () => {
  for (const c of clients) c.destroy();
  await server?.stop();
});

/** A log group created (and waited for) by `cred`, through the JS SDK. */
async function createLogGroup(cred: TestCredential, name = uniqueName('strict')) {
  const c = client(cred);
  const { ProgressEvent: created } = await c.send(new CreateResourceCommand({ TypeName: LOG_GROUP, DesiredState: JSON.stringify({ LogGroupName: name }) }));
  assert.match(created!.RequestToken!, UUID);
  await waitUntilResourceRequestSuccess({ client: c, maxWaitTime: 30, minDelay: 1, maxDelay: 1 }, { RequestToken: created!.RequestToken! });
  return { name, token: created!.RequestToken!, client: c };
}

describe('JS SDK', { concurrency: true }, () => {
  test('good credentials: create, waiter, get; the account is the credential’s', async () => {
    const { name, client: c } = await createLogGroup(ALICE);
    const { ResourceDescription } = await c.send(new GetResourceCommand({ TypeName: LOG_GROUP, Identifier: name }));
    const props = JSON.parse(ResourceDescription!.Properties!) as { LogGroupName: string; Arn: string };
    assert.equal(props.LogGroupName, name);
    assert.equal(props.Arn, `arn:aws:logs:us-east-1:${ACCOUNT_A}:log-group:${name}:*`);
  });

  test('wrong secret → InvalidSignatureException (HTTP 400)', async () => {
    await expectError(client(ALICE, { secretAccessKey: 'not-the-secret', maxAttempts: 1 }).send(new ListResourceRequestsCommand({})), {
      name: 'InvalidSignatureException',
      status: 400,
      message: SIGNATURE_MISMATCH,
    });
  });

  test('a request sent without its signature → MissingAuthenticationTokenException (HTTP 400)', async () => {
    const c = client(ALICE, { maxAttempts: 1 });
    // After signing, before sending: the deserialize step sees the finished request.
    c.middlewareStack.add(
      (next) => async (args) => {
        const request = args.request as { headers: Record<string, string> };
        for (const name of Object.keys(request.headers)) if (name.toLowerCase() === 'authorization') delete request.headers[name];
        return next(args);
      },
      { step: 'deserialize', name: 'dropAuthorization' },
    );
    await expectError(c.send(new ListResourceRequestsCommand({})), {
      name: 'MissingAuthenticationTokenException',
      status: 400,
      message: 'Request is missing Authentication Token',
    });
  });

  test('unknown access key → UnrecognizedClientException (HTTP 400)', async () => {
    await expectError(client(UNKNOWN, { maxAttempts: 1 }).send(new ListResourceRequestsCommand({})), {
      name: 'UnrecognizedClientException',
      status: 400,
      message: INVALID_TOKEN,
    });
  });

  test('a clock 20 minutes slow → InvalidSignatureException "Signature expired"; the SDK then corrects its clock from the Date header', async () => {
    const slow = client(ALICE, { maxAttempts: 1, systemClockOffset: -20 * 60_000 });
    await expectError(slow.send(new ListResourceRequestsCommand({})), {
      name: 'InvalidSignatureException',
      status: 400,
      message: /^Signature expired: \d{8}T\d{6}Z is now earlier than \d{8}T\d{6}Z \(\d{8}T\d{6}Z - 15 min\.\)$/,
    });
    // With one attempt the SDK did not retry; it learned the server's time from the error's Date header.
    const offset = slow.config.systemClockOffset;
    assert.ok(Math.abs(offset) < 2 * 60_000, `the SDK should have corrected its clock offset from the Date header; offset is ${offset} ms`);
    const ok = await slow.send(new ListResourceRequestsCommand({}));
    assert.ok(Array.isArray(ok.ResourceRequestStatusSummaries));
  });

  test('a clock 20 minutes fast → InvalidSignatureException "Signature not yet current"', async () => {
    await expectError(client(ALICE, { maxAttempts: 1, systemClockOffset: 20 * 60_000 }).send(new ListResourceRequestsCommand({})), {
      name: 'InvalidSignatureException',
      status: 400,
      message: /^Signature not yet current: \d{8}T\d{6}Z is still later than/,
    });
  });

  test('a skewed clock with the SDK’s default retries succeeds (clock-skew correction and retry)', async () => {
    const slow = client(BOB, { systemClockOffset: -20 * 60_000 });
    const out = await slow.send(new ListResourceRequestsCommand({}));
    assert.ok(Array.isArray(out.ResourceRequestStatusSummaries));
    assert.equal(out.$metadata.attempts, 2, 'one rejected attempt, then a corrected one');
  });

  test('a signature within 15 minutes is accepted (a clock 10 minutes slow)', async () => {
    const out = await client(ALICE, { maxAttempts: 1, systemClockOffset: -10 * 60_000 }).send(new ListResourceRequestsCommand({}));
    assert.equal(out.$metadata.attempts, 1);
  });

  test('temporary credentials: without or with a wrong session token → UnrecognizedClientException; with it → account B', async () => {
    await expectError(client(TEMP, { sessionToken: null, maxAttempts: 1 }).send(new ListResourceRequestsCommand({})), {
      name: 'UnrecognizedClientException',
      status: 400,
    });
    await expectError(client(TEMP, { sessionToken: 'not-the-token', maxAttempts: 1 }).send(new ListResourceRequestsCommand({})), {
      name: 'UnrecognizedClientException',
      status: 400,
    });
    const { name, client: c } = await createLogGroup(TEMP);
    const { ResourceDescription } = await c.send(new GetResourceCommand({ TypeName: LOG_GROUP, Identifier: name }));
    assert.equal((JSON.parse(ResourceDescription!.Properties!) as { Arn: string }).Arn, `arn:aws:logs:us-east-1:${ACCOUNT_B}:log-group:${name}:*`);
    // The temporary credential and BOB are the same account: BOB sees it.
    const seen = await client(BOB).send(new GetResourceCommand({ TypeName: LOG_GROUP, Identifier: name }));
    assert.equal(seen.ResourceDescription!.Identifier, name);
  });
});

/** Sends a raw request that must fail with a JSON 1.0 error; returns code and message. */
async function rawError(req: RawRequest, status: number, code: string, message?: RegExp | string) {
  const res = await send(server, req);
  assert.equal(res.status, status, `HTTP status for ${code}: ${res.text}`);
  assert.equal(res.headers['content-type'], 'application/x-amz-json-1.0');
  assert.match(String(res.headers['x-amzn-requestid']), UUID);
  const body = JSON.parse(res.text) as Record<string, unknown>;
  assert.deepEqual(Object.keys(body).sort(), ['Message', '__type'], `error body members: ${res.text}`);
  assert.match(String(body.__type), new RegExp(`^[\\w.]+#${code}$`));
  const error = jsonErrorCode(res);
  if (typeof message === 'string') assert.equal(error.message, message);
  else if (message) assert.match(error.message, message);
  return error;
}

describe('raw HTTP signed with @smithy/signature-v4', { concurrency: true }, () => {
  test('an untouched signed request passes; unsigned extra headers do not matter', async () => {
    const req = await signRequest(server);
    const res = await send(server, req);
    assert.equal(res.status, 200, res.text);
    assert.ok(Array.isArray((JSON.parse(res.text) as { ResourceRequestStatusSummaries: unknown }).ResourceRequestStatusSummaries));
    const extra = await send(server, { ...req, headers: { ...req.headers, 'x-unsigned-extra': 'anything', 'user-agent': 'changed/1.0' } });
    assert.equal(extra.status, 200, extra.text);
  });

  test('a signed query string, an encoded query value and a signed x-amz-content-sha256 verify', async () => {
    const body = '{"MaxResults":5}';
    const req = await signRequest(server, {
      body,
      query: { 'a b': 'c/d~e*f+g', empty: '' },
      applyChecksum: false,
      headers: { 'x-amz-content-sha256': createHash('sha256').update(body).digest('hex') },
    });
    assert.match(req.path, /\?/);
    const res = await send(server, req);
    assert.equal(res.status, 200, res.text);
  });

  test('tampered body → 400 InvalidSignatureException (signed with and without x-amz-content-sha256)', async () => {
    const plain = await signRequest(server, { body: '{"MaxResults":5}', applyChecksum: false });
    assert.equal(plain.headers['x-amz-content-sha256'], undefined);
    assert.equal((await send(server, plain)).status, 200, 'the untampered request is fine');
    await rawError({ ...plain, body: '{"MaxResults":6}' }, 400, 'InvalidSignatureException', SIGNATURE_MISMATCH);
    const sdkLike = await signRequest(server, { body: '{"MaxResults":5}' });
    assert.match(sdkLike.headers['x-amz-content-sha256'] ?? '', /^[0-9a-f]{64}$/, 'the SDK signer sends the body hash');
    await rawError({ ...sdkLike, body: '{"MaxResults":6}' }, 400, 'InvalidSignatureException');
  });

  test('a body hash header that is wrong for an untouched body → 400 InvalidSignatureException', async () => {
    const req = await signRequest(server, { body: '{"MaxResults":5}', headers: { 'x-amz-content-sha256': '0'.repeat(64) } });
    await rawError(req, 400, 'InvalidSignatureException');
  });

  test('tampered X-Amz-Target → 400 InvalidSignatureException (not the other operation)', async () => {
    const req = await signRequest(server, { target: 'CloudApiService.ListResourceRequests' });
    await rawError({ ...req, headers: { ...req.headers, 'x-amz-target': 'CloudApiService.ListResources' } }, 400, 'InvalidSignatureException', SIGNATURE_MISMATCH);
  });

  test('tampered query string → 400 InvalidSignatureException', async () => {
    const req = await signRequest(server, { query: { x: '1' } });
    await rawError({ ...req, path: req.path.replace('x=1', 'x=2') }, 400, 'InvalidSignatureException', SIGNATURE_MISMATCH);
  });

  test('a dropped signed header → 400 InvalidSignatureException', async () => {
    const req = await signRequest(server, { headers: { 'x-amz-meta-signed': 'yes' } });
    const headers = { ...req.headers };
    delete headers['x-amz-meta-signed'];
    await rawError({ ...req, headers }, 400, 'InvalidSignatureException');
  });

  test('signed for dynamodb → 400 InvalidSignatureException "Credential should be scoped to correct service"', async () => {
    const req = await signRequest(server, { service: 'dynamodb' });
    await rawError(req, 400, 'InvalidSignatureException', /^Credential should be scoped to correct service: 'cloudcontrolapi'/);
  });

  test('wrong secret and unknown key through raw HTTP', async () => {
    await rawError(await signRequest(server, { secretAccessKey: 'wrong' }), 400, 'InvalidSignatureException', SIGNATURE_MISMATCH);
    await rawError(await signRequest(server, { cred: UNKNOWN }), 400, 'UnrecognizedClientException', INVALID_TOKEN);
  });

  test('signed 16 minutes ago → 400 InvalidSignatureException "Signature expired"', async () => {
    const req = await signRequest(server, { signingDate: new Date(Date.now() - 16 * 60_000) });
    await rawError(req, 400, 'InvalidSignatureException', /^Signature expired: /);
  });

  // Coral's answer to no authentication on a JSON service is 400 (observed from live DynamoDB; see
  // src/auth/authenticate.ts), unlike the query protocol's 403 MissingAuthenticationToken.
  test('no Authorization → 400 MissingAuthenticationTokenException "Request is missing Authentication Token"', async () => {
    const req = await signRequest(server);
    const headers = { ...req.headers };
    delete headers.authorization;
    await rawError({ ...req, headers }, 400, 'MissingAuthenticationTokenException', 'Request is missing Authentication Token');
    // Authentication comes before everything else: an unknown operation learns nothing without it.
    await rawError({ ...req, headers: { ...headers, 'x-amz-target': 'CloudApiService.NoSuchOperation' } }, 400, 'MissingAuthenticationTokenException');
  });

  test('an Authorization header that is not SigV4 at all counts as none → 400 MissingAuthenticationTokenException', async () => {
    const req = await signRequest(server);
    for (const authorization of ['Bearer abc', 'AWS AKIAALICEEXAMPLE0001:c2lnbmF0dXJl', 'AWS4']) {
      await rawError({ ...req, headers: { ...req.headers, authorization } }, 400, 'MissingAuthenticationTokenException', 'Request is missing Authentication Token');
    }
  });

  test('malformed Authorization headers → 400 IncompleteSignatureException', async () => {
    const req = await signRequest(server);
    const scope = /Credential=([^,]+)/.exec(req.headers.authorization!)![1]!;
    const malformed = [
      'AWS4-HMAC-SHA256 Credential=x',
      'AWS4-HMAC-SHA256',
      `AWS4-HMAC-SHA256 Credential=${scope}, SignedHeaders=host, Signature=nothex`,
      'AWS4-HMAC-SHA256 Credential=AKIAALICEEXAMPLE0001/notadate/us-east-1/cloudcontrolapi/aws4_request, SignedHeaders=host, Signature=' + '0'.repeat(64),
      `AWS4-HMAC-SHA1 Credential=${scope}, SignedHeaders=host, Signature=${'0'.repeat(64)}`,
    ];
    for (const authorization of malformed) {
      await rawError({ ...req, headers: { ...req.headers, authorization } }, 400, 'IncompleteSignatureException');
    }
    // Signed, but without X-Amz-Date.
    const noDate = { ...req.headers };
    delete noDate['x-amz-date'];
    await rawError({ ...req, headers: noDate }, 400, 'IncompleteSignatureException', /X-Amz-Date/);
  });

  test('a presigned GetResourceRequestStatus works; tampered or expired presigned requests do not', async () => {
    const { token } = await createLogGroup(ALICE);
    const body = JSON.stringify({ RequestToken: token });
    const presigned = await signRequest(server, { presign: true, target: 'CloudApiService.GetResourceRequestStatus', body, expiresIn: 120 });
    assert.equal(presigned.headers.authorization, undefined, 'a presigned request has no Authorization header');
    assert.match(presigned.path, /X-Amz-Signature=[0-9a-f]{64}/);
    const res = await send(server, presigned);
    assert.equal(res.status, 200, res.text);
    const event = (JSON.parse(res.text) as { ProgressEvent: { RequestToken: string; OperationStatus: string } }).ProgressEvent;
    assert.equal(event.RequestToken, token);
    assert.equal(event.OperationStatus, 'SUCCESS');

    // Another account's presigned URL for the same token: not found (the account comes from the signature).
    const bobs = await signRequest(server, { cred: BOB, presign: true, target: 'CloudApiService.GetResourceRequestStatus', body });
    await rawError(bobs, 400, 'RequestTokenNotFoundException');

    await rawError({ ...presigned, path: presigned.path.replace(/X-Amz-Signature=([0-9a-f])/, (_m, c: string) => `X-Amz-Signature=${c === '0' ? '1' : '0'}`) }, 400, 'InvalidSignatureException');
    await rawError({ ...presigned, headers: { ...presigned.headers, 'x-amz-target': 'CloudApiService.CancelResourceRequest' } }, 400, 'InvalidSignatureException');
    const expired = await signRequest(server, {
      presign: true,
      target: 'CloudApiService.GetResourceRequestStatus',
      body,
      expiresIn: 60,
      signingDate: new Date(Date.now() - 5 * 60_000),
    });
    await rawError(expired, 400, 'InvalidSignatureException', /^Signature expired/);
  });
});

describe('raw HTTP signed by hand from the SigV4 specification', { concurrency: true }, () => {
  const target = 'CloudApiService.ListResourceRequests';
  const body = '{"MaxResults":3}';
  const bodyHash = createHash('sha256').update(body).digest('hex');

  function headerSigned(extra: Record<string, string>, signedHeaders: string[]) {
    const date = new Date();
    const canonicalHeaders: Record<string, string> = { host: `127.0.0.1:${server.port}`, 'x-amz-date': amzDate(date), 'x-amz-target': target, ...extra };
    const { credential, signature } = handSignature({ cred: BOB, canonicalHeaders, signedHeaders, payloadHash: bodyHash, date });
    return { date, authorization: `AWS4-HMAC-SHA256 Credential=${credential}, SignedHeaders=${[...signedHeaders].sort().join(';')}, Signature=${signature}` };
  }

  test('the hand signer agrees with the server (sanity check for the cases below)', async () => {
    const { date, authorization } = headerSigned({}, ['host', 'x-amz-date', 'x-amz-target']);
    const res = await sendRawLines(server, ['POST / HTTP/1.1', `Host: 127.0.0.1:${server.port}`, `X-Amz-Date: ${amzDate(date)}`, `X-Amz-Target: ${target}`, `Authorization: ${authorization}`], body);
    assert.equal(res.status, 200, res.text);
  });

  test('a signed header sent twice is canonicalized as "a,b" (AWS), not "a, b"', async () => {
    const lines = (authorization: string, date: Date, dup: string[]) => [
      'POST / HTTP/1.1',
      `Host: 127.0.0.1:${server.port}`,
      `X-Amz-Date: ${amzDate(date)}`,
      `X-Amz-Target: ${target}`,
      ...dup.map((v) => `X-Amz-Meta-Dup: ${v}`),
      `Authorization: ${authorization}`,
    ];
    const signed = ['host', 'x-amz-date', 'x-amz-target', 'x-amz-meta-dup'];
    const aws = headerSigned({ 'x-amz-meta-dup': 'a,b c' }, signed);
    const ok = await sendRawLines(server, lines(aws.authorization, aws.date, ['a', 'b c']), body);
    assert.equal(ok.status, 200, ok.text);
    // Each value is trimmed on its own (SigV4's Trimall), then joined.
    const spaced = await sendRawLines(server, lines(aws.authorization, aws.date, ['a  ', 'b   c']), body);
    assert.equal(spaced.status, 200, spaced.text);
    // The other order is another canonical request.
    const swapped = await sendRawLines(server, lines(aws.authorization, aws.date, ['b c', 'a']), body);
    assert.equal(swapped.status, 400, swapped.text);
    assert.equal(jsonErrorCode(swapped).code, 'InvalidSignatureException');
    // A client that signed node's merged form "a, b c" did not sign what AWS would verify.
    const merged = headerSigned({ 'x-amz-meta-dup': 'a, b c' }, signed);
    const res = await sendRawLines(server, lines(merged.authorization, merged.date, ['a', 'b c']), body);
    assert.equal(res.status, 400, res.text);
    assert.equal(jsonErrorCode(res).code, 'InvalidSignatureException');
  });

  test('a repeated Host or Content-Type line (which node keeps only once) is canonicalized from every line', async () => {
    // node's req.headers keeps only the first of these; the signer saw both lines.
    const { date, authorization } = headerSigned({ 'content-type': 'application/x-amz-json-1.0,text/plain' }, ['host', 'x-amz-date', 'x-amz-target', 'content-type']);
    const res = await sendRawLines(
      server,
      ['POST / HTTP/1.1', `Host: 127.0.0.1:${server.port}`, `X-Amz-Date: ${amzDate(date)}`, `X-Amz-Target: ${target}`, 'Content-Type: application/x-amz-json-1.0', 'Content-Type: text/plain', `Authorization: ${authorization}`],
      body,
    );
    assert.equal(res.status, 200, res.text);
  });

  test('SignedHeaders naming Object.prototype members (constructor, __proto__, toString) → a 4xx, not a 500', async () => {
    for (const name of ['constructor', '__proto__', 'toString', 'hasOwnProperty']) {
      const req = await signRequest(server, { cred: BOB });
      const authorization = req.headers.authorization!.replace(/SignedHeaders=[^,]+/, `SignedHeaders=${name};host;x-amz-date`);
      const res = await send(server, { ...req, headers: { ...req.headers, authorization } });
      assert.ok(res.status === 400 || res.status === 403, `SignedHeaders=${name};…: ${res.status} ${res.text}`);
      const presigned = await signRequest(server, { cred: BOB, presign: true });
      const res2 = await send(server, { ...presigned, path: presigned.path.replace(/X-Amz-SignedHeaders=[^&]+/, `X-Amz-SignedHeaders=${name}%3Bhost`) });
      assert.ok(res2.status === 400 || res2.status === 403, `X-Amz-SignedHeaders=${name};host: ${res2.status} ${res2.text}`);
    }
  });

  // Live DynamoDB's answer (github.com/aws/aws-sdk-php/issues/2469); more in signed-headers.test.ts.
  test('a signature whose SignedHeaders leave out host → 400 InvalidSignatureException', async () => {
    const { date, authorization } = headerSigned({}, ['x-amz-date', 'x-amz-target']);
    const res = await sendRawLines(server, ['POST / HTTP/1.1', `Host: 127.0.0.1:${server.port}`, `X-Amz-Date: ${amzDate(date)}`, `X-Amz-Target: ${target}`, `Authorization: ${authorization}`], body);
    assert.equal(res.status, 400, res.text);
    assert.deepEqual(jsonErrorCode(res), { code: 'InvalidSignatureException', message: "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization." });
  });

  test('a hand-presigned request with X-Amz-Expires=300 works; -1 is expired', async () => {
    const ok = await send(server, handPresign(server, BOB, { expires: '300', target, body }));
    assert.equal(ok.status, 200, ok.text);
    await rawError(handPresign(server, BOB, { expires: '-1', target, body }), 400, 'InvalidSignatureException', /^Signature expired/);
    // The longest AWS allows, signed longer ago than that.
    await rawError(handPresign(server, BOB, { expires: '604800', target, body, date: new Date(Date.now() - 8 * 24 * 3600_000) }), 400, 'InvalidSignatureException', /^Signature expired/);
  });

  for (const expires of ['604801', '315360000', 'abc']) {
    test(`a presigned request with X-Amz-Expires=${expires} is refused (AWS caps presigned URLs at 7 days)`, async () => {
      // Signed an hour ago; AWS refuses an X-Amz-Expires over 604800 (or not a number) outright.
      const res = await send(server, handPresign(server, BOB, { expires, target, body, date: new Date(Date.now() - 3600_000) }));
      assert.notEqual(res.status, 200, `a presigned URL with X-Amz-Expires=${expires} was accepted: ${res.text}`);
      assert.ok(res.status === 400 || res.status === 403, res.text);
    });
  }

  test('long-term keys with a session token they were never issued → UnrecognizedClientException', async () => {
    await expectError(client(BOB, { sessionToken: 'not-a-token-of-this-key', maxAttempts: 1 }).send(new ListResourceRequestsCommand({})), {
      name: 'UnrecognizedClientException',
      status: 400,
    });
  });
});

describe('STS GetCallerIdentity through the JS SDK (@aws-sdk/client-sts)', { concurrency: true }, () => {
  const stsClients: STSClient[] = [];
  after(() => stsClients.forEach((c) => c.destroy()));
  const sts = (cred: TestCredential, options: { secretAccessKey?: string; sessionToken?: string | null } = {}) => {
    const sessionToken = options.sessionToken === null ? undefined : (options.sessionToken ?? cred.sessionToken);
    const c = new STSClient({
      endpoint: server.url,
      region: 'us-east-1',
      maxAttempts: 1,
      credentials: { accessKeyId: cred.accessKeyId, secretAccessKey: options.secretAccessKey ?? cred.secretAccessKey, ...(sessionToken ? { sessionToken } : {}) },
    });
    stsClients.push(c);
    return c;
  };
  const identity = async (cred: TestCredential) => {
    const { UserId, Account, Arn } = await sts(cred).send(new GetCallerIdentityCommand({}));
    return { UserId, Account, Arn };
  };

  test('an IAM user, and the account root', async () => {
    const alice = await identity(ALICE);
    assert.equal(alice.Arn, `arn:aws:iam::${ACCOUNT_A}:user/alice`);
    assert.equal(alice.Account, ACCOUNT_A);
    assert.match(alice.UserId ?? '', /^AIDA[A-Z0-9]{17}$/);
    assert.deepEqual(await identity(BOB), { UserId: ACCOUNT_B, Account: ACCOUNT_B, Arn: `arn:aws:iam::${ACCOUNT_B}:root` });
  });

  test('temporary credentials are a role session: assumed-role ARN, and "AROA…:<session>" as UserId', async () => {
    const deployer = await identity(DEPLOYER);
    assert.equal(deployer.Arn, `arn:aws:sts::${ACCOUNT_A}:assumed-role/deployer/ci-run-42`);
    assert.equal(deployer.Account, ACCOUNT_A);
    assert.match(deployer.UserId ?? '', /^AROA[A-Z0-9]{17}:ci-run-42$/);
    // Without a roleName in the credentials file: role "ccapi", the access key id as the session.
    const temp = await identity(TEMP);
    assert.equal(temp.Arn, `arn:aws:sts::${ACCOUNT_B}:assumed-role/ccapi/${TEMP.accessKeyId}`);
    assert.match(temp.UserId ?? '', new RegExp(`^AROA[A-Z0-9]{17}:${TEMP.accessKeyId}$`));
    assert.equal((await identity(TEMP)).UserId, temp.UserId, 'the same every time');
  });

  test('bad credentials: SignatureDoesNotMatch and InvalidClientTokenId (HTTP 403)', async () => {
    await expectError(sts(ALICE, { secretAccessKey: 'wrong' }).send(new GetCallerIdentityCommand({})), { name: 'SignatureDoesNotMatch', status: 403 });
    await expectError(sts(UNKNOWN).send(new GetCallerIdentityCommand({})), { name: 'InvalidClientTokenId', status: 403, message: INVALID_TOKEN });
    await expectError(sts(DEPLOYER, { sessionToken: null }).send(new GetCallerIdentityCommand({})), { name: 'InvalidClientTokenId', status: 403 });
  });
});

describe('STS GetCallerIdentity over raw HTTP', { concurrency: true }, () => {
  const stsRequest = (cred: TestCredential, options: { secret?: string } = {}): Promise<RawRequest> =>
    signRequest(server, {
      cred,
      ...(options.secret ? { secretAccessKey: options.secret } : {}),
      service: 'sts',
      target: null,
      body: 'Action=GetCallerIdentity&Version=2011-06-15',
      headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
    });

  test('good credentials: the user ARN, account and a request id, as XML', async () => {
    const res = await send(server, await stsRequest(ALICE));
    assert.equal(res.status, 200, res.text);
    assert.equal(res.headers['content-type'], 'text/xml');
    assert.match(res.text, /^<GetCallerIdentityResponse xmlns="https:\/\/sts\.amazonaws\.com\/doc\/2011-06-15\/">/);
    assert.match(res.text, new RegExp(`<Account>${ACCOUNT_A}</Account>`));
    assert.match(res.text, new RegExp(`<Arn>arn:aws:iam::${ACCOUNT_A}:user/alice</Arn>`));
    assert.match(res.text, /<RequestId>[0-9a-f-]{36}<\/RequestId>/);
  });

  const cases: [string, () => Promise<RawRequest>, number, string][] = [
    ['wrong secret', () => stsRequest(ALICE, { secret: 'wrong' }), 403, 'SignatureDoesNotMatch'],
    ['unknown key', () => stsRequest(UNKNOWN), 403, 'InvalidClientTokenId'],
    ['temporary credentials without their token', () => stsRequest({ ...TEMP, sessionToken: undefined as never }), 403, 'InvalidClientTokenId'],
  ];
  for (const [name, make, status, code] of cases) {
    test(`${name} → ${status} ${code} (query-protocol XML error)`, async () => {
      const res = await send(server, await make());
      assert.equal(res.status, status, res.text);
      const error = xmlError(res.text);
      assert.equal(error.code, code, res.text);
      assert.equal(error.type, 'Sender');
      assert.match(error.requestId ?? '', UUID);
      assert.match(res.text, /^<ErrorResponse xmlns="https:\/\/sts\.amazonaws\.com\/doc\/2011-06-15\/">/);
    });
  }

  test('unsigned → 403 MissingAuthenticationToken', async () => {
    const res = await send(server, {
      method: 'POST',
      path: '/',
      headers: { 'content-type': 'application/x-www-form-urlencoded', host: `127.0.0.1:${server.port}` },
      body: 'Action=GetCallerIdentity&Version=2011-06-15',
    });
    assert.equal(res.status, 403, res.text);
    assert.equal(xmlError(res.text).code, 'MissingAuthenticationToken', res.text);
  });
});

describe('admin routes', { concurrency: true }, () => {
  const admin = (method: string, path: string, authorization?: string, body = '') =>
    send(server, { method, path, headers: { ...(authorization ? { authorization } : {}), 'content-type': 'application/json' }, body });

  test('/_ccapi/health is open', async () => {
    const res = await admin('GET', '/_ccapi/health');
    assert.equal(res.status, 200, res.text);
    assert.equal((JSON.parse(res.text) as { status: string }).status, 'ok');
  });

  test('/_ccapi/faults without, with a wrong, and with the right bearer token', async () => {
    for (const authorization of [undefined, 'Bearer wrong-token', `Bearer ${ADMIN_TOKEN}x`, ADMIN_TOKEN, `bearer-ish ${ADMIN_TOKEN}`]) {
      const res = await admin('GET', '/_ccapi/faults', authorization);
      assert.equal(res.status, 401, `authorization ${String(authorization)}: ${res.text}`);
      assert.equal((JSON.parse(res.text) as { error: string }).error, 'Unauthorized');
    }
    const put = await admin('PUT', '/_ccapi/faults', undefined, JSON.stringify({ rules: [{ operation: 'ListResources', apiError: 'ThrottlingException' }] }));
    assert.equal(put.status, 401, 'an unauthorized PUT changes nothing');
    const ok = await admin('GET', '/_ccapi/faults', `Bearer ${ADMIN_TOKEN}`);
    assert.equal(ok.status, 200, ok.text);
    assert.deepEqual((JSON.parse(ok.text) as { rules: unknown[] }).rules, [], 'the unauthorized PUT did not install a rule');
  });

  test('a request timeline needs the token; a SigV4 signature is not an admin token', async () => {
    const { token } = await createLogGroup(BOB);
    const path = `/_ccapi/requests/${token}/events`;
    assert.equal((await admin('GET', path)).status, 401);
    const signed = await signRequest(server, { cred: BOB });
    const sigv4 = await send(server, { method: 'GET', path, headers: { authorization: signed.headers.authorization!, 'x-amz-date': signed.headers['x-amz-date']! }, body: '' });
    assert.equal(sigv4.status, 401, sigv4.text);
    const ok = await admin('GET', path, `Bearer ${ADMIN_TOKEN}`);
    assert.equal(ok.status, 200, ok.text);
    assert.equal((JSON.parse(ok.text) as { RequestToken: string }).RequestToken, token);
  });
});

interface Run {
  code: number | string | null;
  stdout: string;
  stderr: string;
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv, timeout = 60_000): Promise<Run> {
  return new Promise((resolve) => {
    execFile(command, args, { cwd: REPO_ROOT, env, timeout, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error ? ((error as { code?: number | string }).code ?? (error.killed ? 'timeout' : null)) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

const credEnv = (cred: TestCredential, overrides: Record<string, string | undefined> = {}) =>
  awsEnv({
    AWS_ACCESS_KEY_ID: cred.accessKeyId,
    AWS_SECRET_ACCESS_KEY: cred.secretAccessKey,
    AWS_SESSION_TOKEN: cred.sessionToken,
    AWS_MAX_ATTEMPTS: '1',
    ...overrides,
  });

describe('AWS CLI', { skip: skipIfMissing('awsCli'), concurrency: true }, () => {
  const aws = (env: NodeJS.ProcessEnv, ...args: string[]) => run('aws', [...args, '--endpoint-url', server.url, '--output', 'json'], env);

  test('aws sts get-caller-identity: an IAM user, an account root, temporary credentials', async () => {
    const [alice, bob, temp] = await Promise.all([aws(credEnv(ALICE), 'sts', 'get-caller-identity'), aws(credEnv(BOB), 'sts', 'get-caller-identity'), aws(credEnv(TEMP), 'sts', 'get-caller-identity')]);
    assert.equal(alice.code, 0, alice.stderr);
    assert.deepEqual(JSON.parse(alice.stdout), { UserId: (JSON.parse(alice.stdout) as { UserId: string }).UserId, Account: ACCOUNT_A, Arn: `arn:aws:iam::${ACCOUNT_A}:user/alice` });
    assert.match((JSON.parse(alice.stdout) as { UserId: string }).UserId, /^AIDA[A-Z0-9]{17}$/);
    assert.equal(bob.code, 0, bob.stderr);
    assert.deepEqual(JSON.parse(bob.stdout), { UserId: ACCOUNT_B, Account: ACCOUNT_B, Arn: `arn:aws:iam::${ACCOUNT_B}:root` });
    assert.equal(temp.code, 0, temp.stderr);
    const tempIdentity = JSON.parse(temp.stdout) as { Account: string; Arn: string };
    assert.equal(tempIdentity.Account, ACCOUNT_B);
    assert.equal(tempIdentity.Arn, `arn:aws:sts::${ACCOUNT_B}:assumed-role/ccapi/${TEMP.accessKeyId}`);
  });

  test('aws sts get-caller-identity with bad credentials: SignatureDoesNotMatch, InvalidClientTokenId', async () => {
    const [wrong, unknown, noToken] = await Promise.all([
      aws(credEnv(ALICE, { AWS_SECRET_ACCESS_KEY: 'wrong' }), 'sts', 'get-caller-identity'),
      aws(credEnv(UNKNOWN), 'sts', 'get-caller-identity'),
      aws(credEnv(TEMP, { AWS_SESSION_TOKEN: undefined }), 'sts', 'get-caller-identity'),
    ]);
    assert.equal(wrong.code, 255, wrong.stdout);
    assert.match(wrong.stderr, /An error occurred \(SignatureDoesNotMatch\) when calling the GetCallerIdentity operation/);
    assert.equal(unknown.code, 255, unknown.stdout);
    assert.match(unknown.stderr, /An error occurred \(InvalidClientTokenId\) when calling the GetCallerIdentity operation: The security token included in the request is invalid/);
    assert.equal(noToken.code, 255, noToken.stdout);
    assert.match(noToken.stderr, /An error occurred \(InvalidClientTokenId\)/);
  });

  test('aws cloudcontrol: good credentials pass; wrong secret and unknown key get their error codes', async () => {
    const [good, wrong, unknown] = await Promise.all([
      aws(credEnv(BOB), 'cloudcontrol', 'list-resource-requests'),
      aws(credEnv(BOB, { AWS_SECRET_ACCESS_KEY: 'wrong' }), 'cloudcontrol', 'list-resource-requests'),
      aws(credEnv(UNKNOWN), 'cloudcontrol', 'list-resource-requests'),
    ]);
    assert.equal(good.code, 0, good.stderr);
    assert.ok(Array.isArray((JSON.parse(good.stdout) as { ResourceRequestStatusSummaries: unknown[] }).ResourceRequestStatusSummaries));
    assert.equal(wrong.code, 255);
    assert.match(wrong.stderr, /An error occurred \(InvalidSignatureException\) when calling the ListResourceRequests operation: The request signature we calculated does not match/);
    assert.equal(unknown.code, 255);
    assert.match(unknown.stderr, /An error occurred \(UnrecognizedClientException\) when calling the ListResourceRequests operation/);
  });

  test('aws cloudcontrol create-resource and get-resource with good credentials', async () => {
    const name = uniqueName('cli-strict');
    const created = await aws(credEnv(ALICE), 'cloudcontrol', 'create-resource', '--type-name', LOG_GROUP, '--desired-state', JSON.stringify({ LogGroupName: name }));
    assert.equal(created.code, 0, created.stderr);
    const token = (JSON.parse(created.stdout) as { ProgressEvent: { RequestToken: string } }).ProgressEvent.RequestToken;
    await waitUntilResourceRequestSuccess({ client: client(ALICE), maxWaitTime: 30, minDelay: 1, maxDelay: 1 }, { RequestToken: token });
    const got = await aws(credEnv(ALICE), 'cloudcontrol', 'get-resource', '--type-name', LOG_GROUP, '--identifier', name);
    assert.equal(got.code, 0, got.stderr);
    const props = JSON.parse((JSON.parse(got.stdout) as { ResourceDescription: { Properties: string } }).ResourceDescription.Properties) as { Arn: string };
    assert.equal(props.Arn, `arn:aws:logs:us-east-1:${ACCOUNT_A}:log-group:${name}:*`);
  });
});

test('the boto3 strict-mode suite passes (strict_suite.py)', { skip: skipIfMissing('boto3') }, async (t) => {
  const suite = join(REPO_ROOT, 'test/e2e/clients/strict_suite.py');
  const env = awsEnv({
    CCAPI_ENDPOINT: server.url,
    CCAPI_ALICE: `${ALICE.accessKeyId}:${ALICE.secretAccessKey}:${ALICE.accountId}:${ALICE.userName}`,
    CCAPI_BOB: `${BOB.accessKeyId}:${BOB.secretAccessKey}:${BOB.accountId}`,
    CCAPI_TEMP: `${TEMP.accessKeyId}:${TEMP.secretAccessKey}:${TEMP.accountId}:${TEMP.sessionToken}`,
  });
  const { code, stdout, stderr } = await run('python3', [suite, '-v'], env, 120_000);
  const output = `${stdout}${stderr}`;
  const ran = /^Ran (\d+) tests? in ([\d.]+)s$/m.exec(output);
  if (ran) t.diagnostic(`strict_suite.py: ${ran[1]} Python tests in ${ran[2]} s`);
  assert.equal(code, 0, `strict_suite.py exited with ${String(code)}:\n${output}\n--- server log ---\n${server.stderr()}`);
  assert.ok(ran, `no unittest summary line:\n${output}`);
  assert.ok(Number(ran[1]) >= 14, `expected at least 14 Python tests, ran ${ran[1]}`);
  assert.match(output, /^OK$/m);
  assert.doesNotMatch(output, /\b(ERROR|FAIL):/, output);
});
