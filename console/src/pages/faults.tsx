/**
 * The fault rules in force (GET /_ccapi/faults), edited as the JSON document PUT /_ccapi/faults takes; the
 * server's validation message is shown beside the editor, and nothing changes until it accepts the rules.
 */
import { useEffect, useState } from 'preact/hooks';
import { ApiError, getJson, sendJson } from '../api';
import { json } from '../format';
import { Failure } from '../widgets';

interface FaultState {
  seed?: number;
  rules: Record<string, unknown>[];
  remaining: (number | null)[];
}

const EXAMPLE = { seed: 1, rules: [{ typeName: 'AWS::SQS::Queue', operation: 'CREATE', delayMs: 2000, errorCode: 'Throttling', count: 1 }] };

/** The document as one edits it: the configuration without the server's counters. */
function editable(state: FaultState): string {
  return json(state.seed === undefined ? { rules: state.rules } : { seed: state.seed, rules: state.rules });
}

export function FaultsPage() {
  const [state, setState] = useState<FaultState | undefined>();
  const [text, setText] = useState('');
  const [invalid, setInvalid] = useState<string | undefined>();
  const [notice, setNotice] = useState<string | undefined>();
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);

  const show = (s: FaultState, message?: string) => {
    setState(s);
    setText(editable(s));
    setInvalid(undefined);
    setNotice(message);
  };
  const reload = () => getJson<FaultState>('/_ccapi/faults').then((s) => show(s), setError);
  useEffect(() => void reload(), []);

  const run = async (work: () => Promise<void>) => {
    setBusy(true);
    setError(undefined);
    setNotice(undefined);
    try {
      await work();
    } catch (e) {
      if (e instanceof ApiError && e.status === 400) setInvalid(e.message);
      else setError(e);
    } finally {
      setBusy(false);
    }
  };
  const save = () => run(async () => show(await sendJson<FaultState>('PUT', '/_ccapi/faults', text), 'Saved: these rules apply from the next request.'));
  const clear = () => run(async () => show(await sendJson<FaultState>('DELETE', '/_ccapi/faults'), 'Cleared: no fault rules are in force.'));

  return (
    <section aria-labelledby="faults-title">
      <h1 id="faults-title">Fault rules</h1>
      <p>
        Rules inject delays and failures into handler operations (CREATE, UPDATE, DELETE, READ, LIST) or errors into API calls. The first matching rule
        applies; <code>count</code> spends a rule, <code>probability</code> draws from the seeded random stream.
      </p>
      <Failure error={error} />
      {state === undefined ? (
        <p>Loading…</p>
      ) : (
        <>
          <h2>In force</h2>
          {state.rules.length === 0 ? (
            <p class="empty" id="no-rules">
              No rules: every request runs normally.
            </p>
          ) : (
            <div class="table-wrap">
              <table class="cards" id="rules-in-force">
                <caption class="sr-only">Fault rules in force</caption>
                <thead>
                  <tr>
                    <th scope="col">#</th>
                    <th scope="col">Rule</th>
                    <th scope="col">Uses left</th>
                  </tr>
                </thead>
                <tbody>
                  {state.rules.map((rule, i) => (
                    <tr key={i}>
                      <td data-label="#">{i + 1}</td>
                      <td data-label="Rule">
                        <code>{JSON.stringify(rule)}</code>
                      </td>
                      <td data-label="Uses left">{state.remaining[i] ?? 'unlimited'}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          <h2>Edit</h2>
          <form
            onSubmit={(e) => {
              e.preventDefault();
              void save();
            }}
          >
            <label for="fault-config">Fault configuration (JSON)</label>
            <textarea
              id="fault-config"
              rows={12}
              spellcheck={false}
              value={text}
              aria-invalid={invalid ? 'true' : 'false'}
              aria-describedby={invalid ? 'fault-error' : 'fault-help'}
              onInput={(e) => setText(e.currentTarget.value)}
            />
            <p id="fault-help" class="muted">
              Example: <code>{JSON.stringify(EXAMPLE)}</code>
            </p>
            {invalid ? (
              <p id="fault-error" class="error" role="alert">
                {invalid}
              </p>
            ) : null}
            {notice ? (
              <p class="notice" role="status">
                {notice}
              </p>
            ) : null}
            <div class="buttons">
              <button type="submit" disabled={busy}>
                Save rules
              </button>
              <button type="button" disabled={busy} onClick={() => void clear()}>
                Clear all rules
              </button>
              <button type="button" disabled={busy} onClick={() => void run(reload)}>
                Reload
              </button>
            </div>
          </form>
        </>
      )}
    </section>
  );
}
