import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './server.js';

test('the harness starts a real server that answers health', async () => {
  const server = await startServer();
  try {
    const res = await fetch(`${server.url}/_ccapi/health`);
    assert.equal(res.status, 200);
    assert.equal(((await res.json()) as { status: string }).status, 'ok');
  } finally {
    assert.equal(await server.stop(), 0);
  }
});
