// The hooks' decisions: which hooks apply, what each one's verdict is, and which verdicts stop the request.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { HookProgressEvent } from '../../domain/progress-event.js';
import type { Logger } from '../../lib/logger.js';
import type { HookRequest } from '../../providers/author.js';
import { brokenCondition } from './conditions.js';
import type { HookDefinition } from './definitions.js';
import { blockedMessage, DEFAULT_HOOK_BUDGET_MS, HOOK_TYPE_VERSION_ID, HookRunner, type HookTarget } from './runner.js';

const target: HookTarget = {
  typeName: 'Acme::Thing::Widget',
  operation: 'CREATE',
  accountId: '111111111111',
  region: 'eu-west-1',
  partition: 'aws',
  requestToken: 'req-1',
  targetModel: { Owner: 'me', Size: 2 },
};

const declarative = (typeName: string, extra: Partial<HookDefinition> = {}): HookDefinition => ({
  typeName,
  targets: ['*'],
  operations: ['CREATE', 'UPDATE'],
  failureMode: 'FAIL',
  conditions: [{ pointer: '/Owner', exists: true }],
  ...extra,
});

const moduleHook = (typeName: string, run: HookDefinition['run'], extra: Partial<HookDefinition> = {}): HookDefinition => ({
  typeName,
  targets: ['*'],
  operations: ['CREATE', 'UPDATE'],
  failureMode: 'FAIL',
  run,
  module: '/hooks/x.js',
  ...extra,
});

/** A logger that remembers what was logged at error level, and the bindings of its children. */
function recordingLogger() {
  const errors: { bindings: Record<string, unknown>; fields: Record<string, unknown>; message: string }[] = [];
  const make = (bindings: Record<string, unknown>): Logger =>
    ({
      child: (more: Record<string, unknown>) => make({ ...bindings, ...more }),
      error: (fields: Record<string, unknown>, message: string) => errors.push({ bindings, fields, message }),
      warn: () => {},
      info: () => {},
      debug: () => {},
    }) as unknown as Logger;
  return { log: make({}), errors };
}

const statuses = (progress: HookProgressEvent[]) => progress.map((p) => [p.HookTypeName, p.HookStatus, p.HookStatusMessage]);

test('the constants: version 00000001, 30 s for a module hook', () => {
  assert.equal(HOOK_TYPE_VERSION_ID, '00000001');
  assert.equal(DEFAULT_HOOK_BUDGET_MS, 30_000);
});

test('matching: target globs and operations, in file order', () => {
  const a = declarative('Acme::Hook::A', { targets: ['Acme::*'] });
  const b = declarative('Acme::Hook::B', { targets: ['Other::*', 'Acme::Thing::Widget'], operations: ['DELETE'] });
  const c = declarative('Acme::Hook::C', { targets: ['AWS::*'] });
  const d = declarative('Acme::Hook::D', { targets: ['Nope::*', '*::Widget'], operations: ['CREATE', 'DELETE'] });
  const runner = new HookRunner([a, b, c, d]);
  assert.equal(runner.size, 4);
  assert.deepEqual(runner.matching('Acme::Thing::Widget', 'CREATE'), [a, d]);
  assert.deepEqual(runner.matching('Acme::Thing::Widget', 'DELETE'), [b, d]);
  assert.deepEqual(runner.matching('Acme::Thing::Widget', 'UPDATE'), [a]);
  assert.deepEqual(runner.matching('AWS::S3::Bucket', 'UPDATE'), [c]);
  assert.deepEqual(runner.matching('Zed::Y::Z', 'CREATE'), []);
  assert.equal(new HookRunner([]).size, 0);
});

test('pending: one HOOK_IN_PROGRESS entry per hook, with its ARN, time in epoch seconds and failure mode', () => {
  const runner = new HookRunner([]);
  const entries = runner.pending([declarative('Acme::Hook::A'), declarative('Acme::Hook::B', { failureMode: 'WARN' })], { accountId: '1', region: 'cn-north-1', partition: 'aws-cn' }, 1_700_000_000_500);
  assert.deepEqual(entries[0], {
    HookTypeName: 'Acme::Hook::A',
    HookTypeVersionId: '00000001',
    HookTypeArn: 'arn:aws-cn:cloudformation:cn-north-1:1:type/hook/Acme-Hook-A',
    InvocationPoint: 'PRE_PROVISION',
    HookStatus: 'HOOK_IN_PROGRESS',
    HookEventTime: 1_700_000_000.5,
    HookStatusMessage: 'Hook invocation is in progress',
    FailureMode: 'FAIL',
  });
  assert.equal(entries[1]!.FailureMode, 'WARN');
  assert.equal(entries.length, 2);
});

test('declarative hooks: succeeded, or failed with the hook\'s message or the broken condition in words', async () => {
  const runner = new HookRunner([]);
  let t = 100_000;
  const verdict = await runner.run(
    [
      declarative('Acme::Hook::Ok'),
      declarative('Acme::Hook::Said', { conditions: [{ pointer: '/Size', equals: 3 }], message: 'Size must be 3' }),
      declarative('Acme::Hook::Words', { conditions: [{ pointer: '/Name', exists: true }] }),
    ],
    target,
    () => (t += 1000),
  );
  assert.deepEqual(statuses(verdict.progress), [
    ['Acme::Hook::Ok', 'HOOK_COMPLETE_SUCCEEDED', 'Hook succeeded'],
    ['Acme::Hook::Said', 'HOOK_COMPLETE_FAILED', 'Size must be 3'],
    ['Acme::Hook::Words', 'HOOK_COMPLETE_FAILED', '/Name must exist'],
  ]);
  assert.deepEqual(verdict.progress.map((p) => p.HookEventTime), [101, 102, 103], 'each stamped when it answered');
  assert.deepEqual(verdict.blocking.map((p) => p.HookTypeName), ['Acme::Hook::Said', 'Acme::Hook::Words']);
});

test('declarative hooks judge an absent target model as {}', async () => {
  const { targetModel: _, ...withoutModel } = target;
  const verdict = await new HookRunner([]).run([declarative('Acme::Hook::A', { conditions: [{ pointer: '/Owner', exists: false }] })], withoutModel, () => 0);
  assert.deepEqual(statuses(verdict.progress), [['Acme::Hook::A', 'HOOK_COMPLETE_SUCCEEDED', 'Hook succeeded']]);
});

test('only FAIL-mode hooks that did not succeed block: WARN ones are recorded only', async () => {
  const runner = new HookRunner([]);
  const verdict = await runner.run(
    [
      declarative('Acme::Hook::Warn', { failureMode: 'WARN', conditions: [{ pointer: '/Name', exists: true }] }),
      moduleHook('Acme::Hook::Broken', async () => {
        throw new Error('boom');
      }),
      moduleHook('Acme::Hook::Fine', async () => ({ status: 'SUCCESS' })),
    ],
    target,
    () => 0,
  );
  assert.deepEqual(verdict.progress.map((p) => p.HookStatus), ['HOOK_COMPLETE_FAILED', 'HOOK_FAILED', 'HOOK_COMPLETE_SUCCEEDED']);
  assert.deepEqual(verdict.blocking.map((p) => p.HookTypeName), ['Acme::Hook::Broken']);
  const none = await runner.run([moduleHook('Acme::Hook::Fine', async () => ({ status: 'SUCCESS' }))], target, () => 0);
  assert.deepEqual(none.blocking, []);
});

test('module hooks get the request (copies of the models and configuration) and their answer becomes the verdict', async () => {
  const seen: HookRequest[] = [];
  const configuration = { limit: 2 };
  const hook = moduleHook(
    'Acme::Hook::Mod',
    async (request) => {
      seen.push(request);
      (request.desiredResourceState as Record<string, unknown>).Owner = 'changed';
      return { status: 'FAILED', message: 'too big' };
    },
    { configuration },
  );
  const previousModel = { Owner: 'before' };
  const verdict = await new HookRunner([]).run([hook], { ...target, operation: 'UPDATE', previousModel }, () => 0);
  assert.deepEqual(seen[0], {
    hookTypeName: 'Acme::Hook::Mod',
    typeName: 'Acme::Thing::Widget',
    operation: 'UPDATE',
    awsAccountId: '111111111111',
    region: 'eu-west-1',
    clientRequestToken: 'req-1',
    desiredResourceState: { Owner: 'changed', Size: 2 },
    previousResourceState: { Owner: 'before' },
    hookConfiguration: { limit: 2 },
  });
  assert.equal(target.targetModel!.Owner, 'me', 'the hook changed its own copy');
  assert.notEqual(seen[0]!.hookConfiguration, configuration);
  assert.deepEqual(statuses(verdict.progress), [['Acme::Hook::Mod', 'HOOK_COMPLETE_FAILED', 'too big']]);
});

test('module hooks: a request without models or configuration has none of those members', async () => {
  const seen: HookRequest[] = [];
  const { targetModel: _, ...withoutModel } = target;
  await new HookRunner([]).run([moduleHook('Acme::Hook::Mod', async (r) => (seen.push(r), { status: 'SUCCESS' }))], withoutModel, () => 0);
  assert.deepEqual(Object.keys(seen[0]!).sort(), ['awsAccountId', 'clientRequestToken', 'hookTypeName', 'operation', 'region', 'typeName']);
});

test('module hooks: default messages, and anything but {status: SUCCESS|FAILED} is HOOK_FAILED', async () => {
  const { log, errors } = recordingLogger();
  const runner = new HookRunner([], 1_000, log);
  const answers: [string, unknown][] = [
    ['Acme::Hook::Ok', { status: 'SUCCESS' }],
    ['Acme::Hook::OkSaid', { status: 'SUCCESS', message: 'fine by me' }],
    ['Acme::Hook::No', { status: 'FAILED' }],
    ['Acme::Hook::NoEmpty', { status: 'FAILED', message: '' }],
    ['Acme::Hook::NoNumber', { status: 'FAILED', message: 5 }],
    ['Acme::Hook::Null', null],
    ['Acme::Hook::Nothing', undefined],
    ['Acme::Hook::Text', 'SUCCESS'],
    ['Acme::Hook::Odd', { status: 'MAYBE' }],
  ];
  const verdict = await runner.run(answers.map(([name, answer]) => moduleHook(name, async () => answer as never)), target, () => 0);
  const nonsense = 'Hook failed: it returned something other than {status: "SUCCESS" | "FAILED", message?}';
  assert.deepEqual(statuses(verdict.progress), [
    ['Acme::Hook::Ok', 'HOOK_COMPLETE_SUCCEEDED', 'Hook succeeded'],
    ['Acme::Hook::OkSaid', 'HOOK_COMPLETE_SUCCEEDED', 'fine by me'],
    ['Acme::Hook::No', 'HOOK_COMPLETE_FAILED', 'Hook failed'],
    ['Acme::Hook::NoEmpty', 'HOOK_COMPLETE_FAILED', 'Hook failed'],
    ['Acme::Hook::NoNumber', 'HOOK_COMPLETE_FAILED', 'Hook failed'],
    ['Acme::Hook::Null', 'HOOK_FAILED', nonsense],
    ['Acme::Hook::Nothing', 'HOOK_FAILED', nonsense],
    ['Acme::Hook::Text', 'HOOK_FAILED', nonsense],
    ['Acme::Hook::Odd', 'HOOK_FAILED', nonsense],
  ]);
  assert.deepEqual(errors.map((e) => [e.bindings.hookTypeName, e.bindings.requestToken, e.fields.module, e.message]), [
    ['Acme::Hook::Null', 'req-1', '/hooks/x.js', 'hook returned something other than {status: "SUCCESS" | "FAILED"}'],
    ['Acme::Hook::Nothing', 'req-1', '/hooks/x.js', 'hook returned something other than {status: "SUCCESS" | "FAILED"}'],
    ['Acme::Hook::Text', 'req-1', '/hooks/x.js', 'hook returned something other than {status: "SUCCESS" | "FAILED"}'],
    ['Acme::Hook::Odd', 'req-1', '/hooks/x.js', 'hook returned something other than {status: "SUCCESS" | "FAILED"}'],
  ]);
});

test('module hooks that throw, throw a non-error, or outlast their budget are HOOK_FAILED, and logged', async () => {
  const { log, errors } = recordingLogger();
  const runner = new HookRunner([], 30, log);
  const verdict = await runner.run(
    [
      moduleHook('Acme::Hook::Throws', async () => {
        throw new Error('no database');
      }),
      moduleHook('Acme::Hook::Rejects', () => Promise.reject('plain text')),
      moduleHook('Acme::Hook::Hangs', () => new Promise(() => {})),
    ],
    target,
    () => 0,
  );
  assert.deepEqual(statuses(verdict.progress), [
    ['Acme::Hook::Throws', 'HOOK_FAILED', 'Hook failed: no database'],
    ['Acme::Hook::Rejects', 'HOOK_FAILED', 'Hook failed: plain text'],
    ['Acme::Hook::Hangs', 'HOOK_FAILED', 'Hook failed: Handler did not return within its 30 ms step budget'],
  ]);
  assert.deepEqual(errors.map((e) => [e.bindings.hookTypeName, e.fields.module, e.message]), [
    ['Acme::Hook::Throws', '/hooks/x.js', 'hook failed'],
    ['Acme::Hook::Rejects', '/hooks/x.js', 'hook failed'],
    ['Acme::Hook::Hangs', '/hooks/x.js', 'hook failed'],
  ]);
  assert.equal((errors[0]!.fields.err as Error).message, 'no database');
});

test('module hooks are given an abort signal and a logger', async () => {
  let context: { signal?: AbortSignal; log?: unknown } = {};
  await new HookRunner([]).run([moduleHook('Acme::Hook::Ctx', async (_r, c) => ((context = c), { status: 'SUCCESS' }))], target, () => 0);
  assert.ok(context.signal instanceof AbortSignal);
  assert.equal(context.signal.aborted, false);
  assert.ok(context.log);
});

test('blockedMessage names every blocking hook and its reason', () => {
  const entry = (name: string, status: HookProgressEvent['HookStatus'], message?: string): HookProgressEvent => ({
    HookTypeName: name, InvocationPoint: 'PRE_PROVISION', HookStatus: status, HookEventTime: 0, FailureMode: 'FAIL', ...(message === undefined ? {} : { HookStatusMessage: message }),
  });
  assert.equal(
    blockedMessage([entry('A::B::C', 'HOOK_COMPLETE_FAILED', 'no owner'), entry('D::E::F', 'HOOK_FAILED')]),
    'The following hook(s) failed: [A::B::C, D::E::F]. A::B::C: no owner; D::E::F: HOOK_FAILED',
  );
});

test('conditions: each kind, the first broken one, the whole model as ""', () => {
  const model = { Owner: 'me', Tags: [{ Key: 'env' }], 'a/b': { '~c': 1 }, Nil: null };
  assert.equal(brokenCondition([], model), undefined);
  assert.equal(brokenCondition([{ pointer: '/Owner', exists: true }, { pointer: '/Gone', exists: false }], model), undefined);
  assert.equal(brokenCondition([{ pointer: '/Owner', exists: false }], model), '/Owner must be absent');
  assert.equal(brokenCondition([{ pointer: '/Nil', exists: true }], model), undefined, 'null is present');
  assert.equal(brokenCondition([{ pointer: '/a~1b/~0c', equals: 1 }], model), undefined);
  assert.equal(brokenCondition([{ pointer: '/Tags', equals: [{ Key: 'env' }] }], model), undefined, 'deep equality');
  assert.equal(brokenCondition([{ pointer: '/Tags', equals: [{ Key: 'prod' }] }], model), '/Tags must equal [{"Key":"prod"}]');
  assert.equal(brokenCondition([{ pointer: '/Gone', equals: null }], model), '/Gone must equal null', 'absent is not null');
  assert.equal(brokenCondition([{ pointer: '/Nil', equals: null }], model), undefined);
  assert.equal(brokenCondition([{ pointer: '/Owner', matches: '^m', regex: /^m/u }], model), undefined);
  assert.equal(brokenCondition([{ pointer: '/Owner', matches: '^x', regex: /^x/u }], model), '/Owner must match ^x');
  assert.equal(brokenCondition([{ pointer: '/Tags', matches: '.', regex: /./u }], model), '/Tags must match .', 'only strings match');
  assert.equal(brokenCondition([{ pointer: '/Gone', matches: '^$', regex: /^$/u }], model), '/Gone must match ^$', 'an absent value matches nothing');
  assert.equal(brokenCondition([{ pointer: '', exists: false }], model), 'the model must be absent');
  assert.equal(brokenCondition([{ pointer: '', equals: {} }], model), `the model must equal {}`);
  assert.equal(brokenCondition([{ pointer: '/Owner', exists: true }, { pointer: '/A', exists: true }, { pointer: '/B', exists: true }], model), '/A must exist', 'the first broken one');
});
