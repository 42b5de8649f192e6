/**
 * Structured logs (pino) to stderr, so stdout stays for the one start-up line a user reads. Two formats:
 * `json`, one pino object per line, for machines (the default when stderr is not a terminal), and `pretty`,
 * one readable line per entry, coloured on a terminal (the default when it is; see pretty-log.ts).
 *
 * Lines are written asynchronously (sonic-boom without `sync`): a log call formats and queues, and the
 * write happens off the caller's path, many lines to one write() under load. What is queued is flushed
 * synchronously when the process exits, so a shutdown or a fatal start-up error loses nothing.
 */
import { pino, type DestinationStream, type Logger } from 'pino';
import { prettyLine } from './pretty-log.js';

export type { Logger };

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export const LOG_FORMATS = ['pretty', 'json'] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];

/** Pretty for a person at a terminal, JSON for anything else (a file, a pipe, a log collector). */
export function defaultLogFormat(): LogFormat {
  return process.stderr.isTTY ? 'pretty' : 'json';
}

/** Colour only on a terminal, and never when NO_COLOR is set (https://no-color.org). */
function wantsColour(): boolean {
  return Boolean(process.stderr.isTTY) && !process.env.NO_COLOR;
}

export function createLogger(level: string = 'info', format: LogFormat = defaultLogFormat()): Logger {
  const destination = pino.destination({ dest: 2, sync: false });
  process.once('exit', () => {
    try {
      destination.flushSync();
    } catch {
      // stderr already closed: nothing left to tell
    }
  });
  const colour = wantsColour();
  const stream: DestinationStream =
    format === 'pretty' ? { write: (line: string) => void destination.write(prettyLine(line, colour)) } : destination;
  return pino({ level, base: { name: 'ccapi' } }, stream);
}

export const silentLogger: Logger = pino({ level: 'silent' });
