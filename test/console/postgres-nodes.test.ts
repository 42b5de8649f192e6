/**
 * The console's streams read the store, not the process: on a PostgreSQL cluster, a console open on one node
 * sees, live, the requests another node accepted and ran, and the timeline of one of them. No browser needed:
 * this reads the server-sent event stream the page reads.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { CreateResourceCommand, type CloudControlClient } from '@aws-sdk/client-cloudcontrol';
import { startServer, type ServerProcess } from '../support/server.js';
import { makeClient, uniqueName, waitForStatus } from '../e2e/support.js';
import { createTestDatabase } from '../multinode/support.js';

const { db, skip } = await createTestDatabase();

/** Reads a server-sent event stream until `done` accepts one of its events (or the deadline passes). */
async function streamUntil<T>(url: string, done: (value: T) => boolean, timeoutMs = 30_000): Promise<T> {
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), timeoutMs);
  try {
    const res = await fetch(url, { signal: abort.signal });
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^text\/event-stream/);
    const decoder = new TextDecoder();
    let buffer = '';
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      buffer += decoder.decode(chunk, { stream: true });
      for (let end = buffer.indexOf('\n\n'); end !== -1; end = buffer.indexOf('\n\n')) {
        const data = buffer.slice(0, end).split('\n').find((line) => line.startsWith('data: '));
        buffer = buffer.slice(end + 2);
        if (data === undefined) continue;
        const value = JSON.parse(data.slice(6)) as T;
        if (done(value)) return value;
      }
    }
    throw new Error('the stream ended');
  } finally {
    clearTimeout(timer);
    abort.abort();
  }
}

describe('the console on two PostgreSQL nodes', skip ? { skip } : {}, () => {
  let a: ServerProcess;
  let b: ServerProcess;
  let client: CloudControlClient;

  before(async () => {
    a = await startServer({ databaseFile: db!.url });
    b = await startServer({ databaseFile: db!.url });
    client = makeClient(a);
  });

  after(async () => {
    client?.destroy();
    await a?.stop();
    await b?.stop();
    await db?.drop();
  });

  test('a request accepted and run by node A shows in node B’s live list and timeline', async () => {
    type Page = { Requests: { RequestToken: string; OperationStatus: string }[] };
    // Open before the request exists: the request must arrive on the stream, not in its first answer.
    const seen = streamUntil<Page>(`${b.url}/_ccapi/console/api/stream/requests?type=AWS::Logs::LogGroup`, (p) =>
      p.Requests.some((r) => r.OperationStatus === 'SUCCESS' && r.RequestToken === token),
    );
    let token = '';
    const name = uniqueName('console-pg');
    const { ProgressEvent: e } = await client.send(new CreateResourceCommand({ TypeName: 'AWS::Logs::LogGroup', DesiredState: JSON.stringify({ LogGroupName: name }) }));
    token = e!.RequestToken!;
    assert.equal((await waitForStatus(client, token)).OperationStatus, 'SUCCESS');
    await seen;

    type View = { Request: { OperationStatus: string; Identifier: string }; Events: { Detail: string }[] } | null;
    const view = await streamUntil<View>(`${b.url}/_ccapi/console/api/stream/request?token=${token}`, (v) => v !== null);
    assert.equal(view!.Request.OperationStatus, 'SUCCESS');
    assert.equal(view!.Request.Identifier, name);
    assert.equal(view!.Events[0]!.Detail, 'accepted');
    assert.match(view!.Events.at(-1)!.Detail, /^handler step 1 returned SUCCESS \(ran \d+ ms\)$/);
  });
});
