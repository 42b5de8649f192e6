/**
 * CloudFormation ListHookResults for Cloud Control targets: `TargetType=CLOUD_CONTROL`, `TargetId=<the
 * ProgressEvent's HooksRequestToken>` lists what each pre-provision hook decided, as the Cloud Control user
 * guide describes. Listing every invocation (no target, or by TypeArn alone) is not supported: the other
 * parameter combinations answer ValidationError saying so.
 */
import { createHash } from 'node:crypto';
import type { HookProgressEvent } from '../engine/records.js';
import type { Member } from '../protocol/operations.js';
import { QueryError, type XmlStruct } from '../protocol/query.js';
import type { ApiContext, Caller } from './context.js';

const TARGET_TYPES = ['CHANGE_SET', 'STACK', 'RESOURCE', 'CLOUD_CONTROL'] as const;
const HOOK_STATUSES = ['HOOK_IN_PROGRESS', 'HOOK_COMPLETE_SUCCEEDED', 'HOOK_COMPLETE_FAILED', 'HOOK_FAILED'] as const;

const m = (shape: string, type: Member['type']): Member => ({ shape, type });

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
function notFound(targetId: string): QueryError {
  return new QueryError('HookResultNotFound', `Hook result for target ${targetId} was not found`, 404);
}

/** A stable id per (invocation, hook): the same answer on every call. */
function hookResultId(hooksRequestToken: string, hookTypeName: string): string {
  const hex = createHash('sha256').update(`${hooksRequestToken}/${hookTypeName}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

export async function listHookResults(ctx: Pick<ApiContext, 'engine'>, caller: Caller, input: ListHookResultsInput): Promise<XmlStruct> {
  if (input.TargetType === undefined || input.TargetId === undefined) {
    throw new QueryError('ValidationError', 'ccapi answers ListHookResults by TargetType and TargetId (TargetType=CLOUD_CONTROL, TargetId=<HooksRequestToken>)', 400);
  }
  // Stacks, change sets and resources are CloudFormation's; ccapi only knows Cloud Control requests.
  const record = input.TargetType === 'CLOUD_CONTROL' ? await ctx.engine.byHooksToken(caller, input.TargetId) : undefined;
  if (!record?.hooksProgress) throw notFound(input.TargetId);
  const entries = JSON.parse(record.hooksProgress) as HookProgressEvent[];
  const results = entries
    .filter((h) => (input.Status === undefined || h.HookStatus === input.Status) && (input.TypeArn === undefined || h.HookTypeArn === input.TypeArn.replace(/\/$/, '')))
    .map(
      (h): XmlStruct => ({
        HookResultId: hookResultId(record.hooksRequestToken!, h.HookTypeName),
        InvocationPoint: h.InvocationPoint,
        FailureMode: h.FailureMode,
        TypeName: h.HookTypeName,
        TypeVersionId: h.HookTypeVersionId,
        Status: h.HookStatus,
        HookStatusReason: h.HookStatusMessage,
        InvokedAt: new Date(h.HookEventTime * 1000),
        TargetType: 'CLOUD_CONTROL',
        TargetId: input.TargetId,
        TypeArn: h.HookTypeArn,
        HookExecutionTarget: record.token,
      }),
    );
  return { TargetType: 'CLOUD_CONTROL', TargetId: input.TargetId, HookResults: results };
}
