/**
 * The network and compute formats (formats/data/: EC2, ECS, EKS, RDS, ELBv2, CloudFront, Route 53, API Gateway,
 * Cognito, WAFv2) give values shaped as AWS gives them, and the values that must agree do: a load balancer's
 * full name is in its ARN, a listener's ARN in its load balancer's; an EKS endpoint and its OIDC issuer
 * share one id; a VPC's defaults read back after the create.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { cryptoIds } from '../../lib/ids.js';
import { openBuiltInCatalogue } from '../../registry/catalogue.js';
import type { StoredResource } from '../../store/store.js';
import { handlerRequest, type EmulatedResources, type HandlerContext, type ResourceModel } from '../contract.js';
import { completeModel, genericProvider } from '../generic.js';
import type { RealismContext } from '../realism.js';

const builtIn = openBuiltInCatalogue(fileURLToPath(new URL('../../../../../dist/catalogue/', import.meta.url)));

const rc = (typeName: string, region = 'us-east-2', partition = 'aws'): RealismContext => ({
  typeName, accountId: '123456789012', region, partition, ids: cryptoIds, now: Date.UTC(2026, 11, 5),
});

/** The type created from `desired` in `region`, as the generic provider completes it. */
function created(typeName: string, desired: ResourceModel, region = 'us-east-2', partition = 'aws'): ResourceModel {
  const type = builtIn.get(typeName);
  assert.ok(type, `${typeName} is in the built-in catalogue`);
  return completeModel(type, desired, rc(typeName, region, partition));
}

test('VPC: the ids AWS gives, and its defaults read back after the create', async () => {
  const rows = new Map<string, StoredResource>();
  const resources: EmulatedResources = {
    ofType: () => assert.fail('these handlers look up no other type'),
    async get(identifier) {
      return rows.get(identifier);
    },
    async list() {
      return [...rows.values()];
    },
    create(identifier, model) {
      rows.set(identifier, { typeName: 'AWS::EC2::VPC', identifier, properties: JSON.stringify(model), createdAt: 0, updatedAt: 0 });
    },
    update() {},
    delete() {},
  };
  const scope = { accountId: '123456789012', region: 'eu-west-1' };
  const context: HandlerContext = { resourceType: builtIn.get('AWS::EC2::VPC')!, scope, resources, clock: { now: () => 0 }, ids: cryptoIds };
  const create = await genericProvider.create({ ...handlerRequest('CREATE', 'AWS::EC2::VPC', scope, 't1'), desiredResourceState: { CidrBlock: '10.0.0.0/16' } }, context);
  assert.equal(create.status, 'SUCCESS');
  const id = String(create.resourceModel!.VpcId);
  assert.match(id, /^vpc-[0-9a-f]{17}$/);
  const read = await genericProvider.read({ ...handlerRequest('READ', 'AWS::EC2::VPC', scope, 't2'), desiredResourceState: { VpcId: id } }, context);
  const vpc = read.resourceModel!;
  assert.equal(vpc.EnableDnsSupport, true);
  assert.equal(vpc.EnableDnsHostnames, false);
  assert.equal(vpc.InstanceTenancy, 'default');
  assert.match(String(vpc.DefaultNetworkAcl), /^acl-[0-9a-f]{17}$/);
  assert.match(String(vpc.DefaultSecurityGroup), /^sg-[0-9a-f]{17}$/);
  assert.deepEqual(vpc.Ipv6CidrBlocks, []);
  assert.equal((vpc.CidrBlockAssociations as string[]).length, 1);
  assert.match((vpc.CidrBlockAssociations as string[])[0]!, /^vpc-cidr-assoc-[0-9a-f]{17}$/);
  const own = created('AWS::EC2::VPC', { CidrBlock: '10.0.0.0/16', EnableDnsHostnames: true, InstanceTenancy: 'dedicated' });
  assert.equal(own.EnableDnsHostnames, true, 'a value the caller set is kept');
  assert.equal(own.InstanceTenancy, 'dedicated');
});

test('EC2: a security group in a VPC is its GroupId; an instance names its addresses in its DNS names, us-east-1 its own way', () => {
  const sg = created('AWS::EC2::SecurityGroup', { GroupDescription: 'web', VpcId: 'vpc-0123456789abcdef0' });
  assert.equal(sg.Id, sg.GroupId);
  const east = created('AWS::EC2::Instance', { PrivateIpAddress: '10.0.1.25' }, 'us-east-1');
  assert.match(String(east.InstanceId), /^i-[0-9a-f]{17}$/);
  assert.equal(east.PrivateIp, '10.0.1.25');
  assert.equal(east.PrivateDnsName, 'ip-10-0-1-25.ec2.internal');
  assert.match(String(east.PublicIp), /^203\.0\.113\.1\d\d$/);
  assert.equal(east.PublicDnsName, `ec2-${String(east.PublicIp).replaceAll('.', '-')}.compute-1.amazonaws.com`);
  assert.deepEqual(east.State, { Code: '16', Name: 'running' });
  const west = created('AWS::EC2::Instance', {}, 'eu-west-1');
  assert.match(String(west.PrivateIp), /^10\.0\.1\d\d\.1\d\d$/);
  assert.equal(west.PrivateDnsName, `ip-${String(west.PrivateIp).replaceAll('.', '-')}.eu-west-1.compute.internal`);
  assert.equal(west.PublicDnsName, `ec2-${String(west.PublicIp).replaceAll('.', '-')}.eu-west-1.compute.amazonaws.com`);
  const igw = created('AWS::EC2::VPCGatewayAttachment', { VpcId: 'vpc-0123456789abcdef0', InternetGatewayId: 'igw-0123456789abcdef0' });
  assert.equal(igw.AttachmentType, 'IGW');
  const vgw = created('AWS::EC2::VPCGatewayAttachment', { VpcId: 'vpc-0123456789abcdef0', VpnGatewayId: 'vgw-0123456789abcdef0' });
  assert.equal(vgw.AttachmentType, 'VGW');
  const tgw = created('AWS::EC2::TransitGateway', {});
  assert.equal(tgw.TransitGatewayArn, `arn:aws:ec2:us-east-2:123456789012:transit-gateway/${String(tgw.Id)}`);
  assert.equal(created('AWS::EC2::Route', { RouteTableId: 'rtb-0123456789abcdef0', DestinationCidrBlock: '0.0.0.0/0' }).CidrBlock, '0.0.0.0/0');
  assert.equal(created('AWS::EC2::Route', { RouteTableId: 'rtb-0123456789abcdef0', DestinationIpv6CidrBlock: '::/0' }).CidrBlock, '::/0');
  assert.equal(typeof created('AWS::EC2::Route', { RouteTableId: 'rtb-0123456789abcdef0', DestinationPrefixListId: 'pl-0123456789abcdef0' }).CidrBlock, 'string', 'a prefix-list route still has an identifier');
  const zonal = created('AWS::EC2::NatGateway', { SubnetId: 'subnet-0123456789abcdef0' });
  assert.equal(zonal.RouteTableId, undefined, 'a zonal NAT gateway has no route table of its own');
  assert.match(String(created('AWS::EC2::KeyPair', { KeyName: 'k' }).KeyFingerprint), /^([0-9a-f]{2}:){19}[0-9a-f]{2}$/);
  assert.match(String(created('AWS::EC2::KeyPair', { KeyName: 'k', PublicKeyMaterial: 'ssh-rsa AAAA' }).KeyFingerprint), /^([0-9a-f]{2}:){15}[0-9a-f]{2}$/);
});

test('ELB: an ALB DNS name is <name>-<digits>.<region>.elb, an NLB one <name>-<id>.elb.<region>, with the hosted zone of the type and Region', () => {
  const alb = created('AWS::ElasticLoadBalancingV2::LoadBalancer', { Name: 'web' }, 'us-east-1');
  assert.equal(alb.Type, 'application');
  assert.equal(alb.Scheme, 'internet-facing');
  assert.match(String(alb.LoadBalancerArn), /^arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer\/app\/web\/[0-9a-f]{16}$/);
  assert.equal(alb.LoadBalancerFullName, String(alb.LoadBalancerArn).split('loadbalancer/')[1]);
  assert.match(String(alb.DNSName), /^web-\d{10}\.us-east-1\.elb\.amazonaws\.com$/);
  assert.equal(alb.CanonicalHostedZoneID, 'Z35SXDOTRQ7X7K');
  const internal = created('AWS::ElasticLoadBalancingV2::LoadBalancer', { Name: 'api', Scheme: 'internal' }, 'eu-west-1');
  assert.match(String(internal.DNSName), /^internal-api-\d{10}\.eu-west-1\.elb\.amazonaws\.com$/);
  assert.equal(internal.CanonicalHostedZoneID, 'Z32O12XQLNTSW2');
  const nlb = created('AWS::ElasticLoadBalancingV2::LoadBalancer', { Name: 'tcp', Type: 'network' }, 'us-east-2');
  assert.match(String(nlb.LoadBalancerFullName), /^net\/tcp\/[0-9a-f]{16}$/);
  assert.match(String(nlb.DNSName), /^tcp-[0-9a-f]{16}\.elb\.us-east-2\.amazonaws\.com$/);
  assert.equal(nlb.CanonicalHostedZoneID, 'ZLMOA37VPKANP');
  const generated = created('AWS::ElasticLoadBalancingV2::LoadBalancer', {});
  assert.ok(String(generated.Name).length <= 32);
  assert.equal(generated.LoadBalancerName, generated.Name);
  const listener = created('AWS::ElasticLoadBalancingV2::Listener', { LoadBalancerArn: alb.LoadBalancerArn, DefaultActions: [] }, 'us-east-1');
  assert.match(String(listener.ListenerArn), new RegExp(`^${String(alb.LoadBalancerArn).replace('loadbalancer/', 'listener/')}/[0-9a-f]{16}$`));
  const group = created('AWS::ElasticLoadBalancingV2::TargetGroup', { Name: 'apps' });
  assert.equal(group.TargetGroupFullName, String(group.TargetGroupArn).split(':').pop());
  assert.match(String(group.TargetGroupFullName), /^targetgroup\/apps\/[0-9a-f]{16}$/);
});

test('CloudFront: a distribution is E and 13 characters at d<13>.cloudfront.net; a function is LIVE only when published', () => {
  const distribution = created('AWS::CloudFront::Distribution', { DistributionConfig: { Enabled: true } });
  assert.match(String(distribution.Id), /^E[0-9A-Z]{13}$/);
  assert.match(String(distribution.DomainName), /^d[0-9a-z]{13}\.cloudfront\.net$/);
  const draft = created('AWS::CloudFront::Function', { Name: 'rewrite', FunctionCode: 'x', FunctionConfig: { Comment: '', Runtime: 'cloudfront-js-2.0' } });
  assert.equal(draft.FunctionARN, 'arn:aws:cloudfront::123456789012:function/rewrite');
  assert.equal(draft.Stage, 'DEVELOPMENT');
  assert.equal((draft.FunctionMetadata as ResourceModel).FunctionARN, draft.FunctionARN);
  const live = created('AWS::CloudFront::Function', { Name: 'rewrite', AutoPublish: true, FunctionCode: 'x', FunctionConfig: { Comment: '', Runtime: 'cloudfront-js-2.0' } });
  assert.equal(live.Stage, 'LIVE');
});

test('EKS: the endpoint and the OIDC issuer share one upper-case hex id; a key ARN only with encryption', () => {
  const cluster = created('AWS::EKS::Cluster', { Name: 'prod', RoleArn: 'arn:aws:iam::123456789012:role/eks', ResourcesVpcConfig: { SubnetIds: [] } }, 'us-west-2');
  const match = /^https:\/\/([0-9A-F]{32})\.gr7\.us-west-2\.eks\.amazonaws\.com$/.exec(String(cluster.Endpoint));
  assert.ok(match, `endpoint ${String(cluster.Endpoint)}`);
  assert.equal(cluster.OpenIdConnectIssuerUrl, `https://oidc.eks.us-west-2.amazonaws.com/id/${match[1]}`);
  assert.equal(cluster.Arn, 'arn:aws:eks:us-west-2:123456789012:cluster/prod');
  assert.equal(cluster.Id, undefined, 'an id only on Outposts');
  assert.equal(cluster.EncryptionConfigKeyArn, undefined);
  assert.match(Buffer.from(String(cluster.CertificateAuthorityData), 'base64').toString(), /^-----BEGIN CERTIFICATE-----\nMI[\s\S]*\n-----END CERTIFICATE-----\n$/);
  const key = 'arn:aws:kms:us-west-2:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';
  const encrypted = created('AWS::EKS::Cluster', { Name: 'p', RoleArn: 'r', ResourcesVpcConfig: {}, EncryptionConfig: [{ Provider: { KeyArn: key }, Resources: ['secrets'] }] });
  assert.equal(encrypted.EncryptionConfigKeyArn, key);
  const nodes = created('AWS::EKS::Nodegroup', { ClusterName: 'prod', NodegroupName: 'ng', NodeRole: 'r', Subnets: [] });
  assert.equal(nodes.Id, 'prod/ng');
  assert.match(String(nodes.Arn), /^arn:aws:eks:us-east-2:123456789012:nodegroup\/prod\/ng\/[0-9a-f-]{36}$/);
});

test('ECS: a service ARN names its cluster, by name or ARN, and the default cluster without one; a task definition is revision 1', () => {
  const byArn = created('AWS::ECS::Service', { ServiceName: 'web', Cluster: 'arn:aws:ecs:us-east-2:123456789012:cluster/apps' });
  assert.equal(byArn.ServiceArn, 'arn:aws:ecs:us-east-2:123456789012:service/apps/web');
  assert.equal(byArn.Name, 'web');
  assert.equal(created('AWS::ECS::Service', { ServiceName: 'web' }).ServiceArn, 'arn:aws:ecs:us-east-2:123456789012:service/default/web');
  assert.equal(created('AWS::ECS::TaskDefinition', { Family: 'app' }).TaskDefinitionArn, 'arn:aws:ecs:us-east-2:123456789012:task-definition/app:1');
  const repository = created('AWS::ECR::Repository', {});
  assert.equal(repository.ImageTagMutability, 'MUTABLE');
  assert.deepEqual(repository.EncryptionConfiguration, { EncryptionType: 'AES256' });
  assert.deepEqual(repository.ImageScanningConfiguration, { ScanOnPush: false });
});

test('RDS: endpoints name the identifier, the port is the engine default unless given, and a cluster reader shares its writer id', () => {
  const postgres = created('AWS::RDS::DBInstance', { Engine: 'postgres', DBInstanceClass: 'db.t3.micro' });
  const id = String(postgres.DBInstanceIdentifier);
  assert.match(id, /^dbinstance-[a-z0-9]{12}$/);
  const endpoint = postgres.Endpoint as ResourceModel;
  assert.match(String(endpoint.Address), new RegExp(`^${id}\\.[a-z0-9]{12}\\.us-east-2\\.rds\\.amazonaws\\.com$`));
  assert.equal(endpoint.Port, '5432');
  assert.equal(postgres.DBInstanceArn, `arn:aws:rds:us-east-2:123456789012:db:${id}`);
  assert.match(String(postgres.DbiResourceId), /^db-[0-9A-Z]{26}$/);
  assert.equal(postgres.DBInstanceStatus, 'available');
  assert.equal(postgres.PercentProgress, undefined);
  assert.equal(((created('AWS::RDS::DBInstance', { Engine: 'mysql', Port: '3307' }).Endpoint) as ResourceModel).Port, '3307');
  const cluster = created('AWS::RDS::DBCluster', { DBClusterIdentifier: 'orders', Engine: 'aurora-mysql' });
  const writer = String((cluster.Endpoint as ResourceModel).Address);
  assert.match(writer, /^orders\.cluster-[a-z0-9]{12}\.us-east-2\.rds\.amazonaws\.com$/);
  assert.equal((cluster.ReadEndpoint as ResourceModel).Address, writer.replace('.cluster-', '.cluster-ro-'));
  assert.equal((cluster.Endpoint as ResourceModel).Port, '3306');
  assert.equal(postgres.InstanceCreateTime, '2026-12-05T00:00:00.000Z', 'ISO 8601 with Z, as Instant.toString() renders it');
  const group = created('AWS::RDS::DBParameterGroup', { Family: 'postgres16', Description: 'd' });
  assert.equal(group.DBParameterGroupArn, `arn:aws:rds:us-east-2:123456789012:pg:${String(group.DBParameterGroupName)}`);
});

test('subnet: Ipv6CidrBlocks holds the block it was created with, none without one', () => {
  const block = '2001:db8:1234:1a00::/64';
  assert.deepEqual(created('AWS::EC2::Subnet', { VpcId: 'vpc-1', CidrBlock: '10.0.0.0/24', Ipv6CidrBlock: block }).Ipv6CidrBlocks, [block]);
  assert.deepEqual(created('AWS::EC2::Subnet', { VpcId: 'vpc-1', CidrBlock: '10.0.0.0/24' }).Ipv6CidrBlocks, []);
});

test('Route 53, API Gateway, Cognito and WAFv2: zone name servers, execute-api endpoints, pool ids and providers, scoped ARNs', () => {
  const zone = created('AWS::Route53::HostedZone', { Name: 'example.com' });
  assert.match(String(zone.Id), /^Z[0-9A-Z]{13}$/);
  assert.deepEqual((zone.NameServers as string[]).map((ns) => ns.replace(/^ns-\d+\.awsdns-\d\d\./, '')), ['com', 'net', 'org', 'co.uk']);
  assert.equal(created('AWS::Route53::HostedZone', { Name: 'corp.internal', VPCs: [{ VPCId: 'vpc-1', VPCRegion: 'us-east-2' }] }).NameServers, undefined);
  const http = created('AWS::ApiGatewayV2::Api', { Name: 'a', ProtocolType: 'HTTP' });
  assert.equal(http.ApiEndpoint, `https://${String(http.ApiId)}.execute-api.us-east-2.amazonaws.com`);
  assert.match(String(http.ApiId), /^[a-z0-9]{10}$/);
  const ws = created('AWS::ApiGatewayV2::Api', { Name: 'a', ProtocolType: 'WEBSOCKET' });
  assert.equal(ws.ApiEndpoint, `wss://${String(ws.ApiId)}.execute-api.us-east-2.amazonaws.com`);
  const pool = created('AWS::Cognito::UserPool', {}, 'eu-central-1');
  assert.match(String(pool.UserPoolId), /^eu-central-1_[0-9A-Za-z]{9}$/);
  assert.equal(pool.ProviderName, `cognito-idp.eu-central-1.amazonaws.com/${String(pool.UserPoolId)}`);
  assert.equal(pool.ProviderURL, `https://${String(pool.ProviderName)}`);
  const client = created('AWS::Cognito::UserPoolClient', { UserPoolId: String(pool.UserPoolId), ClientName: 'web' });
  assert.match(String(client.ClientId), /^[a-z0-9]{26}$/);
  assert.equal(client.ClientSecret, undefined, 'no secret unless GenerateSecret');
  assert.match(String(created('AWS::Cognito::IdentityPool', { AllowUnauthenticatedIdentities: false }).Id), /^us-east-2:[0-9a-f-]{36}$/);
  const acl = created('AWS::WAFv2::WebACL', { Name: 'edge', Scope: 'CLOUDFRONT', DefaultAction: { Allow: {} }, VisibilityConfig: {} }, 'us-east-1');
  assert.equal(acl.Arn, `arn:aws:wafv2:us-east-1:123456789012:global/webacl/edge/${String(acl.Id)}`);
  assert.equal(acl.LabelNamespace, 'awswaf:123456789012:webacl:edge:');
  assert.equal(acl.Capacity, 0);
});
