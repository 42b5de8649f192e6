import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compareShape, loadBotocoreModel } from '../../test/support/botocore-model.js';
import { skipIfMissing } from '../../test/support/prerequisites.js';
import type { RequestRecord } from '../domain/records.js';
import { QueryError } from '../protocol/errors.js';
import { listHookResults } from './hook-results.js';
import { LIST_HOOK_RESULTS_MEMBERS } from '../protocol/cloudformation.js';
import type { ApiContext } from './context.js';
import type { Caller } from '../domain/caller.js';

const NO_BOTOCORE = skipIfMissing('boto3');
const model = NO_BOTOCORE === undefined ? loadBotocoreModel('cloudformation', '2010-05-15') : (undefined as never);

test('the ListHookResults input table matches the botocore model member for member', { skip: NO_BOTOCORE }, () => {
  const op = model.operations.ListHookResults!;
  assert.equal(op.output!.resultWrapper, 'ListHookResultsResult');
  compareShape(model, { kind: 'structure', members: LIST_HOOK_RESULTS_MEMBERS }, op.input.shape, 'ListHookResults');
  const notFound = model.shapes.HookResultNotFoundException!.error!;
  assert.deepEqual([notFound.code, notFound.httpStatusCode], ['HookResultNotFound', 404]);
});

/** An engine whose list() pages `records` (newest first) as the store does: seq below `before`, at most `limit`. */
function fakeEngine(records: RequestRecord[]): Pick<ApiContext, 'engine'> {
  const engine = {
    list: async (_scope: unknown, _filter: unknown, before: number | undefined, limit: number) => records.filter((r) => before === undefined || r.seq! < before).slice(0, limit),
    byHooksToken: async (_scope: unknown, token: string) => records.find((r) => r.hooksRequestToken === token),
  };
  return { engine } as unknown as Pick<ApiContext, 'engine'>;
}

const hookEntry = (name: string, status: string) => ({
  InvocationPoint: 'PRE_PROVISION', FailureMode: 'FAIL', HookTypeName: name, HookTypeVersionId: '00000001', HookStatus: status,
  HookStatusMessage: 'm', HookEventTime: 1_700_000_000, HookTypeArn: `arn:aws:cloudformation:us-east-1:000000000000:type/hook/${name.replace(/::/g, '-')}`,
});

/** `count` requests, newest (highest seq) first; every third has no hooks; the others two hooks each. */
function requests(count: number): RequestRecord[] {
  return Array.from({ length: count }, (_, i) => {
    const seq = count - i;
    const record = { seq, token: `req-${seq}` } as RequestRecord;
    if (seq % 3 !== 0) {
      record.hooksRequestToken = `hooks-${seq}`;
      record.hooksProgress = JSON.stringify([hookEntry('Acme::A::Hook', 'HOOK_COMPLETE_SUCCEEDED'), hookEntry('Acme::B::Hook', seq % 2 ? 'HOOK_COMPLETE_FAILED' : 'HOOK_COMPLETE_SUCCEEDED')]);
    }
    return record;
  });
}

const caller = { accountId: '000000000000', region: 'us-east-1' } as Caller;
type Page = { HookResults: { HookExecutionTarget: string; TypeName: string; Status: string }[]; NextToken?: string };

async function everyPage(ctx: Pick<ApiContext, 'engine'>, input: Record<string, string> = {}): Promise<Page[]> {
  const pages: Page[] = [];
  let next: string | undefined;
  do {
    const page = (await listHookResults(ctx, caller, { ...input, ...(next ? { NextToken: next } : {}) })) as unknown as Page;
    pages.push(page);
    next = page.NextToken;
  } while (next);
  return pages;
}

test('ListHookResults without a target pages through every invocation, whole requests per page, none twice', async () => {
  const records = requests(500);
  const withHooks = records.filter((r) => r.hooksProgress).length;
  const pages = await everyPage(fakeEngine(records));
  const all = pages.flatMap((p) => p.HookResults);
  assert.equal(all.length, 2 * withHooks);
  assert.equal(new Set(all.map((h) => `${h.HookExecutionTarget}/${h.TypeName}`)).size, all.length, 'no invocation twice');
  assert.ok(pages.length > 1, 'more than one page');
  for (const page of pages.slice(0, -1)) assert.ok(page.HookResults.length >= 100 && page.HookResults.length <= 101, `a full page holds whole requests: ${page.HookResults.length}`);
  assert.equal(all[0]!.HookExecutionTarget, 'req-500', 'newest first');
});

test('ListHookResults by TypeArn (and Status) keeps that hook\'s invocations only; a rare hook still pages on', async () => {
  const records = requests(30);
  const bArn = 'arn:aws:cloudformation:us-east-1:000000000000:type/hook/Acme-B-Hook';
  const b = (await everyPage(fakeEngine(records), { TypeArn: bArn })).flatMap((p) => p.HookResults);
  assert.equal(b.length, records.filter((r) => r.hooksProgress).length);
  assert.ok(b.every((h) => h.TypeName === 'Acme::B::Hook'));
  const failed = (await everyPage(fakeEngine(records), { TypeArn: bArn, Status: 'HOOK_COMPLETE_FAILED' })).flatMap((p) => p.HookResults);
  assert.ok(failed.length > 0 && failed.every((h) => h.Status === 'HOOK_COMPLETE_FAILED'));
  // 5,000 requests and only the oldest has hooks: calls stop after a bounded scan and page on to it.
  const sparse = Array.from({ length: 5_000 }, (_, i) => ({ seq: 5_000 - i, token: `r-${5_000 - i}` }) as RequestRecord);
  Object.assign(sparse.at(-1)!, { hooksRequestToken: 'h-1', hooksProgress: JSON.stringify([hookEntry('Acme::B::Hook', 'HOOK_FAILED')]) });
  const pages = await everyPage(fakeEngine(sparse), { TypeArn: bArn });
  assert.ok(pages.length >= 3, `the scan is bounded per call (${pages.length} calls)`);
  assert.deepEqual(pages.flatMap((p) => p.HookResults).map((h) => h.HookExecutionTarget), ['r-1']);
});

test('ListHookResults refuses the combinations CloudFormation refuses', async () => {
  const ctx = fakeEngine(requests(3));
  for (const input of [{ Status: 'HOOK_FAILED' }, { TargetType: 'CLOUD_CONTROL' }, { TargetId: 'hooks-1' }, { NextToken: 'bm90IGEgdG9rZW4=' }]) {
    await assert.rejects(listHookResults(ctx, caller, input as never), (e: unknown) => e instanceof QueryError && e.code === 'ValidationError', JSON.stringify(input));
  }
});
