/**
 * The page-size section of the bench (issue #11, part 3): huge ListResources pages must neither exhaust the
 * server's memory nor stall other callers. Run by bench/run.mjs after the core section, or alone with
 * BENCH_ONLY=pages.
 *
 *   One fresh server (SQLite). One account stores BENCH_PAGES_ITEMS LogGroups of ~BENCH_PAGES_ITEM_KB KB each
 *   (a DataProtectionPolicy document; inside the 256 KiB DesiredState limit). Then BENCH_PAGES_CLIENTS clients
 *   at once each walk the whole listing BENCH_PAGES_WALKS times (ListResources, MaxResults 100, following
 *   NextToken), while one more client polls GetResourceRequestStatus of an unrelated request in a loop, and the
 *   server's VmRSS is sampled every 20 ms.
 *                                 Targets: peak RSS < 400 MB; unrelated GetResourceRequestStatus p99 < 100 ms.
 *   Every walk must return every LogGroup exactly once (checked, a failure fails the section).
 *
 * Environment (all optional):
 *   BENCH_PAGES_ITEMS=100      LogGroups stored
 *   BENCH_PAGES_ITEM_KB=250    approximate size of each one's properties
 *   BENCH_PAGES_CLIENTS=32     concurrent ListResources walkers
 *   BENCH_PAGES_WALKS=2        full walks per walker (BENCH_QUICK: 1)
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { call, keepAliveAgent, progressEventOf, sleep } from './lib/client.mjs';
import { cpuMeter, memoryOf, spawnTracked, stopChild, waitForListening } from './lib/processes.mjs';
import { SERVER_NODE_FLAGS } from './lib/server-command.mjs';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const CLI = join(ROOT, 'dist', 'cli.js');
const MB = 1024 * 1024;
const TYPE = 'AWS::Logs::LogGroup';

export const PAGES_TARGETS = { peakRssBytes: 400 * MB, unrelatedP99Ms: 100 };

function numberEnv(name, fallback) {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number, got ${raw}`);
  return Math.round(value);
}

export function pagesConfig({ quick }) {
  return {
    items: numberEnv('BENCH_PAGES_ITEMS', 100),
    itemKB: numberEnv('BENCH_PAGES_ITEM_KB', 250),
    clients: numberEnv('BENCH_PAGES_CLIENTS', 32),
    walks: numberEnv('BENCH_PAGES_WALKS', quick ? 1 : 2),
  };
}

const percentile = (sorted, p) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] : undefined);
const round = (x, digits = 1) => (x === undefined ? undefined : +x.toFixed(digits));

/** Creates one LogGroup and polls its request to SUCCESS; returns the request token. */
async function createLogGroup(url, agent, model) {
  const input = { TypeName: TYPE, DesiredState: JSON.stringify(model), ClientToken: model.LogGroupName };
  const token = progressEventOf(await call(url, 'CreateResource', input, { agent }), `CreateResource ${model.LogGroupName}`).RequestToken;
  const deadline = performance.now() + 30_000;
  for (;;) {
    const event = progressEventOf(await call(url, 'GetResourceRequestStatus', { RequestToken: token }, { agent }), 'GetResourceRequestStatus');
    if (event.OperationStatus === 'SUCCESS') return token;
    if (event.OperationStatus === 'FAILED') throw new Error(`setup create failed: ${JSON.stringify(event).slice(0, 300)}`);
    if (performance.now() > deadline) throw new Error('setup create did not reach SUCCESS within 30 s');
    await sleep(5);
  }
}

/** A LogGroup whose properties are about `kb` KB: a data protection policy document with a long description. */
function bigLogGroup(runId, i, kb) {
  const name = `bench-${runId}-page-${String(i).padStart(4, '0')}`;
  return { LogGroupName: name, DataProtectionPolicy: { Name: `policy-${i}`, Description: 'x'.repeat(kb * 1024 - 200), Version: '2021-06-01', Statement: [] } };
}

/** One full walk of the listing (the big LogGroups and the unrelated one); checks that every item comes exactly once. */
async function walk(url, agent, expected) {
  const seen = new Set();
  const tokens = new Set();
  let pages = 0;
  let maxPageBytes = 0;
  let bodyBytes = 0;
  let nextToken;
  do {
    const response = await call(url, 'ListResources', { TypeName: TYPE, MaxResults: 100, ...(nextToken ? { NextToken: nextToken } : {}) }, { agent, timeoutMs: 300_000 });
    if (response.status !== 200) throw new Error(`ListResources: HTTP ${response.status} ${response.body.toString('utf8').slice(0, 300)}`);
    pages++;
    bodyBytes += response.body.length;
    let pageBytes = 0;
    for (const d of response.json.ResourceDescriptions) {
      if (seen.has(d.Identifier)) throw new Error(`ListResources returned ${d.Identifier} twice in one walk`);
      seen.add(d.Identifier);
      pageBytes += Buffer.byteLength(d.Identifier) + Buffer.byteLength(d.Properties);
    }
    maxPageBytes = Math.max(maxPageBytes, pageBytes);
    nextToken = response.json.NextToken;
    if (nextToken !== undefined && tokens.has(nextToken)) throw new Error(`ListResources repeated NextToken ${nextToken}`);
    tokens.add(nextToken);
  } while (nextToken);
  if (seen.size !== expected) throw new Error(`a walk returned ${seen.size} LogGroups, expected ${expected}`);
  return { pages, maxPageBytes, bodyBytes };
}

export async function runPagesBench({ tmp, log, quick, waitForQuiet, noisyCores }) {
  const config = pagesConfig({ quick });
  const runId = Date.now().toString(36);
  log(
    `[pages] ${config.items} LogGroups of ~${config.itemKB} KB in one account; ${config.clients} clients each walk ListResources (MaxResults 100) ` +
      `${config.walks} time(s) at once, while an unrelated GetResourceRequestStatus is polled and the server's RSS sampled every 20 ms`,
  );
  const child = spawnTracked(process.execPath, [...SERVER_NODE_FLAGS, CLI, 'serve', '--port', '0', '--database', join(tmp, `pages-${runId}.db`), '--log-level', 'warn'], { cwd: ROOT });
  const url = await waitForListening(child);
  try {
    const setupAgent = keepAliveAgent(4);
    const t0 = performance.now();
    for (let i = 0; i < config.items; i += 4) {
      const batch = [];
      for (let j = i; j < Math.min(config.items, i + 4); j++) batch.push(createLogGroup(url, setupAgent, bigLogGroup(runId, j, config.itemKB)));
      await Promise.all(batch);
    }
    const unrelatedToken = await createLogGroup(url, setupAgent, { LogGroupName: `bench-${runId}-unrelated` });
    setupAgent.destroy();
    log(`  setup: ${config.items} creates in ${round((performance.now() - t0) / 1000)} s`);
    const quiet = await waitForQuiet();
    const rssBefore = memoryOf(child.pid).rss;

    let peakRss = rssBefore;
    const sampler = setInterval(() => {
      try {
        peakRss = Math.max(peakRss, memoryOf(child.pid).rss);
      } catch {
        // the process is gone; the walks report why
      }
    }, 20);
    let storming = true;
    const latencies = [];
    const pollErrors = [];
    const pollAgent = keepAliveAgent(1);
    const poller = (async () => {
      while (storming) {
        const start = performance.now();
        const response = await call(url, 'GetResourceRequestStatus', { RequestToken: unrelatedToken }, { agent: pollAgent, timeoutMs: 120_000 });
        latencies.push(performance.now() - start);
        if (response.status !== 200) pollErrors.push(`HTTP ${response.status}`);
        await sleep(10);
      }
    })();

    const meter = cpuMeter(child.pid);
    const stormStart = performance.now();
    const walkers = [];
    for (let c = 0; c < config.clients; c++) {
      walkers.push(
        (async () => {
          const agent = keepAliveAgent(1);
          try {
            const walks = [];
            // A failed walk (an HTTP error such as the server's request timeout, a missing or repeated item) is
            // recorded, not thrown: the figures of the others still tell how the server held up.
            for (let w = 0; w < config.walks; w++) walks.push(await walk(url, agent, config.items + 1).catch((error) => ({ error: String(error.message ?? error) })));
            return walks;
          } finally {
            agent.destroy();
          }
        })(),
      );
    }
    let walks;
    try {
      walks = (await Promise.all(walkers)).flat();
    } finally {
      storming = false;
      clearInterval(sampler);
    }
    await poller;
    pollAgent.destroy();
    const failed = walks.filter((w) => w.error);
    const good = walks.filter((w) => !w.error);
    const seconds = (performance.now() - stormStart) / 1000;
    const cpu = meter();
    peakRss = Math.max(peakRss, memoryOf(child.pid).rss);
    const sorted = [...latencies].sort((a, b) => a - b);
    const pages = {
      config,
      seconds: round(seconds, 2),
      rssBeforeMB: round(rssBefore / MB),
      peakRssMB: round(peakRss / MB),
      vmHwmMB: round(memoryOf(child.pid).hwm / MB),
      unrelated: { polls: sorted.length, p50Ms: round(percentile(sorted, 50)), p99Ms: round(percentile(sorted, 99)), maxMs: round(sorted.at(-1)) },
      walks: walks.length,
      failedWalks: failed.length,
      firstWalkError: failed[0]?.error,
      unrelatedErrors: pollErrors.length,
      pagesPerWalk: good[0]?.pages,
      maxPageBytes: good.length ? Math.max(...good.map((w) => w.maxPageBytes)) : undefined,
      responseMBPerWalk: round(good[0]?.bodyBytes / MB),
      cpu: { serverCores: cpu.serverCores, loadGeneratorCores: cpu.loadGeneratorCores, otherCores: cpu.otherCores },
      quietWaitSeconds: quiet.waitedSeconds,
    };
    log(
      `  ${pages.walks} walks in ${pages.seconds} s, ${pages.pagesPerWalk} page(s) per walk, largest page ${((pages.maxPageBytes ?? 0) / MB).toFixed(2)} MiB of descriptions, ` +
        `${pages.responseMBPerWalk} MB of responses per walk; ${failed.length ? `${failed.length} walk(s) FAILED (${failed[0].error.slice(0, 200)})` : `every walk returned all ${config.items + 1} LogGroups once`}`,
    );
    log(`  server RSS ${pages.rssBeforeMB} MB before, peak ${pages.peakRssMB} MB (VmHWM ${pages.vmHwmMB} MB)`);
    log(`  unrelated GetResourceRequestStatus: ${pages.unrelated.polls} polls, p50 ${pages.unrelated.p50Ms} ms, p99 ${pages.unrelated.p99Ms} ms, max ${pages.unrelated.maxMs} ms${pollErrors.length ? `, ${pollErrors.length} errors (${pollErrors[0]})` : ''}`);
    log(`  CPU: server ${cpu.serverCores} / load generator ${cpu.loadGeneratorCores} / other processes ${cpu.otherCores} cores`);
    log();
    const noisy = cpu.otherCores > noisyCores;
    const rows = [
      {
        name: `Server peak RSS, ${config.clients} concurrent ListResources of ${config.items} x ~${config.itemKB} KB`,
        measured: `${pages.peakRssMB} MB (before ${pages.rssBeforeMB} MB)`,
        target: `< ${PAGES_TARGETS.peakRssBytes / MB} MB`,
        pass: peakRss < PAGES_TARGETS.peakRssBytes,
        value: peakRss,
      },
      {
        name: 'Unrelated GetResourceRequestStatus p99 during those lists',
        measured: `${pages.unrelated.p99Ms} ms (p50 ${pages.unrelated.p50Ms}, max ${pages.unrelated.maxMs}, ${pages.unrelated.polls} polls)`,
        target: `< ${PAGES_TARGETS.unrelatedP99Ms} ms`,
        pass: sorted.length > 0 && pollErrors.length === 0 && pages.unrelated.p99Ms < PAGES_TARGETS.unrelatedP99Ms,
        value: pages.unrelated.p99Ms,
        noisy,
      },
      {
        name: 'Every ListResources walk returned every LogGroup exactly once',
        measured: failed.length ? `${failed.length}/${walks.length} walks failed: ${failed[0].error.slice(0, 80)}` : `${walks.length}/${walks.length} walks`,
        target: 'all walks, no HTTP errors',
        pass: failed.length === 0,
      },
    ];
    return { pages, rows, maxOtherCores: cpu.otherCores };
  } finally {
    await stopChild(child, 15_000);
  }
}
