/**
 * End-to-end, strict mode: tenants are (account, region), where the account comes from the verified
 * credential and the region from its credential scope. Four callers (two accounts × two regions) against one
 * server: nothing one creates is visible to, or changeable by, the other three.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
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
  type ProgressEvent,
} from '@aws-sdk/client-cloudcontrol';
import { startServer, tempDir, type ServerProcess } from '../../support/server.js';
import { expectError, uniqueName, waitForStatus } from '../support.js';
import { ACCOUNT_A, ACCOUNT_B, ALICE, BOB, strictArgs, strictClient, type TestCredential } from './support.js';

const LOG_GROUP = 'AWS::Logs::LogGroup';
/** Its creates are held IN_PROGRESS for a day by an injected delay (the faults file below): a request that is really in progress when a test looks at it. */
const HELD_TYPE = 'AWS::SNS::Topic';

interface Tenant {
  label: string;
  cred: TestCredential;
  account: string;
  region: string;
  client: CloudControlClient;
}

let server: ServerProcess;
let tenants: Tenant[];

before(async () => {
  const faults = join(tempDir('ccapi-faults-'), 'faults.json');
  writeFileSync(faults, JSON.stringify({ rules: [{ typeName: HELD_TYPE, operation: 'CREATE', delayMs: 24 * 3600_000 }] }));
  server = await startServer({ extraArgs: strictArgs({ extra: ['--faults', faults] }) });
  const make = (cred: TestCredential, account: string, region: string): Tenant => ({
    label: `${account}/${region}`,
    cred,
    account,
    region,
    client: strictClient(server, cred, { region }),
  });
  tenants = [make(ALICE, ACCOUNT_A, 'us-east-1'), make(ALICE, ACCOUNT_A, 'eu-west-1'), make(BOB, ACCOUNT_B, 'us-east-1'), make(BOB, ACCOUNT_B, 'eu-west-1')];
});

after(async () => {
  for (const t of tenants ?? []) t.client.destroy();
  await server?.stop();
});

async function create(tenant: Tenant, name: string, extra: Record<string, unknown> = {}, clientToken?: string): Promise<ProgressEvent> {
  const { ProgressEvent: created } = await tenant.client.send(
    new CreateResourceCommand({ TypeName: LOG_GROUP, DesiredState: JSON.stringify({ LogGroupName: name, ...extra }), ...(clientToken ? { ClientToken: clientToken } : {}) }),
  );
  return created!;
}

async function properties(tenant: Tenant, name: string): Promise<Record<string, unknown>> {
  const { ResourceDescription } = await tenant.client.send(new GetResourceCommand({ TypeName: LOG_GROUP, Identifier: name }));
  return JSON.parse(ResourceDescription!.Properties!) as Record<string, unknown>;
}

async function allRequests(tenant: Tenant): Promise<string[]> {
  const tokens: string[] = [];
  let NextToken: string | undefined;
  do {
    const page = await tenant.client.send(new ListResourceRequestsCommand({ MaxResults: 100, ...(NextToken ? { NextToken } : {}) }));
    tokens.push(...page.ResourceRequestStatusSummaries!.map((s) => s.RequestToken!));
    NextToken = page.NextToken;
  } while (NextToken);
  return tokens;
}

async function allResources(tenant: Tenant): Promise<string[]> {
  const ids: string[] = [];
  let NextToken: string | undefined;
  do {
    const page = await tenant.client.send(new ListResourcesCommand({ TypeName: LOG_GROUP, ...(NextToken ? { NextToken } : {}) }));
    ids.push(...page.ResourceDescriptions!.map((d) => d.Identifier!));
    NextToken = page.NextToken;
  } while (NextToken);
  return ids;
}

describe('four tenants: two accounts × two regions', () => {
  for (let owner = 0; owner < 4; owner++) {
    test(`a resource and a request of tenant #${owner + 1} are invisible and untouchable for the other three`, async () => {
      const me = tenants[owner]!;
      const others = tenants.filter((_, i) => i !== owner);
      const name = uniqueName('tenant');
      const created = await create(me, name, { RetentionInDays: 7 });
      const done = await waitForStatus(me.client, created.RequestToken!);
      assert.equal(done.OperationStatus, 'SUCCESS', JSON.stringify(done));
      const mine = await properties(me, name);
      assert.equal(mine.Arn, `arn:aws:logs:${me.region}:${me.account}:log-group:${name}:*`, 'the ARN names the owner’s account and region');
      assert.ok((await allRequests(me)).includes(created.RequestToken!), 'the owner lists its own request');
      assert.ok((await allResources(me)).includes(name), 'the owner lists its own resource');

      for (const other of others) {
        const who = `${other.label} looking at ${me.label}`;
        await expectError(other.client.send(new GetResourceRequestStatusCommand({ RequestToken: created.RequestToken! })), { name: 'RequestTokenNotFoundException', status: 400 });
        await expectError(other.client.send(new CancelResourceRequestCommand({ RequestToken: created.RequestToken! })), { name: 'RequestTokenNotFoundException', status: 400 });
        await expectError(other.client.send(new GetResourceCommand({ TypeName: LOG_GROUP, Identifier: name })), { name: 'ResourceNotFoundException', status: 400 });
        await expectError(
          other.client.send(new UpdateResourceCommand({ TypeName: LOG_GROUP, Identifier: name, PatchDocument: JSON.stringify([{ op: 'replace', path: '/RetentionInDays', value: 1 }]) })),
          { name: 'ResourceNotFoundException', status: 400 },
        );
        assert.ok(!(await allRequests(other)).includes(created.RequestToken!), `${who}: ListResourceRequests must not show the request`);
        assert.ok(!(await allResources(other)).includes(name), `${who}: ListResources must not show the resource`);

        // A delete of the same identifier in another tenant is accepted and then fails NotFound there.
        const { ProgressEvent: del } = await other.client.send(new DeleteResourceCommand({ TypeName: LOG_GROUP, Identifier: name }));
        const deleted = await waitForStatus(other.client, del!.RequestToken!);
        assert.equal(deleted.OperationStatus, 'FAILED', `${who}: ${JSON.stringify(deleted)}`);
        assert.equal(deleted.ErrorCode, 'NotFound', `${who}: ${JSON.stringify(deleted)}`);
        // The other tenant's failed delete request is its own: the owner cannot see it either.
        await expectError(me.client.send(new GetResourceRequestStatusCommand({ RequestToken: del!.RequestToken! })), { name: 'RequestTokenNotFoundException' });
      }

      // After all that, the owner's resource and request are exactly as they were.
      assert.deepEqual(await properties(me, name), mine);
      const status = await me.client.send(new GetResourceRequestStatusCommand({ RequestToken: created.RequestToken! }));
      assert.equal(status.ProgressEvent!.OperationStatus, 'SUCCESS');
      const ownRequests = await allRequests(me);
      assert.ok(ownRequests.includes(created.RequestToken!));
    });
  }

  test('an in-progress request cannot be cancelled by another tenant', async () => {
    // The create is held IN_PROGRESS by the injected delay, so it is cancellable, by its owner only, for
    // as long as the test looks at it.
    const [me, other] = [tenants[0]!, tenants[3]!];
    const { ProgressEvent: created } = await me.client.send(new CreateResourceCommand({ TypeName: HELD_TYPE, DesiredState: JSON.stringify({ TopicName: uniqueName('cancel') }) }));
    assert.equal(created!.OperationStatus, 'IN_PROGRESS');
    await expectError(other.client.send(new CancelResourceRequestCommand({ RequestToken: created!.RequestToken! })), { name: 'RequestTokenNotFoundException', status: 400 });
    const { ProgressEvent: still } = await me.client.send(new GetResourceRequestStatusCommand({ RequestToken: created!.RequestToken! }));
    assert.equal(still!.OperationStatus, 'IN_PROGRESS', 'the other tenant’s cancel left the owner’s create alone');
    // The owner's own cancel of the same request is taken: it was in progress, and cancellable.
    const { ProgressEvent: cancelling } = await me.client.send(new CancelResourceRequestCommand({ RequestToken: created!.RequestToken! }));
    assert.equal(cancelling!.OperationStatus, 'CANCEL_IN_PROGRESS');
    assert.equal((await waitForStatus(me.client, created!.RequestToken!, undefined, 30_000)).OperationStatus, 'CANCEL_COMPLETE');
  });

  test('the same ClientToken in every tenant creates four independent requests', async () => {
    const name = uniqueName('same-token');
    const clientToken = `ct-${name}`;
    const created = await Promise.all(tenants.map((t, i) => create(t, name, { RetentionInDays: [1, 3, 5, 7][i] }, clientToken)));
    const tokens = new Set(created.map((e) => e.RequestToken));
    assert.equal(tokens.size, 4, `four distinct request tokens: ${JSON.stringify(created.map((e) => e.RequestToken))}`);
    const done = await Promise.all(tenants.map((t, i) => waitForStatus(t.client, created[i]!.RequestToken!)));
    for (const [i, d] of done.entries()) assert.equal(d.OperationStatus, 'SUCCESS', `${tenants[i]!.label}: ${JSON.stringify(d)}`);
    // Each tenant's replay of its ClientToken returns its own request, not another tenant's.
    for (const [i, t] of tenants.entries()) {
      const replay = await create(t, name, { RetentionInDays: [1, 3, 5, 7][i] }, clientToken);
      assert.equal(replay.RequestToken, created[i]!.RequestToken, `${t.label}: the replay is idempotent within the tenant`);
    }
  });

  test('the same resource name exists independently in all four tenants', async () => {
    const name = uniqueName('same-name');
    const created = await Promise.all(tenants.map((t, i) => create(t, name, { RetentionInDays: [1, 3, 5, 7][i] })));
    const done = await Promise.all(tenants.map((t, i) => waitForStatus(t.client, created[i]!.RequestToken!)));
    for (const [i, d] of done.entries()) assert.equal(d.OperationStatus, 'SUCCESS', `no AlreadyExists across tenants (${tenants[i]!.label}): ${JSON.stringify(d)}`);
    for (const [i, t] of tenants.entries()) {
      const props = await properties(t, name);
      assert.equal(props.RetentionInDays, [1, 3, 5, 7][i], `${t.label} reads its own copy`);
      assert.equal(props.Arn, `arn:aws:logs:${t.region}:${t.account}:log-group:${name}:*`);
    }
    // Deleting one tenant's copy leaves the other three.
    const { ProgressEvent: del } = await tenants[2]!.client.send(new DeleteResourceCommand({ TypeName: LOG_GROUP, Identifier: name }));
    assert.equal((await waitForStatus(tenants[2]!.client, del!.RequestToken!)).OperationStatus, 'SUCCESS');
    await expectError(tenants[2]!.client.send(new GetResourceCommand({ TypeName: LOG_GROUP, Identifier: name })), { name: 'ResourceNotFoundException' });
    for (const i of [0, 1, 3]) assert.equal((await properties(tenants[i]!, name)).RetentionInDays, [1, 3, 5, 7][i]);
    // A create of an existing name within a tenant still fails AlreadyExists (isolation did not switch the check off).
    const again = await create(tenants[0]!, name);
    const failed = await waitForStatus(tenants[0]!.client, again.RequestToken!);
    assert.equal(failed.OperationStatus, 'FAILED');
    assert.equal(failed.ErrorCode, 'AlreadyExists');
  });

  test('with credentials but no --admin-token, admin routes other than health are disabled', async () => {
    const faults = await fetch(`${server.url}/_ccapi/faults`, { headers: { authorization: 'Bearer anything' } });
    assert.equal(faults.status, 401);
    assert.match(((await faults.json()) as { message: string }).message, /--admin-token/);
    const health = await fetch(`${server.url}/_ccapi/health`);
    assert.equal(health.status, 200);
  });

  test('an access key whose id looks like an account number does not choose the account in strict mode', async () => {
    // In open mode a 12-digit access key id *is* the account; with credentials the verified credential decides.
    const res = await fetch(server.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-amz-json-1.0',
        'x-amz-target': 'CloudApiService.ListResourceRequests',
        authorization: `AWS4-HMAC-SHA256 Credential=${ACCOUNT_A}/20260101/us-east-1/cloudcontrolapi/aws4_request, SignedHeaders=host;x-amz-date;x-amz-target, Signature=${'0'.repeat(64)}`,
        'x-amz-date': '20260101T000000Z',
      },
      body: '{}',
    });
    assert.equal(res.status, 400);
    assert.match(((await res.json()) as { __type: string }).__type, /#UnrecognizedClientException$/);
  });
});
