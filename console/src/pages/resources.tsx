/**
 * The emulated resources: the (account, region, type) triples that have any, each type's resources, and one
 * resource's model with the requests that touched it.
 */
import { useEffect, useState } from 'preact/hooks';
import { getJson } from '../api';
import { time } from '../format';
import { href } from '../route';
import type { RequestSummary, ResourceKind, StoredModel } from '../types';
import { Failure, JsonView, Status } from '../widgets';

interface Props {
  accountId?: string;
  region?: string;
  typeName?: string;
  identifier?: string;
}

export function ResourcesPage(props: Props) {
  if (props.accountId && props.region && props.typeName && props.identifier) {
    return <ResourcePage accountId={props.accountId} region={props.region} typeName={props.typeName} identifier={props.identifier} />;
  }
  if (props.accountId && props.region && props.typeName) return <ResourceList accountId={props.accountId} region={props.region} typeName={props.typeName} />;
  return <Kinds />;
}

function Kinds() {
  const [kinds, setKinds] = useState<ResourceKind[] | undefined>();
  const [next, setNext] = useState<string | undefined>();
  const [error, setError] = useState<unknown>();
  const load = async (after?: string) => {
    try {
      const page = await getJson<{ Kinds: ResourceKind[]; NextAfter?: string }>(`/_ccapi/console/api/resource-kinds${after ? `?after=${encodeURIComponent(after)}` : ''}`);
      setKinds((k) => [...(after ? (k ?? []) : []), ...page.Kinds]);
      setNext(page.NextAfter);
    } catch (e) {
      setError(e);
    }
  };
  useEffect(() => void load(), []);
  return (
    <section aria-labelledby="resources-title">
      <h1 id="resources-title">Resources</h1>
      <p>Each account, region and type that holds emulated resources.</p>
      <Failure error={error} />
      {kinds === undefined ? (
        <p>Loading…</p>
      ) : kinds.length === 0 ? (
        <p class="empty">No resources yet.</p>
      ) : (
        <div class="table-wrap">
          <table class="cards">
            <caption class="sr-only">Resource types by account and region</caption>
            <thead>
              <tr>
                <th scope="col">Account</th>
                <th scope="col">Region</th>
                <th scope="col">Type</th>
              </tr>
            </thead>
            <tbody>
              {kinds.map((k) => (
                <tr key={`${k.accountId}/${k.region}/${k.typeName}`}>
                  <td data-label="Account">{k.accountId}</td>
                  <td data-label="Region">{k.region}</td>
                  <td data-label="Type">
                    <a href={href('resources', k.accountId, k.region, k.typeName)}>{k.typeName}</a>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {next ? (
        <button type="button" onClick={() => void load(next)}>
          More
        </button>
      ) : null}
    </section>
  );
}

function ResourceList({ accountId, region, typeName }: { accountId: string; region: string; typeName: string }) {
  const [items, setItems] = useState<StoredModel[] | undefined>();
  const [next, setNext] = useState<string | undefined>();
  const [error, setError] = useState<unknown>();
  const base = `/_ccapi/console/api/resources?account=${encodeURIComponent(accountId)}&region=${encodeURIComponent(region)}&type=${encodeURIComponent(typeName)}`;
  const load = async (after?: string) => {
    try {
      const page = await getJson<{ Resources: StoredModel[]; NextAfter?: string }>(after ? `${base}&after=${encodeURIComponent(after)}` : base);
      setItems((i) => [...(after ? (i ?? []) : []), ...page.Resources]);
      setNext(page.NextAfter);
    } catch (e) {
      setError(e);
    }
  };
  useEffect(() => {
    setItems(undefined);
    void load();
  }, [base]);
  return (
    <section aria-labelledby="list-title">
      <p>
        <a href="#/resources">← All resource types</a>
      </p>
      <h1 id="list-title">{typeName}</h1>
      <p>
        Account {accountId}, region {region}
      </p>
      <Failure error={error} />
      {items === undefined ? (
        <p>Loading…</p>
      ) : items.length === 0 ? (
        <p class="empty">None.</p>
      ) : (
        <ul class="resource-list">
          {items.map((r) => (
            <li key={r.Identifier}>
              <a class="ident" href={href('resources', accountId, region, typeName, r.Identifier)}>
                {r.Identifier}
              </a>{' '}
              <span class="muted">updated {time(r.UpdatedAt)}</span>
            </li>
          ))}
        </ul>
      )}
      {next ? (
        <button type="button" onClick={() => void load(next)}>
          More
        </button>
      ) : null}
    </section>
  );
}

function ResourcePage({ accountId, region, typeName, identifier }: Required<Props>) {
  const [view, setView] = useState<{ Resource?: StoredModel; Requests: RequestSummary[] } | undefined>();
  const [error, setError] = useState<unknown>();
  useEffect(() => {
    setView(undefined);
    const q = new URLSearchParams({ account: accountId, region, type: typeName, identifier });
    getJson<{ Resource?: StoredModel; Requests: RequestSummary[] }>(`/_ccapi/console/api/resource?${q}`).then(setView, setError);
  }, [accountId, region, typeName, identifier]);
  return (
    <section aria-labelledby="resource-title">
      <p>
        <a href={href('resources', accountId, region, typeName)}>← {typeName}</a>
      </p>
      <h1 id="resource-title" class="ident">
        {identifier}
      </h1>
      <p>
        {typeName} in account {accountId}, region {region}
      </p>
      <Failure error={error} />
      {view === undefined ? (
        error ? null : <p>Loading…</p>
      ) : (
        <>
          {view.Resource ? <JsonView label="Model" value={view.Resource.Model} /> : <p class="empty">The resource no longer exists.</p>}
          <h2>Requests that touched it</h2>
          {view.Requests.length === 0 ? (
            <p class="empty">None within the last 2000 requests of this account and region.</p>
          ) : (
            <ul class="touched">
              {view.Requests.map((r) => (
                <li key={r.RequestToken}>
                  <a href={href('requests', r.RequestToken)}>
                    {r.Operation} <span class="token">{r.RequestToken}</span>
                  </a>{' '}
                  <Status status={r.OperationStatus} /> <span class="muted">{time(r.EventTime)}</span>
                </li>
              ))}
            </ul>
          )}
        </>
      )}
    </section>
  );
}
