/**
 * Custom types and hooks on two `ccapi serve --database postgres://…` nodes with the same --types and
 * --hooks: a multi-step create accepted by one node may be stepped by either, a hook verdict reached on one
 * node is what the other answers, and a node killed between steps leaves the request to the other.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type CloudControlClient, CreateResourceCommand, GetResourceRequestStatusCommand, type GetResourceRequestStatusCommandOutput } from '@aws-sdk/client-cloudcontrol';
import { startServer, tempDir, type ServerProcess } from '../support/server.js';
import { makeClient } from '../e2e/support.js';
import { createTestDatabase } from './support.js';

const { db, skip } = await createTestDatabase();
after(() => db?.drop());

const TYPE = 'Acme::Cluster::Ticket';

/**
 * Each step records which process ran it, in the model and as a file `step-<n>` in `dir`, so the test can see the
 * work move between nodes while the request is still in progress.
 */
const handlers = (dir: string) => `
import { writeFileSync } from 'node:fs';
export async function create(req) {
  const steps = [...(req.callbackContext?.steps ?? []), process.pid];
  writeFileSync(${JSON.stringify(dir)} + '/step-' + steps.length, String(process.pid));
  if (steps.length < 3) return { status: 'IN_PROGRESS', callbackContext: { steps }, callbackDelaySeconds: req.desiredResourceState.Delay ?? 0.3 };
  return { status: 'SUCCESS', resourceModel: { Name: req.desiredResourceState.Name, Steps: steps } };
}
export async function read(req) { return { status: 'FAILED', errorCode: 'NotFound', message: 'not kept' }; }
async function remove() { return { status: 'SUCCESS' }; }
export { remove as delete };
`;

const SCHEMA = {
  typeName: TYPE,
  description: 'A ticket made in three steps',
  additionalProperties: false,
  properties: { Name: { type: 'string' }, Owner: { type: 'string' }, Delay: { type: 'number' }, Steps: { type: 'array', items: { type: 'integer' } } },
  required: ['Name'],
  primaryIdentifier: ['/properties/Name'],
  readOnlyProperties: ['/properties/Steps'],
  handlers: { create: { permissions: [] }, read: { permissions: [] }, delete: { permissions: [] } },
};

const HOOKS = { hooks: [{ typeName: 'Acme::Policy::Owner', targets: ['Acme::*'], failureMode: 'FAIL', conditions: [{ pointer: '/Owner', exists: true }], message: 'Tickets need an Owner' }] };

/** The JS SDK, signed, with its own retries, one client per node; each call's abort only catches a hang. */
const clients = new Map<ServerProcess, CloudControlClient>();
function sdk(node: ServerProcess): CloudControlClient {
  let client = clients.get(node);
  if (!client) {
    client = makeClient(node);
    clients.set(node, client);
  }
  return client;
}
const HANG = () => ({ abortSignal: AbortSignal.timeout(30_000) });

async function create(node: ServerProcess, model: object): Promise<string> {
  const out = await sdk(node).send(new CreateResourceCommand({ TypeName: TYPE, DesiredState: JSON.stringify(model) }), HANG());
  return out.ProgressEvent!.RequestToken!;
}

function statusFrom(node: ServerProcess, token: string): Promise<GetResourceRequestStatusCommandOutput> {
  return sdk(node).send(new GetResourceRequestStatusCommand({ RequestToken: token }), HANG());
}

/** Polls until `check` gives a value; the deadline only catches a hang. */
async function until<T>(check: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`not done within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

test('two PostgreSQL nodes share custom-type steps and hook verdicts; a killed node leaves its request to the other', { skip, timeout: 120_000 }, async () => {
  const root = tempDir('ccapi-mn-custom-');
  mkdirSync(join(root, 'types/ticket'), { recursive: true });
  writeFileSync(join(root, 'types/ticket/schema.json'), JSON.stringify(SCHEMA));
  mkdirSync(join(root, 'steps'));
  writeFileSync(join(root, 'types/ticket/handlers.js'), handlers(join(root, 'steps')));
  writeFileSync(join(root, 'hooks.json'), JSON.stringify(HOOKS));
  const args = ['--types', join(root, 'types'), '--hooks', join(root, 'hooks.json')];
  const a = await startServer({ databaseFile: db!.url, extraArgs: args });
  let b: ServerProcess | undefined;
  try {
    b = await startServer({ databaseFile: db!.url, extraArgs: args });

    // Blocked by the hook on node A; node B answers the same verdict.
    const blockedToken = await create(a, { Name: 'no-owner' });
    const verdict = await until(async () => {
      const s = await statusFrom(b!, blockedToken);
      return s.ProgressEvent!.OperationStatus === 'FAILED' ? s : undefined;
    });
    assert.equal(verdict.ProgressEvent!.ErrorCode, 'InvalidRequest');
    assert.equal(verdict.HooksProgressEvent![0]!.HookStatus, 'HOOK_COMPLETE_FAILED');
    assert.equal(verdict.HooksProgressEvent![0]!.HookStatusMessage, 'Tickets need an Owner');

    // A three-step create accepted by node A; whichever node ran its first step is killed before the second
    // (due 2 s later), and the other finishes it.
    const token = await create(a, { Name: 'moved', Owner: 'ops', Delay: 2 });
    // The first step's result is stored once the request shows its RetryAfter; only then does its file name the
    // node whose step counts (a node killed between running the step and storing it would see it run again).
    await until(async () => ((await statusFrom(b!, token)).ProgressEvent!.RetryAfter !== undefined ? true : undefined));
    const firstStep = join(root, 'steps', 'step-1');
    const firstPid = await until(async () => (existsSync(firstStep) ? Number(readFileSync(firstStep, 'utf8')) : undefined));
    const [victim, survivor] = firstPid === a.child.pid ? [a, b] : [b, a];
    assert.equal(firstPid, victim.child.pid, 'the first step ran on one of the two nodes');
    await victim.stop('SIGKILL');
    const done = await until(async () => {
      const s = await statusFrom(survivor, token);
      return s.ProgressEvent!.OperationStatus === 'SUCCESS' ? s : undefined;
    }, 60_000);
    const steps = JSON.parse(done.ProgressEvent!.ResourceModel!).Steps as number[];
    assert.equal(steps.length, 3);
    assert.equal(steps[0], victim.child.pid, 'the first step ran on the node that was killed');
    assert.equal(steps[2], survivor.child.pid, 'the last step ran on the surviving node');
    assert.equal(done.HooksProgressEvent![0]!.HookStatus, 'HOOK_COMPLETE_SUCCEEDED');
  } finally {
    for (const client of clients.values()) client.destroy();
    await a.stop();
    await b?.stop();
  }
});
