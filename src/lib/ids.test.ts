import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cryptoIds, uuidV7 } from './ids.js';

test('time-ordered UUIDs are valid version-7 UUIDs that sort by time', () => {
  const a = uuidV7(1_700_000_000_000, Buffer.alloc(10, 0xff));
  const b = uuidV7(1_700_000_000_001, Buffer.alloc(10, 0x00));
  assert.match(a, /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  assert.ok(a < b);
  assert.equal(a.slice(0, 13).replace('-', ''), (1_700_000_000_000).toString(16).padStart(12, '0'));
  const many = Array.from({ length: 1000 }, () => cryptoIds.timeOrderedUuid());
  assert.equal(new Set(many).size, 1000);
  assert.ok(many.every((u) => /^[-A-Za-z0-9+/=]+$/.test(u)), 'fits the RequestToken pattern');
});
