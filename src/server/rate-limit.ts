/**
 * Optional throttling (--rate-limit N): a token bucket per account, N requests per second with a burst of
 * N, answered like AWS answers excess calls (400 ThrottlingException "Rate exceeded"), which every SDK
 * retries with backoff. It exists so users can test their clients' throttling behaviour.
 *
 * A bucket that has been idle long enough to refill is the same as no bucket, so such buckets are dropped:
 * without that, every account ever seen (in open mode, any 12-digit access key makes one) would stay in
 * memory for good. The sweep runs at most once per refill time, so its cost is spread over the calls.
 */
import type { Clock } from '../lib/clock.js';

interface Bucket {
  tokens: number;
  refilledAt: number;
}

export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();
  /** How long an empty bucket takes to fill up. */
  private readonly refillMs: number;
  private sweptAt: number;

  constructor(
    private readonly perSecond: number,
    private readonly clock: Clock,
    private readonly burst = perSecond,
  ) {
    this.refillMs = (burst / perSecond) * 1000;
    this.sweptAt = clock.now();
  }

  /** Accounts with a bucket in memory (for tests and diagnostics). */
  get size(): number {
    return this.buckets.size;
  }

  /** Takes one token from the account's bucket; false when it is empty. */
  allow(accountId: string): boolean {
    const now = this.clock.now();
    if (now - this.sweptAt >= this.refillMs) this.sweep(now);
    let bucket = this.buckets.get(accountId);
    if (!bucket) {
      bucket = { tokens: this.burst, refilledAt: now };
      this.buckets.set(accountId, bucket);
    }
    bucket.tokens = Math.min(this.burst, bucket.tokens + ((now - bucket.refilledAt) / 1000) * this.perSecond);
    bucket.refilledAt = now;
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  }

  /** Drops the buckets that are full again by now: a fresh bucket would behave exactly the same. */
  private sweep(now: number): void {
    this.sweptAt = now;
    for (const [accountId, bucket] of this.buckets) {
      if (bucket.tokens + ((now - bucket.refilledAt) / 1000) * this.perSecond >= this.burst) this.buckets.delete(accountId);
    }
  }
}
