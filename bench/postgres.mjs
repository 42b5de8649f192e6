/**
 * The PostgreSQL section of the bench (issue #5): ccapi nodes sharing one PostgreSQL database.
 * Run by bench/run.mjs after the other sections, or alone with BENCH_ONLY=postgres. Skipped, saying why, when
 * PostgreSQL is not reachable. Each run creates its own database (`ccapi_bench_<pid>_<random>`), applies the
 * schema with `ccapi migrate`, starts two nodes on it with `ccapi serve --database postgres://...`, and drops
 * the database at the end (also when the bench is interrupted).
 *
 *   a. GetResourceRequestStatus, BENCH_PG_ROUNDS rounds in alternating order of three runs polling finished
 *      requests: the bare node:http baseline returning the bytes ccapi answered (bench/baseline-server.mjs); one
 *      node with every connection; two nodes with the connections split evenly. Then one node and two nodes
 *      polling requests still in flight (held IN_PROGRESS by an injected delay): every such poll reads
 *      PostgreSQL, while a finished request's view is read once per node (src/store/postgres/terminal-statuses.ts).
 *      The load comes from wrk when it is installed (lib/wrk.mjs says why: on two cores the generator's CPU is
 *      taken from the second node), else from autocannon in the bench process.
 *                              Targets: one node >= 30% of the baseline; two nodes >= 1.5x one node; all 2xx.
 *                              The in-flight figures are reported beside them.
 *   b. Create→SUCCESS (bench/lib/create-load.mjs) through a fresh SQLite node (the comparison, measured here so
 *      that it shares the run's conditions), one PostgreSQL node, and two nodes with the clients split evenly.
 *                              Targets: >= 500/s through one node; first poll SUCCESS >= 99%; no errors.
 *      Before each PostgreSQL create phase, and before c., the bench database is vacuumed and checkpointed (settle()).
 *   c. Claim latency, from the requests' timelines (GET /_ccapi/requests/<token>/events, bench/lib/timelines.mjs),
 *      at a moderate rate (BENCH_PG_CLAIM_RATE creates/s, alternating nodes), half of them (seeded) with an
 *      injected delay: accepted → first step applied for the others (a fresh request is inserted leased to the
 *      accepting node, whose worker steps it at once), due → first step applied for the delayed ones (when the
 *      delay ends, the nodes wake by timer and LISTEN/NOTIFY and claim with SKIP LOCKED). Accepted → first step
 *      is also read for a sample of b.'s creates: what it becomes under full load (shown with the first polls).
 *                              Target (#5): p99 < 20 ms, all SUCCESS.
 *
 * Every server is its own process on the same cores as the load generator and PostgreSQL. The CPU of the
 * PostgreSQL processes serving the bench database (and of its background writers) is counted apart, so that
 * only the rest counts as other processes (noise); a run disturbed by them is repeated within a budget and a
 * figure still disturbed is marked (noisy).
 *
 * Environment (all optional; BENCH_CONNECTIONS, BENCH_CLIENTS, BENCH_CREATE_TYPE, BENCH_NOISE_RETRIES as in run.mjs):
 *   BENCH_POSTGRES_URL=postgres://postgres@127.0.0.1:5432/test  the server (any database on it; used for CREATE/DROP DATABASE)
 *   BENCH_PG_SECONDS=6         measured seconds per GetResourceRequestStatus run and create phase (BENCH_QUICK: 3)
 *   BENCH_PG_WARMUP_SECONDS=2  warm-up seconds before each (BENCH_QUICK: 1)
 *   BENCH_PG_ROUNDS=2          GetResourceRequestStatus rounds (BENCH_QUICK: 1)
 *   BENCH_PG_TIMELINES=300     timelines read per create phase for the accepted → first step latency
 *   BENCH_PG_CLAIM_RATE=100    creates per second for c., over BENCH_PG_CLAIM_SECONDS=3 (BENCH_QUICK: 2)
 *   BENCH_PG_CLAIM_DELAY_MS=200  the injected delay of half of them
 *   BENCH_PG_REPEAT_BUDGET_SECONDS=20  time spent repeating disturbed runs (BENCH_QUICK: 8)
 *   BENCH_LOAD_GENERATOR=auto  for a.: wrk (BENCH_WRK=/path, or wrk on the PATH), autocannon, or auto (wrk when
 *                              found, else autocannon, saying so). When wrk is missing and the bench runs as
 *                              root with apt-get, it installs Debian's wrk first (BENCH_INSTALL_WRK=0: don't)
 */
import { execFile } from 'node:child_process';
import { SERVER_NODE_FLAGS } from './lib/server-command.mjs';
import { writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { call, createAndWait, progressEventOf } from './lib/client.mjs';
import { cpuText, createRun, grrsRun, measuredRun } from './lib/cluster-runs.mjs';
import { clusterCpuMeter, commitLatency, createBenchDatabase, DEFAULT_POSTGRES_URL, describeUrl, probePostgres } from './lib/postgres.mjs';
import { spawnTracked, stopChild, waitForListening } from './lib/processes.mjs';
import { baselineSpec, headerShape, sameBytes } from './lib/response-capture.mjs';
import { acceptedToFirstStep, measureClaimLatency, putFaults } from './lib/timelines.mjs';
import { ensureWrk } from './lib/wrk.mjs';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const CLI = join(ROOT, 'dist', 'cli.js');
const BASELINE = join(ROOT, 'bench', 'baseline-server.mjs');
const RESULTS_DIR = join(ROOT, 'bench', 'results');

export const POSTGRES_TARGETS = {
  grrsRatio: 0.3,
  twoNodeGrrsScale: 1.5,
  createsPerSecond: 500,
  firstPollSuccessShare: 0.99,
  claimP99Ms: 20,
};

const fmt = (n, digits = 0) => (n === undefined || n === null || Number.isNaN(n) ? 'n/a' : n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits }));
const pct = (x, digits = 1) => `${fmt(100 * x, digits)}%`;
const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;
const sum = (xs) => xs.reduce((a, b) => a + b, 0);

function numberEnv(name, fallback) {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0) throw new Error(`${name} must be a non-negative number, got ${raw}`);
  return value;
}

export function postgresConfig({ quick }) {
  const seconds = numberEnv('BENCH_PG_SECONDS', quick ? 3 : 6);
  return {
    serverUrl: process.env.BENCH_POSTGRES_URL || DEFAULT_POSTGRES_URL,
    seconds,
    warmupSeconds: numberEnv('BENCH_PG_WARMUP_SECONDS', quick ? 1 : 2),
    rounds: Math.max(1, Math.round(numberEnv('BENCH_PG_ROUNDS', quick ? 1 : 2))),
    timelines: Math.round(numberEnv('BENCH_PG_TIMELINES', quick ? 150 : 300)),
    claimRate: Math.max(1, numberEnv('BENCH_PG_CLAIM_RATE', 100)),
    claimSeconds: numberEnv('BENCH_PG_CLAIM_SECONDS', quick ? 2 : 3),
    claimDelayMs: Math.round(numberEnv('BENCH_PG_CLAIM_DELAY_MS', 200)),
    repeatBudgetSeconds: numberEnv('BENCH_PG_REPEAT_BUDGET_SECONDS', quick ? 8 : 20),
    loadGenerator: process.env.BENCH_LOAD_GENERATOR || 'auto',
  };
}

/**
 * Runs the section and adds its rows to `results.checks` (the table), its figures to `results.postgres`.
 * ctx: { tmp, log, quick, only, connections, clients, createType, noiseRetries, waitForQuiet, noisyCores, noise }.
 * With only === 'postgres', an unreachable server or a broken section is an error (the bench exits 2); in a
 * full run it is a skip line, or a failed row, and the other sections' results stand.
 */
export async function runPostgresSection(results, ctx) {
  results.targets.postgres = POSTGRES_TARGETS;
  let outcome;
  try {
    outcome = await runPostgresBench(ctx);
  } catch (error) {
    if (ctx.only === 'postgres') throw error;
    process.stderr.write(`postgres section failed: ${error.stack ?? error}\n`);
    results.postgres = { error: String(error.message ?? error) };
    results.checks.push({ name: 'PostgreSQL section', measured: `error: ${String(error.message ?? error).slice(0, 120)}`, target: 'runs', result: 'FAIL', pass: false });
    return;
  }
  const { postgres, rows } = outcome;
  results.postgres = postgres;
  if (postgres.skipped) {
    ctx.log(`[postgres] skipped: ${postgres.skipped}`);
    ctx.log();
    if (ctx.only === 'postgres') throw new Error(`postgres section skipped: ${postgres.skipped}`);
    return;
  }
  ctx.noise.maxOtherCores = Math.max(ctx.noise.maxOtherCores, postgres.maxOtherCores);
  for (const { name, measured, target, pass, ...extra } of rows) {
    results.checks.push({ name, measured, target, result: (pass ? 'PASS' : 'FAIL') + (extra.noisy ? ' (noisy)' : ''), pass, ...extra });
  }
}

async function startServer(args, env) {
  const child = spawnTracked(process.execPath, args, { cwd: ROOT, env });
  const url = await waitForListening(child);
  return { child, url, pid: child.pid };
}

/** The environment of every node: no schemas bundle from the caller's cache or shell, so every node serves the same catalogue. */
function nodeEnv(tmp) {
  const env = { ...process.env, XDG_CACHE_HOME: join(tmp, 'postgres-cache'), CCAPI_CACHE_DIR: join(tmp, 'postgres-cache') };
  delete env.CCAPI_SCHEMAS;
  delete env.CCAPI_DATABASE;
  return env;
}

const startNode = (database, tmp) => startServer([...SERVER_NODE_FLAGS, CLI, 'serve', '--port', '0', '--database', database, '--log-level', 'warn', '--no-cached-schemas'], nodeEnv(tmp));

function migrate(url, tmp) {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    execFile(process.execPath, [CLI, 'migrate', '--database', url], { cwd: ROOT, env: nodeEnv(tmp) }, (error, stdout, stderr) => {
      if (error) reject(new Error(`ccapi migrate failed: ${stderr || stdout || error.message}`));
      else resolve({ ms: +(performance.now() - t0).toFixed(1), output: stdout.trim() });
    });
  });
}

/** How many distinct requests the GetResourceRequestStatus load polls, in turn. */
const GRRS_TOKENS = 512;

/**
 * Cleans up after the phase before: each create phase leaves thousands of dead row versions (every request is
 * updated as it runs), and autovacuum would clean them up during the next phase, charging that phase for its
 * predecessor and disturbing its latencies. VACUUM (ANALYZE) and a CHECKPOINT now, so each phase starts from the
 * same kind of state and measures itself. Returns what it did, for latest.json.
 */
async function settle(client, log) {
  const t0 = performance.now();
  await client.query('VACUUM (ANALYZE) ccapi.requests, ccapi.request_events, ccapi.resources');
  let checkpoint = true;
  try {
    await client.query('CHECKPOINT');
  } catch {
    checkpoint = false; // needs a superuser (or pg_checkpoint); the vacuum is the main part
  }
  const ms = Math.round(performance.now() - t0);
  log(`  (settled the database before the next phase: VACUUM (ANALYZE)${checkpoint ? ' and CHECKPOINT' : ''}, ${ms} ms)`);
  return { ms, checkpoint };
}

/** Sends one CreateResource through `url`; returns its request token without waiting for it to finish. */
async function acceptOne(url, name) {
  const input = { TypeName: 'AWS::Logs::LogGroup', DesiredState: JSON.stringify({ LogGroupName: name }), ClientToken: name };
  return progressEventOf(await call(url, 'CreateResource', input), 'CreateResource').RequestToken;
}

/** { path, scriptDir } for wrk, or undefined for autocannon, as BENCH_LOAD_GENERATOR asks (see the header). */
function loadGenerator(choice, tmp, log) {
  if (!['auto', 'wrk', 'autocannon'].includes(choice)) throw new Error(`BENCH_LOAD_GENERATOR must be auto, wrk or autocannon, got ${choice}`);
  if (choice === 'autocannon') return undefined;
  const path = ensureWrk(log);
  if (path) {
    log(`  load generator: ${path} (one process and thread per server)`);
    return { path, scriptDir: tmp };
  }
  if (choice === 'wrk') throw new Error('BENCH_LOAD_GENERATOR=wrk, but no wrk on the PATH (apt-get install wrk, or set BENCH_WRK)');
  log('  load generator: autocannon, in this process (wrk is not installed: `apt-get install wrk` frees CPU for the second node, see bench/lib/wrk.mjs)');
  return undefined;
}

/** Runs the measurements. Returns { postgres (for latest.json), rows } or { postgres: { skipped } }. */
async function runPostgresBench(ctx) {
  const config = postgresConfig(ctx);
  const { log, tmp } = ctx;
  const where = describeUrl(config.serverUrl);
  const probe = await probePostgres(config.serverUrl);
  if (probe.unreachable) {
    return {
      postgres: { skipped: `PostgreSQL is not reachable at ${where} (${probe.unreachable}); start it (.ci/run does) or set BENCH_POSTGRES_URL`, config: { ...config, serverUrl: where } },
      rows: [],
    };
  }
  const runId = Date.now().toString(36);
  const state = { repeatBudgetMs: config.repeatBudgetSeconds * 1000, maxOtherCores: 0 };
  const noisy = (...runs) => runs.some((r) => r.cpu.otherCores > ctx.noisyCores);
  const postgres = { server: where, serverVersion: probe.version, config: { ...config, serverUrl: where }, nproc: cpus().length };
  const db = await createBenchDatabase(config.serverUrl);
  postgres.database = db.name;
  const monitor = new pg.Client({ connectionString: db.url, connectionTimeoutMillis: 3_000 });
  const started = [];
  try {
    await monitor.connect();
    log(`[postgres] PostgreSQL ${probe.version} at ${where}; fresh database ${db.name} (dropped at the end)`);
    postgres.migrate = await migrate(db.url, tmp);
    log(`  ccapi migrate: ${postgres.migrate.output} (${fmt(postgres.migrate.ms)} ms, process start included)`);
    const nodes = [];
    for (let i = 0; i < 2; i++) {
      const t0 = performance.now();
      nodes.push(await startNode(db.url, tmp));
      started.push(nodes[i].child);
      log(`  node ${i + 1} listening on ${nodes[i].url} after ${fmt(performance.now() - t0)} ms`);
    }
    const nodePids = nodes.map((n) => n.pid);
    const meterOf = (pids) => () => clusterCpuMeter({ serverPids: pids, client: monitor, database: db.name });
    log();

    // a. GetResourceRequestStatus.
    log(`[postgres] GetResourceRequestStatus: bare node:http vs one node vs two nodes (connections split), ${ctx.connections} connections, ${config.rounds} round(s)`);
    // Many distinct requests, polled in turn (each the same size): the status reads a node batches are reads of
    // different rows, as under real polling load.
    const tokens = [];
    for (let i = 0; i < GRRS_TOKENS; i += 16) {
      tokens.push(...(await Promise.all(Array.from({ length: 16 }, (_, j) => createAndWait(nodes[0].url, `bench-${runId}-pg-grrs-${String(i + j).padStart(4, '0')}`).then((c) => c.token)))));
    }
    // Requests held IN_PROGRESS for the whole section by an injected delay: their polls cannot be remembered.
    await putFaults(nodes[0].url, { rules: [{ typeName: 'AWS::Logs::LogGroup', operation: 'CREATE', delayMs: 3_600_000 }] });
    const inFlightTokens = [];
    for (let i = 0; i < GRRS_TOKENS; i += 16) {
      inFlightTokens.push(...(await Promise.all(Array.from({ length: 16 }, (_, j) => acceptOne(nodes[0].url, `bench-${runId}-pg-inflight-${String(i + j).padStart(4, '0')}`)))));
    }
    await putFaults(nodes[0].url, undefined);
    const token = tokens[0];
    const body = JSON.stringify({ RequestToken: token });
    const bodies = tokens.map((t) => JSON.stringify({ RequestToken: t }));
    const inFlightBodies = inFlightTokens.map((t) => JSON.stringify({ RequestToken: t }));
    const inFlight = progressEventOf(await call(nodes[1].url, 'GetResourceRequestStatus', { RequestToken: inFlightTokens[0] }), 'in-flight GetResourceRequestStatus');
    if (inFlight.OperationStatus !== 'IN_PROGRESS') throw new Error(`an in-flight request is ${inFlight.OperationStatus}, not IN_PROGRESS`);
    const captured = await call(nodes[0].url, 'GetResourceRequestStatus', { RequestToken: token });
    progressEventOf(captured, 'capture GetResourceRequestStatus');
    const fromOther = await call(nodes[1].url, 'GetResourceRequestStatus', { RequestToken: token });
    if (!sameBytes(captured, fromOther)) throw new Error('the two nodes answer the same GetResourceRequestStatus differently');
    const specFile = join(RESULTS_DIR, 'grrs-response-postgres.json');
    writeFileSync(specFile, JSON.stringify(baselineSpec(captured, { capturedFrom: 'ccapi GetResourceRequestStatus on PostgreSQL', requestBody: body }), null, 2));
    const baseline = await startServer([BASELINE, specFile]);
    started.push(baseline.child);
    const fromBaseline = await call(baseline.url, 'GetResourceRequestStatus', { RequestToken: token });
    if (!sameBytes(captured, fromBaseline)) {
      throw new Error(`baseline response differs from ccapi's:\n ccapi    ${headerShape(captured.rawHeaders).join(' | ')}\n baseline ${headerShape(fromBaseline.rawHeaders).join(' | ')}`);
    }
    log(`  response: ${captured.body.length}-byte body; both nodes and the baseline answer identical bytes`);
    const wrk = loadGenerator(config.loadGenerator, tmp, log);
    const runs = { baseline: [], oneNode: [], twoNodes: [], oneNodeInFlight: [], twoNodesInFlight: [] };
    const plan = {
      baseline: [[baseline], meterOf([baseline.pid]), 'baseline', bodies],
      oneNode: [[nodes[0]], meterOf(nodePids), 'one node', bodies],
      twoNodes: [nodes, meterOf(nodePids), 'two nodes', bodies],
      oneNodeInFlight: [[nodes[0]], meterOf(nodePids), 'one node, in flight', inFlightBodies],
      twoNodesInFlight: [nodes, meterOf(nodePids), 'two nodes, in flight', inFlightBodies],
    };
    for (let round = 0; round < config.rounds; round++) {
      const order = round % 2 === 0 ? ['baseline', 'oneNode', 'twoNodes', 'oneNodeInFlight', 'twoNodesInFlight'] : ['twoNodesInFlight', 'oneNodeInFlight', 'twoNodes', 'oneNode', 'baseline'];
      log(`  round ${round + 1}`);
      for (const which of order) {
        const [targets, meter, label, polled] = plan[which];
        const run = () => grrsRun({ targets, body, bodies: polled, connections: ctx.connections, warmupSeconds: config.warmupSeconds, seconds: config.seconds, meterOf: meter, label, log, wrk });
        runs[which].push(await measuredRun(ctx, state, label, run));
      }
    }
    await stopChild(baseline.child);
    const rps = (list) => mean(list.map((r) => r.requestsPerSecond));
    const perCore = (list) => mean(list.map((r) => r.requestsPerSystemCoreSecond));
    const cores = (list, key) => +mean(list.map((r) => r.cpu[key])).toFixed(2);
    const oneNodeCores = cores(runs.oneNode, 'serverCores') + cores(runs.oneNode, 'databaseCores') + cores(runs.oneNode, 'loadGeneratorCores');
    const grrs = {
      runs,
      loadGenerator: wrk ? 'wrk' : 'autocannon',
      responseBodyBytes: captured.body.length,
      baselineRequestsPerSecond: rps(runs.baseline),
      oneNodeRequestsPerSecond: rps(runs.oneNode),
      twoNodesRequestsPerSecond: rps(runs.twoNodes),
      inFlight: { oneNodeRequestsPerSecond: rps(runs.oneNodeInFlight), twoNodesRequestsPerSecond: rps(runs.twoNodesInFlight) },
      allTwoHundreds: [...runs.oneNode, ...runs.twoNodes, ...runs.oneNodeInFlight, ...runs.twoNodesInFlight].every((r) => r.allTwoHundreds),
      // What the machine allows two nodes: the cores other processes left them, at the CPU cost per request
      // (ccapi, PostgreSQL and the load generator) of the one-node run. With two cores and one node already
      // using most of them, the two-node figure cannot rise much above 1x, whatever ccapi does.
      twoNodeCeiling: Math.min(2, (postgres.nproc - cores(runs.twoNodes, 'otherCores')) / oneNodeCores),
      oneNodeCores: +oneNodeCores.toFixed(2),
    };
    grrs.ratio = grrs.oneNodeRequestsPerSecond / grrs.baselineRequestsPerSecond;
    grrs.twoNodeScale = grrs.twoNodesRequestsPerSecond / grrs.oneNodeRequestsPerSecond;
    grrs.perCoreScale = perCore(runs.twoNodes) / perCore(runs.oneNode);
    grrs.inFlight.ratio = grrs.inFlight.oneNodeRequestsPerSecond / grrs.baselineRequestsPerSecond;
    grrs.inFlight.twoNodeScale = grrs.inFlight.twoNodesRequestsPerSecond / grrs.inFlight.oneNodeRequestsPerSecond;
    postgres.getResourceRequestStatus = grrs;
    log(
      `  mean: baseline ${fmt(grrs.baselineRequestsPerSecond)}, one node ${fmt(grrs.oneNodeRequestsPerSecond)} (${pct(grrs.ratio)} of baseline), ` +
        `two nodes ${fmt(grrs.twoNodesRequestsPerSecond)} req/s (${fmt(grrs.twoNodeScale, 2)}x one node)`,
    );
    log(
      `  one node used ${fmt(grrs.oneNodeCores, 2)} of ${postgres.nproc} cores (ccapi + PostgreSQL + load generator): two nodes can reach at most ~${fmt(grrs.twoNodeCeiling, 2)}x here, at that cost per request; ` +
        `req per ccapi+PostgreSQL CPU-second, two nodes vs one: ${fmt(grrs.perCoreScale, 2)}x`,
    );
    log(
      `  polls of requests in flight (each reads PostgreSQL): one node ${fmt(grrs.inFlight.oneNodeRequestsPerSecond)} (${pct(grrs.inFlight.ratio)} of baseline), ` +
        `two nodes ${fmt(grrs.inFlight.twoNodesRequestsPerSecond)} req/s (${fmt(grrs.inFlight.twoNodeScale, 2)}x one node)`,
    );
    log();

    // b. Create → SUCCESS.
    log(`[postgres] create→SUCCESS, ${ctx.clients} clients (${ctx.createType}): fresh SQLite node (comparison), one PostgreSQL node, two nodes (clients split)`);
    const sqlite = await startNode(join(tmp, `postgres-section-sqlite-${runId}.db`), tmp);
    started.push(sqlite.child);
    const creates = {};
    const createPhase = (label, urls, meter) =>
      measuredRun(ctx, state, label, async (attempt) => {
        // The disk's flush latency at that moment: other sessions' writes slow creates without using our CPU.
        const commitMs = await commitLatency(monitor);
        const result = await createRun({ urls, clients: ctx.clients, createType: ctx.createType, warmupSeconds: config.warmupSeconds, seconds: config.seconds, meterOf: meter, label, runId, attempt, log });
        log(`            (PostgreSQL commit latency just before: p50 ${commitMs.p50} ms, p90 ${commitMs.p90} ms)`);
        return Object.assign(result, { commitMs });
      });
    creates.sqlite = await createPhase('SQLite', [sqlite.url], meterOf([sqlite.pid]));
    await stopChild(sqlite.child);
    postgres.settle = [];
    postgres.settle.push(await settle(monitor, log));
    creates.oneNode = await createPhase('one node', [nodes[0].url], meterOf(nodePids));
    postgres.settle.push(await settle(monitor, log));
    creates.twoNodes = await createPhase('two nodes', nodes.map((n) => n.url), meterOf(nodePids));
    if (ctx.sqliteCreates) creates.coreSectionSqlitePerSecond = ctx.sqliteCreates.completedPerSecond;

    // c. Claim latency: under the full create load (a sample of b.'s timelines), then at a moderate rate.
    const urls = nodes.map((n) => n.url);
    creates.oneNode.acceptedToFirstStepMs = await acceptedToFirstStep(creates.oneNode.tokens, [nodes[0].url], config.timelines);
    creates.twoNodes.acceptedToFirstStepMs = await acceptedToFirstStep(creates.twoNodes.tokens, urls, config.timelines);
    for (const c of [creates.sqlite, creates.oneNode, creates.twoNodes]) delete c.tokens; // not for latest.json
    const [loadedOne, loadedTwo] = [creates.oneNode.acceptedToFirstStepMs, creates.twoNodes.acceptedToFirstStepMs];
    log(
      `  accepted → first step applied under this load (timelines of ${loadedOne.count} + ${loadedTwo.count} sampled creates): ` +
        `one node p50 ${loadedOne.p50} ms, p99 ${loadedOne.p99} ms; two nodes p50 ${loadedTwo.p50} ms, p99 ${loadedTwo.p99} ms`,
    );
    log();
    log(
      `[postgres] claim latency: ${fmt(config.claimRate)} creates/s for ${config.claimSeconds} s, alternating nodes; half of them (seeded) with an injected ` +
        `${config.claimDelayMs} ms delay, claimed with SKIP LOCKED when due`,
    );
    postgres.settle.push(await settle(monitor, log));
    await ctx.waitForQuiet();
    const claim = await measureClaimLatency({ urls, rate: config.claimRate, seconds: config.claimSeconds, delayMs: config.claimDelayMs, runId, meterOf: meterOf(nodePids) });
    state.maxOtherCores = Math.max(state.maxOtherCores, claim.cpu.otherCores);
    const { fresh, due } = claim;
    log(`  accepted → first step applied (${fresh.count} requests): p50 ${fresh.p50} ms, p90 ${fresh.p90} ms, p99 ${fresh.p99} ms, max ${fresh.max} ms`);
    log(`  due → first step applied (${due.count} requests): p50 ${due.p50} ms, p90 ${due.p90} ms, p99 ${due.p99} ms, max ${due.max} ms`);
    log(`  ${claim.notSuccess} not SUCCESS, ${claim.missing} without a step; CPU ${cpuText(claim.cpu)}`);
    postgres.createToSuccess = creates;
    postgres.claimLatency = claim;
    postgres.maxOtherCores = state.maxOtherCores;
    log();

    // Rows.
    const rows = [];
    const grrsRuns = Object.values(runs).flat();
    rows.push({
      name: 'PostgreSQL: GetResourceRequestStatus, one node vs baseline',
      measured: `${pct(grrs.ratio)} (${fmt(grrs.oneNodeRequestsPerSecond)} vs ${fmt(grrs.baselineRequestsPerSecond)} req/s, ${grrs.loadGenerator}; in flight ${pct(grrs.inFlight.ratio)})`,
      target: `>= ${pct(POSTGRES_TARGETS.grrsRatio, 0)} of baseline`,
      pass: grrs.ratio >= POSTGRES_TARGETS.grrsRatio,
      value: grrs.ratio,
      noisy: noisy(...runs.baseline, ...runs.oneNode),
    });
    rows.push({
      name: 'PostgreSQL: GetResourceRequestStatus, two nodes vs one',
      measured:
        `${fmt(grrs.twoNodeScale, 2)}x (${fmt(grrs.twoNodesRequestsPerSecond)} vs ${fmt(grrs.oneNodeRequestsPerSecond)} req/s, ${grrs.loadGenerator}; ` +
        `one node used ${fmt(grrs.oneNodeCores, 2)} of ${postgres.nproc} cores, so ~${fmt(grrs.twoNodeCeiling, 2)}x is this machine's ceiling; in flight ${fmt(grrs.inFlight.twoNodeScale, 2)}x)`,
      target: `>= ${POSTGRES_TARGETS.twoNodeGrrsScale}x one node`,
      pass: grrs.twoNodeScale >= POSTGRES_TARGETS.twoNodeGrrsScale,
      value: grrs.twoNodeScale,
      noisy: noisy(...runs.oneNode, ...runs.twoNodes),
    });
    rows.push({
      name: 'PostgreSQL: GetResourceRequestStatus responses all 2xx',
      measured: `${fmt(sum(grrsRuns.map((r) => r['2xx'])))} 2xx / ${fmt(sum(grrsRuns.map((r) => r.completed)))}; non-2xx ${sum(grrsRuns.map((r) => r.non2xx))}, errors ${sum(grrsRuns.map((r) => r.errors + r.timeouts))}`,
      target: '100% 2xx, no errors',
      pass: grrs.allTwoHundreds,
    });
    const coreText = creates.coreSectionSqlitePerSecond === undefined ? '' : `; core section ${fmt(creates.coreSectionSqlitePerSecond)}/s`;
    rows.push({
      name: 'PostgreSQL: create→SUCCESS, one node',
      measured:
        `${fmt(creates.oneNode.completedPerSecond)}/s (${pct(creates.oneNode.completedPerSecond / creates.sqlite.completedPerSecond, 0)} of SQLite's ${fmt(creates.sqlite.completedPerSecond)}/s here${coreText}; ` +
        `commit p50 ${creates.oneNode.commitMs.p50} ms)`,
      target: `>= ${fmt(POSTGRES_TARGETS.createsPerSecond)}/s`,
      pass: creates.oneNode.completedPerSecond >= POSTGRES_TARGETS.createsPerSecond,
      value: creates.oneNode.completedPerSecond,
      noisy: noisy(creates.oneNode, creates.sqlite),
    });
    rows.push({
      name: 'PostgreSQL: create→SUCCESS, two nodes',
      measured:
        `${fmt(creates.twoNodes.completedPerSecond)}/s (${fmt(creates.twoNodes.completedPerSecond / creates.oneNode.completedPerSecond, 2)}x one node; ` +
        `CPU ccapi ${creates.twoNodes.cpu.serverCores} + PostgreSQL ${creates.twoNodes.cpu.databaseCores} cores; commit p50 ${creates.twoNodes.commitMs.p50} ms)`,
      target: `>= ${fmt(POSTGRES_TARGETS.createsPerSecond)}/s`,
      pass: creates.twoNodes.completedPerSecond >= POSTGRES_TARGETS.createsPerSecond,
      value: creates.twoNodes.completedPerSecond,
      noisy: noisy(creates.twoNodes),
    });
    const pgPhases = [creates.oneNode, creates.twoNodes];
    const minShare = Math.min(...pgPhases.map((c) => c.firstPollSuccessShare));
    rows.push({
      name: 'PostgreSQL: first poll already SUCCESS (one node, two nodes)',
      measured:
        `${pgPhases.map((c) => pct(c.firstPollSuccessShare, 2)).join(', ')} ` +
        `(accepted → first step under that load: p99 ${pgPhases.map((c) => fmt(c.acceptedToFirstStepMs.p99)).join(', ')} ms)`,
      target: `>= ${pct(POSTGRES_TARGETS.firstPollSuccessShare, 0)}`,
      pass: minShare >= POSTGRES_TARGETS.firstPollSuccessShare,
      value: minShare,
    });
    rows.push({
      name: `PostgreSQL: claim latency at ${fmt(config.claimRate)} creates/s over two nodes (p50 / p99)`,
      measured: `accepted → first step ${fmt(fresh.p50)} / ${fmt(fresh.p99)} ms; due → step ${fmt(due.p50)} / ${fmt(due.p99)} ms (${fresh.count} + ${due.count} requests)`,
      target: `p99 < ${POSTGRES_TARGETS.claimP99Ms} ms, all SUCCESS`,
      pass: Math.max(fresh.p99, due.p99) < POSTGRES_TARGETS.claimP99Ms && claim.notSuccess === 0 && claim.missing === 0,
      value: Math.max(fresh.p99, due.p99),
      noisy: noisy(claim),
    });
    const errors = sum(Object.values(creates).filter((c) => typeof c === 'object').map((c) => c.errors));
    rows.push({
      name: 'PostgreSQL: create phase errors (FAILED, HTTP, transport, poll timeouts)',
      measured: fmt(errors),
      target: '0',
      pass: errors === 0,
      value: errors,
    });
    return { postgres, rows };
  } finally {
    for (const child of started) await stopChild(child);
    await monitor.end().catch(() => {});
    await db.drop().catch((error) => process.stderr.write(`postgres section: could not drop ${db.name}: ${error.message}\n`));
  }
}
