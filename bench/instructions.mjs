#!/usr/bin/env node
/**
 * Instruction counts of the hot paths, under valgrind's callgrind: unlike req/s they barely move when other
 * processes share the machine, so a change's cost can be read on a busy 2-core box. `BENCH_ONLY=instructions`
 * (run.mjs) or `node bench/instructions.mjs` after `npm run build`.
 *
 * For each phase a fresh server runs under callgrind with counting off; after a warm-up (so V8 has compiled
 * the hot code) counting is switched on (`callgrind_control -i on`) for N sequential calls on one keep-alive
 * connection, then off, and the server is stopped; valgrind's "Collected" total divided by N is the figure.
 *
 *   get-status   GetResourceRequestStatus of one finished request, against baseline-server.mjs returning the
 *                same bytes under the same counting: ccapi's instructions per call over the baseline's
 *   create       CreateResource of a LogGroup, then GetResourceRequestStatus until SUCCESS: per create
 *   get-resource GetResource of a LogGroup: per call
 *
 * `BENCH_INSTRUCTIONS_REF=/path/to/another/checkout` (built) measures that checkout too, each phase right after
 * this one's, and prints this/ref ratios: a change's cost, measured in one run. Settings:
 *   BENCH_INSTRUCTIONS_CALLS   measured calls per phase (default 2000; creates: half)
 *   BENCH_INSTRUCTIONS_WARMUP  warm-up calls per phase (default 500)
 *   BENCH_LOG_LEVEL            the servers' --log-level (default info, the level users run: the access log's
 *                              cost is part of the figure; `silent` leaves it out)
 * Exit code 2 when valgrind is missing or a phase fails. Takes about 2 minutes (4 with a ref).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { call, keepAliveAgent, progressEventOf } from './lib/client.mjs';
import { installCleanupHandlers, onExit, spawnTracked, stopChild, waitForListening } from './lib/processes.mjs';
import { SERVER_NODE_FLAGS } from './lib/server-command.mjs';
import { baselineSpec } from './lib/response-capture.mjs';

const HERE = fileURLToPath(new URL('.', import.meta.url));
const ROOT = resolve(HERE, '..');
const CALLS = Number(process.env.BENCH_INSTRUCTIONS_CALLS ?? 2000);
const WARMUP = Number(process.env.BENCH_INSTRUCTIONS_WARMUP ?? 500);
const LOG_LEVEL = process.env.BENCH_LOG_LEVEL ?? 'info';
const REF = process.env.BENCH_INSTRUCTIONS_REF ? resolve(process.env.BENCH_INSTRUCTIONS_REF) : undefined;

function hasValgrind() {
  try {
    execFileSync('valgrind', ['--version'], { stdio: 'ignore' });
    execFileSync('callgrind_control', ['-h'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Starts `args` under callgrind with counting off; resolves with the child and its URL. */
async function startCounted(command, args, dir) {
  const child = spawnTracked('valgrind', ['--tool=callgrind', '--instr-atstart=no', `--callgrind-out-file=${join(dir, 'callgrind.%p.out')}`, command, ...args]);
  const url = await waitForListening(child, 120_000);
  return { child, url };
}

function counting(child, on) {
  execFileSync('callgrind_control', ['-i', on ? 'on' : 'off', String(child.pid)], { stdio: 'ignore' });
}

/** Stops the counted process and returns valgrind's total of counted instructions. */
async function collected(child) {
  await stopChild(child, 60_000);
  const match = /Collected\s*:\s*(\d+)/.exec(child.stderrText);
  if (!match) throw new Error(`no callgrind total in the server's stderr: ${child.stderrText.slice(-500)}`);
  return Number(match[1]);
}

function ccapiArgs(checkout, dir) {
  return [...SERVER_NODE_FLAGS, join(checkout, 'dist/cli.js'), 'serve', '--port', '0', '--database', join(dir, 'ccapi.db'), '--log-level', LOG_LEVEL];
}

async function repeat(n, fn) {
  for (let i = 0; i < n; i++) await fn(i);
}

async function createLogGroup(url, agent, name) {
  const input = { TypeName: 'AWS::Logs::LogGroup', DesiredState: JSON.stringify({ LogGroupName: name }), ClientToken: name };
  const token = progressEventOf(await call(url, 'CreateResource', input, { agent }), 'CreateResource').RequestToken;
  for (;;) {
    const event = progressEventOf(await call(url, 'GetResourceRequestStatus', { RequestToken: token }, { agent }), 'GetResourceRequestStatus');
    if (event.OperationStatus === 'SUCCESS') return token;
    if (event.OperationStatus !== 'IN_PROGRESS' && event.OperationStatus !== 'PENDING') throw new Error(`create ${name}: ${JSON.stringify(event)}`);
  }
}

/** One phase on one checkout: a fresh counted server, setup, warm-up, N counted calls. Instructions per call. */
async function phase(checkout, name, dir) {
  const work = mkdtempSync(join(dir, `${name}-`));
  const { child, url } = await startCounted(process.execPath, ccapiArgs(checkout, work), work);
  const agent = keepAliveAgent(1);
  try {
    if (name === 'get-status') {
      const token = await createLogGroup(url, agent, 'status-target');
      const poll = () => call(url, 'GetResourceRequestStatus', { RequestToken: token }, { agent });
      await repeat(WARMUP, poll);
      const captured = await poll();
      counting(child, true);
      await repeat(CALLS, poll);
      counting(child, false);
      return { perCall: (await collected(child)) / CALLS, captured };
    }
    if (name === 'create') {
      const creates = Math.max(1, Math.floor(CALLS / 2));
      await repeat(WARMUP, (i) => createLogGroup(url, agent, `warm-${i}`));
      counting(child, true);
      await repeat(creates, (i) => createLogGroup(url, agent, `measured-${i}`));
      counting(child, false);
      return { perCall: (await collected(child)) / creates };
    }
    await repeat(WARMUP, (i) => createLogGroup(url, agent, `group-${i}`));
    const get = (i) => call(url, 'GetResource', { TypeName: 'AWS::Logs::LogGroup', Identifier: `group-${i % WARMUP}` }, { agent });
    await repeat(WARMUP, get);
    counting(child, true);
    await repeat(CALLS, get);
    counting(child, false);
    return { perCall: (await collected(child)) / CALLS };
  } finally {
    agent.destroy();
    if (child.exitCode === null && child.signalCode === null) await stopChild(child, 60_000);
  }
}

/** The bare node:http baseline answering the captured GetResourceRequestStatus bytes, under the same counting. */
async function baselinePhase(captured, dir) {
  const specFile = join(dir, 'baseline-response.json');
  writeFileSync(specFile, JSON.stringify(baselineSpec(captured, { capturedFrom: 'GetResourceRequestStatus', requestBody: '' })));
  const { child, url } = await startCounted(process.execPath, [join(HERE, 'baseline-server.mjs'), specFile, '--port', '0'], dir);
  const agent = keepAliveAgent(1);
  try {
    const poll = () => call(url, 'GetResourceRequestStatus', { RequestToken: 'x' }, { agent });
    await repeat(WARMUP, poll);
    counting(child, true);
    await repeat(CALLS, poll);
    counting(child, false);
    return (await collected(child)) / CALLS;
  } finally {
    agent.destroy();
  }
}

const fmt = (n) => Math.round(n).toLocaleString('en-US');

export async function runInstructionsBench() {
  if (!hasValgrind()) {
    process.stderr.write('bench/instructions: valgrind (callgrind) is not installed: apt-get install -y valgrind\n');
    return { ok: false, rows: [] };
  }
  if (REF && !existsSync(join(REF, 'dist/cli.js'))) throw new Error(`BENCH_INSTRUCTIONS_REF ${REF} has no dist/cli.js: build it first`);
  installCleanupHandlers();
  const dir = mkdtempSync(join(tmpdir(), 'ccapi-instructions-'));
  onExit(() => rmSync(dir, { recursive: true, force: true }));
  const rows = [];
  for (const name of ['get-status', 'create', 'get-resource']) {
    const mine = await phase(ROOT, name, dir);
    const row = { phase: name, instructions: mine.perCall };
    if (name === 'get-status') {
      row.baseline = await baselinePhase(mine.captured, dir);
      row.ofBaseline = row.baseline / mine.perCall;
    }
    if (REF) {
      row.ref = (await phase(REF, name, dir)).perCall;
      row.vsRef = mine.perCall / row.ref;
    }
    rows.push(row);
    process.stdout.write(
      `  ${name.padEnd(13)} ${fmt(mine.perCall).padStart(12)} instructions per ${name === 'create' ? 'create (with its polls)' : 'call'}` +
        (row.baseline ? `; bare node:http ${fmt(row.baseline)} (ccapi runs at ${(row.ofBaseline * 100).toFixed(1)}% of the baseline's instruction rate)` : '') +
        (row.ref ? `; ref ${fmt(row.ref)} (this/ref ${row.vsRef.toFixed(3)})` : '') +
        '\n',
    );
  }
  return { ok: true, rows };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.stdout.write(`[instructions] callgrind, ${CALLS} counted calls per phase after ${WARMUP} warm-up${REF ? `, ref ${REF}` : ''}\n`);
  runInstructionsBench()
    .then((result) => process.exit(result.ok ? 0 : 2))
    .catch((error) => {
      process.stderr.write(`bench/instructions: ${error.stack ?? error}\n`);
      process.exit(2);
    });
}
