/**
 * The layer order of ../shared/docs/architecture.md, checked over every import in src/: a folder imports only
 * folders listed before it (and itself). `lib/` and `domain/` are the ground floor; nothing imports `server/`
 * or `cli/`, except `cli/` starting the server.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

export const LAYERS = ['lib', 'domain', 'protocol', 'auth', 'registry', 'store', 'providers', 'engine', 'api', 'server', 'cli'] as const;

/** The repository's src/: the nearest folder above this file (compiled or not) that holds package.json and src/. */
function findSrc(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(dir, 'src');
    try {
      if (statSync(join(dir, 'package.json')).isFile() && statSync(candidate).isDirectory()) return candidate;
    } catch {
      // not here: go up
    }
    const up = dirname(dir);
    if (up === dir) throw new Error('src/ not found above the test');
    dir = up;
  }
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return name.endsWith('.ts') && !name.endsWith('.test.ts') && !name.endsWith('.d.ts') ? [path] : [];
  });
}

/** The layer a file of src/ belongs to: its first folder (`src/cli.ts` is the cli). */
export function layerOf(srcRelative: string): string {
  const first = srcRelative.split(sep)[0]!;
  return first.endsWith('.ts') ? first.replace(/\.ts$/, '') : first;
}

/** Relative module specifiers of `import … from`, `export … from` and `import()` (types included). */
export function importsOf(text: string): string[] {
  const found: string[] = [];
  for (const match of text.matchAll(/(?:^|\n)\s*(?:import|export)\b[^'"`;]*?\bfrom\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|(?:^|\n)\s*import\s*['"]([^'"]+)['"]/g)) {
    const specifier = match[1] ?? match[2] ?? match[3];
    if (specifier?.startsWith('.')) found.push(specifier);
  }
  return found;
}

export function violations(src: string): string[] {
  const problems: string[] = [];
  for (const file of sourceFiles(src)) {
    const from = layerOf(relative(src, file));
    const rank = LAYERS.indexOf(from as (typeof LAYERS)[number]);
    if (rank === -1) {
      problems.push(`${relative(src, file)}: folder "${from}" is not in the layer order`);
      continue;
    }
    for (const specifier of importsOf(readFileSync(file, 'utf8'))) {
      const target = relative(src, resolve(dirname(file), specifier));
      const to = layerOf(target);
      const allowed = to === from || LAYERS.indexOf(to as (typeof LAYERS)[number]) < rank || (from === 'cli' && to === 'server');
      if (!allowed) problems.push(`${relative(src, file)} imports ${target} (${from} → ${to})`);
    }
  }
  return problems;
}

test('every import in src/ points down the layer order', () => {
  const problems = violations(findSrc());
  assert.deepEqual(problems, [], `imports that point up the layer order:\n${problems.join('\n')}`);
});

test('the check sees an import that points up, and a dynamic one', () => {
  assert.deepEqual(importsOf(`import type { A } from '../engine/records.js';\nexport { b } from './b.js';\nconst c = await import('../server/http.js');\nimport './side-effect.js';\nimport x from 'node:fs';`), [
    '../engine/records.js',
    './b.js',
    '../server/http.js',
    './side-effect.js',
  ]);
  assert.equal(layerOf(join('store', 'sqlite', 'rows.ts')), 'store');
  assert.equal(layerOf('cli.ts'), 'cli');
});
