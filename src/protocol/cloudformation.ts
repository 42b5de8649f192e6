/**
 * The CloudFormation registry API's wire table (query protocol, botocore cloudformation 2010-05-15): version,
 * namespace and signing name, the input members of DescribeType, ListTypes and ListHookResults with the
 * model's constraints, the outputs ccapi fills, and the service's own errors with their statuses.
 * api/cloudformation.test.ts compares the shapes with the installed botocore model.
 */
import type { Member, StringShape } from './operations.js';
import { QueryError } from './errors.js';
import type { XmlStruct } from './xml.js';

export const CLOUDFORMATION_VERSION = '2010-05-15';
export const CLOUDFORMATION_NAMESPACE = 'http://cloudformation.amazonaws.com/doc/2010-05-15/';
/** The SigV4 signing name (credential scope service) of CloudFormation. */
export const CLOUDFORMATION_SIGNING_NAME = 'cloudformation';

// ---------------------------------------------------------------------------------------------------------
// Wire shapes (botocore cloudformation 2010-05-15; cloudformation.test.ts compares them with the model)

const REGISTRY_TYPES = ['RESOURCE', 'MODULE', 'HOOK'] as const;
const VISIBILITIES = ['PUBLIC', 'PRIVATE'] as const;
const PROVISIONING_TYPES = ['NON_PROVISIONABLE', 'IMMUTABLE', 'FULLY_MUTABLE'] as const;
const DEPRECATED_STATUSES = ['LIVE', 'DEPRECATED'] as const;
const CATEGORIES = ['REGISTERED', 'ACTIVATED', 'THIRD_PARTY', 'AWS_TYPES'] as const;

export type RegistryType = (typeof REGISTRY_TYPES)[number];
export type Visibility = (typeof VISIBILITIES)[number];
export type ProvisioningType = (typeof PROVISIONING_TYPES)[number];
export type DeprecatedStatus = (typeof DEPRECATED_STATUSES)[number];
export type Category = (typeof CATEGORIES)[number];

const TypeName: StringShape = { kind: 'string', min: 10, max: 204, pattern: '[A-Za-z0-9]{2,64}::[A-Za-z0-9]{2,64}::[A-Za-z0-9]{2,64}(::MODULE){0,1}' };
const TypeArn: StringShape = { kind: 'string', max: 1024, pattern: 'arn:aws[A-Za-z0-9-]{0,64}:cloudformation:[A-Za-z0-9-]{1,64}:([0-9]{12})?:type/.+' };
const TypeVersionId: StringShape = { kind: 'string', min: 1, max: 128, pattern: '[A-Za-z0-9-]+' };
const PublisherId: StringShape = { kind: 'string', min: 1, max: 40, pattern: '[0-9a-zA-Z]{12,40}' };
const PublicVersionNumber: StringShape = { kind: 'string', min: 5, pattern: '^(0|[1-9]\\d*)\\.(0|[1-9]\\d*)\\.(.*)$' };
/**
 * The pattern the service enforces, as its ValidationError quotes it (aws-cloudformation/cloudformation-cli
 * PR #1022): the botocore model's pattern plus a trailing `(:[A-Za-z0-9:]{2,64}){0,1}`.
 */
export const TYPE_NAME_PREFIX_PATTERN = '([A-Za-z0-9]{2,64}::){0,2}([A-Za-z0-9]{2,64}:?){0,1}(:[A-Za-z0-9:]{2,64}){0,1}';
const TypeNamePrefix: StringShape = { kind: 'string', min: 1, max: 204, pattern: TYPE_NAME_PREFIX_PATTERN };
const NextToken: StringShape = { kind: 'string', min: 1, max: 1024 };
const enumOf = (values: readonly string[]): StringShape => ({ kind: 'string', enum: values });
const m = (shape: string, type: Member['type']): Member => ({ shape, type });

export const CLOUDFORMATION_OPERATIONS = {
  DescribeType: {
    Type: m('RegistryType', enumOf(REGISTRY_TYPES)),
    TypeName: m('TypeName', TypeName),
    Arn: m('TypeArn', TypeArn),
    VersionId: m('TypeVersionId', TypeVersionId),
    PublisherId: m('PublisherId', PublisherId),
    PublicVersionNumber: m('PublicVersionNumber', PublicVersionNumber),
  },
  ListTypes: {
    Visibility: m('Visibility', enumOf(VISIBILITIES)),
    ProvisioningType: m('ProvisioningType', enumOf(PROVISIONING_TYPES)),
    DeprecatedStatus: m('DeprecatedStatus', enumOf(DEPRECATED_STATUSES)),
    Type: m('RegistryType', enumOf(REGISTRY_TYPES)),
    Filters: m('TypeFilters', {
      kind: 'structure',
      members: {
        Category: m('Category', enumOf(CATEGORIES)),
        PublisherId: m('PublisherId', PublisherId),
        TypeNamePrefix: m('TypeNamePrefix', TypeNamePrefix),
      },
    }),
    MaxResults: m('MaxResults', { kind: 'integer', min: 1, max: 100 }),
    NextToken: m('NextToken', NextToken),
  },
} as const satisfies Record<string, Record<string, Member>>;

export type CloudFormationOperation = keyof typeof CLOUDFORMATION_OPERATIONS;

export interface DescribeTypeInput {
  Type?: RegistryType;
  TypeName?: string;
  Arn?: string;
  VersionId?: string;
  PublisherId?: string;
  PublicVersionNumber?: string;
}

export interface ListTypesInput {
  Visibility?: Visibility;
  ProvisioningType?: ProvisioningType;
  DeprecatedStatus?: DeprecatedStatus;
  Type?: RegistryType;
  Filters?: { Category?: Category; PublisherId?: string; TypeNamePrefix?: string };
  MaxResults?: number;
  NextToken?: string;
}

/** DescribeTypeOutput members ccapi fills, in the model's order. */
export interface DescribeTypeOutput extends XmlStruct {
  Arn: string;
  Type: RegistryType;
  TypeName: string;
  DefaultVersionId: string;
  IsDefaultVersion: boolean;
  Description: string | undefined;
  Schema: string;
  ProvisioningType: ProvisioningType;
  DeprecatedStatus: DeprecatedStatus;
  Visibility: Visibility;
  SourceUrl: string | undefined;
  DocumentationUrl: string | undefined;
  LastUpdated: Date;
  TimeCreated: Date;
}

export interface TypeSummary extends XmlStruct {
  Type: RegistryType;
  TypeName: string;
  DefaultVersionId: string;
  TypeArn: string;
  LastUpdated: Date;
  Description: string | undefined;
}

export interface ListTypesOutput extends XmlStruct {
  TypeSummaries: TypeSummary[];
  NextToken: string | undefined;
}

// ---------------------------------------------------------------------------------------------------------
// Errors (status from the botocore model's `error` traits)

/** TypeNotFoundException: `error: {code: TypeNotFoundException, httpStatusCode: 404, senderFault: true}`. */
export function typeNotFound(what: string): QueryError {
  // Observed wording: "The type 'AWS::Serverless::Api' cannot be found." (HTTP 404)
  return new QueryError('TypeNotFoundException', `The type '${what}' cannot be found.`, 404);
}

/** CFNRegistryException: `error: {code: CFNRegistryException, httpStatusCode: 400, senderFault: true}`. */
export function registryException(message: string): QueryError {
  return new QueryError('CFNRegistryException', message, 400);
}

// ---------------------------------------------------------------------------------------------------------
// ListHookResults

const TARGET_TYPES = ['CHANGE_SET', 'STACK', 'RESOURCE', 'CLOUD_CONTROL'] as const;
const HOOK_STATUSES = ['HOOK_IN_PROGRESS', 'HOOK_COMPLETE_SUCCEEDED', 'HOOK_COMPLETE_FAILED', 'HOOK_FAILED'] as const;

/** The members of ListHookResultsInput (botocore cloudformation 2010-05-15). */
export const LIST_HOOK_RESULTS_MEMBERS = {
  TargetType: m('ListHookResultsTargetType', { kind: 'string', enum: TARGET_TYPES }),
  TargetId: m('HookResultId', {
    kind: 'string',
    min: 1,
    max: 1600,
    pattern: '[a-zA-Z][-a-zA-Z0-9]*|arn:[-a-zA-Z0-9:/]*|^[a-f0-9]{8}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{12}$',
  }),
  TypeArn: m('HookTypeArn', { kind: 'string', max: 1024, pattern: 'arn:aws[A-Za-z0-9-]{0,64}:cloudformation:[A-Za-z0-9-]{1,64}:([0-9]{12})?:type/hook/[A-Za-z0-9-]+/?' }),
  Status: m('HookStatus', { kind: 'string', enum: HOOK_STATUSES }),
  NextToken: m('NextToken', { kind: 'string', min: 1, max: 1024 }),
} as const satisfies Record<string, Member>;

export interface ListHookResultsInput {
  TargetType?: (typeof TARGET_TYPES)[number];
  TargetId?: string;
  TypeArn?: string;
  Status?: (typeof HOOK_STATUSES)[number];
  NextToken?: string;
}

/** HookResultNotFoundException: `error: {code: HookResultNotFound, httpStatusCode: 404, senderFault: true}`. */
export function hookResultNotFound(targetId: string): QueryError {
  return new QueryError('HookResultNotFound', `Hook result for target ${targetId} was not found`, 404);
}
