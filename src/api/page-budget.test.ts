/** The page byte budget: which leading items a page holds. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { itemsWithin, utf8Bytes } from './page-budget.js';

test('a page holds the items that fit and ends before the one that would pass the budget', () => {
  assert.equal(itemsWithin([40, 40, 20, 1], 100), 3);
  assert.equal(itemsWithin([40, 40, 21], 100), 2);
  assert.equal(itemsWithin([10, 10, 10], 100), 3);
});

test('the first item always comes, alone when it is bigger than the budget', () => {
  assert.equal(itemsWithin([500, 1], 100), 1);
  assert.equal(itemsWithin([500], 100), 1);
  assert.equal(itemsWithin([100, 1], 100), 1);
});

test('no items, no page', () => {
  assert.equal(itemsWithin([], 100), 0);
});

test('sizes are UTF-8 bytes, not characters', () => {
  assert.equal(utf8Bytes('abc', undefined, 'é', '😀'), 3 + 2 + 4);
});
