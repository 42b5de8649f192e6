/**
 * End-to-end: a PostgreSQL password in --database never shows, in any form a connection string carries it
 * (userinfo, `?password=`, percent-encoded, repeated, with an empty host): not in the start-up line, not in
 * /_ccapi/health, not in logs or error messages of `ccapi serve` and `ccapi migrate`. In strict mode health
 * without the admin token says only that the server is up. The local PostgreSQL trusts every connection,
 * so any password works.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createTestDatabase, type TestDatabase } from '../multinode/support.js';
import { CLI, startServer, type ServerProcess } from '../support/server.js';
import { ADMIN_TOKEN, strictArgs } from './strict/support.js';

const found = await createTestDatabase();
const skip = found.skip;
const db = found.db as TestDatabase;
/** host:port/name of the test database, from the URL createTestDatabase gives (no password in it). */
const where = () => {
  const u = new URL(db.url);
  return { user: decodeURIComponent(u.username) || 'postgres', host: u.host, name: db.name };
};

after(async () => {
  await db?.drop();
});

interface Form {
  name: string;
  url: () => string;
  /** Every spelling of the secret that must not appear (raw and decoded). */
  secrets: string[];
}

const FORMS: Form[] = [
  { name: 'userinfo', url: () => `postgres://${where().user}:Userinfo0Secret@${where().host}/${where().name}`, secrets: ['Userinfo0Secret'] },
  {
    name: 'userinfo, percent-encoded, postgresql:// scheme',
    url: () => `postgresql://${where().user}:Pct%40Enc0ded%2FSecret@${where().host}/${where().name}`,
    secrets: ['Pct%40Enc0ded%2FSecret', 'Pct@Enc0ded/Secret', 'Enc0ded'],
  },
  { name: '?password=', url: () => `postgres://${where().user}@${where().host}/${where().name}?password=Query0Secret`, secrets: ['Query0Secret'] },
  {
    name: 'several password parameters, one name percent-encoded, mixed case',
    url: () => `postgres://${where().user}@${where().host}/${where().name}?application_name=ccapi&password=First0Secret&pass%77ord=Second%20Secret&PassWord=Third0Secret`,
    secrets: ['First0Secret', 'Second%20Secret', 'Second Secret', 'Second+Secret', 'Third0Secret'],
  },
  {
    name: 'userinfo and ?password= with an empty host (the host as a parameter)',
    url: () => `postgres://${where().user}:Empty0HostSecret@/${where().name}?host=${where().host.split(':')[0]}&port=${where().host.split(':')[1] ?? '5432'}&password=Empty1HostSecret`,
    secrets: ['Empty0HostSecret', 'Empty1HostSecret'],
  },
];

function assertHidden(text: string, secrets: string[], what: string): void {
  for (const secret of secrets) assert.ok(!text.includes(secret), `${what} shows the password ${secret}:\n${text}`);
}

async function health(server: ServerProcess, token?: string): Promise<{ text: string; body: Record<string, unknown> }> {
  const res = await fetch(`${server.url}/_ccapi/health`, token ? { headers: { authorization: `Bearer ${token}` } } : {});
  assert.equal(res.status, 200);
  const text = await res.text();
  return { text, body: JSON.parse(text) as Record<string, unknown> };
}

function runCli(args: string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], { timeout: 60_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, output: `${stdout}\n${stderr}` });
    });
  });
}

describe('the password in --database is hidden', { skip }, () => {
  for (const form of FORMS) {
    test(`${form.name}: start-up line, /_ccapi/health, logs`, async () => {
      const server = await startServer({ extraArgs: ['--database', form.url(), '--log-level', 'debug'] });
      try {
        const line = server.stdout();
        assert.match(line, new RegExp(`database postgres(ql)?://[^ ]*/${where().name}`), `the start-up line still names the database: ${line}`);
        assertHidden(line, form.secrets, 'the start-up line');
        const { text, body } = await health(server);
        assert.match(String(body.database), new RegExp(`/${where().name}`), 'open-mode health names the database');
        assertHidden(text, form.secrets, '/_ccapi/health');
        // Some calls, so the debug log has something to say.
        await fetch(server.url, { method: 'POST', headers: { 'x-amz-target': 'CloudApiService.ListResourceRequests', 'content-type': 'application/x-amz-json-1.0' }, body: '{}' });
      } finally {
        await server.stop();
      }
      assertHidden(server.stdout() + server.stderr(), form.secrets, 'the output');
    });
  }

  test('an unreachable database: the error says so without the password', async () => {
    const url = 'postgres://postgres:Down0Secret@127.0.0.1:1/nowhere?password=Down1Secret&connect_timeout=2';
    const serve = await runCli(['serve', '--port', '0', '--database', url]);
    assert.notEqual(serve.code, 0);
    assert.match(serve.output, /ECONNREFUSED|unavailable|connect/i);
    assertHidden(serve.output, ['Down0Secret', 'Down1Secret'], 'ccapi serve');
    const migrate = await runCli(['migrate', '--database', url]);
    assert.notEqual(migrate.code, 0);
    assertHidden(migrate.output, ['Down0Secret', 'Down1Secret'], 'ccapi migrate');
  });

  test('an unsupported database value: the error quotes it without the password', async () => {
    for (const database of ['postgres:nothost?password=Bad0Secret', 'mysql://root:Bad0Secret@127.0.0.1/x?password=Bad0Secret']) {
      const serve = await runCli(['serve', '--port', '0', '--database', database]);
      assert.notEqual(serve.code, 0);
      assert.match(serve.output, /Unsupported database/);
      assertHidden(serve.output, ['Bad0Secret'], 'ccapi serve');
    }
  });

  test('ccapi migrate: its output never shows the password', async () => {
    const form = FORMS[3]!;
    const migrate = await runCli(['migrate', '--database', form.url()]);
    assert.equal(migrate.code, 0, migrate.output);
    assertHidden(migrate.output, form.secrets, 'ccapi migrate');
  });

  test('strict mode: health without the admin token says only that the server is up; with it, everything', async () => {
    const form = FORMS[2]!;
    const server = await startServer({ extraArgs: ['--database', form.url(), ...strictArgs({ adminToken: ADMIN_TOKEN })] });
    try {
      assert.deepEqual((await health(server)).body, { status: 'ok' });
      assert.deepEqual((await health(server, 'not-the-admin-token')).body, { status: 'ok' });
      const full = await health(server, ADMIN_TOKEN);
      assert.equal(full.body.status, 'ok');
      assert.match(String(full.body.database), new RegExp(`/${where().name}`));
      assert.ok(full.body.catalogue && typeof full.body.uptimeSeconds === 'number', full.text);
      assertHidden(full.text, form.secrets, 'health with the admin token');
    } finally {
      await server.stop();
    }
    assertHidden(server.stdout() + server.stderr(), form.secrets, 'the output');
  });
});
