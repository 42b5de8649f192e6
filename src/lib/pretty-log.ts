/**
 * The `--log-format pretty` line: a pino JSON line made readable, `HH:MM:SS.mmm LEVEL message key=value …`.
 * Top-level scalar fields follow the message; nested objects are left out (an entry that nests its
 * details, as the access log does, says them in its message already), except an error, whose message and
 * stack are shown. Hand-written because pino-pretty is not a dependency, and one line per entry is all
 * that is needed.
 */

const LEVEL_NAMES: Record<number, string> = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO', 40: 'WARN', 50: 'ERROR', 60: 'FATAL' };
// ANSI SGR colours: grey, cyan, green, yellow, red, magenta (ECMA-48 §8.3.117).
const LEVEL_COLOURS: Record<number, string> = { 10: '90', 20: '36', 30: '32', 40: '33', 50: '31', 60: '35' };
/** pino's own fields and those every line has; not repeated as key=value. */
const HIDDEN = new Set(['level', 'time', 'msg', 'name', 'pid', 'hostname', 'err']);

const paint = (colour: boolean, code: string, text: string) => (colour ? `\u001b[${code}m${text}\u001b[0m` : text);

function clock(time: unknown): string {
  const date = new Date(typeof time === 'number' ? time : Date.now());
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(date.getHours())}:${two(date.getMinutes())}:${two(date.getSeconds())}.${String(date.getMilliseconds()).padStart(3, '0')}`;
}

function scalar(value: unknown): string | undefined {
  if (typeof value === 'string') return /[\s"=]/.test(value) || value === '' ? JSON.stringify(value) : value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value) && value.every((v) => typeof v !== 'object' || v === null)) return JSON.stringify(value);
  return undefined;
}

/** One pino JSON line (with its newline) as one pretty line (with its newline); a line that is not JSON passes as is. */
export function prettyLine(line: string, colour: boolean): string {
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return line;
  }
  const level = typeof entry.level === 'number' ? entry.level : 30;
  const parts = [paint(colour, '2', clock(entry.time)), paint(colour, LEVEL_COLOURS[level] ?? '0', (LEVEL_NAMES[level] ?? String(level)).padEnd(5))];
  if (typeof entry.msg === 'string') parts.push(entry.msg);
  for (const [key, value] of Object.entries(entry)) {
    if (HIDDEN.has(key)) continue;
    const text = scalar(value);
    if (text !== undefined) parts.push(`${paint(colour, '2', `${key}=`)}${text}`);
  }
  let out = parts.join(' ');
  const err = entry.err as { message?: string; stack?: string } | undefined;
  if (err && typeof err === 'object') out += `\n${err.stack ?? err.message ?? JSON.stringify(err)}`;
  return `${out}\n`;
}
