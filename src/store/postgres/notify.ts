/**
 * LISTEN/NOTIFY between nodes, as a latency hint only. A node that makes work due for anyone (a delayed
 * first step, the next step of a long operation, a cancel) tells the others when it is due; each of them
 * wakes its worker then, and FOR UPDATE SKIP LOCKED decides who takes it. Lost notifications (a dropped
 * listener connection, a restart) cost latency, never work: the worker's polling timer still finds it.
 *
 * Payload: "<sender instance> <dueAt epoch ms>". A node ignores its own notifications (its worker
 * already knows), and wakes at the due time by its own clock, so small skew only shifts the wake-up.
 */
import pg from 'pg';
import type { WorkListener } from '../store.js';
import { WORK_CHANNEL } from './queries.js';

/** Coalesces the due times produced in one turn of the event loop into one NOTIFY with the earliest. */
export class WorkAnnouncer {
  private earliest: number | undefined;

  constructor(
    private readonly instance: string,
    private readonly send: (payload: string) => Promise<unknown>,
  ) {}

  due(dueAt: number): void {
    if (this.earliest !== undefined) {
      this.earliest = Math.min(this.earliest, dueAt);
      return;
    }
    this.earliest = dueAt;
    setImmediate(() => {
      const at = this.earliest!;
      this.earliest = undefined;
      // A lost hint costs only latency; the other nodes' polling still finds the work.
      this.send(`${this.instance} ${at}`).catch(() => {});
    });
  }
}

/** Reconnect delays (ms) after the listening connection drops, before ±50% jitter: 100, 200, 400, … capped at 5000. */
export function listenBackoffMs(attempt: number, random: () => number = Math.random): number {
  return Math.round(Math.min(5_000, 100 * 2 ** attempt) * (0.5 + random()));
}

/**
 * One dedicated connection that LISTENs on the work channel and calls `onWork` when work announced by
 * another node falls due. Reconnects with backoff when the connection drops (PostgreSQL restarting), and
 * calls `onWork` once reconnected, since announcements may have been missed meanwhile.
 */
export class WorkSubscription {
  private client: pg.Client | undefined;
  private stopped = false;
  private attempt = 0;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private wakeTimer: NodeJS.Timeout | undefined;
  private wakeAt = Infinity;

  constructor(
    private readonly config: pg.ClientConfig,
    private readonly instance: string,
    private readonly onWork: WorkListener,
    private readonly onError: (error: Error, reconnectInMs: number) => void,
  ) {}

  /** Resolves after the first attempt to listen, successful or not; later attempts run in the background. */
  async start(): Promise<void> {
    await this.connect();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.reconnectTimer);
    clearTimeout(this.wakeTimer);
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => {});
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    const client = new pg.Client(this.config);
    let failed = false;
    const fail = (error: Error) => {
      if (failed) return;
      failed = true;
      if (this.client === client) this.client = undefined;
      client.end().catch(() => {});
      this.retry(error);
    };
    client.on('error', fail);
    client.on('end', () => fail(new Error('listening connection ended')));
    client.on('notification', (message) => {
      if (message.channel === WORK_CHANNEL && message.payload) this.announced(message.payload);
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${WORK_CHANNEL}`);
    } catch (error) {
      fail(error as Error);
      return;
    }
    if (this.stopped) {
      await client.end().catch(() => {});
      return;
    }
    this.client = client;
    // Anything announced while we were not listening was missed: look now.
    if (this.attempt > 0) this.onWork();
    this.attempt = 0;
  }

  private retry(error: Error): void {
    if (this.stopped) return;
    const delay = listenBackoffMs(this.attempt++);
    this.onError(error, delay);
    clearTimeout(this.reconnectTimer);
    this.reconnectTimer = setTimeout(() => void this.connect(), delay);
    this.reconnectTimer.unref();
  }

  private announced(payload: string): void {
    const space = payload.indexOf(' ');
    if (space < 0 || payload.slice(0, space) === this.instance) return;
    const dueAt = Number(payload.slice(space + 1));
    if (!Number.isFinite(dueAt)) return;
    const delay = dueAt - Date.now();
    if (delay <= 0) {
      this.onWork();
      return;
    }
    // One timer, for the earliest announced time: after that wake-up the worker reads the next due time itself.
    if (dueAt >= this.wakeAt) return;
    clearTimeout(this.wakeTimer);
    this.wakeAt = dueAt;
    // +1: Node's timers run on a monotonic clock and may fire up to a millisecond before Date.now() reaches
    // dueAt, and a worker woken early finds nothing due.
    this.wakeTimer = setTimeout(() => {
      this.wakeAt = Infinity;
      this.onWork();
    }, delay + 1);
    this.wakeTimer.unref();
  }
}
