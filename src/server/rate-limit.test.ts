import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock } from '../lib/clock.js';
import { RateLimiter } from './rate-limit.js';

test('a bucket per account: burst, then the refill rate', () => {
  const clock = new ManualClock();
  const limiter = new RateLimiter(10, clock);
  const burst = Array.from({ length: 12 }, () => limiter.allow('111122223333'));
  assert.deepEqual(burst.filter(Boolean).length, 10);
  assert.equal(limiter.allow('444455556666'), true, 'other accounts have their own bucket');
  clock.advance(100);
  assert.equal(limiter.allow('111122223333'), true);
  assert.equal(limiter.allow('111122223333'), false);
  clock.advance(10_000);
  assert.equal(Array.from({ length: 20 }, () => limiter.allow('111122223333')).filter(Boolean).length, 10, 'never more than the burst');
});
