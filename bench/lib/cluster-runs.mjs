/**
 * Measured runs against one or several servers at once, for the PostgreSQL section: GetResourceRequestStatus
 * with autocannon (connections split over the servers), create→SUCCESS with lib/create-load.mjs (clients split),
 * each with a CPU meter from lib/postgres.mjs, and the repeat-when-disturbed rule of bench/run.mjs.
 */
import autocannon from 'autocannon';
import { CONTENT_TYPE, TARGET_PREFIX } from './client.mjs';
import { runCreateLoad } from './create-load.mjs';
import { wrkRun, writeWrkScript } from './wrk.mjs';

const fmt = (n, digits = 0) => (n === undefined || n === null || Number.isNaN(n) ? 'n/a' : n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits }));
const pct = (x, digits = 1) => `${fmt(100 * x, digits)}%`;
const sum = (xs) => xs.reduce((a, b) => a + b, 0);

/** Splits `n` into `parts` near-equal positive shares. */
const split = (n, parts) => Array.from({ length: parts }, (_, i) => Math.floor(n / parts) + (i < n % parts ? 1 : 0));

export const cpuText = (cpu, server = 'ccapi') =>
  `${server} ${cpu.perServerCores.join(' + ')} / PostgreSQL ${cpu.databaseCores} / load generator ${cpu.loadGeneratorCores} / other processes ${cpu.otherCores} cores`;

/**
 * Runs `run(attempt)` after waiting for a quiet machine; repeats it while other processes took more than
 * ctx.noisyCores (at most ctx.noiseRetries times, while state.repeatBudgetMs lasts); keeps the calmest.
 * ctx: { waitForQuiet, noisyCores, noiseRetries, log }; state: { repeatBudgetMs, maxOtherCores }, updated.
 */
export async function measuredRun(ctx, state, label, run) {
  const attempts = [];
  for (let attempt = 0; ; attempt++) {
    const quiet = await ctx.waitForQuiet();
    const t0 = performance.now();
    const result = await run(attempt);
    result.quietWaitSeconds = quiet.waitedSeconds;
    attempts.push(result);
    if (result.cpu.otherCores <= ctx.noisyCores || attempt >= ctx.noiseRetries || state.repeatBudgetMs <= 0) break;
    state.repeatBudgetMs -= performance.now() - t0;
    ctx.log(`    (${label}: other processes used ${result.cpu.otherCores} cores during that run; repeating it)`);
  }
  const best = attempts.reduce((a, b) => (b.cpu.otherCores < a.cpu.otherCores ? b : a));
  best.attempts = attempts.length;
  if (attempts.length > 1) best.discardedAttempts = attempts.filter((a) => a !== best).map((a) => ({ requestsPerSecond: a.requestsPerSecond, completedPerSecond: a.completedPerSecond, cpu: a.cpu }));
  state.maxOtherCores = Math.max(state.maxOtherCores, best.cpu.otherCores);
  return best;
}

/**
 * One run (warm-up, then measured) of GetResourceRequestStatus with `body`, `connections` split over `targets`
 * ([{ url }]); `meterOf()` starts the CPU meter of the measured part. The load comes from autocannon in this
 * process, or, with `wrk` ({ path, scriptDir }), from one wrk process per target (lib/wrk.mjs).
 */
export async function grrsRun({ targets, body, bodies, connections, warmupSeconds, seconds, meterOf, label, log, wrk }) {
  const shares = split(connections, targets.length);
  const headers = { 'content-type': CONTENT_TYPE, 'x-amz-target': `${TARGET_PREFIX}GetResourceRequestStatus` };
  let script;
  if (wrk) {
    script = `${wrk.scriptDir}/grrs-${bodies?.length ?? 1}.lua`;
    writeWrkScript(script, { headers, bodies: bodies?.length ? bodies : [body] });
  }
  // With `bodies`, consecutive requests (across all connections) poll different requests, as many clients
  // polling their own requests do; one body would let a server answer every concurrent poll with one read.
  let next = 0;
  const rotating = bodies?.length
    ? { requests: [{ method: 'POST', path: '/', setupRequest: (req) => ({ ...req, body: bodies[next++ % bodies.length] }) }] }
    : { body };
  const run = (duration) =>
    Promise.all(
      targets.map((t, i) =>
        wrk
          ? wrkRun({ wrk: wrk.path, script, url: t.url, connections: shares[i], seconds: duration })
          : autocannon({ url: `${t.url}/`, method: 'POST', headers, ...rotating, connections: shares[i], duration }),
      ),
    );
  if (warmupSeconds > 0) await run(warmupSeconds);
  const meter = await meterOf();
  const rs = await run(seconds);
  const cpu = await meter();
  const completed = sum(rs.map((r) => r.requests.total));
  const twoHundreds = sum(rs.map((r) => r['2xx']));
  const bad = sum(rs.map((r) => r.non2xx + r.errors + r.timeouts));
  const result = {
    server: label,
    loadGenerator: wrk ? 'wrk' : 'autocannon',
    targets: targets.length,
    connections: shares,
    requestsPerSecond: sum(rs.map((r) => r.requests.total / r.duration)),
    perTargetRequestsPerSecond: rs.map((r) => Math.round(r.requests.total / r.duration)),
    completed,
    '2xx': twoHundreds,
    non2xx: sum(rs.map((r) => r.non2xx)),
    errors: sum(rs.map((r) => r.errors)),
    timeouts: sum(rs.map((r) => r.timeouts)),
    allTwoHundreds: bad === 0 && twoHundreds === completed && completed > 0,
    latencyMs: { p50: Math.max(...rs.map((r) => r.latency.p50)), p99: Math.max(...rs.map((r) => r.latency.p99)) },
    cpu,
  };
  const systemCores = cpu.serverCores + cpu.databaseCores;
  result.requestsPerSystemCoreSecond = systemCores > 0 ? result.requestsPerSecond / systemCores : undefined;
  log(
    `  ${label.padEnd(9)} ${fmt(result.requestsPerSecond).padStart(7)} req/s${targets.length > 1 ? ` (${result.perTargetRequestsPerSecond.map((x) => fmt(x)).join(' + ')})` : ''}  ` +
      `p50 ${result.latencyMs.p50} ms  p99 ${result.latencyMs.p99} ms  2xx ${fmt(twoHundreds)}/${fmt(completed)}  ` +
      `CPU ${cpuText(cpu, label === 'baseline' ? 'baseline' : 'ccapi')} (${fmt(result.requestsPerSystemCoreSecond)} req per ${label === 'baseline' ? 'server' : 'ccapi+PostgreSQL'} CPU-second)`,
  );
  return result;
}

/**
 * One create→SUCCESS phase (warm-up, then measured) with `clients` split over `urls`. Every accepted token is
 * kept in `tokens` ([{ token, url }]), for the timelines. `attempt` keeps the names of a repeated run unique.
 */
export async function createRun({ urls, clients, createType, warmupSeconds, seconds, meterOf, label, runId, attempt, log }) {
  const shares = split(clients, urls.length);
  const slug = label.toLowerCase().replace(/[^a-z0-9]+/g, '-'); // LogGroup names and ClientTokens take no spaces
  const load = (seconds, phase, onAccepted) =>
    Promise.all(
      urls.map((url, i) =>
        runCreateLoad({ url, clients: shares[i], seconds, kind: createType, runId, phase: `${phase}-${attempt}-${i}`, onAccepted: onAccepted && ((token) => onAccepted(token, i)) }),
      ),
    );
  if (warmupSeconds > 0) await load(warmupSeconds, `pg-${slug}-warm`);
  const tokens = [];
  const meter = await meterOf();
  const parts = await load(seconds, `pg-${slug}`, (token, i) => tokens.push({ token, url: urls[i] }));
  const cpu = await meter();
  const elapsedSeconds = Math.max(...parts.map((p) => p.elapsedSeconds));
  const firstPoll = {};
  for (const p of parts) for (const [k, v] of Object.entries(p.firstPoll)) firstPoll[k] = (firstPoll[k] ?? 0) + v;
  const firstPolls = sum(Object.values(firstPoll));
  const httpErrors = {};
  for (const p of parts) for (const [k, v] of Object.entries(p.httpErrors)) httpErrors[k] = (httpErrors[k] ?? 0) + v;
  const result = {
    phase: label,
    nodes: urls.length,
    clients: shares,
    completed: sum(parts.map((p) => p.completed)),
    elapsedSeconds,
    requests: sum(parts.map((p) => p.requests)),
    firstPoll,
    firstPolls,
    firstPollSuccessShare: firstPolls ? (firstPoll.SUCCESS ?? 0) / firstPolls : 0,
    failed: sum(parts.map((p) => p.failed)),
    pollTimeouts: sum(parts.map((p) => p.pollTimeouts)),
    transportErrors: sum(parts.map((p) => p.transportErrors)),
    firstTransportError: parts.find((p) => p.firstTransportError)?.firstTransportError,
    httpErrors,
    latencyMs: { p50: Math.max(...parts.map((p) => p.latencyMs.p50 ?? 0)), p99: Math.max(...parts.map((p) => p.latencyMs.p99 ?? 0)) },
    cpu,
    tokens,
  };
  result.completedPerSecond = result.completed / elapsedSeconds;
  result.errors = result.failed + result.pollTimeouts + result.transportErrors + sum(Object.values(httpErrors));
  const systemCores = cpu.serverCores + cpu.databaseCores;
  result.completedPerSystemCoreSecond = systemCores > 0 ? result.completedPerSecond / systemCores : undefined;
  log(
    `  ${label.padEnd(9)} ${fmt(result.completed)} creates reached SUCCESS in ${fmt(elapsedSeconds, 2)} s = ${fmt(result.completedPerSecond)}/s; ` +
      `first poll SUCCESS ${pct(result.firstPollSuccessShare, 2)}; latency p50 ${fmt(result.latencyMs.p50, 1)} ms, p99 ${fmt(result.latencyMs.p99, 1)} ms; errors ${result.errors}` +
      `${result.errors ? ` (${JSON.stringify(httpErrors)}${result.firstTransportError ? `; ${result.firstTransportError}` : ''})` : ''}; CPU ${cpuText(cpu)}`,
  );
  return result;
}
