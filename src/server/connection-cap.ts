/**
 * The connection cap (`--max-connections`). Up to the cap, connections are served. Past it a connection is
 * still accepted, but its request is answered 503 ServiceUnavailable and the connection closed: the SDKs
 * and the CLI retry a 503 with backoff. Past the cap plus a small headroom, node closes new sockets as soon
 * as they are accepted, with no answer (server.maxConnections), so a flood never holds more descriptors.
 * One warning per burst of refusals, and one line when the burst is over.
 */
import type { Server } from 'node:http';
import type { Socket } from 'node:net';
import type { Logger } from '../lib/logger.js';

/**
 * Well under the descriptor limit node usually runs with (it raises its soft limit to the hard one at
 * start-up; common hard limits are 4096 and up), leaving room for the database and schema files, and far
 * above what one SDK client opens: the JS SDK keeps up to 50 sockets (@smithy/node-http-handler
 * resolveDefaultConfig, maxSockets = 50), botocore 10 (max_pool_connections). A lower fd limit wants a
 * lower --max-connections.
 */
export const DEFAULT_MAX_CONNECTIONS = 1024;
/** Connections past the cap that are accepted only to be told 503; beyond these, node drops new sockets unanswered. */
export const OVER_CAP_HEADROOM = 64;

export class ConnectionCap {
  private open = 0;
  private readonly overCap = new WeakSet<Socket>();
  /** Refusals since the warning, while a burst lasts. */
  private refusedInBurst: number | undefined;

  constructor(
    server: Server,
    readonly max: number,
    private readonly log: Logger,
  ) {
    server.maxConnections = max + OVER_CAP_HEADROOM;
    server.on('connection', (socket: Socket) => {
      this.open++;
      socket.once('close', () => this.closed());
      if (this.open > max) {
        this.overCap.add(socket);
        this.refused();
      }
    });
    server.on('drop', () => this.refused());
  }

  /** Connections open right now, those past the cap included (the metrics' gauge). */
  get openConnections(): number {
    return this.open;
  }

  /** True for a connection accepted past the cap: its requests get 503 and it is closed. */
  isOverCap(socket: Socket): boolean {
    return this.overCap.has(socket);
  }

  private refused(): void {
    if (this.refusedInBurst !== undefined) return void this.refusedInBurst++;
    this.refusedInBurst = 1;
    this.log.warn(
      { openConnections: this.open, maxConnections: this.max },
      `connection limit reached: new connections get 503 ServiceUnavailable (past ${this.max + OVER_CAP_HEADROOM} they are closed unanswered) until some close`,
    );
  }

  private closed(): void {
    this.open--;
    // The burst is over once there is room again, with some slack so a load hovering at the cap logs once.
    if (this.refusedInBurst !== undefined && this.open <= Math.min(this.max - 1, Math.floor(this.max * 0.9))) {
      this.log.info({ refused: this.refusedInBurst, openConnections: this.open }, 'back under the connection limit');
      this.refusedInBurst = undefined;
    }
  }
}
