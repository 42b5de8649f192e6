/** The live list of requests, newest first, filtered by status, operation and type; each row links to its timeline. */
import { useEffect, useState } from 'preact/hooks';
import { follow, getJson } from '../api';
import { time } from '../format';
import { href } from '../route';
import { OPERATIONS, STATUSES, type RequestPage, type RequestSummary } from '../types';
import { Failure, Status } from '../widgets';

interface Filter {
  statuses: string[];
  operation: string;
  type: string;
}

function query(filter: Filter, before?: number): string {
  const q = new URLSearchParams();
  for (const s of filter.statuses) q.append('status', s);
  if (filter.operation) q.set('operation', filter.operation);
  if (filter.type) q.set('type', filter.type);
  if (before !== undefined) q.set('before', String(before));
  return q.toString();
}

export function RequestsPage() {
  const [filter, setFilter] = useState<Filter>({ statuses: [], operation: '', type: '' });
  const [typeInput, setTypeInput] = useState('');
  const [page, setPage] = useState<RequestPage | undefined>();
  const [older, setOlder] = useState<RequestSummary[]>([]);
  const [olderCursor, setOlderCursor] = useState<number | undefined>();
  const [live, setLive] = useState(false);
  const [error, setError] = useState<unknown>();

  // The type filter applies once typing pauses, so the stream is not restarted on every key.
  useEffect(() => {
    const timer = setTimeout(() => setFilter((f) => (f.type === typeInput.trim() ? f : { ...f, type: typeInput.trim() })), 300);
    return () => clearTimeout(timer);
  }, [typeInput]);

  useEffect(() => {
    const abort = new AbortController();
    setPage(undefined);
    setOlder([]);
    setOlderCursor(undefined);
    void follow<RequestPage>(`/_ccapi/console/api/stream/requests?${query(filter)}`, (p) => setPage(p), setLive, abort.signal);
    return () => abort.abort();
  }, [filter]);

  const loadOlder = async () => {
    const cursor = olderCursor ?? page?.NextBefore;
    if (cursor === undefined) return;
    try {
      const next = await getJson<RequestPage>(`/_ccapi/console/api/requests?${query(filter, cursor)}`);
      setOlder((o) => [...o, ...next.Requests]);
      setOlderCursor(next.NextBefore ?? -1);
    } catch (e) {
      setError(e);
    }
  };
  const toggleStatus = (status: string, on: boolean) =>
    setFilter((f) => ({ ...f, statuses: on ? [...f.statuses, status] : f.statuses.filter((s) => s !== status) }));
  const rows = [...(page?.Requests ?? []), ...older];
  const moreCursor = olderCursor ?? page?.NextBefore;

  return (
    <section aria-labelledby="requests-title">
      <h1 id="requests-title">Requests</h1>
      <form class="filters" onSubmit={(e) => e.preventDefault()} aria-label="Filter requests">
        <fieldset>
          <legend>Status</legend>
          {STATUSES.map((s) => (
            <label key={s} class="check">
              <input type="checkbox" name="status" value={s} checked={filter.statuses.includes(s)} onChange={(e) => toggleStatus(s, e.currentTarget.checked)} /> {s}
            </label>
          ))}
        </fieldset>
        <div class="field">
          <label for="filter-operation">Operation</label>
          <select id="filter-operation" name="operation" value={filter.operation} onChange={(e) => setFilter((f) => ({ ...f, operation: e.currentTarget.value }))}>
            <option value="">Any</option>
            {OPERATIONS.map((o) => (
              <option key={o} value={o}>
                {o}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="filter-type">Type</label>
          <input
            id="filter-type"
            type="search"
            name="type"
            placeholder="AWS::S3::Bucket"
            value={typeInput}
            onInput={(e) => setTypeInput(e.currentTarget.value)}
            autocomplete="off"
            spellcheck={false}
          />
        </div>
      </form>
      <p class="live" role="status">
        <span class={live ? 'dot on' : 'dot'} aria-hidden="true" /> {live ? 'Live: updates as requests change' : 'Connecting…'}
      </p>
      <Failure error={error} />
      {page === undefined ? (
        <p>Loading…</p>
      ) : rows.length === 0 ? (
        <p class="empty">No requests{filter.statuses.length || filter.operation || filter.type ? ' match these filters' : ' yet'}.</p>
      ) : (
        <div class="table-wrap">
          <table class="cards" id="request-list">
            <caption class="sr-only">Requests, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Request</th>
                <th scope="col">Status</th>
                <th scope="col">Operation</th>
                <th scope="col">Type</th>
                <th scope="col">Identifier</th>
                <th scope="col">Account / region</th>
                <th scope="col">Last change</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.RequestToken} data-token={r.RequestToken}>
                  <td data-label="Request">
                    <a href={href('requests', r.RequestToken)} class="token">
                      {r.RequestToken}
                    </a>
                  </td>
                  <td data-label="Status">
                    <span>
                      <Status status={r.OperationStatus} />
                      {r.ErrorCode ? <span class="code"> {r.ErrorCode}</span> : null}
                    </span>
                  </td>
                  <td data-label="Operation">{r.Operation}</td>
                  <td data-label="Type">{r.TypeName}</td>
                  <td data-label="Identifier">
                    <span class="ident">{r.Identifier ?? '—'}</span>
                  </td>
                  <td data-label="Account / region">
                    {r.AccountId} / {r.Region}
                  </td>
                  <td data-label="Last change">
                    <time dateTime={r.EventTime}>{time(r.EventTime)}</time>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {moreCursor !== undefined && moreCursor !== -1 ? (
        <button type="button" onClick={() => void loadOlder()}>
          Load older requests
        </button>
      ) : null}
    </section>
  );
}
