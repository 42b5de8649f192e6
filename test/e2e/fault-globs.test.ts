/**
 * End-to-end: a fault rule's typeName glob cannot wedge the server. A glob with many `*` (which any local
 * process may PUT in open mode) against a type name shaped to fail matching used to backtrack forever in a
 * regex, pinning the event loop: no call was answered again and SIGTERM no longer stopped the process.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { callApi, errorCode } from '../multinode/support.js';
import { startServer, type ServerProcess } from '../support/server.js';
import { putFaults } from './support.js';

/** Generous bound for a call or a shutdown that takes milliseconds: only a hang reaches it. */
const HANG_MS = 20_000;

const GLOB = `AWS::${'*a'.repeat(40)}*b`;
/** A valid TypeName (three parts of at most 64 alphanumerics) that the glob almost matches: no `b` at the end. */
const NEAR_MISS = `AWS::${'a'.repeat(64)}::${'a'.repeat(64)}`;

let server: ServerProcess;

before(async () => {
  server = await startServer();
});

after(async () => {
  if (server && server.child.exitCode === null && server.child.signalCode === null) server.child.kill('SIGKILL');
});

test('a glob longer than 196 characters is refused with a 400 that says so', async () => {
  const { status, body } = await putFaults(server, { rules: [{ typeName: `AWS::${'*'.repeat(192)}`, operation: 'CreateResource', apiError: 'ThrottlingException' }] });
  assert.equal(status, 400);
  assert.deepEqual(body, { error: 'InvalidFaultConfiguration', message: 'rules[0].typeName is 197 characters long; a type name or glob has at most 196' });
});

test('a --faults file with a glob longer than 196 characters stops the start with a message that says so', async () => {
  await assert.rejects(
    startServer({ faults: { rules: [{ typeName: `AWS::${'*'.repeat(192)}`, operation: 'CREATE', delayMs: 1 }] } }),
    /invalid faults file .*faults\.json: rules\[0\]\.typeName is 197 characters long; a type name or glob has at most 196/,
  );
});

test('a pathological glob neither hangs the call it meets nor the server, which still stops on SIGTERM', async () => {
  const put = await putFaults(server, { rules: [{ typeName: GLOB, operation: 'CreateResource', apiError: 'ThrottlingException' }] });
  assert.equal(put.status, 200, JSON.stringify(put.body));

  // The rule is checked before the type is looked up, so this is where the glob meets the near miss.
  const miss = await callApi(server.url, 'CreateResource', { TypeName: NEAR_MISS, DesiredState: '{}' }, HANG_MS);
  assert.notEqual(errorCode(miss), 'ThrottlingException', `the glob does not match ${NEAR_MISS}`);
  assert.ok(miss.status < 500, `a 4xx answer for an unknown type, got ${miss.status} ${JSON.stringify(miss.body)}`);

  const hit = await callApi(server.url, 'CreateResource', { TypeName: `${NEAR_MISS.slice(0, -1)}b`, DesiredState: '{}' }, HANG_MS);
  assert.equal(errorCode(hit), 'ThrottlingException', `the rule is in force: ${JSON.stringify(hit.body)}`);

  // Other calls are still answered.
  const health = await fetch(`${server.url}/_ccapi/health`, { signal: AbortSignal.timeout(HANG_MS) });
  assert.equal(health.status, 200);
  const status = await callApi(server.url, 'GetResourceRequestStatus', { RequestToken: '00000000-0000-0000-0000-000000000000' }, HANG_MS);
  assert.equal(errorCode(status), 'RequestTokenNotFoundException');

  const exit = await Promise.race([server.stop('SIGTERM'), new Promise<string>((resolve) => setTimeout(() => resolve('no exit'), HANG_MS).unref())]);
  assert.equal(exit, 0, 'the server exits cleanly on SIGTERM');
});
