/**
 * Two server processes on one PostgreSQL database, started together, see a new account and Region at the same
 * moment: the default VPC is created once (one set of rows, one marker), and both nodes list the same one.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { ListResourcesCommand } from '@aws-sdk/client-cloudcontrol';
import { startServer, type ServerProcess } from '../support/server.js';
import { makeClient } from '../e2e/support.js';
import { createTestDatabase } from './support.js';

const { db, skip } = await createTestDatabase();
const servers: ServerProcess[] = [];
after(async () => {
  await Promise.all(servers.map((s) => s.stop()));
  await db?.drop();
});

const ACCOUNTS = ['000000000000', '111111111111', '222222222222', '333333333333'];

test('two PostgreSQL nodes racing on new scopes create each default VPC once', { skip }, async () => {
  servers.push(...(await Promise.all([startServer({ databaseFile: db!.url, extraArgs: ['--log-level', 'info'] }), startServer({ databaseFile: db!.url, extraArgs: ['--log-level', 'info'] })])));
  // Every node's first call in every account at once: each races the other node for the same scope.
  const answers = await Promise.all(
    ACCOUNTS.flatMap((account) =>
      servers.map(async (server) => {
        const page = await makeClient(server, { accessKeyId: account, region: 'us-east-2' }).send(new ListResourcesCommand({ TypeName: 'AWS::EC2::VPC' }));
        return { account, ids: (page.ResourceDescriptions ?? []).map((d) => d.Identifier) };
      }),
    ),
  );
  for (const account of ACCOUNTS) {
    const seen = answers.filter((a) => a.account === account);
    assert.equal(seen.length, 2);
    assert.equal(seen[0]!.ids.length, 1, `${account}: one default VPC on the first node`);
    assert.deepEqual(seen[1]!.ids, seen[0]!.ids, `${account}: both nodes see the same one`);
  }
  const rows = await db!.admin.query<{ type_name: string; n: number }>(
    `SELECT type_name, count(*)::int AS n FROM ccapi.resources WHERE region = 'us-east-2' GROUP BY type_name ORDER BY type_name`,
  );
  const counts = Object.fromEntries(rows.rows.map((r) => [r.type_name, r.n]));
  assert.equal(counts['AWS::EC2::VPC'], ACCOUNTS.length);
  assert.equal(counts['AWS::EC2::Subnet'], ACCOUNTS.length * 3);
  assert.equal(counts['ccapi:marker'], ACCOUNTS.length);
  // The creations were logged once per scope, across both nodes together.
  const logged = servers.map((s) => (s.stderr().match(/created the default VPC/g) ?? []).length);
  assert.equal(logged[0]! + logged[1]!, ACCOUNTS.length, `log lines per node: ${logged.join(', ')}`);
});
