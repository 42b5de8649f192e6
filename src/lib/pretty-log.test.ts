import { test } from 'node:test';
import assert from 'node:assert/strict';
import { prettyLine } from './pretty-log.js';

const at = new Date(2026, 0, 2, 3, 4, 5, 67).getTime();

test('a pino line as one readable line: time, level, message, scalar fields; nested details left to the message', () => {
  const line = JSON.stringify({ level: 40, time: at, name: 'ccapi', pid: 1, call: { operation: 'X' }, openConnections: 3, note: 'two words', msg: 'connection limit reached' });
  assert.equal(prettyLine(`${line}\n`, false), '03:04:05.067 WARN  connection limit reached openConnections=3 note="two words"\n');
});

test('colour on a terminal: the level coloured, the time dimmed', () => {
  const out = prettyLine(JSON.stringify({ level: 50, time: at, msg: 'boom' }), true);
  assert.equal(out, '\u001b[2m03:04:05.067\u001b[0m \u001b[31mERROR\u001b[0m boom\n');
});

test('an error shows its stack under the line; a line that is not JSON passes as is', () => {
  const out = prettyLine(JSON.stringify({ level: 50, time: at, msg: 'failed', err: { message: 'm', stack: 'Error: m\n    at f' } }), false);
  assert.equal(out, '03:04:05.067 ERROR failed\nError: m\n    at f\n');
  assert.equal(prettyLine('plain text\n', true), 'plain text\n');
});
