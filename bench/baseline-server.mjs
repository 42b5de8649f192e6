#!/usr/bin/env node
/**
 * The baseline for the GetResourceRequestStatus throughput check: a bare node:http server that reads the
 * request body and answers every request with the same bytes ccapi sent for one real
 * GetResourceRequestStatus call (status, the headers ccapi set itself, body), with the same keep-alive
 * timeout so that node adds the same Date/Connection/Keep-Alive headers.
 *
 *   node bench/baseline-server.mjs RESPONSE.json [--port N] [--host H]
 *
 * RESPONSE.json: { "status": 200, "headers": [[name, value], ...], "bodyBase64": "...", "keepAliveTimeoutMs": 65000 }
 * (written by bench/run.mjs from the captured response). Prints "baseline listening on http://HOST:PORT".
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';

const args = process.argv.slice(2);
const file = args.find((a) => !a.startsWith('--'));
const option = (name, fallback) => {
  const at = args.indexOf(name);
  return at === -1 ? fallback : args[at + 1];
};
if (!file) {
  process.stderr.write('usage: node bench/baseline-server.mjs RESPONSE.json [--port N] [--host H]\n');
  process.exit(2);
}

const spec = JSON.parse(readFileSync(file, 'utf8'));
const body = Buffer.from(spec.bodyBase64, 'base64');
// Same names, values and order as captured; content-length always matches the body.
const headers = Object.fromEntries(spec.headers.map(([name, value]) => [name, name.toLowerCase() === 'content-length' ? body.length : value]));
if (!spec.headers.some(([name]) => name.toLowerCase() === 'content-length')) headers['content-length'] = body.length;

const server = createServer((req, res) => {
  // Read the request body completely, as ccapi does, then answer with the fixed bytes.
  const chunks = [];
  req.on('data', (chunk) => chunks.push(chunk));
  req.on('end', () => {
    res.writeHead(spec.status, headers);
    res.end(body);
  });
});
if (spec.keepAliveTimeoutMs) server.keepAliveTimeout = spec.keepAliveTimeoutMs;

const host = option('--host', '127.0.0.1');
server.listen(Number(option('--port', 0)), host, () => {
  process.stdout.write(`baseline listening on http://${host}:${server.address().port} (${body.length}-byte body)\n`);
});
const stop = () => server.close(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
