/**
 * The pace of the retention purge (issue #17). On SQLite a batch runs synchronously on the event loop, so its
 * length is a pause of every call on the node; on PostgreSQL it holds row locks on expired rows only, but a batch
 * that runs long still holds a pool connection. Each batch is sized from how long the last one took, so one
 * batch lasts about PURGE_BATCH_TARGET_MS whatever the machine's speed or load, and the purge yields between
 * batches. A million expired requests then cost many short pauses instead of a few long ones.
 */

/** What one batch should take: well under the 20 ms pause the issue allows, with room for a slow batch. */
export const PURGE_BATCH_TARGET_MS = 5;
export const PURGE_BATCH_MIN = 10;
export const PURGE_BATCH_MAX = 2_000;
export const PURGE_FIRST_BATCH = 100;

/** The next batch's size after one of `size` rows took `elapsedMs`: scaled to the target, at most doubling at once. */
export function nextPurgeBatch(size: number, elapsedMs: number): number {
  const scaled = elapsedMs > 0 ? Math.floor((size * PURGE_BATCH_TARGET_MS) / elapsedMs) : size * 2;
  return Math.max(PURGE_BATCH_MIN, Math.min(PURGE_BATCH_MAX, size * 2, scaled));
}
