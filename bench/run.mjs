#!/usr/bin/env node
/**
 * ccapi benchmark: `npm run bench` (builds first) or `node bench/run.mjs` (needs dist/).
 *
 *   1. GetResourceRequestStatus throughput, ccapi vs. a bare node:http baseline that returns the same bytes
 *      (bench/baseline-server.mjs), autocannon in this process, each server its own process.
 *      Target: ccapi >= 50% of the baseline's req/s, and every response 2xx.
 *   1b. The same with SigV4 verification on: a strict-mode ccapi (--credentials FILE) answering requests signed by
 *      @smithy/signature-v4 (pre-signed in bulk, each distinct), against the baseline fed the same requests.
 *      Target: >= 40% of the baseline's req/s, and every response 2xx.
 *   2. Create→SUCCESS throughput on SQLite, no faults: N clients loop CreateResource → GetResourceRequestStatus.
 *      Targets: >= 1,000 completed/s; >= 99% of first polls already SUCCESS.
 *   3. Resident memory (VmRSS) of that same server after >= 100,000 requests in total. Target: < 150 MB.
 *   4. Startup: spawn → first 200 from /_ccapi/health (polled every 10 ms), median of 5. Target: < 1 s.
 *   5. Registry (bench/registry.mjs, its own settings there): `serve --schemas CloudformationSchema.zip` startup,
 *      first CreateResource of never-seen types, cached validation, RSS added by the bundle index.
 *   7. Pages (bench/pages.mjs, its own settings there): 32 concurrent ListResources walks over 100 LogGroups of
 *      ~250 KB in one account. Targets: server peak RSS < 400 MB; an unrelated GetResourceRequestStatus p99 < 100 ms.
 *   8. Slow-loris (bench/slow-loris.mjs, its own settings there): 50 connections dribble their headers while a normal
 *      client calls ListResourceRequests. Targets: its p95 < 100 ms, no errors; every slow connection cut off by 16 s.
 *   6. PostgreSQL (bench/postgres.mjs, its own settings there): one and two nodes on one database, GetResourceRequestStatus
 *      vs the baseline, create→SUCCESS vs SQLite, claim latency. Skipped, saying why, when PostgreSQL is not reachable.
 *
 * Prints a table (figure, target, PASS/FAIL) and writes bench/results/latest.json.
 * Exit code: 0 all targets met, 1 a target missed, 2 the bench itself failed.
 *
 * Environment (all optional):
 *   BENCH_QUICK=1              short run: 3 s measured, 1 s warm-up, 1 round, 3 starts
 *   BENCH_SECONDS=10           measured seconds per autocannon run and for the create phase
 *   BENCH_WARMUP_SECONDS=3     warm-up seconds before each measured run (not counted)
 *   BENCH_ROUNDS=2             GetResourceRequestStatus rounds; order alternates (B,C then C,B ...)
 *   BENCH_CONNECTIONS=50       autocannon connections
 *   BENCH_CLIENTS=50           concurrent create→SUCCESS clients
 *   BENCH_CREATE_SECONDS       measured seconds of the create phase (default BENCH_SECONDS)
 *   BENCH_CREATE_TYPE=logs     logs (AWS::Logs::LogGroup, unique names) or sqs (AWS::SQS::Queue {})
 *   BENCH_MEMORY_REQUESTS=100000  requests the server must have answered before its RSS is read
 *   BENCH_STARTS=5             startup samples
 *   BENCH_PROFILE=auto         auto: --cpu-prof a fresh server under the load of each throughput check that failed
 *                              (written to bench/results/profile-grrs, profile-grrs-signed, profile-create); 1: all always; 0: never
 *   BENCH_PROFILE_SECONDS=8    length of the profiled run
 *   BENCH_NOISE_RETRIES=2      repeat a measured run during which other processes used > 0.35 cores (keep the calmest)
 *   BENCH_NOISE_BUDGET_SECONDS=60  total extra time spent waiting for a quiet machine and repeating noisy runs
 *   BENCH_KEEP_TMP=1           keep the temp folder (databases) for inspection
 *   BENCH_ONLY                 registry: only section 5; postgres: only section 6; pages: only section 7; loris: only section 8; core: sections 1-4 only;
 *                              instructions: only bench/instructions.mjs, instruction counts under callgrind, never in a full run;
 *                              scale: only bench/scale.mjs (issue #17, 1k..1M stored rows on both stores), never in a full run (default: all)
 */
import autocannon from 'autocannon';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, release, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { call, CONTENT_TYPE, createAndWait, getStatus, progressEventOf, sleep, TARGET_PREFIX } from './lib/client.mjs';
import { CREATE_TYPES, runCreateLoad } from './lib/create-load.mjs';
import { signedCall, signedRequestPool, writeCredentialsFile } from './lib/sigv4.mjs';
import { formatProfile, summarizeProfile } from './lib/cpu-profile.mjs';
import { cpuMeter, freePort, machineBusySeconds, installCleanupHandlers, killAll, memoryOf, onExit, spawnTracked, stopChild, waitForListening } from './lib/processes.mjs';
import { SERVER_NODE_FLAGS } from './lib/server-command.mjs';
import { baselineSpec, headerShape, sameBytes } from './lib/response-capture.mjs';
import { REGISTRY_TARGETS, runRegistryBench } from './registry.mjs';
import { runPostgresSection } from './postgres.mjs';
import { PAGES_TARGETS, runPagesBench } from './pages.mjs';
import { LORIS_TARGETS, runSlowLorisBench } from './slow-loris.mjs';
import { runInstructionsBench } from './instructions.mjs';
import { runScaleBench } from './scale.mjs';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const CLI = join(ROOT, 'dist', 'cli.js');
const BASELINE = join(ROOT, 'bench', 'baseline-server.mjs');
const RESULTS_DIR = join(ROOT, 'bench', 'results');

// ---------------------------------------------------------------------------------------------- config

const env = process.env;
const quick = env.BENCH_QUICK === '1';
function configError(message) {
  process.stderr.write(`bench: ${message}\n`);
  process.exit(2);
}
function num(name, fallback) {
  if (env[name] === undefined || env[name] === '') return fallback;
  const value = Number(env[name]);
  if (!Number.isFinite(value) || value < 0) configError(`${name} must be a non-negative number, got ${env[name]}`);
  return value;
}
const seconds = num('BENCH_SECONDS', quick ? 3 : 10);
const config = {
  seconds,
  warmupSeconds: num('BENCH_WARMUP_SECONDS', quick ? 1 : 3),
  rounds: Math.max(1, Math.round(num('BENCH_ROUNDS', quick ? 1 : 2))),
  connections: Math.max(1, Math.round(num('BENCH_CONNECTIONS', 50))),
  createClients: Math.max(1, Math.round(num('BENCH_CLIENTS', 50))),
  createSeconds: num('BENCH_CREATE_SECONDS', seconds),
  createType: env.BENCH_CREATE_TYPE || 'logs',
  memoryRequests: Math.round(num('BENCH_MEMORY_REQUESTS', 100_000)),
  starts: Math.max(1, Math.round(num('BENCH_STARTS', quick ? 3 : 5))),
  profile: env.BENCH_PROFILE || 'auto',
  profileSeconds: num('BENCH_PROFILE_SECONDS', quick ? 3 : 8),
  noiseRetries: Math.round(num('BENCH_NOISE_RETRIES', 2)),
  noiseBudgetSeconds: num('BENCH_NOISE_BUDGET_SECONDS', quick ? 15 : 60),
  keepTemp: env.BENCH_KEEP_TMP === '1',
  only: env.BENCH_ONLY || 'all',
};
if (!['all', 'core', 'registry', 'postgres', 'pages', 'loris', 'instructions', 'scale'].includes(config.only)) configError(`BENCH_ONLY must be registry, postgres, pages, loris, instructions, scale or core, got ${config.only}`);
if (!CREATE_TYPES[config.createType]) configError(`BENCH_CREATE_TYPE must be one of ${Object.keys(CREATE_TYPES).join(', ')}, got ${config.createType}`);
if (!['auto', '0', '1'].includes(config.profile)) configError(`BENCH_PROFILE must be auto, 0 or 1, got ${config.profile}`);
const MB = 1024 * 1024;
const TARGETS = {
  grrsRatio: 0.5,
  grrsSignedRatio: 0.4,
  createsPerSecond: 1_000,
  firstPollSuccessShare: 0.99,
  rssBytes: 150 * MB,
  startupMs: 1_000,
};

// --------------------------------------------------------------------------------------------- helpers

const fmt = (n, digits = 0) => (n === undefined || n === null || Number.isNaN(n) ? 'n/a' : n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits }));
const pct = (x, digits = 1) => `${fmt(100 * x, digits)}%`;
const log = (s = '') => process.stdout.write(`${s}\n`);
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

function tryExec(cmd, args) {
  try {
    return execFileSync(cmd, args, { encoding: 'utf8', cwd: ROOT, stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return undefined;
  }
}

function packageVersion(dir) {
  try {
    return JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).version;
  } catch {
    return undefined;
  }
}

function machineInfo() {
  const cpuinfo = existsSync('/proc/cpuinfo') ? readFileSync('/proc/cpuinfo', 'utf8') : '';
  const model = /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1]?.trim() ?? cpus()[0]?.model;
  const status = tryExec('git', ['status', '--porcelain', '--', 'src']);
  return {
    date: new Date().toISOString(),
    node: process.version,
    ccapi: packageVersion(ROOT),
    autocannon: packageVersion(join(ROOT, 'node_modules', 'autocannon')),
    betterSqlite3: packageVersion(join(ROOT, 'node_modules', 'better-sqlite3')),
    gitCommit: tryExec('git', ['rev-parse', '--short', 'HEAD']),
    srcUncommittedChanges: status === undefined ? undefined : status.length > 0,
    distBuiltAt: existsSync(CLI) ? statSync(CLI).mtime.toISOString() : undefined,
    nproc: Number(tryExec('nproc', [])) || cpus().length,
    cpuModel: model,
    kernel: release(),
    memTotalGiB: +(totalmem() / 1024 ** 3).toFixed(1),
  };
}

/** Other processes on the machine during measured phases (the most any phase saw), for the noise warning. */
const noise = { maxOtherCores: 0 };
function cpuFigures(cpu) {
  return { serverCores: cpu.serverCores, loadGeneratorCores: cpu.loadGeneratorCores, otherCores: cpu.otherCores, stealCores: cpu.stealCores };
}
const cpuText = (cpu, generator) => `server ${cpu.serverCores} / ${generator} ${cpu.loadGeneratorCores} / other processes ${cpu.otherCores} cores`;

function serverArgs(database, extraNodeArgs = [], serveArgs = []) {
  // BENCH_LOG_LEVEL=info measures the core servers with the access log on (the default users get).
  return [...SERVER_NODE_FLAGS, ...extraNodeArgs, CLI, 'serve', '--port', '0', '--database', database, '--log-level', process.env.BENCH_LOG_LEVEL ?? 'warn', ...serveArgs];
}

async function startCcapi(database, extraNodeArgs = [], serveArgs = []) {
  const child = spawnTracked(process.execPath, serverArgs(database, extraNodeArgs, serveArgs), { cwd: ROOT });
  const url = await waitForListening(child);
  return { child, url, pid: child.pid };
}

async function startBaseline(specFile) {
  const child = spawnTracked(process.execPath, [BASELINE, specFile], { cwd: ROOT });
  const url = await waitForListening(child);
  return { child, url, pid: child.pid };
}

/**
 * The cost of reference checks: the same create→SUCCESS load of Lambda functions, each naming the IAM role
 * created first (one reference, found), against a fresh default server (--references strict) and a fresh
 * --references off one, in that order. The difference in server CPU per create is what the check costs.
 */
async function measureReferenceCost(tmp, runId) {
  log(`[references] ${config.createClients} clients: create→SUCCESS of Lambda functions naming an existing role, --references strict vs off`);
  const out = {};
  for (const mode of ['strict', 'off']) {
    const server = await startCcapi(join(tmp, `references-${mode}.db`), [], ['--references', mode]);
    try {
      const roleName = `bench-${runId}-role-${mode}`;
      const assume = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }] };
      await createAndWait(server.url, roleName, call, { TypeName: 'AWS::IAM::Role', DesiredState: JSON.stringify({ RoleName: roleName, AssumeRolePolicyDocument: assume }) });
      const read = await call(server.url, 'GetResource', { TypeName: 'AWS::IAM::Role', Identifier: roleName });
      const context = { roleArn: JSON.parse(read.json.ResourceDescription.Properties).Arn };
      const run = await measured(`references ${mode}`, async () => {
        let sent = 0;
        if (config.warmupSeconds > 0) sent += (await runCreateLoad({ url: server.url, clients: config.createClients, seconds: config.warmupSeconds, kind: 'lambda', context, runId, phase: `ref-warm-${mode}` })).requests;
        const meter = cpuMeter(server.pid);
        const result = await runCreateLoad({ url: server.url, clients: config.createClients, seconds: config.createSeconds, kind: 'lambda', context, runId, phase: `ref-${mode}` });
        result.cpu = cpuFigures(meter());
        return { result, sent: sent + result.requests };
      });
      const r = run.result;
      r.serverMicrosPerCreate = (r.cpu.serverCores * r.elapsedSeconds * 1e6) / Math.max(1, r.completed);
      out[mode] = r;
      log(`  ${mode}: ${fmt(r.completed)} creates reached SUCCESS = ${fmt(r.completedPerSecond)}/s; failed ${r.failed}; server CPU ${fmt(r.serverMicrosPerCreate)} µs per create; CPU ${cpuText(r.cpu, 'load generator')}`);
    } finally {
      await stopChild(server.child);
    }
  }
  out.checkMicrosPerCreate = out.strict.serverMicrosPerCreate - out.off.serverMicrosPerCreate;
  log(`  reference checks cost ${fmt(out.checkMicrosPerCreate)} µs of server CPU per create (one reference, found)`);
  return out;
}

/**
 * How many distinct pre-signed requests each signed autocannon run cycles through. autocannon keeps a built
 * copy of every one per connection: 2,000 of them (90 MB over 50 connections) made the load generator the
 * bottleneck, with the server idle a quarter of the time. Each is verified in full, however often it is sent.
 */
const SIGNED_POOL_SIZE = 64;

function responseBytes(response) {
  let headerBytes = 'HTTP/1.1 200 OK\r\n'.length + 2;
  for (let i = 0; i < response.rawHeaders.length; i += 2) headerBytes += response.rawHeaders[i].length + 2 + response.rawHeaders[i + 1].length + 2;
  return { headerBytes, bodyBytes: response.body.length };
}

/**
 * Other sessions may share this machine. Before a measured run, wait (within the noise budget) until
 * other processes use at most QUIET_CORES; after it, repeat a run during which they used more than
 * NOISY_CORES (at most config.noiseRetries times), keeping the least disturbed attempt.
 */
const QUIET_CORES = 0.3;
const NOISY_CORES = 0.35;
let noiseBudgetMs = 0;
async function waitForQuiet() {
  const t0 = performance.now();
  let load = await backgroundLoad(500);
  const limit = Math.min(noiseBudgetMs, 20_000);
  while (load > QUIET_CORES && performance.now() - t0 < limit) load = await backgroundLoad(500);
  const waited = performance.now() - t0;
  noiseBudgetMs = Math.max(0, noiseBudgetMs - waited);
  return { waitedSeconds: +(waited / 1000).toFixed(1), otherCores: load };
}

async function measured(label, run) {
  const attempts = [];
  for (let attempt = 0; ; attempt++) {
    const quiet = await waitForQuiet();
    const t0 = performance.now();
    const outcome = await run();
    outcome.result.quietWaitSeconds = quiet.waitedSeconds;
    attempts.push(outcome);
    const noisy = outcome.result.cpu.otherCores > NOISY_CORES;
    if (!noisy || attempt >= config.noiseRetries || noiseBudgetMs <= 0) break;
    noiseBudgetMs = Math.max(0, noiseBudgetMs - (performance.now() - t0));
    log(`    (${label}: other processes used ${outcome.result.cpu.otherCores} cores during that run; repeating it)`);
  }
  const best = attempts.reduce((a, b) => (b.result.cpu.otherCores < a.result.cpu.otherCores ? b : a));
  best.result.attempts = attempts.length;
  if (attempts.length > 1) best.result.discardedAttempts = attempts.filter((a) => a !== best).map((a) => ({ ...a.result, discarded: true }));
  noise.maxOtherCores = Math.max(noise.maxOtherCores, best.result.cpu.otherCores);
  return { result: best.result, sent: attempts.reduce((n, a) => n + a.sent, 0) };
}

/**
 * One autocannon run (warm-up, then measured) of GetResourceRequestStatus against `target`; with `requests`
 * (pre-signed requests, lib/sigv4.mjs), each connection sends those in turn instead of the unsigned body.
 */
async function cannon(target, body, label, requests) {
  const opts = {
    url: `${target.url}/`,
    method: 'POST',
    headers: { 'content-type': CONTENT_TYPE, 'x-amz-target': `${TARGET_PREFIX}GetResourceRequestStatus` },
    body,
    connections: config.connections,
    ...(requests ? { requests } : {}),
  };
  let sent = 0;
  if (config.warmupSeconds > 0) {
    const warm = await autocannon({ ...opts, duration: config.warmupSeconds });
    sent += warm.requests.sent;
  }
  const meter = cpuMeter(target.pid);
  const r = await autocannon({ ...opts, duration: config.seconds });
  const cpu = meter();
  sent += r.requests.sent;
  const completed = r.requests.total;
  const result = {
    server: label,
    requestsPerSecond: completed / r.duration,
    durationSeconds: r.duration,
    completed,
    sent: r.requests.sent,
    '2xx': r['2xx'],
    non2xx: r.non2xx,
    errors: r.errors,
    timeouts: r.timeouts,
    mismatches: r.mismatches,
    allTwoHundreds: r.non2xx === 0 && r.errors === 0 && r.timeouts === 0 && r['2xx'] === completed && completed > 0,
    latencyMs: { p50: r.latency.p50, p90: r.latency.p90, p99: r.latency.p99, max: r.latency.max },
    cpu: cpuFigures(cpu),
  };
  result.requestsPerServerCoreSecond = result.cpu.serverCores > 0 ? result.requestsPerSecond / result.cpu.serverCores : undefined;
  log(
    `  ${label.padEnd(8)} ${fmt(result.requestsPerSecond).padStart(8)} req/s  p50 ${result.latencyMs.p50} ms  p99 ${result.latencyMs.p99} ms  ` +
      `2xx ${fmt(result['2xx'])}/${fmt(completed)}  non2xx ${result.non2xx}  errors ${result.errors}  timeouts ${result.timeouts}  ` +
      `CPU ${cpuText(result.cpu, 'autocannon')} (${fmt(result.requestsPerServerCoreSecond)} req per server CPU-second)`,
  );
  return { result, sent };
}

// ---------------------------------------------------------------------------------------------- phases

/**
 * 1b. GetResourceRequestStatus with SigV4 verification on: a strict-mode ccapi of its own (--credentials),
 * its answer replayed by the baseline, both fed the same requests, pre-signed by @smithy/signature-v4 before
 * each round (the server accepts signatures up to 15 minutes old; a round takes well under one).
 */
async function measureSignedGrrs(tmp, runId) {
  const ccapi = await startCcapi(join(tmp, 'signed.db'), [], ['--credentials', writeCredentialsFile(tmp)]);
  let baseline;
  try {
    const { token } = await createAndWait(ccapi.url, `bench-${runId}-grrs-signed`, signedCall);
    const body = JSON.stringify({ RequestToken: token });
    const captured = await signedCall(ccapi.url, 'GetResourceRequestStatus', { RequestToken: token });
    progressEventOf(captured, 'capture signed GetResourceRequestStatus');
    const spec = baselineSpec(captured, { capturedFrom: 'strict-mode ccapi GetResourceRequestStatus (SigV4-signed)', requestBody: body });
    const specFile = join(RESULTS_DIR, 'grrs-signed-response.json');
    writeFileSync(specFile, JSON.stringify(spec, null, 2));
    baseline = await startBaseline(specFile);
    const fromBaseline = await signedCall(baseline.url, 'GetResourceRequestStatus', { RequestToken: token });
    if (!sameBytes(captured, fromBaseline)) {
      throw new Error(`baseline response differs from the strict-mode ccapi's:\n ccapi    ${headerShape(captured.rawHeaders).join(' | ')}\n baseline ${headerShape(fromBaseline.rawHeaders).join(' | ')}`);
    }
    const sample = (await signedRequestPool(ccapi.url, 'GetResourceRequestStatus', body, 1))[0];
    log(`  ${SIGNED_POOL_SIZE} distinct signed requests per round, ~${Object.entries(sample.headers).reduce((n, [k, v]) => n + k.length + v.length + 4, 0)} bytes of headers each (signed: ${/SignedHeaders=([^,]+)/.exec(sample.headers.authorization)?.[1]}); baseline returns identical bytes`);

    const runs = { ccapi: [], baseline: [] };
    for (let round = 0; round < config.rounds; round++) {
      const order = round % 2 === 0 ? ['baseline', 'ccapi'] : ['ccapi', 'baseline'];
      log(`  round ${round + 1} (${order.join(' then ')})`);
      const requests = await signedRequestPool(ccapi.url, 'GetResourceRequestStatus', body, SIGNED_POOL_SIZE);
      for (const which of order) {
        const { result } = await measured(`signed ${which}`, () => cannon(which === 'ccapi' ? ccapi : baseline, body, which, requests));
        runs[which].push(result);
      }
    }
    const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;
    const signed = {
      poolSize: SIGNED_POOL_SIZE,
      runs,
      baselineRequestsPerSecond: mean(runs.baseline.map((r) => r.requestsPerSecond)),
      ccapiRequestsPerSecond: mean(runs.ccapi.map((r) => r.requestsPerSecond)),
      ccapiRequestsPerServerCoreSecond: mean(runs.ccapi.map((r) => r.requestsPerServerCoreSecond)),
      baselineRequestsPerServerCoreSecond: mean(runs.baseline.map((r) => r.requestsPerServerCoreSecond)),
      allTwoHundreds: [...runs.ccapi, ...runs.baseline].every((r) => r.allTwoHundreds),
    };
    signed.ratio = signed.ccapiRequestsPerSecond / signed.baselineRequestsPerSecond;
    signed.perCoreRatio = signed.ccapiRequestsPerServerCoreSecond / signed.baselineRequestsPerServerCoreSecond;
    // Spread of the per-round ratios: how much the figure moves between rounds on this machine.
    signed.roundRatios = runs.ccapi.map((r, i) => +(r.requestsPerSecond / runs.baseline[i].requestsPerSecond).toFixed(3));
    log(`  mean: ccapi ${fmt(signed.ccapiRequestsPerSecond)} req/s, baseline ${fmt(signed.baselineRequestsPerSecond)} req/s → ${pct(signed.ratio)} (rounds: ${signed.roundRatios.map((x) => pct(x)).join(', ')})`);
    log(`  per server CPU-second: ccapi ${fmt(signed.ccapiRequestsPerServerCoreSecond)}, baseline ${fmt(signed.baselineRequestsPerServerCoreSecond)} → ${pct(signed.perCoreRatio)} (for information)`);
    return signed;
  } finally {
    if (baseline) await stopChild(baseline.child);
    await stopChild(ccapi.child);
  }
}

async function measureStartup(tmp) {
  const samples = [];
  for (let i = 0; i < config.starts; i++) {
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const args = [...SERVER_NODE_FLAGS, CLI, 'serve', '--port', String(port), '--database', join(tmp, `startup-${i}.db`), '--log-level', 'warn'];
    const t0 = performance.now();
    const child = spawnTracked(process.execPath, args, { cwd: ROOT });
    let listeningLineMs;
    child.stdout.once('data', () => (listeningLineMs = performance.now() - t0));
    let readyMs;
    let polls = 0;
    try {
      for (;;) {
        if (child.exitCode !== null) throw new Error(`server exited during startup (code ${child.exitCode}): ${child.stderrText.trim()}`);
        const tick = performance.now();
        polls++;
        try {
          if ((await getStatus(base, '/_ccapi/health', { timeoutMs: 1_000 })) === 200) {
            readyMs = performance.now() - t0;
            break;
          }
        } catch {
          /* not listening yet */
        }
        if (performance.now() - t0 > 15_000) throw new Error('no 200 from /_ccapi/health within 15 s');
        await sleep(Math.max(0, 10 - (performance.now() - tick)));
      }
    } finally {
      await stopChild(child);
    }
    samples.push({ readyMs: +readyMs.toFixed(1), listeningLineMs: listeningLineMs === undefined ? undefined : +listeningLineMs.toFixed(1), polls });
    log(`  start ${i + 1}: first 200 after ${fmt(readyMs, 1)} ms (${polls} polls; "listening" line at ${fmt(listeningLineMs, 1)} ms)`);
  }
  return { samples, medianMs: median(samples.map((s) => s.readyMs)), database: 'fresh SQLite file per start' };
}

/** A fresh ccapi under --cpu-prof, loaded with one kind of traffic, stopped gracefully so node writes the profile. */
async function runProfile(tmp, kind, runId) {
  const dir = join(RESULTS_DIR, `profile-${kind}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const serveArgs = kind === 'grrs-signed' ? ['--credentials', writeCredentialsFile(tmp)] : [];
  const server = await startCcapi(join(tmp, `profile-${kind}.db`), ['--cpu-prof', '--cpu-prof-dir', dir], serveArgs);
  try {
    if (kind === 'grrs-signed') {
      const { token } = await createAndWait(server.url, `bench-${runId}-profile-signed`, signedCall);
      const requests = await signedRequestPool(server.url, 'GetResourceRequestStatus', JSON.stringify({ RequestToken: token }), SIGNED_POOL_SIZE);
      const r = await autocannon({ url: `${server.url}/`, connections: config.connections, duration: config.profileSeconds, requests });
      log(`  profiled run: ${fmt(r.requests.total / r.duration)} signed GetResourceRequestStatus/s under --cpu-prof (profiling slows the server)`);
    } else if (kind === 'grrs') {
      const { token } = await createAndWait(server.url, `bench-${runId}-profile`);
      const r = await autocannon({
        url: `${server.url}/`,
        method: 'POST',
        headers: { 'content-type': CONTENT_TYPE, 'x-amz-target': `${TARGET_PREFIX}GetResourceRequestStatus` },
        body: JSON.stringify({ RequestToken: token }),
        connections: config.connections,
        duration: config.profileSeconds,
      });
      log(`  profiled run: ${fmt(r.requests.total / r.duration)} GetResourceRequestStatus/s under --cpu-prof (profiling slows the server)`);
    } else {
      const r = await runCreateLoad({ url: server.url, clients: config.createClients, seconds: config.profileSeconds, kind: config.createType, runId, phase: 'profile' });
      log(`  profiled run: ${fmt(r.completedPerSecond)} create→SUCCESS/s under --cpu-prof (profiling slows the server)`);
    }
  } finally {
    await stopChild(server.child, 15_000);
  }
  const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
  if (!file) throw new Error(`no .cpuprofile written in ${dir}`);
  return summarizeProfile(join(dir, file), 15);
}

/** CPU cores busy on the machine over `ms` while none of our load runs: what other sessions are doing. */
async function backgroundLoad(ms = 1_000) {
  const t0 = performance.now();
  const m0 = machineBusySeconds();
  await sleep(ms);
  return +((machineBusySeconds().busy - m0.busy) / ((performance.now() - t0) / 1000)).toFixed(2);
}

// ------------------------------------------------------------------------------------------------ main

async function main() {
  installCleanupHandlers();
  if (config.only === 'instructions') {
    // Not part of a full run (valgrind is slow): a figure to compare commits on a busy machine.
    log(`[instructions] callgrind instruction counts (settings at the top of bench/instructions.mjs)`);
    return (await runInstructionsBench()).ok ? 0 : 2;
  }
  if (config.only === 'scale') {
    // Not part of a full run (a 1M fill takes minutes per store): bench/scale.mjs, settings at its top.
    const scale = await runScaleBench({ log });
    mkdirSync(RESULTS_DIR, { recursive: true });
    writeFileSync(join(RESULTS_DIR, 'scale.json'), JSON.stringify(scale, null, 2));
    return scale.checks.every((c) => c.pass) ? 0 : 1;
  }
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` first (or \`npm run bench\`, which builds)`);
  mkdirSync(RESULTS_DIR, { recursive: true });
  const tmp = mkdtempSync(join(tmpdir(), 'ccapi-bench-'));
  onExit(() => {
    if (!config.keepTemp) rmSync(tmp, { recursive: true, force: true });
  });
  const runId = Date.now().toString(36);
  const meta = machineInfo();
  const results = { meta, config, targets: { ...TARGETS, registry: REGISTRY_TARGETS, pages: PAGES_TARGETS, loris: LORIS_TARGETS }, phases: {}, checks: [] };
  const started = performance.now();
  noiseBudgetMs = config.noiseBudgetSeconds * 1000;

  log('ccapi benchmark');
  log(`  node ${meta.node}  ccapi ${meta.ccapi}  autocannon ${meta.autocannon}  better-sqlite3 ${meta.betterSqlite3}  git ${meta.gitCommit ?? '?'}${meta.srcUncommittedChanges ? ' (src/ has uncommitted changes)' : ''}`);
  log(`  machine: nproc ${meta.nproc}, ${meta.cpuModel}, ${meta.memTotalGiB} GiB RAM, Linux ${meta.kernel}`);
  log(`  dist/ built ${meta.distBuiltAt}`);
  log(
    `  settings: ${config.warmupSeconds} s warm-up + ${config.seconds} s measured, ${config.connections} connections, ${config.rounds} round(s); ` +
      `create phase ${config.createSeconds} s x ${config.createClients} clients (${config.createType}); memory after ${fmt(config.memoryRequests)} requests; ${config.starts} starts`,
  );
  log('  the load generator runs in this process; each server is a separate process on the same cores');
  log();

  const background = await backgroundLoad();
  log(`  background CPU load before the run (nothing of ours running): ${background} cores of ${meta.nproc}`);
  log();
  if (config.only === 'registry') {
    await registrySection(results, tmp);
    return finish(results, background, started);
  }
  if (config.only === 'postgres') {
    await postgresSection(results, tmp);
    return finish(results, background, started);
  }
  if (config.only === 'pages') {
    await pagesSection(results, tmp);
    return finish(results, background, started);
  }
  if (config.only === 'loris') {
    await slowLorisSection(results, tmp);
    return finish(results, background, started);
  }

  // 4. Startup first, while nothing else runs.
  log(`[startup] spawn → first 200 from /_ccapi/health, polled every 10 ms, fresh database each time`);
  const startupQuiet = await waitForQuiet();
  if (startupQuiet.waitedSeconds > 0.6) log(`  (waited ${startupQuiet.waitedSeconds} s for other processes to calm down: now ${startupQuiet.otherCores} cores)`);
  results.phases.startup = await measureStartup(tmp);
  results.phases.startup.otherCoresBefore = startupQuiet.otherCores;
  log(`  median ${fmt(results.phases.startup.medianMs, 1)} ms`);
  log();

  // The server under test for phases 1-3 (one process, so its request count and memory add up).
  const ccapi = await startCcapi(join(tmp, 'main.db'));
  let requestsToCcapi = 0;
  const memory = { checkpoints: [] };
  const checkpoint = (after) => {
    const m = memoryOf(ccapi.pid);
    memory.checkpoints.push({ after, requests: requestsToCcapi, rssMB: +(m.rss / MB).toFixed(1), peakRssMB: +(m.hwm / MB).toFixed(1) });
  };
  checkpoint('start');

  // 1. GetResourceRequestStatus vs. the baseline.
  log('[GetResourceRequestStatus] ccapi vs. bare node:http returning the same bytes');
  const setup = await createAndWait(ccapi.url, `bench-${runId}-grrs`);
  requestsToCcapi += setup.requests;
  const grrsBody = JSON.stringify({ RequestToken: setup.token });
  const captured = await call(ccapi.url, 'GetResourceRequestStatus', { RequestToken: setup.token });
  requestsToCcapi++;
  progressEventOf(captured, 'capture GetResourceRequestStatus');
  const spec = baselineSpec(captured, { capturedFrom: 'ccapi GetResourceRequestStatus', requestBody: grrsBody });
  const specFile = join(RESULTS_DIR, 'grrs-response.json');
  writeFileSync(specFile, JSON.stringify(spec, null, 2));
  const baseline = await startBaseline(specFile);
  const fromBaseline = await call(baseline.url, 'GetResourceRequestStatus', { RequestToken: setup.token });
  if (!sameBytes(captured, fromBaseline)) {
    throw new Error(`baseline response differs from ccapi's:\n ccapi    ${headerShape(captured.rawHeaders).join(' | ')}\n baseline ${headerShape(fromBaseline.rawHeaders).join(' | ')}`);
  }
  const sizes = responseBytes(captured);
  log(`  request body ${grrsBody.length} bytes; response ${sizes.bodyBytes}-byte body, ~${sizes.headerBytes} bytes of status line + headers; baseline returns identical bytes (headers: ${headerShape(captured.rawHeaders).join(', ')})`);

  const runs = { ccapi: [], baseline: [] };
  for (let round = 0; round < config.rounds; round++) {
    const order = round % 2 === 0 ? ['baseline', 'ccapi'] : ['ccapi', 'baseline'];
    log(`  round ${round + 1} (${order.join(' then ')})`);
    for (const which of order) {
      const target = which === 'ccapi' ? ccapi : baseline;
      const { result, sent } = await measured(which, () => cannon(target, grrsBody, which));
      runs[which].push(result);
      if (which === 'ccapi') requestsToCcapi += sent;
    }
  }
  // ccapi still answers with the same bytes after the load (no corruption under concurrency).
  const after = await call(ccapi.url, 'GetResourceRequestStatus', { RequestToken: setup.token });
  requestsToCcapi++;
  const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const grrs = {
    requestBodyBytes: grrsBody.length,
    responseBodyBytes: sizes.bodyBytes,
    responseHeaderBytes: sizes.headerBytes,
    baselineIdenticalBytes: true, // checked above: a difference stops the bench
    ccapiBodyUnchangedAfterLoad: after.body.equals(captured.body),
    runs,
    baselineRequestsPerSecond: mean(runs.baseline.map((r) => r.requestsPerSecond)),
    ccapiRequestsPerSecond: mean(runs.ccapi.map((r) => r.requestsPerSecond)),
    allTwoHundreds: [...runs.ccapi, ...runs.baseline].every((r) => r.allTwoHundreds),
    ccapiAllTwoHundreds: runs.ccapi.every((r) => r.allTwoHundreds),
  };
  grrs.ratio = grrs.ccapiRequestsPerSecond / grrs.baselineRequestsPerSecond;
  // Throughput per CPU-second the server process used: much less sensitive to other load on the machine.
  grrs.ccapiRequestsPerServerCoreSecond = mean(runs.ccapi.map((r) => r.requestsPerServerCoreSecond));
  grrs.baselineRequestsPerServerCoreSecond = mean(runs.baseline.map((r) => r.requestsPerServerCoreSecond));
  grrs.perCoreRatio = grrs.ccapiRequestsPerServerCoreSecond / grrs.baselineRequestsPerServerCoreSecond;
  results.phases.getResourceRequestStatus = grrs;
  log(`  mean: ccapi ${fmt(grrs.ccapiRequestsPerSecond)} req/s, baseline ${fmt(grrs.baselineRequestsPerSecond)} req/s → ${pct(grrs.ratio)}`);
  log(
    `  per server CPU-second: ccapi ${fmt(grrs.ccapiRequestsPerServerCoreSecond)}, baseline ${fmt(grrs.baselineRequestsPerServerCoreSecond)} → ${pct(grrs.perCoreRatio)} ` +
      '(for information: less sensitive to other load on the machine)',
  );
  await stopChild(baseline.child);
  checkpoint('GetResourceRequestStatus phase');
  log();

  // 1b. The same with SigV4 verification on (its own strict-mode server, so phases 2-3 are unchanged).
  log('[GetResourceRequestStatus, SigV4] strict-mode ccapi (--credentials FILE) vs. bare node:http, both fed the same pre-signed requests');
  const signed = await measureSignedGrrs(tmp, runId);
  results.phases.getResourceRequestStatusSigned = signed;
  log();

  // 2. Create → SUCCESS.
  log(`[create→SUCCESS] ${config.createClients} clients: CreateResource → GetResourceRequestStatus (→ more polls until SUCCESS), SQLite, no faults`);
  const createRun = await measured('create phase', async () => {
    let sent = 0;
    if (config.warmupSeconds > 0) {
      const warm = await runCreateLoad({ url: ccapi.url, clients: config.createClients, seconds: config.warmupSeconds, kind: config.createType, runId, phase: 'warm' });
      sent += warm.requests;
      log(`  warm-up: ${fmt(warm.completed)} completed in ${fmt(warm.elapsedSeconds, 1)} s`);
    }
    const meter = cpuMeter(ccapi.pid);
    const result = await runCreateLoad({ url: ccapi.url, clients: config.createClients, seconds: config.createSeconds, kind: config.createType, runId, phase: 'measured' });
    result.cpu = cpuFigures(meter());
    return { result, sent: sent + result.requests };
  });
  const creates = createRun.result;
  requestsToCcapi += createRun.sent;
  results.phases.createToSuccess = creates;
  log(
    `  ${fmt(creates.completed)} creates reached SUCCESS in ${fmt(creates.elapsedSeconds, 2)} s = ${fmt(creates.completedPerSecond)}/s ` +
      `(${fmt(creates.requestsPerSecond)} HTTP req/s); first poll: ${Object.entries(creates.firstPoll).map(([k, v]) => `${k} ${fmt(v)}`).join(', ')} → ${pct(creates.firstPollSuccessShare, 2)} SUCCESS`,
  );
  log(
    `  create→SUCCESS latency p50 ${fmt(creates.latencyMs.p50, 1)} ms, p99 ${fmt(creates.latencyMs.p99, 1)} ms; extra polls ${fmt(creates.extraPolls)}; failed ${creates.failed}; ` +
      `poll timeouts ${creates.pollTimeouts}; HTTP errors ${JSON.stringify(creates.httpErrors)}; transport errors ${creates.transportErrors}${creates.firstTransportError ? ` (${creates.firstTransportError})` : ''}; ` +
      `CPU ${cpuText(creates.cpu, 'load generator')} (${fmt(creates.completedPerSecond / creates.cpu.serverCores)} creates per server CPU-second)`,
  );
  checkpoint('create phase');
  log();

  // 3. Memory after >= memoryRequests requests.
  log(`[memory] VmRSS of the ccapi process after ${fmt(config.memoryRequests)} requests`);
  if (requestsToCcapi < config.memoryRequests) {
    const extra = await runCreateLoad({
      url: ccapi.url,
      clients: config.createClients,
      untilRequests: config.memoryRequests - requestsToCcapi,
      kind: config.createType,
      runId,
      phase: 'memory',
    });
    requestsToCcapi += extra.requests;
    memory.extraPhase = { requests: extra.requests, completed: extra.completed, seconds: +extra.elapsedSeconds.toFixed(2) };
    log(`  extra create+poll phase: ${fmt(extra.requests)} requests (${fmt(extra.completed)} creates) in ${fmt(extra.elapsedSeconds, 1)} s`);
  }
  checkpoint('final');
  const final = memory.checkpoints.at(-1);
  memory.requests = requestsToCcapi;
  memory.rssBytes = memoryOf(ccapi.pid).rss;
  memory.rssMB = +(memory.rssBytes / MB).toFixed(1);
  memory.peakRssMB = final.peakRssMB;
  memory.databaseBytes = ['main.db', 'main.db-wal'].reduce((n, f) => n + (existsSync(join(tmp, f)) ? statSync(join(tmp, f)).size : 0), 0);
  results.phases.memory = memory;
  for (const c of memory.checkpoints) log(`  after ${c.after.padEnd(32)} ${fmt(c.requests).padStart(9)} requests  RSS ${fmt(c.rssMB, 1).padStart(6)} MB  (peak ${fmt(c.peakRssMB, 1)} MB)`);
  log(`  database file + WAL: ${fmt(memory.databaseBytes / MB, 1)} MB`);
  await stopChild(ccapi.child);
  log();

  // 3b. What reference checks cost per create.
  const references = await measureReferenceCost(tmp, runId);
  results.phases.referenceChecks = references;
  log();

  // Checks.
  // A figure measured while other processes took CPU from us is marked "(noisy)": re-run it on a quiet machine.
  const check = (name, measured, target, pass, extra = {}) =>
    results.checks.push({ name, measured, target, result: (pass ? 'PASS' : 'FAIL') + (extra.noisy ? ' (noisy)' : ''), pass, ...extra });
  const noisy = (runList) => runList.some((r) => r.cpu.otherCores > NOISY_CORES);
  check(
    'GetResourceRequestStatus throughput vs baseline',
    `${pct(grrs.ratio)} (${fmt(grrs.ccapiRequestsPerSecond)} vs ${fmt(grrs.baselineRequestsPerSecond)} req/s; per server CPU-s ${pct(grrs.perCoreRatio)})`,
    `>= ${pct(TARGETS.grrsRatio, 0)} of baseline`,
    grrs.ratio >= TARGETS.grrsRatio,
    { value: grrs.ratio, noisy: noisy([...runs.ccapi, ...runs.baseline]) },
  );
  check(
    'GetResourceRequestStatus responses all 2xx',
    `${fmt(runs.ccapi.reduce((n, r) => n + r['2xx'], 0))} 2xx / ${fmt(runs.ccapi.reduce((n, r) => n + r.completed, 0))}; non-2xx ${runs.ccapi.reduce((n, r) => n + r.non2xx, 0)}, errors ${runs.ccapi.reduce((n, r) => n + r.errors + r.timeouts, 0)}`,
    '100% 2xx, no errors',
    grrs.allTwoHundreds && grrs.ccapiBodyUnchangedAfterLoad,
  );
  check(
    'GetResourceRequestStatus throughput with SigV4 verification vs baseline',
    `${pct(signed.ratio)} (${fmt(signed.ccapiRequestsPerSecond)} vs ${fmt(signed.baselineRequestsPerSecond)} req/s; rounds ${signed.roundRatios.map((x) => pct(x, 0)).join(', ')}; per server CPU-s ${pct(signed.perCoreRatio)})${signed.allTwoHundreds ? '' : '; NOT all 2xx'}`,
    `>= ${pct(TARGETS.grrsSignedRatio, 0)} of baseline, all 2xx`,
    signed.ratio >= TARGETS.grrsSignedRatio && signed.allTwoHundreds,
    { value: signed.ratio, noisy: noisy([...signed.runs.ccapi, ...signed.runs.baseline]) },
  );
  check('Create→SUCCESS throughput (SQLite, no faults)', `${fmt(creates.completedPerSecond)}/s`, `>= ${fmt(TARGETS.createsPerSecond)}/s`, creates.completedPerSecond >= TARGETS.createsPerSecond, {
    value: creates.completedPerSecond,
    noisy: noisy([creates]),
  });
  check(
    'First poll already SUCCESS',
    `${pct(creates.firstPollSuccessShare, 2)} (${fmt(creates.firstPoll.SUCCESS ?? 0)}/${fmt(creates.firstPolls)})`,
    `>= ${pct(TARGETS.firstPollSuccessShare, 0)}`,
    creates.firstPollSuccessShare >= TARGETS.firstPollSuccessShare,
    { value: creates.firstPollSuccessShare },
  );
  const createErrors = creates.failed + creates.pollTimeouts + creates.transportErrors + Object.values(creates.httpErrors).reduce((a, b) => a + b, 0);
  check('Create phase errors (FAILED, HTTP, transport, poll timeouts)', fmt(createErrors), '0', createErrors === 0, { value: createErrors });
  check(`Server RSS after ${fmt(memory.requests)} requests`, `${fmt(memory.rssMB, 1)} MB (peak ${fmt(memory.peakRssMB, 1)} MB)`, `< ${TARGETS.rssBytes / MB} MB`, memory.rssBytes < TARGETS.rssBytes && memory.requests >= config.memoryRequests, {
    value: memory.rssBytes,
  });
  check(
    'Create→SUCCESS with one reference checked (Lambda Function → its IAM Role, --references strict)',
    `${fmt(references.strict.completedPerSecond)}/s vs ${fmt(references.off.completedPerSecond)}/s with --references off; ` +
      `server CPU per create ${fmt(references.strict.serverMicrosPerCreate)} µs vs ${fmt(references.off.serverMicrosPerCreate)} µs (checks: ${fmt(references.checkMicrosPerCreate)} µs per create); failed ${references.strict.failed + references.off.failed}`,
    `>= ${fmt(TARGETS.createsPerSecond)}/s, none FAILED`,
    references.strict.completedPerSecond >= TARGETS.createsPerSecond && references.strict.failed + references.off.failed === 0,
    { value: references.strict.completedPerSecond, noisy: noisy([references.strict, references.off]) },
  );
  check(
    `Startup to first health 200 (median of ${config.starts})`,
    `${fmt(results.phases.startup.medianMs, 1)} ms (${results.phases.startup.samples.map((s) => fmt(s.readyMs, 0)).join(', ')})`,
    `< ${fmt(TARGETS.startupMs)} ms`,
    results.phases.startup.medianMs < TARGETS.startupMs,
    { value: results.phases.startup.medianMs },
  );

  // CPU profiles of the failing paths (or of both with BENCH_PROFILE=1).
  const wantProfile = (failed) => config.profile === '1' || (config.profile === 'auto' && failed);
  const profiles = [
    ['grrs', 'getResourceRequestStatus', 'GetResourceRequestStatus', grrs.ratio < TARGETS.grrsRatio],
    ['grrs-signed', 'getResourceRequestStatusSigned', 'signed GetResourceRequestStatus', signed.ratio < TARGETS.grrsSignedRatio],
    ['create', 'createToSuccess', 'create→SUCCESS', creates.completedPerSecond < TARGETS.createsPerSecond],
  ];
  for (const [kind, key, label, failed] of profiles) {
    if (!wantProfile(failed)) continue;
    log(`[profile] a fresh ccapi with --cpu-prof under ${label} load, ${config.profileSeconds} s${failed ? ' (that check failed)' : ''}`);
    results.phases.profiles ??= {};
    results.phases.profiles[key] = await runProfile(tmp, kind, runId);
    log(formatProfile(results.phases.profiles[key]));
    log();
  }
  if (config.only !== 'core') await pagesSection(results, tmp);
  if (config.only !== 'core') await slowLorisSection(results, tmp);
  if (config.only !== 'core') await registrySection(results, tmp);
  if (config.only !== 'core') await postgresSection(results, tmp);
  return finish(results, background, started);
}

/** Section 6 (bench/postgres.mjs): adds its rows to the table itself (a skip or an error as run.mjs does for section 5). */
function postgresSection(results, tmp) {
  const { connections, createClients: clients, createType, noiseRetries, only } = config;
  const sqliteCreates = results.phases.createToSuccess;
  return runPostgresSection(results, { tmp, log, quick, only, connections, clients, createType, noiseRetries, sqliteCreates, waitForQuiet, noisyCores: NOISY_CORES, noise });
}

/** Section 7 (bench/pages.mjs): its rows join the table like the others; an error becomes a failed row after sections 1-4. */
async function pagesSection(results, tmp) {
  let outcome;
  try {
    outcome = await runPagesBench({ tmp, log, quick, waitForQuiet, noisyCores: NOISY_CORES });
  } catch (error) {
    if (config.only === 'pages') throw error;
    process.stderr.write(`pages section failed: ${error.stack ?? error}\n`);
    results.pages = { error: String(error.message ?? error) };
    results.checks.push({ name: 'Pages section', measured: `error: ${String(error.message ?? error).slice(0, 120)}`, target: 'runs', result: 'FAIL', pass: false });
    return;
  }
  results.pages = outcome.pages;
  noise.maxOtherCores = Math.max(noise.maxOtherCores, outcome.maxOtherCores);
  for (const { name, measured, target, pass, ...extra } of outcome.rows) {
    results.checks.push({ name, measured, target, result: (pass ? 'PASS' : 'FAIL') + (extra.noisy ? ' (noisy)' : ''), pass, ...extra });
  }
}

/** Section 8 (bench/slow-loris.mjs): like section 7, an error becomes a failed row after sections 1-4. */
async function slowLorisSection(results, tmp) {
  let outcome;
  try {
    outcome = await runSlowLorisBench({ tmp, log, waitForQuiet, noisyCores: NOISY_CORES });
  } catch (error) {
    if (config.only === 'loris') throw error;
    process.stderr.write(`slow-loris section failed: ${error.stack ?? error}\n`);
    results.loris = { error: String(error.message ?? error) };
    results.checks.push({ name: 'Slow-loris section', measured: `error: ${String(error.message ?? error).slice(0, 120)}`, target: 'runs', result: 'FAIL', pass: false });
    return;
  }
  results.loris = outcome.loris;
  noise.maxOtherCores = Math.max(noise.maxOtherCores, outcome.maxOtherCores);
  for (const { name, measured, target, pass, ...extra } of outcome.rows) {
    results.checks.push({ name, measured, target, result: (pass ? 'PASS' : 'FAIL') + (extra.noisy ? ' (noisy)' : ''), pass, ...extra });
  }
}

/** Section 5 (bench/registry.mjs): its rows join the table like the others. */
async function registrySection(results, tmp) {
  let outcome;
  try {
    outcome = await runRegistryBench({ tmp, log, quick, starts: config.starts, waitForQuiet, noisyCores: NOISY_CORES });
  } catch (error) {
    if (config.only === 'registry') throw error;
    // After sections 1-4, a broken registry section must not cost their results: it becomes a failed row.
    process.stderr.write(`registry section failed: ${error.stack ?? error}\n`);
    results.registry = { error: String(error.message ?? error) };
    results.checks.push({ name: 'Registry section', measured: `error: ${String(error.message ?? error).slice(0, 120)}`, target: 'runs', result: 'FAIL', pass: false });
    return;
  }
  const { registry, rows } = outcome;
  results.registry = registry;
  if (registry.skipped) {
    if (config.only === 'registry') throw new Error(`registry section: ${registry.skipped}`);
    log(`[registry] skipped: ${registry.skipped}`);
    log();
    return;
  }
  noise.maxOtherCores = Math.max(noise.maxOtherCores, registry.maxOtherCores);
  for (const { name, measured, target, pass, ...extra } of rows) {
    results.checks.push({ name, measured, target, result: (pass ? 'PASS' : 'FAIL') + (extra.noisy ? ' (noisy)' : ''), pass, ...extra });
  }
}

async function finish(results, background, started) {
  results.noise = { ...noise, backgroundBeforeCores: background, backgroundAfterCores: await backgroundLoad() };

  results.elapsedSeconds = +((performance.now() - started) / 1000).toFixed(1);
  printTable(results.checks);
  log(
    `Other processes on the machine: ${background} cores before the run, ${results.noise.backgroundAfterCores} after, ` +
      `at most ${results.noise.maxOtherCores} during a measured run (runs above ${NOISY_CORES} were repeated when the noise budget allowed).`,
  );
  if (results.noise.maxOtherCores > NOISY_CORES) {
    log('WARNING: some figures were measured while other processes took CPU from the servers ("(noisy)" above): re-run on a quiet machine.');
  }
  log(`total bench time ${fmt(results.elapsedSeconds, 1)} s; results in ${join('bench', 'results', 'latest.json')}`);
  writeFileSync(join(RESULTS_DIR, 'latest.json'), JSON.stringify(results, null, 2) + '\n');
  return results.checks.every((c) => c.pass) ? 0 : 1;
}

function printTable(checks) {
  const header = ['check', 'measured', 'target', 'result'];
  const rows = checks.map((c) => [c.name, c.measured, c.target, c.result]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  const line = (cells) => cells.map((c, i) => String(c).padEnd(widths[i])).join('  ').trimEnd();
  log(line(header));
  log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of rows) log(line(r));
  log();
}

let exitCode = 2;
try {
  exitCode = await main();
} catch (error) {
  process.stderr.write(`bench failed: ${error.stack ?? error}\n`);
  exitCode = 2;
} finally {
  killAll();
}
process.exit(exitCode);
