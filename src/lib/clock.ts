/** Time is injected so the state machine, the worker and the sweeper run under a fake clock in tests. */
export interface Clock {
  /** Epoch milliseconds. */
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/** A clock tests move by hand. */
export class ManualClock implements Clock {
  constructor(private current = Date.UTC(2026, 0, 1)) {}
  now(): number {
    return this.current;
  }
  advance(ms: number): void {
    this.current += ms;
  }
}

/**
 * Timestamp members (EventTime, RetryAfter, HookEventTime) are epoch seconds as JSON numbers, with
 * milliseconds as the fraction: 1633610208.335. Go v2 and JS v3 reject ISO strings. Internally ccapi keeps
 * epoch milliseconds and converts when it builds an output shape.
 */
export function epochSeconds(ms: number): number {
  return ms / 1000;
}
