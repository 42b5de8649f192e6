/**
 * Latencies read from requests' timelines (GET /_ccapi/requests/<token>/events): when a request was accepted,
 * when it was due, and when its first handler step was applied, all stamped by the nodes' clocks (ms).
 */
import { call, keepAliveAgent, progressEventOf, sleep } from './client.mjs';
import { percentile } from './create-load.mjs';

/** Runs fn over items, `limit` at a time; results in order. */
export async function pooled(items, limit, fn) {
  const out = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      for (let i = next++; i < items.length; i = next++) out[i] = await fn(items[i]);
    }),
  );
  return out;
}

/** At most `n` of `items`, evenly spread over them. */
export function evenSample(items, n) {
  if (items.length <= n) return items;
  return Array.from({ length: n }, (_, i) => items[Math.floor((i * items.length) / n)]);
}

export function latencySummary(ms) {
  const s = [...ms].sort((a, b) => a - b);
  return { count: s.length, p50: percentile(s, 50), p90: percentile(s, 90), p99: percentile(s, 99), max: s.at(-1) };
}

export async function putFaults(url, body) {
  const res = await fetch(`${url}/_ccapi/faults`, { method: body ? 'PUT' : 'DELETE', body: body && JSON.stringify(body), signal: AbortSignal.timeout(5_000) });
  if (res.status !== 200) throw new Error(`${body ? 'PUT' : 'DELETE'} /_ccapi/faults on ${url}: HTTP ${res.status} ${await res.text()}`);
}

/**
 * The timelines of `sample` ([{ token, url }], url being the node that accepted it), each read from another
 * node where there is one: a shared database must show every node the same history.
 */
export function readTimelines(sample, urls) {
  return pooled(sample, 8, async ({ token, url }) => {
    const from = urls.find((u) => u !== url) ?? url;
    const res = await fetch(`${from}/_ccapi/requests/${encodeURIComponent(token)}/events`, { signal: AbortSignal.timeout(10_000) });
    if (res.status !== 200) throw new Error(`GET /_ccapi/requests/${token}/events from ${from}: HTTP ${res.status}`);
    return (await res.json()).Events;
  });
}

/**
 * What one timeline says: `fresh` (no injected delay: accepted → first step applied) or `due` (an injected
 * delay: RetryAfter of the acceptance → first step applied, i.e. how long due work waited to be claimed and
 * stepped), or `missing` when there is no first step.
 */
export function firstStepLatency(events) {
  const accepted = events.find((e) => e.Detail.startsWith('accepted'));
  const step = events.find((e) => /^handler step 1 returned /.test(e.Detail));
  if (!accepted || !step) return { kind: 'missing' };
  const stepAt = Date.parse(step.EventTime);
  if (accepted.RetryAfter) return { kind: 'due', ms: stepAt - Date.parse(accepted.RetryAfter) };
  return { kind: 'fresh', ms: stepAt - Date.parse(accepted.EventTime) };
}

/** Accepted → first step applied, over an even sample of `count` of `tokens` ([{ token, url }]). */
export async function acceptedToFirstStep(tokens, urls, count) {
  const latencies = (await readTimelines(evenSample(tokens, count), urls)).map(firstStepLatency);
  return { ...latencySummary(latencies.filter((l) => l.kind === 'fresh').map((l) => l.ms)), missing: latencies.filter((l) => l.kind === 'missing').length };
}

/**
 * Claim latency at a moderate rate: `rate` LogGroup creates per second for `seconds`, alternating between
 * `urls`, with a fault rule on every node that delays half of them (seeded) by `delayMs`. The others show
 * accepted → first step (the accepting node steps them at once); the delayed ones show due → first step (when
 * the delay ends, the nodes wake by timer and LISTEN/NOTIFY and claim with FOR UPDATE SKIP LOCKED).
 * `meterOf()` starts a CPU meter. Waits until every request is terminal, then reads every timeline.
 */
export async function measureClaimLatency({ urls, rate, seconds, delayMs, runId, meterOf }) {
  const rule = { seed: 5, rules: [{ typeName: 'AWS::Logs::LogGroup', operation: 'CREATE', delayMs, probability: 0.5 }] };
  for (const url of urls) await putFaults(url, rule);
  const agent = keepAliveAgent(16);
  const total = Math.max(1, Math.round(rate * seconds));
  const accepted = [];
  const meter = await meterOf();
  const t0 = performance.now();
  try {
    const sends = [];
    for (let i = 0; i < total; i++) {
      const wait = t0 + (i * 1000) / rate - performance.now();
      if (wait > 0) await sleep(wait);
      const url = urls[i % urls.length];
      const name = `bench-${runId}-pg-claim-${i}`;
      const input = { TypeName: 'AWS::Logs::LogGroup', DesiredState: JSON.stringify({ LogGroupName: name }), ClientToken: name };
      sends.push(call(url, 'CreateResource', input, { agent }).then((r) => accepted.push({ token: progressEventOf(r, 'CreateResource').RequestToken, url })));
    }
    await Promise.all(sends);
    await sleep(delayMs);
    const deadline = performance.now() + 10_000;
    let pending = accepted;
    while (pending.length > 0) {
      const states = await pooled(pending, 8, async (a) => progressEventOf(await call(a.url, 'GetResourceRequestStatus', { RequestToken: a.token }, { agent }), 'poll').OperationStatus);
      pending = pending.filter((_, i) => states[i] === 'IN_PROGRESS');
      if (pending.length > 0 && performance.now() > deadline) throw new Error(`${pending.length} of the claim-latency creates did not finish within 10 s of their due time`);
      if (pending.length > 0) await sleep(20);
    }
  } finally {
    agent.destroy();
    for (const url of urls) await putFaults(url, undefined).catch(() => {});
  }
  const cpu = await meter();
  const elapsedSeconds = (performance.now() - t0) / 1000;
  const events = await readTimelines(accepted, urls);
  const latencies = events.map(firstStepLatency);
  const of = (kind) => latencySummary(latencies.filter((l) => l.kind === kind).map((l) => l.ms));
  return {
    rate,
    seconds,
    delayMs,
    sent: total,
    fresh: of('fresh'),
    due: of('due'),
    missing: latencies.filter((l) => l.kind === 'missing').length,
    notSuccess: events.filter((list) => list.at(-1)?.OperationStatus !== 'SUCCESS').length,
    elapsedSeconds: +elapsedSeconds.toFixed(2),
    cpu,
  };
}
