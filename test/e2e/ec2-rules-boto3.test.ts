/**
 * End-to-end: the EC2 and ECS service rules through boto3 (test/e2e/clients/ec2_rules_suite.py) against a real
 * server process: refused deletes FAILED with the handler's code and message, nothing deleted, the boto3 waiter
 * failing on them; subnet CIDR and security-group name rules.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { REPO_ROOT, startServer, type ServerProcess } from '../support/server.js';
import { awsEnv, TEST_CREDENTIALS } from '../support/aws-env.js';
import { skipIfMissing } from '../support/prerequisites.js';

const SUITE = join(REPO_ROOT, 'test/e2e/clients/ec2_rules_suite.py');

let server: ServerProcess;

before(async () => {
  server = await startServer();
});

after(async () => {
  await server?.stop();
});

test('the boto3 EC2-rules suite passes against the server', { skip: skipIfMissing('boto3') }, async (t) => {
  const { code, output } = await new Promise<{ code: number | string | null; output: string }>((resolve) => {
    execFile(
      'python3',
      [SUITE, '-v'],
      { cwd: REPO_ROOT, timeout: 120_000, maxBuffer: 16 * 1024 * 1024, env: awsEnv({ ...TEST_CREDENTIALS, CCAPI_ENDPOINT: server.url }) },
      (error, stdout, stderr) => {
        const exit = error ? ((error as NodeJS.ErrnoException & { code?: number | string }).code ?? (error.killed ? 'timeout' : null)) : 0;
        resolve({ code: exit, output: `${stdout}${stderr}` });
      },
    );
  });
  const ran = /^Ran (\d+) tests? in ([\d.]+)s$/m.exec(output);
  if (ran) t.diagnostic(`ec2 rules suite: ${ran[1]} Python tests in ${ran[2]} s`);
  assert.equal(code, 0, `ec2_rules_suite.py exited with ${String(code)}:\n${output}\n--- server log ---\n${server.stderr()}`);
  assert.ok(ran, `no unittest summary line in the output:\n${output}`);
  assert.equal(Number(ran[1]), 5, output);
  assert.match(output, /^OK$/m, output);
});
