// `ccapi types check` through the real command: a scaffolded type loads, a broken folder is named with its
// problem and the exit status is 1, --json gives the same findings to scripts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, tempDir } from './support.js';

test('types check: ok types, failed folders with their problem, exit status 1 when any fails', async () => {
  const root = tempDir('ccapi-check-');
  const init = await runCli(['types', 'init', 'Acme::Thing::Widget', join(root, 'widget')]);
  assert.equal(init.status, 0, init.stderr);
  const good = await runCli(['types', 'check', join(root, 'widget'), '--type-config', join(root, 'widget', 'type-config.json')]);
  assert.equal(good.status, 0, good.stdout + good.stderr);
  assert.match(good.stdout, /^ok {6}Acme::Thing::Widget {2}\(/m);
  assert.match(good.stdout, /1 loaded, 0 failed/);

  const broken = join(root, 'broken');
  mkdirSync(broken);
  writeFileSync(join(broken, 'schema.json'), JSON.stringify({ typeName: 'Acme::Thing::Broken', properties: { A: { type: 'string' } }, additionalProperties: false, primaryIdentifier: ['/properties/B'], handlers: { create: {}, read: {}, delete: {} } }));
  const bad = await runCli(['types', 'check', join(root, 'widget'), broken]);
  assert.equal(bad.status, 1);
  assert.match(bad.stdout, /^FAILED {2}.*broken\/schema\.json: primaryIdentifier: \/properties\/B names no property in properties$/m);

  const json = await runCli(['types', 'check', broken, '--json']);
  assert.equal(json.status, 1);
  const report = JSON.parse(json.stdout) as { types: unknown[]; errors: { path: string; message: string }[] };
  assert.deepEqual(report.types, []);
  assert.equal(report.errors.length, 1);
  assert.match(report.errors[0]!.path, /broken\/schema\.json$/);
});

test('types ls and describe show custom types given with --types, as serve would serve them', async () => {
  const root = tempDir('ccapi-ls-custom-');
  assert.equal((await runCli(['types', 'init', 'Acme::Thing::Gizmo', join(root, 'gizmo')])).status, 0);
  const ls = await runCli(['types', 'ls', '--types', root, '--source', 'custom', '--json']);
  assert.equal(ls.status, 0, ls.stderr);
  assert.deepEqual(JSON.parse(ls.stdout), [{ typeName: 'Acme::Thing::Gizmo', source: 'custom', origin: root }]);
  const describe = await runCli(['types', 'describe', 'Acme::Thing::Gizmo', '--types', root]);
  assert.equal(describe.status, 0, describe.stderr);
  assert.match(describe.stdout, /^ {2}source +custom$/m);
  assert.match(describe.stdout, /^ {2}writeOnly +1: \/properties\/ApiKey$/m);
});
