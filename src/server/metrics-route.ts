/** GET /_ccapi/metrics: the Prometheus text exposition of this node's metrics (metrics.ts). */
import type { Metrics } from './metrics.js';

export const METRICS_PATH = '/_ccapi/metrics';

export interface MetricsReply {
  status: number;
  contentType: string;
  body: string;
}

/** The scrape's answer; the admin guard (strict mode's bearer token) has already run in the HTTP front. */
export async function answerMetrics(method: string | undefined, metrics: Metrics): Promise<MetricsReply> {
  if (method !== 'GET' && method !== 'HEAD') {
    return { status: 405, contentType: 'application/json', body: JSON.stringify({ error: 'MethodNotAllowed', message: 'Use GET' }) };
  }
  return { status: 200, contentType: metrics.contentType, body: await metrics.render() };
}
