/** The README's example seed file (examples/seeds/team.yaml) parses and every entry passes the catalogue's checks. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { checkSeeds } from '../../src/api/seed.js';
import { readSeedFiles } from '../../src/cli/seed-file.js';
import { openBuiltInCatalogue } from '../../src/registry/catalogue.js';
import { REPO_ROOT } from '../support/server.js';

test('examples/seeds/team.yaml is a valid seed file', () => {
  const entries = readSeedFiles([join(REPO_ROOT, 'examples/seeds/team.yaml')]);
  assert.deepEqual(entries.map((e) => e.typeName), ['AWS::IAM::Role', 'AWS::KMS::Key', 'AWS::SSM::Parameter']);
  assert.equal(entries[1]!.accountId, '123456789012');
  checkSeeds({ catalogue: openBuiltInCatalogue(join(REPO_ROOT, 'dist/catalogue/')) }, entries);
});
