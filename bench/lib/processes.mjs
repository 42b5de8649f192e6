/**
 * Child processes for the bench: every server is spawned through spawnTracked(), so that killAll()
 * (called from the run's `finally`, from signal handlers and from process 'exit') can end them all.
 * Also: waiting for the "listening on http://..." line, stopping gracefully, free ports, /proc readings.
 */
import { spawn, execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';

const children = new Set();
const exitHooks = [];

export function spawnTracked(command, args, options = {}) {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], ...options });
  children.add(child);
  child.stdoutText = '';
  child.stderrText = '';
  // Always drain both pipes (a full pipe would stall the server); keep the tail for error messages.
  child.stdout.setEncoding('utf8').on('data', (s) => {
    child.stdoutText = (child.stdoutText + s).slice(-16_384);
  });
  child.stderr.setEncoding('utf8').on('data', (s) => {
    child.stderrText = (child.stderrText + s).slice(-16_384);
  });
  child.exited = new Promise((resolve) => {
    child.once('exit', (code, signal) => {
      children.delete(child);
      resolve({ code, signal });
    });
  });
  child.once('error', () => children.delete(child));
  return child;
}

/** SIGKILLs every child still running. Synchronous, so it is safe inside a process 'exit' handler. */
export function killAll() {
  for (const child of children) {
    try {
      child.kill('SIGKILL');
    } catch {
      /* already gone */
    }
  }
  children.clear();
}

/** Runs fn synchronously on exit, after killAll (e.g. removing the temp folder). */
export function onExit(fn) {
  exitHooks.push(fn);
}

let installed = false;
export function installCleanupHandlers() {
  if (installed) return;
  installed = true;
  process.on('exit', () => {
    killAll();
    for (const fn of exitHooks) {
      try {
        fn();
      } catch {
        /* best effort */
      }
    }
  });
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.on(signal, () => {
      process.stderr.write(`\nbench: ${signal}, killing child processes\n`);
      process.exit(130);
    });
  }
}

/** Resolves with the URL printed on the child's stdout ("... listening on http://HOST:PORT ..."). */
export function waitForListening(child, timeoutMs = 15_000) {
  return new Promise((resolve, reject) => {
    const pattern = /listening on (http:\/\/[^\s;)]+)/;
    const check = () => {
      const match = pattern.exec(child.stdoutText);
      if (match) {
        cleanup();
        resolve(match[1]);
      }
    };
    const onExitEvent = (code, signal) => {
      cleanup();
      reject(new Error(`process exited (code ${code}, signal ${signal}) before listening; stderr: ${child.stderrText.trim() || '(empty)'}`));
    };
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`no "listening on" line within ${timeoutMs} ms; stdout: ${child.stdoutText.trim()} stderr: ${child.stderrText.trim()}`));
    }, timeoutMs);
    const cleanup = () => {
      clearTimeout(timer);
      child.stdout.off('data', check);
      child.off('exit', onExitEvent);
    };
    child.stdout.on('data', check);
    child.once('exit', onExitEvent);
    check();
  });
}

/** SIGTERM, then SIGKILL if the child has not exited within graceMs. Resolves with how it ended. */
export async function stopChild(child, graceMs = 5_000) {
  if (child.exitCode !== null || child.signalCode !== null) return child.exited;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  const result = await child.exited;
  clearTimeout(timer);
  return result;
}

/** A port that was free a moment ago (bind 0, read it, close). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** VmRSS and VmHWM (peak) of a process, in bytes. */
export function memoryOf(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (name) => {
    const match = new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status);
    return match ? Number(match[1]) * 1024 : undefined;
  };
  return { rss: kb('VmRSS'), hwm: kb('VmHWM') };
}

let clockTicks;
/** CPU seconds (user + system) the process has used so far, from /proc/<pid>/stat. */
export function cpuSecondsOf(pid) {
  clockTicks ??= (() => {
    try {
      return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      return 100;
    }
  })();
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name (field 2) may contain spaces; fields after the closing parenthesis are fixed.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  return (utime + stime) / clockTicks;
}

/**
 * CPU seconds of this process's children that have exited and been waited for (cutime + cstime): a load
 * generator run as a child (wrk) is counted here once it has finished.
 */
export function waitedChildrenCpuSeconds() {
  cpuSecondsOf(process.pid); // initialises clockTicks
  const stat = readFileSync('/proc/self/stat', 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[13]) + Number(fields[14])) / clockTicks;
}

/** Busy CPU seconds of the whole machine so far (user+nice+system+irq+softirq, all cores), from /proc/stat. */
export function machineBusySeconds() {
  cpuSecondsOf(process.pid); // initialises clockTicks
  const fields = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0].trim().split(/\s+/).slice(1).map(Number);
  const [user, nice, system, , , irq, softirq, steal] = fields;
  return { busy: (user + nice + system + irq + softirq) / clockTicks, steal: (steal ?? 0) / clockTicks };
}

/**
 * CPU use over a phase, in cores: the server process, this (load generator) process, and everything else
 * on the machine (other processes compete for the same 2 cores and depress the figures).
 */
export function cpuMeter(pid) {
  const t0 = performance.now();
  const server0 = cpuSecondsOf(pid);
  const self0 = process.cpuUsage();
  const machine0 = machineBusySeconds();
  return () => {
    const seconds = (performance.now() - t0) / 1000;
    const self = process.cpuUsage(self0);
    const machine = machineBusySeconds();
    const serverCores = (cpuSecondsOf(pid) - server0) / seconds;
    const loadGeneratorCores = (self.user + self.system) / 1e6 / seconds;
    const machineCores = (machine.busy - machine0.busy) / seconds;
    const round = (x) => +x.toFixed(2);
    return {
      seconds,
      serverCores: round(serverCores),
      loadGeneratorCores: round(loadGeneratorCores),
      otherCores: round(Math.max(0, machineCores - serverCores - loadGeneratorCores)),
      stealCores: round((machine.steal - machine0.steal) / seconds),
    };
  };
}
