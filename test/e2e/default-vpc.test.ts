/**
 * End-to-end: the default VPC (issue #15 part 5). A fresh server lists each account and Region's default VPC and
 * its parts to real clients (JS SDK and boto3), GetResource reads them, a new resource can name them, none of it
 * shows as a request, and `--no-default-vpc` turns it off.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import {
  CreateResourceCommand,
  GetResourceCommand,
  ListResourceRequestsCommand,
  ListResourcesCommand,
  type CloudControlClient,
} from '@aws-sdk/client-cloudcontrol';
import { startServer, type ServerProcess } from '../support/server.js';
import { awsEnv, TEST_CREDENTIALS } from '../support/aws-env.js';
import { skipIfMissing } from '../support/prerequisites.js';
import { makeClient, waitForStatus } from './support.js';

async function listAll(client: CloudControlClient, typeName: string): Promise<Record<string, unknown>[]> {
  const out: Record<string, unknown>[] = [];
  let NextToken: string | undefined;
  do {
    const page = await client.send(new ListResourcesCommand({ TypeName: typeName, ...(NextToken ? { NextToken } : {}) }));
    out.push(...(page.ResourceDescriptions ?? []).map((d) => JSON.parse(d.Properties!) as Record<string, unknown>));
    NextToken = page.NextToken;
  } while (NextToken);
  return out;
}

describe('default VPC', () => {
  let server: ServerProcess;
  before(async () => (server = await startServer()));
  after(async () => server?.stop());

  test('a fresh server lists the default VPC and its parts, each readable with GetResource', async () => {
    const client = makeClient(server, { region: 'eu-west-1' });
    const [vpc, ...others] = await listAll(client, 'AWS::EC2::VPC');
    assert.equal(others.length, 0, 'one default VPC');
    assert.equal(vpc!.CidrBlock, '172.31.0.0/16');
    const subnets = await listAll(client, 'AWS::EC2::Subnet');
    assert.deepEqual(subnets.map((s) => s.AvailabilityZone).sort(), ['eu-west-1a', 'eu-west-1b', 'eu-west-1c']);
    assert.deepEqual(subnets.map((s) => s.CidrBlock).sort(), ['172.31.0.0/20', '172.31.16.0/20', '172.31.32.0/20']);
    assert.ok(subnets.every((s) => s.VpcId === vpc!.VpcId && s.MapPublicIpOnLaunch === true));
    const [sg] = (await listAll(client, 'AWS::EC2::SecurityGroup')).filter((g) => g.VpcId === vpc!.VpcId);
    assert.equal(sg!.GroupName, 'default');
    const got = await client.send(new GetResourceCommand({ TypeName: 'AWS::EC2::SecurityGroup', Identifier: String(vpc!.DefaultSecurityGroup) }));
    assert.equal(JSON.parse(got.ResourceDescription!.Properties!).GroupName, 'default');
    const [igw] = await listAll(client, 'AWS::EC2::InternetGateway');
    const [attachment] = await listAll(client, 'AWS::EC2::VPCGatewayAttachment');
    assert.deepEqual([attachment!.VpcId, attachment!.InternetGatewayId], [vpc!.VpcId, igw!.InternetGatewayId]);
    const [route] = await listAll(client, 'AWS::EC2::Route');
    assert.deepEqual([route!.DestinationCidrBlock, route!.GatewayId], ['0.0.0.0/0', igw!.InternetGatewayId]);
    assert.equal((await listAll(client, 'AWS::EC2::NetworkAcl'))[0]!.Id, vpc!.DefaultNetworkAcl);
    assert.equal((await listAll(client, 'AWS::EC2::DHCPOptions'))[0]!.DomainName, 'eu-west-1.compute.internal');
    // AWS made it: no Cloud Control request created it.
    const requests = await client.send(new ListResourceRequestsCommand({}));
    assert.deepEqual(requests.ResourceRequestStatusSummaries, []);
  });

  test('each account and Region has its own; a subnet created in the default VPC lives beside the default subnets', async () => {
    const other = makeClient(server, { region: 'eu-west-1', accessKeyId: '123456789012' });
    const mine = makeClient(server, { region: 'eu-west-1' });
    const [theirs] = await listAll(other, 'AWS::EC2::VPC');
    const [ours] = await listAll(mine, 'AWS::EC2::VPC');
    assert.notEqual(theirs!.VpcId, ours!.VpcId);
    const created = await other.send(
      new CreateResourceCommand({ TypeName: 'AWS::EC2::Subnet', DesiredState: JSON.stringify({ VpcId: theirs!.VpcId, CidrBlock: '172.31.48.0/20', AvailabilityZone: 'eu-west-1a' }) }),
    );
    const done = await waitForStatus(other, created.ProgressEvent!.RequestToken!);
    assert.equal(done.OperationStatus, 'SUCCESS', done.StatusMessage);
    const subnets = await listAll(other, 'AWS::EC2::Subnet');
    assert.equal(subnets.length, 4);
    assert.ok(subnets.every((s) => s.VpcId === theirs!.VpcId));
  });

  test("the service rules see the default VPC's parts; a reset of its Region brings the default VPC back", async () => {
    const client = makeClient(server, { region: 'us-west-2' });
    const [vpc] = await listAll(client, 'AWS::EC2::VPC');
    // Overlaps the default subnet 172.31.0.0/20: found through the store's index, as for any subnet.
    const created = await client.send(
      new CreateResourceCommand({ TypeName: 'AWS::EC2::Subnet', DesiredState: JSON.stringify({ VpcId: vpc!.VpcId, CidrBlock: '172.31.0.0/24', AvailabilityZone: 'us-west-2a' }) }),
    );
    const failed = await waitForStatus(client, created.ProgressEvent!.RequestToken!);
    assert.equal(failed.OperationStatus, 'FAILED');
    assert.equal(failed.ErrorCode, 'AlreadyExists', failed.StatusMessage);
    const reset = await fetch(`${server.url}/_ccapi/reset`, { method: 'POST', body: JSON.stringify({ region: 'us-west-2' }) });
    assert.equal(reset.status, 200);
    const [again, ...more] = await listAll(client, 'AWS::EC2::VPC');
    assert.equal(more.length, 0);
    assert.equal(again!.VpcId, vpc!.VpcId, 'the same default VPC, as a fresh account has');
    assert.deepEqual((await client.send(new ListResourceRequestsCommand({}))).ResourceRequestStatusSummaries, [], 'the failed request was forgotten');
  });

  test('boto3 finds the default VPC by its CIDR block and reads its default subnets', { skip: skipIfMissing('boto3') }, async () => {
    const script = `
import boto3, json, os
cc = boto3.client('cloudcontrol', endpoint_url=os.environ['CCAPI_ENDPOINT'], region_name='us-west-2')
vpcs = [json.loads(d['Properties']) for d in cc.list_resources(TypeName='AWS::EC2::VPC')['ResourceDescriptions']]
default = [v for v in vpcs if v['CidrBlock'] == '172.31.0.0/16'][0]
got = json.loads(cc.get_resource(TypeName='AWS::EC2::VPC', Identifier=default['VpcId'])['ResourceDescription']['Properties'])
pages = cc.get_paginator('list_resources').paginate(TypeName='AWS::EC2::Subnet')
subnets = [json.loads(d['Properties']) for page in pages for d in page['ResourceDescriptions']]
print(json.dumps({'vpc': got['VpcId'] == default['VpcId'], 'zones': sorted(s['AvailabilityZone'] for s in subnets if s['VpcId'] == default['VpcId'])}))
`;
    const output = await new Promise<string>((resolve, reject) =>
      execFile('python3', ['-c', script], { timeout: 60_000, env: awsEnv({ ...TEST_CREDENTIALS, CCAPI_ENDPOINT: server.url }) }, (error, stdout, stderr) =>
        error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve(stdout),
      ),
    );
    assert.deepEqual(JSON.parse(output), { vpc: true, zones: ['us-west-2a', 'us-west-2b', 'us-west-2c', 'us-west-2d'] });
  });
});

describe('--no-default-vpc', () => {
  let server: ServerProcess;
  before(async () => (server = await startServer({ extraArgs: ['--no-default-vpc'] })));
  after(async () => server?.stop());

  test('no account or Region gets a default VPC', async () => {
    const client = makeClient(server);
    assert.deepEqual(await listAll(client, 'AWS::EC2::VPC'), []);
    assert.deepEqual(await listAll(client, 'AWS::EC2::Subnet'), []);
  });
});
