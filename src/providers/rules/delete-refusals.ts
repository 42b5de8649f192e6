/**
 * Deletes the service refuses, as data: a resource others still use (a VPC with subnets, a security group
 * another group's rules name, an attached internet gateway, an ECS cluster with services) is not deleted; the
 * handler fails with the service's error and nothing changes. check.ts reads these entries; a contributor adds a
 * refusal by adding an entry here, with its sources, never code.
 *
 * Where AWS deletes anyway, there is no entry, and ccapi deletes too: a VPC's secondary CIDR associations
 * (AWS::EC2::VPCCidrBlock) and its default security group, network ACL and main route table go with it
 * ("When you delete the VPC, it deletes the VPC's default security group, network ACL, and route table",
 * https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DeleteVpc.html); a security group's own rules
 * (AWS::EC2::SecurityGroupIngress/Egress whose GroupId is the group) are part of the group.
 *
 * Messages: Cloud Control's StatusMessage is the handler's message, which for the EC2 handlers is the EC2 error
 * message followed by the AWS SDK's " (Service: Ec2, Status Code: 400, Request ID: …)", as CloudFormation shows it
 * inside `Resource handler returned message: "…"` (aws/copilot-cli#5481, quoted below). `${Name}` is a property of
 * the resource being deleted; `${RequestId}` is a fresh request id, as each refused call has its own.
 */
import type { HandlerErrorCode } from '../../domain/vocabulary.js';
import { EC2_SDK_SUFFIX as EC2_SDK } from './messages.js';

/** A condition on one property of a model: it holds when the value at `path` equals `equals`. */
export interface PropertyTest {
  path: string;
  equals: string;
}

/** Resources of `type` whose value at `path` ('/'-separated, '*' for array elements) names the resource being deleted. */
export interface Dependent {
  type: string;
  path: string;
  /** A dependent that does not block when this holds (the VPC's own default security group). */
  unless?: PropertyTest;
  /**
   * The default VPC's main route table does not block: AWS deletes a VPC's main route table with it, and the only
   * main route table ccapi keeps as a resource is the default VPC's (providers/default-vpc.ts), which no schema
   * property marks as main, so it is told by its identifier.
   */
  unlessDefaultVpcMainRouteTable?: true;
}

export interface DeleteRefusal {
  /** The type whose delete the service refuses. */
  type: string;
  /** Refused while any of these exist (in the same account and Region). */
  blockedBy?: readonly Dependent[];
  /** The properties of the deleted resource a dependent may hold (a cluster is named by ClusterName or by Arn). */
  referencedAs?: readonly string[];
  /** Refused whatever depends on it, when the resource itself is so (the default security group). */
  refusedWhen?: PropertyTest;
  errorCode: HandlerErrorCode;
  /** The handler's message, a template over the deleted resource's model (see the header). */
  message: string;
  /** Where the facts come from: the error, its message, the HandlerErrorCode, what blocks. */
  sources: readonly string[];
}

/**
 * The HandlerErrorCode the EC2 handlers give a DependencyViolation. Captured for AWS::EC2::Subnet:
 * `Resource handler returned message: "The subnet 'subnet-018a56d9f6694def5' has dependencies and cannot be
 * deleted. (Service: Ec2, Status Code: 400, Request ID: …)" (RequestToken: …, HandlerErrorCode: InvalidRequest)`
 * (aws/copilot-cli#5481). No public capture shows the VPC, SecurityGroup, RouteTable or InternetGateway handler's code for the
 * same EC2 error; they are the same family of handlers mapping the same EC2 400, so ccapi uses the Subnet's.
 */
const DEPENDENCY_VIOLATION: HandlerErrorCode = 'InvalidRequest';

export const DELETE_REFUSALS: readonly DeleteRefusal[] = [
  {
    type: 'AWS::EC2::VPC',
    referencedAs: ['VpcId'],
    blockedBy: [
      { type: 'AWS::EC2::Subnet', path: 'VpcId' },
      // "delete all security groups associated with the VPC (except the default one)".
      { type: 'AWS::EC2::SecurityGroup', path: 'VpcId', unless: { path: 'GroupName', equals: 'default' } },
      // "You must detach or delete all gateways … associated with the VPC": an attachment is the gateway attached.
      { type: 'AWS::EC2::VPCGatewayAttachment', path: 'VpcId' },
      // "delete all route tables associated with the VPC (except the default one)". A route table created through
      // Cloud Control is never the VPC's main one; the default VPC's main route table is (see Dependent).
      { type: 'AWS::EC2::RouteTable', path: 'VpcId', unlessDefaultVpcMainRouteTable: true },
      { type: 'AWS::EC2::EgressOnlyInternetGateway', path: 'VpcId' },
      { type: 'AWS::EC2::VPCEndpoint', path: 'VpcId' },
    ],
    errorCode: DEPENDENCY_VIOLATION,
    message: "The vpc '${VpcId}' has dependencies and cannot be deleted." + EC2_SDK,
    sources: [
      // What must go first: gateways, instances, security groups but the default one, route tables but the main one.
      'https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DeleteVpc.html',
      // Subnets, security groups, route tables, internet gateways, VPC endpoints among the dependencies to remove.
      'https://repost.aws/knowledge-center/troubleshoot-dependency-error-delete-vpc',
      // An egress-only internet gateway blocks it: gruntwork-io/cloud-nuke#345.
      // The message, verbatim from EC2: "DependencyViolation: The vpc 'vpc-0f528a336d9bb8bea' has dependencies and
      // cannot be deleted." (terraform-aws-modules/terraform-aws-vpc#540; aws/aws-cdk#14456 with the SDK suffix).
      'https://github.com/terraform-aws-modules/terraform-aws-vpc/issues/540',
      'https://github.com/aws/aws-cdk/issues/14456',
      'https://github.com/aws/copilot-cli/issues/5481',
    ],
  },
  {
    type: 'AWS::EC2::Subnet',
    referencedAs: ['SubnetId'],
    blockedBy: [
      { type: 'AWS::EC2::NetworkInterface', path: 'SubnetId' },
      { type: 'AWS::EC2::Instance', path: 'SubnetId' },
      // A NAT gateway holds a network interface in its subnet (its EniId, API_NatGateway); "Check for lingering
      // ENIs in the Subnet" (hashicorp/terraform-provider-aws#9495, a maintainer on DependencyViolation).
      { type: 'AWS::EC2::NatGateway', path: 'SubnetId' },
    ],
    errorCode: DEPENDENCY_VIOLATION,
    message: "The subnet '${SubnetId}' has dependencies and cannot be deleted." + EC2_SDK,
    sources: [
      'https://github.com/aws/copilot-cli/issues/5481',
      'https://github.com/hashicorp/terraform-provider-aws/issues/9495',
      'https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_NatGateway.html',
    ],
  },
  {
    // EC2 refuses the default group before it looks at dependents: "CannotDelete … the specified group:
    // \"sg-963ca3aa\" name: \"default\" cannot be deleted by a user" (alantech/iasql#654, an SDK error it logged).
    // HandlerErrorCode: no capture; the EC2 handlers' mapping of a 400 client error (see DEPENDENCY_VIOLATION).
    type: 'AWS::EC2::SecurityGroup',
    refusedWhen: { path: 'GroupName', equals: 'default' },
    errorCode: DEPENDENCY_VIOLATION,
    message: 'the specified group: "${GroupId}" name: "default" cannot be deleted by a user' + EC2_SDK,
    sources: ['https://github.com/alantech/iasql/pull/654'],
  },
  {
    type: 'AWS::EC2::SecurityGroup',
    referencedAs: ['GroupId'],
    blockedBy: [
      // Another group's rules naming this one (a group's rules naming itself do not block: it is the group deleted).
      { type: 'AWS::EC2::SecurityGroup', path: 'SecurityGroupIngress/*/SourceSecurityGroupId' },
      { type: 'AWS::EC2::SecurityGroup', path: 'SecurityGroupEgress/*/DestinationSecurityGroupId' },
      { type: 'AWS::EC2::SecurityGroupIngress', path: 'SourceSecurityGroupId' },
      { type: 'AWS::EC2::SecurityGroupEgress', path: 'DestinationSecurityGroupId' },
      // A network interface (an instance's, a load balancer's) using the group.
      { type: 'AWS::EC2::NetworkInterface', path: 'GroupSet/*' },
      { type: 'AWS::EC2::Instance', path: 'SecurityGroupIds/*' },
    ],
    errorCode: DEPENDENCY_VIOLATION,
    message: 'resource ${GroupId} has a dependent object' + EC2_SDK,
    sources: [
      // "DependencyViolation: resource sg-07e70ed691d14d9aa has a dependent object", a group named in another's
      // ingress rules (gruntwork-io/cloud-nuke#316, #726); a network interface using it (alantech/iasql#654,
      // binxio/cfn-postgresql-user-provider#9, aws/aws-cdk#14456).
      'https://github.com/gruntwork-io/cloud-nuke/issues/316',
      'https://github.com/gruntwork-io/cloud-nuke/issues/726',
      'https://github.com/alantech/iasql/pull/654',
      'https://github.com/aws/aws-cdk/issues/14456',
    ],
  },
  {
    type: 'AWS::EC2::RouteTable',
    referencedAs: ['RouteTableId'],
    // "You must disassociate the route table from any subnets before you can delete it." (DeleteRouteTable). Its
    // routes are part of it (AWS::EC2::Route resources go with the table).
    blockedBy: [
      { type: 'AWS::EC2::SubnetRouteTableAssociation', path: 'RouteTableId' },
      { type: 'AWS::EC2::GatewayRouteTableAssociation', path: 'RouteTableId' },
    ],
    errorCode: DEPENDENCY_VIOLATION,
    message: "The routeTable '${RouteTableId}' has dependencies and cannot be deleted." + EC2_SDK,
    sources: [
      'https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DeleteRouteTable.html',
      // "The routeTable 'rtb-0faff2a3b28fcdf39' has dependencies and cannot be deleted." (saltstack/salt#60140).
      'https://github.com/saltstack/salt/issues/60140',
    ],
  },
  {
    type: 'AWS::EC2::InternetGateway',
    referencedAs: ['InternetGatewayId'],
    // Still attached to a VPC: "You must detach the internet gateway from the VPC before you can delete it."
    blockedBy: [{ type: 'AWS::EC2::VPCGatewayAttachment', path: 'InternetGatewayId' }],
    errorCode: DEPENDENCY_VIOLATION,
    message: "The internetGateway '${InternetGatewayId}' has dependencies and cannot be deleted." + EC2_SDK,
    sources: [
      'https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DeleteInternetGateway.html',
      // "DependencyViolation: The internetGateway 'igw-9a69f6fe' has dependencies and cannot be deleted."
      // (giantswarm/aws-operator#109; awslabs/landing-zone-accelerator-on-aws#765).
      'https://github.com/giantswarm/aws-operator/issues/109',
      'https://github.com/awslabs/landing-zone-accelerator-on-aws/issues/765',
    ],
  },
  {
    type: 'AWS::ECS::Cluster',
    // A service names its cluster by short name or full ARN (ECS CreateService: "The short name or full Amazon
    // Resource Name (ARN) of the cluster").
    referencedAs: ['ClusterName', 'Arn'],
    blockedBy: [{ type: 'AWS::ECS::Service', path: 'Cluster' }],
    // The AWS::ECS::Cluster handler wraps ECS's refusal as GeneralServiceException: `Error occurred during operation
    // 'DeleteClusters SDK Error: The Cluster cannot be deleted while Container Instances are active or draining.
    // (Service: AmazonECS; Status Code: 400; Error Code: ClusterContainsContainerInstancesException; Request ID: …;
    // Proxy: null)'.` (RequestToken: …, HandlerErrorCode: GeneralServiceException)
    // (aws-samples/aws-scalable-big-blue-button-example#79). With services, ECS's error is
    // "ClusterContainsServicesException: The Cluster cannot be deleted while Services are active."
    // (rebuy-de/aws-nuke#231; aws/amazon-cloudwatch-agent#1799): the same wrapping around it.
    errorCode: 'GeneralServiceException',
    message:
      "Error occurred during operation 'DeleteClusters SDK Error: The Cluster cannot be deleted while Services are active. " +
      "(Service: AmazonECS; Status Code: 400; Error Code: ClusterContainsServicesException; Request ID: ${RequestId}; Proxy: null)'.",
    sources: [
      'https://github.com/aws-samples/aws-scalable-big-blue-button-example/issues/79',
      'https://github.com/rebuy-de/aws-nuke/issues/231',
      'https://github.com/aws/amazon-cloudwatch-agent/pull/1799',
      'https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_CreateService.html',
    ],
  },
];
