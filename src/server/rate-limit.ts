/**
 * Optional throttling (--rate-limit N): a token bucket per account, N requests per second with a burst of
 * N, answered like AWS answers excess calls (400 ThrottlingException "Rate exceeded"), which every SDK
 * retries with backoff. It exists so users can test their clients' throttling behaviour.
 */
import type { Clock } from '../lib/clock.js';

interface Bucket {
  tokens: number;
  refilledAt: number;
}

export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    private readonly perSecond: number,
    private readonly clock: Clock,
    private readonly burst = perSecond,
  ) {}

  /** Takes one token from the account's bucket; false when it is empty. */
  allow(accountId: string): boolean {
    const now = this.clock.now();
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
}
