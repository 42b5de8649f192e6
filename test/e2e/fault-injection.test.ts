/**
 * End-to-end: fault and latency injection, loaded from `--faults FILE` at start and through the admin API
 * (PUT/GET/DELETE /_ccapi/faults), observed with the JS SDK; plus the request timeline route.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
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
import { CLI, startServer, tempDir, type ServerProcess } from '../support/server.js';
import {
  clearFaults,
  expectError,
  getFaults,
  handlerFailedMessage,
  makeClient,
  putFaults,
  putFaultsOk,
  timeline,
  uniqueName,
  waitForCancelBeforeDue,
  waitForStatus,
} from './support.js';

const LOG_GROUP = 'AWS::Logs::LogGroup';
const QUEUE = 'AWS::SQS::Queue';
const TOPIC = 'AWS::SNS::Topic';

/** Loaded with --faults at start: the first two SQS creates fail, then creates work again. */
const STARTUP_FAULTS = {
  seed: 7,
  rules: [{ typeName: QUEUE, operation: 'CREATE', errorCode: 'ServiceLimitExceeded', statusMessage: 'Too many queues (injected)', count: 2 }],
};

let server: ServerProcess;
let client: CloudControlClient;

before(async () => {
  server = await startServer({ faults: STARTUP_FAULTS });
  // One attempt per call: the SDK would otherwise retry throttling and 5xx answers and spend rule matches.
  client = makeClient(server, { maxAttempts: 1 });
});

after(async () => {
  client?.destroy();
  await server?.stop();
});

async function createLogGroup(name: string, c: CloudControlClient = client): Promise<void> {
  const { ProgressEvent: e } = await c.send(new CreateResourceCommand({ TypeName: LOG_GROUP, DesiredState: JSON.stringify({ LogGroupName: name }) }));
  assert.equal((await waitForStatus(c, e!.RequestToken!)).OperationStatus, 'SUCCESS');
}

describe('rules from --faults FILE', () => {
  test('GET /_ccapi/faults shows the startup rules; count: 2 fails two creates with the errorCode, then creates work', async () => {
    const loaded = await getFaults(server);
    assert.equal(loaded.seed, 7);
    assert.deepEqual(loaded.rules, STARTUP_FAULTS.rules);
    assert.deepEqual(loaded.remaining, [2]);

    const outcomes = [];
    for (let i = 0; i < 3; i++) {
      const { ProgressEvent: accepted } = await client.send(new CreateResourceCommand({ TypeName: QUEUE, DesiredState: '{}' }));
      assert.equal(accepted!.OperationStatus, 'IN_PROGRESS', 'an injected failure is asynchronous');
      outcomes.push(await waitForStatus(client, accepted!.RequestToken!));
    }
    for (const failed of outcomes.slice(0, 2)) {
      assert.equal(failed.OperationStatus, 'FAILED');
      assert.equal(failed.ErrorCode, 'ServiceLimitExceeded');
      assert.equal(failed.StatusMessage, 'Too many queues (injected)');
    }
    assert.equal(outcomes[2]!.OperationStatus, 'SUCCESS', 'the rule is spent after two matches');
    assert.equal(outcomes[2]!.ErrorCode, undefined);
    assert.deepEqual((await getFaults(server)).remaining, [0]);

    const queues = await client.send(new ListResourcesCommand({ TypeName: QUEUE }));
    assert.equal(queues.ResourceDescriptions!.length, 1, 'the failed creates made nothing');
  });

  test('two servers started with the same seeded file draw the same probability sequence', async () => {
    const config = { seed: 12345, rules: [{ typeName: LOG_GROUP, operation: 'READ', errorCode: 'Throttling', probability: 0.5 }] };
    const draw = async (target: ServerProcess): Promise<string[]> => {
      const c = makeClient(target, { maxAttempts: 1 });
      try {
        const names: string[] = [];
        for (let i = 0; i < 24; i++) {
          const error = await c.send(new GetResourceCommand({ TypeName: LOG_GROUP, Identifier: `prob-${i}` })).then(
            () => assert.fail('there is no such log group'),
            (e: Error) => e,
          );
          names.push(error.name);
        }
        return names;
      } finally {
        c.destroy();
      }
    };
    const [a, b] = await Promise.all([startServer({ faults: config }), startServer({ faults: config })]);
    try {
      const [first, second] = await Promise.all([draw(a), draw(b)]);
      assert.deepEqual(first, second, 'the same seed gives the same sequence');
      assert.ok(first.includes('ThrottlingException') && first.includes('ResourceNotFoundException'), `a mix of outcomes: ${first.join(', ')}`);

      // Loading the same configuration through the admin API restarts the same stream.
      await putFaultsOk(server, config);
      assert.deepEqual(await draw(server), first, 'PUT with the same seed replays the sequence');
      await putFaultsOk(server, { ...config, seed: 99 });
      assert.notDeepEqual(await draw(server), first, 'another seed gives another sequence');
    } finally {
      await Promise.all([a.stop(), b.stop(), clearFaults(server)]);
    }
  });

  test('an invalid faults file stops the server from starting, naming the bad field', async () => {
    const dir = tempDir();
    const file = join(dir, 'bad-faults.json');
    writeFileSync(file, JSON.stringify({ rules: [{ delayMs: 10 }, { operation: 'CREATE', errorCode: 'NotAnErrorCode' }] }));
    const { code, stderr } = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
      execFile(process.execPath, [CLI, 'serve', '--port', '0', '--database', ':memory:', '--faults', file], { timeout: 10_000 }, (error, _stdout, stderrText) => {
        resolve({ code: error ? ((error as { code?: number }).code ?? null) : 0, stderr: stderrText });
      });
    });
    assert.equal(code, 1, `exit code; stderr: ${stderr}`);
    assert.match(stderr, /rules\[1\]\.errorCode/);
  });
});

describe('rules through the admin API', () => {
  test('delayMs: IN_PROGRESS with RetryAfter, then SUCCESS after the delay; the timeline shows both', async () => {
    await putFaultsOk(server, { rules: [{ typeName: LOG_GROUP, operation: 'CREATE', delayMs: 5000 }] });
    try {
      const name = uniqueName('delayed');
      const { ProgressEvent: accepted } = await client.send(new CreateResourceCommand({ TypeName: LOG_GROUP, DesiredState: JSON.stringify({ LogGroupName: name }) }));
      assert.equal(accepted!.OperationStatus, 'IN_PROGRESS');
      assert.ok(accepted!.RetryAfter instanceof Date);
      assert.equal(accepted!.RetryAfter.getTime() - accepted!.EventTime!.getTime(), 5000, 'RetryAfter is when the delayed step runs');
      assert.ok(accepted!.RetryAfter.getTime() > Date.now());

      const polled = await client.send(new GetResourceRequestStatusCommand({ RequestToken: accepted!.RequestToken! }));
      assert.equal(polled.ProgressEvent!.OperationStatus, 'IN_PROGRESS', 'still waiting for the delay');
      assert.equal(polled.ProgressEvent!.RetryAfter?.getTime(), accepted!.RetryAfter.getTime());
      await expectError(client.send(new GetResourceCommand({ TypeName: LOG_GROUP, Identifier: name })), { name: 'ResourceNotFoundException' });

      const done = await waitForStatus(client, accepted!.RequestToken!, undefined, 30_000);
      assert.equal(done.OperationStatus, 'SUCCESS');
      assert.equal(done.RetryAfter, undefined, 'no RetryAfter on a terminal event');
      assert.ok(done.EventTime!.getTime() >= accepted!.RetryAfter.getTime(), 'the step ran no earlier than RetryAfter');
      await client.send(new GetResourceCommand({ TypeName: LOG_GROUP, Identifier: name }));

      const { status, body } = await timeline(server, accepted!.RequestToken!);
      assert.equal(status, 200);
      assert.equal(body.RequestToken, accepted!.RequestToken);
      assert.deepEqual(body.Events!.map((e) => e.OperationStatus), ['IN_PROGRESS', 'SUCCESS']);
      assert.match(body.Events![0]!.Detail, /delay/);
      assert.equal(body.Events![0]!.RetryAfter, accepted!.RetryAfter.toISOString());
    } finally {
      await clearFaults(server);
    }
  });

  test('errorCode on DELETE: FAILED with that code and the default message; the resource stays', async () => {
    const name = uniqueName('undeletable');
    await createLogGroup(name);
    await putFaultsOk(server, { rules: [{ typeName: 'AWS::Logs::*', operation: 'DELETE', errorCode: 'AccessDenied' }] });
    try {
      const { ProgressEvent: accepted } = await client.send(new DeleteResourceCommand({ TypeName: LOG_GROUP, Identifier: name }));
      const failed = await waitForStatus(client, accepted!.RequestToken!);
      assert.equal(failed.OperationStatus, 'FAILED');
      assert.equal(failed.ErrorCode, 'AccessDenied');
      assert.equal(failed.StatusMessage, "Access denied for operation 'DELETE'.");
      assert.equal(failed.Identifier, name);
      await client.send(new GetResourceCommand({ TypeName: LOG_GROUP, Identifier: name }));

      const { body } = await timeline(server, accepted!.RequestToken!);
      assert.deepEqual(body.Events!.map((e) => e.OperationStatus), ['IN_PROGRESS', 'FAILED']);
      assert.equal(body.Events![1]!.ErrorCode, 'AccessDenied');
    } finally {
      await clearFaults(server);
    }
  });

  test('errorCode on CREATE and UPDATE with a statusMessage', async () => {
    const name = uniqueName('fail-update');
    await createLogGroup(name);
    await putFaultsOk(server, {
      rules: [
        { typeName: LOG_GROUP, operation: 'UPDATE', errorCode: 'NotUpdatable', statusMessage: 'conditional createOnly (injected)' },
        { typeName: TOPIC, operation: 'CREATE', errorCode: 'InternalFailure' },
      ],
    });
    try {
      const { ProgressEvent: upd } = await client.send(new UpdateResourceCommand({ TypeName: LOG_GROUP, Identifier: name, PatchDocument: '[{"op":"add","path":"/RetentionInDays","value":3}]' }));
      assert.equal(upd!.OperationStatus, 'IN_PROGRESS');
      const failed = await waitForStatus(client, upd!.RequestToken!);
      assert.equal(failed.ErrorCode, 'NotUpdatable');
      assert.equal(failed.StatusMessage, 'conditional createOnly (injected)');
      const props = JSON.parse((await client.send(new GetResourceCommand({ TypeName: LOG_GROUP, Identifier: name }))).ResourceDescription!.Properties!) as Record<string, unknown>;
      assert.equal(props.RetentionInDays, undefined, 'the failed update changed nothing');

      const { ProgressEvent: topic } = await client.send(new CreateResourceCommand({ TypeName: TOPIC, DesiredState: '{}' }));
      const topicFailed = await waitForStatus(client, topic!.RequestToken!);
      assert.equal(topicFailed.OperationStatus, 'FAILED');
      assert.equal(topicFailed.ErrorCode, 'InternalFailure');
      assert.equal(topicFailed.StatusMessage, 'Internal error occurred.');
    } finally {
      await clearFaults(server);
    }
  });

  test('READ and LIST errorCodes surface as the mapped exceptions on GetResource, UpdateResource and ListResources', async () => {
    const name = uniqueName('read-fault');
    await createLogGroup(name);
    const cases: { code: string; exception: string; status: number }[] = [
      { code: 'Throttling', exception: 'ThrottlingException', status: 400 },
      { code: 'AccessDenied', exception: 'AccessDeniedException', status: 400 },
      { code: 'GeneralServiceException', exception: 'GeneralServiceException', status: 400 },
      { code: 'InternalFailure', exception: 'HandlerInternalFailureException', status: 500 },
      { code: 'ServiceInternalError', exception: 'ServiceInternalErrorException', status: 500 },
      { code: 'NotFound', exception: 'ResourceNotFoundException', status: 400 },
    ];
    try {
      for (const { code, exception, status } of cases) {
        await putFaultsOk(server, { rules: [{ typeName: LOG_GROUP, operation: 'READ', errorCode: code, count: 1 }] });
        await expectError(client.send(new GetResourceCommand({ TypeName: LOG_GROUP, Identifier: name })), {
          name: exception,
          status,
          message: handlerFailedMessage(LOG_GROUP, code),
        });
        // count: 1 is spent; the next read works.
        const ok = await client.send(new GetResourceCommand({ TypeName: LOG_GROUP, Identifier: name }));
        assert.equal(ok.ResourceDescription!.Identifier, name);
      }

      await putFaultsOk(server, { rules: [{ typeName: LOG_GROUP, operation: 'READ', errorCode: 'Throttling', statusMessage: 'slow down' }] });
      const error = await expectError(
        client.send(new UpdateResourceCommand({ TypeName: LOG_GROUP, Identifier: name, PatchDocument: '[{"op":"add","path":"/RetentionInDays","value":1}]' })),
        { name: 'ThrottlingException', status: 400, message: handlerFailedMessage(LOG_GROUP, 'Throttling') },
      );
      assert.match(error.message, /: slow down \(HandlerErrorCode/);
      const updates = await client.send(new ListResourceRequestsCommand({ MaxResults: 100, ResourceRequestStatusFilter: { Operations: ['UPDATE'] } }));
      assert.ok(!updates.ResourceRequestStatusSummaries!.some((s) => s.Identifier === name), 'the failed pre-read submitted no update');

      await putFaultsOk(server, { rules: [{ typeName: LOG_GROUP, operation: 'LIST', errorCode: 'ServiceLimitExceeded' }] });
      await expectError(client.send(new ListResourcesCommand({ TypeName: LOG_GROUP })), {
        name: 'ServiceLimitExceededException',
        status: 400,
        message: handlerFailedMessage(LOG_GROUP, 'ServiceLimitExceeded'),
      });
      const queues = await client.send(new ListResourcesCommand({ TypeName: QUEUE }));
      assert.ok(Array.isArray(queues.ResourceDescriptions), 'other types are unaffected');
    } finally {
      await clearFaults(server);
    }
  });

  test('apiError answers the API call with that exception before any effect', async () => {
    const name = uniqueName('api-error');
    await putFaultsOk(server, {
      rules: [
        { operation: 'GetResource', apiError: 'ThrottlingException', count: 1 },
        { typeName: LOG_GROUP, operation: 'CreateResource', apiError: 'InvalidRequestException', statusMessage: 'no creates today' },
      ],
    });
    try {
      await expectError(client.send(new GetResourceCommand({ TypeName: QUEUE, Identifier: 'https://example.invalid/q' })), {
        name: 'ThrottlingException',
        status: 400,
        message: 'Rate exceeded',
      });
      // Spent: the next GetResource reaches the handler and answers NotFound.
      await expectError(client.send(new GetResourceCommand({ TypeName: QUEUE, Identifier: 'https://example.invalid/q' })), { name: 'ResourceNotFoundException' });

      await expectError(client.send(new CreateResourceCommand({ TypeName: LOG_GROUP, DesiredState: JSON.stringify({ LogGroupName: name }) })), {
        name: 'InvalidRequestException',
        status: 400,
        message: 'no creates today',
      });
      const requests = await client.send(new ListResourceRequestsCommand({ MaxResults: 100 }));
      assert.ok(!requests.ResourceRequestStatusSummaries!.some((s) => s.Identifier === name), 'no request was recorded');
      await expectError(client.send(new GetResourceCommand({ TypeName: LOG_GROUP, Identifier: name })), { name: 'ResourceNotFoundException' });

      // The type filter: other types still create.
      const { ProgressEvent: topic } = await client.send(new CreateResourceCommand({ TypeName: TOPIC, DesiredState: '{}' }));
      assert.equal((await waitForStatus(client, topic!.RequestToken!)).OperationStatus, 'SUCCESS');
    } finally {
      await clearFaults(server);
    }
  });

  test('invalid rules are rejected with HTTP 400 naming the bad field, and the rules in force stay', async () => {
    const inForce = { seed: 3, rules: [{ typeName: TOPIC, operation: 'DELETE', delayMs: 10 }] };
    await putFaultsOk(server, inForce);
    try {
      const cases: [unknown, RegExp][] = [
        [{ rules: [{ operation: 'CREATE', errorCode: 'Bogus' }] }, /rules\[0\]\.errorCode/],
        [{ rules: [{ delayMs: 10 }, { delayMs: -1 }] }, /rules\[1\]\.delayMs/],
        [{ rules: [{ delayMs: 10, probability: 2 }] }, /rules\[0\]\.probability/],
        [{ rules: [{ delayMs: 10, count: 0 }] }, /rules\[0\]\.count/],
        [{ rules: [{ delayMs: 10, operation: 'FROB' }] }, /rules\[0\]\.operation/],
        [{ rules: [{ operation: 'READ', apiError: 'ThrottlingException' }] }, /rules\[0\]\.apiError/],
        [{ rules: [{ operation: 'GetResource', apiError: 'NoSuchException' }] }, /rules\[0\]\.apiError/],
        [{ rules: [{ delayMs: 10, colour: 'red' }] }, /rules\[0\]\.colour/],
        [{ rules: [{ typeName: LOG_GROUP }] }, /rules\[0\]/],
        [{ seed: 1.5, rules: [] }, /seed/],
        [{ rules: {} }, /rules/],
      ];
      for (const [config, field] of cases) {
        const { status, body } = await putFaults(server, config);
        assert.equal(status, 400, `PUT ${JSON.stringify(config)} answered ${status}`);
        assert.equal(typeof body.message, 'string');
        assert.match(body.message as string, field, `message for ${JSON.stringify(config)}`);
      }
      const notJson = await fetch(`${server.url}/_ccapi/faults`, { method: 'PUT', body: '{"rules": [' });
      assert.equal(notJson.status, 400);
      await notJson.arrayBuffer();

      const stillInForce = await getFaults(server);
      assert.equal(stillInForce.seed, 3);
      assert.deepEqual(stillInForce.rules, inForce.rules, 'rejected configurations do not replace the rules in force');
    } finally {
      await clearFaults(server);
    }
  });

  test('GET returns the rules with their remaining counts; DELETE clears them', async () => {
    const config = {
      seed: 42,
      rules: [
        { typeName: LOG_GROUP, operation: 'CREATE', errorCode: 'Throttling', count: 3 },
        { typeName: TOPIC, operation: 'CREATE', delayMs: 100, probability: 0.25 },
      ],
    };
    const put = await putFaults(server, config);
    assert.equal(put.status, 200);
    assert.deepEqual(put.body.rules, config.rules);
    const loaded = await getFaults(server);
    assert.equal(loaded.seed, 42);
    assert.deepEqual(loaded.rules, config.rules);
    assert.deepEqual(loaded.remaining, [3, null]);

    const { ProgressEvent: e } = await client.send(new CreateResourceCommand({ TypeName: LOG_GROUP, DesiredState: JSON.stringify({ LogGroupName: uniqueName('counted') }) }));
    assert.equal((await waitForStatus(client, e!.RequestToken!)).ErrorCode, 'Throttling');
    assert.deepEqual((await getFaults(server)).remaining, [2, null]);

    const res = await fetch(`${server.url}/_ccapi/faults`, { method: 'DELETE' });
    assert.equal(res.status, 200);
    assert.deepEqual(((await res.json()) as { rules: unknown[] }).rules, []);
    const cleared = await getFaults(server);
    assert.deepEqual(cleared.rules, []);
    assert.deepEqual(cleared.remaining, []);
    await createLogGroup(uniqueName('after-clear'));
  });
});

describe('request timeline (GET /_ccapi/requests/<token>/events)', () => {
  test('lists every status in order: IN_PROGRESS, CANCEL_IN_PROGRESS, CANCEL_COMPLETE', async () => {
    await putFaultsOk(server, { rules: [{ typeName: TOPIC, operation: 'CREATE', delayMs: 5000 }] });
    try {
      const { ProgressEvent: accepted } = await client.send(new CreateResourceCommand({ TypeName: TOPIC, DesiredState: '{}' }));
      await client.send(new CancelResourceRequestCommand({ RequestToken: accepted!.RequestToken! }));
      await waitForCancelBeforeDue(client, accepted!);
      const { status, body } = await timeline(server, accepted!.RequestToken!);
      assert.equal(status, 200);
      assert.deepEqual(body.Events!.map((e) => e.OperationStatus), ['IN_PROGRESS', 'CANCEL_IN_PROGRESS', 'CANCEL_COMPLETE']);
      const times = body.Events!.map((e) => Date.parse(e.EventTime));
      assert.ok(times.every((t, i) => !Number.isNaN(t) && (i === 0 || t >= times[i - 1]!)), `EventTimes in order: ${body.Events!.map((e) => e.EventTime).join(', ')}`);
      for (const entry of body.Events!) assert.equal(typeof entry.Detail, 'string');
    } finally {
      await clearFaults(server);
    }
  });

  test('an unknown token is 404', async () => {
    const { status, body } = await timeline(server, '00000000-0000-4000-8000-000000000000');
    assert.equal(status, 404);
    assert.equal(typeof body.error, 'string');
  });
});
