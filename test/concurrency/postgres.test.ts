/**
 * The concurrency checker (harness.ts) on PostgreSQL: one `ccapi serve` node, then two nodes on one
 * database with the clients spread over both. Each describe gets a fresh database, dropped at the end;
 * without a reachable PostgreSQL both skip and say why. CCAPI_CONCURRENCY_RUNS=200 soaks.
 */
import { after, before, describe, test } from 'node:test';
import { startServer, type ServerProcess } from '../support/server.js';
import { createTestDatabase, type TestDatabaseOrSkip } from '../multinode/support.js';
import { CHECKER_FAULTS, CHECKER_SERVER_ARGS, checkConcurrency, RUNS } from './harness.js';

const oneNode = await createTestDatabase();
const twoNodes = oneNode.skip ? oneNode : await createTestDatabase();

/** Starts `count` nodes on the database before the describe's test and stops them (then drops it) after. */
function nodesOn(database: TestDatabaseOrSkip, count: number): () => ServerProcess[] {
  const nodes: ServerProcess[] = [];
  before(async () => {
    if (!database.db) return;
    for (let i = 0; i < count; i++) nodes.push(await startServer({ databaseFile: database.db.url, faults: CHECKER_FAULTS, extraArgs: CHECKER_SERVER_ARGS }));
  });
  after(async () => {
    await Promise.all(nodes.map((node) => node.stop()));
    await database.db?.drop();
  });
  return () => nodes;
}

describe('PostgreSQL, one node', oneNode.skip ? { skip: oneNode.skip } : {}, () => {
  const nodes = nodesOn(oneNode, 1);
  test(`${RUNS} random concurrent histories follow Cloud Control's rules`, { timeout: 30 * 60_000 }, async (t) => {
    t.diagnostic(JSON.stringify(await checkConcurrency(nodes().map((n) => n.url))));
  });
});

describe('PostgreSQL, two nodes on one database', twoNodes.skip ? { skip: twoNodes.skip } : {}, () => {
  const nodes = nodesOn(twoNodes, 2);
  test(`${RUNS} random concurrent histories follow Cloud Control's rules, clients spread over both nodes`, { timeout: 30 * 60_000 }, async (t) => {
    t.diagnostic(JSON.stringify(await checkConcurrency(nodes().map((n) => n.url))));
  });
});
