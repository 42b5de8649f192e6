/**
 * Per connection, the requests still owed an answer. On a pipelined connection node's parser can meet a
 * malformed request while the requests before it are still running; the malformed one's 400 must wait until
 * their answers are written, or a pipelining client would take the 400 for the first of them.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

interface Connection {
  /** Requests handed to the handler whose response has not closed yet. */
  readonly owed: Set<IncomingMessage>;
  /** What to do once they are answered (set at most once per connection). */
  then?: () => void;
}

export class OwedAnswers {
  private readonly connections = new WeakMap<Socket, Connection>();

  private connection(socket: Socket): Connection {
    let connection = this.connections.get(socket);
    if (!connection) this.connections.set(socket, (connection = { owed: new Set() }));
    return connection;
  }

  /** A request node handed over: its answer is owed until its response closes (written, or the socket gone). */
  track(req: IncomingMessage, res: ServerResponse): void {
    const connection = this.connection(req.socket);
    connection.owed.add(req);
    res.once('close', () => {
      connection.owed.delete(req);
      this.settle(connection);
    });
  }

  /**
   * Runs `then` once every request on this socket that node read to its end has been answered: at once when
   * none is owed. A request node was still reading when it gave up (the malformed or timed-out one itself) is
   * not waited for: `then` answers it. Later calls for the same socket (node may report the same broken
   * stream again) are ignored.
   */
  afterOwed(socket: Socket, then: () => void): void {
    const connection = this.connection(socket);
    if (connection.then) return;
    connection.then = then;
    this.settle(connection);
  }

  private settle(connection: Connection): void {
    const then = connection.then;
    if (!then) return;
    for (const req of connection.owed) if (req.complete) return;
    connection.then = () => undefined;
    then();
  }
}
