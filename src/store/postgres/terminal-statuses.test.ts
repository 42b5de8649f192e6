import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { RequestStatusView } from '../../domain/records.js';
import { TerminalStatuses } from './terminal-statuses.js';

const view = (terminalAt?: number): RequestStatusView => ({ accountId: '1', region: 'r', progressEvent: '{}', ...(terminalAt === undefined ? {} : { terminalAt }) });

test('keeps finished views only, bounded, oldest out first, and forgets those purged', () => {
  const cache = new TerminalStatuses(2);
  cache.offer('running', view());
  assert.equal(cache.get('running'), undefined);
  cache.offer('a', view(10));
  cache.offer('b', view(20));
  cache.offer('c', view(30));
  assert.equal(cache.get('a'), undefined, 'the oldest went when the third came');
  assert.equal(cache.get('b')?.terminalAt, 20);
  assert.equal(cache.get('c')?.terminalAt, 30);
  cache.forgetEndedBefore(25);
  assert.equal(cache.get('b'), undefined);
  assert.equal(cache.get('c')?.terminalAt, 30);
});
