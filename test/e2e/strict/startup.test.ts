/**
 * End-to-end: how `ccapi serve` starts (refusing to listen publicly without credentials) and `--rate-limit`
 * throttling per account, with real processes and the JS SDK. Nothing here keeps a non-loopback socket
 * open: every `--host 0.0.0.0` start uses `--port 0` and is stopped as soon as it listens, and tests only
 * ever connect to 127.0.0.1.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { CreateResourceCommand, GetResourceCommand, ListResourceRequestsCommand, UpdateResourceCommand, type CloudControlClient } from '@aws-sdk/client-cloudcontrol';
import { waitForStatus } from '../support.js';
import { CLI, startServer, tempDir } from '../../support/server.js';
import { ACCOUNT_A, ACCOUNT_B, ADMIN_TOKEN, ALICE, BOB, TEMP, jsonErrorCode, send, signRequest, strictArgs, strictClient, type TestCredential } from './support.js';

/** A third account, for the rate-limit server only. */
const CAROL: TestCredential = { accessKeyId: 'AKIACAROLEXAMPLE0004', secretAccessKey: 'carol-secret-KEY000000000000000000000004', accountId: '777788889999' };

interface Exit {
  code: number | null;
  stdout: string;
  stderr: string;
}

function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const key of Object.keys(env)) if (key.startsWith('CCAPI_')) delete env[key];
  return { ...env, ...extra };
}

/**
 * Runs `ccapi serve ...` and waits for it to exit. Should it start listening after all (the bug these tests
 * look for), it is killed at once, so nothing stays bound to a public address.
 */
function serveUntilExit(args: string[], env: Record<string, string> = {}, timeoutMs = 20_000): Promise<Exit & { listened: boolean }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, 'serve', '--database', join(tempDir(), 'ccapi.db'), '--log-level', 'warn', ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: cleanEnv(env),
    });
    let stdout = '';
    let stderr = '';
    let listened = false;
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      if (/listening on/.test(stdout) && !listened) {
        listened = true;
        child.kill('SIGKILL');
      }
    });
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, listened });
    });
  });
}

describe('refusing to serve publicly without credentials', { concurrency: true }, () => {
  for (const host of ['0.0.0.0', '::']) {
    test(`serve --host ${host} without credentials exits 1 and says why`, async () => {
      const { code, stdout, stderr, listened } = await serveUntilExit(['--host', host, '--port', '0']);
      assert.equal(listened, false, `it must not have listened: ${stdout}`);
      assert.equal(code, 1, `exit code; stdout: ${stdout}\nstderr: ${stderr}`);
      assert.match(stderr, /--credentials/, stderr);
      assert.match(stderr, /--allow-unauthenticated/, stderr);
      assert.match(stderr, new RegExp(`refusing to listen on ${host.replace(/[.:]/g, '\\$&')}`), stderr);
    });
  }

  test('the refusal also applies through CCAPI_HOST', async () => {
    const { code, stderr, listened } = await serveUntilExit(['--port', '0'], { CCAPI_HOST: '0.0.0.0' });
    assert.equal(listened, false);
    assert.equal(code, 1, stderr);
    assert.match(stderr, /--allow-unauthenticated/);
  });

  for (const host of ['127.0.0.1', 'localhost']) {
    test(`a loopback host (${host}) starts without credentials`, async () => {
      const { listened, stderr } = await serveUntilExit(['--port', '0', '--host', host]);
      assert.equal(listened, true, `a loopback host starts without credentials: ${stderr}`);
    });
  }

  // BUG (reported): commander treats any value of a boolean option's environment variable as "set", so
  // CCAPI_ALLOW_UNAUTHENTICATED=false (or 0, or empty) switches the protection off.
  for (const value of ['false', '0']) {
    test(`CCAPI_ALLOW_UNAUTHENTICATED=${value} does not allow a public open server`, async () => {
      const { code, stderr, listened } = await serveUntilExit(['--host', '0.0.0.0', '--port', '0'], { CCAPI_ALLOW_UNAUTHENTICATED: value });
      assert.equal(listened, false, `CCAPI_ALLOW_UNAUTHENTICATED=${value} must not open a public unauthenticated server`);
      assert.equal(code, 1, stderr);
    });
  }

  test('CCAPI_ALLOW_UNAUTHENTICATED=true allows it (stopped at once)', async () => {
    const { listened, stderr } = await serveUntilExit(['--host', '0.0.0.0', '--port', '0'], { CCAPI_ALLOW_UNAUTHENTICATED: 'true' });
    assert.equal(listened, true, stderr);
  });

  test('serve --host 0.0.0.0 --allow-unauthenticated starts (stopped at once)', async () => {
    const server = await startServer({ extraArgs: ['--host', '0.0.0.0', '--allow-unauthenticated'] });
    try {
      assert.match(server.url, /^http:\/\/0\.0\.0\.0:\d+$/);
      const health = await fetch(`http://127.0.0.1:${server.port}/_ccapi/health`);
      assert.equal(health.status, 200);
    } finally {
      assert.equal(await server.stop(), 0, 'a clean shutdown');
    }
  });

  test('serve --host 0.0.0.0 with --credentials starts, and requires signatures (stopped at once)', async () => {
    const server = await startServer({ extraArgs: ['--host', '0.0.0.0', ...strictArgs()] });
    try {
      const res = await fetch(`http://127.0.0.1:${server.port}/`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'CloudApiService.ListResourceRequests' },
        body: '{}',
      });
      assert.equal(res.status, 400);
      assert.match(((await res.json()) as { __type: string }).__type, /#MissingAuthenticationTokenException$/);
    } finally {
      await server.stop();
    }
  });

  test('a bad credentials file is refused at start, naming the problem but never a secret', async () => {
    const dir = tempDir();
    const { writeFileSync } = await import('node:fs');
    const file = join(dir, 'bad.json');
    writeFileSync(file, JSON.stringify([{ accessKeyId: 'AKIAGOOD', secretAccessKey: 'super-secret-value-xyz', accountId: '12345' }]));
    const { code, stdout, stderr } = await serveUntilExit(['--host', '127.0.0.1', '--port', '0', '--credentials', file]);
    assert.equal(code, 1, stdout + stderr);
    assert.match(stderr, /accountId must be 12 digits/);
    assert.doesNotMatch(stdout + stderr, /super-secret-value-xyz/);
  });
});

describe('--rate-limit', () => {
  test('a burst of 30 from one account gets ThrottlingException; another account is unaffected; the SDK names the error', async (t) => {
    const server = await startServer({ extraArgs: strictArgs({ extra: ['--rate-limit', '5'], moreCredentials: [CAROL] }) });
    const clients = [strictClient(server, BOB, { maxAttempts: 1 })];
    const [bobOnce] = clients as [CloudControlClient];
    try {
      // 1. Account B: a burst of 30, pre-signed so that signing does not spread it out, fired at once.
      const burst = await Promise.all(Array.from({ length: 30 }, () => signRequest(server, { cred: BOB })));
      const answers = await Promise.all(burst.map((req) => send(server, req)));
      const throttled = answers.filter((r) => r.status === 400);
      const ok = answers.filter((r) => r.status === 200);
      t.diagnostic(`burst of 30: ${ok.length} × 200, ${throttled.length} × 400`);
      assert.equal(throttled.length + ok.length, 30, `only 200s and 400s: ${answers.map((a) => a.status).join(',')}`);
      assert.ok(throttled.length >= 10, `most of a 30-call burst over a 5/s bucket is throttled; throttled ${throttled.length}`);
      assert.ok(ok.length >= 5, `the bucket's burst of 5 gets through; ok ${ok.length}`);
      for (const r of throttled) {
        const error = jsonErrorCode(r);
        assert.equal(error.code, 'ThrottlingException', r.text);
        assert.equal(error.message, 'Rate exceeded');
      }

      // 2. Account C right after B's burst: its own full bucket.
      const cBurst = await Promise.all(Array.from({ length: 5 }, () => signRequest(server, { cred: CAROL })));
      const cAnswers = await Promise.all(cBurst.map((req) => send(server, req)));
      assert.deepEqual(cAnswers.map((r) => r.status), [200, 200, 200, 200, 200], cAnswers.map((r) => r.text).join('\n'));

      // 3. Account B again, one attempt per call: the SDK surfaces ThrottlingException by name, HTTP 400.
      const outcomes = await Promise.allSettled(Array.from({ length: 20 }, () => bobOnce.send(new ListResourceRequestsCommand({}))));
      const rejected = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected').map((o) => o.reason as Error & { $metadata: { httpStatusCode: number } });
      assert.ok(rejected.length > 0, 'some of 20 unretried calls are throttled');
      assert.deepEqual([...new Set(rejected.map((e) => e.name))], ['ThrottlingException']);
      assert.deepEqual([...new Set(rejected.map((e) => e.$metadata.httpStatusCode))], [400]);
    } finally {
      for (const c of clients) c.destroy();
      await server.stop();
    }
  });

  test('the JS SDK with its standard retries gets through ThrottlingException', async (t) => {
    // A bucket of one token refilling at 1/s, so no timing decides the outcome: of 4 calls sent at once,
    // at most one finds a token, the others are throttled whenever they arrive, and only the SDK's own
    // retries (jittered backoff from 0.5 s for throttling; attempts enough for one token a second) get
    // them through. Raw calls empty the bucket first.
    const server = await startServer({ extraArgs: strictArgs({ extra: ['--rate-limit', '1'] }) });
    const sdk = strictClient(server, ALICE, { maxAttempts: 10 });
    try {
      await sdk.send(new ListResourceRequestsCommand({})); // credentials and endpoint resolved before the burst
      const drain = await Promise.all(Array.from({ length: 5 }, () => signRequest(server, { cred: ALICE })));
      const drained = await Promise.all(drain.map((req) => send(server, req)));
      assert.ok(drained.some((r) => r.status === 400), 'the raw burst emptied the bucket');
      const results = await Promise.all(Array.from({ length: 4 }, () => sdk.send(new ListResourceRequestsCommand({}))));
      const attempts = results.map((r) => r.$metadata.attempts ?? 1);
      t.diagnostic(`raw burst: ${drained.filter((r) => r.status === 200).length} × 200, ${drained.filter((r) => r.status === 400).length} × 400; then 4 SDK calls, attempts ${attempts.join(',')}`);
      assert.ok(results.every((r) => r.$metadata.httpStatusCode === 200));
      assert.ok(attempts.some((a) => a > 1), 'calls on an empty bucket: some must have been retried after ThrottlingException');
    } finally {
      sdk.destroy();
      await server.stop();
    }
  });

  test('the rate limit also applies in open mode, per account', async () => {
    const server = await startServer({ extraArgs: ['--rate-limit', '5'] });
    try {
      const call = (account: string) =>
        send(server, {
          method: 'POST',
          path: '/',
          headers: {
            'content-type': 'application/x-amz-json-1.0',
            'x-amz-target': 'CloudApiService.ListResourceRequests',
            authorization: `AWS4-HMAC-SHA256 Credential=${account}/20260101/us-east-1/cloudcontrolapi/aws4_request, SignedHeaders=host, Signature=${'0'.repeat(64)}`,
          },
          body: '{}',
        });
      const a = await Promise.all(Array.from({ length: 30 }, () => call(ACCOUNT_A)));
      const throttled = a.filter((r) => r.status === 400);
      assert.ok(throttled.length >= 10, `throttled ${throttled.length} of 30`);
      for (const r of throttled) assert.equal(jsonErrorCode(r).code, 'ThrottlingException');
      const b = await Promise.all(Array.from({ length: 5 }, () => call(ACCOUNT_B)));
      assert.deepEqual(b.map((r) => r.status), [200, 200, 200, 200, 200]);
    } finally {
      await server.stop();
    }
  });
});

describe('logs', () => {
  test('at trace level, logs never contain secrets, tokens or sensitive members (DesiredState, Properties, PatchDocument)', async () => {
    const server = await startServer({ extraArgs: [...strictArgs({ adminToken: ADMIN_TOKEN }), '--log-level', 'trace'] });
    const alice = strictClient(server, ALICE);
    const markers = [`tag-value-secret-${process.pid}`, `patch-value-secret-${process.pid}`];
    try {
      const name = `logs-${process.pid}`;
      const { ProgressEvent: created } = await alice.send(
        new CreateResourceCommand({ TypeName: 'AWS::Logs::LogGroup', DesiredState: JSON.stringify({ LogGroupName: name, Tags: [{ Key: 'k', Value: markers[0] }] }) }),
      );
      assert.equal((await waitForStatus(alice, created!.RequestToken!)).OperationStatus, 'SUCCESS');
      const { ProgressEvent: updated } = await alice.send(
        new UpdateResourceCommand({ TypeName: 'AWS::Logs::LogGroup', Identifier: name, PatchDocument: JSON.stringify([{ op: 'replace', path: '/Tags/0/Value', value: markers[1] }]) }),
      );
      assert.equal((await waitForStatus(alice, updated!.RequestToken!)).OperationStatus, 'SUCCESS');
      const { ResourceDescription } = await alice.send(new GetResourceCommand({ TypeName: 'AWS::Logs::LogGroup', Identifier: name }));
      assert.match(ResourceDescription!.Properties!, new RegExp(markers[1]!), 'the marker is really in the resource');
      // Failures of every kind, which are the likeliest to be logged in detail.
      const wrong = strictClient(server, ALICE, { secretAccessKey: 'wrong', maxAttempts: 1 });
      await wrong.send(new ListResourceRequestsCommand({})).catch(() => undefined);
      wrong.destroy();
      const temp = strictClient(server, TEMP, { maxAttempts: 1 });
      await temp.send(new ListResourceRequestsCommand({}));
      temp.destroy();
      await send(server, { ...(await signRequest(server, { cred: ALICE, target: 'CloudApiService.CreateResource', body: JSON.stringify({ TypeName: 'AWS::Logs::LogGroup', DesiredState: `{"LogGroupName":"${markers[0]}"` }) })) });
      await send(server, { method: 'GET', path: '/_ccapi/faults', headers: { authorization: `Bearer ${ADMIN_TOKEN}` }, body: '' });
      await send(server, { method: 'GET', path: '/_ccapi/faults', headers: { authorization: `Bearer ${ADMIN_TOKEN}-wrong` }, body: '' });
    } finally {
      alice.destroy();
      await server.stop();
    }
    const logs = server.stderr();
    assert.match(logs, /"level":(10|20)/, 'trace/debug lines were written (the check below is not vacuous)');
    const secrets = [...markers, ALICE.secretAccessKey, BOB.secretAccessKey, TEMP.secretAccessKey, TEMP.sessionToken!, ADMIN_TOKEN];
    for (const secret of secrets) assert.ok(!logs.includes(secret), `the logs contain ${JSON.stringify(secret)}:\n${logs.split('\n').filter((l) => l.includes(secret)).slice(0, 3).join('\n')}`);
  });
});
