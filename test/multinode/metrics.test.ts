/**
 * Two `ccapi serve` nodes on one PostgreSQL database: each serves its own /_ccapi/metrics (the calls and
 * transitions it handled), while the request counts are the shared store's, the same on both.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { CreateResourceCommand } from '@aws-sdk/client-cloudcontrol';
import { startServer, type ServerProcess } from '../support/server.js';
import { makeClient, waitForStatus } from '../e2e/support.js';
import { parseExposition, sample, scrape } from '../support/metrics.js';
import { createTestDatabase } from './support.js';

const { db, skip } = await createTestDatabase();

describe('metrics on a PostgreSQL cluster', skip ? { skip } : {}, () => {
  const nodes: ServerProcess[] = [];
  before(async () => {
    for (let i = 0; i < 2; i++) nodes.push(await startServer({ databaseFile: db!.url }));
  });
  after(async () => {
    await Promise.all(nodes.map((n) => n.stop()));
    await db?.drop();
  });

  test('each node counts its own calls; both report the store-wide request counts', async () => {
    const [a, b] = nodes as [ServerProcess, ServerProcess];
    const creates = new Map([
      [a, 2],
      [b, 1],
    ]);
    for (const [node, count] of creates) {
      const client = makeClient(node);
      for (let i = 0; i < count; i++) {
        const created = await client.send(new CreateResourceCommand({ TypeName: 'AWS::Logs::LogGroup', DesiredState: JSON.stringify({ LogGroupName: `cluster-metrics-${node.port}-${i}` }) }));
        await waitForStatus(client, created.ProgressEvent!.RequestToken!, 'SUCCESS');
      }
    }
    let succeeded = 0;
    for (const [node, count] of creates) {
      const { samples } = parseExposition((await scrape(node)).text);
      assert.equal(sample(samples, 'ccapi_api_calls_total', { operation: 'CreateResource', code: 'OK' }), count, `node ${node.port}'s own creates`);
      assert.equal(sample(samples, 'ccapi_request_transitions_total', { operation: 'CREATE', from: 'accepted', to: 'IN_PROGRESS' }), count);
      succeeded += sample(samples, 'ccapi_request_transitions_total', { operation: 'CREATE', from: 'IN_PROGRESS', to: 'SUCCESS' }) ?? 0;
      assert.equal(sample(samples, 'ccapi_requests', { status: 'SUCCESS' }), 3, 'the store-wide count');
    }
    assert.equal(succeeded, 3, 'every request reached SUCCESS on exactly one node');
  });
});
