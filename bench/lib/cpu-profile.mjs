/**
 * Summarises a V8 .cpuprofile (from node --cpu-prof): top functions by self time and by total
 * (inclusive) time, and self time grouped by where the code lives (ccapi folder, package, node internals).
 *
 *   node bench/lib/cpu-profile.mjs FILE.cpuprofile [TOP]
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SPECIAL = new Set(['(root)', '(program)', '(idle)', '(garbage collector)']);

function shortUrl(url) {
  if (!url) return '';
  let path = url.startsWith('file://') ? fileURLToPath(url) : url;
  if (path.startsWith(ROOT)) path = path.slice(ROOT.length);
  return path;
}

function place(frame) {
  const path = shortUrl(frame.url);
  if (!path) return SPECIAL.has(frame.functionName) ? frame.functionName : '(native)';
  const nm = path.lastIndexOf('node_modules/');
  if (nm !== -1) {
    const rest = path.slice(nm + 'node_modules/'.length).split('/');
    return `pkg ${rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]}`;
  }
  if (path.startsWith('dist/')) {
    const parts = path.split('/');
    return parts.length > 2 ? `ccapi ${parts[1]}/` : `ccapi ${parts[1]}`;
  }
  if (path.startsWith('node:')) return path.split('/').slice(0, 3).join('/');
  return path;
}

function keyOf(frame) {
  const name = frame.functionName || '(anonymous)';
  const path = shortUrl(frame.url);
  return path ? `${name} ${path}:${frame.lineNumber + 1}` : name;
}

export function summarizeProfile(file, top = 15) {
  const profile = JSON.parse(readFileSync(file, 'utf8'));
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);

  // Self time per node from the samples and their time deltas (delta i+1 belongs to sample i).
  const selfUs = new Map();
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  for (let i = 0; i < samples.length; i++) {
    const dt = deltas[i + 1] ?? 0;
    selfUs.set(samples[i], (selfUs.get(samples[i]) ?? 0) + Math.max(0, dt));
  }
  let totalUs = 0;
  let idleUs = 0;
  for (const [id, us] of selfUs) {
    totalUs += us;
    if (byId.get(id).callFrame.functionName === '(idle)') idleUs += us;
  }
  const busyUs = totalUs - idleUs;

  const self = new Map();
  const inclusive = new Map();
  const places = new Map();
  for (const [id, us] of selfUs) {
    const frame = byId.get(id).callFrame;
    if (frame.functionName === '(idle)') continue;
    const key = keyOf(frame);
    self.set(key, (self.get(key) ?? 0) + us);
    const where = place(frame);
    places.set(where, (places.get(where) ?? 0) + us);
    const seen = new Set();
    for (let at = id; at !== undefined; at = parent.get(at)) {
      const f = byId.get(at).callFrame;
      if (f.functionName === '(root)') continue;
      const k = keyOf(f);
      if (seen.has(k)) continue; // recursion: count once per sample
      seen.add(k);
      inclusive.set(k, (inclusive.get(k) ?? 0) + us);
    }
  }
  const rank = (map) =>
    [...map.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, us]) => ({ name, ms: Math.round(us / 1000), percentOfBusy: +((100 * us) / busyUs).toFixed(1) }));
  return {
    file,
    profiledSeconds: +(totalUs / 1e6).toFixed(2),
    busySeconds: +(busyUs / 1e6).toFixed(2),
    idlePercent: +((100 * idleUs) / totalUs).toFixed(1),
    topSelf: rank(self),
    topInclusive: rank(inclusive),
    byPlace: rank(places),
  };
}

export function formatProfile(summary) {
  const lines = [];
  lines.push(`CPU profile ${summary.file}: ${summary.profiledSeconds} s sampled, ${summary.busySeconds} s busy (${summary.idlePercent}% idle)`);
  const section = (title, rows) => {
    lines.push(`  ${title}`);
    for (const r of rows) lines.push(`    ${String(r.percentOfBusy).padStart(5)}%  ${String(r.ms).padStart(6)} ms  ${r.name}`);
  };
  section('self time by place (% of busy):', summary.byPlace);
  section('top functions by self time:', summary.topSelf);
  section('top functions by total (inclusive) time:', summary.topInclusive);
  return lines.join('\n');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const [file, top] = process.argv.slice(2);
  if (!file) {
    process.stderr.write('usage: node bench/lib/cpu-profile.mjs FILE.cpuprofile [TOP]\n');
    process.exit(2);
  }
  process.stdout.write(formatProfile(summarizeProfile(file, Number(top) || 15)) + '\n');
}
