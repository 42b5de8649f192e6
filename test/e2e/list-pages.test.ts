/**
 * End-to-end: ListResources and ListResourceRequests pages are bounded by bytes as well as by count (issue #11,
 * part 3). A real server, the JS SDK's paginators: every item comes exactly once across pages, a page's
 * descriptions stay within the 1 MiB budget unless it holds a single item, and an item bigger than the budget
 * comes alone. Covers the emulated provider (LogGroups) and a custom type's list handler, which ccapi asks
 * again for fewer items when its page is too big.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  CreateResourceCommand,
  ListResourcesCommand,
  paginateListResourceRequests,
  paginateListResources,
  UpdateResourceCommand,
  type CloudControlClient,
  type ResourceDescription,
} from '@aws-sdk/client-cloudcontrol';
import { startServer, tempDir, type ServerProcess } from '../support/server.js';
import { expectError, makeClient, waitForStatus } from './support.js';

/** The documented page budget (README, Limits): the UTF-8 bytes of a page's Identifiers and Properties. */
const BUDGET = 1024 * 1024;
const LOG_GROUP = 'AWS::Logs::LogGroup';

const descriptionBytes = (d: ResourceDescription) => Buffer.byteLength(d.Identifier ?? '') + Buffer.byteLength(d.Properties ?? '');

/**
 * Custom types: Acme::Pages::Bulky lists 11 items of ~200 KB and one of 1.2 MB, and honours maxResults and its own nextToken (an
 * index); its create fails with a ~150 KB message, so request summaries are big too. Acme::Pages::Greedy lists
 * the same items but ignores maxResults.
 */
const HANDLERS = (honoursMaxResults: boolean) => `
// item-11 alone is bigger than the page budget (a custom type's model is whatever its handlers say).
const items = Array.from({ length: 12 }, (_, i) => ({ Name: 'item-' + String(i).padStart(2, '0'), Blob: String(i % 10).repeat(i === 11 ? 1200000 : 200000) }));
export async function create(req) {
  return { status: 'FAILED', errorCode: 'InvalidRequest', message: 'refused ' + req.desiredResourceState.Name + ': ' + 'm'.repeat(150000) };
}
export async function read(req) {
  const item = items.find((i) => i.Name === req.desiredResourceState.Name);
  return item ? { status: 'SUCCESS', resourceModel: item } : { status: 'FAILED', errorCode: 'NotFound', message: 'no such item' };
}
export async function update(req) { return { status: 'SUCCESS', resourceModel: req.desiredResourceState }; }
export async function remove() { return { status: 'SUCCESS' }; }
export { remove as delete };
export async function list(req) {
  const start = req.nextToken === undefined ? 0 : Number(req.nextToken);
  const size = ${honoursMaxResults ? 'req.maxResults ?? 100' : '100'};
  const end = Math.min(items.length, start + size);
  return { status: 'SUCCESS', resourceModels: items.slice(start, end), ...(end < items.length ? { nextToken: String(end) } : {}) };
}
`;

function writeType(root: string, typeName: string, handlers: string): void {
  const dir = join(root, typeName.replaceAll('::', '-'));
  mkdirSync(dir, { recursive: true });
  const schema = {
    typeName,
    description: 'Items big enough that a page of them passes the byte budget',
    additionalProperties: false,
    properties: { Name: { type: 'string' }, Blob: { type: 'string' } },
    required: ['Name'],
    primaryIdentifier: ['/properties/Name'],
    handlers: { create: { permissions: [] }, read: { permissions: [] }, update: { permissions: [] }, delete: { permissions: [] }, list: { permissions: [] } },
  };
  writeFileSync(join(dir, 'schema.json'), JSON.stringify(schema));
  writeFileSync(join(dir, 'handlers.js'), handlers);
}

let server: ServerProcess;
let client: CloudControlClient;

before(async () => {
  const types = tempDir('ccapi-pages-types-');
  writeType(types, 'Acme::Pages::Bulky', HANDLERS(true));
  writeType(types, 'Acme::Pages::Greedy', HANDLERS(false));
  server = await startServer({ extraArgs: ['--types', types] });
  client = makeClient(server);
});

after(async () => {
  client?.destroy();
  await server?.stop();
});

/** Walks every page with the SDK's paginator (MaxResults 100); checks the budget and that no token repeats. */
async function walk(typeName: string): Promise<ResourceDescription[][]> {
  const pages: ResourceDescription[][] = [];
  const tokens = new Set<string>();
  for await (const page of paginateListResources({ client, pageSize: 100 }, { TypeName: typeName })) {
    const descriptions = page.ResourceDescriptions ?? [];
    const bytes = descriptions.reduce((n, d) => n + descriptionBytes(d), 0);
    assert.ok(descriptions.length <= 1 || bytes <= BUDGET, `a page of ${descriptions.length} descriptions holds ${bytes} bytes, over the ${BUDGET}-byte budget`);
    if (page.NextToken !== undefined) {
      assert.ok(!tokens.has(page.NextToken), `NextToken ${page.NextToken} repeated`);
      tokens.add(page.NextToken);
    }
    pages.push(descriptions);
  }
  return pages;
}

function assertEachOnce(pages: ResourceDescription[][], expected: string[]): void {
  const identifiers = pages.flat().map((d) => d.Identifier!);
  assert.equal(new Set(identifiers).size, identifiers.length, 'an item came twice');
  assert.deepEqual([...identifiers].sort(), [...expected].sort());
}

describe('ListResources pages within the byte budget', () => {
  test('emulated LogGroups: 100 of ~15 KB and one grown to ~240 KB page by bytes; each comes once; no patch grows a model past 256 KiB', async () => {
    const names = Array.from({ length: 100 }, (_, i) => `pages/group-${String(i).padStart(3, '0')}`);
    for (let i = 0; i < names.length; i += 10) {
      const tokens = await Promise.all(
        names.slice(i, i + 10).map(async (name) => {
          const desired = { LogGroupName: name, DataProtectionPolicy: { Name: name, Description: 'd'.repeat(15_000) } };
          const out = await client.send(new CreateResourceCommand({ TypeName: LOG_GROUP, DesiredState: JSON.stringify(desired) }));
          return out.ProgressEvent!.RequestToken!;
        }),
      );
      for (const token of tokens) assert.equal((await waitForStatus(client, token)).OperationStatus, 'SUCCESS');
    }
    // One LogGroup grows through an update to near the largest model the service model allows (262,144 characters).
    const big = 'pages/group-050-big';
    const created = await client.send(new CreateResourceCommand({ TypeName: LOG_GROUP, DesiredState: JSON.stringify({ LogGroupName: big, DataProtectionPolicy: { Name: big } }) }));
    assert.equal((await waitForStatus(client, created.ProgressEvent!.RequestToken!)).OperationStatus, 'SUCCESS');
    const grow = (part: number) => JSON.stringify([{ op: 'add', path: `/DataProtectionPolicy/Part${part}`, value: String(part).repeat(240_000) }]);
    const out = await client.send(new UpdateResourceCommand({ TypeName: LOG_GROUP, Identifier: big, PatchDocument: grow(0) }));
    assert.equal((await waitForStatus(client, out.ProgressEvent!.RequestToken!)).OperationStatus, 'SUCCESS');
    // A second such patch would make a model no response may carry: refused before anything is accepted.
    await expectError(client.send(new UpdateResourceCommand({ TypeName: LOG_GROUP, Identifier: big, PatchDocument: grow(1) })), {
      name: 'ValidationException',
      message: /^Invalid patch update: the patched model is \d+ characters long; a resource model has at most 262144$/,
    });

    const pages = await walk(LOG_GROUP);
    assertEachOnce(pages, [...names, big]);
    assert.ok(pages.length >= 2, `${pages.length} pages: 1.7 MB of descriptions cannot fit in fewer than 2`);
  });

  test('a custom type that honours maxResults is asked again for fewer items: every item once, pages within the budget', async () => {
    const pages = await walk('Acme::Pages::Bulky');
    assertEachOnce(pages, Array.from({ length: 12 }, (_, i) => `item-${String(i).padStart(2, '0')}`));
    assert.ok(pages.length >= 3, `${pages.length} pages for 3.4 MB`);
    const bigPage = pages.find((p) => p.some((d) => d.Identifier === 'item-11'))!;
    assert.equal(bigPage.length, 1, 'the item bigger than the budget comes alone on its page');
    assert.ok(descriptionBytes(bigPage[0]!) > BUDGET, 'and it really is bigger than the budget');
  });

  test('a custom list handler that ignores maxResults cannot be kept within the budget: HandlerInternalFailureException', async () => {
    await expectError(client.send(new ListResourcesCommand({ TypeName: 'Acme::Pages::Greedy' })), {
      name: 'HandlerInternalFailureException',
      message: /Handler contract violation: the list handler returned 12 models when asked for at most 5 \(maxResults\)/,
    });
  });
});

describe('ListResourceRequests pages within the byte budget', () => {
  test('summaries with ~150 KB status messages page by bytes; each request comes once', async () => {
    const tokens: string[] = [];
    for (let i = 0; i < 12; i++) {
      const out = await client.send(new CreateResourceCommand({ TypeName: 'Acme::Pages::Bulky', DesiredState: JSON.stringify({ Name: `refused-${i}` }) }));
      tokens.push(out.ProgressEvent!.RequestToken!);
    }
    for (const token of tokens) assert.equal((await waitForStatus(client, token)).OperationStatus, 'FAILED');
    const seen: string[] = [];
    let pages = 0;
    const filter = { Operations: ['CREATE' as const], OperationStatuses: ['FAILED' as const] };
    for await (const page of paginateListResourceRequests({ client, pageSize: 100 }, { ResourceRequestStatusFilter: filter })) {
      const summaries = page.ResourceRequestStatusSummaries ?? [];
      const bytes = summaries.reduce((n, s) => n + Buffer.byteLength(JSON.stringify(s)), 0);
      assert.ok(summaries.length <= 1 || bytes <= BUDGET + 64 * summaries.length, `a page of ${summaries.length} summaries holds ${bytes} bytes`);
      seen.push(...summaries.map((s) => s.RequestToken!));
      pages++;
    }
    assert.ok(pages >= 2, `${pages} pages for 1.8 MB of summaries`);
    assert.equal(new Set(seen).size, seen.length, 'a summary came twice');
    for (const token of tokens) assert.ok(seen.includes(token), `request ${token} missing from the listing`);
  });
});
