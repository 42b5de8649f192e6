// `ccapi types init` through the real command (node dist/cli.js): the type it writes passes its own test with
// `node --test` and loads as a custom type; bad names and occupied folders are refused with a clear message.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadCustomTypes, readTypeConfiguration } from '../../src/providers/custom-types.js';
import { CLI, cleanEnv, type CliResult, runNode, tempDir } from './support.js';

const FILES = ['.gitignore', 'README.md', 'handlers.js', 'handlers.test.js', 'package.json', 'schema.json', 'type-config.json'];

/** Runs node in `cwd`. NODE_TEST_CONTEXT is set by the test runner for its own children: a nested `node --test` would report to it instead of printing. */
function runNodeIn(args: string[], cwd: string): Promise<CliResult> {
  const env = cleanEnv();
  delete env.NODE_TEST_CONTEXT;
  return runNode(args, { env, cwd, timeoutMs: 60_000 });
}

const init = (args: string[], cwd = tempDir('ccapi-init-cwd-')) => runNodeIn([CLI, 'types', 'init', ...args], cwd);

describe('ccapi types init', { concurrency: 4 }, () => {
  for (const typeName of ['Acme::Thing::Widget', 'MyCo::Billing::DNSPolicy']) {
    test(`${typeName}: the scaffold passes its own test (node --test) and loads as a custom type`, async () => {
      const dir = join(tempDir('ccapi-init-'), 'my-type');
      const result = await init([typeName, dir]);
      assert.equal(result.status, 0, result.stderr);
      assert.equal(result.stderr, '');
      assert.deepStrictEqual(readdirSync(dir).sort(), FILES);
      for (const name of FILES) assert.match(result.stdout, new RegExp(`^  ${name.replace(/\./g, '\\.')} `, 'm'), `${name} is listed`);
      assert.match(result.stdout, new RegExp(`^Wrote the resource type ${typeName} to ${dir}:$`, 'm'));
      assert.match(result.stdout, /^Next steps:$/m);
      assert.ok(result.stdout.includes(`ccapi serve --types ${dir} --type-config ${join(dir, 'type-config.json')}`), result.stdout);
      assert.equal(JSON.parse(readFileSync(join(dir, 'schema.json'), 'utf8')).typeName, typeName);
      assert.equal(JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).type, 'module', 'handlers.js is an ES module on Node 20');

      // The reporter is named: TAP's summary lines are the same on every Node version.
      const tested = await runNodeIn(['--test', '--test-reporter=tap'], dir);
      assert.equal(tested.status, 0, `${tested.stdout}\n${tested.stderr}`);
      const passed = Number(/^# pass (\d+)$/m.exec(tested.stdout)?.[1]);
      assert.ok(passed > 0, `reported passes: ${passed}\n${tested.stdout}`);
      assert.match(tested.stdout, /^# fail 0$/m);

      // What `ccapi serve --types DIR --type-config DIR/type-config.json` does first.
      const loaded = await loadCustomTypes([dir], { typeConfiguration: readTypeConfiguration(join(dir, 'type-config.json')) });
      assert.deepStrictEqual(loaded.errors, []);
      assert.deepStrictEqual(loaded.warnings, []);
      assert.deepStrictEqual(loaded.catalogue.typeNames(), [typeName]);
      const withoutConfig = await loadCustomTypes([dir]);
      assert.deepStrictEqual(withoutConfig.errors, [], 'the type configuration is optional');
    });
  }

  test('DIR defaults to ./types/<organization-service-resource>', async () => {
    const cwd = tempDir('ccapi-init-cwd-');
    const result = await init(['Acme::Thing::Widget'], cwd);
    assert.equal(result.status, 0, result.stderr);
    assert.deepStrictEqual(readdirSync(join(cwd, 'types/acme-thing-widget')).sort(), FILES);
    assert.match(result.stdout, /^Wrote the resource type Acme::Thing::Widget to types\/acme-thing-widget:$/m);
    assert.match(result.stdout, /^ {2}cd types\/acme-thing-widget && node --test /m);
    assert.match(readFileSync(join(cwd, 'types/acme-thing-widget/README.md'), 'utf8'), /ccapi serve --types types\/acme-thing-widget --type-config/);
  });

  test('a name that is not Organization::Service::Resource, or is in a reserved namespace, is refused', async () => {
    const cases: [string, RegExp][] = [
      ['Acme::Widget', /^ccapi: "Acme::Widget" is not a resource type name: it must be three parts separated by "::", Organization::Service::Resource \(e\.g\. Acme::Thing::Widget\)\n$/],
      ['Acme::Thing::Widget::MODULE', /three parts separated by "::"/],
      ['Acme::Thing::W', /^ccapi: "Acme::Thing::W" is not a resource type name: each part must be 2 to 64 letters or digits, and "W" is not/],
      ['Acme::Thing-Co::Widget', /and "Thing-Co" is not/],
      ['Acme:::Thing::Widget', /is not a resource type name/],
      [`Acme::Thing::${'W'.repeat(65)}`, /each part must be 2 to 64 letters or digits/],
      ['AWS::Thing::Widget', /^ccapi: "AWS::Thing::Widget" uses the reserved namespace AWS \(CloudFormation reserves Alexa, AMZN, Amazon, AWS, Custom, Dev\): name your organization first, e\.g\. Acme::Thing::Widget\n$/],
      ['aws::Thing::Widget', /uses the reserved namespace AWS/],
      ['Alexa::Skill::Widget', /uses the reserved namespace Alexa/],
      ['Custom::Thing::Widget', /uses the reserved namespace Custom/],
    ];
    const parent = tempDir('ccapi-init-bad-');
    await Promise.all(
      cases.map(async ([typeName, message], i) => {
        const dir = join(parent, `case-${i}`);
        const result = await init([typeName, dir]);
        assert.equal(result.status, 1, `${typeName}: ${result.stdout}`);
        assert.match(result.stderr, message, typeName);
        assert.equal(result.stdout, '');
        assert.ok(!existsSync(dir), `${typeName}: nothing written`);
      }),
    );
    assert.ok(!existsSync(join(parent, 'types')));
  });

  test('an occupied folder is refused; --force writes the scaffold over it and leaves other files alone', async () => {
    const dir = tempDir('ccapi-init-occupied-');
    writeFileSync(join(dir, 'notes.txt'), 'mine');
    writeFileSync(join(dir, 'schema.json'), '{"edited": true}');

    const refused = await init(['Acme::Thing::Widget', dir]);
    assert.equal(refused.status, 1);
    assert.equal(
      refused.stderr,
      `ccapi: ${dir} already exists and is not empty: choose another folder, or pass --force to write the scaffold's files over the ones there (other files are left alone)\n`,
    );
    assert.deepStrictEqual(readdirSync(dir).sort(), ['notes.txt', 'schema.json'], 'nothing written');
    assert.equal(readFileSync(join(dir, 'schema.json'), 'utf8'), '{"edited": true}');

    const forced = await init(['Acme::Thing::Widget', dir, '--force']);
    assert.equal(forced.status, 0, forced.stderr);
    assert.match(forced.stdout, new RegExp(`^Wrote the resource type Acme::Thing::Widget to ${dir} \\(over the files there\\):$`, 'm'));
    assert.equal(JSON.parse(readFileSync(join(dir, 'schema.json'), 'utf8')).typeName, 'Acme::Thing::Widget');
    assert.equal(readFileSync(join(dir, 'notes.txt'), 'utf8'), 'mine');
    assert.deepStrictEqual(readdirSync(dir).sort(), [...FILES, 'notes.txt'].sort());

    const empty = join(tempDir('ccapi-init-empty-'), 'empty');
    mkdirSync(empty);
    const intoEmpty = await init(['Acme::Thing::Widget', empty]);
    assert.equal(intoEmpty.status, 0, `an empty folder needs no --force: ${intoEmpty.stderr}`);
    assert.doesNotMatch(intoEmpty.stdout, /over the files there/);

    const file = join(dir, 'notes.txt');
    const notAFolder = await init(['Acme::Thing::Widget', file, '--force']);
    assert.equal(notAFolder.status, 1);
    assert.equal(notAFolder.stderr, `ccapi: ${file} exists and is not a folder\n`);
  });
});
