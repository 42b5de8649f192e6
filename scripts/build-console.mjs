// Builds the web console into dist/console/ (served by src/server/console.ts): type-checks console/ with its
// own tsconfig, bundles console/src/main.tsx with esbuild (preact included: nothing is fetched at run time),
// and copies the page and its stylesheet.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, rmSync } from 'node:fs';
import { build } from 'esbuild';

const out = 'dist/console';
const check = spawnSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'console/tsconfig.json'], { stdio: 'inherit' });
if (check.status !== 0) process.exit(check.status ?? 1);

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
await build({
  entryPoints: ['console/src/main.tsx'],
  outfile: `${out}/app.js`,
  bundle: true,
  format: 'esm',
  target: ['chrome100', 'firefox100', 'safari15'],
  jsx: 'automatic',
  jsxImportSource: 'preact',
  minify: true,
  sourcemap: true,
  legalComments: 'eof',
  logLevel: 'warning',
});
copyFileSync('console/index.html', `${out}/index.html`);
copyFileSync('console/app.css', `${out}/app.css`);
