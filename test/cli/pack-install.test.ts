/**
 * The package as users get it: `npm pack` of this checkout, installed globally into a temporary prefix
 * (`npm install -g ./ccapi-*.tgz --prefix DIR`, from the local npm cache), then `ccapi serve` from that
 * install answering a Cloud Control call. Checks too that the package carries what runs at run time (dist,
 * the built-in catalogue) and installs no build-only dependency. Slow (better-sqlite3 may build from source:
 * about a minute on a quiet machine, 6 minutes measured on a loaded one), so in a file of its own, which the runner runs beside the others.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { CreateResourceCommand } from '@aws-sdk/client-cloudcontrol';
import { REPO_ROOT, tempDir } from './support.js';
import { makeClient, waitForStatus } from '../e2e/support.js';
import type { ServerProcess } from '../support/server.js';

const work = tempDir('ccapi-pack-');
after(() => rmSync(work, { recursive: true, force: true }));

function npm(args: string[], cwd: string, timeoutMs: number): { stdout: string; stderr: string } {
  // --ignore-scripts on pack: `npm test` has just built dist/, and the prepare script would build it again.
  const run = spawnSync('npm', args, { cwd, encoding: 'utf8', timeout: timeoutMs, env: { ...process.env, npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false' } });
  assert.equal(run.status, 0, `npm ${args.join(' ')} failed (${run.status ?? run.signal}):\n${run.stdout}\n${run.stderr}`);
  return { stdout: run.stdout, stderr: run.stderr };
}

test('npm pack gives a package that installs globally and runs `ccapi serve`', { timeout: 1_200_000 }, async () => {
  npm(['pack', '--ignore-scripts', '--pack-destination', work], REPO_ROOT, 120_000);
  const tarball = readdirSync(work).find((f) => /^ccapi-.*\.tgz$/.test(f));
  assert.ok(tarball, `no ccapi-*.tgz in ${work}`);
  const listing = spawnSync('tar', ['tzf', join(work, tarball)], { encoding: 'utf8' }).stdout.split('\n');
  for (const needed of ['package/dist/cli.js', 'package/dist/catalogue/index.json', 'package/dist/catalogue/schemas.jsonl', 'package/README.md']) {
    assert.ok(listing.includes(needed), `${needed} is in the package`);
  }
  assert.deepEqual(listing.filter((f) => /\.test\.js$|^package\/(src|test)\//.test(f)), [], 'no tests or sources');

  const prefix = join(work, 'prefix');
  // The local npm cache first: the dependencies this checkout installed are there.
  npm(['install', '-g', join(work, tarball), '--prefix', prefix, '--prefer-offline'], work, 900_000);
  const installed = join(prefix, 'lib/node_modules/ccapi');
  const bin = join(prefix, 'bin/ccapi');
  assert.ok(existsSync(bin), `${bin} exists`);
  const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string; devDependencies: Record<string, string> };
  // A dev dependency may also be a runtime package's own dependency (the SDK needs @smithy/signature-v4): only
  // those that nothing installed asks for would be there because of us.
  const modules = join(installed, 'node_modules');
  const installedPackages = readdirSync(modules).flatMap((name) => (name.startsWith('@') ? readdirSync(join(modules, name)).map((sub) => `${name}/${sub}`) : [name]));
  const wanted = new Set<string>();
  for (const name of installedPackages) {
    const file = join(modules, name, 'package.json');
    if (!existsSync(file)) continue;
    const manifest = JSON.parse(readFileSync(file, 'utf8')) as { dependencies?: Record<string, string>; optionalDependencies?: Record<string, string>; peerDependencies?: Record<string, string> };
    for (const dep of Object.keys({ ...manifest.dependencies, ...manifest.optionalDependencies, ...manifest.peerDependencies })) wanted.add(dep);
  }
  const strays = Object.keys(pkg.devDependencies).filter((name) => installedPackages.includes(name) && !wanted.has(name));
  assert.deepEqual(strays, [], 'no build- or test-only dependency is installed for its own sake');
  for (const buildOnly of ['typescript', 'esbuild', '@aws-cdk/aws-service-spec', 'playwright-core']) assert.ok(!installedPackages.includes(buildOnly), `${buildOnly} is not installed`);

  const version = spawnSync(bin, ['--version'], { encoding: 'utf8' });
  assert.equal(version.stdout.trim(), pkg.version);

  const child = spawn(bin, ['serve', '--port', '0', '--database', join(work, 'ccapi.db'), '--log-level', 'warn'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  try {
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (d: Buffer) => {
        stdout += d.toString();
        const match = /listening on (http:\/\/\S+)/.exec(stdout);
        if (match) resolve(match[1]!);
      });
      void exited.then((code) => reject(new Error(`the installed ccapi serve exited with ${code}\n${stderr}`)));
    });
    assert.match(stdout, /catalogue: 1,\d{3} built-in AWS resource types/);
    const server = { url } as ServerProcess;
    const client = makeClient(server);
    try {
      const out = await client.send(new CreateResourceCommand({ TypeName: 'AWS::Logs::LogGroup', DesiredState: '{"LogGroupName":"packed"}' }));
      assert.equal((await waitForStatus(client, out.ProgressEvent!.RequestToken!)).OperationStatus, 'SUCCESS');
    } finally {
      client.destroy();
    }
  } finally {
    child.kill('SIGTERM');
    assert.equal(await exited, 0, stderr);
  }
});
