/**
 * The web console (issue #16): its page and assets under /_ccapi/console/ (built into dist/console by
 * `npm run build`), the redirect of a browser's `GET /` there, and the JSON routes the page reads under
 * /_ccapi/console/api/ — cross-tenant views of requests and resources, and server-sent event streams of
 * them. The page and its assets are public (in strict mode the page asks for the admin token); every API
 * route needs what the other admin routes need.
 *
 * Streams poll the store (once a second) rather than listen to this process: on PostgreSQL the work of
 * every node shows, and a stream costs one bounded read a second.
 */
import { readFileSync, readdirSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname } from 'node:path';
import { OPERATION_STATUS_ENUM, OPERATIONS_ENUM, type OperationStatus, type OperationType } from '../domain/vocabulary.js';
import type { RequestRecord } from '../domain/records.js';
import { timelineEvent } from '../domain/timeline.js';
import type { ConsoleRequestFilter, ResourceKind, Store } from '../store/store.js';
import type { AdminDeps } from './admin.js';

export const CONSOLE_PATH = '/_ccapi/console/';
const API = '/_ccapi/console/api/';

/** Rows one page of the request list shows, and rows of the seq order one read may look at to fill it. */
const PAGE = 50;
const SCAN = 2000;
const KIND_PAGE = 500;
const RESOURCE_PAGE = 50;
/** A page of resource models stops before this many bytes (the first model always comes). */
const RESOURCE_PAGE_BYTES = 1024 * 1024;
const STREAM_POLL_MS = 1000;
/** A comment line this often keeps proxies from closing a quiet stream. */
const STREAM_KEEPALIVE_MS = 15_000;

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
};

/** The built assets, read once: a fixed set of files, so no path from a URL ever reaches the file system. */
function loadAssets(): Map<string, { type: string; body: Buffer }> {
  const dir = new URL('../console/', import.meta.url);
  const assets = new Map<string, { type: string; body: Buffer }>();
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return assets; // not built: the page answers with how to build it
  }
  for (const name of names) {
    const type = CONTENT_TYPES[extname(name)];
    if (type) assets.set(name, { type, body: readFileSync(new URL(name, dir)) });
  }
  return assets;
}

function packageVersion(): string | undefined {
  try {
    return (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: string }).version;
  } catch {
    return undefined;
  }
}

export interface ConsoleCall {
  req: IncomingMessage;
  res: ServerResponse;
  path: string;
  /** The query string, without `?`. */
  query: string;
  /** Open mode, or strict mode with the admin token. */
  trusted: () => boolean;
}

class BadRequest extends Error {}

/** The console's routes, with the streams it has open (ended when the server stops). */
export class ConsoleRoutes {
  private assets: Map<string, { type: string; body: Buffer }> | undefined;
  private readonly streams = new Set<() => void>();
  private readonly version = packageVersion();

  constructor(private readonly deps: AdminDeps) {}

  private get store(): Store {
    return this.deps.engine.store;
  }

  /** Answers the call if it is the console's; false leaves it to the API and the other admin routes. */
  async answer(call: ConsoleCall): Promise<boolean> {
    const { req, res, path } = call;
    const method = req.method ?? 'GET';
    // A browser opening the server's address; API calls (POST, or no text/html, or a query-protocol URL) go on.
    if (path === '/' && call.query === '' && (method === 'GET' || method === 'HEAD') && acceptsHtml(req)) {
      res.writeHead(302, { location: CONSOLE_PATH, 'content-length': 0 }).end();
      return true;
    }
    if (path === '/_ccapi/console') {
      res.writeHead(301, { location: CONSOLE_PATH, 'content-length': 0 }).end();
      return true;
    }
    if (!path.startsWith(CONSOLE_PATH)) return false;
    if (path.startsWith(API)) {
      if (!call.trusted()) {
        sendJson(res, 401, { error: 'Unauthorized', message: 'The console API needs Authorization: Bearer <admin token>' });
        return true;
      }
      if (method !== 'GET') {
        sendJson(res, 405, { error: 'MethodNotAllowed', message: 'Use GET' });
        return true;
      }
      try {
        await this.api(path.slice(API.length), new URLSearchParams(call.query), res);
      } catch (error) {
        if (res.headersSent) {
          res.destroy(); // a stream whose later read failed: the client reconnects
          return true;
        }
        if (error instanceof BadRequest) sendJson(res, 400, { error: 'InvalidParameter', message: error.message });
        else throw error; // the caller answers 500 and logs it
      }
      return true;
    }
    if (method !== 'GET' && method !== 'HEAD') {
      sendJson(res, 405, { error: 'MethodNotAllowed', message: 'Use GET' });
      return true;
    }
    this.assets ??= loadAssets();
    const name = path === CONSOLE_PATH ? 'index.html' : path.slice(CONSOLE_PATH.length);
    // Page routes (#/requests/...) live in the fragment; any other path that is not an asset is not found.
    const asset = this.assets.get(name);
    if (!asset) {
      const built = this.assets.has('index.html');
      sendText(res, 404, built ? `No console asset ${name}` : 'The console is not built: run npm run build');
      return true;
    }
    res.writeHead(200, { 'content-type': asset.type, 'content-length': asset.body.length, 'cache-control': 'no-cache', 'x-content-type-options': 'nosniff' });
    res.end(method === 'HEAD' ? undefined : asset.body);
    return true;
  }

  /** Ends every open stream (the server is stopping; it waits for open responses). */
  closeStreams(): void {
    for (const end of [...this.streams]) end();
  }

  private async api(route: string, params: URLSearchParams, res: ServerResponse): Promise<void> {
    if (route === 'requests') return sendJson(res, 200, await this.requests(params));
    if (route.startsWith('requests/')) {
      const found = await this.request(decodeSegment(route.slice('requests/'.length)));
      return found ? sendJson(res, 200, found) : sendJson(res, 404, { error: 'RequestTokenNotFound', message: 'No request with that token' });
    }
    if (route === 'resource-kinds') return sendJson(res, 200, await this.kinds(params));
    if (route === 'resources') return sendJson(res, 200, await this.resources(params));
    if (route === 'resource') {
      const found = await this.resource(params);
      return found ? sendJson(res, 200, found) : sendJson(res, 404, { error: 'ResourceNotFound', message: 'No such resource' });
    }
    if (route === 'server') return sendJson(res, 200, { version: this.version, ...this.deps.health() });
    if (route === 'stream/requests') return this.stream(res, () => this.requests(params));
    if (route === 'stream/request') {
      const token = params.get('token') ?? '';
      return this.stream(res, () => this.request(token));
    }
    sendJson(res, 404, { error: 'NotFound', message: `No console route ${route}` });
  }

  /** Newest first, filtered; `before` continues from a previous page's `NextBefore`. */
  private async requests(params: URLSearchParams): Promise<unknown> {
    const filter: ConsoleRequestFilter = {};
    const statuses = listParam(params, 'status', OPERATION_STATUS_ENUM);
    const operations = listParam(params, 'operation', OPERATIONS_ENUM);
    if (statuses.length) filter.statuses = statuses as OperationStatus[];
    if (operations.length) filter.operations = operations as OperationType[];
    const type = params.get('type');
    if (type) filter.typeName = type;
    const account = params.get('account');
    const region = params.get('region');
    if (account || region) {
      if (!account || !region) throw new BadRequest('account and region go together');
      filter.scope = { accountId: account, region };
    }
    const scan = await this.store.scanRequests(filter, intParam(params, 'before'), PAGE, SCAN);
    return { Requests: scan.records.map(summary), ...(scan.nextBeforeSeq !== undefined ? { NextBefore: scan.nextBeforeSeq } : {}) };
  }

  private async request(token: string): Promise<unknown> {
    const record = await this.store.getRequest(token);
    if (!record) return undefined;
    const history = await this.store.history(token);
    const resource = record.identifier === undefined ? undefined : await this.store.getResource(record, record.typeName, record.identifier);
    return {
      Request: details(record),
      Events: history.map(timelineEvent),
      ...(resource ? { Resource: { Identifier: resource.identifier, Model: parseJson(resource.properties), UpdatedAt: iso(resource.updatedAt) } } : {}),
    };
  }

  private async kinds(params: URLSearchParams): Promise<unknown> {
    const after = params.get('after');
    let cursor: ResourceKind | undefined;
    if (after) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(after);
      } catch {
        throw new BadRequest('after is a JSON array [account, region, type]');
      }
      const [accountId, region, typeName] = Array.isArray(parsed) ? (parsed as unknown[]).map((v) => (typeof v === 'string' ? v : '')) : [];
      if (!accountId || !region || !typeName) throw new BadRequest('after is [account, region, type]');
      cursor = { accountId, region, typeName };
    }
    const kinds = await this.store.listResourceKinds(cursor, KIND_PAGE);
    const last = kinds.length === KIND_PAGE ? kinds[kinds.length - 1] : undefined;
    return { Kinds: kinds, ...(last ? { NextAfter: JSON.stringify([last.accountId, last.region, last.typeName]) } : {}) };
  }

  private async resources(params: URLSearchParams): Promise<unknown> {
    const scope = scopeParams(params);
    const typeName = required(params, 'type');
    const page = await this.store.listResources(scope, typeName, params.get('after') ?? undefined, RESOURCE_PAGE, RESOURCE_PAGE_BYTES);
    return {
      Resources: page.map((r) => ({ Identifier: r.identifier, Model: parseJson(r.properties), CreatedAt: iso(r.createdAt), UpdatedAt: iso(r.updatedAt) })),
      ...(page.length === RESOURCE_PAGE ? { NextAfter: page[page.length - 1]!.identifier } : {}),
    };
  }

  /** One resource's model and the requests that touched it (newest first, from a bounded scan of its scope). */
  private async resource(params: URLSearchParams): Promise<unknown> {
    const scope = scopeParams(params);
    const typeName = required(params, 'type');
    const identifier = required(params, 'identifier');
    const [resource, touched] = await Promise.all([
      this.store.getResource(scope, typeName, identifier),
      this.store.scanRequests({ scope, typeName, identifier }, intParam(params, 'before'), PAGE, SCAN),
    ]);
    if (!resource && touched.records.length === 0) return undefined;
    return {
      ...(resource ? { Resource: { Identifier: resource.identifier, Model: parseJson(resource.properties), CreatedAt: iso(resource.createdAt), UpdatedAt: iso(resource.updatedAt) } } : {}),
      Requests: touched.records.map(summary),
      ...(touched.nextBeforeSeq !== undefined ? { NextBefore: touched.nextBeforeSeq } : {}),
    };
  }

  /**
   * A server-sent event stream of what `read` answers: an event whenever it changes (checked every second),
   * until the client goes away or the server stops.
   */
  private async stream(res: ServerResponse, read: () => Promise<unknown>): Promise<void> {
    const first = JSON.stringify((await read()) ?? null);
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', 'x-accel-buffering': 'no' });
    res.write(`data: ${first}\n\n`);
    let last = first;
    let lastWrite = Date.now();
    let polling = false;
    const poll = setInterval(() => {
      if (polling) return;
      polling = true;
      read()
        .then((value) => {
          const text = JSON.stringify(value ?? null);
          if (text !== last) {
            last = text;
            lastWrite = Date.now();
            res.write(`data: ${text}\n\n`);
          } else if (Date.now() - lastWrite >= STREAM_KEEPALIVE_MS) {
            lastWrite = Date.now();
            res.write(': keep-alive\n\n');
          }
        })
        // A failed read (the database briefly away) skips a beat; the next one tries again.
        .catch(() => undefined)
        .finally(() => (polling = false));
    }, STREAM_POLL_MS);
    const end = () => {
      clearInterval(poll);
      this.streams.delete(end);
      if (!res.writableEnded) res.end();
    };
    this.streams.add(end);
    res.on('close', end);
  }
}

function acceptsHtml(req: IncomingMessage): boolean {
  const accept = req.headers.accept;
  return typeof accept === 'string' && /\btext\/html\b/i.test(accept);
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), 'cache-control': 'no-store' });
  res.end(text);
}

function sendText(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new BadRequest('The path is not valid percent-encoding');
  }
}

/** A repeated or comma-separated parameter, each value one of `allowed`. */
function listParam(params: URLSearchParams, name: string, allowed: readonly string[]): string[] {
  const values = params.getAll(name).flatMap((v) => v.split(',')).filter(Boolean);
  for (const v of values) if (!allowed.includes(v)) throw new BadRequest(`${name} must be one of ${allowed.join(', ')}; got ${v}`);
  return values;
}

function intParam(params: URLSearchParams, name: string): number | undefined {
  const raw = params.get(name);
  if (raw === null || raw === '') return undefined;
  const n = Number(raw);
  if (!Number.isSafeInteger(n) || n < 0) throw new BadRequest(`${name} must be a non-negative integer`);
  return n;
}

function required(params: URLSearchParams, name: string): string {
  const value = params.get(name);
  if (!value) throw new BadRequest(`${name} is required`);
  return value;
}

function scopeParams(params: URLSearchParams): { accountId: string; region: string } {
  return { accountId: required(params, 'account'), region: required(params, 'region') };
}

const iso = (ms: number) => new Date(ms).toISOString();

function parseJson(text: string | undefined): unknown {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** A row of the request list. */
function summary(r: RequestRecord): Record<string, unknown> {
  return {
    RequestToken: r.token,
    AccountId: r.accountId,
    Region: r.region,
    TypeName: r.typeName,
    Operation: r.operation,
    OperationStatus: r.status,
    ...(r.identifier !== undefined ? { Identifier: r.identifier } : {}),
    ...(r.errorCode ? { ErrorCode: r.errorCode } : {}),
    ...(r.statusMessage ? { StatusMessage: r.statusMessage } : {}),
    CreatedAt: iso(r.createdAt),
    EventTime: iso(r.eventTime),
  };
}

/** Everything the timeline page shows about the request itself (not its lease or its client token). */
function details(r: RequestRecord): Record<string, unknown> {
  return {
    ...summary(r),
    StepCount: r.stepCount,
    ...(r.retryAfter !== undefined ? { RetryAfter: iso(r.retryAfter) } : {}),
    ...(r.terminalAt !== undefined ? { TerminalAt: iso(r.terminalAt) } : {}),
    ...(r.desiredState !== undefined ? { DesiredState: parseJson(r.desiredState) } : {}),
    ...(r.previousState !== undefined ? { PreviousState: parseJson(r.previousState) } : {}),
    ...(r.patchDocument !== undefined ? { PatchDocument: parseJson(r.patchDocument) } : {}),
    ...(r.resourceModel !== undefined ? { ResourceModel: parseJson(r.resourceModel) } : {}),
    ...(r.hooksRequestToken !== undefined ? { HooksRequestToken: r.hooksRequestToken } : {}),
    ...(r.hooksProgress !== undefined ? { HooksProgress: parseJson(r.hooksProgress) } : {}),
    ...(r.fault
      ? {
          InjectedFault: {
            ...(r.fault.notBefore !== undefined ? { DelayedUntil: iso(r.fault.notBefore) } : {}),
            ...(r.fault.errorCode !== undefined ? { ErrorCode: r.fault.errorCode } : {}),
            ...(r.fault.statusMessage !== undefined ? { StatusMessage: r.fault.statusMessage } : {}),
          },
        }
      : {}),
  };
}

