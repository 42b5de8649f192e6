/**
 * wrk (https://github.com/wg/wrk, Debian package `wrk`) as the load generator of the two-node runs. On two
 * cores, the generator shares the machine with both nodes and PostgreSQL, and what it spends per request is
 * taken from the second node: autocannon, in the bench's own Node process, measured 48-55 µs of CPU per
 * request here against the bare baseline, a lean raw-socket generator written in Node for the comparison 37 µs, and wrk 24 µs (nearly
 * all of it system time: the socket calls themselves). One wrk process (one thread) per server; each
 * connection keeps one request in flight, as with autocannon and as with an SDK.
 *
 * The result has the fields of autocannon's result that the bench reads: requests.total, duration (s), 2xx,
 * non2xx, errors, timeouts, latency.p50 / p99 (ms).
 */
import { execFile, spawnSync } from 'node:child_process';
import { accessSync, constants, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';

/** The wrk executable: $BENCH_WRK, or `wrk` on the PATH; undefined when there is none. */
export function findWrk() {
  const candidates = process.env.BENCH_WRK ? [process.env.BENCH_WRK] : (process.env.PATH ?? '').split(delimiter).filter(Boolean).map((dir) => join(dir, 'wrk'));
  for (const file of candidates) {
    try {
      accessSync(file, constants.X_OK);
      return file;
    } catch {
      // not this one
    }
  }
  return undefined;
}

/**
 * findWrk(), installing Debian's wrk package first when it is missing and this process may (root, apt-get on
 * the PATH, BENCH_INSTALL_WRK not 0), as .ci/run starts PostgreSQL: the two-node figures need it on a fresh
 * machine. Says what it does through `log`; undefined when wrk is still not there.
 */
export function ensureWrk(log) {
  const found = findWrk();
  if (found || process.env.BENCH_INSTALL_WRK === '0' || process.getuid?.() !== 0) return found;
  const hasAptGet = (process.env.PATH ?? '').split(delimiter).some((dir) => {
    try {
      accessSync(join(dir, 'apt-get'), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
  if (!hasAptGet) return undefined;
  log('  wrk is not installed: apt-get install -y wrk (BENCH_INSTALL_WRK=0 skips this)');
  const result = spawnSync('apt-get', ['install', '-y', '-q', 'wrk'], { encoding: 'utf8', timeout: 180_000, env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  if (result.status !== 0) log(`  apt-get install wrk failed (${result.error?.message ?? `exit ${result.status}`}): ${(result.stderr ?? '').trim().split('\n').at(-1) ?? ''}`);
  return findWrk();
}

/** Lua long-bracket string: holds any text that does not contain its closing bracket. */
const luaString = (s) => {
  let level = 0;
  while (s.includes(`]${'='.repeat(level)}]`)) level++;
  return `[${'='.repeat(level)}[${s}]${'='.repeat(level)}]`;
};

/**
 * Writes the script: every request prepared once in init(), sent in turn (each wrk thread starts at its own
 * offset); done() prints one line the caller parses.
 */
export function writeWrkScript(file, { headers, bodies }) {
  // Header names and values are plain ASCII: a JSON string is also a Lua string.
  const headerTable = Object.entries(headers).map(([k, v]) => `[${JSON.stringify(k)}] = ${JSON.stringify(String(v))}`).join(', ');
  writeFileSync(
    file,
    `local bodies = { ${bodies.map(luaString).join(',\n  ')} }
local prepared = {}
local next = 0
function init(args)
  local headers = { ${headerTable} }
  for i, body in ipairs(bodies) do prepared[i] = wrk.format("POST", "/", headers, body) end
end
function request()
  next = next + 1
  return prepared[(next % #prepared) + 1]
end
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("WRK_RESULT %d %d %d %d %d %.1f %.1f\\n", summary.requests, summary.duration, e.connect + e.read + e.write, e.status, e.timeout, latency:percentile(50), latency:percentile(99)))
end
`,
  );
}

/** One wrk run against `url` with the script from writeWrkScript. */
export function wrkRun({ wrk, script, url, connections, seconds, timeoutSeconds = 10 }) {
  const args = ['-t1', `-c${connections}`, `-d${seconds}s`, `--timeout`, `${timeoutSeconds}s`, '-s', script, `${url}/`];
  return new Promise((resolve, reject) => {
    execFile(wrk, args, { timeout: (seconds + timeoutSeconds + 10) * 1000 }, (error, stdout, stderr) => {
      const m = /WRK_RESULT (\d+) (\d+) (\d+) (\d+) (\d+) ([\d.]+) ([\d.]+)/.exec(stdout);
      if (error || !m) return reject(new Error(`wrk ${args.join(' ')} failed: ${error?.message ?? ''} ${stderr} ${stdout}`.trim()));
      const [total, durationUs, transportErrors, non2xx, timeouts, p50Us, p99Us] = m.slice(1).map(Number);
      resolve({
        requests: { total },
        duration: durationUs / 1e6,
        // wrk counts status >= 400 as status errors; the bench's servers answer 200 or an error status.
        '2xx': total - non2xx,
        non2xx,
        errors: transportErrors,
        timeouts,
        latency: { p50: +(p50Us / 1000).toFixed(2), p99: +(p99Us / 1000).toFixed(2) },
      });
    });
  });
}
