// Compiles the test tree (src/**/*.test.ts and test/**) and runs it with node's test runner.
// Usage: node scripts/run-tests.mjs [path-filter...]   e.g. `npm test -- engine` runs only files whose path contains "engine".
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

// A directory per run, so two runs at once (a developer and an editor, say) never delete each other's output.
const out = `build/test-${process.pid}`;
rmSync(out, { recursive: true, force: true });
const tsc = spawnSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.test.json', '--outDir', out], { stdio: 'inherit' });
if (tsc.status !== 0) {
  rmSync(out, { recursive: true, force: true });
  process.exit(tsc.status ?? 1);
}

function findTests(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return findTests(path);
    return name.endsWith('.test.js') ? [path] : [];
  });
}

const filters = process.argv.slice(2);
const files = findTests(out).filter((f) => filters.length === 0 || filters.some((x) => f.includes(x))).sort();
if (files.length === 0) {
  rmSync(out, { recursive: true, force: true });
  console.error('no test files matched');
  process.exit(1);
}
// The usual reporter (spec on a terminal, TAP otherwise), and after it the count of skipped tests and why.
const reporters = [
  `--test-reporter=${process.stdout.isTTY ? 'spec' : 'tap'}`,
  '--test-reporter-destination=stdout',
  `--test-reporter=${fileURLToPath(new URL('skip-reporter.mjs', import.meta.url))}`,
  '--test-reporter-destination=stdout',
];
const run = spawnSync(process.execPath, ['--test', '--test-concurrency=2', ...reporters, ...files], { stdio: 'inherit' });
rmSync(out, { recursive: true, force: true });
process.exit(run.status ?? 1);
