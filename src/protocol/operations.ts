/**
 * The Cloud Control operation table: every operation's input members with the service model's
 * constraints, written once as typed data. Parsing and validation are generic over it, and
 * operations.test.ts compares it with the botocore model installed on the machine, so drift is caught.
 */
import { OPERATION_STATUS_ENUM, OPERATIONS_ENUM, type OperationStatus, type OperationType } from '../domain/vocabulary.js';

export interface StringShape {
  kind: 'string';
  min?: number;
  max?: number;
  pattern?: string;
  enum?: readonly string[];
}
export interface IntegerShape {
  kind: 'integer';
  min?: number;
  max?: number;
}
export interface ListShape {
  kind: 'list';
  member: Shape;
}
export interface StructureShape {
  kind: 'structure';
  members: Readonly<Record<string, Member>>;
}
export type Shape = StringShape | IntegerShape | ListShape | StructureShape;

export interface Member {
  /** The botocore shape name, kept for the drift test and for error messages. */
  shape: string;
  type: Shape;
  required?: boolean;
}

const TypeName: StringShape = { kind: 'string', min: 10, max: 196, pattern: '[A-Za-z0-9]{2,64}::[A-Za-z0-9]{2,64}::[A-Za-z0-9]{2,64}' };
const TypeVersionId: StringShape = { kind: 'string', min: 1, max: 128, pattern: '[A-Za-z0-9-]+' };
const RoleArn: StringShape = { kind: 'string', min: 20, max: 2048, pattern: 'arn:.+:iam::[0-9]{12}:role/.+' };
const ClientToken: StringShape = { kind: 'string', min: 1, max: 128, pattern: '[-A-Za-z0-9+/=]+' };
const RequestToken: StringShape = { kind: 'string', min: 1, max: 128, pattern: '[-A-Za-z0-9+/=]+' };
const Identifier: StringShape = { kind: 'string', min: 1, max: 1024, pattern: '.+' };
/** DesiredState, ResourceModel, Properties: JSON documents carried as strings, "up to 256K". */
/** The largest resource model the service model lets any member carry (DesiredState, ResourceModel, Properties). */
export const MAX_MODEL_LENGTH = 262144;
const Properties: StringShape = { kind: 'string', min: 1, max: MAX_MODEL_LENGTH, pattern: '[\\s\\S]*' };
const PatchDocument: StringShape = { kind: 'string', min: 1, max: 262144, pattern: '[\\s\\S]*' };
const HandlerNextToken: StringShape = { kind: 'string', min: 1, max: 4096, pattern: '.+' };
const NextToken: StringShape = { kind: 'string', min: 1, max: 2048, pattern: '[-A-Za-z0-9+/=]+' };
const MaxResults: IntegerShape = { kind: 'integer', min: 1, max: 100 };


const ResourceRequestStatusFilter: StructureShape = {
  kind: 'structure',
  members: {
    Operations: { shape: 'Operations', type: { kind: 'list', member: { kind: 'string', enum: OPERATIONS_ENUM } } },
    OperationStatuses: { shape: 'OperationStatuses', type: { kind: 'list', member: { kind: 'string', enum: OPERATION_STATUS_ENUM } } },
  },
};

const m = (shape: string, type: Shape, required = false): Member => (required ? { shape, type, required } : { shape, type });

export const OPERATION_TABLE = {
  CreateResource: {
    TypeName: m('TypeName', TypeName, true),
    TypeVersionId: m('TypeVersionId', TypeVersionId),
    RoleArn: m('RoleArn', RoleArn),
    ClientToken: m('ClientToken', ClientToken),
    DesiredState: m('Properties', Properties, true),
  },
  GetResource: {
    TypeName: m('TypeName', TypeName, true),
    TypeVersionId: m('TypeVersionId', TypeVersionId),
    RoleArn: m('RoleArn', RoleArn),
    Identifier: m('Identifier', Identifier, true),
  },
  UpdateResource: {
    TypeName: m('TypeName', TypeName, true),
    TypeVersionId: m('TypeVersionId', TypeVersionId),
    RoleArn: m('RoleArn', RoleArn),
    ClientToken: m('ClientToken', ClientToken),
    Identifier: m('Identifier', Identifier, true),
    PatchDocument: m('PatchDocument', PatchDocument, true),
  },
  DeleteResource: {
    TypeName: m('TypeName', TypeName, true),
    TypeVersionId: m('TypeVersionId', TypeVersionId),
    RoleArn: m('RoleArn', RoleArn),
    ClientToken: m('ClientToken', ClientToken),
    Identifier: m('Identifier', Identifier, true),
  },
  ListResources: {
    TypeName: m('TypeName', TypeName, true),
    TypeVersionId: m('TypeVersionId', TypeVersionId),
    RoleArn: m('RoleArn', RoleArn),
    NextToken: m('HandlerNextToken', HandlerNextToken),
    MaxResults: m('MaxResults', MaxResults),
    ResourceModel: m('Properties', Properties),
  },
  GetResourceRequestStatus: {
    RequestToken: m('RequestToken', RequestToken, true),
  },
  ListResourceRequests: {
    MaxResults: m('MaxResults', MaxResults),
    NextToken: m('NextToken', NextToken),
    ResourceRequestStatusFilter: m('ResourceRequestStatusFilter', ResourceRequestStatusFilter),
  },
  CancelResourceRequest: {
    RequestToken: m('RequestToken', RequestToken, true),
  },
} as const satisfies Record<string, Record<string, Member>>;

export type OperationName = keyof typeof OPERATION_TABLE;
export const OPERATION_NAMES = Object.keys(OPERATION_TABLE) as OperationName[];

export function isOperationName(name: string): name is OperationName {
  return Object.prototype.hasOwnProperty.call(OPERATION_TABLE, name);
}

/** Typed inputs, derived by hand from the table (kept beside it so both change together). */
export interface ResourceRequestStatusFilterInput {
  Operations?: OperationType[];
  OperationStatuses?: OperationStatus[];
}
export interface OperationInputs {
  CreateResource: { TypeName: string; TypeVersionId?: string; RoleArn?: string; ClientToken?: string; DesiredState: string };
  GetResource: { TypeName: string; TypeVersionId?: string; RoleArn?: string; Identifier: string };
  UpdateResource: { TypeName: string; TypeVersionId?: string; RoleArn?: string; ClientToken?: string; Identifier: string; PatchDocument: string };
  DeleteResource: { TypeName: string; TypeVersionId?: string; RoleArn?: string; ClientToken?: string; Identifier: string };
  ListResources: { TypeName: string; TypeVersionId?: string; RoleArn?: string; NextToken?: string; MaxResults?: number; ResourceModel?: string };
  GetResourceRequestStatus: { RequestToken: string };
  ListResourceRequests: { MaxResults?: number; NextToken?: string; ResourceRequestStatusFilter?: ResourceRequestStatusFilterInput };
  CancelResourceRequest: { RequestToken: string };
}
