/**
 * End-to-end: what `ccapi types init` writes runs unchanged in a real server, driven by the AWS CLI (a
 * newcomer's first session from the scaffold's README): create in two steps, get without the write-only
 * key, update, list, delete.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CLI, startServer, tempDir, type ServerProcess } from '../support/server.js';
import { awsEnv, TEST_CREDENTIALS } from '../support/aws-env.js';
import { skipIfMissing } from '../support/prerequisites.js';

let server: ServerProcess;
let root: string;

function run(command: string, args: string[], cwd?: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) =>
    execFile(
      command,
      args,
      {
        cwd,
        timeout: 60_000,
        env: awsEnv(TEST_CREDENTIALS),
      },
      (error, stdout, stderr) => resolve({ code: error ? Number((error as NodeJS.ErrnoException).code ?? 1) : 0, stdout, stderr }),
    ),
  );
}

const aws = async (...args: string[]) => {
  const result = await run('aws', ['cloudcontrol', ...args, '--endpoint-url', server.url, '--output', 'json']);
  assert.equal(result.code, 0, `aws ${args.join(' ')}\n${result.stderr}`);
  return result.stdout ? (JSON.parse(result.stdout) as Record<string, any>) : {};
};

before(async () => {
  root = tempDir('ccapi-scaffold-');
  const init = await run(process.execPath, [CLI, 'types', 'init', 'Acme::Thing::Widget', 'types/widget'], root);
  assert.equal(init.code, 0, init.stderr);
  // The sample configuration keeps widgets under the server's working directory; this test keeps them in its own.
  const config = join(root, 'type-config.json');
  writeFileSync(config, JSON.stringify({ 'Acme::Thing::Widget': { directory: join(root, 'data'), pageSize: 20 } }));
  server = await startServer({ extraArgs: ['--types', join(root, 'types'), '--type-config', config] });
});

after(async () => {
  await server?.stop();
});

test('the scaffolded type serves a whole lifecycle through the AWS CLI', { skip: skipIfMissing('awsCli') }, async () => {
  const created = await aws('create-resource', '--type-name', 'Acme::Thing::Widget', '--desired-state', '{"Name":"first","Size":3,"ApiKey":"k3y-k3y-k3y"}');
  const token = created.ProgressEvent.RequestToken as string;
  await aws('wait', 'resource-request-success', '--request-token', token);
  const got = await aws('get-resource', '--type-name', 'Acme::Thing::Widget', '--identifier', 'first');
  const model = JSON.parse(got.ResourceDescription.Properties);
  assert.equal(model.Size, 3);
  assert.match(model.Arn, /first/);
  assert.equal(model.ApiKey, undefined, 'the write-only key is never returned');

  const updated = await aws('update-resource', '--type-name', 'Acme::Thing::Widget', '--identifier', 'first', '--patch-document', '[{"op":"replace","path":"/Size","value":7}]');
  await aws('wait', 'resource-request-success', '--request-token', updated.ProgressEvent.RequestToken);
  const listed = await aws('list-resources', '--type-name', 'Acme::Thing::Widget');
  assert.deepEqual(listed.ResourceDescriptions.map((d: { Identifier: string }) => d.Identifier), ['first']);
  assert.equal(JSON.parse(listed.ResourceDescriptions[0].Properties).Size, 7);

  const deleted = await aws('delete-resource', '--type-name', 'Acme::Thing::Widget', '--identifier', 'first');
  await aws('wait', 'resource-request-success', '--request-token', deleted.ProgressEvent.RequestToken);
  const missing = await run('aws', ['cloudcontrol', 'get-resource', '--type-name', 'Acme::Thing::Widget', '--identifier', 'first', '--endpoint-url', server.url]);
  assert.notEqual(missing.code, 0);
  assert.match(missing.stderr, /ResourceNotFoundException/);
});
