/**
 * End-to-end, GET /_ccapi/metrics (#16 part 4) as a Prometheus scraper meets it: the text format scraped
 * over HTTP from a real server after real SDK calls, parsed, and checked to have moved by what was done;
 * in strict mode, refused without the admin token.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { CreateResourceCommand, GetResourceCommand, GetResourceRequestStatusCommand } from '@aws-sdk/client-cloudcontrol';
import { eventually, startServer, type ServerProcess } from '../support/server.js';
import { makeClient, waitForStatus } from './support.js';
import { ADMIN_TOKEN, strictArgs } from './strict/support.js';
import { parseExposition, sample, scrape } from '../support/metrics.js';

describe('metrics', () => {
  let server: ServerProcess;
  before(async () => (server = await startServer()));
  after(() => server.stop());

  test('calls by operation and code, latencies, transitions, steps, worker lag, store queries, requests by status, process defaults', async () => {
    const client = makeClient(server);
    const tokens: string[] = [];
    for (let i = 0; i < 2; i++) {
      const created = await client.send(new CreateResourceCommand({ TypeName: 'AWS::Logs::LogGroup', DesiredState: JSON.stringify({ LogGroupName: `metrics-${Date.now()}-${i}` }) }));
      tokens.push(created.ProgressEvent!.RequestToken!);
    }
    let polls = 0;
    for (const token of tokens) {
      await eventually(async () => {
        polls++;
        const { ProgressEvent: event } = await client.send(new GetResourceRequestStatusCommand({ RequestToken: token }));
        return event?.OperationStatus === 'SUCCESS' ? true : undefined;
      });
    }
    for (let i = 0; i < 3; i++) await assert.rejects(client.send(new GetResourceCommand({ TypeName: 'AWS::Logs::LogGroup', Identifier: `missing-${i}` })));

    const { status, contentType, text } = await scrape(server);
    assert.equal(status, 200);
    assert.match(contentType ?? '', /^text\/plain; version=0\.0\.4/);
    const { samples, types } = parseExposition(text);

    assert.equal(sample(samples, 'ccapi_api_calls_total', { operation: 'CreateResource', code: 'OK' }), 2);
    assert.equal(sample(samples, 'ccapi_api_calls_total', { operation: 'GetResourceRequestStatus', code: 'OK' }), polls);
    assert.equal(sample(samples, 'ccapi_api_calls_total', { operation: 'GetResource', code: 'ResourceNotFoundException' }), 3);
    assert.equal(types.get('ccapi_api_calls_total'), 'counter');
    assert.equal(sample(samples, 'ccapi_api_call_duration_seconds_count', { operation: 'CreateResource' }), 2);
    assert.equal(sample(samples, 'ccapi_api_call_duration_seconds_bucket', { operation: 'CreateResource', le: '+Inf' }), 2);
    assert.ok(sample(samples, 'ccapi_api_call_duration_seconds_sum', { operation: 'CreateResource' })! > 0);
    assert.equal(types.get('ccapi_api_call_duration_seconds'), 'histogram');

    assert.equal(sample(samples, 'ccapi_request_transitions_total', { operation: 'CREATE', from: 'accepted', to: 'IN_PROGRESS' }), 2);
    assert.equal(sample(samples, 'ccapi_request_transitions_total', { operation: 'CREATE', from: 'IN_PROGRESS', to: 'SUCCESS' }), 2);
    assert.equal(sample(samples, 'ccapi_handler_step_duration_seconds_count', { operation: 'CREATE', outcome: 'SUCCESS' }), 2);
    assert.equal(sample(samples, 'ccapi_request_first_step_latency_seconds_count'), 2);
    assert.notEqual(sample(samples, 'ccapi_worker_claim_lag_seconds_count'), undefined, 'the claim lag is exposed (fresh requests run without a claim)');
    assert.ok(sample(samples, 'ccapi_store_query_duration_seconds_count', { method: 'getRequestStatus' })! >= polls, 'every status poll read the store');
    assert.equal(sample(samples, 'ccapi_store_query_duration_seconds_count', { method: 'insertRequest' }), 2);

    assert.equal(sample(samples, 'ccapi_requests', { status: 'SUCCESS' }), 2);
    assert.equal(sample(samples, 'ccapi_requests', { status: 'IN_PROGRESS' }), 0);
    assert.equal(sample(samples, 'ccapi_requests_due'), 0);
    assert.ok(sample(samples, 'ccapi_open_connections')! >= 1, 'the scrape itself is an open connection');

    // The process defaults (prom-client collectDefaultMetrics).
    assert.ok(sample(samples, 'process_cpu_user_seconds_total')! > 0);
    assert.ok(sample(samples, 'nodejs_heap_size_used_bytes')! > 0);

    // Bounded labels: no request token anywhere in the exposition.
    for (const token of tokens) assert.ok(!text.includes(token), 'no request token as a label value');
  });

  test('an unknown operation is counted as "Unknown", not by the name the client sent', async () => {
    const before = parseExposition((await scrape(server)).text).samples;
    const response = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'CloudApiService.MadeUpOperation12345', authorization: 'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20250101/us-east-1/cloudcontrolapi/aws4_request, SignedHeaders=host, Signature=00' },
      body: '{}',
    });
    assert.equal(response.status, 400);
    const { text } = await scrape(server);
    const { samples } = parseExposition(text);
    const key = { operation: 'Unknown', code: 'UnknownOperationException' };
    assert.equal(sample(samples, 'ccapi_api_calls_total', key), (sample(before, 'ccapi_api_calls_total', key) ?? 0) + 1);
    assert.ok(!text.includes('MadeUpOperation12345'));
  });
});

describe('metrics in strict mode', () => {
  let server: ServerProcess;
  before(async () => (server = await startServer({ extraArgs: strictArgs({ adminToken: ADMIN_TOKEN }) })));
  after(() => server.stop());

  test('refused without the admin token, served with it', async () => {
    const refused = await scrape(server);
    assert.equal(refused.status, 401);
    assert.ok(!refused.text.includes('ccapi_api_calls_total'));
    const wrong = await scrape(server, { authorization: 'Bearer not-the-token' });
    assert.equal(wrong.status, 401);
    const served = await scrape(server, { authorization: `Bearer ${ADMIN_TOKEN}` });
    assert.equal(served.status, 200);
    assert.ok(parseExposition(served.text).types.get('ccapi_api_calls_total') === 'counter');
  });
});
