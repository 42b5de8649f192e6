/**
 * The HTTP front: node:http, one `POST /` dispatched by X-Amz-Target (AWS JSON 1.0), admin routes under
 * /_ccapi, body limits, and graceful shutdown. It holds no operation semantics: it parses, calls the
 * service, and renders what comes back (or the error it throws).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { ApiContext } from '../api/context.js';
import { callOperation } from '../api/service.js';
import { timingSafeEqual } from 'node:crypto';
import { isAuthFailure, jsonAuthError, openAuthenticator, queryAuthError, type Authenticator } from '../auth/authenticate.js';
import type { SignedRequest } from '../auth/sigv4.js';
import { QueryError } from '../protocol/errors.js';
import type { RateLimiter } from './rate-limit.js';
import type { Logger } from '../lib/logger.js';
import { ServiceError } from '../protocol/errors.js';
import { JSON_10_CONTENT_TYPE, parseBody, renderError, renderOutput } from '../protocol/json10.js';
import { isOperationName } from '../protocol/operations.js';
import { validateInput } from '../protocol/validate.js';
import { handleAdmin, type AdminDeps } from './admin.js';
import { ConsoleRoutes } from './console.js';
import { ConnectionCap, DEFAULT_MAX_CONNECTIONS } from './connection-cap.js';
import { closeLingering } from './lingering-close.js';
import { OwedAnswers } from './owed-answers.js';
import { answerQuery, isQueryRequest, QUERY_SERVICES } from './query-front.js';
import type { Observer } from '../engine/observer.js';
import type { Metrics } from './metrics.js';
import { answerMetrics, METRICS_PATH } from './metrics-route.js';
import { observeJsonCall, observeQueryCall } from './observed-calls.js';
import { performance } from 'node:perf_hooks';

const TARGET_PREFIX = 'CloudApiService.';
/** Cloud Control's SigV4 signing name: the service a credential scope must name. */
const CLOUD_CONTROL_SIGNING_NAME = 'cloudcontrolapi';
/** Four 256 KiB members plus the envelope fit well under this; anything larger is not a Cloud Control call. */
export const DEFAULT_BODY_LIMIT = 1024 * 1024;

export interface HttpOptions {
  bodyLimit?: number;
  /** Open mode (the default) reads the caller from the credential scope; strict mode verifies SigV4. */
  authenticator?: Authenticator;
  /** With credentials configured, admin routes need `Authorization: Bearer <token>` (health without it: only "up"). */
  adminToken?: string;
  rateLimiter?: RateLimiter;
  /** Open connections served at once; see connection-cap.ts for what happens past it. */
  maxConnections?: number;
  /** Told about every API call answered (the access log and the metrics listen). */
  observer?: Observer;
  /** Served at GET /_ccapi/metrics, behind the same guard as the other admin routes. */
  metrics?: Metrics;
}

/** Slow clients may not hold a connection: headers within 10 s, the whole request within 30 s. */
export const HEADERS_TIMEOUT_MS = 10_000;
export const REQUEST_TIMEOUT_MS = 30_000;
/**
 * An idle keep-alive connection is closed after this: longer than a load balancer's idle timeout (ELB's
 * default is 60 s, and it asks targets to wait longer so it closes first and never sends a request into a
 * closing connection: https://docs.aws.amazon.com/elasticloadbalancing/latest/application/edit-load-balancer-attributes.html#connection-idle-timeout).
 */
export const KEEP_ALIVE_TIMEOUT_MS = 65_000;
export const MAX_HEADER_BYTES = 16 * 1024;

/** How long a refused connection is read on (and dropped) before it is let go: see lingering-close.ts. */
const LINGER_MS = 5_000;

/** Past the body limit the rest of an upload is still read (and dropped), up to this much: see readBody. */
const drainLimitFor = (bodyLimit: number) => Math.max(16 * bodyLimit, 16 * 1024 * 1024);

/** The body was over the limit; `drained` when all of it was read, so the connection can close cleanly. */
class BodyTooLarge extends Error {
  constructor(readonly drained: boolean) {
    super('request body too large');
  }
}

/**
 * Reads the body, keeping at most `limit` bytes. An over-limit body is still read to its end (and dropped)
 * before anyone answers it: a server that answers and closes while the client is still uploading leaves
 * unread bytes in the socket, the kernel then resets the connection, and the client often sees that reset
 * instead of the 413. Only an upload beyond the drain limit (declared or sent) is cut short.
 */
function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const drainLimit = drainLimitFor(limit);
    if (Number(req.headers['content-length']) > drainLimit) return reject(new BodyTooLarge(false));
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) return void chunks.push(chunk);
      chunks.length = 0;
      if (size > drainLimit) {
        req.off('data', onData);
        req.pause();
        reject(new BodyTooLarge(false));
      }
    };
    req.on('data', onData);
    req.on('end', () => {
      if (size > limit) reject(new BodyTooLarge(true));
      else resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks));
    });
    req.on('error', reject);
  });
}

/** Reads and drops a body nobody will use, so the answer is not lost to a reset (see readBody). */
function discardBody(req: IncomingMessage): Promise<void> {
  return new Promise((resolve) => {
    const done = () => resolve();
    req.once('end', done);
    req.once('close', done);
    req.once('error', done);
    req.resume();
  });
}

function send(res: ServerResponse, status: number, contentType: string, body: string | Buffer, requestId: string): void {
  res.writeHead(status, {
    'content-type': contentType,
    'content-length': typeof body === 'string' ? Buffer.byteLength(body) : body.length,
    'x-amzn-requestid': requestId,
  });
  res.end(body);
}

export class HttpFront {
  readonly server: Server;
  private readonly owed = new OwedAnswers();
  private readonly cap: ConnectionCap;
  private readonly console: ConsoleRoutes;

  constructor(
    private readonly ctx: ApiContext,
    private readonly admin: AdminDeps,
    private readonly log: Logger,
    private readonly options: HttpOptions = {},
  ) {
    this.server = createServer(
      // Timeouts are only checked every connectionsCheckingInterval (30 s by default): check every second.
      // A request without Host is refused in handle(), in the AWS error shape (node's own refusal has no body).
      { maxHeaderSize: MAX_HEADER_BYTES, requestTimeout: REQUEST_TIMEOUT_MS, headersTimeout: HEADERS_TIMEOUT_MS, connectionsCheckingInterval: 1000, requireHostHeader: false },
      (req, res) => this.dispatch(req, res),
    );
    // "Expect: 100-continue" with a declared body over the limit: refuse before the client sends it.
    this.server.on('checkContinue', (req: IncomingMessage, res: ServerResponse) => {
      if (!(Number(req.headers['content-length']) > this.bodyLimit)) res.writeContinue();
      this.dispatch(req, res);
    });
    this.console = new ConsoleRoutes(admin);
    this.server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
    this.cap = new ConnectionCap(this.server, options.maxConnections ?? DEFAULT_MAX_CONNECTIONS, log);
    // Malformed requests (bad framing, over-size headers, timeouts) never reach handle(): they are answered
    // here, after the answers still owed to the requests pipelined before them, in order.
    this.server.on('clientError', (error: NodeJS.ErrnoException, socket) => {
      if (!socket.writable) return socket.destroy();
      this.owed.afterOwed(socket as Socket, () => this.refuseMalformed(error, socket as Socket));
    });
  }

  /**
   * Answers a request node could not parse in the AWS error shape, then closes the connection lingering (a
   * client still sending would otherwise get a reset instead of this answer), within bounds.
   */
  private refuseMalformed(error: NodeJS.ErrnoException, socket: Socket): void {
    if (!socket.writable) return void socket.destroy();
    const tooLarge = error.code === 'HPE_HEADER_OVERFLOW';
    const timedOut = error.code === 'ERR_HTTP_REQUEST_TIMEOUT';
    const status = tooLarge ? 431 : timedOut ? 408 : 400;
    const reason = tooLarge ? 'Request Header Fields Too Large' : timedOut ? 'Request Timeout' : 'Bad Request';
    const body = renderError(
      new ServiceError('SerializationException', tooLarge ? `Request headers exceed ${MAX_HEADER_BYTES} bytes` : timedOut ? 'The request was not received in time' : 'Malformed HTTP request'),
    );
    const head = `HTTP/1.1 ${status} ${reason}\r\ncontent-type: ${JSON_10_CONTENT_TYPE}\r\ncontent-length: ${Buffer.byteLength(body)}\r\nx-amzn-requestid: ${this.ctx.ids.uuid()}\r\nconnection: close\r\n\r\n`;
    // A HEAD request's answer has no body (its client would read one as the next response).
    const isHead = (error as { rawPacket?: Buffer }).rawPacket?.subarray(0, 5).toString('latin1') === 'HEAD ';
    closeLingering(socket, isHead ? head : head + body, { maxBytes: drainLimitFor(this.bodyLimit), maxMs: LINGER_MS });
  }

  /** Connections open right now (the metrics' gauge). */
  get openConnections(): number {
    return this.cap.openConnections;
  }

  private get bodyLimit(): number {
    return this.options.bodyLimit ?? DEFAULT_BODY_LIMIT;
  }

  private dispatch(req: IncomingMessage, res: ServerResponse): void {
    this.owed.track(req, res);
    this.handle(req, res).catch((error) => this.log.error({ err: error }, 'unhandled error while answering'));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const startedAt = performance.now();
    const requestId = this.ctx.ids.uuid();
    const url = req.url ?? '/';
    const queryAt = url.indexOf('?');
    const path = queryAt === -1 ? url : url.slice(0, queryAt);
    if (this.cap.isOverCap(req.socket)) {
      // The common AWS error for a temporary failure of the server, 503, which every SDK retries with backoff:
      // https://docs.aws.amazon.com/cloudcontrolapi/latest/APIReference/CommonErrors.html (ServiceUnavailable).
      return this.refuseAndClose(req, res, requestId, new ServiceError('ServiceUnavailable', `The server is at its limit of ${this.cap.max} connections; retry shortly`));
    }
    if (req.httpVersionMajor === 1 && req.httpVersionMinor === 1 && req.headers.host === undefined) {
      // RFC 9112 §3.2: a server must answer 400 to an HTTP/1.1 request without Host. What AWS answers is not
      // documented (no public source found), so it gets ccapi's answer to any malformed request.
      return this.refuseAndClose(req, res, requestId, new ServiceError('SerializationException', 'Malformed HTTP request: an HTTP/1.1 request needs a Host header'));
    }
    let raw: Buffer;
    try {
      // "Expect: 100-continue" over the limit was not told to continue: nothing more is coming.
      const expect = req.headers.expect;
      if (expect !== undefined && /100-continue/i.test(expect) && Number(req.headers['content-length']) > this.bodyLimit) throw new BodyTooLarge(false);
      raw = await readBody(req, this.bodyLimit);
    } catch (error) {
      if (error instanceof BodyTooLarge) {
        const tooLarge = new ServiceError('SerializationException', `Request body exceeds the ${this.bodyLimit} byte limit`);
        // Node closes the connection once this answer is written; an upload cut short may then see a reset.
        res.setHeader('connection', 'close');
        this.log.debug({ requestId, drained: error.drained }, 'request body over the limit');
        return send(res, 413, JSON_10_CONTENT_TYPE, renderError(tooLarge), requestId);
      }
      // A client that went away mid-upload has nobody to answer.
      if ((error as NodeJS.ErrnoException).code !== 'ECONNRESET') throw error;
      this.log.debug({ requestId }, 'client went away while sending its request');
      return;
    }
    const body = raw.toString('utf8');
    const auth = this.options.authenticator ?? openAuthenticator;
    const signed: SignedRequest = { method: req.method ?? 'GET', url, headers: req.headers, rawHeaders: req.rawHeaders, body: raw };

    if (path === '/' || path.startsWith('/_ccapi/console')) {
      // The web console (console.ts): its page, assets and JSON routes, and a browser's GET / sent there.
      try {
        if (await this.console.answer({ req, res, path, query: queryAt === -1 ? '' : url.slice(queryAt + 1), trusted: () => !auth.strict || this.adminAuthorized(req) })) return;
      } catch (error) {
        this.log.error({ err: error, requestId }, 'console route failed');
        return send(res, 500, 'application/json', JSON.stringify({ error: 'InternalFailure', message: `Internal error (request id ${requestId})` }), requestId);
      }
    }
    if (path.startsWith('/_ccapi/')) {
      const trusted = !auth.strict || this.adminAuthorized(req);
      if (!trusted && path !== '/_ccapi/health') {
        const message = this.options.adminToken
          ? 'Admin routes need Authorization: Bearer <admin token>'
          : 'Admin routes are disabled: credentials are configured but no --admin-token was given';
        return send(res, 401, 'application/json', JSON.stringify({ error: 'Unauthorized', message }), requestId);
      }
      try {
        if (path === METRICS_PATH && this.options.metrics) {
          const scrape = await answerMetrics(req.method, this.options.metrics);
          return send(res, scrape.status, scrape.contentType, scrape.body, requestId);
        }
        const reply = await handleAdmin(req, path, body, this.admin, trusted);
        return send(res, reply.status, 'application/json', JSON.stringify(reply.body), requestId);
      } catch (error) {
        this.log.error({ err: error, requestId }, 'admin route failed');
        return send(res, 500, 'application/json', JSON.stringify({ error: 'InternalFailure', message: `Internal error (request id ${requestId})` }), requestId);
      }
    }

    // The query protocol (CloudFormation's DescribeType/ListTypes): no X-Amz-Target, and an Action in a form body or the URL.
    const urlQuery = queryAt === -1 ? '' : url.slice(queryAt + 1);
    if (req.headers['x-amz-target'] === undefined && isQueryRequest(req.method, req.headers['content-type'], body, urlQuery)) {
      const reply = await answerQuery(this.ctx, this.log, req.headers, urlQuery, body, requestId, QUERY_SERVICES, (service) => {
        const caller = auth.authenticate(signed, service);
        if (isAuthFailure(caller)) throw queryAuthError(caller);
        if (this.options.rateLimiter && !this.options.rateLimiter.allow(caller.accountId)) throw new QueryError('Throttling', 'Rate exceeded', 400);
        return caller;
      });
      this.log.debug({ requestId, operation: reply.operation, code: reply.code }, 'answered (query protocol)');
      send(res, reply.status, reply.contentType, reply.body, requestId);
      return observeQueryCall(this.options.observer, startedAt, QUERY_SERVICES, reply);
    }

    let operation: string | undefined;
    let input: object | undefined;
    try {
      const target = req.headers['x-amz-target'];
      if (req.method !== 'POST' || typeof target !== 'string' || !target.startsWith(TARGET_PREFIX)) {
        throw new ServiceError('UnknownOperationException', target ? `Unknown operation ${target}` : 'Missing X-Amz-Target header: this endpoint speaks AWS JSON 1.0 (POST / with X-Amz-Target: CloudApiService.<Operation>)');
      }
      operation = target.slice(TARGET_PREFIX.length);
      // Authentication comes first, as on AWS: an unsigned request learns nothing about the API.
      const caller = auth.authenticate(signed, CLOUD_CONTROL_SIGNING_NAME);
      if (isAuthFailure(caller)) throw jsonAuthError(caller);
      if (this.options.rateLimiter && !this.options.rateLimiter.allow(caller.accountId)) throw new ServiceError('ThrottlingException', 'Rate exceeded');
      if (!isOperationName(operation)) throw new ServiceError('UnknownOperationException', `Unknown operation ${target}`);
      input = validateInput(operation, parseBody(body));
      const output = await callOperation(this.ctx, caller, operation, input);
      send(res, 200, JSON_10_CONTENT_TYPE, renderOutput(output), requestId);
      this.log.debug({ requestId, operation }, 'answered');
      observeJsonCall(this.options.observer, startedAt, operation, input, output, 200, undefined);
    } catch (error) {
      if (error instanceof ServiceError) {
        this.log.debug({ requestId, operation, code: error.code }, 'answered with an error');
        send(res, error.status, JSON_10_CONTENT_TYPE, renderError(error), requestId);
        return observeJsonCall(this.options.observer, startedAt, operation, input, undefined, error.status, error.code);
      }
      // Never a stack trace or an internal path to the client: the request id ties the log to the answer.
      this.log.error({ err: error, requestId, operation }, 'unexpected failure');
      const failure = new ServiceError('InternalFailure', `An internal error occurred (request id ${requestId})`);
      send(res, 500, JSON_10_CONTENT_TYPE, renderError(failure), requestId);
      observeJsonCall(this.options.observer, startedAt, operation, input, undefined, 500, failure.code);
    }
  }

  /** Refuses a request without reading what it asks, and closes its connection. */
  private async refuseAndClose(req: IncomingMessage, res: ServerResponse, requestId: string, error: ServiceError): Promise<void> {
    await discardBody(req);
    res.setHeader('connection', 'close');
    this.log.debug({ requestId, code: error.code }, 'refused before reading the request');
    send(res, error.status, JSON_10_CONTENT_TYPE, renderError(error), requestId);
  }

  private adminAuthorized(req: IncomingMessage): boolean {
    const expected = this.options.adminToken;
    const given = req.headers.authorization;
    if (!expected || typeof given !== 'string' || !given.startsWith('Bearer ')) return false;
    const a = Buffer.from(given.slice('Bearer '.length));
    const b = Buffer.from(expected);
    return a.length === b.length && timingSafeEqual(a, b);
  }

  listen(port: number, host: string): Promise<AddressInfo> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => {
        this.server.off('error', reject);
        resolve(this.server.address() as AddressInfo);
      });
    });
  }

  /** Stops accepting connections and waits for in-flight requests; idle keep-alive sockets are closed. */
  close(): Promise<void> {
    return new Promise((resolve) => {
      this.console.closeStreams();
      this.server.close(() => resolve());
      this.server.closeIdleConnections();
    });
  }
}
