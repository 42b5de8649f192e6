/**
 * End-to-end: the AWS SDK for JavaScript v3 (@aws-sdk/client-cloudcontrol) against a real ccapi server
 * process. Every operation, its errors, the waiter and both paginators, as an SDK user would drive them.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CancelResourceRequestCommand,
  CreateResourceCommand,
  DeleteResourceCommand,
  GetResourceCommand,
  GetResourceRequestStatusCommand,
  ListResourceRequestsCommand,
  ListResourcesCommand,
  UpdateResourceCommand,
  paginateListResourceRequests,
  paginateListResources,
  waitUntilResourceRequestSuccess,
  type CloudControlClient,
  type ProgressEvent,
} from '@aws-sdk/client-cloudcontrol';
import { startServer, type ServerProcess } from '../support/server.js';
import {
  DEFAULT_ACCOUNT,
  LOG_GROUP_DEFAULTS,
  UUID,
  clearFaults,
  countStatusPolls,
  expectError,
  handlerFailedMessage,
  makeClient,
  putFaultsOk,
  uniqueName,
  waitForCancelBeforeDue,
  waitForStatus,
} from './support.js';

const LOG_GROUP = 'AWS::Logs::LogGroup';
const LOG_STREAM = 'AWS::Logs::LogStream'; // primaryIdentifier [/properties/LogGroupName, /properties/LogStreamName]
const QUEUE = 'AWS::SQS::Queue';
const TOPIC = 'AWS::SNS::Topic';

let server: ServerProcess;
let client: CloudControlClient;

before(async () => {
  server = await startServer();
  client = makeClient(server);
});

after(async () => {
  client?.destroy();
  await server?.stop();
});

/** Creates a log group and waits for SUCCESS; returns the SUCCESS event. */
async function createLogGroup(name: string, extra: Record<string, unknown> = {}, c: CloudControlClient = client): Promise<ProgressEvent> {
  const { ProgressEvent: created } = await c.send(new CreateResourceCommand({ TypeName: LOG_GROUP, DesiredState: JSON.stringify({ LogGroupName: name, ...extra }) }));
  const done = await waitForStatus(c, created!.RequestToken!);
  assert.equal(done.OperationStatus, 'SUCCESS', `create ${name}: ${JSON.stringify(done)}`);
  return done;
}

async function readProperties(typeName: string, identifier: string, c: CloudControlClient = client): Promise<Record<string, unknown>> {
  const out = await c.send(new GetResourceCommand({ TypeName: typeName, Identifier: identifier }));
  assert.equal(typeof out.ResourceDescription?.Properties, 'string');
  return JSON.parse(out.ResourceDescription!.Properties!) as Record<string, unknown>;
}

/** The JSON the SDK waiter puts in its error message: {state, reason: GetResourceRequestStatus output}. */
function waiterFailure(error: unknown): { state: string; reason: { ProgressEvent: ProgressEvent } } {
  assert.ok(error instanceof Error);
  return JSON.parse(error.message) as { state: string; reason: { ProgressEvent: ProgressEvent } };
}

describe('CreateResource and the ResourceRequestSuccess waiter', () => {
  test('a LogGroup with a name: IN_PROGRESS with Identifier, no ResourceModel; the waiter succeeds on its first poll', async () => {
    const name = uniqueName('create-lg');
    const sentAt = Date.now();
    const output = await client.send(
      new CreateResourceCommand({ TypeName: LOG_GROUP, DesiredState: JSON.stringify({ LogGroupName: name, RetentionInDays: 7 }) }),
    );
    assert.equal(output.$metadata.httpStatusCode, 200);
    assert.match(output.$metadata.requestId ?? '', UUID, 'the SDK reads x-amzn-RequestId');
    const event = output.ProgressEvent;
    assert.ok(event);
    assert.equal(event.OperationStatus, 'IN_PROGRESS');
    assert.equal(event.Operation, 'CREATE');
    assert.equal(event.TypeName, LOG_GROUP);
    assert.equal(event.Identifier, name);
    assert.match(event.RequestToken!, UUID);
    assert.equal(event.ResourceModel, undefined, 'the create response carries no ResourceModel');
    assert.equal(event.ErrorCode, undefined);
    assert.equal(event.RetryAfter, undefined, 'no RetryAfter without a scheduled later step');
    assert.ok(event.EventTime instanceof Date && !Number.isNaN(event.EventTime.getTime()));
    assert.ok(Math.abs(event.EventTime.getTime() - sentAt) < 5_000, `EventTime ${event.EventTime.toISOString()} is near now`);

    const polls = countStatusPolls(client);
    const result = await waitUntilResourceRequestSuccess({ client, maxWaitTime: 30 }, { RequestToken: event.RequestToken! });
    polls.stop();
    assert.equal(polls.count, 1, 'the waiter (minDelay 5 s) succeeds on its first poll: the create is done before it');
    assert.equal(result.state, 'SUCCESS');
    const success = (result.reason as { ProgressEvent: ProgressEvent }).ProgressEvent;
    assert.equal(success.OperationStatus, 'SUCCESS');
    assert.equal(success.Identifier, name);
    assert.equal(success.RequestToken, event.RequestToken);
    assert.ok(success.EventTime! >= event.EventTime, 'EventTime moves forward with the status');
    const status = await client.send(new GetResourceRequestStatusCommand({ RequestToken: event.RequestToken! }));
    assert.equal(status.HooksProgressEvent, undefined, 'no hooks configured: no HooksProgressEvent');
    assert.equal(status.ProgressEvent!.HooksRequestToken, undefined);
    const model = JSON.parse(success.ResourceModel!) as Record<string, unknown>;
    assert.equal(model.LogGroupName, name);
    assert.equal(model.RetentionInDays, 7);
    assert.equal(model.Arn, `arn:aws:logs:us-east-1:${DEFAULT_ACCOUNT}:log-group:${name}:*`);
  });

  test('an SQS queue from {}: no Identifier at first, a generated QueueUrl identifier and the model on SUCCESS', async () => {
    const { ProgressEvent: event } = await client.send(new CreateResourceCommand({ TypeName: QUEUE, DesiredState: '{}' }));
    assert.equal(event!.OperationStatus, 'IN_PROGRESS');
    assert.equal(event!.Identifier, undefined, 'QueueUrl is generated, so the create response has no Identifier');
    assert.equal(event!.ResourceModel, undefined);

    const result = await waitUntilResourceRequestSuccess({ client, maxWaitTime: 30 }, { RequestToken: event!.RequestToken! });
    const success = (result.reason as { ProgressEvent: ProgressEvent }).ProgressEvent;
    assert.match(success.Identifier!, new RegExp(`^https://sqs\\.us-east-1\\.amazonaws\\.com/${DEFAULT_ACCOUNT}/\\S+$`));
    const model = JSON.parse(success.ResourceModel!) as Record<string, unknown>;
    assert.equal(model.QueueUrl, success.Identifier);
    assert.equal(typeof model.QueueName, 'string');
    assert.equal(model.Arn, `arn:aws:sqs:us-east-1:${DEFAULT_ACCOUNT}:${model.QueueName as string}`);

    const read = await client.send(new GetResourceCommand({ TypeName: QUEUE, Identifier: success.Identifier! }));
    assert.equal(read.ResourceDescription?.Identifier, success.Identifier);
  });

  test('a duplicate create ends FAILED with AlreadyExists, and the waiter reports the failure', async () => {
    const name = uniqueName('dup-lg');
    await createLogGroup(name);
    const { ProgressEvent: second } = await client.send(new CreateResourceCommand({ TypeName: LOG_GROUP, DesiredState: JSON.stringify({ LogGroupName: name }) }));
    assert.equal(second!.OperationStatus, 'IN_PROGRESS', 'a duplicate is accepted; it fails asynchronously');

    const polls = countStatusPolls(client);
    const error = await waitUntilResourceRequestSuccess({ client, maxWaitTime: 30 }, { RequestToken: second!.RequestToken! }).then(
      () => assert.fail('the waiter must fail on FAILED'),
      (e: unknown) => e,
    );
    polls.stop();
    assert.equal(polls.count, 1, 'the failure is seen on the first poll');
    const failure = waiterFailure(error);
    assert.equal(failure.state, 'FAILURE');
    const failed = failure.reason.ProgressEvent;
    assert.equal(failed.OperationStatus, 'FAILED');
    assert.equal(failed.ErrorCode, 'AlreadyExists');
    assert.equal(failed.StatusMessage, `Resource of type '${LOG_GROUP}' with identifier '{"/properties/LogGroupName":"${name}"}' already exists.`);
    assert.equal(failed.Identifier, name, 'Identifier is kept on FAILED');
    assert.equal(failed.RetryAfter, undefined);
  });

  test('readOnly values in DesiredState are ignored and replaced by generated ones', async () => {
    const name = uniqueName('ro-create');
    const done = await createLogGroup(name, { Arn: 'arn:aws:logs:us-east-1:999999999999:log-group:fake' });
    const props = await readProperties(LOG_GROUP, name);
    assert.equal(props.Arn, `arn:aws:logs:us-east-1:${DEFAULT_ACCOUNT}:log-group:${name}:*`);
    assert.equal((JSON.parse(done.ResourceModel!) as Record<string, unknown>).Arn, props.Arn);
  });
});

describe('GetResource', () => {
  test('Properties is a JSON string including the readOnly Arn', async () => {
    const name = uniqueName('get-lg');
    await createLogGroup(name, { RetentionInDays: 14 });
    const out = await client.send(new GetResourceCommand({ TypeName: LOG_GROUP, Identifier: name }));
    assert.equal(out.TypeName, LOG_GROUP);
    assert.equal(out.ResourceDescription?.Identifier, name);
    assert.equal(typeof out.ResourceDescription?.Properties, 'string');
    assert.deepEqual(JSON.parse(out.ResourceDescription!.Properties!), {
      LogGroupName: name,
      RetentionInDays: 14,
      Arn: `arn:aws:logs:us-east-1:${DEFAULT_ACCOUNT}:log-group:${name}:*`,
      ...LOG_GROUP_DEFAULTS,
    });
  });

  test('a missing resource is ResourceNotFoundException (HTTP 400) in the handler-failure message form', async () => {
    const name = uniqueName('missing');
    const error = await expectError(client.send(new GetResourceCommand({ TypeName: LOG_GROUP, Identifier: name })), {
      name: 'ResourceNotFoundException',
      status: 400,
      message: handlerFailedMessage(LOG_GROUP, 'NotFound'),
    });
    assert.ok(error.message.includes(`'{"/properties/LogGroupName":"${name}"}' was not found.`), error.message);
  });
});

describe('UpdateResource', () => {
  test('answers with the patched model without readOnly properties; paths without a leading slash are accepted', async () => {
    const name = uniqueName('upd-lg');
    await createLogGroup(name, { RetentionInDays: 7 });
    const { ProgressEvent: event } = await client.send(
      new UpdateResourceCommand({
        TypeName: LOG_GROUP,
        Identifier: name,
        PatchDocument: JSON.stringify([
          { op: 'replace', path: 'RetentionInDays', value: 30 },
          { op: 'add', path: '/LogGroupClass', value: 'STANDARD' },
        ]),
      }),
    );
    assert.equal(event!.OperationStatus, 'IN_PROGRESS');
    assert.equal(event!.Operation, 'UPDATE');
    assert.equal(event!.Identifier, name);
    assert.match(event!.RequestToken!, UUID);
    assert.deepEqual(JSON.parse(event!.ResourceModel!), { ...LOG_GROUP_DEFAULTS, LogGroupName: name, RetentionInDays: 30, LogGroupClass: 'STANDARD' });

    const result = await waitUntilResourceRequestSuccess({ client, maxWaitTime: 30 }, { RequestToken: event!.RequestToken! });
    const success = (result.reason as { ProgressEvent: ProgressEvent }).ProgressEvent;
    assert.equal(success.OperationStatus, 'SUCCESS');
    assert.equal(success.Identifier, name);
    const finalModel = JSON.parse(success.ResourceModel!) as Record<string, unknown>;
    assert.equal(finalModel.RetentionInDays, 30, 'the UPDATE SUCCESS event carries the final model');

    const props = await readProperties(LOG_GROUP, name);
    assert.equal(props.RetentionInDays, 30);
    assert.equal(props.LogGroupClass, 'STANDARD');
    assert.equal(props.Arn, `arn:aws:logs:us-east-1:${DEFAULT_ACCOUNT}:log-group:${name}:*`, 'readOnly values survive the update');
  });

  test('changing a createOnly property is NotUpdatableException', async () => {
    const name = uniqueName('upd-co');
    await createLogGroup(name);
    await expectError(
      client.send(new UpdateResourceCommand({ TypeName: LOG_GROUP, Identifier: name, PatchDocument: JSON.stringify([{ op: 'replace', path: '/LogGroupName', value: `${name}-x` }]) })),
      { name: 'NotUpdatableException', status: 400, message: 'Invalid patch update: createOnlyProperties [/properties/LogGroupName] cannot be updated' },
    );
  });

  test('setting a readOnly property is ValidationException', async () => {
    const name = uniqueName('upd-ro');
    await createLogGroup(name);
    await expectError(
      client.send(new UpdateResourceCommand({ TypeName: LOG_GROUP, Identifier: name, PatchDocument: JSON.stringify([{ op: 'add', path: '/Arn', value: 'arn:aws:logs:x' }]) })),
      { name: 'ValidationException', status: 400, message: 'Invalid patch update: readOnlyProperties [/properties/Arn] cannot be updated' },
    );
    // GetResource shows Arn, so `replace` and `remove` of it get the same read-only answer (issue #14), not a missing path.
    for (const op of [{ op: 'replace', path: '/Arn', value: 'arn:aws:logs:x' }, { op: 'remove', path: '/Arn' }]) {
      await expectError(
        client.send(new UpdateResourceCommand({ TypeName: LOG_GROUP, Identifier: name, PatchDocument: JSON.stringify([op]) })),
        { name: 'ValidationException', status: 400, message: 'Invalid patch update: readOnlyProperties [/properties/Arn] cannot be updated' },
      );
    }
  });

  test('a patch on a path the model does not have is worded as AWS words it', async () => {
    const name = uniqueName('upd-nopath');
    await createLogGroup(name);
    // AWS: "[REPLACE Operation] noSuchPath in source, path provided : //Code" (pulumi/pulumi-aws-native#277).
    await expectError(
      client.send(new UpdateResourceCommand({ TypeName: LOG_GROUP, Identifier: name, PatchDocument: JSON.stringify([{ op: 'replace', path: '/RetentionInDays', value: 7 }]) })),
      { name: 'ValidationException', status: 400, message: '[REPLACE Operation] noSuchPath in source, path provided : //RetentionInDays' },
    );
  });

  test('a failing test op rejects the whole patch and nothing changes', async () => {
    const name = uniqueName('upd-test');
    await createLogGroup(name, { RetentionInDays: 7 });
    await expectError(
      client.send(
        new UpdateResourceCommand({
          TypeName: LOG_GROUP,
          Identifier: name,
          PatchDocument: JSON.stringify([
            { op: 'replace', path: '/RetentionInDays', value: 90 },
            { op: 'test', path: '/RetentionInDays', value: 1 },
          ]),
        }),
      ),
      { name: 'ValidationException', status: 400 },
    );
    assert.equal((await readProperties(LOG_GROUP, name)).RetentionInDays, 7, 'the resource is untouched');
    const { ResourceRequestStatusSummaries: updates } = await client.send(new ListResourceRequestsCommand({ MaxResults: 100, ResourceRequestStatusFilter: { Operations: ['UPDATE'] } }));
    assert.ok(!updates!.some((s) => s.Identifier === name), 'no UPDATE request was created');

    // A passing test op lets the patch through.
    const { ProgressEvent: ok } = await client.send(
      new UpdateResourceCommand({
        TypeName: LOG_GROUP,
        Identifier: name,
        PatchDocument: JSON.stringify([
          { op: 'test', path: '/RetentionInDays', value: 7 },
          { op: 'replace', path: '/RetentionInDays', value: 90 },
        ]),
      }),
    );
    assert.equal((await waitForStatus(client, ok!.RequestToken!)).OperationStatus, 'SUCCESS');
    assert.equal((await readProperties(LOG_GROUP, name)).RetentionInDays, 90);
  });

  test('an invalid patch document is ValidationException', async () => {
    const name = uniqueName('upd-bad');
    await createLogGroup(name);
    for (const PatchDocument of ['[{"op":', '{"op":"replace","path":"/RetentionInDays","value":1}', '[{"op":"remove","path":"/KmsKeyId"}]', '[{"op":"frobnicate","path":"/RetentionInDays"}]']) {
      await expectError(client.send(new UpdateResourceCommand({ TypeName: LOG_GROUP, Identifier: name, PatchDocument })), { name: 'ValidationException', status: 400 });
    }
    // A patch producing a model that fails the schema is also rejected.
    await expectError(
      client.send(new UpdateResourceCommand({ TypeName: LOG_GROUP, Identifier: name, PatchDocument: JSON.stringify([{ op: 'add', path: '/RetentionInDays', value: 'long' }]) })),
      { name: 'ValidationException', status: 400, message: /^Model validation failed \(.*#\/RetentionInDays: expected type: Integer, found: String/s },
    );
  });

  test('updating a missing resource is a synchronous ResourceNotFoundException', async () => {
    await expectError(
      client.send(new UpdateResourceCommand({ TypeName: LOG_GROUP, Identifier: uniqueName('upd-missing'), PatchDocument: '[{"op":"add","path":"/RetentionInDays","value":1}]' })),
      { name: 'ResourceNotFoundException', status: 400, message: handlerFailedMessage(LOG_GROUP, 'NotFound') },
    );
  });

  test('an empty patch [] is accepted and succeeds without changing the model', async () => {
    const name = uniqueName('upd-empty');
    await createLogGroup(name, { RetentionInDays: 5 });
    const beforeProps = await readProperties(LOG_GROUP, name);
    const { ProgressEvent: event } = await client.send(new UpdateResourceCommand({ TypeName: LOG_GROUP, Identifier: name, PatchDocument: '[]' }));
    assert.equal(event!.OperationStatus, 'IN_PROGRESS');
    assert.deepEqual(JSON.parse(event!.ResourceModel!), { LogGroupName: name, RetentionInDays: 5, ...LOG_GROUP_DEFAULTS });
    assert.equal((await waitForStatus(client, event!.RequestToken!)).OperationStatus, 'SUCCESS');
    assert.deepEqual(await readProperties(LOG_GROUP, name), beforeProps);
  });
});

describe('DeleteResource', () => {
  test('SUCCESS without a ResourceModel; the resource is gone and its name can be reused', async () => {
    const name = uniqueName('del-lg');
    await createLogGroup(name);
    const { ProgressEvent: event } = await client.send(new DeleteResourceCommand({ TypeName: LOG_GROUP, Identifier: name }));
    assert.equal(event!.OperationStatus, 'IN_PROGRESS');
    assert.equal(event!.Operation, 'DELETE');
    assert.equal(event!.Identifier, name);
    assert.equal(event!.ResourceModel, undefined);
    const result = await waitUntilResourceRequestSuccess({ client, maxWaitTime: 30 }, { RequestToken: event!.RequestToken! });
    const success = (result.reason as { ProgressEvent: ProgressEvent }).ProgressEvent;
    assert.equal(success.OperationStatus, 'SUCCESS');
    assert.equal(success.Operation, 'DELETE');
    assert.equal(success.ResourceModel, undefined, 'DELETE events never carry a model');
    await expectError(client.send(new GetResourceCommand({ TypeName: LOG_GROUP, Identifier: name })), { name: 'ResourceNotFoundException', status: 400 });
    await createLogGroup(name); // contract_delete_create: no AlreadyExists after a delete
  });

  test('deleting a missing resource is accepted (200, IN_PROGRESS) and then FAILED with NotFound', async () => {
    const name = uniqueName('del-missing');
    const { ProgressEvent: event } = await client.send(new DeleteResourceCommand({ TypeName: LOG_GROUP, Identifier: name }));
    assert.equal(event!.OperationStatus, 'IN_PROGRESS');
    const failed = await waitForStatus(client, event!.RequestToken!);
    assert.equal(failed.OperationStatus, 'FAILED');
    assert.equal(failed.ErrorCode, 'NotFound');
    assert.equal(failed.Operation, 'DELETE');
    assert.equal(failed.Identifier, name);
    assert.match(failed.StatusMessage ?? '', /was not found/);
  });
});

describe('ListResources', () => {
  test('paginateListResources walks several pages with a small MaxResults, with no empty last page', async () => {
    // A region of its own, so the pages hold exactly the resources made here.
    const c = makeClient(server, { region: 'ca-central-1' });
    try {
      const prefix = uniqueName('list');
      const names = Array.from({ length: 6 }, (_, i) => `${prefix}-${i}`);
      for (const name of names) await createLogGroup(name, {}, c);
      const pages: string[][] = [];
      for await (const page of paginateListResources({ client: c, pageSize: 2 }, { TypeName: LOG_GROUP })) {
        assert.equal(page.TypeName, LOG_GROUP);
        for (const d of page.ResourceDescriptions!) {
          assert.equal(typeof d.Properties, 'string');
          assert.equal((JSON.parse(d.Properties!) as { LogGroupName: string }).LogGroupName, d.Identifier);
        }
        pages.push(page.ResourceDescriptions!.map((d) => d.Identifier!));
      }
      assert.deepEqual(pages.map((p) => p.length), [2, 2, 2], 'three full pages of MaxResults 2, and no empty page with a NextToken');
      const all = pages.flat();
      assert.equal(new Set(all).size, all.length, 'no identifier appears twice across pages');
      assert.deepEqual([...all].sort(), [...names].sort());

      const filtered = await c.send(new ListResourcesCommand({ TypeName: LOG_GROUP, ResourceModel: JSON.stringify({ LogGroupName: names[3] }) }));
      assert.deepEqual(filtered.ResourceDescriptions!.map((d) => d.Identifier), [names[3]], 'ResourceModel filters the list');
    } finally {
      c.destroy();
    }
  });

  test('an unused type lists as an empty array without NextToken', async () => {
    const out = await client.send(new ListResourcesCommand({ TypeName: 'AWS::Kinesis::Stream' }));
    assert.deepEqual(out.ResourceDescriptions, []);
    assert.equal(out.NextToken, undefined);
  });
});

describe('ListResourceRequests', () => {
  // A region of its own, so this test sees exactly the requests it made.
  const region = 'ap-southeast-2';

  test('newest first, default page of 20, stable pagination, both filters', async () => {
    const c = makeClient(server, { region });
    try {
      const tokens: string[] = []; // in creation order
      for (let i = 0; i < 23; i++) {
        const { ProgressEvent: e } = await c.send(new CreateResourceCommand({ TypeName: LOG_GROUP, DesiredState: JSON.stringify({ LogGroupName: `lrr-${i}` }) }));
        tokens.push(e!.RequestToken!);
      }
      const { ProgressEvent: dup } = await c.send(new CreateResourceCommand({ TypeName: LOG_GROUP, DesiredState: JSON.stringify({ LogGroupName: 'lrr-0' }) }));
      tokens.push(dup!.RequestToken!);
      const { ProgressEvent: del } = await c.send(new DeleteResourceCommand({ TypeName: LOG_GROUP, Identifier: 'lrr-1' }));
      tokens.push(del!.RequestToken!);
      for (const t of tokens) await waitForStatus(c, t);

      const first = await c.send(new ListResourceRequestsCommand({}));
      assert.equal(first.ResourceRequestStatusSummaries!.length, 20, 'MaxResults defaults to 20');
      assert.ok(first.NextToken, 'more than 20 requests: NextToken present');
      assert.match(first.NextToken, /^[-A-Za-z0-9+/=]{1,2048}$/, 'NextToken fits the modeled pattern');
      assert.deepEqual(first.ResourceRequestStatusSummaries!.map((s) => s.RequestToken), [...tokens].reverse().slice(0, 20), 'newest first');
      for (const s of first.ResourceRequestStatusSummaries!) {
        assert.equal(s.ResourceModel, undefined, 'summaries carry no ResourceModel');
        assert.ok(s.EventTime instanceof Date);
      }

      // Walk with pages of 7 while new requests keep arriving: no repeats, no skips.
      const seen: string[] = [];
      const extra: string[] = [];
      let pages = 0;
      for await (const page of paginateListResourceRequests({ client: c, pageSize: 7 }, {})) {
        pages += 1;
        assert.ok(page.ResourceRequestStatusSummaries!.length <= 7);
        seen.push(...page.ResourceRequestStatusSummaries!.map((s) => s.RequestToken!));
        if (pages === 1) {
          const { ProgressEvent: late } = await c.send(new CreateResourceCommand({ TypeName: LOG_GROUP, DesiredState: JSON.stringify({ LogGroupName: 'lrr-late' }) }));
          extra.push(late!.RequestToken!);
        }
      }
      assert.ok(pages >= 4, `25 requests in pages of 7 is 4 pages; got ${pages}`);
      assert.equal(new Set(seen).size, seen.length, 'no request appears twice across pages');
      assert.deepEqual(seen, [...tokens].reverse(), 'the walk is exactly the snapshot, newest first; the late request does not shift pages');
      await waitForStatus(c, extra[0]!);

      // A filtered walk: the 24 successful creates, in pages of 6 that divide them exactly.
      const filteredPages: string[][] = [];
      for await (const page of paginateListResourceRequests(
        { client: c, pageSize: 6 },
        { ResourceRequestStatusFilter: { Operations: ['CREATE'], OperationStatuses: ['SUCCESS'] } },
      )) {
        for (const s of page.ResourceRequestStatusSummaries!) assert.ok(s.Operation === 'CREATE' && s.OperationStatus === 'SUCCESS');
        filteredPages.push(page.ResourceRequestStatusSummaries!.map((s) => s.RequestToken!));
      }
      assert.deepEqual(filteredPages.map((p) => p.length), [6, 6, 6, 6], 'no empty last page with a NextToken');
      assert.deepEqual(filteredPages.flat(), [extra[0]!, ...tokens.slice(0, 23).reverse()], 'newest first, no duplicates');

      const failed = await c.send(new ListResourceRequestsCommand({ ResourceRequestStatusFilter: { OperationStatuses: ['FAILED'] } }));
      assert.deepEqual(failed.ResourceRequestStatusSummaries!.map((s) => s.RequestToken), [dup!.RequestToken]);
      assert.equal(failed.ResourceRequestStatusSummaries![0]!.ErrorCode, 'AlreadyExists');

      const deletes = await c.send(new ListResourceRequestsCommand({ ResourceRequestStatusFilter: { Operations: ['DELETE'] } }));
      assert.deepEqual(deletes.ResourceRequestStatusSummaries!.map((s) => s.RequestToken), [del!.RequestToken]);

      const both = await c.send(new ListResourceRequestsCommand({ ResourceRequestStatusFilter: { Operations: ['DELETE', 'UPDATE'], OperationStatuses: ['FAILED'] } }));
      assert.deepEqual(both.ResourceRequestStatusSummaries, [], 'AND across the two lists: no failed delete or update');

      const orWithin = await c.send(new ListResourceRequestsCommand({ MaxResults: 100, ResourceRequestStatusFilter: { OperationStatuses: ['FAILED', 'SUCCESS'] } }));
      assert.equal(orWithin.ResourceRequestStatusSummaries!.length, 26, 'OR within a list');
      assert.equal(orWithin.NextToken, undefined);

      const newest = await c.send(new ListResourceRequestsCommand({ MaxResults: 1 }));
      assert.equal(newest.ResourceRequestStatusSummaries!.length, 1);
      assert.equal(newest.ResourceRequestStatusSummaries![0]!.RequestToken, extra[0], 'the newest request comes first');
    } finally {
      c.destroy();
    }
  });

  test('MaxResults outside 1..100 and a malformed NextToken are ValidationException', async () => {
    await expectError(client.send(new ListResourceRequestsCommand({ MaxResults: 0 })), { name: 'ValidationException', status: 400, message: /maxResults/i });
    await expectError(client.send(new ListResourceRequestsCommand({ MaxResults: 101 })), { name: 'ValidationException', status: 400, message: /maxResults/i });
    await expectError(client.send(new ListResourcesCommand({ TypeName: LOG_GROUP, MaxResults: 101 })), { name: 'ValidationException', status: 400 });
    await expectError(client.send(new ListResourceRequestsCommand({ NextToken: 'not_base64!' })), { name: 'ValidationException', status: 400 });
    const ok = await client.send(new ListResourceRequestsCommand({ MaxResults: 100 }));
    assert.ok(Array.isArray(ok.ResourceRequestStatusSummaries));
  });
});

describe('CancelResourceRequest', () => {
  test('a delayed create shows RetryAfter, cancels to CANCEL_COMPLETE, and cancelling again is idempotent', async () => {
    await putFaultsOk(server, { rules: [{ typeName: TOPIC, operation: 'CREATE', delayMs: 5000 }] });
    try {
      const name = uniqueName('cancel-topic');
      const sent = Date.now();
      const { ProgressEvent: created } = await client.send(new CreateResourceCommand({ TypeName: TOPIC, DesiredState: JSON.stringify({ TopicName: name }) }));
      assert.equal(created!.OperationStatus, 'IN_PROGRESS');
      assert.ok(created!.RetryAfter instanceof Date, 'RetryAfter is a Date');
      assert.ok(created!.RetryAfter.getTime() > Date.now(), 'RetryAfter is in the future');
      assert.ok(created!.RetryAfter.getTime() >= sent + 4_000, `RetryAfter ${created!.RetryAfter.toISOString()} is about 5 s after the request`);
      assert.ok(created!.RetryAfter.getTime() - created!.EventTime!.getTime() >= 4_900);

      const status = await client.send(new GetResourceRequestStatusCommand({ RequestToken: created!.RequestToken! }));
      assert.equal(status.ProgressEvent!.OperationStatus, 'IN_PROGRESS');
      assert.equal(status.ProgressEvent!.RetryAfter?.getTime(), created!.RetryAfter.getTime());

      const { ProgressEvent: cancelling } = await client.send(new CancelResourceRequestCommand({ RequestToken: created!.RequestToken! }));
      assert.equal(cancelling!.OperationStatus, 'CANCEL_IN_PROGRESS');
      assert.equal(cancelling!.RequestToken, created!.RequestToken);
      assert.equal(cancelling!.RetryAfter, undefined, 'RetryAfter only while IN_PROGRESS');
      assert.ok(cancelling!.EventTime! >= created!.EventTime!, 'EventTime is the time of the latest status change');

      const complete = await waitForCancelBeforeDue(client, created!);
      assert.equal(complete.RetryAfter, undefined);
      assert.ok(complete.EventTime! >= cancelling!.EventTime!);

      const again = await client.send(new CancelResourceRequestCommand({ RequestToken: created!.RequestToken! }));
      assert.equal(again.ProgressEvent!.OperationStatus, 'CANCEL_COMPLETE', 'cancelling again returns the current event');
      assert.equal(again.ProgressEvent!.EventTime!.getTime(), complete.EventTime!.getTime());

      const error = await waitUntilResourceRequestSuccess({ client, maxWaitTime: 30 }, { RequestToken: created!.RequestToken! }).then(
        () => assert.fail('the waiter treats CANCEL_COMPLETE as a failure'),
        (e: unknown) => e,
      );
      assert.equal(waiterFailure(error).reason.ProgressEvent.OperationStatus, 'CANCEL_COMPLETE');

      const topics = await client.send(new ListResourcesCommand({ TypeName: TOPIC }));
      assert.ok(!topics.ResourceDescriptions!.some((d) => d.Identifier!.endsWith(`:${name}`)), 'the cancelled create never ran');
    } finally {
      await clearFaults(server);
    }
  });

  test('cancelling a SUCCESS or FAILED request is ValidationException; an unknown token is RequestTokenNotFoundException', async () => {
    const name = uniqueName('cancel-done');
    const done = await createLogGroup(name);
    await expectError(client.send(new CancelResourceRequestCommand({ RequestToken: done.RequestToken! })), {
      name: 'ValidationException',
      status: 400,
      message: `Request ${done.RequestToken} is already in status SUCCESS`,
    });
    const { ProgressEvent: dup } = await client.send(new CreateResourceCommand({ TypeName: LOG_GROUP, DesiredState: JSON.stringify({ LogGroupName: name }) }));
    assert.equal((await waitForStatus(client, dup!.RequestToken!)).OperationStatus, 'FAILED');
    await expectError(client.send(new CancelResourceRequestCommand({ RequestToken: dup!.RequestToken! })), {
      name: 'ValidationException',
      status: 400,
      message: `Request ${dup!.RequestToken} is already in status FAILED`,
    });
    await expectError(client.send(new CancelResourceRequestCommand({ RequestToken: '00000000-0000-4000-8000-000000000000' })), { name: 'RequestTokenNotFoundException', status: 400 });
  });
});

describe('ClientToken', () => {
  test('the same token with the same input replays the original request and its current status', async () => {
    const name = uniqueName('replay');
    const ClientToken = `replay-${process.pid}-a`;
    const input = { TypeName: LOG_GROUP, DesiredState: JSON.stringify({ LogGroupName: name }), ClientToken };
    const { ProgressEvent: first } = await client.send(new CreateResourceCommand(input));
    const success = await waitForStatus(client, first!.RequestToken!);
    assert.equal(success.OperationStatus, 'SUCCESS');

    const { ProgressEvent: replay } = await client.send(new CreateResourceCommand(input));
    assert.equal(replay!.RequestToken, first!.RequestToken, 'same RequestToken');
    assert.equal(replay!.OperationStatus, 'SUCCESS', 'the current status, not a new operation');
    assert.equal(replay!.EventTime!.getTime(), success.EventTime!.getTime());

    const all = await client.send(new ListResourceRequestsCommand({ MaxResults: 100 }));
    assert.equal(all.ResourceRequestStatusSummaries!.filter((s) => s.Identifier === name).length, 1, 'no second request was made');

    // Replays work for update and delete too.
    const upd = { TypeName: LOG_GROUP, Identifier: name, PatchDocument: '[{"op":"add","path":"/RetentionInDays","value":3}]', ClientToken: `replay-${process.pid}-u` };
    const { ProgressEvent: u1 } = await client.send(new UpdateResourceCommand(upd));
    await waitForStatus(client, u1!.RequestToken!);
    const { ProgressEvent: u2 } = await client.send(new UpdateResourceCommand(upd));
    assert.equal(u2!.RequestToken, u1!.RequestToken);
  });

  test('the same token with a different input is ClientTokenConflictException', async () => {
    const ClientToken = `conflict-${process.pid}`;
    const name = uniqueName('conflict');
    const { ProgressEvent: first } = await client.send(new CreateResourceCommand({ TypeName: LOG_GROUP, DesiredState: JSON.stringify({ LogGroupName: name }), ClientToken }));
    await waitForStatus(client, first!.RequestToken!);
    await expectError(client.send(new CreateResourceCommand({ TypeName: LOG_GROUP, DesiredState: JSON.stringify({ LogGroupName: `${name}-other` }), ClientToken })), {
      name: 'ClientTokenConflictException',
      status: 400,
    });
    await expectError(client.send(new DeleteResourceCommand({ TypeName: LOG_GROUP, Identifier: name, ClientToken })), { name: 'ClientTokenConflictException', status: 400 });
    await expectError(client.send(new GetResourceCommand({ TypeName: LOG_GROUP, Identifier: `${name}-other` })), { name: 'ResourceNotFoundException' });
  });

  test('a ClientToken outside the modeled pattern is ValidationException', async () => {
    await expectError(
      client.send(new CreateResourceCommand({ TypeName: LOG_GROUP, DesiredState: JSON.stringify({ LogGroupName: uniqueName('badtoken') }), ClientToken: 'has_underscore' })),
      { name: 'ValidationException', status: 400, message: /clientToken/i },
    );
  });
});

describe('ConcurrentOperationException', () => {
  test('while a delayed update is in flight, other mutations of the resource are rejected with its RequestToken', async () => {
    const name = uniqueName('conc-upd');
    await createLogGroup(name);
    await putFaultsOk(server, { rules: [{ typeName: LOG_GROUP, operation: 'UPDATE', delayMs: 5000 }] });
    try {
      const { ProgressEvent: inFlight } = await client.send(
        new UpdateResourceCommand({ TypeName: LOG_GROUP, Identifier: name, PatchDocument: '[{"op":"add","path":"/RetentionInDays","value":1}]' }),
      );
      assert.equal(inFlight!.OperationStatus, 'IN_PROGRESS');
      const token = inFlight!.RequestToken!;
      // The wording observed on AWS; clients (alchemy) parse the token out of it.
      const concurrent = { name: 'ConcurrentOperationException', status: 400, message: `Concurrent operation found for resource ${name} with RequestToken ${token}` };
      await expectError(
        client.send(new UpdateResourceCommand({ TypeName: LOG_GROUP, Identifier: name, PatchDocument: '[{"op":"add","path":"/RetentionInDays","value":3}]' })),
        concurrent,
      );
      await expectError(client.send(new DeleteResourceCommand({ TypeName: LOG_GROUP, Identifier: name })), concurrent);
      await expectError(client.send(new UpdateResourceCommand({ TypeName: LOG_GROUP, Identifier: JSON.stringify({ LogGroupName: name }), PatchDocument: '[]' })), concurrent);

      // Cancelling frees the resource.
      await client.send(new CancelResourceRequestCommand({ RequestToken: token }));
      await waitForCancelBeforeDue(client, inFlight!);
      await clearFaults(server);
      const { ProgressEvent: next } = await client.send(new UpdateResourceCommand({ TypeName: LOG_GROUP, Identifier: name, PatchDocument: '[{"op":"add","path":"/RetentionInDays","value":5}]' }));
      assert.equal((await waitForStatus(client, next!.RequestToken!)).OperationStatus, 'SUCCESS');
    } finally {
      await clearFaults(server);
    }
  });

  test('while a delayed create is in flight, a second create of the same identifier is rejected', async () => {
    const name = uniqueName('conc-create');
    await putFaultsOk(server, { rules: [{ typeName: LOG_GROUP, operation: 'CREATE', delayMs: 5000 }] });
    try {
      const input = { TypeName: LOG_GROUP, DesiredState: JSON.stringify({ LogGroupName: name }), ClientToken: `conc-${process.pid}` };
      const { ProgressEvent: inFlight } = await client.send(new CreateResourceCommand(input));
      assert.equal(inFlight!.Identifier, name);
      // An SDK retry (same ClientToken, same input) is a replay, not a concurrent operation.
      const { ProgressEvent: replay } = await client.send(new CreateResourceCommand(input));
      assert.equal(replay!.RequestToken, inFlight!.RequestToken);
      assert.equal(replay!.OperationStatus, 'IN_PROGRESS');
      await expectError(client.send(new CreateResourceCommand({ TypeName: LOG_GROUP, DesiredState: JSON.stringify({ LogGroupName: name, RetentionInDays: 1 }) })), {
        name: 'ConcurrentOperationException',
        status: 400,
        message: new RegExp(`${name}.*RequestToken ${inFlight!.RequestToken}`),
      });
      await client.send(new CancelResourceRequestCommand({ RequestToken: inFlight!.RequestToken! }));
      await waitForCancelBeforeDue(client, inFlight!);
    } finally {
      await clearFaults(server);
    }
  });
});

describe('type and input validation', () => {
  test('an unknown type is TypeNotFoundException on every resource operation', async () => {
    const TypeName = 'AWS::NoSuch::Thing';
    const expected = { name: 'TypeNotFoundException', status: 400, message: /AWS::NoSuch::Thing/ };
    await expectError(client.send(new CreateResourceCommand({ TypeName, DesiredState: '{}' })), expected);
    await expectError(client.send(new GetResourceCommand({ TypeName, Identifier: 'x' })), expected);
    await expectError(client.send(new UpdateResourceCommand({ TypeName, Identifier: 'x', PatchDocument: '[]' })), expected);
    await expectError(client.send(new DeleteResourceCommand({ TypeName, Identifier: 'x' })), expected);
    await expectError(client.send(new ListResourcesCommand({ TypeName })), expected);
  });

  test('model validation failures are ValidationException with the AWS message form', async () => {
    await expectError(
      client.send(new CreateResourceCommand({ TypeName: LOG_GROUP, DesiredState: JSON.stringify({ LogGroupName: uniqueName('bogus'), Bogus: 1 }) })),
      { name: 'ValidationException', status: 400, message: 'Model validation failed (#: extraneous key [Bogus] is not permitted)' },
    );
    await expectError(
      client.send(new CreateResourceCommand({ TypeName: LOG_GROUP, DesiredState: JSON.stringify({ LogGroupName: uniqueName('wrongtype'), RetentionInDays: 'seven' }) })),
      { name: 'ValidationException', status: 400, message: /^Model validation failed \(.*#\/RetentionInDays: expected type: Integer, found: String/s },
    );
    await expectError(client.send(new CreateResourceCommand({ TypeName: LOG_GROUP, DesiredState: '{"LogGroupName":' })), { name: 'ValidationException', status: 400 });
    await expectError(client.send(new CreateResourceCommand({ TypeName: LOG_GROUP, DesiredState: '["a"]' })), { name: 'ValidationException', status: 400, message: /^Model validation failed/ });
    const { ResourceRequestStatusSummaries } = await client.send(new ListResourceRequestsCommand({ MaxResults: 100 }));
    assert.ok(!ResourceRequestStatusSummaries!.some((s) => /bogus|wrongtype/.test(s.Identifier ?? '')), 'rejected creates leave no request behind');
  });

  test('shape constraints are checked: TypeName pattern and length', async () => {
    await expectError(client.send(new GetResourceCommand({ TypeName: 'bad', Identifier: 'x' })), { name: 'ValidationException', status: 400, message: /typeName.*failed to satisfy constraint/ });
    await expectError(client.send(new CreateResourceCommand({ TypeName: 'AWS_Logs_LogGroup', DesiredState: '{}' })), { name: 'ValidationException', status: 400, message: /failed to satisfy constraint/ });
  });
});

describe('identifiers', () => {
  test('the primary identifier in JSON form works for get, update and delete', async () => {
    const name = uniqueName('json-id');
    await createLogGroup(name);
    const jsonId = JSON.stringify({ LogGroupName: name });
    const got = await client.send(new GetResourceCommand({ TypeName: LOG_GROUP, Identifier: jsonId }));
    assert.equal(got.ResourceDescription!.Identifier, name, 'output identifiers are always the primary string form');
    const { ProgressEvent: upd } = await client.send(new UpdateResourceCommand({ TypeName: LOG_GROUP, Identifier: jsonId, PatchDocument: '[{"op":"add","path":"/RetentionInDays","value":3}]' }));
    assert.equal((await waitForStatus(client, upd!.RequestToken!)).OperationStatus, 'SUCCESS');
    assert.equal((await readProperties(LOG_GROUP, name)).RetentionInDays, 3);
    const { ProgressEvent: del } = await client.send(new DeleteResourceCommand({ TypeName: LOG_GROUP, Identifier: jsonId }));
    assert.equal((await waitForStatus(client, del!.RequestToken!)).OperationStatus, 'SUCCESS');
    await expectError(client.send(new GetResourceCommand({ TypeName: LOG_GROUP, Identifier: name })), { name: 'ResourceNotFoundException' });
  });

  test('a JSON identifier with the wrong keys is ValidationException naming the identifier sets', async () => {
    await expectError(client.send(new GetResourceCommand({ TypeName: LOG_GROUP, Identifier: JSON.stringify({ LogGroupName: 'x', Extra: 'y' }) })), {
      name: 'ValidationException',
      status: 400,
      message: /you must specify exactly one identifier from \[\[\/properties\/LogGroupName\]\]/,
    });
  });

  test('a compound primary identifier: a|b in schema order, or JSON in any order', async () => {
    const group = uniqueName('cg');
    const stream = uniqueName('cs');
    // The log group exists first, as CloudWatch Logs requires (references are checked: docs/references.md).
    await createLogGroup(group);
    const { ProgressEvent: created } = await client.send(new CreateResourceCommand({ TypeName: LOG_STREAM, DesiredState: JSON.stringify({ LogStreamName: stream, LogGroupName: group }) }));
    assert.equal(created!.Identifier, `${group}|${stream}`, 'compound identifier in primaryIdentifier order');
    assert.equal((await waitForStatus(client, created!.RequestToken!)).OperationStatus, 'SUCCESS');

    const byPipe = await client.send(new GetResourceCommand({ TypeName: LOG_STREAM, Identifier: `${group}|${stream}` }));
    assert.equal(byPipe.ResourceDescription!.Identifier, `${group}|${stream}`);
    assert.deepEqual(JSON.parse(byPipe.ResourceDescription!.Properties!), { LogGroupName: group, LogStreamName: stream });
    const byJson = await client.send(new GetResourceCommand({ TypeName: LOG_STREAM, Identifier: JSON.stringify({ LogStreamName: stream, LogGroupName: group }) }));
    assert.equal(byJson.ResourceDescription!.Identifier, `${group}|${stream}`);

    await expectError(client.send(new GetResourceCommand({ TypeName: LOG_STREAM, Identifier: `${stream}|${group}` })), { name: 'ResourceNotFoundException', status: 400 });
    await expectError(client.send(new GetResourceCommand({ TypeName: LOG_STREAM, Identifier: group })), { name: 'ValidationException', status: 400 });

    const listed = await client.send(new ListResourcesCommand({ TypeName: LOG_STREAM }));
    assert.ok(listed.ResourceDescriptions!.some((d) => d.Identifier === `${group}|${stream}`));

    const { ProgressEvent: del } = await client.send(new DeleteResourceCommand({ TypeName: LOG_STREAM, Identifier: `${group}|${stream}` }));
    assert.equal((await waitForStatus(client, del!.RequestToken!)).OperationStatus, 'SUCCESS');
  });
});

describe('request tokens and timestamps', () => {
  test('an unknown RequestToken is RequestTokenNotFoundException', async () => {
    await expectError(client.send(new GetResourceRequestStatusCommand({ RequestToken: '11111111-2222-4333-8444-555555555555' })), {
      name: 'RequestTokenNotFoundException',
      status: 400,
    });
  });

  test('EventTime and RetryAfter are epoch-second numbers on the wire, parsed by the SDK into Dates', async () => {
    const name = uniqueName('times');
    const done = await createLogGroup(name);
    // The raw body as the SDK receives it.
    const res = await fetch(server.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-amz-json-1.0',
        'x-amz-target': 'CloudApiService.GetResourceRequestStatus',
        authorization: 'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260101/us-east-1/cloudcontrolapi/aws4_request, SignedHeaders=host, Signature=0',
      },
      body: JSON.stringify({ RequestToken: done.RequestToken }),
    });
    const raw = (await res.json()) as { ProgressEvent: { EventTime: unknown } };
    assert.equal(typeof raw.ProgressEvent.EventTime, 'number', 'EventTime is a JSON number');
    assert.equal(raw.ProgressEvent.EventTime, done.EventTime!.getTime() / 1000, 'the SDK Date is the epoch-seconds value');
    assert.ok(Math.abs((raw.ProgressEvent.EventTime as number) * 1000 - Date.now()) < 60_000, 'epoch seconds, not milliseconds');
  });
});

describe('account and region isolation', () => {
  test('another region or account sees none of the default scope requests or resources', async () => {
    const name = uniqueName('scoped');
    const done = await createLogGroup(name);
    for (const other of [makeClient(server, { region: 'eu-west-1' }), makeClient(server, { accessKeyId: '111122223333' })]) {
      try {
        await expectError(other.send(new GetResourceRequestStatusCommand({ RequestToken: done.RequestToken! })), { name: 'RequestTokenNotFoundException', status: 400 });
        await expectError(other.send(new CancelResourceRequestCommand({ RequestToken: done.RequestToken! })), { name: 'RequestTokenNotFoundException', status: 400 });
        await expectError(other.send(new GetResourceCommand({ TypeName: LOG_GROUP, Identifier: name })), { name: 'ResourceNotFoundException', status: 400 });
        await expectError(
          other.send(new UpdateResourceCommand({ TypeName: LOG_GROUP, Identifier: name, PatchDocument: '[]' })),
          { name: 'ResourceNotFoundException', status: 400 },
        );
        const listed = await other.send(new ListResourcesCommand({ TypeName: LOG_GROUP }));
        assert.ok(!listed.ResourceDescriptions!.some((d) => d.Identifier === name));
        const requests = await other.send(new ListResourceRequestsCommand({ MaxResults: 100 }));
        assert.ok(!requests.ResourceRequestStatusSummaries!.some((s) => s.RequestToken === done.RequestToken));
      } finally {
        other.destroy();
      }
    }
  });

  test('the same name and ClientToken are independent in another account; its ARN names that account', async () => {
    const name = uniqueName('twin');
    const ClientToken = `twin-${process.pid}`;
    const { ProgressEvent: mine } = await client.send(new CreateResourceCommand({ TypeName: LOG_GROUP, DesiredState: JSON.stringify({ LogGroupName: name }), ClientToken }));
    await waitForStatus(client, mine!.RequestToken!);
    const other = makeClient(server, { accessKeyId: '111122223333', region: 'eu-west-1' });
    try {
      const { ProgressEvent: theirs } = await other.send(new CreateResourceCommand({ TypeName: LOG_GROUP, DesiredState: JSON.stringify({ LogGroupName: name, RetentionInDays: 1 }), ClientToken }));
      assert.notEqual(theirs!.RequestToken, mine!.RequestToken, 'a new request, not a replay or a conflict');
      const done = await waitForStatus(other, theirs!.RequestToken!);
      assert.equal(done.OperationStatus, 'SUCCESS', 'no AlreadyExists across accounts');
      assert.equal((JSON.parse(done.ResourceModel!) as { Arn: string }).Arn, `arn:aws:logs:eu-west-1:111122223333:log-group:${name}:*`);
      assert.equal((await readProperties(LOG_GROUP, name)).RetentionInDays, undefined, 'the default scope copy is untouched');
    } finally {
      other.destroy();
    }
  });
});
