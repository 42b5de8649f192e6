#!/usr/bin/env node
/**
 * The scale section of the bench (issue #17): does every call cost the same with 1,000 or 1,000,000 requests and
 * resources stored? `BENCH_ONLY=scale node bench/run.mjs`, or `node bench/scale.mjs` alone (needs dist/).
 *
 * For each store (SQLite, then PostgreSQL on a fresh database `ccapi_scale_<pid>_<random>`, dropped at the end),
 * one database grows through the sizes of BENCH_SCALE_SIZES. Before each size the server is stopped and the
 * database is bulk-filled with multi-row INSERTs of rows the stores' own mapping builds (dist/store/rows.js:
 * toRequestParams renders each request's ProgressEvent as the store does), so the rows are what ccapi writes:
 *
 *   main tenant (111111111111 / us-east-1):  N requests (90% CREATE+SUCCESS, 5% UPDATE+SUCCESS, 4% DELETE+SUCCESS,
 *                                            1% CREATE+FAILED; never DELETE+FAILED), 2 timeline entries each;
 *                                            N AWS::Logs::LogGroup; N AWS::EKS::Nodegroup over N/100 clusters;
 *                                            N AWS::Proton::ServiceTemplate (secondary identifier Name)
 *   10,000 tenants (2,500 accounts × 4 regions): 1 request and 1 LogGroup each (filled once, at the first size)
 *
 * Then the server is started (`serve --schemas <the official bundle>`: Nodegroup's list handlerSchema and the
 * Proton type's additionalIdentifiers come from it) and every figure is measured through HTTP (raw JSON 1.0 on
 * keep-alive node:http; the caller's account and region ride in the SigV4 credential scope, which open mode reads):
 * p50 of BENCH_SCALE_CALLS sequential calls, each call on a different item where the figure allows.
 * At the end: the retention purge of every main-tenant request (all made expired), timed, with a prober
 * measuring the longest answer of other calls while it runs.
 *
 * Prints each figure's curve and its ratio largest/smallest size, with the targets (p50 within 2× of the
 * smallest size and under 5 ms at the largest; purge pause < 20 ms; start-up < 1 s; RSS < 200 MB).
 *
 * Environment (all optional):
 *   BENCH_SCALE_SIZES=1000,10000,100000,1000000
 *   BENCH_SCALE_STORES=sqlite,postgres
 *   BENCH_SCALE_CALLS=20          sequential calls per figure
 *   BENCH_SCALE_CREATE_SECONDS=3  create→SUCCESS load at each size (32 clients); 0 skips it
 *   BENCH_SCALE_PURGE=1           0 skips the purge phase
 *   BENCH_SCALE_SLOW_MS=2000      a call slower than this is not repeated (its time stands for the figure)
 *   BENCH_POSTGRES_URL            default postgres://postgres@127.0.0.1:5432/test
 *   BENCH_SCHEMAS_ZIP             default ../shared/cfn-schemas/CloudformationSchema.zip
 */
import Database from 'better-sqlite3';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import pg from 'pg';
import { collectResponse, CONTENT_TYPE, getStatus, keepAliveAgent, sleep, TARGET_PREFIX } from './lib/client.mjs';
import { runCreateLoad } from './lib/create-load.mjs';
import { installCleanupHandlers, killAll, memoryOf, onExit, spawnTracked, stopChild, waitForListening } from './lib/processes.mjs';
import { SERVER_NODE_FLAGS } from './lib/server-command.mjs';
import { request } from 'node:http';
import { spawnSync } from 'node:child_process';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const CLI = join(ROOT, 'dist', 'cli.js');
const MB = 1024 * 1024;
const DAY = 86_400_000;

export const SCALE_TARGETS = { ratio: 2, p50Ms: 5, purgePauseMs: 20, startupMs: 1_000, rssBytes: 200 * MB, createsSqlite: 1_000, createsPostgres: 500 };

const env = process.env;
function list(name, fallback) {
  return (env[name] || fallback).split(',').map((s) => s.trim()).filter(Boolean);
}
export function scaleConfig() {
  const sizes = list('BENCH_SCALE_SIZES', '1000,10000,100000,1000000').map(Number);
  if (sizes.some((n) => !Number.isInteger(n) || n < 100)) throw new Error('BENCH_SCALE_SIZES must be integers >= 100');
  return {
    sizes: [...sizes].sort((a, b) => a - b),
    stores: list('BENCH_SCALE_STORES', 'sqlite,postgres'),
    calls: Number(env.BENCH_SCALE_CALLS || 20),
    createSeconds: Number(env.BENCH_SCALE_CREATE_SECONDS ?? 3),
    purge: env.BENCH_SCALE_PURGE !== '0',
    postgresUrl: env.BENCH_POSTGRES_URL || 'postgres://postgres@127.0.0.1:5432/test',
    schemasZip: env.BENCH_SCHEMAS_ZIP || join(ROOT, '..', 'shared', 'cfn-schemas', 'CloudformationSchema.zip'),
  };
}

// ------------------------------------------------------------------------------------------- the data

const MAIN = { accountId: '111111111111', region: 'us-east-1' };
const TENANT_REGIONS = ['us-east-1', 'eu-west-1', 'ap-southeast-2', 'sa-east-1'];
const TENANTS = 10_000;
const tenantOf = (k) => ({ accountId: String(200000000000 + Math.floor(k / TENANT_REGIONS.length)), region: TENANT_REGIONS[k % TENANT_REGIONS.length] });
const pad = (i) => String(i).padStart(8, '0');
const LOG_GROUP = 'AWS::Logs::LogGroup';
const NODEGROUP = 'AWS::EKS::Nodegroup';
const TEMPLATE = 'AWS::Proton::ServiceTemplate';

function mixOf(i) {
  const m = i % 100;
  if (m < 90) return ['CREATE', 'SUCCESS'];
  if (m < 95) return ['UPDATE', 'SUCCESS'];
  if (m < 99) return ['DELETE', 'SUCCESS'];
  return ['CREATE', 'FAILED'];
}

function logGroupModel(scope, name) {
  return { LogGroupName: name, Arn: `arn:aws:logs:${scope.region}:${scope.accountId}:log-group:${name}:*`, RetentionInDays: 7 };
}
function nodegroupOf(i) {
  const cluster = `cluster-${pad(Math.floor(i / 100))}`;
  const name = `ng-${pad(i)}`;
  return {
    id: `${cluster}/${name}`,
    model: {
      ClusterName: cluster, NodegroupName: name, Id: `${cluster}/${name}`, NodeRole: `arn:aws:iam::${MAIN.accountId}:role/eks-nodes`,
      Subnets: ['subnet-0123456789abcdef0'], Arn: `arn:aws:eks:${MAIN.region}:${MAIN.accountId}:nodegroup/${cluster}/${name}/0`,
    },
  };
}
function templateOf(i) {
  const name = `tpl-${pad(i)}`;
  const arn = `arn:aws:proton:${MAIN.region}:${MAIN.accountId}:service-template/${name}`;
  return { id: arn, model: { Arn: arn, Name: name } };
}

/** The request record the engine would have stored for a finished request (rows.js renders its event). */
function requestRecord(scope, token, i, now) {
  const [operation, status] = mixOf(i);
  const name = `lg-${pad(i)}`;
  const at = now - 3_600_000 + (i % 3_600_000);
  const record = {
    token, seq: undefined, accountId: scope.accountId, region: scope.region, fingerprint: 'scale-bench', typeName: LOG_GROUP,
    operation, status, identifier: name, desiredState: JSON.stringify({ LogGroupName: name }), createdAt: at, eventTime: at + 5,
    stepCount: 1, version: 3, terminalAt: at + 5, clientToken: token,
  };
  if (status === 'FAILED') Object.assign(record, { errorCode: 'AlreadyExists', statusMessage: `Resource of type '${LOG_GROUP}' with identifier '${name}' already exists.` });
  else record.resourceModel = JSON.stringify(logGroupModel(scope, name));
  delete record.seq;
  return record;
}

/** Bulk inserts through one driver: SQLite (better-sqlite3 on the file, server stopped) or pg. */
class Filler {
  static async open(kind, target, rows) {
    const f = new Filler(kind, target, rows);
    if (kind === 'sqlite') f.db = new Database(target);
    else await f.connect(target);
    return f;
  }
  /** PostgreSQL: a fresh connection (another session on the shared server may terminate ours; the batch is redone). */
  async connect(target = this.target) {
    this.target = target;
    this.client?.end().catch(() => {});
    this.client = new pg.Client({ connectionString: target });
    this.client.on('error', () => {});
    await this.client.connect();
  }
  /** Runs one batch in a transaction; on PostgreSQL a dropped connection is replaced and the batch run again (3 tries). */
  async batch(work) {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.begin();
        await work();
        await this.commit();
        return;
      } catch (error) {
        if (this.kind === 'sqlite' || attempt >= 3) throw error;
        process.stdout.write(`  (fill batch failed: ${error.message}; reconnecting)\n`);
        await this.connect();
      }
    }
  }
  constructor(kind, target, rows) {
    this.kind = kind;
    this.rows = rows;
    this.text = kind === 'sqlite' ? rows.SQLITE_TEXT : rows.POSTGRES_TEXT;
  }
  table(name) {
    return this.kind === 'sqlite' ? name : `ccapi.${name}`;
  }
  async insert(table, columns, values) {
    if (values.length === 0) return;
    const per = columns.length;
    // SQLite's default limit is 32,766 bound parameters; PostgreSQL's 65,535.
    const chunk = Math.floor(30_000 / per);
    for (let start = 0; start < values.length; start += chunk) {
      const part = values.slice(start, start + chunk);
      if (this.kind === 'sqlite') {
        const sql = `INSERT INTO ${table} (${columns.join(', ')}) VALUES ${part.map(() => `(${columns.map(() => '?').join(', ')})`).join(', ')}`;
        this.db.prepare(sql).run(part.flat());
      } else {
        let n = 0;
        const sql = `INSERT INTO ${table} (${columns.join(', ')}) VALUES ${part.map(() => `(${columns.map(() => `$${++n}`).join(', ')})`).join(', ')}`;
        await this.client.query(sql, part.flat());
      }
    }
  }
  async begin() {
    if (this.kind === 'sqlite') this.db.exec('BEGIN');
    else await this.client.query('BEGIN');
  }
  async commit() {
    if (this.kind === 'sqlite') this.db.exec('COMMIT');
    else await this.client.query('COMMIT');
  }
  async requests(scoped, now) {
    const { REQUEST_COLUMNS, toRequestParams } = this.rows;
    const values = [];
    const events = [];
    for (const { scope, token, i } of scoped) {
      const r = requestRecord(scope, token, i, now);
      const params = toRequestParams(r, this.text);
      values.push(REQUEST_COLUMNS.map((c) => params[c]));
      const t = params.token;
      if (this.kind === 'sqlite') {
        events.push([t, 1, 'IN_PROGRESS', r.createdAt, 'accepted', null, null, null], [t, 2, r.status, r.eventTime, 'handler', r.errorCode ?? null, r.statusMessage ?? null, null]);
      } else {
        events.push([t, 'IN_PROGRESS', r.createdAt, 'accepted', null, null, null], [t, r.status, r.eventTime, 'handler', r.errorCode ?? null, r.statusMessage ?? null, null]);
      }
    }
    await this.insert(this.table('requests'), [...REQUEST_COLUMNS], values);
    const eventColumns = this.kind === 'sqlite'
      ? ['token', 'n', 'status', 'event_time', 'detail', 'error_code', 'status_message', 'retry_after']
      : ['token', 'status', 'event_time', 'detail', 'error_code', 'status_message', 'retry_after'];
    await this.insert(this.table('request_events'), eventColumns, events);
  }
  async resources(items, now) {
    const values = items.map(({ scope, typeName, identifier, model }) => [
      this.text.encode(scope.accountId), this.text.encode(scope.region), typeName, this.text.encode(identifier), JSON.stringify(model), now, now,
    ]);
    await this.insert(this.table('resources'), ['account_id', 'region', 'type_name', 'identifier', 'properties', 'created_at', 'updated_at'], values);
  }
  /** The resource index rows (migration 006) the engine writes with each resource: [scope, typeName, path, value, identifier]. */
  async indexRows(items) {
    const values = items.map(([scope, typeName, path, value, identifier]) => [this.text.encode(scope.accountId), this.text.encode(scope.region), typeName, path, this.text.encode(value), this.text.encode(identifier)]);
    await this.insert(this.table('resource_index'), ['account_id', 'region', 'type_name', 'path', 'value', 'identifier'], values);
  }
  async scalar(sql) {
    if (this.kind === 'sqlite') return Object.values(this.db.prepare(sql).get())[0];
    const { rows } = await this.client.query(sql);
    return Object.values(rows[0])[0];
  }
  async exec(sql) {
    if (this.kind === 'sqlite') this.db.exec(sql);
    else await this.client.query(sql);
  }
  async close() {
    if (this.db) this.db.close();
    if (this.client) await this.client.end();
  }
}

const BATCH = 5_000;
/** Grows the main tenant from `from` to `to` items of each kind; the tenants at the first fill. */
async function fill(filler, from, to, withTenants, log) {
  const now = Date.now();
  const t0 = performance.now();
  for (let start = from; start < to; start += BATCH) {
    const end = Math.min(to, start + BATCH);
    const ids = Array.from({ length: end - start }, (_, k) => start + k);
    await filler.batch(async () => {
    await filler.requests(ids.map((i) => ({ scope: MAIN, token: `scale-req-${pad(i)}`, i })), now);
    await filler.resources(ids.map((i) => ({ scope: MAIN, typeName: LOG_GROUP, identifier: `lg-${pad(i)}`, model: logGroupModel(MAIN, `lg-${pad(i)}`) })), now);
    await filler.resources(ids.map((i) => ({ scope: MAIN, typeName: NODEGROUP, identifier: nodegroupOf(i).id, model: nodegroupOf(i).model })), now);
    await filler.resources(ids.map((i) => ({ scope: MAIN, typeName: TEMPLATE, identifier: templateOf(i).id, model: templateOf(i).model })), now);
    // What indexedPaths holds for them with the official schemas: Nodegroup's list-handler ClusterName, the
    // template's additional identifier Name (the LogGroup has none).
    await filler.indexRows(ids.map((i) => [MAIN, NODEGROUP, 'ClusterName', nodegroupOf(i).model.ClusterName, nodegroupOf(i).id]));
    await filler.indexRows(ids.map((i) => [MAIN, TEMPLATE, 'Name', templateOf(i).model.Name, templateOf(i).id]));
    });
  }
  if (withTenants) {
    for (let start = 0; start < TENANTS; start += BATCH) {
      const ids = Array.from({ length: Math.min(TENANTS, start + BATCH) - start }, (_, k) => start + k);
      await filler.batch(async () => {
        await filler.requests(ids.map((k) => ({ scope: tenantOf(k), token: `scale-tenant-${pad(k)}`, i: k })), now);
        await filler.resources(ids.map((k) => ({ scope: tenantOf(k), typeName: LOG_GROUP, identifier: `tenant-lg-${pad(k)}`, model: logGroupModel(tenantOf(k), `tenant-lg-${pad(k)}`) })), now);
      });
    }
  }
  if (filler.kind === 'postgres') await filler.exec('ANALYZE');
  else filler.db.exec('ANALYZE');
  log(`  filled ${from} → ${to}${withTenants ? ` (+${TENANTS} tenants)` : ''} in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
}

// ------------------------------------------------------------------------------------------- HTTP

function scopeHeader(scope) {
  return `AWS4-HMAC-SHA256 Credential=${scope.accountId}/20260101/${scope.region}/cloudcontrolapi/aws4_request, SignedHeaders=host, Signature=0`;
}

function callAs(url, scope, operation, input, agent) {
  const u = new URL(url);
  const payload = Buffer.from(JSON.stringify(input));
  return new Promise((resolve, reject) => {
    const req = request(
      { host: u.hostname, port: u.port, path: '/', method: 'POST', agent, headers: { 'content-type': CONTENT_TYPE, 'x-amz-target': TARGET_PREFIX + operation, 'content-length': payload.length, authorization: scopeHeader(scope) } },
      (res) => collectResponse(res, resolve, reject),
    );
    req.setTimeout(300_000, () => req.destroy(new Error(`${operation} timed out`)));
    req.on('error', reject);
    req.end(payload);
  });
}

async function timed(fn) {
  const t = performance.now();
  const response = await fn();
  return { ms: performance.now() - t, response };
}

function ok(response, what) {
  if (response.status !== 200) throw new Error(`${what}: HTTP ${response.status} ${response.body.toString('utf8').slice(0, 300)}`);
  return response.json;
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** p50 of `calls` sequential calls; `make(k)` gives the k-th call's [scope, operation, input, check?]. */
async function figure(url, agent, calls, make) {
  const times = [];
  // One warm-up call (statement preparation, first page-in), not counted. A call slower than SLOW_MS (a scan of
  // everything stored) is not repeated: its one time stands for the figure, so a 1M run ends.
  for (let k = -1; k < calls; k++) {
    const [scope, op, input, check] = make(Math.max(0, k));
    const { ms, response } = await timed(() => callAs(url, scope, op, input, agent));
    const json = ok(response, op);
    if (check) check(json);
    if (ms > SLOW_MS) return ms;
    if (k >= 0) times.push(ms);
  }
  return median(times);
}
const SLOW_MS = Number(process.env.BENCH_SCALE_SLOW_MS || 2_000);

async function walkTimes(url, agent, scope, op, input, itemsKey, expected) {
  let token;
  let items = 0;
  const times = [];
  const t0 = performance.now();
  do {
    const { ms, response } = await timed(() => callAs(url, scope, op, { ...input, ...(token ? { NextToken: token } : {}) }, agent));
    const json = ok(response, op);
    items += json[itemsKey].length;
    times.push(ms);
    token = json.NextToken;
  } while (token);
  if (expected !== undefined && items !== expected) throw new Error(`${op} walk returned ${items} items, expected ${expected}`);
  return { lastPagesP50: median(times.slice(-20)), walkSeconds: (performance.now() - t0) / 1000, pages: times.length, items };
}

// ------------------------------------------------------------------------------------------- one size

async function measureSize(url, n, config) {
  const agent = keepAliveAgent(1);
  const calls = config.calls;
  const pick = (k) => Math.floor(((k + 0.5) / calls) * n);
  const f = {};
  const noneMatch = (json) => {
    const items = json.ResourceDescriptions ?? json.ResourceRequestStatusSummaries;
    if (items.length) throw new Error('expected no items');
  };
  const pageOf = (size) => (json) => {
    const items = json.ResourceDescriptions ?? json.ResourceRequestStatusSummaries;
    if (items.length !== size) throw new Error(`expected a page of ${size}, got ${items.length}`);
  };
  f['GetResourceRequestStatus'] = await figure(url, agent, calls, (k) => [MAIN, 'GetResourceRequestStatus', { RequestToken: `scale-req-${pad(pick(k))}` }]);
  f['GetResource (primary identifier)'] = await figure(url, agent, calls, (k) => [MAIN, 'GetResource', { TypeName: LOG_GROUP, Identifier: `lg-${pad(pick(k))}` }]);
  f['ListResources, first page of 100'] = await figure(url, agent, calls, () => [MAIN, 'ListResources', { TypeName: LOG_GROUP, MaxResults: 100 }, pageOf(100)]);
  f['ListResources, ResourceModel by primary identifier, no match'] = await figure(url, agent, calls, (k) => [MAIN, 'ListResources', { TypeName: LOG_GROUP, MaxResults: 100, ResourceModel: JSON.stringify({ LogGroupName: `none-${k}` }) }, noneMatch]);
  f['ListResources, ResourceModel by a plain property, no match'] = await figure(url, agent, calls, () => [MAIN, 'ListResources', { TypeName: LOG_GROUP, MaxResults: 100, ResourceModel: JSON.stringify({ RetentionInDays: 3653 }) }, noneMatch]);
  f['ListResources, Nodegroups by ClusterName (100 of 100)'] = await figure(url, agent, calls, (k) => [MAIN, 'ListResources', { TypeName: NODEGROUP, MaxResults: 100, ResourceModel: JSON.stringify({ ClusterName: `cluster-${pad(Math.floor(pick(k) / 100))}` }) }, pageOf(Math.min(100, n))]);
  f['ListResources, Nodegroups by ClusterName, unknown cluster'] = await figure(url, agent, calls, (k) => [MAIN, 'ListResources', { TypeName: NODEGROUP, MaxResults: 100, ResourceModel: JSON.stringify({ ClusterName: `no-cluster-${k}` }) }, noneMatch]);
  f['GetResource by secondary identifier (Proton Name)'] = await figure(url, agent, calls, (k) => [MAIN, 'GetResource', { TypeName: TEMPLATE, Identifier: JSON.stringify({ Name: `tpl-${pad(pick(k))}` }) }]);
  const lrr = (filter) => (filter ? { MaxResults: 100, ResourceRequestStatusFilter: filter } : { MaxResults: 100 });
  const combos = [
    ['no filter', undefined, 100],
    ['CREATE+SUCCESS (dense)', { Operations: ['CREATE'], OperationStatuses: ['SUCCESS'] }, 100],
    ['SUCCESS (dense)', { OperationStatuses: ['SUCCESS'] }, 100],
    ['CREATE (dense)', { Operations: ['CREATE'] }, 100],
    ['CREATE+FAILED (1%)', { Operations: ['CREATE'], OperationStatuses: ['FAILED'] }, Math.min(100, n / 100)],
    ['UPDATE (5%)', { Operations: ['UPDATE'] }, Math.min(100, n / 20)],
    ['DELETE+FAILED (none)', { Operations: ['DELETE'], OperationStatuses: ['FAILED'] }, 0],
    ['IN_PROGRESS (none)', { OperationStatuses: ['IN_PROGRESS', 'PENDING', 'CANCEL_IN_PROGRESS'] }, 0],
    ['UPDATE,DELETE+FAILED,CANCEL_COMPLETE (none)', { Operations: ['UPDATE', 'DELETE'], OperationStatuses: ['FAILED', 'CANCEL_COMPLETE'] }, 0],
  ];
  for (const [name, filter, size] of combos) {
    f[`ListResourceRequests, ${name}`] = await figure(url, agent, calls, () => [MAIN, 'ListResourceRequests', lrr(filter), pageOf(size)]);
  }
  f['ListResourceRequests, tenant of 10,000'] = await figure(url, agent, calls, (k) => [tenantOf((k * 499) % TENANTS), 'ListResourceRequests', { MaxResults: 100 }, pageOf(1)]);
  f['ListResources, tenant of 10,000'] = await figure(url, agent, calls, (k) => [tenantOf((k * 499) % TENANTS), 'ListResources', { TypeName: LOG_GROUP, MaxResults: 100 }, pageOf(1)]);
  const walkLr = await walkTimes(url, agent, MAIN, 'ListResources', { TypeName: LOG_GROUP, MaxResults: 100 }, 'ResourceDescriptions', n);
  f['ListResources, last pages of a full walk'] = walkLr.lastPagesP50;
  const walkLrr = await walkTimes(url, agent, MAIN, 'ListResourceRequests', { MaxResults: 100 }, 'ResourceRequestStatusSummaries', n);
  f['ListResourceRequests, last pages of a full walk'] = walkLrr.lastPagesP50;
  agent.destroy();
  return { figures: f, walks: { listResources: walkLr, listResourceRequests: walkLrr } };
}

// ------------------------------------------------------------------------------------------- servers

function serverArgs(database, zip) {
  return [...SERVER_NODE_FLAGS, CLI, 'serve', '--port', '0', '--database', database, '--log-level', 'warn', '--schemas', zip];
}

/** Spawn → first 200 from /_ccapi/health, polled every 10 ms. */
async function startServer(database, zip) {
  const t0 = performance.now();
  const child = spawnTracked(process.execPath, serverArgs(database, zip), { cwd: ROOT });
  const url = await waitForListening(child, 120_000);
  for (;;) {
    if ((await getStatus(url, '/_ccapi/health').catch(() => 0)) === 200) break;
    await sleep(10);
  }
  return { child, url, startupMs: performance.now() - t0 };
}

async function databaseBytes(kind, filler, file) {
  if (kind === 'sqlite') {
    const bytes = (name) => filler.db.prepare(`SELECT COALESCE(SUM(pgsize), 0) AS b FROM dbstat WHERE name = ? OR name IN (SELECT name FROM sqlite_master WHERE tbl_name = ? AND type = 'index')`).get(name, name).b;
    return { requests: bytes('requests') + bytes('request_events'), resources: bytes('resources'), file: statSync(file).size };
  }
  const size = async (table) => Number(await filler.scalar(`SELECT pg_total_relation_size('ccapi.${table}')`));
  return { requests: (await size('requests')) + (await size('request_events')), resources: await size('resources'), file: Number(await filler.scalar('SELECT pg_database_size(current_database())')) };
}

async function createDatabase(serverUrl) {
  const name = `ccapi_scale_${process.pid}_${randomBytes(3).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const u = new URL(serverUrl);
  u.pathname = `/${name}`;
  const dropSql = `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`;
  let dropped = false;
  const drop = async () => {
    if (dropped) return;
    dropped = true;
    const m = new pg.Client({ connectionString: serverUrl });
    await m.connect();
    await m.query(dropSql).finally(() => m.end());
  };
  onExit(() => {
    if (dropped) return;
    dropped = true;
    const script = `const pg=require('pg');const c=new pg.Client({connectionString:process.env.URL});c.connect().then(()=>c.query(process.env.SQL)).finally(()=>c.end())`;
    spawnSync(process.execPath, ['-e', script], { cwd: ROOT, env: { ...process.env, URL: serverUrl, SQL: dropSql }, stdio: 'ignore', timeout: 15_000 });
  });
  return { name, url: u.toString(), drop };
}

/** The retention purge of every main-tenant request: all made expired, then a fresh server purges them at start. */
async function measurePurge(kind, database, filler, zip, n, log) {
  const old = Date.now() - 8 * DAY;
  await filler.exec(`UPDATE ${filler.table('requests')} SET terminal_at = ${old}, created_at = ${old}, event_time = ${old} WHERE account_id = '${MAIN.accountId}'`);
  if (kind === 'sqlite') filler.db.pragma('wal_checkpoint(TRUNCATE)');
  await filler.close();
  // The server purges at start, right after it listens: the prober starts as soon as the address is printed.
  const child = spawnTracked(process.execPath, serverArgs(database, zip), { cwd: ROOT });
  const url = await waitForListening(child, 120_000);
  const agent = keepAliveAgent(1);
  const probeAgent = keepAliveAgent(1);
  const tenant = tenantOf(7);
  let longest = 0;
  let probes = 0;
  let done = false;
  // The prober: a call that reads the database (another tenant's ListResourceRequests), back to back.
  const prober = (async () => {
    while (!done) {
      const { ms, response } = await timed(() => callAs(url, tenant, 'ListResourceRequests', { MaxResults: 10 }, probeAgent));
      ok(response, 'probe');
      longest = Math.max(longest, ms);
      probes++;
      await sleep(1);
    }
  })();
  const t0 = performance.now();
  for (;;) {
    const json = ok(await callAs(url, MAIN, 'ListResourceRequests', { MaxResults: 1 }, agent), 'ListResourceRequests');
    if (json.ResourceRequestStatusSummaries.length === 0) break;
    if (performance.now() - t0 > 600_000) throw new Error('purge did not finish within 10 minutes');
    await sleep(50);
  }
  const seconds = (performance.now() - t0) / 1000;
  done = true;
  await prober;
  agent.destroy();
  probeAgent.destroy();
  const rss = memoryOf(child.pid).rss;
  await stopChild(child);
  log(`  purge of ${n} expired requests: ${seconds.toFixed(1)} s (${Math.round(n / seconds)}/s); longest probe answer ${longest.toFixed(1)} ms over ${probes} probes; RSS ${(rss / MB).toFixed(0)} MB`);
  return { seconds, longestPauseMs: longest, probes, rssBytes: rss };
}

async function runStore(kind, config, log, tmp) {
  const rows = await import(pathToFileURL(join(ROOT, 'dist', 'store', 'rows.js')).href);
  const text = await import(pathToFileURL(join(ROOT, 'dist', 'store', 'stored-text.js')).href);
  const codec = { ...rows, SQLITE_TEXT: text.SQLITE_TEXT, POSTGRES_TEXT: text.POSTGRES_TEXT };
  let database;
  let pgDb;
  if (kind === 'sqlite') database = join(tmp, 'scale.db');
  else {
    pgDb = await createDatabase(config.postgresUrl);
    database = pgDb.url;
    log(`  database ${pgDb.name}`);
  }
  const result = { sizes: {}, purge: undefined };
  try {
    // The schema: one start of the server applies every migration.
    const first = await startServer(database, config.schemasZip);
    await stopChild(first.child);
    let filled = 0;
    for (const n of config.sizes) {
      const filler = await Filler.open(kind, kind === 'sqlite' ? database : database, codec);
      await fill(filler, filled, n, filled === 0, log);
      filled = n;
      if (kind === 'sqlite') filler.db.pragma('wal_checkpoint(TRUNCATE)');
      const bytes = await databaseBytes(kind, filler, database);
      await filler.close();
      const starts = [];
      let server;
      for (let s = 0; s < 3; s++) {
        if (server) await stopChild(server.child);
        server = await startServer(database, config.schemasZip);
        starts.push(server.startupMs);
      }
      const measured = await measureSize(server.url, n, config);
      let creates;
      if (config.createSeconds > 0) {
        const stats = await runCreateLoad({ url: server.url, clients: 32, seconds: config.createSeconds, runId: `${kind}${n}${randomBytes(2).toString('hex')}`, phase: `scale-${n}` });
        creates = stats.completedPerSecond ?? stats.completed / (stats.elapsedSeconds ?? config.createSeconds);
      }
      const rss = memoryOf(server.child.pid).rss;
      await stopChild(server.child);
      const tenantsRequests = TENANTS;
      const sizeResult = {
        figures: measured.figures,
        walks: measured.walks,
        startupMs: median(starts),
        rssBytes: rss,
        createsPerSecond: creates,
        bytesPerRequest: bytes.requests / (n + tenantsRequests),
        bytesPerResource: bytes.resources / (3 * n + tenantsRequests),
        databaseBytes: bytes.file,
      };
      result.sizes[n] = sizeResult;
      log(`  ${kind} ${n}: startup ${sizeResult.startupMs.toFixed(0)} ms, RSS ${(rss / MB).toFixed(0)} MB, ${creates === undefined ? '' : `creates ${Math.round(creates)}/s, `}` +
        `${sizeResult.bytesPerRequest.toFixed(0)} B/request, ${sizeResult.bytesPerResource.toFixed(0)} B/resource, database ${(bytes.file / MB).toFixed(0)} MB`);
      for (const [name, ms] of Object.entries(measured.figures)) log(`    ${name.padEnd(64)} ${ms.toFixed(2)} ms`);
    }
    if (config.purge) {
      const filler = await Filler.open(kind, database, codec);
      result.purge = await measurePurge(kind, database, filler, config.schemasZip, filled, log);
    }
  } finally {
    if (pgDb) await pgDb.drop().catch((e) => log(`  drop failed: ${e.message}`));
  }
  return result;
}

function report(kind, result, config, log, checks) {
  const sizes = config.sizes.filter((n) => result.sizes[n]);
  const small = sizes[0];
  const large = sizes[sizes.length - 1];
  log(`\n[scale] ${kind}: p50 ms by stored requests & resources (ratio ${large}/${small})`);
  log(`  ${'figure'.padEnd(64)} ${sizes.map((n) => String(n).padStart(9)).join(' ')}   ratio  target`);
  for (const name of Object.keys(result.sizes[small].figures)) {
    const values = sizes.map((n) => result.sizes[n].figures[name]);
    const ratio = values[values.length - 1] / values[0];
    const pass = (ratio <= SCALE_TARGETS.ratio || values[values.length - 1] <= values[0] + 0.5) && values[values.length - 1] < SCALE_TARGETS.p50Ms;
    checks.push({ name: `scale ${kind}: ${name}`, small: values[0], large: values[values.length - 1], ratio, pass });
    log(`  ${name.padEnd(64)} ${values.map((v) => v.toFixed(2).padStart(9)).join(' ')}  ${ratio.toFixed(2).padStart(5)}×  ${pass ? 'PASS' : 'FAIL'}`);
  }
  const row = (name, fn, unit, target, lower = true) => {
    const values = sizes.map((n) => fn(result.sizes[n]));
    const last = values[values.length - 1];
    const pass = target === undefined ? undefined : lower ? last < target : last >= target;
    if (pass !== undefined) checks.push({ name: `scale ${kind}: ${name}`, large: last, pass });
    log(`  ${name.padEnd(64)} ${values.map((v) => (v === undefined ? 'n/a' : v.toFixed(0)).padStart(9)).join(' ')} ${unit} ${pass === undefined ? '' : pass ? 'PASS' : 'FAIL'}`);
  };
  row('start-up (spawn → health 200)', (s) => s.startupMs, 'ms', SCALE_TARGETS.startupMs);
  row('RSS after the size\'s calls', (s) => s.rssBytes / MB, 'MB', SCALE_TARGETS.rssBytes / MB);
  row('create→SUCCESS throughput (32 clients)', (s) => s.createsPerSecond, '/s', kind === 'sqlite' ? SCALE_TARGETS.createsSqlite : SCALE_TARGETS.createsPostgres, false);
  row('bytes per request (row, 2 timeline entries, indexes)', (s) => s.bytesPerRequest, 'B');
  row('bytes per resource (row, indexes)', (s) => s.bytesPerResource, 'B');
  row('ListResources full walk', (s) => s.walks.listResources.walkSeconds * 1000, 'ms');
  row('ListResourceRequests full walk', (s) => s.walks.listResourceRequests.walkSeconds * 1000, 'ms');
  if (result.purge) {
    const pass = result.purge.longestPauseMs < SCALE_TARGETS.purgePauseMs;
    checks.push({ name: `scale ${kind}: purge longest probe`, large: result.purge.longestPauseMs, pass });
    log(`  purge of ${large} expired requests: ${result.purge.seconds.toFixed(1)} s; longest probe answer ${result.purge.longestPauseMs.toFixed(1)} ms (< ${SCALE_TARGETS.purgePauseMs}) ${pass ? 'PASS' : 'FAIL'}`);
  }
}

export async function runScaleBench({ log = (s = '') => process.stdout.write(`${s}\n`), tmp } = {}) {
  const config = scaleConfig();
  if (!existsSync(CLI)) throw new Error('dist/ is missing: run npm run build');
  if (!existsSync(config.schemasZip)) throw new Error(`the schema bundle ${config.schemasZip} is missing (BENCH_SCHEMAS_ZIP)`);
  const dir = tmp ?? mkdtempSync(join(tmpdir(), 'ccapi-scale-'));
  const results = { config, stores: {}, checks: [] };
  try {
    for (const kind of config.stores) {
      log(`[scale] ${kind}: sizes ${config.sizes.join(', ')}, ${config.calls} calls per figure`);
      results.stores[kind] = await runStore(kind, config, log, dir);
      report(kind, results.stores[kind], config, log, results.checks);
    }
  } finally {
    if (!tmp) rmSync(dir, { recursive: true, force: true });
  }
  return results;
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  installCleanupHandlers();
  runScaleBench()
    .then((results) => {
      mkdirSync(join(ROOT, 'bench', 'results'), { recursive: true });
      writeFileSync(join(ROOT, 'bench', 'results', 'scale.json'), JSON.stringify(results, null, 2));
      const failed = results.checks.filter((c) => !c.pass);
      process.stdout.write(`\n[scale] ${results.checks.length - failed.length}/${results.checks.length} targets met\n`);
      killAll();
      process.exit(failed.length ? 1 : 0);
    })
    .catch((error) => {
      process.stderr.write(`scale bench failed: ${error.stack ?? error}\n`);
      killAll();
      process.exit(2);
    });
}
