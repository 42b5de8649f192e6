// Tests for stacked catalogues: later layers win type by type, the union, layer descriptions and the
// start-up summary, over in-memory catalogues, built zips, and the real built-in catalogue with AWS's bundle.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import AdmZip from 'adm-zip';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openSchemaBundle } from './bundle.js';
import { inMemoryCatalogue, openBuiltInCatalogue } from './catalogue.js';
import { describeCatalogue, layerCatalogues, summarizeCatalogue, type CatalogueLayer } from './layered.js';
import type { ResourceSchema } from './types.js';
import { OFFICIAL_BUNDLE as OFFICIAL_ZIP, skipIfMissing } from '../../test/support/prerequisites.js';

const REPO_ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const CATALOGUE_DIR = join(REPO_ROOT, 'dist/catalogue/');

function schema(typeName: string, description: string): ResourceSchema {
  return { typeName, description, properties: { Id: { type: 'string' } }, primaryIdentifier: ['/properties/Id'] };
}

/** An in-memory catalogue that says it is the built-in one (as openBuiltInCatalogue does, with generatedFrom). */
function fakeBuiltIn(...names: string[]): CatalogueLayer {
  const catalogue = inMemoryCatalogue(names.map((n) => schema(n, 'built-in')), 'aws-service-spec');
  return Object.assign(catalogue, { generatedFrom: '@aws-cdk/aws-service-spec@9.9.9' });
}

function registry(origin: string, ...names: string[]): CatalogueLayer {
  return Object.assign(inMemoryCatalogue(names.map((n) => schema(n, origin)), 'registry'), { source: 'registry' as const, origin });
}

function zipOf(files: Record<string, string>): string {
  const zip = new AdmZip();
  for (const [name, text] of Object.entries(files)) zip.addFile(name, Buffer.from(text));
  const path = join(mkdtempSync(join(tmpdir(), 'ccapi-layered-')), 'bundle.zip');
  zip.writeZip(path);
  return path;
}

test('later layers win type by type; the union of names is served', () => {
  const catalogue = layerCatalogues([fakeBuiltIn('AWS::A::A', 'AWS::B::B'), registry('/r.zip', 'AWS::B::B', 'AWS::C::C')]);
  assert.equal(catalogue.get('AWS::A::A')?.schema.description, 'built-in');
  assert.equal(catalogue.get('AWS::B::B')?.schema.description, '/r.zip');
  assert.equal(catalogue.get('AWS::C::C')?.schema.description, '/r.zip');
  assert.equal(catalogue.get('AWS::D::D'), undefined);
  assert.equal(catalogue.has('AWS::C::C'), true);
  assert.equal(catalogue.has('AWS::D::D'), false);
  assert.deepStrictEqual(catalogue.typeNames(), ['AWS::A::A', 'AWS::B::B', 'AWS::C::C']);
  assert.equal(catalogue.size, 3);

  const reversed = layerCatalogues([registry('/r.zip', 'AWS::B::B'), fakeBuiltIn('AWS::B::B')]);
  assert.equal(reversed.get('AWS::B::B')?.schema.description, 'built-in', 'order decides, not the source');
});

test('three layers: the last one holding a type wins, and says what it overrides', () => {
  const catalogue = layerCatalogues([fakeBuiltIn('AWS::A::A', 'AWS::B::B'), registry('/one', 'AWS::A::A', 'AWS::B::B'), registry('/two', 'AWS::B::B')]);
  assert.equal(catalogue.get('AWS::A::A')?.schema.description, '/one');
  assert.equal(catalogue.get('AWS::B::B')?.schema.description, '/two');
  const located = catalogue.locate('AWS::B::B')!;
  assert.equal(located.type, catalogue.get('AWS::B::B'));
  assert.equal(located.layer.origin, '/two');
  assert.deepStrictEqual(
    located.overrides.map((l) => l.origin),
    ['/one', '@aws-cdk/aws-service-spec@9.9.9'],
  );
  assert.equal(catalogue.layerOf('AWS::A::A')?.origin, '/one');
  assert.equal(catalogue.locate('AWS::Z::Z'), undefined);
  assert.equal(catalogue.layerOf('AWS::Z::Z'), undefined);
});

test('describe() lists the layers bottom first, with counts and warnings', () => {
  const catalogue = layerCatalogues([fakeBuiltIn('AWS::A::A', 'AWS::B::B'), registry('/r.zip', 'AWS::B::B')]);
  assert.deepStrictEqual(catalogue.describe(), [
    { source: 'aws-service-spec', origin: '@aws-cdk/aws-service-spec@9.9.9', types: 2, warnings: 0 },
    { source: 'registry', origin: '/r.zip', types: 1, warnings: 0 },
  ]);
  assert.deepStrictEqual(describeCatalogue(catalogue), { types: 2, layers: catalogue.describe() });
  // A catalogue that is not layered is described as one layer.
  assert.deepStrictEqual(describeCatalogue(inMemoryCatalogue([schema('X::Y::Z', '')])), {
    types: 1,
    layers: [{ source: 'custom', origin: 'in memory', types: 1, warnings: 0 }],
  });
});

test('a zip layer is counted by file names (nothing parsed); a broken type falls through to the layer below', () => {
  const good = JSON.stringify(schema('AWS::Test::Good', 'zip'));
  const zip = openSchemaBundle(zipOf({ 'aws-test-good.json': good, 'aws-test-both.json': '{ broken', 'aws-test-new.json': good.replaceAll('Good', 'New') }));
  const catalogue = layerCatalogues([fakeBuiltIn('AWS::Test::Both', 'AWS::Test::Good'), zip]);
  assert.equal(catalogue.size, 3, 'Both and Good in both layers, New only in the zip');
  assert.equal(zip.parsedCount, 0, 'counting the union parsed nothing');
  assert.equal(catalogue.get('AWS::Test::Good')?.schema.description, 'zip');
  assert.equal(catalogue.get('AWS::Test::Both')?.schema.description, 'built-in', 'the broken registry file does not hide the built-in type');
  assert.equal(catalogue.layerOf('AWS::Test::Both')?.source, 'aws-service-spec');
  assert.equal(catalogue.describe()[1]!.warnings, 1);
  assert.equal(catalogue.describe()[1]!.types, 2);
  assert.equal(catalogue.size, 3);
});

test('the start-up summary', () => {
  const builtIn = fakeBuiltIn('AWS::A::A', 'AWS::B::B');
  assert.equal(summarizeCatalogue(layerCatalogues([builtIn])), '2 built-in AWS resource types');
  assert.equal(summarizeCatalogue(layerCatalogues([builtIn, registry('/x/CloudformationSchema.zip', 'AWS::B::B', 'AWS::C::C')])), '2 registry types from /x/CloudformationSchema.zip over 2 built-in (3 in all)');
  assert.equal(
    summarizeCatalogue(layerCatalogues([builtIn, registry('/x.zip', 'AWS::C::C'), registry('/mine', 'AWS::D::D', 'AWS::E::E')])),
    '2 registry types from /mine, 1 from /x.zip over 2 built-in (5 in all)',
  );
  assert.equal(summarizeCatalogue(layerCatalogues([registry('/only', 'AWS::C::C')])), '1 registry type from /only');
});

test('the built-in catalogue with AWS\'s bundle over it', { skip: skipIfMissing('bundle') ?? skipIfMissing('catalogue') }, () => {
  const builtIn = openBuiltInCatalogue(CATALOGUE_DIR);
  const zip = openSchemaBundle(OFFICIAL_ZIP);
  const catalogue = layerCatalogues([builtIn, zip]);
  const size = catalogue.size;
  assert.equal(zip.parsedCount, 0);
  assert.equal(catalogue.get('AWS::S3::Bucket')?.source, 'registry');
  assert.equal(catalogue.get('aws::s3::bucket'), undefined);
  assert.ok(size > zip.size && size >= builtIn.size, `${size}`);
  // The cheap count (file names) and the exact one (type names) agree.
  assert.equal(catalogue.typeNames().length, size);
  const builtInOnly = catalogue.typeNames().filter((n) => catalogue.layerOf(n)?.source === 'aws-service-spec');
  assert.equal(builtInOnly.length, size - zip.size);
  assert.match(summarizeCatalogue(catalogue), /^1,665 registry types from .*CloudformationSchema\.zip over 1,\d{3} built-in \(1,\d{3} in all\)$/);
});
