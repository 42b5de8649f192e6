/**
 * Three `ccapi serve --database postgres://…` processes on one database behave as one service, and a node
 * killed mid-flight costs nothing but a short delay: 500 creates (most held back by an injected delay)
 * spread over the nodes, one node SIGKILLed while it holds leases, then every request still reaches
 * exactly one terminal state, every resource exists once, every token answers from every surviving node,
 * and the killed node, restarted, rejoins.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { hostname } from 'node:os';
import { type CloudControlClient, CreateResourceCommand, GetResourceCommand, GetResourceRequestStatusCommand, type ProgressEvent } from '@aws-sdk/client-cloudcontrol';
import { startServer, type ServerProcess } from '../support/server.js';
import { makeClient } from '../e2e/support.js';
import { createTestDatabase } from './support.js';

const { db, skip } = await createTestDatabase();
after(() => db?.drop());

const TYPE = 'AWS::Logs::LogGroup';
const OPERATIONS = 500;
// Three in four creates wait 1.5 s before their first step (due work any node may claim); the rest run at once.
const FAULTS = { seed: 7, rules: [{ typeName: TYPE, operation: 'CREATE', delayMs: 1500, probability: 0.75 }] };

interface Operation {
  name: string;
  clientToken: string;
  requestToken?: string;
}

const deadlineFrom = (ms: number) => Date.now() + ms;

/**
 * The JS SDK, signed, with its standard retries (a dropped connection or a 5xx is retried on the same node
 * with the same ClientToken). One client per node, as each sits behind its own address.
 */
const clients = new Map<ServerProcess, CloudControlClient>();
function sdk(node: ServerProcess): CloudControlClient {
  let client = clients.get(node);
  if (!client) {
    client = makeClient(node);
    clients.set(node, client);
  }
  return client;
}
/** A call's own deadline: only a hang reaches it. */
const HANG = () => ({ abortSignal: AbortSignal.timeout(30_000) });

async function statusOn(node: ServerProcess, token: string): Promise<ProgressEvent> {
  return (await sdk(node).send(new GetResourceRequestStatusCommand({ RequestToken: token }), HANG())).ProgressEvent!;
}

async function poll<T>(check: () => Promise<T | undefined>, timeoutMs: number, what: string): Promise<T> {
  const deadline = deadlineFrom(timeoutMs);
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not done within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * CreateResource through the live nodes in turn, by the SDK, which retries a retryable failure itself;
 * when it gives up (its node was killed under it), the load balancer's next node gets the same ClientToken.
 * Any answer the SDK gives up on must be one it counts as retryable: a dropped connection or a 5xx.
 */
async function create(op: Operation, nodes: () => ServerProcess[], turn: number, gaveUp: string[]): Promise<void> {
  for (let attempt = 0; attempt < 10; attempt++) {
    const live = nodes();
    const node = live[(turn + attempt) % live.length]!;
    try {
      const out = await sdk(node).send(new CreateResourceCommand({ TypeName: TYPE, DesiredState: JSON.stringify({ LogGroupName: op.name }), ClientToken: op.clientToken }), HANG());
      op.requestToken = out.ProgressEvent!.RequestToken!;
      return;
    } catch (error) {
      const e = error as Error & { $metadata?: { httpStatusCode?: number } };
      const status = e.$metadata?.httpStatusCode;
      if (status !== undefined && status < 500) throw new Error(`CreateResource ${op.name}: ${status} ${e.name}: ${e.message}`);
      gaveUp.push(status !== undefined ? `${status} ${e.name}` : `network: ${e.name} ${e.message}`);
    }
  }
  throw new Error(`CreateResource ${op.name} was never acknowledged: ${gaveUp.slice(-3).join('; ')}`);
}

test('three nodes, one killed mid-flight: nothing lost, nothing duplicated, the node rejoins', { skip, timeout: 120_000 }, async () => {
  const url = db!.url;
  const nodes: ServerProcess[] = [];
  let passed = false;
  try {
    for (let i = 0; i < 3; i++) nodes.push(await startServer({ databaseFile: url, faults: FAULTS }));
    const [a, b, victim] = nodes as [ServerProcess, ServerProcess, ServerProcess];
    let victimAlive = true;
    const live = () => (victimAlive ? nodes : [a, b]);

    const ops: Operation[] = Array.from({ length: OPERATIONS }, (_, i) => ({ name: `kill-${i}`, clientToken: `kill-token-${i}` }));
    let next = 0;
    let acknowledged = 0;
    const gaveUp: string[] = [];
    const senders = Array.from({ length: 24 }, async () => {
      while (next < ops.length) {
        const i = next++;
        await create(ops[i]!, live, i, gaveUp);
        acknowledged++;
      }
    });

    // Mid-flight: once half the operations are acknowledged, freeze the victim at a moment it holds
    // leases (checked in the database while it is stopped), then SIGKILL it.
    await poll(async () => (acknowledged >= OPERATIONS / 2 ? true : undefined), 30_000, 'half the creates acknowledged');
    const owner = `${hostname()}:${victim.child.pid}:%`;
    let heldAtKill = 0;
    const giveUpAt = deadlineFrom(20_000);
    for (;;) {
      victim.child.kill('SIGSTOP');
      heldAtKill = Number((await db!.admin.query('SELECT count(*) AS n FROM ccapi.requests WHERE lease_owner LIKE $1', [owner])).rows[0].n);
      if (heldAtKill > 0 || Date.now() > giveUpAt) break;
      victim.child.kill('SIGCONT');
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    await victim.stop('SIGKILL');
    victimAlive = false;
    const unfinished = Number((await db!.admin.query('SELECT count(*) AS n FROM ccapi.requests WHERE terminal_at IS NULL')).rows[0].n);
    console.log(`# killed node ${victim.child.pid} holding ${heldAtKill} lease(s); ${unfinished} request(s) unfinished, ${acknowledged} of ${OPERATIONS} acknowledged`);
    assert.ok(heldAtKill > 0, 'the victim held leases when it was killed (its steps must be taken over)');
    assert.ok(unfinished > 0, 'the kill happened with work in flight');

    await Promise.all(senders);
    assert.ok(ops.every((op) => op.requestToken), 'every create acknowledged');
    console.log(`# the SDK gave up ${gaveUp.length} call(s) on the killed node; the next node took them`);

    // Every request reaches a terminal state: the survivors took over the victim's leases and queue.
    await poll(async () => {
      const { rows } = await db!.admin.query('SELECT count(*) AS n FROM ccapi.requests WHERE terminal_at IS NULL');
      return Number(rows[0].n) === 0 ? true : undefined;
    }, 40_000, 'all requests terminal');

    // Nothing duplicated: one request per client token, one terminal timeline entry per request, one resource per name.
    const requests = await db!.admin.query('SELECT client_token, token, status FROM ccapi.requests');
    assert.equal(requests.rowCount, OPERATIONS, 'one request per operation, retries included');
    const byClientToken = new Map(requests.rows.map((r) => [r.client_token as string, r]));
    for (const op of ops) {
      assert.equal(byClientToken.get(op.clientToken)?.token, op.requestToken, `${op.clientToken} names the acknowledged request`);
      assert.equal(byClientToken.get(op.clientToken)?.status, 'SUCCESS');
    }
    const endings = await db!.admin.query(
      "SELECT token, count(*)::int AS n FROM ccapi.request_events WHERE status IN ('SUCCESS', 'FAILED', 'CANCEL_COMPLETE') GROUP BY token",
    );
    assert.equal(endings.rowCount, OPERATIONS);
    assert.deepEqual(endings.rows.filter((r) => r.n !== 1), [], 'exactly one terminal state per request');
    const resources = await db!.admin.query('SELECT identifier FROM ccapi.resources WHERE type_name = $1 ORDER BY identifier', [TYPE]); // not the default VPC's
    assert.deepEqual(resources.rows.map((r) => r.identifier), ops.map((op) => op.name).sort(), 'every resource exactly once');

    // Every token answers, the same way, from every surviving node; a replayed ClientToken too.
    for (const node of [a, b]) {
      for (const op of ops) {
        const event = await statusOn(node, op.requestToken!);
        assert.deepEqual([event.OperationStatus, event.Identifier], ['SUCCESS', op.name], `${op.requestToken} on ${node.url}`);
      }
      const replay = await sdk(node).send(new CreateResourceCommand({ TypeName: TYPE, DesiredState: JSON.stringify({ LogGroupName: ops[0]!.name }), ClientToken: ops[0]!.clientToken }), HANG());
      assert.equal(replay.ProgressEvent!.RequestToken, ops[0]!.requestToken, 'a replayed ClientToken answers the original request');
    }

    // The killed node restarts on the same database and rejoins: it answers every token and runs new work.
    const back = await startServer({ databaseFile: url, faults: FAULTS });
    nodes.push(back);
    for (const op of ops) assert.equal((await statusOn(back, op.requestToken!)).OperationStatus, 'SUCCESS');
    const fresh = await sdk(back).send(new CreateResourceCommand({ TypeName: TYPE, DesiredState: JSON.stringify({ LogGroupName: 'after-restart' }) }), HANG());
    const token = fresh.ProgressEvent!.RequestToken!;
    await poll(async () => ((await statusOn(back, token)).OperationStatus === 'SUCCESS' ? true : undefined), 30_000, 'a create through the restarted node');
    const seen = await sdk(a).send(new GetResourceCommand({ TypeName: TYPE, Identifier: 'after-restart' }), HANG());
    assert.equal(seen.ResourceDescription?.Identifier, 'after-restart', 'visible from the other nodes');
    passed = true;
  } finally {
    for (const client of clients.values()) client.destroy();
    const codes = await Promise.all(nodes.map((n) => n.stop()));
    const unclean = codes.filter((code, i) => code !== 0 && nodes[i]!.child.signalCode !== 'SIGKILL');
    if (passed) assert.deepEqual(unclean, [], `clean shutdown of the surviving nodes\n${nodes.map((n) => n.stderr()).join('\n')}`);
  }
});
