/**
 * GetResourceRequestStatus is the hot path: clients poll in busy loops. Polls that arrive in the same turn
 * of the event loop are answered by one query (`token = ANY($1)`) instead of one each, so under load the
 * per-statement costs (protocol messages, executor start-up, the driver's parsing) are paid once per batch.
 * A lone poll waits only for the end of the current turn (setImmediate).
 */
import type { StatusRow } from '../sqlite/rows.js';

export type BatchedRow = StatusRow & { token: string };

export class StatusBatch {
  private waiting = new Map<string, { resolve: (row: StatusRow | undefined) => void; reject: (error: unknown) => void }[]>();
  private scheduled = false;

  constructor(
    private readonly fetch: (tokens: string[]) => Promise<BatchedRow[]>,
    private readonly maxBatch = 256,
  ) {}

  get(token: string): Promise<StatusRow | undefined> {
    return new Promise((resolve, reject) => {
      const list = this.waiting.get(token);
      if (list) list.push({ resolve, reject });
      else this.waiting.set(token, [{ resolve, reject }]);
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  private flush(): void {
    this.scheduled = false;
    const all = this.waiting;
    this.waiting = new Map();
    const tokens = [...all.keys()];
    for (let i = 0; i < tokens.length; i += this.maxBatch) {
      const chunk = tokens.slice(i, i + this.maxBatch);
      this.fetch(chunk).then(
        (rows) => {
          const byToken = new Map(rows.map((row) => [row.token, row]));
          for (const token of chunk) for (const w of all.get(token)!) w.resolve(byToken.get(token));
        },
        (error: unknown) => {
          for (const token of chunk) for (const w of all.get(token)!) w.reject(error);
        },
      );
    }
  }
}
