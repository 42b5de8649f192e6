/** Scraping a server's /_ccapi/metrics in tests, and reading the Prometheus text format. */
import assert from 'node:assert/strict';
import type { ServerProcess } from './server.js';

export type Samples = Map<string, number>;

/**
 * Parses the Prometheus text exposition format (https://prometheus.io/docs/instrumenting/exposition_formats/):
 * `name{label="value",…} number` per sample; # HELP and # TYPE lines are checked for every name.
 */
export function parseExposition(text: string): { samples: Samples; types: Map<string, string> } {
  const samples: Samples = new Map();
  const types = new Map<string, string>();
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const type = /^# TYPE (\S+) (\S+)$/.exec(line);
    if (type) types.set(type[1]!, type[2]!);
    if (line.startsWith('#')) continue;
    const sample = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{.*\})? (\S+)$/.exec(line);
    assert.ok(sample, `not a sample line: ${line}`);
    const labels = sample[2] ? [...sample[2].matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map(([, k, v]) => `${k}=${v}`).sort().join(',') : '';
    samples.set(labels ? `${sample[1]}{${labels}}` : sample[1]!, Number(sample[3]));
  }
  return { samples, types };
}

/** A sample by name and labels, in any label order; undefined when absent. */
export function sample(samples: Samples, name: string, labels: Record<string, string> = {}): number | undefined {
  const key = Object.entries(labels)
    .map(([k, v]) => `${k}=${v}`)
    .sort()
    .join(',');
  return samples.get(key ? `${name}{${key}}` : name);
}

export async function scrape(server: ServerProcess, headers: Record<string, string> = {}): Promise<{ status: number; contentType: string | null; text: string }> {
  const response = await fetch(`${server.url}/_ccapi/metrics`, { headers });
  return { status: response.status, contentType: response.headers.get('content-type'), text: await response.text() };
}
