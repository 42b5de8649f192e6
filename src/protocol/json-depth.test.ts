import { test } from 'node:test';
import assert from 'node:assert/strict';
import { exceedsDepth } from './json-depth.js';

test('depth is counted outside strings only', () => {
  assert.equal(exceedsDepth('{"a":[1,{"b":2}]}', 3), false);
  assert.equal(exceedsDepth('{"a":[1,{"b":[2]}]}', 3), true);
  assert.equal(exceedsDepth(JSON.stringify({ s: '[[[[[[[[[[' }), 2), false);
  assert.equal(exceedsDepth(JSON.stringify({ s: 'quote \\" [[[[' }), 1), false);
  assert.equal(exceedsDepth('['.repeat(100000) + ']'.repeat(100000)), true);
});
