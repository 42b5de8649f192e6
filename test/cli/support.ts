/**
 * Running `node dist/cli.js` in tests: asynchronously (so a server in the test process can answer it), in an
 * environment cleaned of the developer's own settings (region, CCAPI_*, and the XDG cache with a pulled bundle).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLI, REPO_ROOT } from '../support/server.js';
import { OFFICIAL_BUNDLE } from '../support/prerequisites.js';

export { CLI, REPO_ROOT };
export const OFFICIAL_ZIP = OFFICIAL_BUNDLE;

export const tempDir = (prefix = 'ccapi-cli-') => mkdtempSync(join(tmpdir(), prefix));

/** process.env without anything that changes what the CLI does, and with an empty cache of its own. */
export function cleanEnv(overrides: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (/^(CCAPI_|AWS_)/.test(key) || key === 'XDG_CACHE_HOME') continue;
    env[key] = value;
  }
  return { ...env, XDG_CACHE_HOME: tempDir('ccapi-xdg-'), ...overrides };
}

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

export function runCli(args: string[], env: NodeJS.ProcessEnv = cleanEnv(), timeoutMs = 20_000): Promise<CliResult> {
  return runNode([CLI, ...args], { env, timeoutMs });
}

/** Runs node with `args` (in `cwd`, as a user's shell would) and collects its output; rejects after `timeoutMs`. */
export function runNode(args: string[], { env = cleanEnv(), cwd, timeoutMs = 20_000 }: { env?: NodeJS.ProcessEnv; cwd?: string; timeoutMs?: number } = {}): Promise<CliResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, args, { env, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`node ${args.join(' ')} did not finish within ${timeoutMs} ms\n${stdout}\n${stderr}`));
    }, timeoutMs);
    child.once('error', reject);
    child.once('close', (status) => {
      clearTimeout(timer);
      resolvePromise({ status, stdout, stderr });
    });
  });
}

export interface Served {
  child: ChildProcess;
  url: string;
  /** The start-up line. */
  line: string;
  /** Milliseconds from spawn to the first 200 from /_ccapi/health. */
  healthyAfterMs: number;
  health: { status: string; catalogue: { types: number; layers: { source: string; origin: string; types: number; warnings: number }[] } };
  /** VmRSS of the server process once healthy, in MB. */
  rssMB: number;
  /** CPU time (user + system) the server process had used once healthy, in ms: unlike the wall clock, barely stretched by a loaded machine. */
  cpuMs: number;
  stop(): Promise<void>;
}

/** utime + stime from /proc/<pid>/stat (fields 14 and 15, in clock ticks of 10 ms), in ms (Linux; NaN elsewhere). */
function cpuOf(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' '); // fields from the 3rd on: the name may hold spaces
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return Number.NaN;
  }
}

/** VmRSS in MB (Linux; NaN elsewhere). */
function rssOf(pid: number): number {
  try {
    return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]) / 1024;
  } catch {
    return Number.NaN;
  }
}

/** Spawns `ccapi serve` on a free port with an in-memory database and waits for health 200 (polled every 5 ms). */
export async function serve(args: string[], env: NodeJS.ProcessEnv = cleanEnv()): Promise<Served> {
  const started = performance.now();
  const child = spawn(process.execPath, [CLI, 'serve', '--port', '0', '--database', ':memory:', '--log-level', 'warn', ...args], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const stop = () =>
    new Promise<void>((resolveStop) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolveStop();
      child.once('exit', () => resolveStop());
      child.kill('SIGTERM');
    });
  try {
    const deadline = started + 10_000;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`ccapi serve exited with ${child.exitCode}\n${stdout}${stderr}`);
      if (performance.now() > deadline) throw new Error(`ccapi serve not healthy within 10 s\n${stdout}${stderr}`);
      const match = /listening on (http:\/\/\S+)/.exec(stdout);
      if (match) {
        const response = await fetch(`${match[1]}/_ccapi/health`).catch(() => undefined);
        if (response?.status === 200) {
          const healthyAfterMs = performance.now() - started;
          const health = (await response.json()) as Served['health'];
          return { child, url: match[1]!, line: stdout.split('\n')[0]!, healthyAfterMs, health, rssMB: rssOf(child.pid!), cpuMs: cpuOf(child.pid!), stop };
        }
      }
      await new Promise((r) => setTimeout(r, 5));
    }
  } catch (error) {
    await stop();
    throw error;
  }
}
