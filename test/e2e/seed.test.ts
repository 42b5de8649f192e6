/**
 * End-to-end: `--seed FILE` (issue #15 part 6). Seeded resources are there when the ready line is printed, made
 * through the ordinary create path; a restart on the same SQLite file does not duplicate them (even those whose
 * identifier is generated); bad files stop the start with the file, the entry and the reason.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { GetResourceCommand, ListResourceRequestsCommand, ListResourcesCommand, type CloudControlClient } from '@aws-sdk/client-cloudcontrol';
import { CLI, startServer, tempDir } from '../support/server.js';
import { makeClient } from './support.js';

const SEED_JSON = JSON.stringify({
  resources: [
    {
      typeName: 'AWS::IAM::Role',
      properties: {
        RoleName: 'app-role',
        AssumeRolePolicyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }] },
      },
    },
  ],
});

const SEED_YAML = `
resources:
  # No name: its identifier (the queue URL) is generated, so only the seed's own record prevents a second one.
  - typeName: AWS::SQS::Queue
    properties: {VisibilityTimeout: 45}
    account: "123456789012"
    region: eu-west-1
`;

async function count(client: CloudControlClient, typeName: string): Promise<Record<string, unknown>[]> {
  const page = await client.send(new ListResourcesCommand({ TypeName: typeName }));
  return (page.ResourceDescriptions ?? []).map((d) => JSON.parse(d.Properties!) as Record<string, unknown>);
}

test('seeded resources exist at the ready line, through the create path, and a restart does not duplicate them', async () => {
  const dir = tempDir();
  const file = join(dir, 'seed.yaml');
  writeFileSync(file, SEED_YAML);
  const roles = join(dir, 'roles.json');
  writeFileSync(roles, SEED_JSON);
  const databaseFile = join(dir, 'ccapi.db');
  // Two files (--seed is repeatable): JSON and YAML.
  const seedArgs = ['--seed', roles, '--seed', file];
  const first = await startServer({ databaseFile, extraArgs: seedArgs });
  let queueUrl: unknown;
  try {
    assert.match(first.stdout(), /seeds: 2 created, 0 already there/);
    const role = await makeClient(first).send(new GetResourceCommand({ TypeName: 'AWS::IAM::Role', Identifier: 'app-role' }));
    assert.match(JSON.parse(role.ResourceDescription!.Properties!).Arn, /^arn:aws:iam::000000000000:role\/app-role$/);
    const queues = await count(makeClient(first, { region: 'eu-west-1', accessKeyId: '123456789012' }), 'AWS::SQS::Queue');
    assert.equal(queues.length, 1);
    assert.equal(queues[0]!.VisibilityTimeout, 45);
    queueUrl = queues[0]!.QueueUrl;
    // The ordinary create path: a request the team can see, as if their own code had made it.
    const requests = await makeClient(first).send(new ListResourceRequestsCommand({ ResourceRequestStatusFilter: { Operations: ['CREATE'] } }));
    assert.deepEqual(requests.ResourceRequestStatusSummaries!.map((r) => [r.TypeName, r.OperationStatus]), [['AWS::IAM::Role', 'SUCCESS']]);
  } finally {
    await first.stop();
  }
  const second = await startServer({ databaseFile, extraArgs: seedArgs });
  try {
    assert.match(second.stdout(), /seeds: 0 created, 2 already there/);
    const queues = await count(makeClient(second, { region: 'eu-west-1', accessKeyId: '123456789012' }), 'AWS::SQS::Queue');
    assert.deepEqual(queues.map((q) => q.QueueUrl), [queueUrl]);
    assert.equal((await count(makeClient(second), 'AWS::IAM::Role')).length, 1);
  } finally {
    await second.stop();
  }
});

/** Runs `ccapi serve` with the seed file and returns its exit code and stderr (it must not start). */
function refusedStart(name: string, content: string, faults?: object): Promise<{ code: number | null; stderr: string; stdout: string; file: string }> {
  const dir = tempDir();
  const file = join(dir, name);
  writeFileSync(file, content);
  const extra: string[] = [];
  if (faults) {
    writeFileSync(join(dir, 'faults.json'), JSON.stringify(faults));
    extra.push('--faults', join(dir, 'faults.json'));
  }
  const child = spawn(process.execPath, [CLI, 'serve', '--port', '0', '--database', join(dir, 'ccapi.db'), '--seed', file, ...extra], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  let stdout = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  return new Promise((resolve) => {
    // A server that did start would never exit by itself: stop it, and the test fails on the exit code.
    const guard = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.once('exit', (code) => {
      clearTimeout(guard);
      resolve({ code, stderr, stdout, file });
    });
  });
}

test('bad seed files are refused at start with the file, the entry and the reason', async () => {
  const cases: [string, string, RegExp][] = [
    ['unknown-type.json', '{"resources": [{"typeName": "AWS::SQS::Queue"}, {"typeName": "AWS::Nope::Thing"}]}', /resources\[1\] \(AWS::Nope::Thing\): TypeNotFoundException: The type 'AWS::Nope::Thing' cannot be found\./],
    ['invalid.json', '{"resources": [{"typeName": "AWS::SQS::Queue", "properties": {"VisibilityTimeout": "soon"}}]}', /resources\[0\] \(AWS::SQS::Queue\): Model validation failed \(#\/VisibilityTimeout: expected type: Integer, found: String\)/],
    ['broken.yaml', 'resources:\n  - typeName: AWS::SQS::Queue\n    properties: {VisibilityTimeout: 45\n', /invalid YAML at line \d+, column \d+/],
    ['keys.json', '{"resources": [{"typeName": "AWS::SQS::Queue", "propertys": {}}]}', /resources\[0\] \(AWS::SQS::Queue\): unknown key "propertys"/],
  ];
  for (const [name, content, reason] of cases) {
    const run = await refusedStart(name, content);
    assert.notEqual(run.code, 0, `${name}: exit status`);
    assert.doesNotMatch(run.stdout, /listening on/, `${name}: must not start`);
    assert.ok(run.stderr.includes(`seed file ${run.file}`), `${name}: names the file:\n${run.stderr}`);
    assert.match(run.stderr, reason, name);
  }
});

test('a seed entry whose create request fails stops the start with the request\'s error', async () => {
  const faults = { rules: [{ typeName: 'AWS::SQS::Queue', operation: 'CREATE', errorCode: 'ServiceLimitExceeded', statusMessage: 'Too many queues (injected)' }] };
  const run = await refusedStart('queues.json', '{"resources": [{"typeName": "AWS::SQS::Queue"}]}', faults);
  assert.notEqual(run.code, 0);
  assert.doesNotMatch(run.stdout, /listening on/);
  assert.match(run.stderr, /resources\[0\] \(AWS::SQS::Queue\): the create request \S+ ended FAILED \(ServiceLimitExceeded\): Too many queues \(injected\)/, run.stderr);
});
