/**
 * Fuzz: random and mutated requests (fast-check) against ONE running `ccapi serve` (open mode, loopback),
 * bounded in count and time. Every answer must be a well-formed AWS error or a success, never a stack trace
 * or a path; the server must not crash or hang, its memory must stay flat, and a normal client must still
 * work afterwards. Meanwhile 50 slow-loris connections send their headers a byte at a time: they must be cut
 * off while a normal client keeps being served.
 *
 * FUZZ_SEED=<n> replays a run (the seed is printed as a diagnostic); FUZZ_RUNS=<batches> and FUZZ_MS=<ms>
 * make a longer exploratory run (e.g. FUZZ_RUNS=1500 FUZZ_MS=100000: 12,000 requests).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { Agent, request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { connect, type Socket } from 'node:net';
import fc from 'fast-check';
import { CreateResourceCommand, GetResourceCommand, ListResourceRequestsCommand, type CloudControlClient } from '@aws-sdk/client-cloudcontrol';
import { startServer, type ServerProcess } from '../support/server.js';
import { makeClient, uniqueName, waitForStatus } from '../e2e/support.js';

const SEED = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : Date.now() % 2 ** 31;
const BATCH = 8; // requests in flight at once
const MAX_RUNS = Number(process.env.FUZZ_RUNS ?? 250); // batches: 2,000 requests at most
const FUZZ_TIME_LIMIT_MS = Number(process.env.FUZZ_MS ?? 22_000);
/** Only catches a hang: how fast answers come is a bench figure (bench/slow-loris.mjs), not this test's. */
const ANSWER_WITHIN_MS = 30_000;
const RSS_GROWTH_LIMIT_MB = 50;
const BODY_LIMIT = 1024 * 1024;
const LORIS_CONNECTIONS = 50;
/**
 * How long the slow-loris connections are given to be cut off: ccapi's 10 s headers timeout plus 15 s of
 * slack for a busy machine, still short of the 30 s request timeout that would cut them off if the headers
 * timeout were lost (node's headersTimeout then defaults to the request timeout). How soon they are cut off
 * on a quiet machine is a bench figure (bench/slow-loris.mjs).
 */
const LORIS_GIVE_UP_MS = 25_000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** What must never reach a client: stack frames, source or dist paths, module URLs. */
const LEAK = /\n\s+at \S|node:internal|file:\/\/|\/work\/|\/dist\/|\/src\/|\.(?:js|ts|mjs):\d+|node_modules/;

let server: ServerProcess;
let client: CloudControlClient;
let agent: Agent;

// ------------------------------------------------------------------------------------------------------
// Requests and answers

interface FuzzRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: Buffer;
  /** What generated it, for failure reports. */
  kind: string;
}

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
  ms: number;
}

/**
 * Requests over 100 KB go one at a time: eight concurrent 2 MB bodies make a transient peak of a few hundred
 * MB that says nothing about leaks, and would make the RSS comparison below measure the peak, not growth.
 */
let bigLock: Promise<unknown> = Promise.resolve();
function fire(req: FuzzRequest): Promise<Answer | { error: string; ms: number }> {
  if (req.body.length + headerBytes(req.headers) <= 100_000) return fireNow(req);
  const turn = bigLock.then(() => fireNow(req));
  bigLock = turn.catch(() => undefined);
  return turn;
}

function fireNow(req: FuzzRequest): Promise<Answer | { error: string; ms: number }> {
  const started = Date.now();
  return new Promise((resolve) => {
    let done = false;
    const finish = (v: Answer | { error: string; ms: number }) => {
      if (!done) {
        done = true;
        resolve(v);
      }
    };
    let r;
    try {
      // An explicit length: node's client sends GET/OPTIONS/TRACE/DELETE bodies without one otherwise.
      const headers = { ...req.headers, 'content-length': String(req.body.length) };
      r = httpRequest({ host: '127.0.0.1', port: server.port, method: req.method, path: req.path, headers, agent, timeout: ANSWER_WITHIN_MS }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => finish({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8'), ms: Date.now() - started }));
        res.on('error', (e) => finish({ error: `response: ${e.message}`, ms: Date.now() - started }));
      });
    } catch (e) {
      // The node client refused to send it (an invalid header, say): not the server's business.
      finish({ error: `client-refused: ${(e as Error).message}`, ms: 0 });
      return;
    }
    r.on('timeout', () => {
      r.destroy();
      finish({ error: `no answer within ${ANSWER_WITHIN_MS} ms`, ms: Date.now() - started });
    });
    r.on('error', (e) => finish({ error: `request: ${(e as NodeJS.ErrnoException).code ?? ''} ${e.message}`, ms: Date.now() - started }));
    r.end(req.body);
  });
}

const summarize = (value: string, max = 160) => (value.length > max ? `${JSON.stringify(value.slice(0, max))}… (${value.length} chars)` : JSON.stringify(value));

function describeRequest(req: FuzzRequest): string {
  const headers = Object.entries(req.headers)
    .map(([k, v]) => `${k}: ${summarize(v, 80)}`)
    .join('; ');
  return `[${req.kind}] ${req.method} ${summarize(req.path, 120)} {${headers}} body ${summarize(req.body.toString('latin1'), 200)}`;
}

interface Verdict {
  problem?: string;
  /** A 500 (reported separately: ideally none). */
  fault?: boolean;
  /** A bare answer from node's HTTP layer (no body, no request id). */
  bare?: boolean;
}

const headerBytes = (h: Record<string, string>) => Object.entries(h).reduce((n, [k, v]) => n + k.length + v.length + 4, 0);

/** Checks one answer; returns what is wrong with it, if anything. */
function judge(req: FuzzRequest, answer: Answer | { error: string; ms: number }): Verdict {
  if ('error' in answer) {
    if (answer.error.startsWith('client-refused')) return {};
    // An over-cap upload too: the server reads it through before answering 413, so no reset, ever.
    return { problem: `no well-formed answer: ${answer.error} after ${answer.ms} ms` };
  }
  const { status, headers, text } = answer;
  if (answer.ms > ANSWER_WITHIN_MS) return { problem: `answered after ${answer.ms} ms` };
  if (status < 200 || status > 599) return { problem: `status ${status}` };
  const leak = LEAK.exec(text);
  // A leak pattern that the request itself contained is an echo of the input, not a leak.
  if (leak && !`${req.path}\n${req.body.toString('utf8')}\n${Object.values(req.headers).join('\n')}`.includes(leak[0].trim())) {
    return { problem: `the body leaks internals: ${summarize(text, 400)}` };
  }
  const requestId = headers['x-amzn-requestid'];
  // Even what node's HTTP parser rejects (over-size headers, unknown methods) is answered in the AWS shape.
  if (status === 400 && text === '' && requestId === undefined) return { bare: true, problem: `a bare ${status} with no body and no request id` };
  if (typeof requestId !== 'string' || !UUID.test(requestId)) return { problem: `no x-amzn-requestid (status ${status}, body ${summarize(text)})` };
  if (req.method === 'HEAD') return status >= 500 ? { fault: true } : {};
  const contentType = String(headers['content-type'] ?? '');
  const path = req.path.split('?')[0]!;

  if (path.startsWith('/_ccapi/') && contentType !== 'application/x-amz-json-1.0') {
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(text) as Record<string, unknown>;
    } catch {
      return { problem: `admin answer is not JSON: ${summarize(text)}` };
    }
    if (status >= 400 && (typeof body.error !== 'string' || typeof body.message !== 'string')) return { problem: `admin error without error/message: ${summarize(text)}` };
    if (status >= 500) return body.error === 'InternalFailure' && String(body.message).includes(requestId) ? { fault: true } : { problem: `admin 5xx is not InternalFailure with the request id: ${summarize(text)}` };
    return {};
  }

  if (contentType === 'text/xml') {
    if (status >= 400) {
      const code = /<Code>([^<]+)<\/Code>/.exec(text)?.[1];
      if (!/^<ErrorResponse[ >]/.test(text) || !code || !/<Message>[^<]*<\/Message>/.test(text) || !text.includes(`<RequestId>${requestId}</RequestId>`)) {
        return { problem: `malformed query-protocol error: ${summarize(text, 400)}` };
      }
      if (status >= 500) return code === 'InternalFailure' && text.includes(requestId) ? { fault: true } : { problem: `query 5xx is not InternalFailure: ${summarize(text)}` };
      return {};
    }
    return /^<\w+Response xmlns="[^"]+">[\s\S]*<RequestId>[^<]+<\/RequestId>[\s\S]*<\/\w+Response>$/.test(text) ? {} : { problem: `malformed query-protocol response: ${summarize(text, 400)}` };
  }

  if (contentType !== 'application/x-amz-json-1.0') return { problem: `content-type ${contentType} (status ${status}): ${summarize(text)}` };
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return { problem: `not JSON (status ${status}): ${summarize(text)}` };
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return { problem: `not a JSON object: ${summarize(text)}` };
  if (status === 200) return {};
  if (status < 400) return { problem: `unexpected status ${status}` };
  const error = body as Record<string, unknown>;
  const keys = Object.keys(error).sort().join(',');
  if (keys !== 'Message,__type') return { problem: `error members are ${keys}, not __type and Message: ${summarize(text)}` };
  if (typeof error.__type !== 'string' || !/^[\w.]+#[A-Za-z]+$/.test(error.__type) || typeof error.Message !== 'string') return { problem: `malformed __type/Message: ${summarize(text)}` };
  if (status >= 500) {
    if (!error.__type.endsWith('#InternalFailure') && !error.__type.endsWith('#ServiceUnavailable')) {
      // Modeled server faults (HandlerInternalFailure...) come from handlers, not from bad input.
      return { fault: true };
    }
    return String(error.Message).includes(requestId) || error.__type.endsWith('#ServiceUnavailable') ? { fault: true } : { problem: `InternalFailure without the request id: ${summarize(text)}` };
  }
  return {};
}

// ------------------------------------------------------------------------------------------------------
// Generators

const OPERATIONS = [
  'CreateResource',
  'GetResource',
  'UpdateResource',
  'DeleteResource',
  'ListResources',
  'GetResourceRequestStatus',
  'CancelResourceRequest',
  'ListResourceRequests',
] as const;
const MEMBERS = [
  'TypeName',
  'TypeVersionId',
  'RoleArn',
  'ClientToken',
  'DesiredState',
  'Identifier',
  'PatchDocument',
  'ResourceModel',
  'NextToken',
  'MaxResults',
  'RequestToken',
  'ResourceRequestStatusFilter',
] as const;
const TYPES = ['AWS::Logs::LogGroup', 'AWS::SQS::Queue', 'AWS::SNS::Topic', 'AWS::Logs::LogStream', 'AWS::S3::Bucket', 'AWS::NoSuch::Thing', 'aws::logs::loggroup', 'AWS::Logs::*'];

const printable = fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)), maxLength: 40 });
const latin1 = fc.string({ unit: fc.integer({ min: 0x20, max: 0xff }).map((c) => String.fromCharCode(c)), maxLength: 60 }).map((s) => s.replace(/\x7f/g, ''));
const unicode = fc.oneof(fc.string({ unit: 'grapheme', maxLength: 40 }), fc.string({ unit: 'binary', maxLength: 40 }), fc.constantFrom('\u0000', '\ud800', '\udfff', '\u202e', '\ufeff', 'ℌ𝔢𝔩𝔩𝔬', '日本語', '\u0301\u0301\u0301'));
const anyString = fc.oneof(printable, unicode);
const deep = (n: number, open = '[', close = ']', inner = '') => open.repeat(n) + inner + close.repeat(n);
const deepObject = (n: number) => '{"a":'.repeat(n) + '1' + '}'.repeat(n);
const weird = fc.constantFrom<unknown>(null, true, false, 0, -0, 1e308, -1e308, 2 ** 53 + 1, 1.5, -1, 2 ** 31, [], {}, [[]], { '': '' }, JSON.parse('{"__proto__":{"polluted":true}}'), '', ' ', '{}', '[]', 'null');
const jsonValue: fc.Arbitrary<unknown> = fc.oneof(fc.jsonValue({ maxDepth: 3 }), weird, anyString);

const smallModel = fc.record(
  {
    LogGroupName: fc.oneof(fc.stringMatching(/^[A-Za-z0-9_./#-]{1,30}$/), anyString),
    RetentionInDays: fc.oneof(fc.constantFrom(1, 3, 5, 7, 14, 30), fc.integer(), jsonValue),
    QueueName: anyString,
    Tags: fc.array(fc.record({ Key: anyString, Value: anyString }), { maxLength: 3 }),
  },
  { requiredKeys: [] },
);
const patchDocument = fc.oneof(
  fc.array(
    fc.record(
      {
        op: fc.oneof(fc.constantFrom('add', 'remove', 'replace', 'move', 'copy', 'test'), printable),
        path: fc.oneof(fc.constantFrom('/RetentionInDays', '/LogGroupName', '/Tags/0', '/Tags/-', '/', '', '/~2', '/__proto__/x', '/constructor/prototype/x'), printable),
        from: fc.constantFrom('/RetentionInDays', '/Tags/0', '/nope'),
        value: jsonValue,
      },
      { requiredKeys: ['op'] },
    ),
    { maxLength: 4 },
  ).map((ops) => JSON.stringify(ops)),
  anyString,
);
const uuidish = fc.oneof(fc.uuid(), anyString);

/** A plausible value for a member: right shape, random content. */
const plausible: Record<(typeof MEMBERS)[number], fc.Arbitrary<unknown>> = {
  TypeName: fc.oneof(fc.constantFrom(...TYPES), anyString),
  TypeVersionId: anyString,
  RoleArn: fc.oneof(fc.constant('arn:aws:iam::123456789012:role/x'), anyString),
  ClientToken: uuidish,
  DesiredState: fc.oneof(smallModel.map((m) => JSON.stringify(m)), anyString),
  Identifier: anyString,
  PatchDocument: patchDocument,
  ResourceModel: fc.oneof(smallModel.map((m) => JSON.stringify(m)), anyString),
  NextToken: fc.oneof(anyString, fc.base64String({ maxLength: 40 })),
  MaxResults: fc.oneof(fc.integer({ min: -5, max: 200 }), fc.constantFrom(0, 1, 100, 101, 2 ** 31, -(2 ** 31), 1e308, 1.5)),
  RequestToken: uuidish,
  ResourceRequestStatusFilter: fc.record(
    {
      Operations: fc.array(fc.oneof(fc.constantFrom('CREATE', 'UPDATE', 'DELETE'), anyString), { maxLength: 4 }),
      OperationStatuses: fc.array(fc.oneof(fc.constantFrom('PENDING', 'IN_PROGRESS', 'SUCCESS', 'FAILED', 'CANCEL_IN_PROGRESS', 'CANCEL_COMPLETE'), anyString), { maxLength: 4 }),
    },
    { requiredKeys: [] },
  ),
};

/** An input object: some members plausible, some of the wrong JSON type, maybe unknown members. */
const structuredBody = fc
  .tuple(
    fc.subarray([...MEMBERS]),
    fc.array(fc.boolean(), { minLength: MEMBERS.length, maxLength: MEMBERS.length }),
    fc.dictionary(fc.oneof(printable, fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', '__type', 'message')), jsonValue, { maxKeys: 2 }),
    fc.tuple(...MEMBERS.map((m) => plausible[m])),
    fc.tuple(...MEMBERS.map(() => jsonValue)),
  )
  .map(([members, wrongType, extra, good, bad]) => {
    const body: Record<string, unknown> = {};
    for (const m of members) {
      const i = MEMBERS.indexOf(m);
      body[m] = wrongType[i] ? bad[i] : good[i];
    }
    // defineProperty, so "__proto__" becomes an own member that JSON.stringify writes out.
    for (const [k, v] of Object.entries(extra)) Object.defineProperty(body, k, { value: v, enumerable: true, configurable: true, writable: true });
    return { kind: 'structured', text: JSON.stringify(body) };
  });

const randomBytes = fc.uint8Array({ maxLength: 600 }).map((b) => ({ kind: 'random-bytes', bytes: Buffer.from(b) }));

/** Valid JSON with invalid UTF-8 sequences inside its strings. */
const invalidUtf8 = fc
  .tuple(structuredBody, fc.constantFrom([0xff], [0xc0, 0x80], [0xed, 0xa0, 0x80], [0xf8, 0x88, 0x80, 0x80, 0x80], [0xe2, 0x82], [0x80]))
  .map(([{ text }, seq]) => {
    const at = text.indexOf('":"');
    const base = Buffer.from(at === -1 ? '{"TypeName":"AWS::Logs::LogGroup","Identifier":"x"}' : text);
    const cut = at === -1 ? base.indexOf('"x"') + 1 : at + 3;
    return { kind: 'invalid-utf8', bytes: Buffer.concat([base.subarray(0, cut), Buffer.from(seq), base.subarray(cut)]) };
  });

const truncated = fc.tuple(structuredBody, fc.double({ min: 0, max: 1, noNaN: true })).map(([{ text }, f]) => ({ kind: 'truncated', text: text.slice(0, Math.floor(text.length * f)) }));

const mutated = fc.tuple(structuredBody, fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 4 })).map(([{ text }, flips]) => {
  const bytes = Buffer.from(text);
  for (const [at, value] of flips) if (bytes.length > 0) bytes[at % bytes.length] = value;
  return { kind: 'mutated', bytes };
});

const special = fc
  .constantFrom(
    'null',
    '[]',
    '"string"',
    '123',
    'true',
    '{}',
    ' ',
    '\n\t',
    '{"__proto__":{"TypeName":"AWS::Logs::LogGroup"}}',
    '{"constructor":{"prototype":{"polluted":1}}}',
    '{"TypeName":"AWS::Logs::LogGroup","TypeName":1}',
    '{"MaxResults":1e999}',
    '{"MaxResults":-0}',
    '{"TypeName":"AWS::Logs::LogGroup","DesiredState":"{\\"LogGroupName\\":\\"\\u0000\\"}"}',
    '{"RequestToken":"\\ud800"}',
    '\ufeff{}',
    '{"a":1}garbage',
    '{"TypeName":"AWS::Logs::LogGroup"}{"TypeName":"x"}',
  )
  .map((text) => ({ kind: 'special', text }));

/** Deep nesting, as the whole body and inside the members that hold JSON documents. */
const nested = fc
  .tuple(fc.constantFrom(100_000, 10_000, 65, 64, 63, 1000), fc.constantFrom('body-array', 'body-object', 'desired-state', 'patch-value', 'resource-model', 'identifier', 'string-of-brackets'))
  .map(([depth, where]) => {
    switch (where) {
      case 'body-array':
        return { kind: `nested ${where} ${depth}`, text: deep(depth) };
      case 'body-object':
        return { kind: `nested ${where} ${depth}`, text: deepObject(depth) };
      case 'desired-state':
        return { kind: `nested ${where} ${depth}`, text: JSON.stringify({ TypeName: 'AWS::Logs::LogGroup', DesiredState: `{"LogGroupName":"n","Tags":${deep(depth)}}` }) };
      case 'patch-value':
        return { kind: `nested ${where} ${depth}`, text: JSON.stringify({ TypeName: 'AWS::Logs::LogGroup', Identifier: 'x', PatchDocument: `[{"op":"add","path":"/Tags","value":${deep(depth)}}]` }) };
      case 'resource-model':
        return { kind: `nested ${where} ${depth}`, text: JSON.stringify({ TypeName: 'AWS::Logs::LogGroup', ResourceModel: deep(depth, '{"a":', '}', '1') }) };
      case 'identifier':
        return { kind: `nested ${where} ${depth}`, text: JSON.stringify({ TypeName: 'AWS::Logs::LogGroup', Identifier: deepObject(depth) }) };
      default:
        // Brackets inside a string are not nesting: fine at any depth.
        return { kind: `nested ${where} ${depth}`, text: JSON.stringify({ TypeName: 'AWS::Logs::LogGroup', Identifier: '['.repeat(Math.min(depth, 2000)) }) };
    }
  });

/** Strings around and over the limits: Cloud Control's 256 KiB members, the 1 MiB body cap. */
const huge = fc
  .tuple(fc.constantFrom(16 * 1024, 256 * 1024, 256 * 1024 + 1, 1_000_000, 1024 * 1024 - 40, 1_100_000, 2_000_000), fc.constantFrom('DesiredState', 'Identifier', 'PatchDocument', 'NextToken', 'TypeName'), fc.constantFrom('a', 'é', '"', '\\', '𝔢'))
  .map(([size, member, ch]) => {
    const value = ch.repeat(Math.max(1, Math.floor(size / Buffer.byteLength(ch))));
    return { kind: `huge ${member} ${size}×${JSON.stringify(ch)}`, text: JSON.stringify({ TypeName: 'AWS::Logs::LogGroup', [member]: value }) };
  });

/** Percent-encodes the UTF-8 bytes of any string (lone surrogates included, which encodeURIComponent refuses). */
const pct = (value: string) => [...Buffer.from(value, 'utf8')].map((b) => (/[A-Za-z0-9._~-]/.test(String.fromCharCode(b)) ? String.fromCharCode(b) : `%${b.toString(16).toUpperCase().padStart(2, '0')}`)).join('');

/** Query-protocol bodies (no X-Amz-Target): Action/Version with random, dotted and deep parameters. */
const queryBody = fc
  .tuple(
    fc.oneof(fc.constantFrom('DescribeType', 'ListTypes', 'GetCallerIdentity', 'AssumeRole', ''), printable),
    fc.oneof(fc.constantFrom('2010-05-15', '2011-06-15'), printable),
    fc.array(
      fc.tuple(
        fc.oneof(
          fc.constantFrom('TypeName', 'Type', 'Arn', 'Filters.TypeNamePrefix', 'Filters.Category', 'Visibility', 'MaxResults', 'NextToken', 'Names.member.1', 'Tags.entry.1.key', '__proto__.polluted', 'Filters.__proto__', 'constructor.prototype.x'),
          printable,
          fc.integer({ min: 1, max: 200_000 }).map((n) => 'a.'.repeat(n) + 'b'),
        ),
        anyString,
      ),
      { maxLength: 4 },
    ),
  )
  .map(([action, version, params]) => ({
    kind: 'query',
    text: [`Action=${pct(action)}`, `Version=${pct(version)}`, ...params.map(([k, v]) => `${pct(k)}=${pct(v)}`)].join('&'),
  }));

type Body = { kind: string; text?: string; bytes?: Buffer };
const body: fc.Arbitrary<Body> = fc.oneof(
  { weight: 12, arbitrary: structuredBody },
  { weight: 2, arbitrary: randomBytes },
  { weight: 2, arbitrary: invalidUtf8 },
  { weight: 3, arbitrary: truncated },
  { weight: 3, arbitrary: mutated },
  { weight: 2, arbitrary: special },
  { weight: 2, arbitrary: nested },
  { weight: 1, arbitrary: huge },
  { weight: 3, arbitrary: queryBody },
);

const target = fc.oneof(
  { weight: 12, arbitrary: fc.constantFrom(...OPERATIONS).map((op) => `CloudApiService.${op}`) },
  { weight: 2, arbitrary: fc.constant(undefined) },
  { weight: 1, arbitrary: latin1 },
  { weight: 1, arbitrary: printable.map((s) => `CloudApiService.${s}`) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      'CloudApiService.constructor',
      'CloudApiService.__proto__',
      'CloudApiService.toString',
      'CloudApiService.hasOwnProperty',
      'CloudApiService.',
      'cloudapiservice.ListResources',
      'CloudApiService.ListResources ',
      'DynamoDB_20120810.ListTables',
    ),
  },
);

const contentType = fc.oneof(
  { weight: 8, arbitrary: fc.constant('application/x-amz-json-1.0') },
  { weight: 1, arbitrary: fc.constant(undefined) },
  { weight: 2, arbitrary: fc.constantFrom('application/json', 'application/x-www-form-urlencoded', 'application/x-www-form-urlencoded; charset=utf-8', 'text/plain', '', 'multipart/form-data; boundary=x', 'application/x-amz-json-1.1') },
  { weight: 1, arbitrary: latin1 },
);

const authorization = fc.oneof(
  { weight: 8, arbitrary: fc.constant(undefined) },
  { weight: 1, arbitrary: latin1 },
  {
    weight: 2,
    arbitrary: fc
      .tuple(fc.oneof(fc.constantFrom('AKIDEXAMPLE', '111122223333', '000000000000'), printable), fc.oneof(fc.constantFrom('us-east-1', 'eu-west-1', 'cn-north-1', 'us-gov-west-1'), printable), fc.constantFrom('cloudcontrolapi', 'sts', 'cloudformation', 'dynamodb'))
      .map(([key, region, service]) => `AWS4-HMAC-SHA256 Credential=${key}/20260101/${region}/${service}/aws4_request, SignedHeaders=host;x-amz-date, Signature=${'0'.repeat(64)}`),
  },
);

const extraHeaders = fc.dictionary(
  fc.stringMatching(/^x-[a-z0-9-]{1,20}$/),
  latin1.map((s) => s.trim()),
  { maxKeys: 3 },
);
const longHeader = fc.oneof({ weight: 20, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: fc.constantFrom(8_000, 15_000, 20_000, 40_000) });

// CONNECT is a tunnel request: node hands it to a 'connect' listener, not to the request handler.
const methodArb = fc.oneof(
  { weight: 14, arbitrary: fc.constant('POST') },
  { weight: 3, arbitrary: fc.constantFrom('GET', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD', 'TRACE', 'PROPFIND', 'SEARCH') },
  { weight: 1, arbitrary: fc.stringMatching(/^[A-Z]{1,10}$/).filter((m) => m !== 'CONNECT') },
);

const pathSegment = fc.stringMatching(/^[A-Za-z0-9._~!$&'()*+,;=:@-]{0,20}$/);
const path = fc.oneof(
  { weight: 14, arbitrary: fc.constant('/') },
  {
    weight: 4,
    arbitrary: fc.constantFrom(
      '/?',
      '//',
      '/?Action=GetCallerIdentity&Version=2011-06-15',
      '/?Action=ListTypes&Version=2010-05-15&MaxResults=2',
      '/?Action=DescribeType&Version=2010-05-15&Type=RESOURCE&TypeName=AWS::Logs::LogGroup',
      '/?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=a%2Fb',
      '/_ccapi/health',
      '/_ccapi/faults',
      '/_ccapi/',
      '/_ccapi',
      '/%ff',
      '/%',
      '/%zz',
      '/..%2f..%2fetc%2fpasswd',
      '/_ccapi/requests/%ff/events',
      '/_ccapi/requests/%E0%A4%A/events',
      '/_ccapi/requests//events',
      '/_ccapi/requests/00000000-0000-4000-8000-000000000000/events',
    ),
  },
  { weight: 2, arbitrary: fc.array(pathSegment, { minLength: 1, maxLength: 4 }).map((s) => `/${s.join('/')}`) },
  { weight: 1, arbitrary: pathSegment.map((s) => `/_ccapi/requests/${s}/events`) },
  { weight: 1, arbitrary: fc.array(fc.tuple(pathSegment, pathSegment), { maxLength: 4 }).map((q) => `/?${q.map(([k, v]) => `${k}=${v}`).join('&')}`) },
);

const fuzzRequest: fc.Arbitrary<FuzzRequest> = fc
  .record({ method: methodArb, path, body, target, contentType, authorization, extraHeaders, longHeader, xAmzDate: fc.option(fc.oneof(printable, fc.constant('20260101T000000Z')), { freq: 4 }) })
  .map((g) => {
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(g.extraHeaders)) headers[k] = v;
    if (g.target !== undefined) headers['x-amz-target'] = g.target;
    if (g.contentType !== undefined) headers['content-type'] = g.contentType;
    if (g.authorization !== undefined) headers.authorization = g.authorization;
    if (g.xAmzDate !== null) headers['x-amz-date'] = g.xAmzDate;
    if (g.longHeader !== undefined) headers['x-long-header'] = 'v'.repeat(g.longHeader);
    // Admin writes would change the server under the test (fault rules): only reads there.
    const method = g.path.startsWith('/_ccapi/faults') && g.method !== 'GET' ? 'GET' : g.method;
    const bytes = g.body.bytes ?? Buffer.from(g.body.text ?? '', 'utf8');
    return { method, path: g.path, headers, body: bytes, kind: `${g.body.kind}${g.longHeader ? ` +header ${g.longHeader}` : ''}` };
  });

// ------------------------------------------------------------------------------------------------------
// Server health: RSS from /proc, liveness

function rssMb(): number {
  const status = readFileSync(`/proc/${server.child.pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1]);
  assert.ok(kb > 0, 'VmRSS readable');
  return kb / 1024;
}

function alive(): void {
  assert.equal(server.child.exitCode, null, `the server exited (${server.child.exitCode}):\n${server.stderr().slice(-3000)}`);
  assert.equal(server.child.signalCode, null, `the server was killed by ${server.child.signalCode}`);
}

// ------------------------------------------------------------------------------------------------------
// Slow-loris: connections that send their headers a byte every 500 ms

interface LorisResult {
  /** ms from connect to close, per connection; undefined when still open at the deadline. */
  closedAfter: (number | undefined)[];
  /** Whether the connection reads what the server sends (half of them do; attackers need not). */
  reads: boolean[];
  /** What the server wrote before closing, per reading connection. */
  replies: string[];
  /** Sockets the server process holds before the loris starts and when it ends. */
  serverSocketsBefore: number;
  serverSocketsAtEnd: number;
  /** Normal-client latencies (ms) while the loris connections were open, and failures. */
  probeMs: number[];
  /** Normal calls answered while every slow connection was connected and still open. */
  probesWhileAllOpen: number;
  probeErrors: string[];
}

/** How many sockets the server process has open (its /proc fd table). */
function serverSockets(): number {
  const dir = `/proc/${server.child.pid}/fd`;
  let n = 0;
  for (const fd of readdirSync(dir)) {
    try {
      if (readlinkSync(`${dir}/${fd}`).startsWith('socket:')) n++;
    } catch {
      // closed while listing
    }
  }
  return n;
}

/**
 * LORIS_CONNECTIONS connections send a request's headers one byte every 500 ms, never finishing. Half read
 * what the server sends (and so see its FIN); half never read, like an attacker: they notice the server
 * has really closed only when a write fails. A normal client probes the server every 200 ms meanwhile.
 */
function slowLoris(deadlineMs: number): Promise<LorisResult> {
  const started = Date.now();
  const serverSocketsBefore = serverSockets();
  const closedAfter: (number | undefined)[] = new Array(LORIS_CONNECTIONS).fill(undefined);
  let connected = 0;
  const reads = Array.from({ length: LORIS_CONNECTIONS }, (_, i) => i % 2 === 0);
  const replies: string[] = new Array(LORIS_CONNECTIONS).fill('');
  const sockets: Socket[] = [];
  const text = `POST / HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\nX-Amz-Target: CloudApiService.ListResourceRequests\r\nContent-Type: application/x-amz-json-1.0\r\nX-Slow: ${'s'.repeat(400)}`;
  for (let i = 0; i < LORIS_CONNECTIONS; i++) {
    const socket = connect(server.port, '127.0.0.1');
    sockets.push(socket);
    socket.once('connect', () => connected++);
    if (reads[i]) socket.on('data', (d: Buffer) => (replies[i] += d.toString('latin1')));
    else socket.pause();
    let at = 0;
    const timer = setInterval(() => {
      if (at < text.length && socket.writable) socket.write(text[at++]!);
    }, 500);
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearInterval(timer);
      if (!finished) closedAfter[i] = Date.now() - started;
    });
  }
  let finished = false;
  const probeMs: number[] = [];
  let probesWhileAllOpen = 0;
  const probeErrors: string[] = [];
  return new Promise((resolve) => {
    const probe = async () => {
      while (Date.now() - started < deadlineMs && closedAfter.some((c) => c === undefined)) {
        const t0 = Date.now();
        try {
          await client.send(new ListResourceRequestsCommand({ MaxResults: 1 }));
          probeMs.push(Date.now() - t0);
          if (connected === LORIS_CONNECTIONS && closedAfter.every((c) => c === undefined)) probesWhileAllOpen++;
        } catch (e) {
          probeErrors.push(`${(e as Error).name}: ${(e as Error).message}`);
        }
        await new Promise((r) => setTimeout(r, 200));
      }
      const serverSocketsAtEnd = serverSockets();
      finished = true; // closes from here on are ours
      for (const s of sockets) s.destroy();
      resolve({ closedAfter, reads, replies, serverSocketsBefore, serverSocketsAtEnd, probeMs, probesWhileAllOpen, probeErrors });
    };
    void probe();
  });
}

// ------------------------------------------------------------------------------------------------------

let rssAfterWarmUp = 0;
/** RSS once the first 400 fuzz requests are in: the baseline for growth (the heap's high-water mark settles by then). */
let rssBaseline = 0;
let loris: Promise<LorisResult>;
const faults: { req: FuzzRequest; answer: string }[] = [];
const bare: FuzzRequest[] = [];

before(async () => {
  server = await startServer();
  client = makeClient(server, { maxAttempts: 1 });
  agent = new Agent({ keepAlive: true, maxSockets: BATCH });
  // Warm-up: every code path the fuzz will take, including the big ones, so what is measured is growth.
  const { ProgressEvent: warm } = await client.send(new CreateResourceCommand({ TypeName: 'AWS::Logs::LogGroup', DesiredState: JSON.stringify({ LogGroupName: uniqueName('warm') }) }));
  await waitForStatus(client, warm!.RequestToken!);
  const warmUp = fc.sample(fuzzRequest, { numRuns: 400, seed: SEED + 1 });
  for (let i = 0; i < warmUp.length; i += BATCH) await Promise.all(warmUp.slice(i, i + BATCH).map(fire));
  // The big ones (fire sends them one at a time, as in the fuzz), so the high-water mark is reached here.
  const big = [...fc.sample(huge, { numRuns: 4 * BATCH, seed: SEED + 2 }), ...fc.sample(nested, { numRuns: BATCH, seed: SEED + 3 })];
  for (let i = 0; i < big.length; i += BATCH) {
    await Promise.all(
      big.slice(i, i + BATCH).map((b, j) =>
        fire({ method: 'POST', path: '/', headers: { 'x-amz-target': `CloudApiService.${OPERATIONS[j % OPERATIONS.length]}`, 'content-type': 'application/x-amz-json-1.0' }, body: Buffer.from(b.text), kind: b.kind }),
      ),
    );
  }
  alive();
  rssAfterWarmUp = rssMb();
});

after(async () => {
  agent?.destroy();
  client?.destroy();
  await server?.stop();
});

test('fuzz: every answer to random and mutated requests is a well-formed AWS error or a success, in time, with no leak', async (t) => {
  t.diagnostic(`seed ${SEED} (FUZZ_SEED=${SEED} replays it); RSS after warm-up ${rssAfterWarmUp.toFixed(1)} MB`);
  // The slow-loris connections run alongside the fuzz; their own tests below read the outcome.
  loris = slowLoris(LORIS_GIVE_UP_MS);
  const started = Date.now();
  let sent = 0;
  let slowest = 0;
  const rssTrace: string[] = [];
  const statuses = new Map<number, number>();
  const result = await fc.check(
    fc.asyncProperty(fc.array(fuzzRequest, { minLength: BATCH, maxLength: BATCH }), async (batch) => {
      const answers = await Promise.all(batch.map(fire));
      sent += batch.length;
      const problems: string[] = [];
      for (const [i, answer] of answers.entries()) {
        const req = batch[i]!;
        if (!('error' in answer)) {
          statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
          slowest = Math.max(slowest, answer.ms);
        }
        const verdict = judge(req, answer);
        if (verdict.fault && !('error' in answer)) faults.push({ req, answer: `${answer.status} ${summarize(answer.text, 300)}` });
        if (verdict.bare) bare.push(req);
        if (verdict.problem) problems.push(`${verdict.problem}\n    for ${describeRequest(req)}`);
      }
      if (server.child.exitCode !== null || server.child.signalCode !== null) problems.push(`the server died:\n${server.stderr().slice(-2000)}`);
      if (problems.length > 0) throw new Error(problems.join('\n'));
      if (sent % 400 === 0) {
        const rss = rssMb();
        if (sent === 400) rssBaseline = Math.max(rssAfterWarmUp, rss);
        rssTrace.push(`${sent}: ${rss.toFixed(0)} MB`);
      }
    }),
    { seed: SEED, numRuns: MAX_RUNS, interruptAfterTimeLimit: FUZZ_TIME_LIMIT_MS, markInterruptAsFailure: false, endOnFailure: true },
  );
  const seconds = (Date.now() - started) / 1000;
  t.diagnostic(`${sent} requests in ${seconds.toFixed(1)} s (${result.numRuns} batches of ${BATCH}); slowest answer ${slowest} ms`);
  const overCap = statuses.get(413) ?? 0;
  t.diagnostic(`over-cap uploads: ${overCap} answered 413; ${bare.length} bare answers`);
  t.diagnostic(`RSS during the fuzz (after N requests): ${rssTrace.join(', ')}`);
  t.diagnostic(`statuses: ${[...statuses.entries()].sort((a, b) => a[0] - b[0]).map(([s, n]) => `${s}×${n}`).join(' ')}`);
  if (result.failed) {
    const message = result.errorInstance instanceof Error ? result.errorInstance.message : String(result.errorInstance);
    assert.fail(`fuzz found a bad answer (seed ${SEED}, batch ${result.numRuns}):\n${message.slice(0, 6000)}`);
  }
  alive();
  assert.ok(sent >= 600, `the fuzz must have sent a meaningful number of requests in its time budget; sent ${sent}`);
  assert.ok(statuses.get(200)! > 0 && [...statuses.keys()].some((s) => s >= 400), 'both successes and errors were exercised');
});

test('fuzz: a 500 is always InternalFailure with a request id, and no fuzzed input causes one', async (t) => {
  // Well-formedness of every 500 is checked above; here each one is a finding.
  for (const f of faults.slice(0, 20)) t.diagnostic(`500: ${f.answer}\n  for ${describeRequest(f.req)}`);
  assert.equal(faults.length, 0, `${faults.length} fuzzed request(s) caused a 500:\n${faults.slice(0, 10).map((f) => `${f.answer}\n  for ${describeRequest(f.req)}`).join('\n')}`);
});

/** Sends a hostile request that must get a well-formed 4xx; returns its status and a summary. */
async function expectClientError(req: FuzzRequest): Promise<void> {
  const answer = await fire(req);
  const verdict = judge(req, answer);
  alive();
  assert.equal(verdict.problem, undefined, `${describeRequest(req)}: ${verdict.problem}`);
  assert.ok(!('error' in answer));
  assert.ok(answer.status >= 400 && answer.status < 500, `a client mistake must be a 4xx, got ${answer.status} ${summarize(answer.text, 300)}`);
}

const form = { 'content-type': 'application/x-www-form-urlencoded' };
for (const [action, version] of [['ListTypes', '2010-05-15'], ['GetCallerIdentity', '2011-06-15']] as const) {
  test(`query protocol (${action}): a parameter key dotted 20,000 deep is a 4xx, not a 500`, async () => {
    await expectClientError({ kind: 'deep dotted key', method: 'POST', path: '/', headers: form, body: Buffer.from(`Action=${action}&Version=${version}&${'a.'.repeat(20_000)}b=1`) });
  });
}

test('query protocol: a parameter key dotted 500 deep is fine', async () => {
  await expectClientError({ kind: 'dotted key', method: 'POST', path: '/', headers: form, body: Buffer.from(`Action=ListTypes&Version=2010-05-15&MaxResults=abc&${'a.'.repeat(500)}b=1`) });
});

test('admin: a malformed percent-encoding in /_ccapi/requests/<token>/events is a 4xx, not a 500', async () => {
  await expectClientError({ kind: 'admin bad percent-encoding', method: 'GET', path: '/_ccapi/requests/%ff/events', headers: {}, body: Buffer.alloc(0) });
});

test('deep JSON nesting is refused as a 4xx wherever it hides (body, DesiredState, PatchDocument, ResourceModel, Identifier)', async () => {
  for (const b of fc.sample(nested, { numRuns: 40, seed: SEED })) {
    await expectClientError({ kind: b.kind, method: 'POST', path: '/', headers: { 'x-amz-target': 'CloudApiService.CreateResource', 'content-type': 'application/x-amz-json-1.0' }, body: Buffer.from(b.text) });
  }
  const patch = `[{"op":"add","path":"/Tags","value":${deep(100_000)}}]`;
  for (const op of ['UpdateResource', 'CreateResource', 'ListResources', 'GetResource', 'DeleteResource']) {
    await expectClientError({
      kind: `${op} deep`,
      method: 'POST',
      path: '/',
      headers: { 'x-amz-target': `CloudApiService.${op}`, 'content-type': 'application/x-amz-json-1.0' },
      body: Buffer.from(JSON.stringify({ TypeName: 'AWS::Logs::LogGroup', Identifier: 'x', PatchDocument: patch, DesiredState: deep(100_000, '{"a":', '}', '1'), ResourceModel: deep(100_000) })),
    });
  }
});

test('a body over the 1 MiB cap is a 413 SerializationException, and the server keeps serving', async (t) => {
  const outcomes: string[] = [];
  for (const size of [1024 * 1024 + 1, 1_500_000, 2_000_000, 2_000_000, 4_000_000]) {
    const answer = await fire({ kind: `${size} bytes`, method: 'POST', path: '/', headers: { 'x-amz-target': 'CloudApiService.ListResources', 'content-type': 'application/x-amz-json-1.0' }, body: Buffer.alloc(size, 0x61) });
    if ('error' in answer) {
      outcomes.push(answer.error);
      continue;
    }
    outcomes.push(String(answer.status));
    assert.equal(answer.status, 413, answer.text);
    assert.equal(answer.headers.connection, 'close');
    assert.match(answer.text, /^\{"__type":"com\.amazon\.coral\.service#SerializationException","Message":"Request body exceeds the 1048576 byte limit"\}$/);
  }
  t.diagnostic(`over-cap uploads: ${outcomes.join(', ')}`);
  assert.deepEqual(outcomes, ['413', '413', '413', '413', '413'], 'every over-cap upload gets its 413, never a reset');
  // Exactly at the cap is not "over": it is parsed (and refused for what it says, not for its size).
  const atCap = await fire({ kind: 'at cap', method: 'POST', path: '/', headers: { 'x-amz-target': 'CloudApiService.ListResources', 'content-type': 'application/x-amz-json-1.0' }, body: Buffer.from(JSON.stringify({ TypeName: 'x'.repeat(BODY_LIMIT - 15) })) });
  assert.ok(!('error' in atCap));
  assert.equal(Buffer.byteLength(JSON.stringify({ TypeName: 'x'.repeat(BODY_LIMIT - 15) })), BODY_LIMIT);
  assert.equal(atCap.status, 400, atCap.text);
  assert.doesNotMatch(atCap.text, /byte limit/);
  const next = await client.send(new ListResourceRequestsCommand({ MaxResults: 1 }));
  assert.equal(next.$metadata.httpStatusCode, 200);
});

test('over-size headers get 431 in the AWS error shape, and the server keeps serving', async (t) => {
  const req: FuzzRequest = {
    kind: '20 KB header',
    method: 'POST',
    path: '/',
    headers: { 'x-amz-target': 'CloudApiService.ListResourceRequests', 'content-type': 'application/x-amz-json-1.0', 'x-long-header': 'v'.repeat(20_000) },
    body: Buffer.from('{}'),
  };
  const answer = await fire(req);
  assert.ok(!('error' in answer), `an answer, not a dropped connection: ${JSON.stringify(answer)}`);
  t.diagnostic(`over-size headers: ${answer.status} ${summarize(answer.text)}`);
  assert.equal(answer.status, 431);
  assert.equal(judge(req, answer).problem, undefined);
  const body = JSON.parse(answer.text) as { __type?: string; Message?: string };
  assert.match(body.__type ?? '', /#\w+$/);
  assert.equal(typeof body.Message, 'string');
  alive();
  const next = await fire({ ...req, headers: { 'x-amz-target': 'CloudApiService.ListResourceRequests', 'content-type': 'application/x-amz-json-1.0' } });
  assert.ok(!('error' in next) && next.status === 200);
});

/** Writes raw bytes on a fresh socket; resolves with everything the server sent before closing. */
function rawExchange(bytes: string, timeoutMs = 8_000): Promise<{ text: string; closed: boolean }> {
  return new Promise((resolve) => {
    const socket = connect(server.port, '127.0.0.1');
    let text = '';
    const timer = setTimeout(() => {
      socket.destroy();
      resolve({ text, closed: false });
    }, timeoutMs);
    socket.on('data', (d: Buffer) => (text += d.toString('latin1')));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearTimeout(timer);
      resolve({ text, closed: true });
    });
    socket.write(bytes, 'latin1');
  });
}

test('malformed HTTP (bad request line, bad header, bad chunking, unknown method) gets a 400 in the AWS shape and the socket is closed', async () => {
  const cases = [
    'GARBAGE\r\n\r\n',
    'POST / HTTP/9.9\r\nHost: x\r\n\r\n',
    'POST / HTTP/1.1\r\nHost: x\r\nBad Header Name: v\r\n\r\n',
    'POST / HTTP/1.1\r\nHost: x\r\nX-Amz-Target: CloudApiService.ListResources\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n',
    'POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}',
    'FOO / HTTP/1.1\r\nHost: x\r\n\r\n',
    'POST / HTTP/1.1\r\nHost: x\r\nX-Nul: a\u0000b\r\n\r\n',
  ];
  for (const bytes of cases) {
    const { text, closed } = await rawExchange(bytes);
    assert.ok(closed, `the server closed the connection for ${JSON.stringify(bytes)}`);
    const [head = '', body = ''] = text.split('\r\n\r\n');
    assert.match(head, /^HTTP\/1\.1 400 /, `${JSON.stringify(bytes)} → ${JSON.stringify(text)}`);
    assert.match(head, /\r\nx-amzn-requestid: [0-9a-f-]{36}/i, `${JSON.stringify(bytes)} → ${JSON.stringify(text)}`);
    const error = JSON.parse(body) as { __type?: string; Message?: string };
    assert.match(error.__type ?? '', /#\w+$/);
    assert.equal(typeof error.Message, 'string');
  }
  alive();
});

test('slow-loris: a normal client is served while 50 connections dribble their headers', async (t) => {
  // How fast (p95 under a quiet machine) is a bench figure: bench/slow-loris.mjs. Here: served at all, and
  // while every slow connection was still open, not only once the server had cut them off.
  const result = await loris;
  const sorted = [...result.probeMs].sort((a, b) => a - b);
  const p = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
  t.diagnostic(`normal client during slow-loris: ${sorted.length} calls (${result.probesWhileAllOpen} while all 50 were open), median ${p(0.5)} ms, p95 ${p(0.95)} ms, max ${sorted[sorted.length - 1]} ms`);
  assert.deepEqual(result.probeErrors, [], 'the normal client got errors');
  assert.ok(result.probesWhileAllOpen > 0, `the normal client was answered while the slow connections were open (${sorted.length} calls in all)`);
  alive();
});

function lorisSummary(result: LorisResult, reading: boolean): { closed: number[]; total: number; text: string } {
  const mine = result.closedAfter.filter((_, i) => result.reads[i] === reading);
  const closed = mine.filter((c): c is number => c !== undefined);
  const range = closed.length > 0 ? `, first after ${Math.min(...closed)} ms, last after ${Math.max(...closed)} ms` : '';
  return { closed, total: mine.length, text: `${closed.length}/${mine.length} ${reading ? 'reading' : 'non-reading'} slow connections closed within ${LORIS_GIVE_UP_MS / 1000} s${range}` };
}

test('slow-loris: connections that read are cut off by the headers timeout', async (t) => {
  const result = await loris;
  const { closed, total, text } = lorisSummary(result, true);
  t.diagnostic(`${text}; the server wrote ${JSON.stringify(result.replies.find(Boolean)?.split('\r\n')[0] ?? '(nothing)')}`);
  assert.equal(closed.length, total, text);
  assert.ok(Math.min(...closed) >= 9_000, `not before the 10 s headers timeout: ${text}`);
});

test('slow-loris: the server releases the sockets of connections that never read', async (t) => {
  const result = await loris;
  const { closed, total, text } = lorisSummary(result, false);
  t.diagnostic(`${text}; server sockets before ${result.serverSocketsBefore}, at the end ${result.serverSocketsAtEnd}`);
  assert.equal(closed.length, total, text);
  assert.ok(result.serverSocketsAtEnd <= result.serverSocketsBefore + 2, `the server still holds ${result.serverSocketsAtEnd - result.serverSocketsBefore} more sockets than before the slow-loris`);
});

test('afterwards: the server is alive, its memory is flat, and a normal client works', async (t) => {
  alive();
  let rss = rssMb();
  // Give the collector a moment if the last batch left garbage.
  const baseline = rssBaseline || rssAfterWarmUp;
  for (let i = 0; i < 10 && rss - baseline >= RSS_GROWTH_LIMIT_MB; i++) {
    await new Promise((r) => setTimeout(r, 300));
    rss = rssMb();
  }
  t.diagnostic(`RSS after warm-up ${rssAfterWarmUp.toFixed(1)} MB, baseline ${baseline.toFixed(1)} MB, after the fuzz ${rss.toFixed(1)} MB (${(rss - baseline).toFixed(1)} MB)`);
  assert.ok(rss - baseline < RSS_GROWTH_LIMIT_MB, `RSS grew by ${(rss - baseline).toFixed(1)} MB over the fuzz`);

  const name = uniqueName('after-fuzz');
  const { ProgressEvent: created } = await client.send(new CreateResourceCommand({ TypeName: 'AWS::Logs::LogGroup', DesiredState: JSON.stringify({ LogGroupName: name, RetentionInDays: 3 }) }));
  const done = await waitForStatus(client, created!.RequestToken!);
  assert.equal(done.OperationStatus, 'SUCCESS', JSON.stringify(done));
  const { ResourceDescription } = await client.send(new GetResourceCommand({ TypeName: 'AWS::Logs::LogGroup', Identifier: name }));
  assert.equal((JSON.parse(ResourceDescription!.Properties!) as { RetentionInDays: number }).RetentionInDays, 3);
  const health = await fetch(`${server.url}/_ccapi/health`);
  assert.equal(health.status, 200);
  alive();
});
