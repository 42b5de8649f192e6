/**
 * CloudFormation ListHookResults over Cloud Control requests, in the four combinations the API reference lists:
 *   - `TargetType=CLOUD_CONTROL`, `TargetId=<the ProgressEvent's HooksRequestToken>`: what each pre-provision
 *     hook decided for that request, as the Cloud Control user guide describes (TypeArn and Status narrow it);
 *   - no parameters: every hook invocation in the caller's account and region, newest request first;
 *   - `TypeArn`, optionally with `Status`: those of one hook.
 * Pages hold up to 100 results and never split one request's invocations; NextToken continues after the last
 * request of the page. Other combinations answer ValidationError, as CloudFormation does.
 */
import { createHash } from 'node:crypto';
import type { RequestRecord } from '../domain/records.js';
import type { HookProgressEvent } from '../domain/progress-event.js';
import { commonQueryError } from '../protocol/errors.js';
import { hookResultNotFound, type ListHookResultsInput } from '../protocol/cloudformation.js';
import type { XmlStruct } from '../protocol/xml.js';
import type { ApiContext } from './context.js';
import type { Caller } from '../domain/caller.js';

/** Results per page when listing without a target. */
const PAGE_SIZE = 100;
/** Requests read per store call while filling a page, and at most per ListHookResults call. */
const SCAN_BATCH = 200;
const SCAN_BUDGET = 2_000;

/** A stable id per (invocation, hook): the same answer on every call. */
function hookResultId(hooksRequestToken: string, hookTypeName: string): string {
  const hex = createHash('sha256').update(`${hooksRequestToken}/${hookTypeName}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

const validation = (message: string) => commonQueryError('ValidationError', message);

/** The HookResultSummary entries of one request's hook invocations that pass the TypeArn and Status filters. */
function summaries(record: RequestRecord, input: ListHookResultsInput): XmlStruct[] {
  if (!record.hooksProgress || !record.hooksRequestToken) return [];
  const typeArn = input.TypeArn?.replace(/\/$/, '');
  const entries = JSON.parse(record.hooksProgress) as HookProgressEvent[];
  return entries
    .filter((h) => (input.Status === undefined || h.HookStatus === input.Status) && (typeArn === undefined || h.HookTypeArn === typeArn))
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
        TargetId: record.hooksRequestToken!,
        TypeArn: h.HookTypeArn,
        HookExecutionTarget: record.token,
      }),
    );
}

/** Page tokens name the last request read, so requests accepted meanwhile never shift a page. */
const encodePageToken = (seq: number) => Buffer.from(`hooks:${seq}`).toString('base64');
function decodePageToken(token: string): number {
  const match = /^hooks:(\d+)$/.exec(Buffer.from(token, 'base64').toString('utf8'));
  if (!match) throw validation('Invalid NextToken');
  return Number(match[1]);
}

export async function listHookResults(ctx: Pick<ApiContext, 'engine'>, caller: Caller, input: ListHookResultsInput): Promise<XmlStruct> {
  if ((input.TargetType === undefined) !== (input.TargetId === undefined)) {
    throw validation('TargetType and TargetId must be given together (TargetType=CLOUD_CONTROL, TargetId=<HooksRequestToken>)');
  }
  if (input.TargetType !== undefined && input.TargetId !== undefined) {
    // Stacks, change sets and resources are CloudFormation's; ccapi only knows Cloud Control requests.
    const record = input.TargetType === 'CLOUD_CONTROL' ? await ctx.engine.byHooksToken(caller, input.TargetId) : undefined;
    if (!record?.hooksProgress) throw hookResultNotFound(input.TargetId);
    return { TargetType: 'CLOUD_CONTROL', TargetId: input.TargetId, HookResults: summaries(record, input) };
  }
  if (input.Status !== undefined && input.TypeArn === undefined) throw validation('Status can only be used together with TypeArn');

  // Every invocation in the caller's scope (or one hook's): newest request first, whole requests per page.
  let before = input.NextToken === undefined ? undefined : decodePageToken(input.NextToken);
  const results: XmlStruct[] = [];
  let scanned = 0;
  for (;;) {
    const records = await ctx.engine.list(caller, {}, before, SCAN_BATCH);
    for (const record of records) {
      before = record.seq!;
      results.push(...summaries(record, input));
      // A full page, or enough read for one call (a rare hook among many requests): the caller pages on.
      if (results.length >= PAGE_SIZE || ++scanned >= SCAN_BUDGET) return { HookResults: results, NextToken: encodePageToken(before) };
    }
    if (records.length < SCAN_BATCH) return { HookResults: results };
  }
}
