/**
 * End-to-end, the access log (#16 part 1) as its reader meets it: lines on a real `ccapi serve` process's
 * stderr after real SDK calls, in JSON and in the pretty format, at the default level (info).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { CreateResourceCommand, GetResourceCommand, GetResourceRequestStatusCommand } from '@aws-sdk/client-cloudcontrol';
import { eventually, startServer, type ServerProcess } from '../support/server.js';
import { countStatusPolls, makeClient, waitForStatus } from './support.js';

interface Entry {
  level: number;
  msg: string;
  call?: { operation: string; typeName?: string; identifier?: string; requestToken?: string; outcome: string; httpStatus: number; ms: number };
  change?: { requestToken: string; typeName: string; operation: string; from: string | null; to: string; step: number; errorCode?: string };
  polls?: { requestToken: string; count: number; meanMs: number; maxMs: number; errors?: Record<string, number> };
}

/** The JSON lines of a server's stderr (every line must be one). */
function entries(server: ServerProcess): Entry[] {
  return server
    .stderr()
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      try {
        return JSON.parse(line) as Entry;
      } catch {
        throw new Error(`a stderr line that is not JSON: ${line}`);
      }
    });
}

const INFO = ['--log-level', 'info'];

describe('access log, JSON (the default when stderr is not a terminal)', () => {
  let server: ServerProcess;
  before(async () => (server = await startServer({ extraArgs: INFO })));
  after(() => server.stop());

  test('one line per call and per status change; status polls of a token: the first at once, the rest summarised', async () => {
    const client = makeClient(server);
    const polls = countStatusPolls(client);
    const name = `access-log-${Date.now()}`;
    const created = await client.send(new CreateResourceCommand({ TypeName: 'AWS::Logs::LogGroup', DesiredState: JSON.stringify({ LogGroupName: name }) }));
    const token = created.ProgressEvent!.RequestToken!;
    await waitForStatus(client, token, 'SUCCESS');
    for (let i = 0; i < 4; i++) await client.send(new GetResourceRequestStatusCommand({ RequestToken: token }));
    await assert.rejects(client.send(new GetResourceCommand({ TypeName: 'AWS::Logs::LogGroup', Identifier: `${name}-missing` })));

    // Lines are written off the call's path: wait for the last call's line to appear.
    await eventually(async () => (entries(server).some((e) => e.call?.operation === 'GetResource') ? true : undefined));
    const all = entries(server);
    const create = all.find((e) => e.call?.operation === 'CreateResource');
    assert.ok(create, `a CreateResource line; stderr:\n${server.stderr()}`);
    assert.equal(create.level, 30, 'at info');
    assert.equal(create.call!.typeName, 'AWS::Logs::LogGroup');
    assert.equal(create.call!.identifier, name);
    assert.equal(create.call!.requestToken, token);
    assert.equal(create.call!.outcome, 'OK');
    assert.equal(create.call!.httpStatus, 200);
    assert.ok(typeof create.call!.ms === 'number' && create.call!.ms >= 0);
    assert.match(create.msg, new RegExp(`^CreateResource AWS::Logs::LogGroup ${name} token ${token} → OK [\\d.]+ ms$`));

    const missing = all.find((e) => e.call?.operation === 'GetResource')!;
    assert.equal(missing.call!.outcome, 'ResourceNotFoundException');
    assert.equal(missing.call!.identifier, `${name}-missing`);

    const changes = all.filter((e) => e.change?.requestToken === token).map((e) => [e.change!.from, e.change!.to, e.change!.step]);
    assert.deepEqual(changes, [
      [null, 'IN_PROGRESS', 0],
      ['IN_PROGRESS', 'SUCCESS', 1],
    ]);
    const success = all.find((e) => e.change?.to === 'SUCCESS' && e.change.requestToken === token)!;
    assert.equal(success.msg, `request ${token} CREATE AWS::Logs::LogGroup: IN_PROGRESS → SUCCESS (step 1)`);

    const pollLines = all.filter((e) => e.call?.operation === 'GetResourceRequestStatus' && e.call.requestToken === token);
    assert.equal(pollLines.length, 1, 'only the first poll of a token has a line of its own');
    // At shutdown the polls since the last summary are summarised: every poll is in a line or a summary.
    await server.stop();
    const summarised = entries(server)
      .filter((e) => e.polls?.requestToken === token)
      .reduce((n, e) => n + e.polls!.count, 0);
    assert.equal(pollLines.length + summarised, polls.count, `every poll accounted for; stderr:\n${server.stderr()}`);
    assert.ok(summarised >= 4);
  });
});

describe('access log, pretty', () => {
  let server: ServerProcess;
  before(async () => (server = await startServer({ extraArgs: [...INFO, '--log-format', 'pretty'] })));
  after(() => server.stop());

  test('one readable line per call and per status change, no colour when stderr is not a terminal', async () => {
    const client = makeClient(server);
    const name = `access-log-pretty-${Date.now()}`;
    const created = await client.send(new CreateResourceCommand({ TypeName: 'AWS::Logs::LogGroup', DesiredState: JSON.stringify({ LogGroupName: name }) }));
    const token = created.ProgressEvent!.RequestToken!;
    await waitForStatus(client, token, 'SUCCESS');
    const lines = await eventually(async () => {
      const text = server.stderr();
      return text.includes(`IN_PROGRESS → SUCCESS`) && text.includes('CreateResource') ? text.split('\n') : undefined;
    });
    assert.ok(!server.stderr().includes('\u001b['), 'no ANSI colour codes in a pipe');
    const time = '\\d\\d:\\d\\d:\\d\\d\\.\\d{3}';
    assert.ok(
      lines.some((l) => new RegExp(`^${time} INFO  CreateResource AWS::Logs::LogGroup ${name} token ${token} → OK [\\d.]+ ms$`).test(l)),
      `a CreateResource line; stderr:\n${server.stderr()}`,
    );
    assert.ok(lines.some((l) => new RegExp(`^${time} INFO  request ${token} CREATE AWS::Logs::LogGroup: accepted → IN_PROGRESS \\(step 0\\)$`).test(l)));
    assert.ok(lines.some((l) => new RegExp(`^${time} INFO  request ${token} CREATE AWS::Logs::LogGroup: IN_PROGRESS → SUCCESS \\(step 1\\)$`).test(l)));
    assert.ok(!lines.some((l) => l.startsWith('{')), 'no JSON lines');
  });
});
