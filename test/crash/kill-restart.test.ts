/**
 * Durability: a request acknowledged to a client survives `kill -9`. Requests in flight when the server is
 * killed continue after restart and complete; nothing acknowledged is lost.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CloudControlClient, CreateResourceCommand, GetResourceCommand, GetResourceRequestStatusCommand } from '@aws-sdk/client-cloudcontrol';
import { eventually, startServer } from '../support/server.js';

const client = (url: string) =>
  new CloudControlClient({ endpoint: url, region: 'us-east-1', credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'secret' }, maxAttempts: 1 });

test('requests in flight at SIGKILL complete after restart', async () => {
  // Every create is held IN_PROGRESS for 1.5 s, so the kill lands while all of them are in flight.
  const faults = { rules: [{ typeName: 'AWS::Logs::LogGroup', operation: 'CREATE', delayMs: 1500 }] };
  const first = await startServer({ faults });
  const names = Array.from({ length: 20 }, (_, i) => `crash-${i}`);
  const tokens: string[] = [];
  try {
    const cc = client(first.url);
    for (const name of names) {
      const out = await cc.send(new CreateResourceCommand({ TypeName: 'AWS::Logs::LogGroup', DesiredState: JSON.stringify({ LogGroupName: name }) }));
      assert.equal(out.ProgressEvent?.OperationStatus, 'IN_PROGRESS');
      tokens.push(out.ProgressEvent!.RequestToken!);
    }
    cc.destroy();
  } finally {
    await first.stop('SIGKILL');
  }
  assert.equal(first.child.signalCode, 'SIGKILL');

  // The restarted server has no fault rules: the persisted plan (the 1.5 s delay) still applies, then the work completes.
  const second = await startServer({ databaseFile: first.databaseFile });
  try {
    const cc = client(second.url);
    for (const token of tokens) {
      const event = await eventually(async () => {
        const out = await cc.send(new GetResourceRequestStatusCommand({ RequestToken: token }));
        return out.ProgressEvent?.OperationStatus === 'SUCCESS' ? out.ProgressEvent : undefined;
      }, 15_000);
      assert.equal(event.Operation, 'CREATE');
    }
    for (const name of names) {
      const got = await cc.send(new GetResourceCommand({ TypeName: 'AWS::Logs::LogGroup', Identifier: name }));
      assert.equal(JSON.parse(got.ResourceDescription!.Properties!).LogGroupName, name);
    }
    cc.destroy();
  } finally {
    assert.equal(await second.stop(), 0, `clean shutdown\n${second.stderr()}`);
  }
});

test('a second server on the same database file is refused with a clear message', async () => {
  const first = await startServer();
  try {
    await assert.rejects(startServer({ databaseFile: first.databaseFile }), /in use by another process/);
  } finally {
    await first.stop();
  }
});
