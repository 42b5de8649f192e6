/**
 * The EC2 networking rules people test most, as data: a subnet's Availability Zone (defaulted, and checked
 * against the Region's zones), its CIDR inside one of its VPC's blocks and clear of the VPC's other subnets, and a
 * security group's name unique in its VPC. Each entry names a generic check (its `kind`, run by check.ts) and
 * carries the service's error and message with their sources.
 *
 * A rule whose parent is not there (a subnet in a VPC that does not exist) does not fire: that is a broken
 * reference, which the reference checks report as AWS does.
 */
import type { HandlerErrorCode } from '../../domain/vocabulary.js';
import { EC2_SDK_SUFFIX } from './messages.js';

interface RuleFacts {
  type: string;
  errorCode: HandlerErrorCode;
  /** The handler's message (messages.ts). */
  message: string;
  sources: readonly string[];
}

/**
 * The zone property must name a zone of the caller's Region (zones.ts); when the caller names none, AWS picks
 * one, and the zone ID beside it is filled in too. `${Zones}` in the message is the Region's zone list.
 */
export interface ZoneRule extends RuleFacts {
  kind: 'zone';
  zonePath: string;
  zoneIdPath?: string;
}

/** The block at `path` must lie inside the parent's block or one of the blocks associated with the parent. */
export interface CidrWithinRule extends RuleFacts {
  kind: 'cidrWithin';
  path: string;
  parent: { type: string; via: string; block: string };
  /** Further blocks of the parent, each a resource of `type` whose `path` names the parent. */
  associations?: { type: string; path: string; block: string };
}

/** The block at `path` must not overlap the block of another resource of the type with the same `siblingsBy`. */
export interface CidrDisjointRule extends RuleFacts {
  kind: 'cidrDisjoint';
  path: string;
  siblingsBy: string;
}

/** The value at `path` must be unique among resources of the type with the same `within`; `alwaysTaken` names exist in every one. */
export interface UniqueRule extends RuleFacts {
  kind: 'unique';
  path: string;
  within: string;
  alwaysTaken?: readonly string[];
}

export type CreateRule = ZoneRule | CidrWithinRule | CidrDisjointRule | UniqueRule;

export const CREATE_RULES: readonly CreateRule[] = [
  {
    kind: 'zone',
    type: 'AWS::EC2::Subnet',
    zonePath: 'AvailabilityZone',
    zoneIdPath: 'AvailabilityZoneId',
    // CreateSubnet's AvailabilityZone: "Default: Amazon Web Services selects one for you. If you create more than
    // one subnet in your VPC, we do not necessarily select a different zone for each subnet." ccapi picks the
    // Region's first zone. A zone outside the Region, through Cloud Control's AWS::EC2::Subnet handler:
    // `Resource handler returned message: "Value (test-region-1c) for parameter availabilityZone is invalid.
    // Subnets can currently only be created in the following availability zones: us-east-1a, us-east-1b,
    // us-east-1c, us-east-1d, us-east-1e, us-east-1f. (Service: Ec2, Status Code: 400, Request ID: …)"
    // (RequestToken: …, HandlerErrorCode: InvalidRequest)` (aws/aws-cdk#32017). EC2's code is InvalidParameterValue.
    // An AvailabilityZoneId outside the Region is not refused: no capture of EC2's message for it exists.
    errorCode: 'InvalidRequest',
    message:
      'Value (${AvailabilityZone}) for parameter availabilityZone is invalid. Subnets can currently only be created in the following availability zones: ${Zones}.' +
      EC2_SDK_SUFFIX,
    sources: [
      'https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateSubnet.html',
      'https://github.com/aws/aws-cdk/issues/32017',
      'https://github.com/crossplane-contrib/provider-aws/issues/1048',
    ],
  },
  {
    kind: 'cidrWithin',
    type: 'AWS::EC2::Subnet',
    path: 'CidrBlock',
    // A subnet's block is a subset of its VPC's: the VPC's primary block or one associated later
    // (AWS::EC2::VPCCidrBlock). EC2 refuses another with InvalidSubnet.Range: "The CIDR '10.10.1.0/24' is
    // invalid." (pulumi/pulumi-awsx#111; kubernetes/kops#15841, a subnet in a VPC block not yet associated).
    // HandlerErrorCode: no capture; the Subnet handler maps EC2's 400 client errors to InvalidRequest (the zone
    // rule above, its DependencyViolation in delete-refusals.ts).
    parent: { type: 'AWS::EC2::VPC', via: 'VpcId', block: 'CidrBlock' },
    associations: { type: 'AWS::EC2::VPCCidrBlock', path: 'VpcId', block: 'CidrBlock' },
    errorCode: 'InvalidRequest',
    message: "The CIDR '${CidrBlock}' is invalid." + EC2_SDK_SUFFIX,
    sources: [
      'https://docs.aws.amazon.com/vpc/latest/userguide/subnet-sizing.html',
      'https://github.com/pulumi/pulumi-awsx/issues/111',
      'https://github.com/kubernetes/kops/pull/15841',
    ],
  },
  {
    kind: 'cidrDisjoint',
    type: 'AWS::EC2::Subnet',
    path: 'CidrBlock',
    siblingsBy: 'VpcId',
    // "The CIDR blocks of the subnets in a VPC can't overlap." Through the AWS::EC2::Subnet handler:
    // `Resource handler returned message: "The CIDR '10.0.32.0/20' conflicts with another subnet (Service: Ec2,
    // Status Code: 400, Request ID: …)" (RequestToken: …, HandlerErrorCode: AlreadyExists)`
    // (aws-samples/aws-genai-llm-chatbot#153). EC2's code is InvalidSubnet.Conflict (hashicorp/terraform#33470).
    errorCode: 'AlreadyExists',
    message: "The CIDR '${CidrBlock}' conflicts with another subnet" + EC2_SDK_SUFFIX,
    sources: [
      'https://docs.aws.amazon.com/vpc/latest/userguide/subnet-sizing.html',
      'https://github.com/aws-samples/aws-genai-llm-chatbot/issues/153',
      'https://github.com/hashicorp/terraform/issues/33470',
    ],
  },
  {
    kind: 'unique',
    type: 'AWS::EC2::SecurityGroup',
    path: 'GroupName',
    within: 'VpcId',
    // "you can't have two security groups for use in a VPC with the same name" (CreateSecurityGroup). Every VPC
    // has a security group named "default" (DeleteVpc deletes "the VPC's default security group"), for which ccapi
    // keeps no resource (but in the default VPC), so the name is taken in every VPC. EC2: "InvalidGroup.Duplicate: The security group
    // 'secgrp-app' already exists for VPC 'vpc-c05da2a6'" (hashicorp/terraform#15428; dask/dask-cloudprovider#198).
    // HandlerErrorCode: no capture for this type; AlreadyExists, as the Subnet handler gives EC2's
    // InvalidSubnet.Conflict (the rule above).
    alwaysTaken: ['default'],
    errorCode: 'AlreadyExists',
    message: "The security group '${GroupName}' already exists for VPC '${VpcId}'" + EC2_SDK_SUFFIX,
    sources: [
      'https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateSecurityGroup.html',
      'https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DeleteVpc.html',
      'https://github.com/hashicorp/terraform/issues/15428',
      'https://github.com/dask/dask-cloudprovider/issues/198',
    ],
  },
];
