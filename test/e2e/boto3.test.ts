/**
 * End-to-end: boto3 against a real ccapi server. The behaviour checks live in a Python unittest suite
 * (test/e2e/clients/boto3_suite.py); this test starts the server, runs the suite with a timeout, and
 * fails with the suite's output if any Python test fails.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { REPO_ROOT, startServer, type ServerProcess } from '../support/server.js';
import { awsEnv, TEST_CREDENTIALS } from '../support/aws-env.js';
import { skipIfMissing } from '../support/prerequisites.js';

const SUITE = join(REPO_ROOT, 'test/e2e/clients/boto3_suite.py');

let server: ServerProcess;

before(async () => {
  server = await startServer();
});

after(async () => {
  await server?.stop();
});

interface Run {
  code: number | string | null;
  output: string;
}

function runSuite(): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      'python3',
      [SUITE, '-v'],
      {
        cwd: REPO_ROOT,
        timeout: 60_000,
        maxBuffer: 16 * 1024 * 1024,
        env: awsEnv({ ...TEST_CREDENTIALS, CCAPI_ENDPOINT: server.url }),
      },
      (error, stdout, stderr) => {
        const code = error ? ((error as NodeJS.ErrnoException & { code?: number | string }).code ?? (error.killed ? 'timeout' : null)) : 0;
        resolve({ code, output: `${stdout}${stderr}` });
      },
    );
  });
}

test('the boto3 unittest suite passes against the server', { skip: skipIfMissing('boto3') }, async (t) => {
  const { code, output } = await runSuite();
  const ran = /^Ran (\d+) tests? in ([\d.]+)s$/m.exec(output);
  if (ran) t.diagnostic(`boto3 suite: ${ran[1]} Python tests in ${ran[2]} s`);
  assert.equal(code, 0, `boto3_suite.py exited with ${String(code)}:\n${output}\n--- server log ---\n${server.stderr()}`);
  assert.ok(ran, `no unittest summary line in the output:\n${output}`);
  const count = Number(ran[1]);
  assert.ok(count > 10, `expected more than 10 Python tests, ran ${count}`);
  assert.match(output, /^OK$/m, `unittest did not report OK:\n${output}`);
  assert.doesNotMatch(output, /\b(ERROR|FAIL):/, output);
});
