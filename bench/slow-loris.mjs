/**
 * The slow-loris section of the bench (issue #12: the figure test/fuzz/hostile-input.test.ts used to assert,
 * "p95 under 2 s", lives here, measured on a quiet machine instead of under fuzz load). Run by bench/run.mjs
 * after the core section, or alone with BENCH_ONLY=loris.
 *
 *   One fresh server (SQLite). BENCH_LORIS_CONNECTIONS connections each send a request's headers one byte
 *   every 500 ms, never finishing; half read what the server sends, half never read. Meanwhile one normal
 *   client (keep-alive) calls ListResourceRequests in a loop, 10 ms apart, until every slow connection is
 *   closed by the server's 10 s headers timeout (or BENCH_LORIS_GIVE_UP_SECONDS pass).
 *                                 Targets: the normal client's p95 < 100 ms, no errors; every slow connection
 *                                 cut off, those that read (and so see the close at once) by 16 s (10 s headers
 *                                 timeout, checked every second, plus slack); the others notice at their next write.
 *
 * Environment (all optional):
 *   BENCH_LORIS_CONNECTIONS=50        slow connections
 *   BENCH_LORIS_GIVE_UP_SECONDS=40    stop waiting for the cut-offs after this
 */
import { connect } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { call, keepAliveAgent, sleep } from './lib/client.mjs';
import { cpuMeter, spawnTracked, stopChild, waitForListening } from './lib/processes.mjs';
import { SERVER_NODE_FLAGS } from './lib/server-command.mjs';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const CLI = join(ROOT, 'dist', 'cli.js');

export const LORIS_TARGETS = { normalClientP95Ms: 100, cutOffWithinMs: 16_000 };

function numberEnv(name, fallback) {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number, got ${raw}`);
  return Math.round(value);
}

const percentile = (sorted, p) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] : undefined);
const round = (x, digits = 1) => (x === undefined ? undefined : +x.toFixed(digits));

/** Opens the slow connections; `closedAfter[i]` is set (ms since the start) when the server closes connection i. */
function openSlowConnections(url, count) {
  const { hostname, port } = new URL(url);
  const started = performance.now();
  const closedAfter = new Array(count).fill(undefined);
  const sockets = [];
  const text = `POST / HTTP/1.1\r\nHost: ${hostname}:${port}\r\nX-Amz-Target: CloudApiService.ListResourceRequests\r\nContent-Type: application/x-amz-json-1.0\r\nX-Slow: ${'s'.repeat(400)}`;
  let ours = false;
  for (let i = 0; i < count; i++) {
    const socket = connect(Number(port), hostname);
    sockets.push(socket);
    if (i % 2 === 0) socket.on('data', () => undefined);
    else socket.pause(); // like an attacker: notices the close only when a write fails
    let at = 0;
    const timer = setInterval(() => {
      if (at < text.length && socket.writable) socket.write(text[at++]);
    }, 500);
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearInterval(timer);
      if (!ours) closedAfter[i] = performance.now() - started;
    });
  }
  return {
    closedAfter,
    allClosed: () => closedAfter.every((c) => c !== undefined),
    destroy() {
      ours = true;
      for (const s of sockets) s.destroy();
    },
  };
}

export async function runSlowLorisBench({ tmp, log, waitForQuiet, noisyCores }) {
  const connections = numberEnv('BENCH_LORIS_CONNECTIONS', 50);
  const giveUpMs = numberEnv('BENCH_LORIS_GIVE_UP_SECONDS', 40) * 1000;
  log(`[slow-loris] ${connections} connections dribble their headers a byte every 500 ms; a normal client calls ListResourceRequests meanwhile`);
  const child = spawnTracked(process.execPath, [...SERVER_NODE_FLAGS, CLI, 'serve', '--port', '0', '--database', join(tmp, `loris-${Date.now().toString(36)}.db`), '--log-level', 'warn'], { cwd: ROOT });
  const url = await waitForListening(child);
  try {
    const quiet = await waitForQuiet();
    const agent = keepAliveAgent(1);
    await call(url, 'ListResourceRequests', { MaxResults: 1 }, { agent }); // connection and code paths warm
    const meter = cpuMeter(child.pid);
    const slow = openSlowConnections(url, connections);
    const started = performance.now();
    const latencies = [];
    const errors = [];
    while (!slow.allClosed() && performance.now() - started < giveUpMs) {
      const t0 = performance.now();
      try {
        const response = await call(url, 'ListResourceRequests', { MaxResults: 1 }, { agent, timeoutMs: 30_000 });
        if (response.status === 200) latencies.push(performance.now() - t0);
        else errors.push(`HTTP ${response.status}`);
      } catch (error) {
        errors.push(String(error.message ?? error));
      }
      await sleep(10);
    }
    slow.destroy();
    agent.destroy();
    const cpu = meter();
    const sorted = [...latencies].sort((a, b) => a - b);
    const closed = slow.closedAfter.filter((c) => c !== undefined);
    // Only connections that read see the server's close when it happens; the others notice at their next write.
    const readingClosed = slow.closedAfter.filter((c, i) => i % 2 === 0 && c !== undefined);
    const loris = {
      connections,
      normalClient: { calls: sorted.length, p50Ms: round(percentile(sorted, 50)), p95Ms: round(percentile(sorted, 95)), maxMs: round(sorted.at(-1)), errors: errors.length, firstError: errors[0] },
      closed: closed.length,
      firstClosedMs: closed.length ? Math.round(Math.min(...closed)) : undefined,
      lastClosedMs: closed.length ? Math.round(Math.max(...closed)) : undefined,
      lastReadingClosedMs: readingClosed.length ? Math.round(Math.max(...readingClosed)) : undefined,
      cpu: { serverCores: cpu.serverCores, loadGeneratorCores: cpu.loadGeneratorCores, otherCores: cpu.otherCores },
      quietWaitSeconds: quiet.waitedSeconds,
    };
    log(`  normal client: ${sorted.length} calls, p50 ${loris.normalClient.p50Ms} ms, p95 ${loris.normalClient.p95Ms} ms, max ${loris.normalClient.maxMs} ms${errors.length ? `, ${errors.length} errors (${errors[0]})` : ''}`);
    log(`  slow connections closed by the server: ${closed.length}/${connections}, first after ${loris.firstClosedMs} ms, last after ${loris.lastClosedMs} ms (of those that read: ${loris.lastReadingClosedMs} ms)`);
    log(`  CPU: server ${cpu.serverCores} / this process ${cpu.loadGeneratorCores} / other processes ${cpu.otherCores} cores`);
    log();
    const rows = [
      {
        name: `Normal client p95 while ${connections} slow-loris connections are open`,
        measured: `${loris.normalClient.p95Ms} ms (p50 ${loris.normalClient.p50Ms}, max ${loris.normalClient.maxMs}, ${sorted.length} calls${errors.length ? `, ${errors.length} errors` : ''})`,
        target: `< ${LORIS_TARGETS.normalClientP95Ms} ms, no errors`,
        pass: sorted.length > 0 && errors.length === 0 && loris.normalClient.p95Ms < LORIS_TARGETS.normalClientP95Ms,
        value: loris.normalClient.p95Ms,
        noisy: cpu.otherCores > noisyCores,
      },
      {
        name: 'Slow-loris connections cut off by the server',
        measured: `${closed.length}/${connections}, the last that reads after ${loris.lastReadingClosedMs ?? '-'} ms`,
        target: `all; those that read within ${LORIS_TARGETS.cutOffWithinMs / 1000} s`,
        pass: closed.length === connections && loris.lastReadingClosedMs <= LORIS_TARGETS.cutOffWithinMs,
        value: loris.lastReadingClosedMs,
        noisy: cpu.otherCores > noisyCores,
      },
    ];
    return { loris, rows, maxOtherCores: cpu.otherCores };
  } finally {
    await stopChild(child, 15_000);
  }
}
