/**
 * Starts a real `ccapi serve` process (dist/cli.js) on a free port for end-to-end tests, and stops it.
 * Tests talk to it with real clients, exactly as a user would.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const REPO_ROOT = resolve(import.meta.dirname ?? new URL('.', import.meta.url).pathname, '../../../..');
export const CLI = join(REPO_ROOT, 'dist/cli.js');

export interface ServerProcess {
  url: string;
  port: number;
  databaseFile: string;
  child: ChildProcess;
  /** Everything the process wrote to stdout so far (the start-up line). */
  stdout(): string;
  /** Everything the process wrote to stderr so far (logs), for failure messages. */
  stderr(): string;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

export interface StartOptions {
  /** Reuse a database file (e.g. to restart after a crash). Default: a fresh temporary file. */
  databaseFile?: string;
  faults?: unknown;
  extraArgs?: string[];
  env?: Record<string, string>;
}

export function tempDir(prefix = 'ccapi-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export async function startServer(options: StartOptions = {}): Promise<ServerProcess> {
  const dir = tempDir();
  const databaseFile = options.databaseFile ?? join(dir, 'ccapi.db');
  const args = [CLI, 'serve', '--port', '0', '--database', databaseFile, '--log-level', 'warn', ...(options.extraArgs ?? [])];
  if (options.faults !== undefined) {
    const file = join(dir, 'faults.json');
    writeFileSync(file, JSON.stringify(options.faults));
    args.push('--faults', file);
  }
  const child = spawn(process.execPath, args, { env: { ...process.env, ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  let stdout = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const url = await new Promise<string>((resolveUrl, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL'); // a server that never started must not keep the test process alive
      reject(new Error(`server did not start within 30 s\n${stderr}`));
    }, 30_000); // only a hang: a busy machine may take many seconds to start one
    child.stdout!.on('data', (d: Buffer) => {
      stdout += d.toString();
      const match = /listening on (http:\/\/\S+)/.exec(stdout);
      if (match) {
        clearTimeout(timer);
        resolveUrl(match[1]!);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code} before listening\n${stderr}`));
    });
  });
  return {
    url,
    port: Number(new URL(url).port),
    databaseFile,
    child,
    stdout: () => stdout,
    stderr: () => stderr,
    stop(signal: NodeJS.Signals = 'SIGTERM') {
      if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
      return new Promise((resolveExit) => {
        child.once('exit', (code) => resolveExit(code));
        child.kill(signal);
      });
    },
  };
}

/** Polls `check` until it returns a value (not undefined) or the deadline passes (by default 30 s: only a hang). No fixed sleeps in tests. */
export async function eventually<T>(check: () => Promise<T | undefined>, timeoutMs = 30_000, intervalMs = 20): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms${lastError ? `: ${String(lastError)}` : ''}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
