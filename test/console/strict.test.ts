/**
 * The web console in strict mode, in headless Chromium: the page loads without the admin token and asks for
 * it; the console API refuses calls without it; a wrong token is refused in the page; with the right one,
 * sent as a bearer token, the live list shows requests signed with SigV4 by the JS SDK, and the fault page
 * reads and writes the rules.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { CreateResourceCommand, type CloudControlClient } from '@aws-sdk/client-cloudcontrol';
import { startServer, type ServerProcess } from '../support/server.js';
import { uniqueName, waitForStatus } from '../e2e/support.js';
import { ACCOUNT_A, ADMIN_TOKEN, ALICE, strictArgs, strictClient } from '../e2e/strict/support.js';
import { NO_CHROMIUM, launchBrowser, type Browser } from './support.js';

let server: ServerProcess;
let client: CloudControlClient;
let browser: Browser;

describe('web console (strict mode)', { skip: NO_CHROMIUM }, () => {
  before(async () => {
    server = await startServer({ extraArgs: strictArgs({ adminToken: ADMIN_TOKEN }) });
    client = strictClient(server, ALICE);
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    client?.destroy();
    await server?.stop();
    assert.deepEqual(browser?.outside ?? [], [], 'the console fetched nothing outside the server');
  });

  test('the page and its assets load without the token; the console API needs it as a bearer token', async () => {
    const html = await fetch(`${server.url}/`, { headers: { accept: 'text/html' }, redirect: 'manual' });
    assert.equal(html.status, 302);
    assert.equal(html.headers.get('location'), '/_ccapi/console/');
    const page = await fetch(`${server.url}/_ccapi/console/`);
    assert.equal(page.status, 200);
    assert.match(await page.text(), /<script type="module" src="app.js">/);
    const bare = await fetch(`${server.url}/_ccapi/console/api/requests`);
    assert.equal(bare.status, 401);
    assert.equal(((await bare.json()) as { error: string }).error, 'Unauthorized');
    const wrong = await fetch(`${server.url}/_ccapi/console/api/requests`, { headers: { authorization: 'Bearer not-the-token' } });
    assert.equal(wrong.status, 401);
    await wrong.arrayBuffer();
    const right = await fetch(`${server.url}/_ccapi/console/api/requests`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
    assert.equal(right.status, 200);
    assert.ok(Array.isArray(((await right.json()) as { Requests: unknown[] }).Requests));
  });

  test('the console asks for the admin token, refuses a wrong one, and with the right one shows signed requests live', async () => {
    const page = await browser.open(server, '/');
    const prompt = page.getByLabel('Admin token', { exact: true });
    await prompt.waitFor();
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'admin-token', 'the prompt has the focus');

    await prompt.fill('not-the-token');
    await page.keyboard.press('Enter');
    await page.getByText('The server refused that token.').waitFor();

    await page.getByLabel('Admin token', { exact: true }).fill(ADMIN_TOKEN);
    await page.getByRole('button', { name: 'Use this token' }).click();
    await page.getByText('Live: updates as requests change').waitFor();

    const name = uniqueName('console-strict');
    const { ProgressEvent: e } = await client.send(new CreateResourceCommand({ TypeName: 'AWS::Logs::LogGroup', DesiredState: JSON.stringify({ LogGroupName: name }) }));
    const token = e!.RequestToken!;
    assert.equal((await waitForStatus(client, token)).OperationStatus, 'SUCCESS');
    const row = page.locator(`tr[data-token="${token}"]`);
    await row.locator('.status', { hasText: 'SUCCESS' }).waitFor();
    assert.match((await row.textContent()) ?? '', new RegExp(`${name}.*${ACCOUNT_A} / us-east-1`));

    // The token is kept for the tab: other pages use it too.
    await page.getByRole('link', { name: 'Faults' }).click();
    await page.getByText('No rules: every request runs normally.').waitFor();
    await page.getByLabel('Fault configuration (JSON)').fill(JSON.stringify({ rules: [{ operation: 'DELETE', delayMs: 10 }] }));
    await page.getByRole('button', { name: 'Save rules' }).click();
    await page.getByText('Saved: these rules apply from the next request.').waitFor();
    const faults = await fetch(`${server.url}/_ccapi/faults`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
    assert.deepEqual(((await faults.json()) as { rules: unknown[] }).rules, [{ operation: 'DELETE', delayMs: 10 }]);

    // Forgetting it brings the prompt back.
    await page.getByRole('button', { name: 'Forget token' }).click();
    await page.getByLabel('Admin token', { exact: true }).waitFor();
    await page.close();
  });
});
