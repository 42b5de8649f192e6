/**
 * End-to-end, strict mode: what a signature must cover. A captured (or presigned) request cannot be replayed
 * as another operation (X-Amz-Target unsigned), against another resource (a body the signature does not cover:
 * UNSIGNED-PAYLOAD), or as another query-protocol Action; the clients that sign everything still pass.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateResourceCommand,
  GetResourceCommand,
  ListResourceRequestsCommand,
  waitUntilResourceRequestSuccess,
  type CloudControlClient,
} from '@aws-sdk/client-cloudcontrol';
import { startServer, type ServerProcess } from '../../support/server.js';
import { uniqueName } from '../support.js';
import { ALICE, TEMP, handPresign, handSigned, jsonErrorCode, send, signRequest, strictArgs, strictClient, xmlError, type RawRequest, type TestCredential } from './support.js';

const LOG_GROUP = 'AWS::Logs::LogGroup';
const GET = 'CloudApiService.GetResource';
const DELETE = 'CloudApiService.DeleteResource';

let server: ServerProcess;
const clients: CloudControlClient[] = [];

before(async () => {
  server = await startServer({ extraArgs: strictArgs() });
});

after(async () => {
  for (const c of clients) c.destroy();
  await server?.stop();
});

function client(cred: TestCredential): CloudControlClient {
  const c = strictClient(server, cred);
  clients.push(c);
  return c;
}

/** A log group created (and waited for) through the JS SDK; returns its name. */
async function createLogGroup(cred: TestCredential = ALICE): Promise<string> {
  const name = uniqueName('signed');
  const c = client(cred);
  const { ProgressEvent: created } = await c.send(new CreateResourceCommand({ TypeName: LOG_GROUP, DesiredState: JSON.stringify({ LogGroupName: name }) }));
  await waitUntilResourceRequestSuccess({ client: c, maxWaitTime: 30, minDelay: 1, maxDelay: 1 }, { RequestToken: created!.RequestToken! });
  return name;
}

const resourceBody = (name: string) => JSON.stringify({ TypeName: LOG_GROUP, Identifier: name });

/** The request must be refused with a JSON 1.0 authentication error; returns its code and message. */
async function refused(req: RawRequest, code: string, message?: string | RegExp) {
  const res = await send(server, req);
  assert.equal(res.status, 400, `expected 400 ${code}, got ${res.status}: ${res.text}`);
  const error = jsonErrorCode(res);
  assert.equal(error.code, code, res.text);
  if (typeof message === 'string') assert.equal(error.message, message);
  else if (message) assert.match(error.message, message);
  return error;
}

/** The log group is still there, and no DeleteResource request was ever accepted for it. */
async function stillThere(name: string, cred: TestCredential = ALICE) {
  const c = client(cred);
  const { ResourceDescription } = await c.send(new GetResourceCommand({ TypeName: LOG_GROUP, Identifier: name }));
  assert.equal(ResourceDescription!.Identifier, name);
  const { ResourceRequestStatusSummaries } = await c.send(new ListResourceRequestsCommand({ ResourceRequestStatusFilter: { Operations: ['DELETE'] } }));
  assert.deepEqual(ResourceRequestStatusSummaries!.filter((s) => s.Identifier === name), [], 'a DeleteResource was accepted for it');
}

describe('X-Amz-Target must be signed', { concurrency: true }, () => {
  test('a GetResource signed over host;x-amz-date only, replayed as DeleteResource → 400 InvalidSignatureException; nothing deleted', async () => {
    const name = await createLogGroup();
    const get = handSigned(server, ALICE, { target: GET, body: resourceBody(name), signedHeaders: ['host', 'x-amz-date'] });
    const replay = { ...get, headers: { ...get.headers, 'x-amz-target': DELETE } };
    await refused(replay, 'InvalidSignatureException', "'x-amz-target' must be a 'SignedHeader' in the AWS Authorization.");
    // The read itself is refused too: nothing signed that way is accepted.
    await refused(get, 'InvalidSignatureException', "'x-amz-target' must be a 'SignedHeader' in the AWS Authorization.");
    await stillThere(name);
  });

  test('a presigned GetResource whose X-Amz-SignedHeaders leave out x-amz-target, replayed as DeleteResource → refused; nothing deleted', async () => {
    const name = await createLogGroup();
    const get = handPresign(server, ALICE, { expires: '300', target: GET, body: resourceBody(name), signedHeaders: ['host'] });
    await refused({ ...get, headers: { ...get.headers, 'x-amz-target': DELETE } }, 'InvalidSignatureException', "'x-amz-target' must be a 'SignedHeader' in the AWS Authorization.");
    await stillThere(name);
  });

  test('with X-Amz-Target signed, the same replay is a signature mismatch; the read itself passes', async () => {
    const name = await createLogGroup();
    const get = handSigned(server, ALICE, { target: GET, body: resourceBody(name), signedHeaders: ['host', 'x-amz-date', 'x-amz-target'] });
    await refused({ ...get, headers: { ...get.headers, 'x-amz-target': DELETE } }, 'InvalidSignatureException', /^The request signature we calculated does not match/);
    const ok = await send(server, get);
    assert.equal(ok.status, 200, ok.text);
    await stillThere(name);
  });
});

describe('the other headers AWS wants signed', { concurrency: true }, () => {
  test('host unsigned → 400 InvalidSignatureException (as DynamoDB answers it)', async () => {
    const req = handSigned(server, ALICE, { target: 'CloudApiService.ListResourceRequests', body: '{}', signedHeaders: ['x-amz-date', 'x-amz-target'] });
    await refused(req, 'InvalidSignatureException', "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.");
  });

  test('x-amz-date unsigned (Authorization header) → 400 InvalidSignatureException', async () => {
    const req = handSigned(server, ALICE, { target: 'CloudApiService.ListResourceRequests', body: '{}', signedHeaders: ['host', 'x-amz-target'] });
    await refused(req, 'InvalidSignatureException', "'x-amz-date' must be a 'SignedHeader' in the AWS Authorization.");
  });

  test('a session token added after signing, and an unsigned Content-Type, are accepted (AWS test suite: post-sts-header-after)', async () => {
    const req = handSigned(server, TEMP, { target: 'CloudApiService.ListResourceRequests', body: '{}', signedHeaders: ['host', 'x-amz-date', 'x-amz-target'] });
    assert.ok(req.headers['x-amz-security-token'], 'the token is sent, unsigned');
    const res = await send(server, req);
    assert.equal(res.status, 200, res.text);
  });
});

describe('the body must be covered (no UNSIGNED-PAYLOAD on a JSON or query API)', { concurrency: true }, () => {
  test('a presigned DeleteResource signed with UNSIGNED-PAYLOAD cannot be pointed at another resource', async () => {
    const [mine, other] = await Promise.all([createLogGroup(), createLogGroup()]);
    const del = handPresign(server, ALICE, { expires: '300', target: DELETE, body: resourceBody(mine), payloadHash: 'UNSIGNED-PAYLOAD' });
    await refused({ ...del, body: resourceBody(other), headers: { ...del.headers, 'content-length': String(Buffer.byteLength(resourceBody(other))) } }, 'InvalidSignatureException');
    await stillThere(other);
    // Nor is it accepted with the body it was made for: the payload line is always the body's hash.
    await refused(del, 'InvalidSignatureException');
    await stillThere(mine);
  });

  test('an Authorization-signed request with a signed x-amz-content-sha256: UNSIGNED-PAYLOAD cannot swap its body', async () => {
    const [mine, other] = await Promise.all([createLogGroup(), createLogGroup()]);
    const del = handSigned(server, ALICE, { target: DELETE, body: resourceBody(mine), payloadHash: 'UNSIGNED-PAYLOAD', contentSha256: 'UNSIGNED-PAYLOAD' });
    await refused({ ...del, body: resourceBody(other), headers: { ...del.headers, 'content-length': String(Buffer.byteLength(resourceBody(other))) } }, 'InvalidSignatureException');
    await stillThere(other);
  });

  test('a presigned JSON request from @smithy/signature-v4 (body hash signed) passes; with another body it does not', async () => {
    const name = await createLogGroup();
    const get = await signRequest(server, { presign: true, target: GET, body: resourceBody(name) });
    assert.match(get.path, /X-Amz-SignedHeaders=[^&]*x-amz-target/, 'the SDK signer presigns X-Amz-Target when it stays a header');
    const ok = await send(server, get);
    assert.equal(ok.status, 200, ok.text);
    const swapped = resourceBody(`${name}-x`);
    await refused({ ...get, body: swapped, headers: { ...get.headers, 'content-length': String(Buffer.byteLength(swapped)) } }, 'InvalidSignatureException');
  });
});

describe('query protocol: the Action cannot be swapped', { concurrency: true }, () => {
  const cfn = { target: null, service: 'cloudformation' } as const;
  const listTypes: [string, string][] = [
    ['Action', 'ListTypes'],
    ['Version', '2010-05-15'],
  ];
  const describeType = 'Action=DescribeType&Version=2010-05-15&Type=RESOURCE&TypeName=AWS%3A%3ALogs%3A%3ALogGroup';

  test('a presigned ListTypes (Action in the URL, UNSIGNED-PAYLOAD) sent with a DescribeType body → 403 SignatureDoesNotMatch', async () => {
    const presigned = handPresign(server, ALICE, { ...cfn, expires: '300', body: '', query: listTypes, payloadHash: 'UNSIGNED-PAYLOAD' });
    const res = await send(server, { ...presigned, body: describeType, headers: { ...presigned.headers, 'content-length': String(describeType.length) } });
    assert.equal(res.status, 403, res.text);
    assert.equal(xmlError(res.text).code, 'SignatureDoesNotMatch', res.text);
  });

  test('a presigned ListTypes signed over its (empty) body passes, and a body added to it does not', async () => {
    const presigned = handPresign(server, ALICE, { ...cfn, expires: '300', body: '', query: listTypes });
    const ok = await send(server, presigned);
    assert.equal(ok.status, 200, ok.text);
    assert.match(ok.text, /<ListTypesResponse/);
    const res = await send(server, { ...presigned, body: describeType, headers: { ...presigned.headers, 'content-length': String(describeType.length) } });
    assert.equal(res.status, 403, res.text);
    assert.equal(xmlError(res.text).code, 'SignatureDoesNotMatch', res.text);
  });

  test('a query request needs no X-Amz-Target: signed over host;x-amz-date it passes; its Action swapped in the body → 403', async () => {
    const body = 'Action=ListTypes&Version=2010-05-15';
    const req = handSigned(server, ALICE, { ...cfn, body, signedHeaders: ['host', 'x-amz-date'] });
    const ok = await send(server, req);
    assert.equal(ok.status, 200, ok.text);
    const res = await send(server, { ...req, body: describeType, headers: { ...req.headers, 'content-length': String(describeType.length) } });
    assert.equal(res.status, 403, res.text);
    assert.equal(xmlError(res.text).code, 'SignatureDoesNotMatch', res.text);
  });

  test('x-amz-date unsigned on the query protocol → 403 SignatureDoesNotMatch', async () => {
    const req = handSigned(server, ALICE, { ...cfn, body: 'Action=ListTypes&Version=2010-05-15', signedHeaders: ['host'] });
    const res = await send(server, req);
    assert.equal(res.status, 403, res.text);
    const error = xmlError(res.text);
    assert.equal(error.code, 'SignatureDoesNotMatch', res.text);
    assert.equal(error.message, "'x-amz-date' must be a 'SignedHeader' in the AWS Authorization.");
  });
});
