/**
 * End-to-end through the JS SDK v3 (issue #15 parts 3 and 4): deletes the service refuses fail as AWS's handlers
 * fail (accepted, then FAILED at the handler step with the HandlerErrorCode and message) and delete nothing, and
 * succeed once the dependents are gone; the EC2 networking rules (subnet zone and CIDR, security-group names)
 * refuse what EC2 refuses and accept what it accepts.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateResourceCommand,
  DeleteResourceCommand,
  GetResourceCommand,
  type CloudControlClient,
  type ProgressEvent,
} from '@aws-sdk/client-cloudcontrol';
import { startServer, type ServerProcess } from '../support/server.js';
import { makeClient, timeline, uniqueName, waitForStatus } from './support.js';

let server: ServerProcess;
let client: CloudControlClient;

before(async () => {
  server = await startServer();
  client = makeClient(server);
});
after(() => server?.stop());

async function createRequest(typeName: string, desired: Record<string, unknown>): Promise<ProgressEvent> {
  const { ProgressEvent: accepted } = await client.send(new CreateResourceCommand({ TypeName: typeName, DesiredState: JSON.stringify(desired) }));
  assert.equal(accepted?.OperationStatus, 'IN_PROGRESS', 'accepted: the rule is the handler\'s, not a synchronous refusal');
  return waitForStatus(client, accepted!.RequestToken!);
}

async function create(typeName: string, desired: Record<string, unknown>): Promise<string> {
  const done = await createRequest(typeName, desired);
  assert.equal(done.OperationStatus, 'SUCCESS', `${typeName} create: ${done.ErrorCode} ${done.StatusMessage}`);
  return done.Identifier!;
}

async function remove(typeName: string, identifier: string): Promise<ProgressEvent> {
  const { ProgressEvent: accepted } = await client.send(new DeleteResourceCommand({ TypeName: typeName, Identifier: identifier }));
  assert.equal(accepted?.OperationStatus, 'IN_PROGRESS');
  return waitForStatus(client, accepted!.RequestToken!);
}

async function properties(typeName: string, identifier: string): Promise<Record<string, unknown>> {
  const { ResourceDescription } = await client.send(new GetResourceCommand({ TypeName: typeName, Identifier: identifier }));
  return JSON.parse(ResourceDescription!.Properties!) as Record<string, unknown>;
}

/** The refused delete: FAILED with the code and message, the resource still there, the failure in the request's timeline. */
async function assertDeleteRefused(typeName: string, identifier: string, errorCode: string, message: RegExp): Promise<void> {
  const failed = await remove(typeName, identifier);
  assert.equal(failed.OperationStatus, 'FAILED');
  assert.equal(failed.Operation, 'DELETE');
  assert.equal(failed.ErrorCode, errorCode);
  assert.match(failed.StatusMessage ?? '', message);
  assert.ok(await properties(typeName, identifier), 'nothing is deleted');
  const { status, body } = await timeline(server, failed.RequestToken!);
  assert.equal(status, 200);
  const last = body.Events!.at(-1)!;
  assert.equal(last.OperationStatus, 'FAILED', 'the timeline ends at the handler step\'s failure');
  assert.equal(last.ErrorCode, errorCode);
}

async function vpc(cidr = '10.0.0.0/16'): Promise<string> {
  return create('AWS::EC2::VPC', { CidrBlock: cidr });
}

describe('deletes the service refuses', () => {
  test('a VPC with a subnet: FAILED InvalidRequest with EC2\'s message; deleted once the subnet is', async () => {
    const vpcId = await vpc();
    const subnetId = await create('AWS::EC2::Subnet', { VpcId: vpcId, CidrBlock: '10.0.1.0/24' });
    await assertDeleteRefused(
      'AWS::EC2::VPC',
      vpcId,
      'InvalidRequest',
      new RegExp(`^The vpc '${vpcId}' has dependencies and cannot be deleted\\. \\(Service: Ec2, Status Code: 400, Request ID: [0-9a-f-]{36}\\)$`),
    );
    assert.equal((await remove('AWS::EC2::Subnet', subnetId)).OperationStatus, 'SUCCESS');
    assert.equal((await remove('AWS::EC2::VPC', vpcId)).OperationStatus, 'SUCCESS');
  });

  test('a subnet with a network interface is refused; without it, deleted', async () => {
    const vpcId = await vpc();
    const subnetId = await create('AWS::EC2::Subnet', { VpcId: vpcId, CidrBlock: '10.0.2.0/24' });
    const eni = await create('AWS::EC2::NetworkInterface', { SubnetId: subnetId });
    await assertDeleteRefused('AWS::EC2::Subnet', subnetId, 'InvalidRequest', new RegExp(`^The subnet '${subnetId}' has dependencies and cannot be deleted\\. `));
    assert.equal((await remove('AWS::EC2::NetworkInterface', eni)).OperationStatus, 'SUCCESS');
    assert.equal((await remove('AWS::EC2::Subnet', subnetId)).OperationStatus, 'SUCCESS');
  });

  test('a security group another group\'s rules name is refused; deleted once that group is gone', async () => {
    const vpcId = await vpc();
    const target = await create('AWS::EC2::SecurityGroup', { GroupDescription: 'db', GroupName: uniqueName('db'), VpcId: vpcId });
    const source = await create('AWS::EC2::SecurityGroup', {
      GroupDescription: 'app',
      GroupName: uniqueName('app'),
      VpcId: vpcId,
      SecurityGroupIngress: [{ IpProtocol: 'tcp', FromPort: 5432, ToPort: 5432, SourceSecurityGroupId: target }],
    });
    await assertDeleteRefused('AWS::EC2::SecurityGroup', target, 'InvalidRequest', new RegExp(`^resource ${target} has a dependent object \\(Service: Ec2, `));
    await assertDeleteRefused('AWS::EC2::VPC', vpcId, 'InvalidRequest', /has dependencies and cannot be deleted/);
    assert.equal((await remove('AWS::EC2::SecurityGroup', source)).OperationStatus, 'SUCCESS');
    assert.equal((await remove('AWS::EC2::SecurityGroup', target)).OperationStatus, 'SUCCESS');
    assert.equal((await remove('AWS::EC2::VPC', vpcId)).OperationStatus, 'SUCCESS', 'no group left in the VPC');
  });

  test('an internet gateway still attached is refused; detached, deleted', async () => {
    const vpcId = await vpc();
    const igw = await create('AWS::EC2::InternetGateway', {});
    const attachment = await create('AWS::EC2::VPCGatewayAttachment', { VpcId: vpcId, InternetGatewayId: igw });
    await assertDeleteRefused('AWS::EC2::InternetGateway', igw, 'InvalidRequest', new RegExp(`^The internetGateway '${igw}' has dependencies and cannot be deleted\\. `));
    await assertDeleteRefused('AWS::EC2::VPC', vpcId, 'InvalidRequest', /has dependencies/);
    assert.equal((await remove('AWS::EC2::VPCGatewayAttachment', attachment)).OperationStatus, 'SUCCESS');
    assert.equal((await remove('AWS::EC2::InternetGateway', igw)).OperationStatus, 'SUCCESS');
    assert.equal((await remove('AWS::EC2::VPC', vpcId)).OperationStatus, 'SUCCESS');
  });

  test('a route table associated with a subnet is refused; disassociated, deleted (and then the VPC)', async () => {
    const vpcId = await vpc('10.70.0.0/16');
    const subnetId = await create('AWS::EC2::Subnet', { VpcId: vpcId, CidrBlock: '10.70.0.0/24' });
    const table = await create('AWS::EC2::RouteTable', { VpcId: vpcId });
    const association = await create('AWS::EC2::SubnetRouteTableAssociation', { RouteTableId: table, SubnetId: subnetId });
    await assertDeleteRefused('AWS::EC2::RouteTable', table, 'InvalidRequest', new RegExp(`^The routeTable '${table}' has dependencies and cannot be deleted\\. `));
    assert.equal((await remove('AWS::EC2::SubnetRouteTableAssociation', association)).OperationStatus, 'SUCCESS');
    assert.equal((await remove('AWS::EC2::RouteTable', table)).OperationStatus, 'SUCCESS');
    assert.equal((await remove('AWS::EC2::Subnet', subnetId)).OperationStatus, 'SUCCESS');
    assert.equal((await remove('AWS::EC2::VPC', vpcId)).OperationStatus, 'SUCCESS');
  });

  test('an ECS cluster with a service (named by ARN) is refused with GeneralServiceException; without it, deleted', async () => {
    const clusterName = uniqueName('cluster');
    await create('AWS::ECS::Cluster', { ClusterName: clusterName });
    const { Arn: clusterArn } = await properties('AWS::ECS::Cluster', clusterName);
    const service = await create('AWS::ECS::Service', { ServiceName: uniqueName('svc'), Cluster: clusterArn });
    await assertDeleteRefused(
      'AWS::ECS::Cluster',
      clusterName,
      'GeneralServiceException',
      /^Error occurred during operation 'DeleteClusters SDK Error: The Cluster cannot be deleted while Services are active\. \(Service: AmazonECS; Status Code: 400; Error Code: ClusterContainsServicesException; Request ID: [0-9a-f-]{36}; Proxy: null\)'\.$/,
    );
    assert.equal((await remove('AWS::ECS::Service', service)).OperationStatus, 'SUCCESS');
    assert.equal((await remove('AWS::ECS::Cluster', clusterName)).OperationStatus, 'SUCCESS');
  });

  test('what AWS deletes anyway is deleted: a VPC with a secondary CIDR block, an internet gateway never attached', async () => {
    const vpcId = await vpc('10.20.0.0/16');
    await create('AWS::EC2::VPCCidrBlock', { VpcId: vpcId, CidrBlock: '10.21.0.0/16' });
    assert.equal((await remove('AWS::EC2::VPC', vpcId)).OperationStatus, 'SUCCESS');
    const igw = await create('AWS::EC2::InternetGateway', {});
    assert.equal((await remove('AWS::EC2::InternetGateway', igw)).OperationStatus, 'SUCCESS');
  });
});

describe('EC2 networking rules', () => {
  test('a subnet\'s CIDR: outside the VPC is InvalidRequest, overlapping another is AlreadyExists, a free one succeeds', async () => {
    const vpcId = await vpc('10.30.0.0/16');
    await create('AWS::EC2::Subnet', { VpcId: vpcId, CidrBlock: '10.30.0.0/24' });
    const outside = await createRequest('AWS::EC2::Subnet', { VpcId: vpcId, CidrBlock: '10.31.0.0/24' });
    assert.equal(outside.OperationStatus, 'FAILED');
    assert.equal(outside.ErrorCode, 'InvalidRequest');
    assert.match(outside.StatusMessage ?? '', /^The CIDR '10\.31\.0\.0\/24' is invalid\. \(Service: Ec2, Status Code: 400, Request ID: [0-9a-f-]{36}\)$/);
    const overlapping = await createRequest('AWS::EC2::Subnet', { VpcId: vpcId, CidrBlock: '10.30.0.128/25' });
    assert.equal(overlapping.OperationStatus, 'FAILED');
    assert.equal(overlapping.ErrorCode, 'AlreadyExists');
    assert.match(overlapping.StatusMessage ?? '', /^The CIDR '10\.30\.0\.128\/25' conflicts with another subnet \(Service: Ec2, /);
    await create('AWS::EC2::Subnet', { VpcId: vpcId, CidrBlock: '10.30.1.0/24' });
    await create('AWS::EC2::VPCCidrBlock', { VpcId: vpcId, CidrBlock: '10.31.0.0/16' });
    await create('AWS::EC2::Subnet', { VpcId: vpcId, CidrBlock: '10.31.0.0/24' });
  });

  test('a subnet\'s zone: AWS picks one when absent; one outside the Region is refused with the Region\'s list', async () => {
    const vpcId = await vpc('10.40.0.0/16');
    const subnetId = await create('AWS::EC2::Subnet', { VpcId: vpcId, CidrBlock: '10.40.0.0/24' });
    const read = await properties('AWS::EC2::Subnet', subnetId);
    assert.equal(read.AvailabilityZone, 'us-east-1a');
    assert.equal(read.AvailabilityZoneId, 'use1-az1');
    const wrong = await createRequest('AWS::EC2::Subnet', { VpcId: vpcId, CidrBlock: '10.40.1.0/24', AvailabilityZone: 'eu-west-1a' });
    assert.equal(wrong.ErrorCode, 'InvalidRequest');
    assert.match(
      wrong.StatusMessage ?? '',
      /^Value \(eu-west-1a\) for parameter availabilityZone is invalid\. Subnets can currently only be created in the following availability zones: us-east-1a, us-east-1b, us-east-1c, us-east-1d, us-east-1e, us-east-1f\. /,
    );
    const chosen = await create('AWS::EC2::Subnet', { VpcId: vpcId, CidrBlock: '10.40.2.0/24', AvailabilityZone: 'us-east-1d' });
    assert.equal((await properties('AWS::EC2::Subnet', chosen)).AvailabilityZone, 'us-east-1d');
  });

  test('a security group name is unique in its VPC ("default" included) and free in another', async () => {
    const first = await vpc('10.50.0.0/16');
    const second = await vpc('10.51.0.0/16');
    const name = uniqueName('web');
    await create('AWS::EC2::SecurityGroup', { GroupDescription: 'web', GroupName: name, VpcId: first });
    const duplicate = await createRequest('AWS::EC2::SecurityGroup', { GroupDescription: 'web', GroupName: name, VpcId: first });
    assert.equal(duplicate.OperationStatus, 'FAILED');
    assert.equal(duplicate.ErrorCode, 'AlreadyExists');
    assert.match(duplicate.StatusMessage ?? '', new RegExp(`^The security group '${name}' already exists for VPC '${first}' \\(Service: Ec2, `));
    await create('AWS::EC2::SecurityGroup', { GroupDescription: 'web', GroupName: name, VpcId: second });
    const reserved = await createRequest('AWS::EC2::SecurityGroup', { GroupDescription: 'd', GroupName: 'default', VpcId: second });
    assert.equal(reserved.ErrorCode, 'AlreadyExists');
  });
});
