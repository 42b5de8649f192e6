/**
 * PostgreSQL for the bench: is the server reachable, a fresh database per run (dropped at the end, also on
 * Ctrl-C or a crash of the bench), and which PostgreSQL processes work for that database, so that their CPU
 * is counted as the system under test rather than as "other processes" disturbing the run.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { cpuSecondsOf, machineBusySeconds, onExit, waitedChildrenCpuSeconds } from './processes.mjs';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** The server the section runs on: any database there serves for CREATE/DROP DATABASE. */
export const DEFAULT_POSTGRES_URL = 'postgres://postgres@127.0.0.1:5432/test';

export function withDatabase(url, database) {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

/** The URL without its password, for the log and latest.json. */
export function describeUrl(url) {
  const u = new URL(url);
  if (u.password) u.password = '***';
  return u.toString();
}

/** { version } when `url` answers within 3 s, else { unreachable: reason }. */
export async function probePostgres(url) {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3_000 });
  try {
    await client.connect();
    const { rows } = await client.query('SHOW server_version');
    return { version: rows[0].server_version };
  } catch (error) {
    return { unreachable: error.message || String(error) };
  } finally {
    await client.end().catch(() => {});
  }
}

/**
 * Creates `ccapi_bench_<pid>_<random>` on the server of `serverUrl`. drop() removes it (WITH (FORCE): a node
 * that did not stop must not keep it alive); if the bench exits without calling it, an exit hook drops it
 * synchronously through a child node process (exit handlers cannot wait for a promise).
 */
export async function createBenchDatabase(serverUrl) {
  const name = `ccapi_bench_${process.pid}_${randomBytes(4).toString('hex')}`;
  const maintenance = new pg.Client({ connectionString: serverUrl, connectionTimeoutMillis: 3_000 });
  await maintenance.connect();
  try {
    await maintenance.query(`CREATE DATABASE ${name}`);
  } finally {
    await maintenance.end();
  }
  const dropSql = `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`;
  let dropped = false;
  onExit(() => {
    if (dropped) return;
    dropped = true;
    const script = `const pg = require('pg'); const c = new pg.Client({ connectionString: process.env.URL, connectionTimeoutMillis: 3000 });
      c.connect().then(() => c.query(process.env.SQL)).catch((e) => { console.error(e.message); process.exitCode = 1; }).finally(() => c.end().catch(() => {}));`;
    spawnSync(process.execPath, ['-e', script], { cwd: ROOT, env: { ...process.env, URL: serverUrl, SQL: dropSql }, stdio: 'ignore', timeout: 15_000 });
  });
  return {
    name,
    url: withDatabase(serverUrl, name),
    async drop() {
      if (dropped) return;
      dropped = true;
      const m = new pg.Client({ connectionString: serverUrl, connectionTimeoutMillis: 3_000 });
      await m.connect();
      try {
        await m.query(dropSql);
      } finally {
        await m.end().catch(() => {});
      }
    },
  };
}

function isLocalPostgresProcess(pid) {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === 'postgres';
  } catch {
    return false;
  }
}

/**
 * The PostgreSQL processes working for `database` right now: its client backends (ccapi's connections) and
 * the server-wide background processes (WAL writer, checkpointer, background writer, launchers), which
 * mostly work for whoever writes, i.e. us during a create phase. Only processes visible in this machine's
 * /proc as `postgres` are returned, so a remote server yields an empty list (its CPU is then not ours to see).
 * `client` is a connection of the bench itself; its own backend is left out.
 */
export async function databaseProcesses(client, database) {
  const { rows } = await client.query(
    `SELECT pid, backend_type FROM pg_stat_activity
      WHERE pid <> pg_backend_pid() AND (datname = $1 OR (datname IS NULL AND backend_type <> 'client backend'))`,
    [database],
  );
  return rows.filter((r) => isLocalPostgresProcess(r.pid)).map((r) => ({ pid: r.pid, type: r.backend_type }));
}

/**
 * CPU use over a phase, in cores, when the system under test is several processes: the ccapi nodes (or the
 * baseline) in `serverPids`, the PostgreSQL processes of `database` (read through `client`), this process
 * (the load generator), and everything else on the machine, which is what disturbs the figures. Async
 * because the database's processes are looked up with a query, at the start and again at the end (a
 * backend opened during the phase counts from zero; one gone by the end is lost, which is rare and small).
 */
export async function clusterCpuMeter({ serverPids, client, database }) {
  const cpu = (pid) => {
    try {
      return cpuSecondsOf(pid);
    } catch {
      return undefined;
    }
  };
  const dbProcesses0 = await databaseProcesses(client, database);
  const t0 = performance.now();
  const servers0 = serverPids.map(cpu);
  const db0 = new Map(dbProcesses0.map(({ pid }) => [pid, cpu(pid)]));
  const self0 = process.cpuUsage();
  const children0 = waitedChildrenCpuSeconds();
  const machine0 = machineBusySeconds();
  return async () => {
    const types = new Map([...dbProcesses0, ...(await databaseProcesses(client, database))].map(({ pid, type }) => [pid, type]));
    const seconds = (performance.now() - t0) / 1000;
    const self = process.cpuUsage(self0);
    const machine = machineBusySeconds();
    const perServer = serverPids.map((pid, i) => Math.max(0, (cpu(pid) ?? servers0[i] ?? 0) - (servers0[i] ?? 0)));
    let db = 0;
    const byType = {};
    for (const [pid, type] of types) {
      const now = cpu(pid);
      if (now === undefined) continue;
      const used = Math.max(0, now - (db0.get(pid) ?? 0));
      db += used;
      byType[type] = (byType[type] ?? 0) + used;
    }
    const serverSeconds = perServer.reduce((a, b) => a + b, 0);
    // The bench process, and any load generator it ran as a child (wrk) that has exited since.
    const loadGeneratorSeconds = (self.user + self.system) / 1e6 + (waitedChildrenCpuSeconds() - children0);
    const machineSeconds = machine.busy - machine0.busy;
    const round = (x) => +(x / seconds).toFixed(2);
    return {
      seconds,
      serverCores: round(serverSeconds),
      perServerCores: perServer.map(round),
      databaseCores: round(db),
      databaseProcesses: types.size,
      databaseCoresByType: Object.fromEntries(Object.entries(byType).map(([type, used]) => [type, round(used)])),
      loadGeneratorCores: round(loadGeneratorSeconds),
      otherCores: round(Math.max(0, machineSeconds - serverSeconds - db - loadGeneratorSeconds)),
      machineCores: round(machineSeconds),
      stealCores: round(machine.steal - machine0.steal),
    };
  };
}

/**
 * Commit latency of the database right now: `count` one-row INSERTs, each its own transaction, so each waits
 * for its WAL flush. Creates on PostgreSQL are bound by that flush (group commit shares one among many
 * writes), and other sessions' disk writes lengthen it without showing up as CPU: the bench prints it next
 * to the create figures. Uses a table of its own in the bench database.
 */
export async function commitLatency(client, count = 30) {
  await client.query('CREATE TABLE IF NOT EXISTS bench_commit_probe (n int)');
  const ms = [];
  for (let i = 0; i < count; i++) {
    const t0 = performance.now();
    await client.query('INSERT INTO bench_commit_probe VALUES (1)');
    ms.push(performance.now() - t0);
  }
  await client.query('TRUNCATE bench_commit_probe');
  ms.sort((a, b) => a - b);
  const at = (p) => +ms[Math.min(ms.length - 1, Math.ceil(p * ms.length) - 1)].toFixed(2);
  return { p50: at(0.5), p90: at(0.9), samples: count };
}
