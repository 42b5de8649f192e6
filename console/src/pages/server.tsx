/**
 * The server: version, catalogue, database, uptime and memory (from the console's server route, which adds
 * the version to /_ccapi/health), and key metrics from /_ccapi/metrics (Prometheus text) when the server has it.
 */
import { useEffect, useState } from 'preact/hooks';
import { getJson, getText } from '../api';
import { json, uptime } from '../format';
import { parseMetrics, type MetricSample } from '../metrics';
import { Failure, JsonView } from '../widgets';

interface ServerInfo {
  version?: string;
  status?: string;
  database?: string;
  catalogue?: unknown;
  uptimeSeconds?: number;
  memoryMB?: Record<string, number>;
}

/** Families worth a glance; all of them are listed below anyway. */
const KEY_METRICS = /^(ccapi_|process_resident_memory_bytes|nodejs_eventloop_lag_seconds$|process_cpu_seconds_total)/;

export function ServerPage() {
  const [info, setInfo] = useState<ServerInfo | undefined>();
  const [metrics, setMetrics] = useState<MetricSample[] | null | undefined>();
  const [error, setError] = useState<unknown>();
  useEffect(() => {
    const load = () => {
      getJson<ServerInfo>('/_ccapi/console/api/server').then(setInfo, setError);
      getText('/_ccapi/metrics').then((text) => setMetrics(text === undefined ? null : parseMetrics(text)), () => setMetrics(null));
    };
    load();
    const timer = setInterval(load, 5000);
    return () => clearInterval(timer);
  }, []);
  const key = metrics ? metrics.filter((m) => KEY_METRICS.test(m.name) && !m.name.endsWith('_bucket')) : [];
  return (
    <section aria-labelledby="server-title">
      <h1 id="server-title">Server</h1>
      <Failure error={error} />
      {info === undefined ? (
        <p>Loading…</p>
      ) : (
        <dl class="facts" id="server-facts">
          <dt>Version</dt>
          <dd>{info.version ?? 'unknown'}</dd>
          <dt>Database</dt>
          <dd class="ident">{info.database ?? '—'}</dd>
          <dt>Uptime</dt>
          <dd>{info.uptimeSeconds === undefined ? '—' : uptime(info.uptimeSeconds)}</dd>
          <dt>Memory</dt>
          <dd>{info.memoryMB ? `${info.memoryMB.rss ?? '?'} MB resident, ${info.memoryMB.heapUsed ?? '?'} MB heap used` : '—'}</dd>
        </dl>
      )}
      {info?.catalogue !== undefined ? <JsonView label="Catalogue" value={info.catalogue} /> : null}
      <h2>Metrics</h2>
      {metrics === undefined ? (
        <p>Loading…</p>
      ) : metrics === null ? (
        <p class="empty">This server has no /_ccapi/metrics route.</p>
      ) : (
        <div class="table-wrap">
          <table class="cards" id="metrics">
            <caption class="sr-only">Key metrics</caption>
            <thead>
              <tr>
                <th scope="col">Metric</th>
                <th scope="col">Labels</th>
                <th scope="col">Value</th>
              </tr>
            </thead>
            <tbody>
              {key.map((m, i) => (
                <tr key={i}>
                  <td data-label="Metric">{m.name}</td>
                  <td data-label="Labels">{Object.keys(m.labels).length ? json(m.labels).replace(/\s+/g, ' ') : ''}</td>
                  <td data-label="Value">{m.value}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
