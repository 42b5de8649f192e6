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

test('idle buckets are dropped once full again: memory follows the accounts active now, not all ever seen', () => {
  const clock = new ManualClock();
  const limiter = new RateLimiter(10, clock); // refills in 1 s
  for (let i = 0; i < 1000; i++) assert.equal(limiter.allow(String(100000000000 + i)), true);
  assert.equal(limiter.size, 1000);
  clock.advance(999);
  limiter.allow('111122223333');
  assert.equal(limiter.size, 1001, 'no sweep before a full refill time has passed');
  clock.advance(1);
  limiter.allow('111122223333');
  assert.equal(limiter.size, 1, 'the 1,000 idle accounts are full again and dropped; the active one stays');
  // Another round of distinct accounts, a refill time apart each: the map never holds more than one round.
  for (let round = 0; round < 5; round++) {
    clock.advance(1000);
    for (let i = 0; i < 200; i++) limiter.allow(`${round}-${i}`);
    assert.ok(limiter.size <= 202, `round ${round}: ${limiter.size} buckets`);
  }
});

test('a bucket still refilling is kept: dropping never grants an account more than its rate', () => {
  const clock = new ManualClock();
  const limiter = new RateLimiter(10, clock);
  clock.advance(900);
  const drained = Array.from({ length: 12 }, () => limiter.allow('111122223333')).filter(Boolean).length;
  assert.equal(drained, 10);
  clock.advance(100); // a sweep runs now (1 s since the last): the bucket holds 1 token, it is not full
  assert.equal(limiter.allow('444455556666'), true);
  assert.equal(limiter.size, 2);
  assert.equal(limiter.allow('111122223333'), true, 'the one token refilled in 100 ms');
  assert.equal(limiter.allow('111122223333'), false, 'and no more: the bucket was not reset by the sweep');
  // Left alone for a full refill time, it is dropped; the account then starts from a full burst, exactly
  // where its kept bucket would have been.
  clock.advance(1000);
  assert.equal(limiter.allow('444455556666'), true);
  assert.equal(limiter.size, 1);
  assert.equal(Array.from({ length: 12 }, () => limiter.allow('111122223333')).filter(Boolean).length, 10);
});
