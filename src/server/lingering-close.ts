/**
 * Closing a connection whose client may still be sending: the "lingering close" of RFC 9112 §9.6 (Apache
 * httpd's lingering_close, nginx's lingering_close). Destroying a socket that holds unread bytes makes the
 * kernel send a reset, and a client still uploading (a large body behind over-size headers, say) then sees
 * EPIPE or ECONNRESET instead of the answer already sitting in its receive buffer. So: write the answer and
 * half-close, read on and drop whatever still arrives, and let the socket go when the client closes its side,
 * or after `maxBytes` more bytes or `maxMs`, whichever comes first, so a client cannot hold the connection.
 */
import type { Socket } from 'node:net';

export interface LingerLimits {
  maxBytes: number;
  maxMs: number;
}

export function closeLingering(socket: Socket, answer: string, limits: LingerLimits): void {
  // Node's parser has given up on this connection: what follows is not parsed, only dropped.
  socket.removeAllListeners('data');
  let dropped = 0;
  const release = () => {
    clearTimeout(timer);
    socket.destroy();
  };
  const timer = setTimeout(release, limits.maxMs);
  timer.unref();
  socket.on('data', (chunk: Buffer) => {
    dropped += chunk.length;
    if (dropped > limits.maxBytes) release();
  });
  socket.once('end', release);
  socket.once('close', () => clearTimeout(timer));
  socket.end(answer);
  socket.resume();
}
