// `ccapi schemas pull` through the real command against a local node:http server (never the internet):
// progress lines, where the bundle lands (--cache-dir, XDG_CACHE_HOME, region), failures, and `serve` and
// `types` picking the cached bundle up by themselves.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import AdmZip from 'adm-zip';
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { lineView, progressText } from '../../src/cli/schemas.js';
import type { PullProgress } from '../../src/registry/schema-cache.js';
import { cleanEnv, runCli, serve, tempDir } from './support.js';

const TYPES = ['AWS::S3::Bucket', 'AWS::Test::One', 'AWS::Test::Two'];

function bundle(): Buffer {
  const zip = new AdmZip();
  for (const typeName of TYPES) {
    const schema = {
      typeName,
      // Incompressible, so the download takes several chunks and the quarters are reported.
      description: randomBytes(30_000).toString('base64'),
      properties: { Id: { type: 'string' }, Secret: { type: 'string' } },
      primaryIdentifier: ['/properties/Id'],
      writeOnlyProperties: ['/properties/Secret'],
      handlers: { create: {}, read: {}, delete: {} },
    };
    zip.addFile(`${typeName.toLowerCase().replaceAll('::', '-')}.json`, Buffer.from(JSON.stringify(schema)));
  }
  return zip.toBuffer();
}

const ZIP = bundle();
let server: Server;
let base: string;

before(async () => {
  server = createServer(async (req, res) => {
    if (req.url === '/CloudformationSchema.zip') {
      res.writeHead(200, { 'content-type': 'application/zip', 'content-length': ZIP.length });
      for (let i = 0; i < ZIP.length; i += 16_384) {
        res.write(ZIP.subarray(i, i + 16_384));
        await new Promise((r) => setTimeout(r, 2));
      }
      res.end();
    } else if (req.url === '/corrupt.zip') {
      res.writeHead(200, { 'content-type': 'application/zip' });
      res.end('PK but not really a zip');
    } else {
      res.writeHead(404);
      res.end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => server.close());

test('plain progress lines: one per quarter with a known length, one per MiB without', () => {
  const url = 'http://example.test/CloudformationSchema.zip';
  const lines: string[] = [];
  const view = lineView((line) => lines.push(line));
  const report = (p: Omit<PullProgress, 'url'>) => view.update({ url, ...p });
  const total = 4 * 1024 * 1024;
  report({ phase: 'connecting', received: 0 });
  for (const received of [0, 100, total * 0.2, total * 0.3, total * 0.8, total * 0.9, total]) report({ phase: 'downloading', received, total });
  report({ phase: 'verifying', received: total, total });
  assert.deepStrictEqual(lines, [
    `Downloading ${url} (4.0 MiB)`,
    '  30%  1.2 MiB of 4.0 MiB',
    '  80%  3.2 MiB of 4.0 MiB',
    '  100%  4.0 MiB of 4.0 MiB',
    'Verifying the bundle (4.0 MiB)',
  ]);

  const unknown: string[] = [];
  const chunked = lineView((line) => unknown.push(line));
  for (const received of [0, 700_000, 1_100_000, 1_500_000, 3_300_000]) chunked.update({ url, phase: 'downloading', received });
  assert.deepStrictEqual(unknown, [`Downloading ${url}`, '  1.0 MiB', '  3.1 MiB']);

  assert.equal(progressText({ url, phase: 'downloading', received: 512, total: 2048 }), `Downloading ${url}  512 B of 2.0 KiB (25%)`);
  assert.equal(progressText({ url, phase: 'downloading', received: 512 }), `Downloading ${url}  512 B`);
  assert.equal(progressText({ url, phase: 'connecting', received: 0 }), `Connecting to ${url}`);
});

describe('ccapi schemas pull', { concurrency: 3 }, () => {
  test('downloads into --cache-dir with progress lines, and says where and how many types', async () => {
    const cacheDir = tempDir();
    const url = `${base}/CloudformationSchema.zip`;
    const { status, stdout, stderr } = await runCli(['schemas', 'pull', '--url', url, '--cache-dir', cacheDir, '--region', 'eu-west-1']);
    assert.equal(status, 0, stderr);
    const path = join(cacheDir, 'eu-west-1', 'CloudformationSchema.zip');
    assert.deepStrictEqual(readFileSync(path), ZIP);
    assert.deepStrictEqual(readdirSync(dirname(path)), ['CloudformationSchema.zip']);
    const lines = stdout.trimEnd().split('\n');
    const size = `${(ZIP.length / 1024).toFixed(1)} KiB`;
    assert.equal(lines[0], `Downloading ${url} (${size})`);
    const percents = lines.filter((l) => /^ {2}\d+%/.test(l)).map((l) => parseInt(l));
    assert.deepStrictEqual(percents, [...percents].sort((a, b) => a - b), 'percentages only go up');
    // How many quarters show depends on how the chunks arrive (a busy machine delivers them in one): the
    // quarters themselves are checked with lineView below.
    assert.equal(percents.at(-1), 100, stdout);
    assert.ok(lines.includes(`  100%  ${size} of ${size}`), stdout);
    assert.ok(lines.includes(`Verifying the bundle (${size})`), stdout);
    assert.ok(lines.includes(`Saved 3 resource type schemas (${size}) for eu-west-1 to ${path}`), stdout);
    assert.equal(lines.at(-1), `Use it with: ccapi serve --schemas ${path}`);
  });

  test('a 404 is an error; nothing is cached', async () => {
    const cacheDir = tempDir();
    const { status, stderr } = await runCli(['schemas', 'pull', '--url', `${base}/nope.zip`, '--cache-dir', cacheDir]);
    assert.equal(status, 1);
    assert.equal(stderr, `ccapi: cannot download ${base}/nope.zip: HTTP 404 Not Found\n`);
    assert.deepStrictEqual(readdirSync(cacheDir), [], 'not even the region folder');
  });

  test('a corrupt zip is an error and leaves the cached bundle in place', async () => {
    const cacheDir = tempDir();
    const path = join(cacheDir, 'us-east-1', 'CloudformationSchema.zip');
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, 'previously pulled');
    const { status, stderr } = await runCli(['schemas', 'pull', '--url', `${base}/corrupt.zip`, '--cache-dir', cacheDir]);
    assert.equal(status, 1);
    assert.equal(stderr, `ccapi: the download from ${base}/corrupt.zip is not a schema bundle: not a zip file (no end of central directory record)\n`);
    assert.equal(readFileSync(path, 'utf8'), 'previously pulled');
    assert.deepStrictEqual(readdirSync(dirname(path)), ['CloudformationSchema.zip']);
  });

  test('the region defaults to AWS_REGION, and must look like one', async () => {
    const env = cleanEnv({ AWS_REGION: 'nowhere-1.invalid' });
    const { status, stderr } = await runCli(['schemas', 'pull', '--cache-dir', tempDir()], env);
    assert.equal(status, 1);
    assert.match(stderr, /^ccapi: invalid region "nowhere-1\.invalid"\n$/);
  });
});

describe('the cached bundle is used by serve and types without --schemas', () => {
  let xdg: string;
  let cached: string;

  before(async () => {
    xdg = tempDir('ccapi-xdg-');
    const { status, stdout, stderr } = await runCli(['schemas', 'pull', '--url', `${base}/CloudformationSchema.zip`], cleanEnv({ XDG_CACHE_HOME: xdg }));
    assert.equal(status, 0, stderr);
    cached = join(xdg, 'ccapi', 'schemas', 'us-east-1', 'CloudformationSchema.zip');
    assert.ok(existsSync(cached), stdout);
    assert.match(stdout, /"ccapi serve" and "ccapi types" use it by default\.\n$/);
  });

  test('serve starts with it and says so', async () => {
    const server = await serve([], cleanEnv({ XDG_CACHE_HOME: xdg }));
    try {
      assert.match(server.line, new RegExp(`catalogue: 3 registry types from ${cached.replaceAll('.', '\\.')} over 1,\\d{3} built-in \\(1,\\d{3} in all\\); `));
      assert.deepStrictEqual(
        server.health.catalogue.layers.map((l) => [l.source, l.origin, l.types]),
        [
          ['aws-service-spec', server.health.catalogue.layers[0]!.origin, server.health.catalogue.layers[0]!.types],
          ['registry', cached, 3],
        ],
      );
      assert.equal(server.health.catalogue.types, server.health.catalogue.layers[0]!.types + 2, 'AWS::S3::Bucket is in both');
    } finally {
      await server.stop();
    }
  });

  test('--no-cached-schemas, another region or --schemas leave it out', async () => {
    const notCached = await serve(['--no-cached-schemas'], cleanEnv({ XDG_CACHE_HOME: xdg }));
    await notCached.stop();
    assert.match(notCached.line, /catalogue: 1,\d{3} built-in AWS resource types; /);
    const otherRegion = await serve([], cleanEnv({ XDG_CACHE_HOME: xdg, AWS_REGION: 'eu-central-1' }));
    await otherRegion.stop();
    assert.match(otherRegion.line, /catalogue: 1,\d{3} built-in AWS resource types; /);
    const mine = tempDir();
    writeFileSync(join(mine, 'mine.json'), JSON.stringify({ typeName: 'Acme::Mine::Type', properties: {}, primaryIdentifier: ['/properties/Id'] }));
    const explicit = await serve(['--schemas', mine], cleanEnv({ XDG_CACHE_HOME: xdg }));
    await explicit.stop();
    assert.match(explicit.line, new RegExp(`catalogue: 1 registry type from ${mine} over 1,\\d{3} built-in \\(1,\\d{3} in all\\); `));
    assert.deepStrictEqual(explicit.health.catalogue.layers.map((l) => l.origin).slice(1), [mine]);
  });

  test('types ls and describe read it too', async () => {
    const ls = await runCli(['types', 'ls', '--source', 'registry'], cleanEnv({ XDG_CACHE_HOME: xdg }));
    assert.equal(ls.status, 0, ls.stderr);
    assert.deepStrictEqual(
      ls.stdout.trimEnd().split('\n').map((l) => l.split(/\s+/)),
      TYPES.map((t) => [t, 'registry', cached]),
    );
    const describe = await runCli(['types', 'describe', 'AWS::S3::Bucket'], cleanEnv({ XDG_CACHE_HOME: xdg }));
    assert.equal(describe.status, 0, describe.stderr);
    assert.match(describe.stdout, new RegExp(`^ {2}origin\\s+${cached.replaceAll('.', '\\.')}$`, 'm'));
    assert.match(describe.stdout, /^ {2}writeOnly\s+1: \/properties\/Secret$/m);
  });

  test('a damaged cached bundle is a clear start-up error', async () => {
    const damagedXdg = tempDir('ccapi-xdg-');
    const path = join(damagedXdg, 'ccapi', 'schemas', 'us-east-1', 'CloudformationSchema.zip');
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, 'not a zip at all, and long enough to be searched for an end record'.repeat(2));
    await assert.rejects(serve([], cleanEnv({ XDG_CACHE_HOME: damagedXdg })), (error: Error) => {
      assert.match(
        error.message,
        /ccapi: cannot read schemas from .*CloudformationSchema\.zip: not a zip file \(no end of central directory record\) \(the bundle cached by "ccapi schemas pull": pull it again, or pass --no-cached-schemas\)/,
      );
      return true;
    });
  });
});
