/**
 * HTTP edge cases over raw sockets against a real `ccapi serve`: pipelined requests ahead of a malformed
 * one each get their answer in order, a request without Host gets AWS's error shape, and the connection cap
 * (`--max-connections`) answers the connection past it with a 503 a client understands.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { connect, type Socket } from 'node:net';
import { GetResourceCommand, type CloudControlClient } from '@aws-sdk/client-cloudcontrol';
import { eventually, startServer, type ServerProcess } from '../support/server.js';
import { expectError, makeClient, uniqueName, waitForStatus } from '../e2e/support.js';

/** Only catches hangs: every wait below ends on an event long before this. */
const HANG_MS = 20_000;
const JSON_10 = 'application/x-amz-json-1.0';

interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** Splits complete HTTP/1.1 responses (content-length framed, as ccapi always sends) off the front of `text`. */
function takeResponse(text: string): { response: RawResponse; rest: string } | undefined {
  const end = text.indexOf('\r\n\r\n');
  if (end === -1) return undefined;
  const [statusLine = '', ...lines] = text.slice(0, end).split('\r\n');
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  const length = Number(headers['content-length'] ?? 0);
  const bodyStart = end + 4;
  if (Buffer.byteLength(text.slice(bodyStart), 'latin1') < length) return undefined;
  const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(statusLine)?.[1] ?? NaN);
  return { response: { status, headers, body: text.slice(bodyStart, bodyStart + length) }, rest: text.slice(bodyStart + length) };
}

/** One raw TCP connection: write bytes, read responses one by one, see when the server closes it. */
class RawConnection {
  private text = '';
  private wake: (() => void) | undefined;
  closed = false;

  private constructor(readonly socket: Socket) {
    socket.on('data', (d: Buffer) => {
      this.text += d.toString('latin1');
      this.wake?.();
    });
    socket.on('error', () => undefined); // a reset shows up as 'close'
    socket.on('close', () => {
      this.closed = true;
      this.wake?.();
    });
  }

  static open(port: number): Promise<RawConnection> {
    return new Promise((resolve, reject) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => resolve(new RawConnection(socket)));
      socket.once('error', reject);
    });
  }

  send(bytes: string): void {
    this.socket.write(bytes, 'latin1');
  }

  /** Waits until `ready` holds (checked after every chunk and on close); fails only on a hang. */
  private async until<T>(ready: () => T | undefined, what: string): Promise<T> {
    const deadline = Date.now() + HANG_MS;
    for (;;) {
      const value = ready();
      if (value !== undefined) return value;
      if (Date.now() > deadline) throw new Error(`no ${what} within ${HANG_MS} ms; received ${JSON.stringify(this.text)}`);
      await new Promise<void>((resolve) => {
        this.wake = resolve;
        setTimeout(resolve, 200).unref();
      });
    }
  }

  /** The next complete response; an error if the server closes first. */
  async response(): Promise<RawResponse> {
    return this.until(() => {
      const taken = takeResponse(this.text);
      if (taken) {
        this.text = taken.rest;
        return taken.response;
      }
      if (this.closed) throw new Error(`the server closed the connection with no (further) response; left over: ${JSON.stringify(this.text)}`);
      return undefined;
    }, 'response');
  }

  /** Waits for the server to close; returns whatever arrived and was not read as a response. */
  async close(): Promise<string> {
    await this.until(() => (this.closed ? true : undefined), 'close');
    return this.text;
  }

  destroy(): void {
    this.socket.destroy();
  }
}

/** A raw AWS JSON 1.0 call; `host: null` leaves the Host header out. */
function jsonRequest(operation: string, input: unknown, host: string | null = '127.0.0.1'): string {
  const body = JSON.stringify(input);
  const hostLine = host === null ? '' : `Host: ${host}\r\n`;
  return `POST / HTTP/1.1\r\n${hostLine}X-Amz-Target: CloudApiService.${operation}\r\nContent-Type: ${JSON_10}\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
}

function assertAwsError(response: RawResponse, status: number, code: string): { Message: string } {
  assert.equal(response.status, status, JSON.stringify(response));
  assert.equal(response.headers['content-type'], JSON_10, JSON.stringify(response));
  assert.match(response.headers['x-amzn-requestid'] ?? '', /^[0-9a-f-]{36}$/, JSON.stringify(response));
  const error = JSON.parse(response.body) as { __type?: string; Message?: unknown };
  assert.match(error.__type ?? '', new RegExp(`#${code}$`), response.body);
  assert.equal(typeof error.Message, 'string', response.body);
  return error as { Message: string };
}

let server: ServerProcess;
let client: CloudControlClient;

before(async () => {
  server = await startServer();
  client = makeClient(server);
});

after(async () => {
  client?.destroy();
  await server?.stop();
});

test('pipelined: three creates then a malformed request get three 200s in order, then the 400, then close', async () => {
  const names = [uniqueName('pipe-a'), uniqueName('pipe-b'), uniqueName('pipe-c')];
  const creates = names.map((name) => jsonRequest('CreateResource', { TypeName: 'AWS::Logs::LogGroup', DesiredState: JSON.stringify({ LogGroupName: name }) }));
  const connection = await RawConnection.open(server.port);
  connection.send(creates.join('') + 'GARBAGE\r\n\r\n');

  const tokens: string[] = [];
  for (const name of names) {
    const response = await connection.response();
    assert.equal(response.status, 200, `the create of ${name} gets its own answer: ${JSON.stringify(response)}`);
    const { ProgressEvent: event } = JSON.parse(response.body) as { ProgressEvent: { RequestToken: string; Operation: string } };
    assert.equal(event.Operation, 'CREATE');
    tokens.push(event.RequestToken);
    // In order: this answer is for this create (its request names this log group).
    const done = await waitForStatus(client, event.RequestToken);
    assert.equal(done.OperationStatus, 'SUCCESS', JSON.stringify(done));
    assert.equal(done.Identifier, name, 'responses arrive in the order of the requests');
  }
  assert.equal(new Set(tokens).size, 3, `three distinct request tokens: ${tokens.join(', ')}`);
  const refused = await connection.response();
  assertAwsError(refused, 400, 'SerializationException');
  assert.equal(refused.headers.connection, 'close');
  assert.equal(await connection.close(), '', 'nothing after the 400');
});

test('pipelined: a malformed request first gets its 400 at once, and what follows it is never run', async () => {
  const name = uniqueName('after-garbage');
  const connection = await RawConnection.open(server.port);
  connection.send('GARBAGE\r\n\r\n' + jsonRequest('CreateResource', { TypeName: 'AWS::Logs::LogGroup', DesiredState: JSON.stringify({ LogGroupName: name }) }));
  assertAwsError(await connection.response(), 400, 'SerializationException');
  assert.equal(await connection.close(), '');
  await expectError(client.send(new GetResourceCommand({ TypeName: 'AWS::Logs::LogGroup', Identifier: name })), { name: 'ResourceNotFoundException' });
});

test('pipelined: a keep-alive connection answers every request in order (no malformed one)', async () => {
  const connection = await RawConnection.open(server.port);
  connection.send([1, 2, 3].map((n) => jsonRequest('ListResourceRequests', { MaxResults: n })).join(''));
  for (let i = 0; i < 3; i++) assert.equal((await connection.response()).status, 200);
  connection.destroy();
});

test('an HTTP/1.1 request without Host gets a 400 in the AWS error shape', async () => {
  const connection = await RawConnection.open(server.port);
  connection.send(jsonRequest('ListResourceRequests', {}, null));
  const response = await connection.response();
  const { Message } = assertAwsError(response, 400, 'SerializationException');
  assert.match(Message, /Host/);
  await connection.close();
});

test('an HTTP/1.0 request needs no Host', async () => {
  const connection = await RawConnection.open(server.port);
  connection.send(jsonRequest('ListResourceRequests', {}, null).replace('HTTP/1.1', 'HTTP/1.0'));
  assert.equal((await connection.response()).status, 200);
  await connection.close();
});

test('--max-connections: the connection past the cap gets 503 ServiceUnavailable and is closed; once one closes, a new one is served', async (t) => {
  const capped = await startServer({ extraArgs: ['--max-connections', '2'] });
  const open: RawConnection[] = [];
  try {
    // Each answered request proves the server accepted (and counts) that connection.
    for (let i = 0; i < 2; i++) {
      const connection = await RawConnection.open(capped.port);
      open.push(connection);
      connection.send(jsonRequest('ListResourceRequests', {}));
      assert.equal((await connection.response()).status, 200);
    }
    const third = await RawConnection.open(capped.port);
    third.send(jsonRequest('ListResourceRequests', {}));
    const refused = await third.response();
    const { Message } = assertAwsError(refused, 503, 'ServiceUnavailable');
    t.diagnostic(`past the cap: ${refused.status} ${Message}`);
    assert.equal(refused.headers.connection, 'close');
    assert.equal(await third.close(), '');
    // The connections within the cap keep working.
    open[0]!.send(jsonRequest('ListResourceRequests', {}));
    assert.equal((await open[0]!.response()).status, 200);

    open.shift()!.destroy();
    // The server sees the close a moment later: poll until a new connection is served.
    const status = await eventually(async () => {
      const next = await RawConnection.open(capped.port);
      next.send(jsonRequest('ListResourceRequests', {}));
      const response = await next.response();
      next.destroy();
      return response.status === 200 ? response.status : undefined;
    });
    assert.equal(status, 200);
    const warnings = capped.stderr().split('\n').filter((line) => /"level":40/.test(line) && /connection limit/.test(line));
    assert.equal(warnings.length, 1, `one warning for the burst:\n${capped.stderr()}`);
  } finally {
    for (const connection of open) connection.destroy();
    await capped.stop();
  }
});

test('--max-connections: past the cap plus its headroom of 64, a new connection is closed unanswered', async () => {
  const capped = await startServer({ extraArgs: ['--max-connections', '1'] });
  const open: RawConnection[] = [];
  try {
    const served = await RawConnection.open(capped.port);
    open.push(served);
    served.send(jsonRequest('ListResourceRequests', {}));
    assert.equal((await served.response()).status, 200);
    // 64 connections past the cap that have not sent their request yet: each holds a slot of the headroom.
    // The server accepts connections in the order they were made, so all of them count before the next.
    for (let i = 0; i < 64; i++) open.push(await RawConnection.open(capped.port));
    const dropped = await RawConnection.open(capped.port);
    dropped.send(jsonRequest('ListResourceRequests', {}));
    assert.equal(await dropped.close(), '', 'closed with no answer');
    // One of the headroom connections still gets its 503.
    open[1]!.send(jsonRequest('ListResourceRequests', {}));
    assertAwsError(await open[1]!.response(), 503, 'ServiceUnavailable');
  } finally {
    for (const connection of open) connection.destroy();
    await capped.stop();
  }
});

test('--max-connections rejects a value that is not a positive whole number', async () => {
  await assert.rejects(startServer({ extraArgs: ['--max-connections', '0'] }), /--max-connections: expected a positive whole number, got 0/);
});

/** Posts `body` with node's HTTP client (which writes the whole body while reading the answer). */
function postWithNodeClient(port: number, headers: Record<string, string>, body: Buffer): Promise<string> {
  return new Promise((resolve) => {
    const req = httpRequest({ host: '127.0.0.1', port, method: 'POST', path: '/', headers: { ...headers, 'content-length': String(body.length) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve(`${res.statusCode} ${Buffer.concat(chunks).toString('utf8')}`));
      res.on('error', (e) => resolve(`response error ${(e as NodeJS.ErrnoException).code ?? e.message}`));
    });
    req.on('error', (e) => resolve(`request error ${(e as NodeJS.ErrnoException).code ?? e.message}`));
    req.end(body);
  });
}

test('a request with over-size headers and a large body still gets its 431, never a reset while it uploads', async () => {
  // The server cannot parse such a request, so it answers and closes; reading on (and dropping) what the client
  // is still sending, for a bounded while, is what keeps the kernel from resetting the connection under the answer.
  const headers = { 'x-amz-target': 'CloudApiService.GetResource', 'content-type': JSON_10, 'x-long-header': 'v'.repeat(20_000) };
  const body = Buffer.from(JSON.stringify({ TypeName: 'AWS::Logs::LogGroup', Identifier: 'a'.repeat(4_000_000) }));
  const outcomes: string[] = [];
  for (let i = 0; i < 8; i++) outcomes.push(await postWithNodeClient(server.port, headers, body));
  for (const outcome of outcomes) {
    assert.match(outcome, /^431 \{"__type":"[^"]*SerializationException","Message":"Request headers exceed 16384 bytes"\}$/, outcomes.join('\n'));
  }
  // And the server is still serving.
  await expectError(client.send(new GetResourceCommand({ TypeName: 'AWS::Logs::LogGroup', Identifier: uniqueName('absent') })), { name: 'ResourceNotFoundException' });
});
