/**
 * End-to-end: reference checks (issue #15) through boto3. The checks live in test/e2e/clients/references_suite.py;
 * this test starts a strict server (the default) and a `--references warn` one and runs the suite against them.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { REPO_ROOT, startServer, type ServerProcess } from '../support/server.js';
import { awsEnv, TEST_CREDENTIALS } from '../support/aws-env.js';
import { skipIfMissing } from '../support/prerequisites.js';

const SUITE = join(REPO_ROOT, 'test/e2e/clients/references_suite.py');

let strict: ServerProcess;
let warn: ServerProcess;

before(async () => {
  [strict, warn] = await Promise.all([startServer(), startServer({ extraArgs: ['--references', 'warn'] })]);
});
after(async () => {
  await Promise.all([strict?.stop(), warn?.stop()]);
});

test('the boto3 reference suite passes against strict and warn servers', { skip: skipIfMissing('boto3') }, async (t) => {
  const output = await new Promise<{ code: unknown; text: string }>((resolve) => {
    execFile(
      'python3',
      [SUITE, '-v'],
      { cwd: REPO_ROOT, timeout: 120_000, maxBuffer: 16 * 1024 * 1024, env: awsEnv({ ...TEST_CREDENTIALS, CCAPI_ENDPOINT: strict.url, CCAPI_WARN_ENDPOINT: warn.url }) },
      (error, stdout, stderr) => resolve({ code: error ? ((error as NodeJS.ErrnoException).code ?? 'killed') : 0, text: `${stdout}${stderr}` }),
    );
  });
  const ran = /^Ran (\d+) tests? in ([\d.]+)s$/m.exec(output.text);
  if (ran) t.diagnostic(`references suite: ${ran[1]} Python tests in ${ran[2]} s`);
  assert.equal(output.code, 0, `references_suite.py failed:\n${output.text}\n--- strict server log ---\n${strict.stderr()}\n--- warn server log ---\n${warn.stderr()}`);
  assert.equal(Number(ran?.[1]), 5, output.text);
  assert.match(output.text, /^OK$/m);
});
