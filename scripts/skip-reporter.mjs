// A node:test reporter that prints, after the run, how many tests were skipped and why (grouped by reason),
// so a run that tested less than it could says so. run-tests.mjs adds it beside the usual reporter.
import { relative } from 'node:path';

/** build/test-<pid>/src/x.test.js → src/x.test.ts: the file a reader would open. */
function sourceOf(file) {
  if (!file) return '(unknown file)';
  const rel = relative(process.cwd(), file);
  const m = /^build\/test-\d+\/(.*)\.js$/.exec(rel);
  return m ? `${m[1]}.ts` : rel;
}

export default async function* skipReporter(source) {
  const byReason = new Map();
  let count = 0;
  for await (const event of source) {
    if (event.type !== 'test:pass' && event.type !== 'test:fail') continue;
    const { skip, name, file } = event.data;
    if (skip === undefined || skip === false) continue;
    count++;
    const reason = typeof skip === 'string' && skip !== '' ? skip : '(no reason given)';
    if (!byReason.has(reason)) byReason.set(reason, []);
    byReason.get(reason).push(`${sourceOf(file)}: ${name}`);
  }
  if (count === 0) {
    yield '\nskipped tests: 0\n';
    return;
  }
  let out = `\nskipped tests: ${count}\n`;
  for (const [reason, tests] of [...byReason].sort((a, b) => b[1].length - a[1].length)) {
    out += `\n  ${tests.length} × ${reason}\n`;
    for (const test of tests) out += `      ${test}\n`;
  }
  yield out;
}
