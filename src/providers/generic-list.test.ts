/**
 * The emulated list handler's page budget: pages end before the resource that would pass the byte budget
 * (always at least one), paging with its NextToken returns every resource once, and no read asks the store
 * for more bytes than the page has left.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { cryptoIds } from '../lib/ids.js';
import { openBuiltInCatalogue } from '../registry/catalogue.js';
import type { StoredResource } from '../store/store.js';
import { handlerRequest, resourceBytes, type EmulatedResources, type HandlerContext, type ResourceModel } from './contract.js';
import { genericProvider } from './generic.js';

const catalogue = openBuiltInCatalogue(fileURLToPath(new URL('../../../../dist/catalogue/', import.meta.url)));
const TYPE = 'AWS::Logs::LogGroup';

/** Resources in identifier order, read as the stores do (Store.listResources), recording what each read returned. */
function fakeResources(models: ResourceModel[]) {
  const rows: StoredResource[] = models
    .map((m) => ({ typeName: TYPE, identifier: String(m.LogGroupName), properties: JSON.stringify(m), createdAt: 0, updatedAt: 0 }))
    .sort((a, b) => (a.identifier < b.identifier ? -1 : 1));
  const reads: { maxBytes: number | undefined; bytes: number[] }[] = [];
  const resources: EmulatedResources = {
    ofType: () => assert.fail('these handlers look up no other type'),
    async get(identifier) {
      return rows.find((r) => r.identifier === identifier);
    },
    async list(after, limit, maxBytes) {
      const page: StoredResource[] = [];
      let total = 0;
      for (const row of rows) {
        if (after !== undefined && row.identifier <= after) continue;
        if (page.length === limit) break;
        total += resourceBytes(row);
        if (maxBytes !== undefined && page.length > 0 && total > maxBytes) break;
        page.push(row);
      }
      reads.push({ maxBytes, bytes: page.map(resourceBytes) });
      return page;
    },
    create() {},
    update() {},
    delete() {},
  };
  return { resources, reads };
}

const group = (name: string, size: number, extra: ResourceModel = {}): ResourceModel => ({ LogGroupName: name, ...extra, DataProtectionPolicy: { Pad: 'x'.repeat(size) } });

async function walk(models: ResourceModel[], budget: number, maxResults?: number, filter?: ResourceModel) {
  const { resources, reads } = fakeResources(models);
  const context: HandlerContext = { resourceType: catalogue.get(TYPE)!, scope: { accountId: '123456789012', region: 'us-east-1' }, resources, clock: { now: () => 0 }, ids: cryptoIds, listPageBytes: budget };
  const pages: ResourceModel[][] = [];
  const tokens: string[] = [];
  let nextToken: string | undefined;
  do {
    const request = { ...handlerRequest('LIST', TYPE, context.scope, 'token'), ...(nextToken ? { nextToken } : {}), ...(maxResults ? { maxResults } : {}), ...(filter ? { desiredResourceState: filter } : {}) };
    const readsBefore = reads.length;
    const event = await genericProvider.list(request, context);
    assert.equal(event.status, 'SUCCESS');
    pages.push(event.resourceModels!);
    // Each read asks for at most what the page has left; together the reads of one page hold at most the
    // budget plus one resource (the one that did not fit, or the look-ahead that tells whether more remain).
    const pageReads = reads.slice(readsBefore);
    const read = pageReads.flatMap((r) => r.bytes);
    assert.ok(read.reduce((a, b) => a + b, 0) <= budget + Math.max(...read, 0) * 2, `one page read ${read.join('+')} bytes`);
    nextToken = event.nextToken;
    if (nextToken !== undefined) {
      assert.ok(!tokens.includes(nextToken), `NextToken ${nextToken} repeated`);
      tokens.push(nextToken);
    }
  } while (nextToken);
  return pages;
}

const bytesOf = (m: ResourceModel) => Buffer.byteLength(String(m.LogGroupName)) + Buffer.byteLength(JSON.stringify(m));

test('pages end before the resource that would pass the budget, and every resource comes once', async () => {
  const models = Array.from({ length: 30 }, (_, i) => group(`g${String(i).padStart(2, '0')}`, 100 + ((i * 37) % 300)));
  const pages = await walk(models, 1_000);
  assert.ok(pages.length > 5, `${pages.length} pages`);
  for (const page of pages) {
    const bytes = page.reduce((n, m) => n + bytesOf(m), 0);
    assert.ok(page.length === 1 || bytes <= 1_000, `a page of ${page.length} holds ${bytes} bytes`);
  }
  assert.deepEqual(pages.flat().map((m) => m.LogGroupName), models.map((m) => m.LogGroupName));
});

test('a resource bigger than the budget comes alone on its page', async () => {
  const models = [group('a', 100), group('b', 100), group('c', 5_000), group('d', 100)];
  const pages = await walk(models, 1_000);
  assert.deepEqual(pages.map((p) => p.map((m) => m.LogGroupName)), [['a', 'b'], ['c'], ['d']]);
});

test('the count limit still applies, whichever ends the page first', async () => {
  const models = Array.from({ length: 10 }, (_, i) => group(`g${i}`, 10));
  const pages = await walk(models, 1_000_000, 3);
  assert.deepEqual(pages.map((p) => p.length), [3, 3, 3, 1]);
});

test('with a filter, only matching resources count toward the budget, and none is skipped', async () => {
  const models = Array.from({ length: 20 }, (_, i) => group(`g${String(i).padStart(2, '0')}`, i % 2 ? 400 : 50, { LogGroupClass: i % 2 ? 'STANDARD' : 'INFREQUENT_ACCESS' }));
  const pages = await walk(models, 1_000, undefined, { LogGroupClass: 'STANDARD' });
  assert.deepEqual(pages.flat().map((m) => m.LogGroupName), models.filter((m) => m.LogGroupClass === 'STANDARD').map((m) => m.LogGroupName));
  for (const page of pages) assert.ok(page.length === 1 || page.reduce((n, m) => n + bytesOf(m), 0) <= 1_000);
});

test('an empty type answers one empty page without a token', async () => {
  assert.deepEqual(await walk([], 1_000), [[]]);
});
