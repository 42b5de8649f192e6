/**
 * The client commands (`ccapi requests|resources|faults|reset`) run as processes against a real server
 * process, as a user runs them: in open mode (any credentials, or none) and in strict mode (SigV4 with the
 * usual AWS credential chain, the admin token for /_ccapi routes). Also: a command whose reader goes away
 * (`ccapi types ls | head -1`) ends quietly.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CancelResourceRequestCommand, CreateResourceCommand, DeleteResourceCommand, type CloudControlClient } from '@aws-sdk/client-cloudcontrol';
import { startServer, type ServerProcess } from '../support/server.js';
import { makeClient, waitForStatus } from '../e2e/support.js';
import { ACCOUNT_A, ACCOUNT_B, ADMIN_TOKEN, ALICE, BOB, strictArgs, strictClient } from '../e2e/strict/support.js';
import { CLI, cleanEnv, runCli, tempDir, type CliResult } from './support.js';

const TYPE = 'AWS::Logs::LogGroup';

/** The CLI's environment: no AWS or CCAPI settings of the machine's, nothing from config files or IMDS. */
function clientEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return cleanEnv({ AWS_CONFIG_FILE: '/dev/null', AWS_SHARED_CREDENTIALS_FILE: '/dev/null', AWS_EC2_METADATA_DISABLED: 'true', ...extra });
}

const ok = (r: CliResult, what: string) => assert.equal(r.status, 0, `${what}: exit ${r.status}\n${r.stdout}\n${r.stderr}`);

async function create(client: CloudControlClient, name: string): Promise<string> {
  const out = await client.send(new CreateResourceCommand({ TypeName: TYPE, DesiredState: JSON.stringify({ LogGroupName: name }) }));
  return out.ProgressEvent!.RequestToken!;
}

describe('ccapi client commands against an open-mode server', () => {
  let server: ServerProcess;
  let client: CloudControlClient;
  const cli = (args: string[], env: Record<string, string> = {}) => runCli([...args, '--endpoint-url', server.url], clientEnv(env), 60_000);

  before(async () => {
    server = await startServer({ extraArgs: ['--no-default-vpc'] }); // the reset counts below are of this test's resources only
    client = makeClient(server);
  });
  after(async () => {
    client?.destroy();
    await server?.stop();
  });

  test('the endpoint comes from AWS_ENDPOINT_URL_CLOUDCONTROL, then AWS_ENDPOINT_URL; credentials and region are optional', async () => {
    await runCli(['reset', '--endpoint-url', server.url], clientEnv());
    await waitForStatus(client, await create(client, 'from-env'));
    const unreachable = 'http://127.0.0.1:9';
    const viaService = await runCli(['resources', 'ls', TYPE], clientEnv({ AWS_ENDPOINT_URL_CLOUDCONTROL: server.url, AWS_ENDPOINT_URL: unreachable }), 60_000);
    ok(viaService, 'AWS_ENDPOINT_URL_CLOUDCONTROL');
    assert.match(viaService.stdout, /^IDENTIFIER\s+PROPERTIES\nfrom-env\s+\{"LogGroupName":"from-env"/);
    const viaGlobal = await runCli(['resources', 'ls', TYPE, '--output', 'json'], clientEnv({ AWS_ENDPOINT_URL: server.url }), 60_000);
    ok(viaGlobal, 'AWS_ENDPOINT_URL');
    const listed = JSON.parse(viaGlobal.stdout) as { Identifier: string; Properties: { LogGroupName: string } }[];
    assert.deepEqual(listed.map((r) => [r.Identifier, r.Properties.LogGroupName]), [['from-env', 'from-env']]);
    const nowhere = await runCli(['requests', 'ls', '--endpoint-url', unreachable], clientEnv(), 60_000);
    assert.equal(nowhere.status, 1);
    assert.match(nowhere.stderr, /^ccapi: cannot reach http:\/\/127\.0\.0\.1:9: ECONNREFUSED/);
    assert.doesNotMatch(nowhere.stderr, /\n\s+at /, 'no stack trace');
  });

  test('requests ls: newest first across pages, filtered by status, operation and type', async () => {
    ok(await cli(['reset']), 'reset');
    const tokens: string[] = [];
    for (const name of ['ls-1', 'ls-2', 'ls-3']) {
      tokens.push(await create(client, name));
      await waitForStatus(client, tokens.at(-1)!);
    }
    const del = await client.send(new DeleteResourceCommand({ TypeName: TYPE, Identifier: 'ls-1' }));
    tokens.push(del.ProgressEvent!.RequestToken!);
    await waitForStatus(client, tokens.at(-1)!);
    const paged = await cli(['requests', 'ls', '--page-size', '1', '--output', 'json']);
    ok(paged, 'requests ls');
    const events = JSON.parse(paged.stdout) as { RequestToken: string; Operation: string; OperationStatus: string; EventTime: string }[];
    assert.deepEqual(events.map((e) => e.RequestToken), [...tokens].reverse(), 'every page, newest first');
    assert.match(events[0]!.EventTime, /^\d{4}-\d\d-\d\dT/);
    const creates = JSON.parse((await cli(['requests', 'ls', '--operation', 'CREATE', '--status', 'SUCCESS', 'FAILED', '--output', 'json'])).stdout) as { Operation: string }[];
    assert.deepEqual(creates.map((e) => e.Operation), ['CREATE', 'CREATE', 'CREATE']);
    const otherType = await cli(['requests', 'ls', '--type', 'AWS::SQS::Queue']);
    ok(otherType, 'requests ls --type');
    assert.equal(otherType.stdout.trim().split('\n').length, 1, 'the header alone');
    const table = await cli(['requests', 'ls', '--max-items', '2']);
    const lines = table.stdout.trim().split('\n');
    assert.match(lines[0]!, /^REQUEST TOKEN\s+OPERATION\s+TYPE\s+IDENTIFIER\s+STATUS\s+EVENT TIME\s+ERROR$/);
    assert.equal(lines.length, 3);
    assert.match(lines[1]!, new RegExp(`^${tokens[3]}\\s+DELETE\\s+${TYPE}\\s+ls-1\\s+SUCCESS\\s`));
    const bad = await cli(['requests', 'ls', '--status', 'DONE']);
    assert.equal(bad.status, 1);
    assert.match(bad.stderr, /Allowed choices are PENDING, IN_PROGRESS/);
  });

  test('requests watch: the timeline as it happens, exit 0 on SUCCESS, 1 on FAILED (with the error), 2 on CANCEL_COMPLETE', async () => {
    ok(await cli(['reset']), 'reset');
    const rules = join(tempDir(), 'rules.json');
    writeFileSync(rules, JSON.stringify({ rules: [
      { typeName: TYPE, operation: 'CREATE', delayMs: 300, count: 1 },
      { typeName: TYPE, operation: 'DELETE', errorCode: 'InternalFailure', statusMessage: 'injected for the watch test' },
      { typeName: 'AWS::SQS::Queue', operation: 'CREATE', delayMs: 600_000 },
    ] }));
    ok(await cli(['faults', 'set', rules]), 'faults set');
    const delayed = await create(client, 'watched');
    const success = await cli(['requests', 'watch', delayed]);
    ok(success, 'watch SUCCESS');
    const lines = success.stdout.trim().split('\n');
    assert.match(lines[0]!, /^\S+Z\s+IN_PROGRESS\s+accepted; injected delay of 300 ms\s+\(next step at \S+Z\)$/);
    assert.match(lines[1]!, /^\S+Z\s+\+\d+\.\d{3}s\s+SUCCESS\s+handler step 1 returned SUCCESS \(ran \d+ ms\)$/);
    assert.equal(lines.at(-1), `SUCCESS: CREATE ${TYPE} watched`);

    const del = await client.send(new DeleteResourceCommand({ TypeName: TYPE, Identifier: 'watched' }));
    const failed = await cli(['requests', 'watch', del.ProgressEvent!.RequestToken!, '--output', 'json']);
    assert.equal(failed.status, 1, failed.stderr);
    const jsonLines = failed.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.deepEqual(jsonLines.at(-2), { ...jsonLines.at(-2), OperationStatus: 'FAILED', ErrorCode: 'InternalFailure', StatusMessage: 'injected for the watch test' });
    assert.equal((jsonLines.at(-1)!.ProgressEvent as { ErrorCode: string }).ErrorCode, 'InternalFailure');

    const queue = await client.send(new CreateResourceCommand({ TypeName: 'AWS::SQS::Queue', DesiredState: '{"QueueName":"never"}' }));
    const token = queue.ProgressEvent!.RequestToken!;
    // The watch starts while the request waits on its delay; the cancel arrives once it is watching.
    const watching = cli(['requests', 'watch', token]);
    await client.send(new CancelResourceRequestCommand({ RequestToken: token }));
    const cancelled = await watching;
    assert.equal(cancelled.status, 2, cancelled.stdout + cancelled.stderr);
    assert.match(cancelled.stdout, /CANCEL_COMPLETE: CREATE AWS::SQS::Queue\n$/);
    ok(await cli(['faults', 'clear']), 'faults clear');

    const unknown = await cli(['requests', 'watch', 'no-such-token']);
    assert.equal(unknown.status, 1);
    assert.match(unknown.stderr, /^ccapi: RequestTokenNotFoundException: /);
  });

  test('resources get shows one model; a missing one is the service\'s ResourceNotFoundException, exit 1', async () => {
    await waitForStatus(client, await create(client, 'shown'));
    const shown = await cli(['resources', 'get', TYPE, 'shown']);
    ok(shown, 'resources get');
    assert.match(shown.stdout, new RegExp(`^${TYPE} shown\\n\\{\\n  "LogGroupName": "shown",`));
    const json = JSON.parse((await cli(['resources', 'get', TYPE, 'shown', '--output', 'json'])).stdout) as { TypeName: string; Identifier: string; Properties: { Arn: string } };
    assert.equal(json.Identifier, 'shown');
    assert.match(json.Properties.Arn, /^arn:aws:logs:us-east-1:\d{12}:log-group:shown/);
    const missing = await cli(['resources', 'get', TYPE, 'absent']);
    assert.equal(missing.status, 1);
    assert.match(missing.stderr, /^ccapi: ResourceNotFoundException: /);
    const badModel = await cli(['resources', 'ls', TYPE, '--resource-model', '{nope']);
    assert.equal(badModel.status, 1);
    assert.match(badModel.stderr, /--resource-model is not valid JSON/);
  });

  test('faults set validates through the server, ls shows what is in force, clear removes it', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'bad.json'), JSON.stringify({ rules: [{ typeName: TYPE, delayMs: -1 }] }));
    const bad = await cli(['faults', 'set', join(dir, 'bad.json')]);
    assert.equal(bad.status, 1);
    assert.match(bad.stderr, /InvalidFaultConfiguration rules\[0\]\.delayMs must be an integer/);
    writeFileSync(join(dir, 'good.json'), JSON.stringify({ seed: 7, rules: [{ typeName: 'AWS::S3::*', operation: 'READ', delayMs: 5, count: 3 }] }));
    ok(await cli(['faults', 'set', join(dir, 'good.json')]), 'faults set');
    const table = await cli(['faults', 'ls']);
    assert.match(table.stdout, /^seed 7\n#\s+TYPENAME\s+OPERATION\s+DELAYMS.*REMAINING\n0\s+AWS::S3::\*\s+READ\s+5\s+-\s+-\s+-\s+3\s+-\s+3\n$/);
    const cleared = await cli(['faults', 'clear', '--output', 'json']);
    assert.deepEqual(JSON.parse(cleared.stdout), { rules: [], remaining: [] });
    assert.equal((await cli(['faults', 'ls'])).stdout, 'no fault rules\n');
    const missing = await cli(['faults', 'set', join(dir, 'nothing.json')]);
    assert.match(missing.stderr, /^ccapi: cannot read .*nothing\.json/);
  });

  test('reset forgets one region, or everything; fault rules stay', async () => {
    ok(await cli(['reset']), 'reset');
    const west = makeClient(server, { region: 'eu-west-1' });
    try {
      await waitForStatus(client, await create(client, 'east'));
      await waitForStatus(west, await create(west, 'west'));
      const rules = join(tempDir(), 'keep.json');
      writeFileSync(rules, JSON.stringify({ rules: [{ typeName: 'AWS::S3::Bucket', operation: 'READ', delayMs: 1 }] }));
      ok(await cli(['faults', 'set', rules]), 'faults set');
      const one = await cli(['reset', '--region', 'eu-west-1']);
      ok(one, 'reset --region');
      assert.equal(one.stdout, 'forgot 1 request(s) and 1 resource(s) of region eu-west-1\n');
      const eastLeft = await cli(['resources', 'ls', TYPE, '--output', 'json']);
      assert.deepEqual((JSON.parse(eastLeft.stdout) as { Identifier: string }[]).map((r) => r.Identifier), ['east']);
      const westLeft = await cli(['resources', 'ls', TYPE, '--output', 'json', '--region', 'eu-west-1']);
      assert.deepEqual(JSON.parse(westLeft.stdout), []);
      const all = await cli(['reset', '--output', 'json']);
      assert.deepEqual(JSON.parse(all.stdout), { forgotten: { requests: 1, resources: 1 } });
      assert.equal((JSON.parse((await cli(['requests', 'ls', '--output', 'json'])).stdout) as unknown[]).length, 0);
      assert.match((await cli(['faults', 'ls'])).stdout, /AWS::S3::Bucket/, 'the rules are configuration, not state');
      ok(await cli(['faults', 'clear']), 'faults clear');
    } finally {
      west.destroy();
    }
  });

  test('reset with a request waiting for its step: it is forgotten and never runs; the worker keeps going', async () => {
    ok(await cli(['reset']), 'reset');
    const rules = join(tempDir(), 'slow.json');
    // Long enough that the CLI's own start-up (seconds on a loaded machine) comes first. A step that is running
    // when the reset lands is covered in src/engine/worker.test.ts.
    writeFileSync(rules, JSON.stringify({ rules: [{ typeName: TYPE, operation: 'CREATE', delayMs: 600_000, count: 1 }] }));
    ok(await cli(['faults', 'set', rules]), 'faults set');
    const first = await create(client, 'in-flight');
    const reset = await cli(['reset', '--output', 'json']);
    assert.deepEqual(JSON.parse(reset.stdout), { forgotten: { requests: 1, resources: 0 } });
    const second = await create(client, 'after-reset');
    ok(await cli(['requests', 'watch', second]), 'the worker still works');
    const names = JSON.parse((await cli(['resources', 'ls', TYPE, '--output', 'json'])).stdout) as { Identifier: string }[];
    assert.deepEqual(names.map((r) => r.Identifier), ['after-reset']);
    const gone = await cli(['requests', 'watch', first]);
    assert.match(gone.stderr, /RequestTokenNotFoundException/);
    ok(await cli(['faults', 'clear']), 'faults clear');
  });

});

describe('ccapi client commands against a strict-mode server', () => {
  let server: ServerProcess;
  const as = (cred: typeof ALICE, extra: Record<string, string> = {}) => ({ AWS_ACCESS_KEY_ID: cred.accessKeyId, AWS_SECRET_ACCESS_KEY: cred.secretAccessKey, AWS_REGION: 'us-east-1', ...extra });
  const cli = (args: string[], env: Record<string, string> = {}) => runCli([...args, '--endpoint-url', server.url], clientEnv(env), 60_000);

  before(async () => {
    server = await startServer({ extraArgs: strictArgs({ adminToken: ADMIN_TOKEN }) });
  });
  after(() => server?.stop());

  test('Cloud Control commands sign with the credential chain (environment or profile) and see their own account only', async () => {
    const dir = tempDir();
    const credentialsFile = join(dir, 'credentials');
    writeFileSync(credentialsFile, `[bob]\naws_access_key_id = ${BOB.accessKeyId}\naws_secret_access_key = ${BOB.secretAccessKey}\n`);
    const alice = strictClient(server, ALICE);
    try {
      const token = await create(alice, 'alice-log');
      const watched = await cli(['requests', 'watch', token], as(ALICE, { CCAPI_ADMIN_TOKEN: ADMIN_TOKEN }));
      ok(watched, 'watch with the admin token');
      assert.match(watched.stdout, /accepted/);
      const aliceSees = JSON.parse((await cli(['requests', 'ls', '--output', 'json'], as(ALICE))).stdout) as { RequestToken: string }[];
      assert.deepEqual(aliceSees.map((e) => e.RequestToken), [token]);
      const bobSees = await cli(['requests', 'ls', '--output', 'json', '--profile', 'bob'], { AWS_SHARED_CREDENTIALS_FILE: credentialsFile, AWS_REGION: 'us-east-1' });
      ok(bobSees, 'requests ls as bob (profile)');
      assert.deepEqual(JSON.parse(bobSees.stdout), []);
      const got = JSON.parse((await cli(['resources', 'get', TYPE, 'alice-log', '--output', 'json'], as(ALICE))).stdout) as { Properties: { Arn: string } };
      assert.match(got.Properties.Arn, new RegExp(`:${ACCOUNT_A}:log-group:alice-log`));
    } finally {
      alice.destroy();
    }
    const unsigned = await cli(['requests', 'ls']);
    assert.equal(unsigned.status, 1);
    assert.match(unsigned.stderr, /^ccapi: UnrecognizedClientException: /);
  });

  test('watch without the admin token follows the status alone and still ends with the right exit status', async () => {
    const bob = strictClient(server, BOB);
    try {
      const token = await create(bob, 'bob-log');
      const watched = await cli(['requests', 'watch', token], as(BOB));
      ok(watched, 'watch');
      assert.match(watched.stderr, /the timeline route needs the admin token/);
      assert.match(watched.stdout, /SUCCESS: CREATE AWS::Logs::LogGroup bob-log\n$/);
    } finally {
      bob.destroy();
    }
  });

  test('faults and reset need the admin token (--admin-token or CCAPI_ADMIN_TOKEN); reset --account forgets only that account', async () => {
    const denied = await cli(['faults', 'ls']);
    assert.equal(denied.status, 1);
    assert.match(denied.stderr, /^ccapi: GET \/_ccapi\/faults: 401 .*\(give --admin-token or set CCAPI_ADMIN_TOKEN\)/);
    ok(await cli(['faults', 'ls', '--admin-token', ADMIN_TOKEN]), 'faults ls --admin-token');
    const [alice, bob] = [strictClient(server, ALICE), strictClient(server, BOB)];
    try {
      await waitForStatus(alice, await create(alice, 'a-keep'));
      await waitForStatus(bob, await create(bob, 'b-forget'));
      assert.equal((await cli(['reset', '--account', ACCOUNT_B])).status, 1, 'refused without the token');
      const reset = await cli(['reset', '--account', ACCOUNT_B, '--output', 'json'], { CCAPI_ADMIN_TOKEN: ADMIN_TOKEN });
      ok(reset, 'reset --account');
      const answer = JSON.parse(reset.stdout) as { accountId: string; forgotten: { resources: number } };
      assert.equal(answer.accountId, ACCOUNT_B);
      assert.ok(answer.forgotten.resources >= 1);
      const bobLeft = JSON.parse((await cli(['resources', 'ls', TYPE, '--output', 'json'], as(BOB))).stdout) as unknown[];
      assert.deepEqual(bobLeft, []);
      const aliceLeft = JSON.parse((await cli(['resources', 'ls', TYPE, '--output', 'json'], as(ALICE))).stdout) as { Identifier: string }[];
      assert.ok(aliceLeft.some((r) => r.Identifier === 'a-keep'));
    } finally {
      alice.destroy();
      bob.destroy();
    }
  });
});

describe('a command whose reader goes away', () => {
  /** Runs `ccapi ARGS | head -1` in a real shell; returns the CLI's own exit status, what head printed, and stderr. */
  function throughHead(args: string[]): Promise<{ cliStatus: string; stdout: string; stderr: string }> {
    return new Promise((resolve, reject) => {
      const quoted = [process.execPath, CLI, ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
      const child = spawn('bash', ['-c', `${quoted} | head -1; echo "cli-exit=\${PIPESTATUS[0]}" >&2`], { env: clientEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      child.once('error', reject);
      child.once('close', () => {
        const match = /cli-exit=(\d+)\n$/.exec(stderr);
        resolve({ cliStatus: match?.[1] ?? 'none', stdout, stderr: stderr.replace(/cli-exit=\d+\n$/, '') });
      });
    });
  }

  test('`ccapi types ls | head -1` ends quietly: status 0, no EPIPE, no stack trace', async () => {
    const result = await throughHead(['types', 'ls']);
    assert.equal(result.stderr, '');
    assert.equal(result.cliStatus, '0');
    assert.match(result.stdout, /^AWS::\S+\s+builtin\s/);
    assert.equal(result.stdout.split('\n').length, 2, 'one line');
  });
});
