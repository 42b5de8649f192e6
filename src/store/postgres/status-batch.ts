/**
 * GetResourceRequestStatus is the hot path: clients poll in busy loops. Polls are answered in batches, one
 * query (`token = ANY($1)`) each, so that per-statement costs (protocol messages, executor start-up, the
 * driver's parsing) are paid once per batch instead of once per poll.
 *
 * The batches form naturally: a lone poll is sent at the end of the current event-loop turn (setImmediate),
 * and while `maxInFlight` batch queries are out, new polls wait for one of them to come back and then go
 * together. Under load that makes batches as large as the database's round trip allows, and PostgreSQL's work
 * per poll small (measured: sending every turn's polls at once cost PostgreSQL about twice the CPU per poll at
 * 50 polling connections); at low load nothing waits.
 */
import type { StatusRow } from '../rows.js';

export type BatchedRow = StatusRow & { token: string };

interface Waiter {
  resolve: (row: StatusRow | undefined) => void;
  reject: (error: unknown) => void;
}

export class StatusBatch {
  private waiting = new Map<string, Waiter[]>();
  private scheduled = false;
  private inFlight = 0;

  constructor(
    private readonly fetch: (tokens: string[]) => Promise<BatchedRow[]>,
    private readonly maxBatch = 256,
    private readonly maxInFlight = 2,
  ) {}

  get(token: string): Promise<StatusRow | undefined> {
    return new Promise((resolve, reject) => {
      const list = this.waiting.get(token);
      if (list) list.push({ resolve, reject });
      else this.waiting.set(token, [{ resolve, reject }]);
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled || this.inFlight >= this.maxInFlight || this.waiting.size === 0) return;
    this.scheduled = true;
    setImmediate(() => this.flush());
  }

  private flush(): void {
    this.scheduled = false;
    const all = this.waiting;
    this.waiting = new Map();
    const tokens = [...all.keys()];
    for (let i = 0; i < tokens.length; i += this.maxBatch) {
      const chunk = tokens.slice(i, i + this.maxBatch);
      this.inFlight++;
      this.fetch(chunk)
        .then(
          (rows) => {
            const byToken = new Map(rows.map((row) => [row.token, row]));
            for (const token of chunk) for (const w of all.get(token)!) w.resolve(byToken.get(token));
          },
          (error: unknown) => {
            for (const token of chunk) for (const w of all.get(token)!) w.reject(error);
          },
        )
        .finally(() => {
          this.inFlight--;
          this.schedule();
        });
    }
  }
}
