/**
 * AWS Signature Version 4 verification, by hand on node:crypto (measured ~4x cheaper than re-signing with
 * @smithy/signature-v4, which the tests use as an oracle). It rebuilds the canonical request from what
 * arrived (method, path, query, the signed headers, and the hash of the ACTUAL body: a client-supplied
 * x-amz-content-sha256 is compared with it, never trusted), derives the signing key (cached per key, date,
 * region and service) and compares signatures in constant time. Header and presigned-query forms both work.
 * The headers that say what to do (host, x-amz-date, x-amz-target) must be among the signed ones.
 */
import * as crypto from 'node:crypto';
import { createHash, createHmac } from 'node:crypto';

export interface SignedRequest {
  method: string;
  /** The raw request target: path and query, as received. */
  url: string;
  headers: Record<string, string | string[] | undefined>;
  /**
   * node's `req.rawHeaders` (name, value, name, value, ...): every header line as it arrived. `headers` cannot
   * canonicalize a repeated header (node joins repeats with ", ", and keeps only the first Host, Content-Type,
   * User-Agent...); when this is given, signed header values are read from here.
   */
  rawHeaders?: readonly string[];
  body: Buffer;
}

export interface Credential {
  accessKeyId: string;
  secretAccessKey: string;
  accountId: string;
  sessionToken?: string;
  /** For GetCallerIdentity's Arn: an IAM user's keys (or its GetSessionToken credentials); "root" when absent. */
  userName?: string;
  /** Temporary credentials from AssumeRole: the role session GetCallerIdentity names. */
  roleName?: string;
  sessionName?: string;
}

export type VerifyFailure =
  | 'MissingAuthentication'
  | 'IncompleteSignature'
  | 'UnknownAccessKey'
  | 'InvalidSessionToken'
  | 'SignatureExpired'
  | 'SignatureMismatch'
  /** A header AWS requires to be signed (host, x-amz-date, x-amz-target) is left out of SignedHeaders. */
  | 'HeaderNotSigned'
  | 'WrongService';

export type VerifyResult =
  | { ok: true; credential: Credential; region: string; service: string }
  | { ok: false; failure: VerifyFailure; message: string; region?: string };

export const MAX_CLOCK_SKEW_MS = 15 * 60 * 1000;
const ALGORITHM = 'AWS4-HMAC-SHA256';
/** Coral's words, on the JSON and the query protocols alike. */
const MISSING_AUTHENTICATION = 'Request is missing Authentication Token';
/** An Authorization header up to "Signature=" (its parts are the same on every request of a client and day)... */
const AUTH_PREFIX = /^AWS4-HMAC-SHA256\s+Credential=([^,\s]+)\s*,\s*SignedHeaders=([^,\s]+)\s*,\s*$/;
/** ...and what follows it, the only part that changes from request to request. */
const SIGNATURE_TAIL = /^([0-9a-f]{64})\s*$/;

// crypto.hash (node 20.12+) hashes in one call, without a Hash object per use: measurably cheaper per request.
const sha256Hex: (data: string | Buffer) => string =
  typeof crypto.hash === 'function' ? (data) => crypto.hash('sha256', data, 'hex') : (data) => createHash('sha256').update(data).digest('hex');

/**
 * A pure function of a string, remembered. Clients send the same credential scope and signed-header list on
 * every request of a day, so parsing them once saves a good part of each verification. Callers choose these
 * strings, so the memory is bounded: it is simply forgotten when full.
 */
function memoize<T>(fn: (key: string) => T, limit = 1000): (key: string) => T {
  const memory = new Map<string, T>();
  return (key) => {
    let value = memory.get(key);
    if (value === undefined) {
      if (memory.size >= limit) memory.clear();
      memory.set(key, (value = fn(key)));
    }
    return value;
  };
}

/** RFC 3986 encoding as SigV4 wants it: everything but unreserved characters is %XX, uppercase. */
function encodeRfc3986(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/** Removes "." and ".." segments (RFC 3986 §5.2.4) and encodes each segment again (SigV4 for non-S3 services). */
function canonicalPath(path: string): string {
  if (path === '/') return path; // every AWS JSON call
  const out: string[] = [];
  for (const segment of path.split('/')) {
    if (segment === '.') continue;
    if (segment === '..') out.pop();
    else out.push(segment);
  }
  let normalized = out.join('/');
  if (!normalized.startsWith('/')) normalized = `/${normalized}`;
  if (path.endsWith('/') && !normalized.endsWith('/')) normalized += '/';
  return normalized.split('/').map((s) => encodeRfc3986(s)).join('/');
}

function canonicalQuery(pairs: [string, string][]): string {
  if (pairs.length === 0) return ''; // every AWS JSON call
  return pairs
    .map(([k, v]) => [encodeRfc3986(k), encodeRfc3986(v)] as const)
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
}

function parseQuery(query: string): [string, string][] {
  if (query === '') return [];
  return query.split('&').filter(Boolean).map((pair) => {
    const at = pair.indexOf('=');
    return at === -1 ? [safeDecode(pair), ''] : [safeDecode(pair.slice(0, at)), safeDecode(pair.slice(at + 1))];
  });
}

function headerValue(headers: SignedRequest['headers'], name: string): string | undefined {
  // Own properties only: a SignedHeaders list naming "constructor" or "__proto__" must not reach Object's.
  if (!Object.prototype.hasOwnProperty.call(headers, name)) return undefined;
  const v = headers[name];
  if (v === undefined) return undefined;
  return Array.isArray(v) ? v.join(',') : String(v);
}

/** SigV4's Trimall: no whitespace around the value, and each run of whitespace inside it as one space. */
const trimAll = (value: string): string => {
  const trimmed = value.trim();
  // Only a run of whitespace, or whitespace other than a space, changes anything: most values have neither.
  return /\s\s|[^\S ]/.test(trimmed) ? trimmed.replace(/\s+/g, ' ') : trimmed;
};

/**
 * The canonical value of each signed header, in `signed` order (undefined: not sent). A header sent several
 * times is one canonical line: its values, each trimmed, joined with "," in the order they arrived (AWS's
 * rule; botocore signs it so). They come from the raw header lines when the front hands them over.
 */
function signedHeaderValues(req: SignedRequest, signed: readonly string[]): (string | undefined)[] {
  const values: (string | undefined)[] = new Array<string | undefined>(signed.length).fill(undefined);
  const raw = req.rawHeaders;
  if (raw === undefined) {
    signed.forEach((name, i) => {
      const v = headerValue(req.headers, name);
      if (v !== undefined) values[i] = trimAll(v);
    });
    return values;
  }
  for (let r = 0; r + 1 < raw.length; r += 2) {
    const at = signed.indexOf(raw[r]!.toLowerCase());
    if (at === -1) continue;
    const value = trimAll(raw[r + 1]!);
    values[at] = values[at] === undefined ? value : `${values[at]},${value}`;
  }
  return values;
}

/** Date from "20211011T000000Z" (the last one is remembered: requests arriving in one second share it). */
let lastAmzDate = '';
let lastAmzDateMs: number | undefined;
function parseAmzDate(value: string): number | undefined {
  if (value === lastAmzDate) return lastAmzDateMs;
  if (!AMZ_DATE.test(value)) return undefined;
  const n = (from: number, to: number) => Number(value.slice(from, to));
  lastAmzDate = value;
  return (lastAmzDateMs = Date.UTC(n(0, 4), n(4, 6) - 1, n(6, 8), n(9, 11), n(11, 13), n(13, 15)));
}
const AMZ_DATE = /^\d{8}T\d{6}Z$/;

/**
 * A derived signing key, ready to sign: HMAC-SHA256 is H((K ^ opad) || H((K ^ ipad) || message)), and with
 * the padded keys computed once, a signature is two one-shot hashes over scratch buffers. createHmac per
 * request builds a stream object and imports the key each time, and measured ~15% slower.
 */
class SigningKey {
  private readonly inner = Buffer.alloc(64 + 448);
  private readonly outer = Buffer.alloc(64 + 32);
  /** Views of `inner` by message length: string-to-sign lengths repeat, and a view costs an allocation. */
  private readonly innerViews = new Map<number, Buffer>();

  constructor(private readonly key: Buffer) {
    for (let i = 0; i < 64; i++) {
      this.inner[i] = (key[i] ?? 0) ^ 0x36;
      this.outer[i] = (key[i] ?? 0) ^ 0x5c;
    }
  }

  /** The hex HMAC-SHA256 of `message` under this key. */
  signHex(message: string): string {
    if (typeof crypto.hash !== 'function') return createHmac('sha256', this.key).update(message).digest('hex');
    const written = this.inner.write(message, 64, 'utf8');
    // A message that fills the scratch buffer may have been cut: sign it the ordinary way.
    if (64 + written >= this.inner.length) return createHmac('sha256', this.key).update(message).digest('hex');
    let view = this.innerViews.get(written);
    if (view === undefined) this.innerViews.set(written, (view = this.inner.subarray(0, 64 + written)));
    // The inner digest as hex, decoded into place: a 'buffer' digest allocates, and measured slower.
    this.outer.write(crypto.hash('sha256', view, 'hex'), 64, 'hex');
    return crypto.hash('sha256', this.outer, 'hex');
  }
}

/**
 * A credential scope ("AKID/20211011/us-east-1/cloudcontrolapi/aws4_request"), parsed once per distinct
 * string. It also keeps the signing key derived for it: the key depends only on (secret, date, region,
 * service), and the secret is checked on each use, so a key whose secret changed is derived again.
 */
interface CredentialScope {
  accessKeyId: string;
  date: string;
  region: string;
  service: string;
  /** "20211011/us-east-1/cloudcontrolapi/aws4_request", as it appears in the string to sign. */
  scope: string;
  signingKey?: { secret: string; key: SigningKey };
}

const credentialScope = memoize((credential: string): CredentialScope | { invalid: string } => {
  const parts = credential.split('/');
  if (parts.length !== 5 || parts[4] !== 'aws4_request' || !/^\d{8}$/.test(parts[1]!)) {
    return { invalid: `Credential should be scoped to a valid region, not '${parts[2] ?? ''}'. Expected format <access key>/<date>/<region>/<service>/aws4_request.` };
  }
  const [accessKeyId, date, region, service] = parts as [string, string, string, string];
  return { accessKeyId, date, region, service, scope: `${date}/${region}/${service}/aws4_request` };
});

function signingKey(scope: CredentialScope, secret: string): SigningKey {
  if (scope.signingKey?.secret === secret) return scope.signingKey.key;
  const kDate = createHmac('sha256', `AWS4${secret}`).update(scope.date).digest();
  const kRegion = createHmac('sha256', kDate).update(scope.region).digest();
  const kService = createHmac('sha256', kRegion).update(scope.service).digest();
  const key = new SigningKey(createHmac('sha256', kService).update('aws4_request').digest());
  scope.signingKey = { secret, key };
  return key;
}

/**
 * A SignedHeaders list ("a;b;host"), split once per distinct list, together with which of the headers AWS
 * requires to be signed it names: checked here, a request pays only for reading three booleans.
 */
interface SignedHeaderList {
  names: readonly string[];
  host: boolean;
  amzDate: boolean;
  target: boolean;
}

const signedHeaderList = memoize((signedHeaders: string): SignedHeaderList => {
  const names = Object.freeze(signedHeaders.split(';'));
  return { names, host: names.includes('host'), amzDate: names.includes('x-amz-date'), target: names.includes('x-amz-target') };
});

/**
 * The headers a signature must cover, and AWS's words when one is not. Sources:
 * - host: "For HTTP/1.1 requests, the host header must be included as a signed header"
 *   (https://docs.aws.amazon.com/general/latest/gr/sigv4-create-canonical-request.html). Live DynamoDB,
 *   an AWS JSON 1.0 service like Cloud Control, answers `400 com.amazon.coral.service#InvalidSignatureException`
 *   "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization." (github.com/aws/aws-sdk-php/issues/2469,
 *   github.com/kitar/laravel-dynamodb/issues/18, the latter with its `400 Bad Request`).
 * - x-amz-date: "If you include a date or x-amz-date header, you must also include that header in the list of signed
 *   headers" (same page). A presigned URL carries its date as X-Amz-Date in the signed query string instead.
 * - x-amz-target: the operation of an AWS JSON call. "Any x-amz-* headers that you plan to include in your request
 *   must also be added" (https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html); the SDKs
 *   sign it (botocore and @smithy/signature-v4 sign every header but a few such as user-agent). Unsigned, a
 *   captured GetResource replays as DeleteResource (issue #11).
 * No AWS source quotes the answer for an unsigned x-amz-date or x-amz-target: they get the error and the wording
 * AWS gives for host (the form "'<header>' must be a 'SignedHeader' in the AWS Authorization." that
 * github.com/dacut/scratchstack-aws-signature also uses for every required header).
 * Deliberately not required: x-amz-security-token (AWS's SigV4 test suite accepts it added after signing,
 * post-sts-token/post-sts-header-after; it must equal the credential's token anyway), content-type (asked for by
 * S3's signing page, but ccapi acts on nothing it says once the body is covered) and x-amz-content-sha256
 * (compared with the body received, below).
 */
const HOST_NOT_SIGNED = "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.";
const mustBeSigned = (header: string) => `'${header}' must be a 'SignedHeader' in the AWS Authorization.`;
const AMZ_DATE_NOT_SIGNED = mustBeSigned('x-amz-date');
const TARGET_NOT_SIGNED = mustBeSigned('x-amz-target');

/** AWS's message for the first required header `list` leaves out, or undefined when it names them all. */
function unsignedRequiredHeader(list: SignedHeaderList, req: SignedRequest, presigned: boolean): string | undefined {
  if (!list.host) return HOST_NOT_SIGNED;
  if (!presigned && !list.amzDate) return AMZ_DATE_NOT_SIGNED;
  // Only a request that carries a target (AWS JSON) needs it signed: a query-protocol call names its Action in
  // the query string or the body, which the signature covers anyway.
  if (!list.target && Object.prototype.hasOwnProperty.call(req.headers, 'x-amz-target')) return TARGET_NOT_SIGNED;
  return undefined;
}

/** The Authorization header's Credential and SignedHeaders, from its text before "Signature=". */
const authorizationPrefix = memoize((prefix: string): { credential: string; signedHeaders: string } | undefined => {
  const m = AUTH_PREFIX.exec(prefix);
  return m ? { credential: m[1]!, signedHeaders: m[2]! } : undefined;
});

/** Equal hex strings, compared in time that does not depend on where they differ. */
function sameHex(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}

function formatAmzDate(ms: number): string {
  return new Date(ms).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

const NO_QUERY: ReadonlyMap<string, string> = new Map();

interface Parsed {
  scope: CredentialScope;
  signedHeaders: readonly string[];
  /** The list as the client wrote it, which is also its canonical form (the signature covers it verbatim). */
  signedHeadersText: string;
  signature: string;
  amzDate: string;
  query: [string, string][];
  presigned: boolean;
  expiresSeconds?: number;
  sessionToken?: string;
}

const incomplete = (message: string): VerifyResult => ({ ok: false, failure: 'IncompleteSignature', message });

function parse(req: SignedRequest): Parsed | VerifyResult {
  const queryAt = req.url.indexOf('?');
  const query = queryAt === -1 ? [] : parseQuery(req.url.slice(queryAt + 1));
  const authorization = headerValue(req.headers, 'authorization');
  let credential: string, signedHeaders: string, signature: string, amzDate: string | undefined, presigned = false, expiresSeconds: number | undefined;
  let sessionToken = headerValue(req.headers, 'x-amz-security-token');
  const q = query.length === 0 ? NO_QUERY : new Map(query);
  const presignedQuery = q.has('X-Amz-Signature') || q.has('X-Amz-Credential');
  // Coral treats an Authorization header that is not SigV4 at all ("Bearer x", "AWS4") as no authentication
  // (dynalite's connection tests, which its author ran against live DynamoDB); "AWS4-..." is a broken signature.
  if (authorization !== undefined && authorization.startsWith('AWS4-')) {
    if (!authorization.startsWith(ALGORITHM)) return incomplete(`Authorization header requires '${ALGORITHM}' as the algorithm.`);
    const signatureAt = authorization.lastIndexOf('Signature=');
    const prefix = signatureAt === -1 ? undefined : authorizationPrefix(authorization.slice(0, signatureAt));
    const tail = signatureAt === -1 ? null : SIGNATURE_TAIL.exec(authorization.slice(signatureAt + 'Signature='.length));
    if (!prefix || !tail) return incomplete("Authorization header requires 'Credential', 'SignedHeaders' and 'Signature' parameters.");
    ({ credential, signedHeaders } = prefix);
    signature = tail[1]!;
    amzDate = headerValue(req.headers, 'x-amz-date');
    if (amzDate === undefined) return incomplete("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.");
  } else if (presignedQuery) {
    presigned = true;
    if (q.get('X-Amz-Algorithm') !== ALGORITHM) return incomplete(`X-Amz-Algorithm must be ${ALGORITHM}.`);
    credential = q.get('X-Amz-Credential') ?? '';
    signedHeaders = q.get('X-Amz-SignedHeaders') ?? '';
    signature = q.get('X-Amz-Signature') ?? '';
    amzDate = q.get('X-Amz-Date');
    expiresSeconds = q.has('X-Amz-Expires') ? Number(q.get('X-Amz-Expires')) : undefined;
    sessionToken = q.get('X-Amz-Security-Token') ?? sessionToken;
    if (!credential || !signedHeaders || !/^[0-9a-f]{64}$/.test(signature) || !amzDate) {
      return incomplete('Presigned requests need X-Amz-Credential, X-Amz-SignedHeaders, X-Amz-Date and X-Amz-Signature.');
    }
  } else {
    return { ok: false, failure: 'MissingAuthentication', message: MISSING_AUTHENTICATION };
  }
  const scope = credentialScope(credential);
  if ('invalid' in scope) return incomplete(scope.invalid);
  if (!amzDate.startsWith(scope.date)) {
    return incomplete(`Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${scope.date}' != '${amzDate.slice(0, 8)}', from '${amzDate}'.`);
  }
  const signedList = signedHeaderList(signedHeaders);
  const unsigned = unsignedRequiredHeader(signedList, req, presigned);
  if (unsigned !== undefined) return { ok: false, failure: 'HeaderNotSigned', message: unsigned, region: scope.region };
  // Presigned URLs live at most 7 days (a negative lifetime simply has expired, below).
  if (presigned && (expiresSeconds === undefined || !Number.isInteger(expiresSeconds) || expiresSeconds > 604800)) {
    return incomplete('X-Amz-Expires must be a whole number of seconds, at most 604800 (7 days).');
  }
  const parsed: Parsed = { scope, signedHeaders: signedList.names, signedHeadersText: signedHeaders, signature, amzDate, query, presigned };
  if (expiresSeconds !== undefined) parsed.expiresSeconds = expiresSeconds;
  if (sessionToken !== undefined) parsed.sessionToken = sessionToken;
  return parsed;
}

/**
 * Verifies a request. `lookup` finds a credential by access key id; `expectedService` is the signing name
 * of the API called (e.g. "cloudcontrolapi"), checked against the credential scope.
 */
export function verifySigV4(req: SignedRequest, lookup: (accessKeyId: string) => Credential | undefined, now: number, expectedService: string): VerifyResult {
  const parsed = parse(req);
  if ('ok' in parsed) return parsed;
  const { scope } = parsed;
  const fail = (failure: VerifyFailure, message: string): VerifyResult => ({ ok: false, failure, message, region: scope.region });

  const credential = lookup(scope.accessKeyId);
  if (!credential) return fail('UnknownAccessKey', 'The security token included in the request is invalid.');
  // Temporary credentials need their token; a long-term key sent with a token it was never issued is as
  // invalid on AWS as a wrong token.
  if (parsed.sessionToken !== credential.sessionToken) {
    return fail('InvalidSessionToken', 'The security token included in the request is invalid.');
  }

  // AWS checks the scope before the signature: a request signed for another service never verifies here.
  if (scope.service !== expectedService) {
    return fail('WrongService', `Credential should be scoped to correct service: '${expectedService}'. `);
  }

  const signedAt = parseAmzDate(parsed.amzDate);
  if (signedAt === undefined) return fail('IncompleteSignature', `Invalid X-Amz-Date '${parsed.amzDate}'.`);
  if (parsed.presigned) {
    const expires = (parsed.expiresSeconds ?? 900) * 1000;
    if (now > signedAt + expires) return fail('SignatureExpired', `Signature expired: ${parsed.amzDate} is now earlier than ${formatAmzDate(now - expires)} (${formatAmzDate(now)} - ${expires / 1000} sec.)`);
    if (signedAt > now + MAX_CLOCK_SKEW_MS) return fail('SignatureExpired', `Signature not yet current: ${parsed.amzDate} is still later than ${formatAmzDate(now + MAX_CLOCK_SKEW_MS)} (${formatAmzDate(now)} + 15 min.)`);
  } else if (signedAt < now - MAX_CLOCK_SKEW_MS) {
    return fail('SignatureExpired', `Signature expired: ${parsed.amzDate} is now earlier than ${formatAmzDate(now - MAX_CLOCK_SKEW_MS)} (${formatAmzDate(now)} - 15 min.)`);
  } else if (signedAt > now + MAX_CLOCK_SKEW_MS) {
    return fail('SignatureExpired', `Signature not yet current: ${parsed.amzDate} is still later than ${formatAmzDate(now + MAX_CLOCK_SKEW_MS)} (${formatAmzDate(now)} + 15 min.)`);
  }

  // The payload line of the canonical request is always the hash of the bytes received, so the signature covers
  // the body: the operation's input on AWS JSON, and the Action itself on the query protocol. UNSIGNED-PAYLOAD is
  // S3's ("For Amazon S3, include the literal string UNSIGNED-PAYLOAD", IAM's create-signed-request page above) and serves only
  // operations modelled with an unsigned body (botocore's `v4-unsigned-body` authtype; Cloud Control, STS and
  // CloudFormation have none): accepted here, a presigned DeleteResource could be sent with any other body.
  // A claimed x-amz-content-sha256 (UNSIGNED-PAYLOAD included) must agree with the bytes received.
  const bodyHash = sha256Hex(req.body);
  const claimed = headerValue(req.headers, 'x-amz-content-sha256');
  if (claimed !== undefined && claimed !== bodyHash) {
    return fail('SignatureMismatch', 'The provided x-amz-content-sha256 header does not match what was computed.');
  }

  const values = signedHeaderValues(req, parsed.signedHeaders);
  let headerLines = '';
  for (let i = 0; i < values.length; i++) {
    const name = parsed.signedHeaders[i]!;
    if (values[i] === undefined) return fail('SignatureMismatch', `The request signature we calculated does not match the signature you provided: signed header '${name}' is missing.`);
    headerLines += `${name}:${values[i]}\n`;
  }
  const queryAt = req.url.indexOf('?');
  const path = queryAt === -1 ? req.url : req.url.slice(0, queryAt);
  const queryPairs = parsed.presigned ? parsed.query.filter(([k]) => k !== 'X-Amz-Signature') : parsed.query;
  const key = signingKey(scope, credential.secretAccessKey);
  const canonicalRequest = `${req.method.toUpperCase()}\n${canonicalPath(path)}\n${canonicalQuery(queryPairs)}\n${headerLines}\n${parsed.signedHeadersText}\n${bodyHash}`;
  const stringToSign = `${ALGORITHM}\n${parsed.amzDate}\n${scope.scope}\n${sha256Hex(canonicalRequest)}`;
  // The signature was checked to be 64 lower-case hex digits, the form signHex produces.
  if (!sameHex(key.signHex(stringToSign), parsed.signature)) {
    return fail(
      'SignatureMismatch',
      'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
    );
  }
  return { ok: true, credential, region: scope.region, service: scope.service };
}
