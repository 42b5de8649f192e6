// Lists the mutants that survived the last `npm run mutation` (reports/mutation/mutation.json), and the score per
// file, as Markdown: the rows test/mutation/survivors.md explains one by one.
// Usage: node scripts/mutation-survivors.mjs [report.json]
import { readFileSync } from 'node:fs';

const report = JSON.parse(readFileSync(process.argv[2] ?? 'reports/mutation/mutation.json', 'utf8'));
const detected = new Set(['Killed', 'Timeout']);
const counted = new Set(['Killed', 'Timeout', 'Survived', 'NoCoverage']);
let allDetected = 0;
let allCounted = 0;
const rows = [];
console.log('| file | mutants | killed or timed out | survived | no coverage | score |');
console.log('|---|---|---|---|---|---|');
for (const [file, { mutants }] of Object.entries(report.files).sort(([a], [b]) => a.localeCompare(b))) {
  const valid = mutants.filter((m) => counted.has(m.status));
  const killed = valid.filter((m) => detected.has(m.status)).length;
  const survived = valid.filter((m) => m.status === 'Survived');
  const uncovered = valid.filter((m) => m.status === 'NoCoverage');
  allDetected += killed;
  allCounted += valid.length;
  console.log(`| ${file} | ${valid.length} | ${killed} | ${survived.length} | ${uncovered.length} | ${((100 * killed) / valid.length).toFixed(1)}% |`);
  for (const m of [...survived, ...uncovered].sort((a, b) => a.location.start.line - b.location.start.line || a.location.start.column - b.location.start.column)) {
    const replacement = String(m.replacement ?? '').replace(/\s+/g, ' ').replace(/\|/g, '\\|').slice(0, 80);
    rows.push(`| ${file}:${m.location.start.line} | ${m.mutatorName}${m.status === 'NoCoverage' ? ' (no coverage)' : ''} | \`${replacement}\` |`);
  }
}
console.log(`| all | ${allCounted} | ${allDetected} | | | ${((100 * allDetected) / allCounted).toFixed(2)}% |`);
console.log('');
console.log('| where | mutator | replacement |');
console.log('|---|---|---|');
for (const row of rows) console.log(row);
