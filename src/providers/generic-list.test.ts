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

// Issue #17: a filter on the whole primary identifier is one read; one on an indexed property (here the list
// handler's required KmsKeyId and the additional identifier Arn, declared on a copy of the type) pages through
// the resource index by keyset; neither reads the type's other resources.
test('filters on the primary identifier or an indexed property read only what matches, and page to the end', async () => {
  const base = catalogue.get(TYPE)!;
  const schema = {
    ...base.schema,
    additionalIdentifiers: [['/properties/Arn']],
    handlers: { ...base.schema.handlers, list: { permissions: [], handlerSchema: { properties: { KmsKeyId: { $ref: 'resource-schema.json#/properties/KmsKeyId' } }, required: ['KmsKeyId'] } } },
  };
  const type = Object.assign(Object.create(Object.getPrototypeOf(base) as object) as object, base, { schema }) as typeof base;
  const models = Array.from({ length: 30 }, (_, i) => ({ LogGroupName: `g-${String(i).padStart(2, '0')}`, KmsKeyId: `k${i % 3}`, Arn: `arn-${i}` }));
  const { resources, reads } = fakeResources(models);
  const found: string[] = [];
  resources.ofType = (typeName) => ({
    get: () => assert.fail('not used'),
    async findBy(path, value, limit, after) {
      assert.equal(typeName, TYPE);
      found.push(`${path}=${value}`);
      return models
        .filter((m) => String(m[path as keyof typeof m]) === value && (after === undefined || m.LogGroupName > after))
        .slice(0, limit)
        .map((m) => ({ typeName: TYPE, identifier: m.LogGroupName, properties: JSON.stringify(m), createdAt: 0, updatedAt: 0 }));
    },
  });
  const context: HandlerContext = { resourceType: type, scope: { accountId: '123456789012', region: 'us-east-1' }, resources, clock: { now: () => 0 }, ids: cryptoIds };
  const listAll = async (filter: ResourceModel) => {
    const names: string[] = [];
    let nextToken: string | undefined;
    do {
      const event = await genericProvider.list({ ...handlerRequest('LIST', TYPE, context.scope, 't'), desiredResourceState: filter, maxResults: 4, ...(nextToken ? { nextToken } : {}) }, context);
      names.push(...(event.resourceModels ?? []).map((m) => String(m.LogGroupName)));
      nextToken = event.nextToken;
    } while (nextToken);
    return names;
  };
  assert.deepEqual(await listAll({ KmsKeyId: 'k1' }), models.filter((m) => m.KmsKeyId === 'k1').map((m) => m.LogGroupName));
  assert.ok(found.every((f) => f === 'KmsKeyId=k1'));
  assert.deepEqual(await listAll({ KmsKeyId: 'k2', LogGroupName: 'g-05' }), ['g-05'], 'the primary identifier wins: one read, the rest of the filter still applies');
  assert.deepEqual(await listAll({ KmsKeyId: 'k0', LogGroupName: 'g-05' }), []);
  assert.deepEqual(await listAll({ Arn: 'arn-7' }), ['g-07']);
  assert.deepEqual(await listAll({ KmsKeyId: 'none' }), []);
  assert.equal(reads.length, 0, 'the type was never scanned');
});
