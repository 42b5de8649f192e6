/**
 * End-to-end: request bodies over the limit, sent through a real client socket to a strict-mode server whose
 * limit comes from CCAPI_BODY_LIMIT (the environment form of `serve --body-limit`). An over-limit upload is
 * read to its end before it is answered, so the client always gets its 413 and then a clean close (FIN),
 * never a connection reset, however much it was still sending; with "Expect: 100-continue" it is refused
 * before it sends anything.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { connect } from 'node:net';
import { CreateResourceCommand, ListResourceRequestsCommand } from '@aws-sdk/client-cloudcontrol';
import { CLI, startServer, type ServerProcess } from '../../support/server.js';
import { expectError, UUID } from '../support.js';
import { ALICE, strictArgs, strictClient } from './support.js';

const LIMIT = 64 * 1024;
const TOO_LARGE = `{"__type":"com.amazon.coral.service#SerializationException","Message":"Request body exceeds the ${LIMIT} byte limit"}`;

let server: ServerProcess;

before(async () => {
  server = await startServer({ extraArgs: strictArgs(), env: { CCAPI_BODY_LIMIT: String(LIMIT) } });
});

after(async () => {
  await server?.stop();
});

interface Exchange {
  /** Every byte the server sent, as text. */
  received: string;
  status: number;
  headers: Record<string, string>;
  body: string;
  /** The server ended the connection with a FIN (not a reset). */
  endedCleanly: boolean;
  error?: string;
  bytesSent: number;
}

/**
 * One request on a fresh socket: the head, then the body in 16 KiB writes that respect backpressure, stopping
 * early if the server closes. Like botocore (urllib3), it reads nothing until it has sent everything: an
 * answer that arrives early waits in the socket, where a reset would destroy it. With `awaitContinue`, it
 * reads at once and sends the body only after an "HTTP/1.1 100 Continue".
 */
function exchange(head: string[], body: Buffer, options: { awaitContinue?: boolean; chunked?: boolean } = {}): Promise<Exchange> {
  return new Promise((resolve) => {
    const socket = connect(server.port, '127.0.0.1');
    let received = '';
    let endedCleanly = false;
    let error: string | undefined;
    let bytesSent = 0;
    let closed = false;
    const timer = setTimeout(() => socket.destroy(new Error('no answer within 20 s')), 20_000);

    const sendBody = async () => {
      for (let at = 0; at < body.length && !closed; at += 16 * 1024) {
        const piece = body.subarray(at, at + 16 * 1024);
        const frame = options.chunked ? Buffer.concat([Buffer.from(`${piece.length.toString(16)}\r\n`), piece, Buffer.from('\r\n')]) : piece;
        bytesSent += piece.length;
        if (!socket.write(frame)) await new Promise((r) => socket.once('drain', r).once('close', r));
      }
      if (options.chunked && !closed) socket.write('0\r\n\r\n');
      socket.resume();
    };

    socket.on('data', (d: Buffer) => {
      const before = received.length;
      received += d.toString('latin1');
      if (options.awaitContinue && before === 0 && received.startsWith('HTTP/1.1 100 Continue\r\n\r\n')) void sendBody();
    });
    socket.on('end', () => {
      endedCleanly = true;
      socket.end();
    });
    socket.on('error', (e: NodeJS.ErrnoException) => (error = e.code ?? e.message));
    socket.on('close', () => {
      closed = true;
      clearTimeout(timer);
      const final = received.replace(/^HTTP\/1\.1 100 Continue\r\n\r\n/, '');
      const at = final.indexOf('\r\n\r\n');
      const headers: Record<string, string> = {};
      for (const line of final.slice(0, at).split('\r\n').slice(1)) headers[line.slice(0, line.indexOf(':')).toLowerCase()] = line.slice(line.indexOf(':') + 1).trim();
      const out: Exchange = { received, status: Number(/^HTTP\/1\.1 (\d{3})/.exec(final)?.[1] ?? 0), headers, body: at === -1 ? '' : final.slice(at + 4), endedCleanly, bytesSent };
      if (error !== undefined) out.error = error;
      resolve(out);
    });
    if (!options.awaitContinue) socket.pause();
    const lengthLine = options.chunked ? 'Transfer-Encoding: chunked' : `Content-Length: ${body.length}`;
    socket.write(`${[...head, lengthLine].join('\r\n')}\r\n\r\n`);
    if (!options.awaitContinue) void sendBody();
  });
}

const HEAD = ['POST / HTTP/1.1', 'Host: 127.0.0.1', 'Content-Type: application/x-amz-json-1.0', 'X-Amz-Target: CloudApiService.ListResourceRequests'];

function assertTooLarge(x: Exchange, what: string) {
  assert.equal(x.error, undefined, `${what}: the client saw ${x.error} (after sending ${x.bytesSent} bytes; received ${JSON.stringify(x.received.slice(0, 200))})`);
  assert.equal(x.status, 413, `${what}: ${x.received.slice(0, 300)}`);
  assert.equal(x.body, TOO_LARGE, what);
  assert.equal(x.headers['content-type'], 'application/x-amz-json-1.0');
  assert.equal(x.headers.connection, 'close');
  assert.match(x.headers['x-amzn-requestid'] ?? '', UUID);
  assert.ok(x.endedCleanly, `${what}: the server must end the connection with a FIN after the answer`);
}

describe('over the limit', { concurrency: 1 }, () => {
  // Up to 12.5 MiB: past what the socket buffers absorb, under the 16 MiB the server reads through.
  for (const size of [LIMIT + 1, 2 * LIMIT, 8 * LIMIT, 200 * LIMIT]) {
    test(`a ${size}-byte upload gets its 413 and a clean close, every time (5 tries)`, async () => {
      for (let i = 0; i < 5; i++) {
        const x = await exchange(HEAD, Buffer.alloc(size, 0x61));
        assertTooLarge(x, `try ${i + 1}`);
        assert.equal(x.bytesSent, size, 'the whole upload was taken');
      }
    });
  }

  test('a chunked upload over the limit gets its 413 and a clean close', async () => {
    assertTooLarge(await exchange(HEAD, Buffer.alloc(5 * LIMIT, 0x61), { chunked: true }), 'chunked');
  });

  test('"Expect: 100-continue" with a declared length over the limit is refused before the body is sent', async () => {
    const x = await exchange([...HEAD, 'Expect: 100-continue'], Buffer.alloc(4 * LIMIT, 0x61), { awaitContinue: true });
    assert.doesNotMatch(x.received, /100 Continue/);
    assertTooLarge(x, 'expect 100-continue');
    assert.equal(x.bytesSent, 0, 'nothing of the body was sent');
  });

  test('the JS SDK gets SerializationException (HTTP 413) for a call over the limit', async () => {
    const c = strictClient(server, ALICE, { maxAttempts: 1 });
    try {
      await expectError(c.send(new CreateResourceCommand({ TypeName: 'AWS::Logs::LogGroup', DesiredState: JSON.stringify({ LogGroupName: 'x'.repeat(2 * LIMIT) }) })), {
        name: 'SerializationException',
        status: 413,
        message: `Request body exceeds the ${LIMIT} byte limit`,
      });
      // The same client still works: the server let go of that connection cleanly and kept serving.
      const ok = await c.send(new ListResourceRequestsCommand({}));
      assert.equal(ok.$metadata.httpStatusCode, 200);
    } finally {
      c.destroy();
    }
  });
});

describe('at or under the limit', { concurrency: 1 }, () => {
  test('a body of exactly the limit is read and judged for what it says (here: unsigned)', async () => {
    const x = await exchange([...HEAD, 'Connection: close'], Buffer.alloc(LIMIT, 0x61));
    assert.equal(x.error, undefined);
    assert.equal(x.status, 400, x.received.slice(0, 300));
    assert.match(x.body, /#MissingAuthenticationTokenException"/);
  });

  test('"Expect: 100-continue" under the limit is told to continue', async () => {
    const x = await exchange([...HEAD, 'Expect: 100-continue', 'Connection: close'], Buffer.from('{}'), { awaitContinue: true });
    assert.match(x.received, /^HTTP\/1\.1 100 Continue\r\n\r\n/);
    assert.equal(x.status, 400, x.received.slice(0, 300));
    assert.match(x.body, /#MissingAuthenticationTokenException"/);
  });
});

test('serve --body-limit must be a whole, positive number of bytes', async () => {
  for (const value of ['1.5', '0', 'lots']) {
    const { code, stderr } = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
      execFile(process.execPath, [CLI, 'serve', '--port', '0', '--database', ':memory:', '--body-limit', value], { timeout: 20_000 }, (err, _stdout, stderr) =>
        resolve({ code: err ? ((err as { code?: number }).code ?? null) : 0, stderr }),
      );
    });
    assert.notEqual(code, 0, `--body-limit ${value} was accepted`);
    assert.match(stderr, /body-limit|bytes|positive/, `--body-limit ${value}: ${stderr}`);
  }
});
