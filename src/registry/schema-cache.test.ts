// Tests for the schema cache: XDG paths, and pulling a bundle from a local node:http server (never the
// internet): progress, redirects, lengths known or not, and failures that must leave the cache as it was.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import AdmZip from 'adm-zip';
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import {
  bundleUrl,
  cachedBundlePath,
  defaultRegion,
  findCachedBundle,
  pullSchemaBundle,
  schemaCacheDir,
  SchemaPullError,
  type PullProgress,
} from './schema-cache.js';

const tempDir = () => mkdtempSync(join(tmpdir(), 'ccapi-cache-'));

function bundleBytes(typeNames: string[], extra: Record<string, string> = {}): Buffer {
  const zip = new AdmZip();
  for (const typeName of typeNames) {
    // Random text does not compress: the zip is big enough to arrive in several chunks.
    const description = randomBytes(40_000).toString('base64');
    const schema = { typeName, properties: { Id: { type: 'string' } }, primaryIdentifier: ['/properties/Id'], description };
    zip.addFile(`${typeName.toLowerCase().replaceAll('::', '-')}.json`, Buffer.from(JSON.stringify(schema)));
  }
  for (const [name, text] of Object.entries(extra)) zip.addFile(name, Buffer.from(text));
  return zip.toBuffer();
}

const pause = () => new Promise((resolve) => setTimeout(resolve, 2));

const GOOD = bundleBytes(['AWS::Test::One', 'AWS::Test::Two', 'AWS::Test::Three'], { 'aws-test-broken.json': '{' });

/** A local server: /bundle.zip (with Content-Length), /chunked.zip (without), /moved (302), /corrupt, /truncated, 404 else. */
async function startBundleServer(): Promise<{ url: string; server: Server }> {
  const server = createServer(async (req, res) => {
    switch (req.url) {
      case '/bundle.zip':
        res.writeHead(200, { 'content-type': 'application/zip', 'content-length': GOOD.length });
        // Several writes apart in time, so the client sees several chunks and reports progress for each.
        for (let i = 0; i < GOOD.length; i += 8192) {
          res.write(GOOD.subarray(i, i + 8192));
          await pause();
        }
        res.end();
        return;
      case '/chunked.zip':
        res.writeHead(200, { 'content-type': 'application/zip' });
        res.end(GOOD);
        return;
      case '/moved':
        res.writeHead(302, { location: '/bundle.zip' });
        res.end();
        return;
      case '/corrupt':
        res.writeHead(200, { 'content-type': 'application/zip' });
        res.end('<html>this is an error page, not a zip</html>');
        return;
      case '/noschemas.zip': {
        const zip = bundleBytes([], { 'aws-test-bad.json': '{"typeName": "AWS::Test::Bad"}' });
        res.writeHead(200, { 'content-length': zip.length });
        res.end(zip);
        return;
      }
      case '/truncated':
        res.writeHead(200, { 'content-length': GOOD.length });
        res.write(GOOD.subarray(0, 1000));
        await pause();
        res.destroy(); // the connection drops mid-body
        return;
      default:
        res.writeHead(404, { 'content-type': 'text/plain' });
        res.end('no such key');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

test('cache paths follow XDG; the region follows the AWS CLI', () => {
  assert.equal(schemaCacheDir({ XDG_CACHE_HOME: '/x/cache' }, '/home/u'), '/x/cache/ccapi/schemas');
  assert.equal(schemaCacheDir({}, '/home/u'), '/home/u/.cache/ccapi/schemas');
  assert.equal(schemaCacheDir({ XDG_CACHE_HOME: 'relative/cache' }, '/home/u'), '/home/u/.cache/ccapi/schemas', 'a relative XDG_CACHE_HOME is ignored');
  assert.equal(schemaCacheDir({ XDG_CACHE_HOME: '' }, '/home/u'), '/home/u/.cache/ccapi/schemas');
  assert.equal(cachedBundlePath('eu-west-1', '/c'), '/c/eu-west-1/CloudformationSchema.zip');
  assert.throws(() => cachedBundlePath('../etc', '/c'), /invalid region/);
  assert.equal(defaultRegion({ AWS_REGION: 'eu-west-3', AWS_DEFAULT_REGION: 'eu-west-2' }), 'eu-west-3');
  assert.equal(defaultRegion({ AWS_DEFAULT_REGION: 'eu-west-2' }), 'eu-west-2');
  assert.equal(defaultRegion({}), 'us-east-1');
  assert.equal(bundleUrl('ap-south-1'), 'https://schema.cloudformation.ap-south-1.amazonaws.com/CloudformationSchema.zip');
});

test('pullSchemaBundle', async (t) => {
  const { url, server } = await startBundleServer();
  t.after(() => server.close());

  await t.test('downloads with progress, verifies, and files the bundle under its region', async () => {
    const cacheDir = tempDir();
    const events: PullProgress[] = [];
    assert.equal(findCachedBundle('us-west-2', cacheDir), undefined);
    const result = await pullSchemaBundle({ region: 'us-west-2', url: `${url}/bundle.zip`, cacheDir, onProgress: (p) => events.push({ ...p }) });
    const path = join(cacheDir, 'us-west-2', 'CloudformationSchema.zip');
    assert.equal(result.path, path);
    assert.equal(result.types, 3);
    assert.equal(result.bytes, GOOD.length);
    assert.equal(result.warnings.length, 1);
    assert.match(result.warnings[0]!, /^aws-test-broken\.json: skipped: not valid JSON/);
    assert.deepStrictEqual(readFileSync(path), GOOD);
    assert.equal(findCachedBundle('us-west-2', cacheDir), path);
    assert.deepStrictEqual(readdirSync(dirname(path)), ['CloudformationSchema.zip'], 'no temporary file left');

    assert.equal(events[0]!.phase, 'connecting');
    const downloading = events.filter((e) => e.phase === 'downloading');
    assert.equal(downloading[0]!.received, 0);
    assert.ok(
      downloading.some((e) => e.received > 0 && e.received < GOOD.length),
      `progress between start and end: ${downloading.map((e) => e.received).join(', ')}`,
    );
    assert.ok(downloading.every((e) => e.total === GOOD.length));
    assert.deepStrictEqual(
      downloading.map((e) => e.received),
      [...downloading.map((e) => e.received)].sort((a, b) => a - b),
    );
    assert.equal(downloading.at(-1)!.received, GOOD.length);
    assert.equal(events.at(-1)!.phase, 'verifying');
  });

  await t.test('follows redirects; without Content-Length the total is unknown', async () => {
    const cacheDir = tempDir();
    const moved = await pullSchemaBundle({ region: 'us-east-1', url: `${url}/moved`, cacheDir });
    assert.equal(moved.url, `${url}/bundle.zip`);
    assert.equal(moved.types, 3);
    const events: PullProgress[] = [];
    const chunked = await pullSchemaBundle({ region: 'us-east-1', url: `${url}/chunked.zip`, cacheDir, onProgress: (p) => events.push(p) });
    assert.equal(chunked.bytes, GOOD.length);
    assert.ok(events.filter((e) => e.phase === 'downloading').every((e) => e.total === undefined));
  });

  await t.test('failures leave the cached bundle as it was and no temporary file', async () => {
    const cacheDir = tempDir();
    const path = cachedBundlePath('us-east-1', cacheDir);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, 'the previous bundle');
    const expectFailure = async (suffix: string, message: RegExp) => {
      await assert.rejects(pullSchemaBundle({ region: 'us-east-1', url: `${url}${suffix}`, cacheDir }), (error: unknown) => {
        assert.ok(error instanceof SchemaPullError, String(error));
        assert.match(error.message, message);
        return true;
      });
      assert.equal(readFileSync(path, 'utf8'), 'the previous bundle', suffix);
      assert.deepStrictEqual(readdirSync(dirname(path)), ['CloudformationSchema.zip'], suffix);
    };
    await expectFailure('/missing.zip', new RegExp(`^cannot download ${url}/missing\\.zip: HTTP 404 Not Found$`));
    await expectFailure('/corrupt', new RegExp(`^the download from ${url}/corrupt is not a schema bundle: not a zip file`));
    await expectFailure('/noschemas.zip', /holds no usable CloudFormation schema \(aws-test-bad\.json: skipped: not a resource schema/);
    await expectFailure('/truncated', new RegExp(`^download of ${url}/truncated interrupted after \\d+ bytes: `));
  });

  await t.test('an unreachable server is a clear error', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const cacheDir = tempDir();
    await assert.rejects(
      pullSchemaBundle({ region: 'us-east-1', url: `http://127.0.0.1:${port}/x.zip`, cacheDir }),
      new RegExp(`^SchemaPullError: cannot download http://127\\.0\\.0\\.1:${port}/x\\.zip: .*ECONNREFUSED`),
    );
    assert.equal(existsSync(cachedBundlePath('us-east-1', cacheDir)), false);
  });
});
