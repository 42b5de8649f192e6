/**
 * One request's timeline: every event with its time and the time since the one before (accepted, hooks,
 * handler steps with how long they ran and their callback delays, injected faults, cancel, the terminal
 * status with ErrorCode and StatusMessage), what was asked for and what resulted. Live until terminal.
 */
import { useEffect, useState } from 'preact/hooks';
import { follow } from '../api';
import { duration, time } from '../format';
import { href } from '../route';
import { TERMINAL, type RequestView } from '../types';
import { Failure, JsonView, Status } from '../widgets';

export function TimelinePage({ token }: { token: string }) {
  const [view, setView] = useState<RequestView | null | undefined>();
  const [live, setLive] = useState(false);
  const [error, setError] = useState<unknown>();

  useEffect(() => {
    const abort = new AbortController();
    setView(undefined);
    void follow<RequestView | null>(
      `/_ccapi/console/api/stream/request?token=${encodeURIComponent(token)}`,
      (v) => {
        setView(v);
        // Nothing changes after a terminal status: stop asking.
        if (v && TERMINAL.has(v.Request.OperationStatus)) abort.abort();
      },
      setLive,
      abort.signal,
    ).catch((e: unknown) => setError(e));
    return () => abort.abort();
  }, [token]);

  if (view === null) return <NotFound token={token} />;
  const r = view?.Request;
  return (
    <section aria-labelledby="timeline-title">
      <p>
        <a href="#/requests">← All requests</a>
      </p>
      <h1 id="timeline-title">
        Request <span class="token">{token}</span>
      </h1>
      <Failure error={error} />
      {!view || !r ? (
        <p>Loading…</p>
      ) : (
        <>
          <dl class="facts">
            <dt>Status</dt>
            <dd>
              <Status status={r.OperationStatus} />
              {!TERMINAL.has(r.OperationStatus) ? <span class="live-note">{live ? ' (live)' : ' (connecting…)'}</span> : null}
            </dd>
            <dt>Operation</dt>
            <dd>{r.Operation}</dd>
            <dt>Type</dt>
            <dd>{r.TypeName}</dd>
            <dt>Identifier</dt>
            <dd class="ident">{r.Identifier ? <a href={href('resources', r.AccountId, r.Region, r.TypeName, r.Identifier)}>{r.Identifier}</a> : '—'}</dd>
            <dt>Account / region</dt>
            <dd>
              {r.AccountId} / {r.Region}
            </dd>
            {r.ErrorCode ? (
              <>
                <dt>ErrorCode</dt>
                <dd class="code">{r.ErrorCode}</dd>
              </>
            ) : null}
            {r.StatusMessage ? (
              <>
                <dt>StatusMessage</dt>
                <dd>{r.StatusMessage}</dd>
              </>
            ) : null}
            {r.RetryAfter ? (
              <>
                <dt>RetryAfter</dt>
                <dd>{time(r.RetryAfter)}</dd>
              </>
            ) : null}
            {r.InjectedFault ? (
              <>
                <dt>Injected fault</dt>
                <dd class="fault">
                  {[
                    r.InjectedFault.DelayedUntil ? `delayed until ${time(r.InjectedFault.DelayedUntil)}` : '',
                    r.InjectedFault.ErrorCode ? `fails with ${r.InjectedFault.ErrorCode}` : '',
                    r.InjectedFault.StatusMessage ? `“${r.InjectedFault.StatusMessage}”` : '',
                  ]
                    .filter(Boolean)
                    .join('; ')}
                </dd>
              </>
            ) : null}
          </dl>
          <h2>Timeline</h2>
          <ol class="timeline" aria-label="Timeline">
            {view.Events.map((e, i) => {
              const previous = view.Events[i - 1];
              const since = previous ? Date.parse(e.EventTime) - Date.parse(previous.EventTime) : undefined;
              return (
                <li key={i} class="event">
                  <div class="when">
                    <time dateTime={e.EventTime}>{time(e.EventTime)}</time>
                    <span class="since">{since === undefined ? 'start' : `+${duration(since)}`}</span>
                  </div>
                  <div class="what">
                    <Status status={e.OperationStatus} /> <span class="detail">{e.Detail}</span>
                    {e.ErrorCode ? (
                      <div>
                        ErrorCode <span class="code">{e.ErrorCode}</span>
                      </div>
                    ) : null}
                    {e.StatusMessage ? <div class="message">StatusMessage: {e.StatusMessage}</div> : null}
                    {e.RetryAfter ? <div class="retry">next step at {time(e.RetryAfter)}</div> : null}
                  </div>
                </li>
              );
            })}
          </ol>
          {r.HooksProgress?.length ? (
            <>
              <h2>Hooks</h2>
              <ul class="hooks">
                {r.HooksProgress.map((h, i) => (
                  <li key={i}>
                    <span class="code">{h.HookTypeName}</span> ({h.InvocationPoint}, {h.FailureMode}): <Status status={h.HookStatus ?? 'UNKNOWN'} />
                    {h.HookStatusMessage ? ` — ${h.HookStatusMessage}` : ''}
                  </li>
                ))}
              </ul>
            </>
          ) : null}
          <div class="models">
            <JsonView label="Desired state" value={r.DesiredState} />
            {r.PatchDocument !== undefined ? <JsonView label="Patch document" value={r.PatchDocument} /> : null}
            <JsonView label="Resulting model (ProgressEvent.ResourceModel)" value={r.ResourceModel} />
            {view.Resource ? <JsonView label="Resource as stored now" value={view.Resource.Model} /> : null}
          </div>
        </>
      )}
    </section>
  );
}

function NotFound({ token }: { token: string }) {
  return (
    <section>
      <h1>Request not found</h1>
      <p role="alert">No request with token {token} (it may have passed its 7-day retention).</p>
      <p>
        <a href="#/requests">All requests</a>
      </p>
    </section>
  );
}

