/** Structured logs (pino) to stderr, so stdout stays for the one start-up line a user reads. */
import { pino, type Logger } from 'pino';

export type { Logger };

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

export function createLogger(level: string = 'info'): Logger {
  return pino({ level, base: { name: 'ccapi' } }, pino.destination(2));
}

export const silentLogger: Logger = pino({ level: 'silent' });
