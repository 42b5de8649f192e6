import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Counter, Histogram, Registry } from 'prom-client';
import { LightCounter, LightHistogram } from './light-metrics.js';

const BUCKETS = [0.001, 0.01, 0.1, 1];
const OBSERVED: [string, number][] = [
  ['a', 0.0005],
  ['a', 0.001],
  ['b', 0.05],
  ['a', 3],
  ['b', 0.1],
];

test('the light metrics render exactly what prom-client renders for the same observations', async () => {
  const theirs = new Registry();
  const ours = new Registry();
  const histogram = new Histogram({ name: 'x_seconds', help: 'h', labelNames: ['op'], buckets: BUCKETS, registers: [theirs] });
  const counter = new Counter({ name: 'x_total', help: 'c', labelNames: ['op', 'code'], registers: [theirs] });
  const lightHistogram = new LightHistogram('x_seconds', 'h', ['op'], BUCKETS);
  const lightCounter = new LightCounter('x_total', 'c', ['op', 'code']);
  ours.registerMetric(lightHistogram as never);
  ours.registerMetric(lightCounter as never);
  for (const [op, value] of OBSERVED) {
    histogram.labels(op).observe(value);
    lightHistogram.cell(op).observe(value);
    counter.labels(op, 'OK').inc();
    lightCounter.cell(op, 'OK').inc();
  }
  assert.equal(await ours.metrics(), await theirs.metrics());
});

test('a metric without labels shows its zeros before any observation, as prom-client does', async () => {
  const theirs = new Registry();
  const ours = new Registry();
  new Histogram({ name: 'lag_seconds', help: 'h', buckets: BUCKETS, registers: [theirs] });
  ours.registerMetric(new LightHistogram('lag_seconds', 'h', [], BUCKETS) as never);
  assert.equal(await ours.metrics(), await theirs.metrics());
});
