/**
 * Reference checks (issue #15) on two `ccapi serve --database postgres://…` nodes: a resource created through
 * one node satisfies a reference checked by a step on the other, and a reference to a resource that exists on
 * neither fails there as on one node. A fresh request's first step runs on the node that accepted it, so each
 * create below is checked where it was sent.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { CreateResourceCommand, GetResourceCommand, type CloudControlClient } from '@aws-sdk/client-cloudcontrol';
import { startServer, type ServerProcess } from '../support/server.js';
import { makeClient, timeline, waitForStatus } from '../e2e/support.js';
import { createTestDatabase } from './support.js';

const { db, skip } = await createTestDatabase('ccapi_refs');
after(() => db?.drop());

async function create(client: CloudControlClient, typeName: string, desired: object) {
  const { ProgressEvent } = await client.send(new CreateResourceCommand({ TypeName: typeName, DesiredState: JSON.stringify(desired) }));
  return { token: ProgressEvent!.RequestToken!, done: await waitForStatus(client, ProgressEvent!.RequestToken!) };
}

test('two PostgreSQL nodes agree on references: created on one node, seen by a step on the other', { skip, timeout: 120_000 }, async () => {
  const a = await startServer({ databaseFile: db!.url });
  let b: ServerProcess | undefined;
  const clients: CloudControlClient[] = [];
  try {
    b = await startServer({ databaseFile: db!.url });
    const [onA, onB] = [makeClient(a), makeClient(b)];
    clients.push(onA, onB);

    const vpc = await create(onA, 'AWS::EC2::VPC', { CidrBlock: '10.50.0.0/16' });
    assert.equal(vpc.done.OperationStatus, 'SUCCESS');
    const vpcId = vpc.done.Identifier!;
    const subnet = await create(onB, 'AWS::EC2::Subnet', { VpcId: vpcId, CidrBlock: '10.50.1.0/24' });
    assert.equal(subnet.done.OperationStatus, 'SUCCESS', `${subnet.done.ErrorCode}: ${subnet.done.StatusMessage}`);
    const { ResourceDescription } = await onA.send(new GetResourceCommand({ TypeName: 'AWS::EC2::Subnet', Identifier: subnet.done.Identifier! }));
    assert.equal(JSON.parse(ResourceDescription!.Properties!).VpcId, vpcId, 'node A reads the subnet node B created');

    const broken = await create(onB, 'AWS::EC2::Subnet', { VpcId: 'vpc-0000000000nowhere', CidrBlock: '10.50.2.0/24' });
    assert.equal(broken.done.OperationStatus, 'FAILED');
    assert.equal(broken.done.ErrorCode, 'InvalidRequest');
    assert.match(broken.done.StatusMessage!, /^The vpc ID 'vpc-0000000000nowhere' does not exist/);
    // Node A shows the same FAILED step in the timeline.
    const events = (await timeline(a, broken.token)).body.Events!;
    assert.deepEqual(events.map((e) => e.OperationStatus), ['IN_PROGRESS', 'FAILED']);

    // The role created on B satisfies a function created on A.
    const assume = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }] };
    const role = await create(onB, 'AWS::IAM::Role', { RoleName: 'mn-fn-role', AssumeRolePolicyDocument: assume });
    assert.equal(role.done.OperationStatus, 'SUCCESS');
    const fn = await create(onA, 'AWS::Lambda::Function', {
      FunctionName: 'mn-fn', Role: 'arn:aws:iam::000000000000:role/mn-fn-role', Runtime: 'nodejs20.x', Handler: 'index.handler', Code: { ZipFile: 'exports.handler = async () => 1;' },
    });
    assert.equal(fn.done.OperationStatus, 'SUCCESS', `${fn.done.ErrorCode}: ${fn.done.StatusMessage}`);
  } finally {
    for (const client of clients) client.destroy();
    await a.stop();
    await b?.stop();
  }
});
