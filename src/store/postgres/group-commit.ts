/**
 * Group commit for PostgreSQL, as the SQLite store does it: writes that arrive while earlier ones are
 * committing wait, then go together, in ONE transaction with ONE commit, and each writer is answered only
 * after that commit. A commit costs a WAL flush (3-8 ms on the virtual disks measured here), so one flush
 * per write caps a node at a few hundred writes per second; one flush per batch does not.
 *
 * Every write is ONE statement (the store folds a transition, its timeline entry and its resource writes
 * into one), so a batch is pipelined: BEGIN, the statements and COMMIT leave in one round trip.
 *
 * Modes of a batch:
 * - sent: BEGIN, the statements, COMMIT, on one pooled connection in pipeline mode.
 * - committed: every statement succeeded; each writer gets its own result.
 * - failed: a statement failed, so the server rolled the whole batch back (its COMMIT answers ROLLBACK).
 *   A dropped connection or a deadlock is answered to every writer, whose retry (withRetry) starts over;
 *   any other error reruns each write alone, so the error reaches only its own writer (e.g. a resource
 *   write conflict) and the others commit.
 * Up to `maxBatches` batches are in flight at once (their flushes overlap too). With nothing in flight a
 * write leaves at once, alone, so an idle node pays no extra latency.
 */
import type pg from 'pg';
import { classifyError } from './connection.js';
import type { Statement } from './queries.js';

export interface WriteUnit<T> {
  statement: Statement;
  values: unknown[];
  /** The writer's answer from the statement's result. */
  answer: (result: pg.QueryResult) => T;
  /** The writer's error for an error of this statement (e.g. a resource write conflict); default: as is. */
  failure?: (error: unknown) => unknown;
}

interface Pending {
  unit: WriteUnit<unknown>;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

export class GroupCommit {
  private queue: Pending[] = [];
  private inFlight = 0;
  private scheduled = false;

  /** `pool` must hand out connections in pipeline mode. */
  constructor(
    private readonly pool: pg.Pool,
    private readonly maxBatches = 4,
    private readonly maxBatchSize = 100,
  ) {}

  run<T>(unit: WriteUnit<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ unit, resolve: resolve as (value: unknown) => void, reject });
      this.schedule();
    });
  }

  /** Sends batches on the next turn of the event loop, so the writes of one turn share a commit. */
  private schedule(): void {
    if (this.scheduled || this.inFlight >= this.maxBatches) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      while (this.queue.length > 0 && this.inFlight < this.maxBatches) {
        const batch = this.queue.splice(0, this.maxBatchSize);
        this.inFlight++;
        void this.commit(batch).finally(() => {
          this.inFlight--;
          if (this.queue.length > 0) this.schedule();
        });
      }
    });
  }

  private async commit(batch: Pending[]): Promise<void> {
    let results: pg.QueryResult[];
    try {
      results = await this.send(batch);
    } catch (error) {
      if (batch.length > 1 && classifyError(error) === 'other') {
        // Not the connection's fault: one of the statements failed. Alone, each meets its own outcome.
        await Promise.all(batch.map((item) => this.commit([item])));
        return;
      }
      for (const item of batch) item.reject(item.unit.failure ? item.unit.failure(error) : error);
      return;
    }
    batch.forEach((item, i) => {
      try {
        item.resolve(item.unit.answer(results[i]!));
      } catch (error) {
        item.reject(error);
      }
    });
  }

  /** One round trip: the statements (wrapped in BEGIN … COMMIT when more than one). Throws the first error. */
  private async send(batch: Pending[]): Promise<pg.QueryResult[]> {
    const client = await this.pool.connect();
    // The pool listens for errors only on idle connections: one that dies while we hold it (the server
    // restarting) would otherwise raise an unhandled 'error' and take the process down.
    let broken: Error | undefined;
    const onError = (error: Error) => (broken = error);
    client.on('error', onError);
    try {
      const query = (item: Pending) => client.query({ ...item.unit.statement, values: item.unit.values });
      if (batch.length === 1) return [await query(batch[0]!)];
      const sent = [client.query('BEGIN'), ...batch.map(query), client.query('COMMIT')];
      const settled = await Promise.allSettled(sent);
      const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
      if (failed) throw failed.reason;
      const results = settled.map((s) => (s as PromiseFulfilledResult<pg.QueryResult>).value);
      if (results.at(-1)!.command !== 'COMMIT') throw new Error(`a batch of writes was rolled back (${results.at(-1)!.command})`);
      return results.slice(1, -1);
    } catch (error) {
      if (classifyError(error) !== 'other') broken ??= error as Error;
      throw error;
    } finally {
      client.off('error', onError);
      client.release(broken);
    }
  }
}
