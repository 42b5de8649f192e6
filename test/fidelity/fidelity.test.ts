/**
 * The fidelity corpus (issue #14 item 5): each case in test/fidelity/cases/*.json is one behaviour of the real
 * AWS Cloud Control API, quoted from a public source, replayed against a real `ccapi serve` process through the
 * JS SDK v3, and the cases marked `boto3` again through boto3 (run_boto3.py). A case ccapi does not pass yet is
 * a node:test todo with its reason, so the corpus stays honest. See test/fidelity/README.md.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import {
  CancelResourceRequestCommand,
  CreateResourceCommand,
  DeleteResourceCommand,
  GetResourceCommand,
  GetResourceRequestStatusCommand,
  ListResourceRequestsCommand,
  ListResourcesCommand,
  UpdateResourceCommand,
  type CloudControlClient,
} from '@aws-sdk/client-cloudcontrol';
import { REPO_ROOT, startServer, type ServerProcess } from '../support/server.js';
import { awsEnv, TEST_CREDENTIALS } from '../support/aws-env.js';
import { OFFICIAL_BUNDLE, skipIfMissing } from '../support/prerequisites.js';
import { DEFAULT_ACCOUNT, makeClient, waitForStatus } from '../e2e/support.js';
import { checkCase, loadCorpus, match, parsedView, pick, regexEscape, requestOf, substitute, type Case, type Operation, type Step, type Vars } from './corpus.js';

// FIDELITY_SCHEMAS points elsewhere (or at nothing, to see the registry cases skip).
// Without it, the bundle the other tests use (../shared or the `ccapi schemas pull` cache), with their rule for
// its absence: a skip saying how to get it, a failure under CI=true (test/support/prerequisites.ts).
const REGISTRY_ZIP = process.env.FIDELITY_SCHEMAS ?? OFFICIAL_BUNDLE;
const registryMissing =
  process.env.FIDELITY_SCHEMAS === undefined
    ? skipIfMissing('bundle')
    : existsSync(REGISTRY_ZIP) ? undefined : `needs the official schema bundle at ${REGISTRY_ZIP} (test data outside the repository)`;
const BOTO3_RUNNER = join(REPO_ROOT, 'test/fidelity/run_boto3.py');

/**
 * What AWS's own handlers do that ccapi's do not by themselves, as fault rules on the built-in server, each on a
 * type only the cases that need it use: a request that stays IN_PROGRESS a while (cancel, concurrent
 * operations) needs a slow CREATE handler (AWS::SSM::Parameter); AWS's read handler of AWS::EC2::PrefixList
 * failed with InternalFailure and the message "null" (aws/aws-sdk#324).
 */
const SERVER_FAULTS = {
  rules: [
    { typeName: 'AWS::SSM::Parameter', operation: 'CREATE', delayMs: 1500 },
    { typeName: 'AWS::EC2::PrefixList', operation: 'READ', errorCode: 'InternalFailure', statusMessage: 'null' },
  ],
};

const corpus = loadCorpus();
const all = corpus.flatMap((f) => f.cases);
const needsRegistry = !registryMissing && all.some((c) => c.catalogue === 'registry');

let builtIn: ServerProcess;
let registry: ServerProcess | undefined;
const clients = new Map<ServerProcess, CloudControlClient>();

before(async () => {
  // --no-cached-schemas: the built-in catalogue only, whatever `ccapi schemas pull` cached on this machine.
  // --references off: the cases were observed in real accounts where the roles, VPCs and clusters they name
  // existed; a case creates only the resource it is about (reference checks: test/e2e/references*.test.ts).
  const started = await Promise.all([
    startServer({ extraArgs: ['--no-cached-schemas', '--references', 'off'], faults: SERVER_FAULTS }),
    needsRegistry ? startServer({ extraArgs: ['--schemas', REGISTRY_ZIP, '--references', 'off'] }) : Promise.resolve(undefined),
  ]);
  builtIn = started[0];
  registry = started[1];
  for (const s of [builtIn, registry]) if (s) clients.set(s, makeClient(s, { maxAttempts: 1 }));
});

after(async () => {
  for (const c of clients.values()) c.destroy();
  await Promise.all([builtIn?.stop(), registry?.stop()]);
});

function serverFor(c: Case): ServerProcess {
  return c.catalogue === 'registry' ? registry! : builtIn;
}

const COMMANDS: Record<Operation, new (input: never) => unknown> = {
  CreateResource: CreateResourceCommand,
  GetResource: GetResourceCommand,
  UpdateResource: UpdateResourceCommand,
  DeleteResource: DeleteResourceCommand,
  ListResources: ListResourcesCommand,
  GetResourceRequestStatus: GetResourceRequestStatusCommand,
  ListResourceRequests: ListResourceRequestsCommand,
  CancelResourceRequest: CancelResourceRequestCommand,
};

let serial = 0;
function caseVars(): Vars {
  serial += 1;
  return { unique: `fid${process.pid}x${serial}`, account: DEFAULT_ACCOUNT, region: 'us-east-1', uuid: randomUUID() };
}

async function runStep(client: CloudControlClient, step: Step, vars: Vars, label: string): Promise<void> {
  const input = requestOf(step, vars);
  const Command = COMMANDS[step.call];
  let output: unknown;
  let error: (Error & { $metadata?: { httpStatusCode?: number } }) | undefined;
  try {
    output = await client.send(new Command(input as never) as never);
  } catch (e) {
    error = e as Error & { $metadata?: { httpStatusCode?: number } };
  }
  const expected = step.expect;
  if (step.allowError && error) return;
  if (expected?.error) {
    assert.ok(error, `${label}: expected ${expected.error.code ?? 'an error'}, but ${step.call} succeeded: ${JSON.stringify(parsedView(output))}`);
    if (expected.error.code !== undefined) assert.equal(error.name, expected.error.code, `${label}: error code (message: ${error.message})`);
    if (expected.error.status !== undefined) assert.equal(error.$metadata?.httpStatusCode, expected.error.status, `${label}: HTTP status of ${error.name}`);
    if (expected.error.message !== undefined) assert.equal(error.message, substitute(expected.error.message, vars), `${label}: message`);
    if (expected.error.messagePattern !== undefined) assert.match(error.message, new RegExp(substitute(expected.error.messagePattern, vars, regexEscape)), `${label}: message`);
    return;
  }
  if (error) throw new Error(`${label}: ${step.call} failed with ${error.name}: ${error.message}`, { cause: error });
  const view: Record<string, unknown> = { output: parsedView(output) };
  if (step.wait) {
    const token = (output as { ProgressEvent?: { RequestToken?: string } }).ProgressEvent?.RequestToken;
    assert.ok(token, `${label}: no RequestToken to wait for`);
    view.final = parsedView(await waitForStatus(client, token));
  }
  if (expected?.output !== undefined) {
    const problems = match(view.output, expected.output, vars);
    assert.deepEqual(problems, [], `${label}: output ${JSON.stringify(view.output)}`);
  }
  if (expected?.final !== undefined) {
    const problems = match(view.final, expected.final, vars);
    assert.deepEqual(problems, [], `${label}: terminal event ${JSON.stringify(view.final)}`);
  }
  for (const [name, path] of Object.entries(step.save ?? {})) {
    const value = pick(view, path);
    assert.ok(typeof value === 'string', `${label}: nothing to save as ${name} at ${path} in ${JSON.stringify(view)}`);
    vars[name] = value;
  }
}

async function runCase(c: Case): Promise<void> {
  const client = clients.get(serverFor(c))!;
  const vars = caseVars();
  for (const [i, step] of c.steps.entries()) await runStep(client, step, vars, `${c.id} step ${i} (${step.call})`);
}

function options(c: Case): { todo?: string; skip?: string } {
  if (c.catalogue === 'registry' && registryMissing) return { skip: registryMissing };
  return c.todo ? { todo: c.todo } : {};
}

test('the corpus: at least 40 cases, each with a public source', (t) => {
  assert.ok(all.length >= 40, `${all.length} cases`);
  for (const c of all) assert.ok(c.sources.length > 0, c.id);
  const todo = all.filter((c) => c.todo).length;
  const boto3 = all.filter((c) => c.boto3).length;
  // A summary for whoever runs the corpus: how much of it ccapi passes.
  t.diagnostic(`fidelity corpus: ${all.length} cases in ${corpus.length} files, ${todo} todo, ${boto3} also through boto3`);
});

describe('negative controls: the runner notices an answer that differs', () => {
  const vars: Vars = { unique: 'u1', account: DEFAULT_ACCOUNT, region: 'us-east-1', uuid: 'x' };

  test('the matcher: a different value, a missing key, a present $absent, a failed $pattern, a wrong length', () => {
    assert.deepEqual(match({ a: 1, b: 'x-u1' }, { a: 1, b: 'x-${unique}' }, vars), []);
    assert.equal(match({ a: 2 }, { a: 1 }, vars).length, 1);
    assert.equal(match({}, { a: 1 }, vars).length, 1);
    assert.equal(match({ a: 1 }, { a: { $absent: true } }, vars).length, 1);
    assert.equal(match('arn:x:u1.*', { $pattern: '^arn:x:${unique}\\.\\*$' }, vars).length, 0, 'variables in patterns are literal');
    assert.equal(match('arn:x:u1ab', { $pattern: '^arn:x:${unique}\\.\\*$' }, vars).length, 1);
    assert.equal(match([1, 2], [1], vars).length, 1);
    assert.equal(match([{ id: 'a' }], { $contains: { id: 'b' } }, vars).length, 1);
    assert.equal(match([{ id: 'a' }], { $notContains: { id: 'a' } }, vars).length, 1);
    assert.equal(match(1, true, vars).length, 1);
  });

  test('a case without a source, quote or expectation is refused', () => {
    const good: Case = { id: 'x', title: 't', sources: ['https://example.com/a'], quote: 'q', steps: [{ call: 'GetResource', input: {}, expect: { error: { code: 'X' } } }] };
    assert.deepEqual(checkCase(good), []);
    assert.ok(checkCase({ ...good, sources: [] }).some((p) => /source/.test(p)));
    assert.ok(checkCase({ ...good, quote: '' }).some((p) => /quote/.test(p)));
    assert.ok(checkCase({ ...good, steps: [{ call: 'GetResource', input: {} }] }).some((p) => /no step expects anything/.test(p)));
  });

  test('a case whose expected wording differs from the server\'s answer fails', async () => {
    const wrong: Case = {
      id: 'wrong-wording',
      title: 'a deliberately wrong expectation',
      sources: ['https://example.com/none'],
      quote: 'none',
      steps: [{ call: 'GetResource', input: { TypeName: 'AWS::Fidelity::Nonexistent', Identifier: 'x' }, expect: { error: { code: 'TypeNotFoundException', message: 'The type cannot be found.' } } }],
    };
    await assert.rejects(runCase(wrong), /message/);
    await assert.rejects(runCase({ ...wrong, steps: [{ ...wrong.steps[0]!, expect: { error: { code: 'ResourceNotFoundException' } } }] }), /error code/);
  });
});

for (const file of corpus) {
  describe(`${file.theme} (${file.file})`, () => {
    for (const c of file.cases) {
      test(`${c.id}: ${c.title}`, options(c), async () => {
        if (c.catalogue === 'registry' && registryMissing) return;
        await runCase(c);
      });
    }
  });
}

interface Boto3Result {
  id: string;
  ok: boolean;
  error?: string;
}

/**
 * The negative control's cases for run_boto3.py: expectations that differ from the server's answer (each must be
 * reported failed) and one that matches (reported passed). Written to a folder of their own, run with the corpus.
 */
function writeNegativeCases(): string {
  const dir = mkdtempSync(join(tmpdir(), 'fidelity-neg-'));
  const step = { call: 'GetResource', input: { TypeName: 'AWS::Fidelity::Nonexistent', Identifier: 'x' } };
  const cases = [
    { id: 'neg-message', boto3: true, steps: [{ ...step, expect: { error: { code: 'TypeNotFoundException', message: 'The type cannot be found.' } } }] },
    { id: 'neg-code', boto3: true, steps: [{ ...step, expect: { error: { code: 'ResourceNotFoundException' } } }] },
    { id: 'neg-output', boto3: true, steps: [{ call: 'ListResources', input: { TypeName: 'AWS::GameLift::Fleet' }, expect: { output: { ResourceDescriptions: [{ Identifier: 'x' }] } } }] },
    { id: 'pos-control', boto3: true, steps: [{ ...step, expect: { error: { code: 'TypeNotFoundException', status: 400 } } }] },
  ];
  writeFileSync(join(dir, 'negative.json'), JSON.stringify({ theme: 'negative', description: '', cases }));
  return dir;
}

/** Runs run_boto3.py once over the corpus and the negative control; its results by case id, or why it could not run. */
async function runBoto3(): Promise<{ results?: Map<string, Boto3Result>; runError?: string }> {
  const negativeCases = writeNegativeCases();
  const { code, stdout, stderr } = await new Promise<{ code: number | string | null; stdout: string; stderr: string }>((done) => {
    execFile(
      'python3',
      [BOTO3_RUNNER],
      {
        cwd: REPO_ROOT,
        timeout: 40_000,
        maxBuffer: 16 * 1024 * 1024,
        env: awsEnv({
          ...TEST_CREDENTIALS,
          CCAPI_ENDPOINT: builtIn.url,
          CCAPI_REGISTRY_ENDPOINT: registry?.url ?? '',
          FIDELITY_UNIQUE: `fidpy${process.pid}`,
          FIDELITY_EXTRA_CASES: negativeCases,
        }),
      },
      (error, out, err) => done({ code: error ? ((error as NodeJS.ErrnoException).code ?? 'killed') : 0, stdout: out, stderr: err }),
    );
  });
  rmSync(negativeCases, { recursive: true, force: true });
  if (code !== 0) return { runError: `run_boto3.py exited with ${String(code)}:\n${stdout}\n${stderr}` };
  const lines = stdout.split('\n').filter((l) => l.startsWith('{'));
  return { results: new Map(lines.map((l) => JSON.parse(l) as Boto3Result).map((r) => [r.id, r])) };
}

describe('through boto3', () => {
  let results: Map<string, Boto3Result> | undefined;
  let runError: string | undefined;

  before(async () => {
    ({ results, runError } = await runBoto3());
  });

  test('negative control: run_boto3.py reports a case whose expectation differs as failed', () => {
    assert.ok(results, runError);
    for (const id of ['neg-message', 'neg-code', 'neg-output']) assert.equal(results.get(id)?.ok, false, `${id}: ${JSON.stringify(results.get(id))}`);
    assert.equal(results.get('pos-control')?.ok, true, JSON.stringify(results.get('pos-control')));
  });

  for (const c of all.filter((x) => x.boto3)) {
    test(`boto3 ${c.id}: ${c.title}`, options(c), () => {
      if (c.catalogue === 'registry' && registryMissing) return;
      assert.ok(results, runError);
      const r = results.get(c.id);
      assert.ok(r, `run_boto3.py reported nothing for ${c.id}`);
      assert.ok(r.ok, r.error);
    });
  }
});
