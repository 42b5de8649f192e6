/**
 * The web console in a real browser (headless Chromium) against a real server process, open mode: the
 * redirect of a browser's GET /, the live request list fed by JS SDK calls, a request's timeline with an
 * injected delay and an injected step failure, fault rules edited in the page, resources, the server page,
 * keyboard use, and a narrow window.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CreateResourceCommand, ListResourcesCommand, type CloudControlClient } from '@aws-sdk/client-cloudcontrol';
import type { Page } from 'playwright-core';
import { REPO_ROOT, startServer, type ServerProcess } from '../support/server.js';
import { DEFAULT_ACCOUNT, clearFaults, getFaults, makeClient, putFaultsOk, uniqueName, waitForStatus } from '../e2e/support.js';
import { NO_CHROMIUM, launchBrowser, type Browser } from './support.js';

const LOG_GROUP = 'AWS::Logs::LogGroup';
const QUEUE = 'AWS::SQS::Queue';

let server: ServerProcess;
let client: CloudControlClient;
let browser: Browser;

describe('web console (open mode)', { skip: NO_CHROMIUM }, () => {
  before(async () => {
    server = await startServer();
    // One attempt per call: fault rules count their matches.
    client = makeClient(server, { maxAttempts: 1 });
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    client?.destroy();
    await server?.stop();
    assert.deepEqual(browser?.outside ?? [], [], 'the console fetched nothing outside the server');
  });

  async function create(typeName: string, desired: Record<string, unknown>): Promise<string> {
    const { ProgressEvent: e } = await client.send(new CreateResourceCommand({ TypeName: typeName, DesiredState: JSON.stringify(desired) }));
    return e!.RequestToken!;
  }

  /** The row of a request in the live list, once it shows `status`. */
  async function rowWithStatus(page: Page, token: string, status: string): Promise<void> {
    await page.locator(`tr[data-token="${token}"] .status`, { hasText: status }).waitFor();
  }

  test('a browser asking for / is sent to the console; API clients are not', async () => {
    const html = await fetch(`${server.url}/`, { headers: { accept: 'text/html,application/xhtml+xml' }, redirect: 'manual' });
    assert.equal(html.status, 302);
    assert.equal(html.headers.get('location'), '/_ccapi/console/');
    // Without text/html (curl, an SDK's probe) GET / keeps its AWS JSON answer.
    const plain = await fetch(`${server.url}/`);
    assert.equal(plain.status, 400);
    assert.match(plain.headers.get('content-type') ?? '', /application\/x-amz-json-1\.0/);
    assert.match(((await plain.json()) as { __type: string }).__type, /UnknownOperationException$/);
    // POST / with the AWS JSON protocol is the API, whatever it accepts.
    const { ResourceDescriptions } = await client.send(new ListResourcesCommand({ TypeName: LOG_GROUP }));
    assert.ok(Array.isArray(ResourceDescriptions));

    const page = await browser.open(server, '/');
    assert.equal(new URL(page.url()).pathname, '/_ccapi/console/');
    await page.getByRole('heading', { name: 'Requests' }).waitFor();
    await page.close();
  });

  test('resources created through the JS SDK appear in the live list without a reload; the filters narrow it', async () => {
    const page = await browser.open(server, '/_ccapi/console/#/requests');
    await page.getByText('Live: updates as requests change').waitFor();
    await page.evaluate(() => ((window as unknown as { notReloaded: boolean }).notReloaded = true));

    const names = [uniqueName('console-live-a'), uniqueName('console-live-b')];
    const tokens = [];
    for (const name of names) tokens.push(await create(LOG_GROUP, { LogGroupName: name }));
    for (const token of tokens) await rowWithStatus(page, token, 'SUCCESS');
    const row = page.locator(`tr[data-token="${tokens[0]}"]`);
    assert.match((await row.textContent()) ?? '', new RegExp(`CREATE.*${LOG_GROUP.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}.*${names[0]}.*${DEFAULT_ACCOUNT} / us-east-1`));
    assert.equal(await page.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded), true, 'the page was not reloaded');

    // Status FAILED: none of these failed, so they leave the list.
    await page.getByLabel('FAILED', { exact: true }).check();
    await page.locator(`tr[data-token="${tokens[0]}"]`).waitFor({ state: 'detached' });
    await page.getByLabel('FAILED', { exact: true }).uncheck();
    await rowWithStatus(page, tokens[0]!, 'SUCCESS');
    // Operation DELETE hides the creates; CREATE shows them.
    await page.getByLabel('Operation').selectOption('DELETE');
    await page.locator(`tr[data-token="${tokens[0]}"]`).waitFor({ state: 'detached' });
    await page.getByLabel('Operation').selectOption('CREATE');
    await rowWithStatus(page, tokens[0]!, 'SUCCESS');
    // Type: another type's name hides them; a request created now, of that type, appears live.
    await page.getByLabel('Type').fill(QUEUE);
    await page.locator(`tr[data-token="${tokens[0]}"]`).waitFor({ state: 'detached' });
    const queue = await create(QUEUE, {});
    await rowWithStatus(page, queue, 'SUCCESS');
    assert.equal(await page.locator(`#request-list tbody tr`).filter({ hasText: LOG_GROUP }).count(), 0);
    await page.close();
  });

  test('the timeline of a request with an injected delay and an injected step failure', async () => {
    const statusMessage = 'Too many queues (injected by the console test)';
    await putFaultsOk(server, { rules: [{ typeName: QUEUE, operation: 'CREATE', delayMs: 1500, errorCode: 'ServiceLimitExceeded', statusMessage, count: 1 }] });
    try {
      const token = await create(QUEUE, { QueueName: uniqueName('console-faulty') });
      const page = await browser.open(server, '/_ccapi/console/#/requests');
      // Opened from the list while it is still held back by the delay; the timeline follows it live.
      await page.locator(`tr[data-token="${token}"] a`).click();
      await page.getByRole('heading', { name: `Request ${token}` }).waitFor();
      const events = page.locator('ol.timeline > li');
      await events.nth(1).waitFor();
      assert.equal((await waitForStatus(client, token)).OperationStatus, 'FAILED');

      assert.equal(await events.count(), 2);
      const accepted = (await events.nth(0).textContent()) ?? '';
      assert.match(accepted, /start/);
      assert.match(accepted, /IN_PROGRESS/);
      assert.match(accepted, /accepted; injected delay of 1500 ms; injected failure ServiceLimitExceeded/);
      const failed = (await events.nth(1).textContent()) ?? '';
      assert.match(failed, /FAILED/);
      assert.match(failed, /handler step 1: injected failure ServiceLimitExceeded applied; the handler did not run/);
      assert.match(failed, /ErrorCode ServiceLimitExceeded/);
      assert.ok(failed.includes(`StatusMessage: ${statusMessage}`), failed);
      // The time since the previous event: the step could not run before the injected delay ended.
      const since = (await events.nth(1).locator('.since').textContent()) ?? '';
      const seconds = Number(/^\+([\d.]+) s$/.exec(since)?.[1]);
      assert.ok(seconds >= 1.5, `shown as ${since}`);

      const facts = (await page.locator('dl.facts').textContent()) ?? '';
      assert.match(facts, /StatusFAILED/);
      assert.match(facts, /ErrorCodeServiceLimitExceeded/);
      assert.match(facts, /Injected fault.*fails with ServiceLimitExceeded/);
      assert.match((await page.getByLabel('Desired state', { exact: true }).textContent()) ?? '', /"QueueName": "console-faulty/);
      await page.close();
    } finally {
      await clearFaults(server);
    }
  });

  test('a fault rule edited in the page: invalid rules are refused inline, a saved rule applies to the next request', async () => {
    await clearFaults(server);
    const page = await browser.open(server, '/_ccapi/console/#/faults');
    await page.getByText('No rules: every request runs normally.').waitFor();
    const editor = page.getByLabel('Fault configuration (JSON)');

    await editor.fill(JSON.stringify({ rules: [{ typeName: LOG_GROUP, operation: 'CREATE', errorCode: 'NotARealCode' }] }));
    await page.getByRole('button', { name: 'Save rules' }).click();
    const error = page.locator('#fault-error');
    await error.waitFor();
    assert.match((await error.textContent()) ?? '', /rules\[0\]\.errorCode must be a HandlerErrorCode/);
    assert.equal(await editor.getAttribute('aria-invalid'), 'true');
    assert.equal(await editor.getAttribute('aria-describedby'), 'fault-error');
    assert.deepEqual((await getFaults(server)).rules, [], 'a refused configuration changes nothing');

    const statusMessage = 'Denied by the rule the console saved';
    await editor.fill(JSON.stringify({ rules: [{ typeName: LOG_GROUP, operation: 'CREATE', errorCode: 'AccessDenied', statusMessage, count: 1 }] }));
    await page.getByRole('button', { name: 'Save rules' }).click();
    await page.getByText('Saved: these rules apply from the next request.').waitFor();
    assert.equal(await page.locator('#fault-error').count(), 0);
    assert.match((await page.locator('#rules-in-force tbody tr').first().textContent()) ?? '', /AccessDenied.*1$/);

    const token = await create(LOG_GROUP, { LogGroupName: uniqueName('console-denied') });
    const done = await waitForStatus(client, token);
    assert.equal(done.OperationStatus, 'FAILED');
    assert.equal(done.ErrorCode, 'AccessDenied');
    assert.equal(done.StatusMessage, statusMessage);

    await page.getByRole('button', { name: 'Reload' }).click();
    await page.locator('#rules-in-force tbody tr td', { hasText: /^0$/ }).waitFor();
    await page.getByRole('button', { name: 'Clear all rules' }).click();
    await page.getByText('No rules: every request runs normally.').waitFor();
    assert.deepEqual((await getFaults(server)).rules, []);
    await page.close();
  });

  test('resources: per account, region and type; a model as JSON, with the requests that touched it', async () => {
    const name = uniqueName('console-resource');
    const token = await create(LOG_GROUP, { LogGroupName: name });
    assert.equal((await waitForStatus(client, token)).OperationStatus, 'SUCCESS');

    const page = await browser.open(server, '/_ccapi/console/#/resources');
    const kind = page.locator('tr', { hasText: DEFAULT_ACCOUNT }).filter({ hasText: 'us-east-1' }).getByRole('link', { name: LOG_GROUP, exact: true });
    await kind.click();
    await page.getByRole('heading', { name: LOG_GROUP }).waitFor();
    await page.getByRole('link', { name, exact: true }).click();
    await page.getByRole('heading', { name, exact: true }).waitFor();
    const model = JSON.parse((await page.getByLabel('Model', { exact: true }).textContent()) ?? '') as Record<string, unknown>;
    assert.equal(model.LogGroupName, name);
    assert.ok(typeof model.Arn === 'string' && model.Arn.includes(name), 'read-only properties are part of the stored model');
    const touched = page.locator('ul.touched li');
    assert.equal(await touched.count(), 1);
    assert.match((await touched.first().textContent()) ?? '', /CREATE.*SUCCESS/);
    await touched.first().getByRole('link').click();
    await page.getByRole('heading', { name: `Request ${token}` }).waitFor();
    await page.close();
  });

  test('the server page: version, database, uptime, catalogue, and metrics when the server has them', async () => {
    const version = (JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
    const page = await browser.open(server, '/_ccapi/console/#/server');
    const facts = page.locator('#server-facts');
    await facts.waitFor();
    const text = (await facts.textContent()) ?? '';
    assert.ok(text.includes(`Version${version}`), text);
    assert.ok(text.includes(server.databaseFile), text);
    assert.match(text, /Uptime\d/);
    assert.match((await page.getByLabel('Catalogue', { exact: true }).textContent()) ?? '', /"types": \d+/);
    const metrics = await fetch(`${server.url}/_ccapi/metrics`);
    await metrics.arrayBuffer();
    if (metrics.status === 404) await page.getByText('This server has no /_ccapi/metrics route.').waitFor();
    else await page.locator('#metrics tbody tr').first().waitFor();
    await page.close();
  });

  test('keyboard: a skip link, then the navigation by Tab and Enter, with a visible focus ring; form fields have labels', async () => {
    const page = await browser.open(server, '/_ccapi/console/#/requests');
    await page.getByRole('heading', { name: 'Requests' }).waitFor();
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Skip to content');
    let focused = '';
    for (let i = 0; i < 6 && focused !== 'Faults'; i++) {
      await page.keyboard.press('Tab');
      focused = (await page.evaluate(() => document.activeElement?.textContent)) ?? '';
    }
    assert.equal(focused, 'Faults', 'Tab reaches the Faults link');
    const ring = await page.evaluate(() => {
      const style = getComputedStyle(document.activeElement!);
      return { style: style.outlineStyle, width: parseFloat(style.outlineWidth) };
    });
    assert.equal(ring.style, 'solid');
    assert.ok(ring.width >= 2, `focus outline ${ring.width}px`);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Fault rules' }).waitFor();
    assert.equal(new URL(page.url()).hash, '#/faults');
    assert.equal(await page.getByRole('link', { name: 'Faults' }).getAttribute('aria-current'), 'page');
    // The editor and its buttons are reachable and named.
    await page.getByLabel('Fault configuration (JSON)').focus();
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Save rules');
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Clear all rules');

    await page.goto(`${server.url}/_ccapi/console/#/requests`);
    await page.getByRole('heading', { name: 'Requests' }).waitFor();
    for (const label of ['Operation', 'Type', 'PENDING', 'IN_PROGRESS', 'SUCCESS', 'FAILED', 'CANCEL_IN_PROGRESS', 'CANCEL_COMPLETE']) {
      assert.equal(await page.getByLabel(label, { exact: true }).count(), 1, `a field labelled ${label}`);
    }
    await page.close();
  });

  test('readable at 1280×800 and at 390×844: no sideways scrolling; on the narrow window rows become labelled cards', async () => {
    const token = await create(LOG_GROUP, { LogGroupName: uniqueName('console-narrow-with-a-rather-long-name-that-must-wrap') });
    assert.equal((await waitForStatus(client, token)).OperationStatus, 'SUCCESS');
    for (const viewport of [{ width: 1280, height: 800 }, { width: 390, height: 844 }]) {
      for (const path of ['#/requests', `#/requests/${token}`, '#/faults', '#/server', '#/resources']) {
        const page = await browser.open(server, `/_ccapi/console/${path}`, viewport);
        await page.locator('main h1').first().waitFor();
        if (path === '#/requests') await page.locator(`tr[data-token="${token}"]`).waitFor();
        if (path.startsWith('#/requests/')) await page.locator('ol.timeline > li').nth(1).waitFor();
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
        assert.ok(overflow <= 0, `${path} at ${viewport.width}×${viewport.height} scrolls sideways by ${overflow}px`);
        if (path === '#/requests') {
          const cell = page.locator(`tr[data-token="${token}"] td[data-label="Status"]`);
          const shown = await cell.evaluate((td) => ({ display: getComputedStyle(td).display, label: getComputedStyle(td, '::before').content }));
          if (viewport.width < 720) assert.deepEqual(shown, { display: 'grid', label: '"Status"' });
          else assert.equal(shown.display, 'table-cell');
        }
        await page.close();
      }
    }
  });

  test('the console API: filters are checked, a token that does not exist is a 404', async () => {
    const bad = await fetch(`${server.url}/_ccapi/console/api/requests?status=DONE`);
    assert.equal(bad.status, 400);
    assert.match(((await bad.json()) as { message: string }).message, /status must be one of PENDING, IN_PROGRESS/);
    const missing = await fetch(`${server.url}/_ccapi/console/api/requests/no-such-token`);
    assert.equal(missing.status, 404);
    await missing.arrayBuffer();
    const asset = await fetch(`${server.url}/_ccapi/console/../../package.json`);
    assert.notEqual(asset.status, 200);
    await asset.arrayBuffer();
    const unknown = await fetch(`${server.url}/_ccapi/console/secrets.json`);
    assert.equal(unknown.status, 404);
    await unknown.arrayBuffer();
  });
});

describe('console streams and shutdown', () => {
  test('a server stops (exit 0) while a console stream is open: the stream is ended, not waited for', { timeout: 60_000 }, async () => {
    const own = await startServer();
    const abort = new AbortController();
    try {
      const res = await fetch(`${own.url}/_ccapi/console/api/stream/requests`, { signal: abort.signal });
      assert.equal(res.status, 200);
      const reader = res.body!.getReader();
      assert.match(new TextDecoder().decode((await reader.read()).value), /^data: \{"Requests":\[\]\}/);
      const exited = own.stop();
      // The server ends the stream itself as it stops; a stream it waited for would hang here until the timeout.
      for (;;) if ((await reader.read()).done) break;
      assert.equal(await exited, 0);
    } finally {
      abort.abort();
      await own.stop();
    }
  });
});
