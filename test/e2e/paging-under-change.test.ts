/**
 * End-to-end (issue #17, part 3): paging stays correct while the data changes, on SQLite and on PostgreSQL,
 * through a real server and the JS SDK's paginators. Between pages, resources are created and deleted and new
 * requests are made; every item that existed before the first page and still exists after the last one must come
 * exactly once, and no item may come twice. NextTokens are bound to the caller and the query: replayed by another
 * tenant, into another type or filter, edited or made up, they are refused with ValidationException; they stay
 * valid across a restart (SQLite) and on another node of the same database (PostgreSQL).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateResourceCommand,
  DeleteResourceCommand,
  ListResourceRequestsCommand,
  ListResourcesCommand,
  paginateListResourceRequests,
  paginateListResources,
  type CloudControlClient,
} from '@aws-sdk/client-cloudcontrol';
import { createTestDatabase } from '../multinode/support.js';
import { startServer, type ServerProcess } from '../support/server.js';
import { expectError, makeClient, waitForStatus } from './support.js';

const LOG_GROUP = 'AWS::Logs::LogGroup';
const TENANT = '111111111111';
const OTHER_TENANT = '222222222222';

const { db, skip } = await createTestDatabase('ccapi_scale');
const stores: { name: string; open: () => Promise<ServerProcess>; skip?: string }[] = [
  { name: 'SQLite', open: () => startServer() },
  { name: 'PostgreSQL', open: () => startServer({ databaseFile: db!.url }), ...(skip ? { skip } : {}) },
];
after(async () => db?.drop());

async function create(client: CloudControlClient, name: string): Promise<void> {
  const { ProgressEvent: event } = await client.send(new CreateResourceCommand({ TypeName: LOG_GROUP, DesiredState: JSON.stringify({ LogGroupName: name }) }));
  assert.equal((await waitForStatus(client, event!.RequestToken!)).OperationStatus, 'SUCCESS');
}

async function remove(client: CloudControlClient, name: string): Promise<void> {
  const { ProgressEvent: event } = await client.send(new DeleteResourceCommand({ TypeName: LOG_GROUP, Identifier: name }));
  assert.equal((await waitForStatus(client, event!.RequestToken!)).OperationStatus, 'SUCCESS');
}

/** Counts how often each item came; fails on any item that came twice. */
function tally(seen: Map<string, number>, items: string[]): void {
  for (const item of items) {
    seen.set(item, (seen.get(item) ?? 0) + 1);
    assert.equal(seen.get(item), 1, `${item} came twice`);
  }
}

for (const store of stores) {
  describe(`paging under change: ${store.name}`, store.skip ? { skip: store.skip } : {}, () => {
    let server: ServerProcess;
    let client: CloudControlClient;
    before(async () => {
      server = await store.open();
      client = makeClient(server, { accessKeyId: TENANT, maxAttempts: 1 });
    });
    after(async () => server?.stop());

    test('ListResources: resources created and deleted between pages; the ones that stay come exactly once', async () => {
      const run = Date.now().toString(36);
      const initial = Array.from({ length: 24 }, (_, i) => `pg-${run}-${String(i * 10).padStart(3, '0')}`);
      for (const name of initial) await create(client, name);
      // Deleted during the walk: some from pages already read, some from pages still ahead.
      const doomed = new Set([initial[1]!, initial[9]!, initial[14]!, initial[22]!]);
      const doomedOrder = [...doomed];
      const seen = new Map<string, number>();
      let turn = 0;
      for await (const page of paginateListResources({ client, pageSize: 4 }, { TypeName: LOG_GROUP })) {
        tally(seen, (page.ResourceDescriptions ?? []).map((d) => d.Identifier!));
        // New names sort before, between and after the ones already read.
        await create(client, `pg-${run}-${String(turn * 37 % 240).padStart(3, '0')}-new`);
        await create(client, `pg-${run}-zz-${turn}`);
        if (turn < doomedOrder.length) await remove(client, doomedOrder[turn]!);
        turn++;
      }
      assert.ok(turn >= 6, `the walk took ${turn} pages`);
      for (const name of initial) if (!doomed.has(name)) assert.equal(seen.get(name), 1, `${name} existed throughout and was skipped`);
    });

    test('ListResourceRequests: requests made between pages neither shift nor repeat the pages, with and without a filter', async () => {
      const mine = new Set<string>();
      const run = Date.now().toString(36);
      for (let i = 0; i < 12; i++) {
        const { ProgressEvent: event } = await client.send(new CreateResourceCommand({ TypeName: LOG_GROUP, DesiredState: JSON.stringify({ LogGroupName: `req-${run}-${i}` }) }));
        mine.add(event!.RequestToken!);
      }
      for (const token of mine) await waitForStatus(client, token);
      const before = new Set<string>();
      for await (const page of paginateListResourceRequests({ client, pageSize: 100 }, {})) for (const s of page.ResourceRequestStatusSummaries ?? []) before.add(s.RequestToken!);
      for (const filter of [undefined, { Operations: ['CREATE' as const], OperationStatuses: ['SUCCESS' as const, 'FAILED' as const] }]) {
        const seen = new Map<string, number>();
        let turn = 0;
        for await (const page of paginateListResourceRequests({ client, pageSize: 5 }, filter ? { ResourceRequestStatusFilter: filter } : {})) {
          tally(seen, (page.ResourceRequestStatusSummaries ?? []).map((s) => s.RequestToken!));
          const { ProgressEvent: event } = await client.send(new CreateResourceCommand({ TypeName: LOG_GROUP, DesiredState: JSON.stringify({ LogGroupName: `req-${run}-${filter ? 'f' : 'a'}-${turn++}` }) }));
          await waitForStatus(client, event!.RequestToken!);
        }
        assert.ok(turn >= 3, `the walk took ${turn} pages`);
        for (const token of mine) assert.equal(seen.get(token), 1, `request ${token} was skipped`);
        if (!filter) for (const token of before) assert.equal(seen.get(token), 1, `request ${token} was skipped`);
      }
    });

    test('a NextToken is refused by another tenant, another type, another filter, and when edited or made up', async () => {
      const run = Date.now().toString(36);
      for (let i = 0; i < 3; i++) await create(client, `tok-${run}-${i}`);
      const other = makeClient(server, { accessKeyId: OTHER_TENANT, maxAttempts: 1 });
      const elsewhere = makeClient(server, { accessKeyId: TENANT, region: 'eu-west-1', maxAttempts: 1 });
      const invalid = { name: 'ValidationException', status: 400, message: 'Invalid NextToken' };

      const listed = await client.send(new ListResourcesCommand({ TypeName: LOG_GROUP, MaxResults: 1 }));
      const token = listed.NextToken!;
      assert.ok(token, 'more than one LogGroup: a NextToken');
      assert.ok(!Buffer.from(token, 'base64').toString('latin1').includes(listed.ResourceDescriptions![0]!.Identifier!), 'the token does not show the identifier it continues after');
      // The token works for its own caller and query.
      assert.ok((await client.send(new ListResourcesCommand({ TypeName: LOG_GROUP, MaxResults: 1, NextToken: token }))).ResourceDescriptions!.length === 1);
      await expectError(other.send(new ListResourcesCommand({ TypeName: LOG_GROUP, NextToken: token })), invalid);
      await expectError(elsewhere.send(new ListResourcesCommand({ TypeName: LOG_GROUP, NextToken: token })), invalid);
      await expectError(client.send(new ListResourcesCommand({ TypeName: 'AWS::SQS::Queue', NextToken: token })), invalid);
      await expectError(client.send(new ListResourcesCommand({ TypeName: LOG_GROUP, ResourceModel: '{"LogGroupName":"x"}', NextToken: token })), invalid);
      const edited = Buffer.from(token, 'base64');
      edited[edited.length - 1]! ^= 1;
      await expectError(client.send(new ListResourcesCommand({ TypeName: LOG_GROUP, NextToken: edited.toString('base64') })), invalid);
      await expectError(client.send(new ListResourcesCommand({ TypeName: LOG_GROUP, NextToken: `tok-${run}-0` })), invalid);

      const requests = await client.send(new ListResourceRequestsCommand({ MaxResults: 1 }));
      const requestsToken = requests.NextToken!;
      assert.ok(requestsToken);
      assert.ok((await client.send(new ListResourceRequestsCommand({ MaxResults: 1, NextToken: requestsToken }))).ResourceRequestStatusSummaries!.length === 1);
      await expectError(other.send(new ListResourceRequestsCommand({ NextToken: requestsToken })), invalid);
      await expectError(client.send(new ListResourceRequestsCommand({ NextToken: requestsToken, ResourceRequestStatusFilter: { Operations: ['DELETE'] } })), invalid);
      await expectError(client.send(new ListResourceRequestsCommand({ NextToken: token })), invalid);
      await expectError(client.send(new ListResourceRequestsCommand({ NextToken: Buffer.from('seq:1').toString('base64') })), invalid);
    });

    test('a NextToken stays valid after a restart and on another node of the same database', async () => {
      const listed = await client.send(new ListResourcesCommand({ TypeName: LOG_GROUP, MaxResults: 1 }));
      const next = await client.send(new ListResourcesCommand({ TypeName: LOG_GROUP, MaxResults: 1, NextToken: listed.NextToken! }));
      let second: ServerProcess;
      if (store.name === 'SQLite') {
        await server.stop();
        second = await startServer({ databaseFile: server.databaseFile });
        server = second;
      } else {
        second = await store.open();
      }
      try {
        const again = await makeClient(second, { accessKeyId: TENANT, maxAttempts: 1 }).send(new ListResourcesCommand({ TypeName: LOG_GROUP, MaxResults: 1, NextToken: listed.NextToken! }));
        assert.deepEqual(again.ResourceDescriptions, next.ResourceDescriptions);
      } finally {
        if (second !== server) await second.stop();
      }
      client = makeClient(server, { accessKeyId: TENANT, maxAttempts: 1 });
    });
  });
}
