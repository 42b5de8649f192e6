/**
 * Why `ccapi serve` could not start, said so a user knows what to do next: a port already taken (or not
 * allowed), a database that cannot be opened or reached. Other errors pass with their own message.
 */
import { explainPostgresError } from '../store/database-errors.js';
import { isPostgres, postgresTarget } from '../store/open.js';

export interface StartAttempt {
  host: string;
  port: number;
  database: string;
}

export function explainStartUpError(error: unknown, attempt: StartAttempt): string {
  const failure = error as NodeJS.ErrnoException;
  const message = failure instanceof Error ? failure.message : String(error);
  if (failure?.syscall === 'listen') {
    switch (failure.code) {
      case 'EADDRINUSE':
        return (
          `port ${attempt.port} on ${attempt.host} is already in use (another ccapi server, or another program). ` +
          'Stop it, or pick another port: --port N or CCAPI_PORT=N (--port 0 picks a free one and prints it)'
        );
      case 'EACCES':
        return `not allowed to listen on port ${attempt.port} (ports below 1024 need privileges): --port N or CCAPI_PORT=N with N above 1023 (--port 0 picks a free one)`;
      case 'EADDRNOTAVAIL':
        return `cannot listen on ${attempt.host}: no network interface of this machine has that address (--host, CCAPI_HOST; 127.0.0.1 is the default)`;
    }
    return `cannot listen on ${attempt.host}:${attempt.port}: ${message}`;
  }
  if (isPostgres(attempt.database)) {
    let target: string | undefined;
    try {
      target = postgresTarget(attempt.database);
    } catch {
      return message; // an unsupported URL already says so
    }
    return explainPostgresError(target, error, 'connecting and bringing the schema up to date');
  }
  return message;
}
