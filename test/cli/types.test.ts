// `ccapi types ls` and `ccapi types describe` through the real command (node dist/cli.js), over the built-in
// catalogue, folders of schemas given by --schemas or CCAPI_SCHEMAS, and AWS's bundle.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { cleanEnv, OFFICIAL_ZIP, runCli, tempDir } from './support.js';
import { skipIfMissing } from '../support/prerequisites.js';

const BUCKET = {
  typeName: 'AWS::S3::Bucket',
  description: 'A bucket, as a test registry defines it',
  properties: { BucketName: { type: 'string' }, Arn: { type: 'string' }, Secret: { type: 'string' } },
  primaryIdentifier: ['/properties/BucketName'],
  readOnlyProperties: ['/properties/Arn'],
  createOnlyProperties: ['/properties/BucketName'],
  writeOnlyProperties: ['/properties/Secret'],
  handlers: { create: {}, read: {}, update: {}, delete: {} },
};
const widget = (description: string) => ({
  typeName: 'Acme::Widget::Thing',
  description,
  properties: { Id: { type: 'string' } },
  primaryIdentifier: ['/properties/Id'],
  handlers: { create: {}, read: {}, delete: {}, list: {} },
});

function folder(files: Record<string, unknown>): string {
  const dir = tempDir('ccapi-types-');
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), JSON.stringify(content));
  return dir;
}

const first = folder({ 'bucket.json': BUCKET, 'widget.json': widget('first') });
const second = folder({ 'widget.json': widget('second') });

// Each test spawns the CLI a few times (~0.3 s each): they run side by side.
describe('ccapi types', { concurrency: 4 }, () => {
  test('types ls: every type with the source and origin of the definition in force', async () => {
    const { status, stdout, stderr } = await runCli(['types', 'ls', '--schemas', first]);
    assert.equal(status, 0, stderr);
    const rows = stdout.trimEnd().split('\n').map((line) => line.split(/\s+/));
    const byName = new Map(rows.map(([name, source, origin]) => [name!, { source, origin }]));
    assert.deepStrictEqual(byName.get('AWS::S3::Bucket'), { source: 'registry', origin: first });
    assert.deepStrictEqual(byName.get('Acme::Widget::Thing'), { source: 'registry', origin: first });
    assert.equal(byName.get('AWS::SQS::Queue')?.source, 'builtin');
    assert.match(byName.get('AWS::SQS::Queue')!.origin!, /^@aws-cdk\/aws-service-spec@\d/);
    assert.ok(rows.length > 1500, `${rows.length} rows`);
    assert.equal(new Set(rows.map((r) => r[0])).size, rows.length, 'each type once');
  });

  test('types ls --source and --prefix filter; --json prints the rows', async () => {
    const registryOnly = await runCli(['types', 'ls', '--schemas', first, '--source', 'registry']);
    assert.equal(registryOnly.status, 0, registryOnly.stderr);
    assert.deepStrictEqual(
      registryOnly.stdout.trimEnd().split('\n').map((l) => l.split(/\s+/)[0]),
      ['AWS::S3::Bucket', 'Acme::Widget::Thing'],
    );

    const s3BuiltIn = await runCli(['types', 'ls', '--schemas', first, '--source', 'builtin', '--prefix', 'AWS::S3::', '--json']);
    assert.equal(s3BuiltIn.status, 0, s3BuiltIn.stderr);
    const rows = JSON.parse(s3BuiltIn.stdout) as { typeName: string; source: string; origin: string }[];
    assert.ok(rows.length > 3, JSON.stringify(rows));
    assert.ok(rows.every((r) => r.typeName.startsWith('AWS::S3::') && r.source === 'builtin'));
    assert.ok(!rows.some((r) => r.typeName === 'AWS::S3::Bucket'), 'the bucket comes from the registry folder');

    const none = await runCli(['types', 'ls', '--prefix', 'aws::s3::']);
    assert.equal(none.status, 0);
    assert.equal(none.stdout, '', 'prefixes are case-sensitive, like type names');
    assert.equal(none.stderr, 'ccapi: no types match\n');

    const wrongSource = await runCli(['types', 'ls', '--source', 'elsewhere']);
    assert.equal(wrongSource.status, 1);
    assert.match(wrongSource.stderr, /Allowed choices are builtin, registry/);
  });

  test('several schema paths: repeated --schemas or CCAPI_SCHEMAS, later wins', async () => {
    const describeWidget = async (args: string[], env = cleanEnv()) => {
      const result = await runCli(['types', 'describe', 'Acme::Widget::Thing', ...args], env);
      assert.equal(result.status, 0, result.stderr);
      return result.stdout;
    };
    assert.match(await describeWidget(['--schemas', first, '--schemas', second]), /description\s+second/);
    assert.match(await describeWidget(['--schemas', second, '--schemas', first]), /description\s+first/);
    assert.match(await describeWidget([], cleanEnv({ CCAPI_SCHEMAS: `${first}${delimiter}${second}` })), /description\s+second/);
    const both = await describeWidget([], cleanEnv({ CCAPI_SCHEMAS: `${second}${delimiter}${first}` }));
    assert.match(both, /description\s+first/);
    assert.match(both, new RegExp(`overrides\\s+registry \\(${second}\\)`));
    // --schemas on the command line replaces the environment's list.
    assert.match(await describeWidget(['--schemas', second], cleanEnv({ CCAPI_SCHEMAS: first })), /description\s+second/);
  });

  test('types describe: a summary of the schema and where it came from', async () => {
    const registry = await runCli(['types', 'describe', 'AWS::S3::Bucket', '--schemas', first]);
    assert.equal(registry.status, 0, registry.stderr);
    const lines = registry.stdout.split('\n');
    assert.equal(lines[0], 'AWS::S3::Bucket');
    const field = (name: string) => lines.find((l) => l.trimStart().startsWith(`${name} `))?.trim().slice(name.length).trim();
    assert.equal(field('source'), 'registry');
    assert.equal(field('origin'), join(first, 'bucket.json'));
    assert.match(field('overrides')!, /^builtin \(@aws-cdk\/aws-service-spec@[\d.]+\)$/);
    assert.equal(field('primaryIdentifier'), '/properties/BucketName');
    assert.equal(field('handlers'), 'create, read, update, delete (none for list)');
    assert.equal(field('readOnly'), '1: /properties/Arn');
    assert.equal(field('createOnly'), '1: /properties/BucketName');
    assert.equal(field('writeOnly'), '1: /properties/Secret');
    assert.equal(field('properties'), '3 (required: none)');

    const builtIn = await runCli(['types', 'describe', 'AWS::S3::Bucket']);
    assert.equal(builtIn.status, 0, builtIn.stderr);
    assert.match(builtIn.stdout, /^ {2}source\s+builtin$/m);
    assert.match(builtIn.stdout, /^ {2}handlers\s+create, read, update, delete, list$/m);
    assert.match(builtIn.stdout, /^ {2}writeOnly\s+unknown \(not recorded by the built-in catalogue\)$/m);
    assert.doesNotMatch(builtIn.stdout, /overrides/);
  });

  test('types describe --json prints the full schema in force', async () => {
    const { status, stdout, stderr } = await runCli(['types', 'describe', 'AWS::S3::Bucket', '--schemas', first, '--json']);
    assert.equal(status, 0, stderr);
    assert.deepStrictEqual(JSON.parse(stdout), BUCKET);
  });

  test('types describe: unknown types and case mistakes are errors', async () => {
    const wrongCase = await runCli(['types', 'describe', 'aws::s3::bucket']);
    assert.equal(wrongCase.status, 1);
    assert.equal(wrongCase.stderr, 'ccapi: no resource type aws::s3::bucket in the catalogue (type names are case-sensitive: did you mean AWS::S3::Bucket?)\n');
    const unknown = await runCli(['types', 'describe', 'AWS::Nope::Nope']);
    assert.equal(unknown.status, 1);
    assert.equal(unknown.stderr, 'ccapi: no resource type AWS::Nope::Nope in the catalogue\n');
  });

  test('a schema path that cannot be read is an error', async () => {
    const missing = join(tempDir(), 'nowhere.zip');
    const result = await runCli(['types', 'ls', '--schemas', missing]);
    assert.equal(result.status, 1);
    assert.equal(result.stdout, '');
    assert.equal(result.stderr, `ccapi: cannot read schemas from ${missing}: no such file or directory\n`);
    const empty = tempDir();
    mkdirSync(join(empty, 'sub'));
    const emptyResult = await runCli(['types', 'ls', '--schemas', empty]);
    assert.equal(emptyResult.status, 1);
    assert.equal(emptyResult.stderr, `ccapi: cannot read schemas from ${empty}: no schema files (*.json) in this directory\n`);
  });

  test('types over AWS\'s bundle', { skip: skipIfMissing('bundle') }, async () => {
    const ls = await runCli(['types', 'ls', '--schemas', OFFICIAL_ZIP, '--source', 'registry']);
    assert.equal(ls.status, 0, ls.stderr);
    assert.equal(ls.stdout.trimEnd().split('\n').length, 1665);
    const rolePolicy = await runCli(['types', 'describe', 'AWS::IAM::RolePolicy', '--schemas', OFFICIAL_ZIP]);
    assert.equal(rolePolicy.status, 0, rolePolicy.stderr);
    assert.match(rolePolicy.stdout, /^ {2}handlers\s+create, read, update, delete \(none for list\)$/m);
    assert.match(rolePolicy.stdout, new RegExp(`^ {2}origin\\s+${OFFICIAL_ZIP.replaceAll('.', '\\.')}$`, 'm'));
  });
});
