/**
 * PostgreSQL goes away under two running nodes while clients keep creating: first a restart (the nodes
 * ride it out by reconnecting), then an outage longer than a call's retry budget (calls fail fast with a
 * retryable 500 ServiceInternalErrorException instead of hanging, and work resumes when it is back). No
 * acknowledged request is lost, none is duplicated. Runs on a private throwaway cluster: restarting the
 * shared server would break every other test using it at the same time.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { CreateResourceCommand, GetResourceRequestStatusCommand } from '@aws-sdk/client-cloudcontrol';
import { startServer, type ServerProcess } from '../support/server.js';
import { makeClient } from '../e2e/support.js';
import { startPrivateCluster } from './support.js';

const TYPE = 'AWS::Logs::LogGroup';
const FAULTS = { seed: 11, rules: [{ typeName: TYPE, operation: 'CREATE', delayMs: 400, probability: 0.5 }] };

const cluster = await startPrivateCluster();
const skip = typeof cluster === 'string' ? cluster : undefined;
after(() => (typeof cluster === 'string' ? undefined : cluster.stop()));

async function poll<T>(check: () => Promise<T | undefined>, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not done within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

test('PostgreSQL restarts and goes away while clients run: nodes recover, no acknowledged request is lost', { skip, timeout: 120_000 }, async () => {
  if (typeof cluster === 'string') return;
  const admin = new pg.Client({ connectionString: cluster.url });
  await admin.connect();
  await admin.query('CREATE DATABASE ccapi_restart');
  await admin.end();
  const url = cluster.url.replace(/\/postgres$/, '/ccapi_restart');
  const nodes: ServerProcess[] = [];
  let passed = false;
  try {
    nodes.push(await startServer({ databaseFile: url, faults: FAULTS }), await startServer({ databaseFile: url, faults: FAULTS }));
    const acknowledged = new Map<string, string>(); // name (also the ClientToken) -> RequestToken
    const failures: string[] = [];
    let stopClients = false;
    let n = 0;

    // Clients create continuously on both nodes through the JS SDK, signed, with its own standard retries (a
    // 500 or a dropped connection is retried with the same ClientToken, so a request the database took before
    // the fault is answered, not repeated). When the SDK gives up (an outage outlasts its retries), the
    // client tries the other node, as behind a load balancer.
    const sdks = nodes.map(
      (node) =>
        makeClient(node, { maxAttempts: 5 }),
    );
    let retriedBySdk = 0;
    const client = async () => {
      while (!stopClients) {
        const name = `restart-${n++}`;
        for (let attempt = 0; ; attempt++) {
          try {
            const out = await sdks[(n + attempt) % 2]!.send(new CreateResourceCommand({ TypeName: TYPE, DesiredState: JSON.stringify({ LogGroupName: name }), ClientToken: name }));
            if ((out.$metadata.attempts ?? 1) > 1) retriedBySdk++;
            acknowledged.set(name, out.ProgressEvent!.RequestToken!);
            break;
          } catch (error) {
            const e = error as Error & { $metadata?: { httpStatusCode?: number }; $response?: unknown };
            failures.push(e.$metadata?.httpStatusCode ? `${e.$metadata.httpStatusCode} ${e.name}` : `network: ${e.name} ${e.message}`);
          }
          assert.ok(attempt < 30, `CreateResource ${name} kept failing: ${failures.slice(-3).join('; ')}`);
          await new Promise((resolve) => setTimeout(resolve, 100 * Math.min(attempt + 1, 5)));
        }
      }
    };
    const clients = Array.from({ length: 8 }, () => client());
    const acknowledgedAtLeast = (count: number, what: string) => poll(async () => (acknowledged.size >= count ? true : undefined), 30_000, what);

    // A restart: every connection is dropped, the server is back within a second or so.
    await acknowledgedAtLeast(150, 'creates before the restart');
    await cluster.restart();
    await acknowledgedAtLeast(acknowledged.size + 60, 'creates after the restart');

    // An outage longer than a call's retry budget: the nodes answer a retryable 500, quickly, not a hang.
    await cluster.shutDown();
    // One attempt per call, to see the answer itself; the call aborts after 15 s, so a hang fails here.
    for (const node of nodes) {
      const once = makeClient(node, { maxAttempts: 1 });
      const error = await once
        .send(new GetResourceRequestStatusCommand({ RequestToken: [...acknowledged.values()][0] }), { abortSignal: AbortSignal.timeout(15_000) })
        .then(() => undefined, (e: Error & { $metadata?: { httpStatusCode?: number } }) => e);
      once.destroy();
      assert.deepEqual([error?.$metadata?.httpStatusCode, error?.name], [500, 'ServiceInternalErrorException'], String(error));
    }
    const beforeReturn = acknowledged.size;
    await cluster.start();
    await acknowledgedAtLeast(beforeReturn + 60, 'creates after the outage');
    stopClients = true;
    await Promise.all(clients);
    console.log(`# ${acknowledged.size} creates acknowledged; ${retriedBySdk} went through on the SDK's own retries; ${failures.length} gave up by the SDK, retried on the other node`);
    assert.ok(retriedBySdk > 0, 'the SDK retried the retryable answers itself (the README says every SDK does)');

    // Every failure a client saw was retryable: a 500 ServiceInternalErrorException or a dropped connection.
    const unexpected = failures.filter((f) => !/^500 ServiceInternalErrorException$|^network: /.test(f));
    assert.deepEqual(unexpected, [], 'only retryable failures');

    // No acknowledged request lost: each completes and its resource exists, seen from both nodes.
    for (const [i, node] of nodes.entries()) {
      for (const [name, token] of acknowledged) {
        const event = await poll(async () => {
          const e = (await sdks[i]!.send(new GetResourceRequestStatusCommand({ RequestToken: token }), { abortSignal: AbortSignal.timeout(30_000) })).ProgressEvent;
          return e && e.OperationStatus !== 'IN_PROGRESS' ? e : undefined;
        }, 30_000, `request for ${name} on ${node.url}`);
        assert.deepEqual([event.OperationStatus, event.Identifier], ['SUCCESS', name]);
      }
    }
    sdks.forEach((sdk) => sdk.destroy());
    const check = new pg.Client({ connectionString: url });
    await check.connect();
    try {
      const { rows } = await check.query('SELECT count(*)::int AS requests, count(DISTINCT client_token)::int AS tokens FROM ccapi.requests');
      assert.equal(rows[0].requests, rows[0].tokens, 'no request duplicated by a retry');
      const resources = await check.query('SELECT identifier FROM ccapi.resources');
      const stored = new Set(resources.rows.map((r) => r.identifier as string));
      for (const name of acknowledged.keys()) assert.ok(stored.has(name), `resource ${name} exists`);
    } finally {
      await check.end();
    }
    passed = true;
  } finally {
    const codes = await Promise.all(nodes.map((node) => node.stop()));
    const logs = nodes.map((node) => `exit ${node.child.exitCode} ${node.child.signalCode ?? ''}\n${node.stderr().slice(-3000)}`).join('\n');
    if (!passed) console.log(logs);
    if (passed) assert.deepEqual(codes, nodes.map(() => 0), `clean shutdown\n${logs}`);
  }
});
