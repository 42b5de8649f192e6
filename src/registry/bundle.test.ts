// Tests for registry schema bundles: AWS's real CloudformationSchema.zip (lazy, case-sensitive), zips built
// here (broken, misnamed, damaged, stored entries, macOS debris), folders, single files and open errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import AdmZip from 'adm-zip';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSchemaBundle, SchemaBundleError, typeKey, type SchemaBundle } from './bundle.js';
import { OFFICIAL_BUNDLE as OFFICIAL_ZIP, skipIfMissing } from '../../test/support/prerequisites.js';

const tempDir = () => mkdtempSync(join(tmpdir(), 'ccapi-bundle-'));

function schema(typeName: string, extra: Record<string, unknown> = {}) {
  return {
    typeName,
    properties: { Name: { type: 'string' }, Arn: { type: 'string' } },
    primaryIdentifier: ['/properties/Name'],
    readOnlyProperties: ['/properties/Arn'],
    handlers: { create: {}, read: {}, delete: {} },
    ...extra,
  };
}

/** Writes a zip of name → content (objects become JSON); names listed in `stored` are not compressed. */
function writeZip(files: Record<string, unknown>, stored: string[] = []): string {
  const zip = new AdmZip();
  for (const [name, content] of Object.entries(files)) {
    zip.addFile(name, Buffer.from(typeof content === 'string' ? content : JSON.stringify(content)));
    if (stored.includes(name)) zip.getEntry(name)!.header.method = 0;
  }
  const path = join(tempDir(), 'bundle.zip');
  zip.writeZip(path);
  return path;
}

test('typeKey is the file name AWS gives a type', () => {
  assert.equal(typeKey('AWS::S3::Bucket'), 'aws-s3-bucket');
  assert.equal(typeKey('Alexa::ASK::Skill'), 'alexa-ask-skill');
});

test('the official CloudformationSchema.zip', { skip: skipIfMissing('bundle') }, async (t) => {
  const started = performance.now();
  const bundle = openSchemaBundle(OFFICIAL_ZIP);
  t.diagnostic(`opened in ${(performance.now() - started).toFixed(1)} ms`);

  await t.test('opening reads the index only: nothing parsed, every file counted', () => {
    assert.equal(bundle.format, 'zip');
    assert.equal(bundle.source, 'registry');
    assert.equal(bundle.origin, OFFICIAL_ZIP);
    assert.equal(bundle.size, 1665);
    assert.equal(bundle.parsedCount, 0);
    assert.deepStrictEqual(bundle.warnings, []);
    assert.equal(bundle.indexKeys().length, 1665);
    assert.ok(bundle.indexKeys().includes('aws-s3-bucket'));
    assert.equal(bundle.parsedCount, 0, 'counting and listing keys parse nothing');
  });

  await t.test('a type is parsed on first get, once', () => {
    const bucket = bundle.get('AWS::S3::Bucket');
    assert.ok(bucket);
    assert.equal(bundle.parsedCount, 1);
    assert.equal(bucket.typeName, 'AWS::S3::Bucket');
    assert.equal(bucket.source, 'registry');
    assert.equal(bucket.origin, OFFICIAL_ZIP);
    assert.deepStrictEqual(bucket.schema.primaryIdentifier, ['/properties/BucketName']);
    assert.equal(bundle.get('AWS::S3::Bucket'), bucket, 'cached');
    assert.equal(bundle.parsedCount, 1);
  });

  await t.test('names are case-sensitive, as on AWS, though file names are not', () => {
    assert.equal(bundle.get('aws::s3::bucket'), undefined);
    assert.equal(bundle.get('AWS::S3::BUCKET'), undefined);
    assert.equal(bundle.has('aws::s3::bucket'), false);
    assert.equal(bundle.has('AWS::S3::Bucket'), true);
    assert.equal(bundle.get('AWS::Nope::Nope'), undefined);
    assert.equal(bundle.get('constructor'), undefined);
    assert.equal(bundle.get('__proto__'), undefined);
    assert.equal(bundle.has('toString'), false);
  });

  await t.test('registry facts the built-in catalogue lacks', () => {
    assert.ok(bundle.get('AWS::SecretsManager::Secret')!.schema.writeOnlyProperties?.includes('/properties/SecretString'));
    const rolePolicy = bundle.get('AWS::IAM::RolePolicy')!;
    assert.equal(rolePolicy.hasHandler('list'), false);
    assert.equal(rolePolicy.hasHandler('create'), true);
  });

  await t.test('typeNames() parses every file once and returns exact names', () => {
    const before = bundle.parsedCount;
    const names = bundle.typeNames();
    assert.equal(names.length, 1665);
    assert.deepStrictEqual(names, [...names].sort());
    assert.ok(names.includes('AWS::S3::Bucket'));
    assert.ok(names.includes('Alexa::ASK::Skill'));
    assert.ok(!names.includes('aws::s3::bucket'));
    assert.equal(bundle.parsedCount, 1665, `files parsed before the scan (${before}) are not parsed again`);
    const keys = new Set(bundle.indexKeys());
    assert.deepStrictEqual(names.filter((n) => !keys.has(typeKey(n))), [], 'every file is named after the type it holds');
    bundle.typeNames();
    assert.equal(bundle.parsedCount, 1665, 'the scan is done once');
    assert.equal(bundle.has('aws::s3::bucket'), false, 'has() after the scan is still case-sensitive');
  });

  await t.test('every schema reads the same as with adm-zip', () => {
    const entries = new AdmZip(OFFICIAL_ZIP).getEntries().filter((e) => !e.isDirectory);
    assert.equal(entries.length, 1665);
    const differing = entries.filter((entry) => {
      const expected = JSON.parse(entry.getData().toString('utf8')) as { typeName: string };
      return JSON.stringify(bundle.get(expected.typeName)?.schema) !== JSON.stringify(expected);
    });
    assert.deepStrictEqual(differing.map((e) => e.entryName), []);
  });
});

test('a zip with broken, misnamed, nested, stored and foreign entries', async (t) => {
  const path = writeZip(
    {
      'aws-test-good.json': schema('AWS::Test::Good'),
      'aws-test-stored.json': schema('AWS::Test::Stored'),
      'aws-test-brokenjson.json': '{"typeName": "AWS::Test::BrokenJson", ',
      'aws-test-noid.json': { typeName: 'AWS::Test::NoId', properties: {} },
      'acme-wrong-name.json': schema('Acme::Right::Name'),
      'nested/acme-nested-type.json': schema('Acme::Nested::Type'),
      '__MACOSX/._aws-test-good.json': 'binary resource fork',
      'nested/._acme-nested-type.json': 'binary resource fork',
      'README.txt': 'not a schema',
    },
    ['aws-test-stored.json'],
  );
  const heard: string[] = [];
  const bundle = openSchemaBundle(path, { onWarning: (w) => heard.push(w) });

  await t.test('only *.json files count, without folders or macOS metadata; nothing parsed', () => {
    assert.equal(bundle.size, 6);
    assert.equal(bundle.parsedCount, 0);
    assert.deepStrictEqual(bundle.warnings, []);
  });

  await t.test('good types load, compressed or stored, nested in a folder or not', () => {
    assert.equal(bundle.get('AWS::Test::Good')?.typeName, 'AWS::Test::Good');
    assert.equal(bundle.get('AWS::Test::Stored')?.typeName, 'AWS::Test::Stored');
    assert.equal(bundle.get('Acme::Nested::Type')?.typeName, 'Acme::Nested::Type');
    assert.deepStrictEqual(bundle.warnings, []);
  });

  await t.test('a broken file is skipped with a warning, once, and no longer counted', () => {
    assert.equal(bundle.get('AWS::Test::BrokenJson'), undefined);
    assert.equal(bundle.warnings.length, 1);
    assert.match(bundle.warnings[0]!, /^aws-test-brokenjson\.json: skipped: not valid JSON/);
    assert.equal(bundle.has('AWS::Test::BrokenJson'), false);
    assert.equal(bundle.warnings.length, 1, 'warned once');
    assert.equal(bundle.size, 5);
    assert.deepStrictEqual(heard, bundle.warnings, 'onWarning hears each warning as it is found');
  });

  await t.test('typeNames() skips files without typeName/properties/primaryIdentifier and misnamed ones', () => {
    assert.equal(bundle.get('Acme::Right::Name'), undefined, 'not found by file name before the scan');
    assert.deepStrictEqual(bundle.typeNames(), ['AWS::Test::Good', 'AWS::Test::Stored', 'Acme::Nested::Type']);
    assert.equal(bundle.size, 3);
    assert.deepStrictEqual(bundle.indexKeys().sort(), ['acme-nested-type', 'aws-test-good', 'aws-test-stored']);
    assert.ok(bundle.warnings.some((w) => /^aws-test-noid\.json: skipped: not a resource schema \(missing or invalid primaryIdentifier\)$/.test(w)));
    assert.ok(bundle.warnings.some((w) => /^acme-wrong-name\.json: skipped: holds Acme::Right::Name, which AWS's bundle names acme-right-name\.json/.test(w)));
    assert.equal(bundle.get('Acme::Right::Name'), undefined, 'nor after it: lookups do not depend on what was parsed before');
    assert.equal(bundle.warnings.length, 3);
  });
});

test('a zip entry whose bytes are damaged is skipped; the others still load', () => {
  const good = JSON.stringify(schema('AWS::Test::Good'));
  const victim = JSON.stringify(schema('AWS::Test::Victim', { description: 'x'.repeat(200) }));
  const zip = new AdmZip();
  zip.addFile('aws-test-good.json', Buffer.from(good));
  zip.addFile('aws-test-victim.json', Buffer.from(victim));
  zip.getEntry('aws-test-victim.json')!.header.method = 0; // stored: its JSON is in the file as is
  const bytes = zip.toBuffer();
  const at = bytes.indexOf('xxxxxxxx');
  assert.ok(at > 0);
  bytes[at] = 'y'.charCodeAt(0); // still valid JSON: only the CRC can tell
  const path = join(tempDir(), 'damaged.zip');
  writeFileSync(path, bytes);

  const bundle = openSchemaBundle(path);
  assert.equal(bundle.get('AWS::Test::Victim'), undefined);
  assert.match(bundle.warnings[0]!, /^aws-test-victim\.json: skipped: damaged zip data \(CRC mismatch\)$/);
  assert.equal(bundle.get('AWS::Test::Good')?.typeName, 'AWS::Test::Good');
});

test('a folder of schema files: read at open, indexed by the typeName inside', async (t) => {
  const dir = tempDir();
  writeFileSync(join(dir, 'thing.json'), JSON.stringify(schema('Acme::Test::Thing')));
  writeFileSync(join(dir, 'other-name.json'), JSON.stringify(schema('Acme::Test::Other')));
  writeFileSync(join(dir, 'broken.json'), '{ not json');
  writeFileSync(join(dir, 'noprops.json'), JSON.stringify({ typeName: 'Acme::Test::NoProps', primaryIdentifier: ['/properties/Id'] }));
  writeFileSync(join(dir, 'z-thing-again.json'), JSON.stringify(schema('Acme::Test::Thing', { description: 'the later file' })));
  writeFileSync(join(dir, '._thing.json'), 'macOS metadata');
  writeFileSync(join(dir, 'notes.md'), '# not a schema');
  mkdirSync(join(dir, 'sub.json')); // a folder named like a schema file

  const heard: string[] = [];
  const bundle = openSchemaBundle(dir, { onWarning: (w) => heard.push(w) });

  await t.test('good files load whatever their names; broken ones are skipped with a warning', () => {
    assert.equal(bundle.format, 'directory');
    assert.equal(bundle.origin, dir);
    assert.deepStrictEqual(bundle.typeNames(), ['Acme::Test::Other', 'Acme::Test::Thing']);
    assert.equal(bundle.size, 2);
    assert.equal(bundle.parsedCount, 5);
    assert.equal(bundle.warnings.length, 3, bundle.warnings.join('\n'));
    assert.match(bundle.warnings[0]!, /^broken\.json: skipped: not valid JSON \(.+\)$/);
    assert.equal(bundle.warnings[1], 'noprops.json: skipped: not a resource schema (missing or invalid properties)');
    assert.equal(bundle.warnings[2], 'z-thing-again.json: Acme::Test::Thing is also defined in thing.json; using z-thing-again.json');
    assert.deepStrictEqual(heard, bundle.warnings);
  });

  await t.test('types carry the file they came from; the later of two definitions wins', () => {
    const thing = bundle.get('Acme::Test::Thing')!;
    assert.equal(thing.origin, join(dir, 'z-thing-again.json'));
    assert.equal(thing.schema.description, 'the later file');
    assert.equal(thing.source, 'registry');
    assert.equal(bundle.get('Acme::Test::Other')!.origin, join(dir, 'other-name.json'));
    assert.equal(bundle.get('acme::test::thing'), undefined);
    assert.equal(bundle.has('Acme::Test::NoProps'), false);
    assert.deepStrictEqual(bundle.indexKeys().sort(), ['acme-test-other', 'acme-test-thing']);
  });
});

test('a single schema file', () => {
  const file = join(tempDir(), 'my-type.json');
  writeFileSync(file, JSON.stringify(schema('Acme::Single::Type')));
  const bundle: SchemaBundle = openSchemaBundle(file);
  assert.equal(bundle.format, 'file');
  assert.deepStrictEqual(bundle.typeNames(), ['Acme::Single::Type']);
  assert.equal(bundle.get('Acme::Single::Type')!.origin, file);
});

test('paths that cannot be opened are errors naming the path as given', () => {
  const dir = tempDir();
  const expectError = (path: string, reason: RegExp) =>
    assert.throws(
      () => openSchemaBundle(path),
      (error: unknown) => {
        assert.ok(error instanceof SchemaBundleError);
        assert.equal(error.path, path);
        assert.ok(error.message.startsWith(`cannot read schemas from ${path}: `), error.message);
        assert.match(error.reason, reason);
        return true;
      },
    );

  expectError(join(dir, 'missing.zip'), /^no such file or directory$/);
  writeFileSync(join(dir, 'text.zip'), 'this is not a zip, just text that is long enough to hold an end record'.repeat(3));
  expectError(join(dir, 'text.zip'), /^not a zip file/);
  const empty = join(dir, 'empty');
  mkdirSync(empty);
  expectError(empty, /^no schema files \(\*\.json\) in this directory$/);
  expectError(writeZip({ 'README.txt': 'no schemas here', 'folder/': '' }), /^no schema files \(\*\.json\) in the zip$/);
  const broken = join(dir, 'broken.json');
  writeFileSync(broken, '[]');
  expectError(broken, /^not a JSON object$/);
  // Relative paths are reported as written.
  expectError('no-such-dir-for-ccapi-tests/CloudformationSchema.zip', /^no such file or directory$/);
});
