/** The ccapi web console: navigation, the admin token prompt (strict mode), and the page the URL names. */
import { render } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { adminToken, onUnauthorized, setAdminToken } from './api';
import { useRoute, type Route } from './route';
import { FaultsPage } from './pages/faults';
import { RequestsPage } from './pages/requests';
import { ResourcesPage } from './pages/resources';
import { ServerPage } from './pages/server';
import { TimelinePage } from './pages/timeline';

const NAV: { page: Route['page'][]; href: string; label: string }[] = [
  { page: ['requests', 'request'], href: '#/requests', label: 'Requests' },
  { page: ['resources'], href: '#/resources', label: 'Resources' },
  { page: ['faults'], href: '#/faults', label: 'Faults' },
  { page: ['server'], href: '#/server', label: 'Server' },
];

function Page({ route }: { route: Route }) {
  switch (route.page) {
    case 'requests':
      return <RequestsPage />;
    case 'request':
      return <TimelinePage token={route.token} />;
    case 'resources':
      return <ResourcesPage {...route} />;
    case 'faults':
      return <FaultsPage />;
    case 'server':
      return <ServerPage />;
  }
}

/** Asks for the admin token the server wants (strict mode); kept for this tab's session. */
function TokenPrompt({ rejected, onToken }: { rejected: boolean; onToken: (token: string) => void }) {
  const [value, setValue] = useState('');
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => input.current?.focus(), []);
  return (
    <section aria-labelledby="token-title" class="token-prompt">
      <h1 id="token-title">Sign in with the admin token</h1>
      <p>This server runs in strict mode: its console and admin routes need the admin token it was started with (--admin-token).</p>
      {rejected ? (
        <p class="error" role="alert" id="token-error">
          The server refused that token.
        </p>
      ) : null}
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (value) onToken(value);
        }}
      >
        <label for="admin-token">Admin token</label>
        <input id="admin-token" ref={input} type="password" autocomplete="off" value={value} onInput={(e) => setValue(e.currentTarget.value)} aria-describedby={rejected ? 'token-error' : undefined} required />
        <button type="submit">Use this token</button>
      </form>
    </section>
  );
}

function App() {
  const route = useRoute();
  const [needToken, setNeedToken] = useState(false);
  const [hasToken, setHasToken] = useState(() => adminToken() !== undefined);
  // Remounts the page once a token is given, so it loads again with it.
  const [generation, setGeneration] = useState(0);
  const main = useRef<HTMLElement>(null);
  useEffect(() => onUnauthorized(() => setNeedToken(true)), []);
  // A new page: move focus to its heading region for keyboard and screen-reader users.
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    main.current?.focus();
  }, [route]);

  return (
    <>
      <a class="skip" href="#main" onClick={(e) => (e.preventDefault(), main.current?.focus())}>
        Skip to content
      </a>
      <header>
        <span class="brand">ccapi</span>
        <nav aria-label="Console">
          <ul>
            {NAV.map((n) => (
              <li key={n.href}>
                <a href={n.href} aria-current={n.page.includes(route.page) ? 'page' : undefined}>
                  {n.label}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        {hasToken ? (
          <button
            type="button"
            class="link"
            onClick={() => {
              setAdminToken(undefined);
              setHasToken(false);
              setGeneration((g) => g + 1);
            }}
          >
            Forget token
          </button>
        ) : null}
      </header>
      <main id="main" ref={main} tabIndex={-1}>
        {needToken ? (
          <TokenPrompt
            rejected={hasToken}
            onToken={(token) => {
              setAdminToken(token);
              setHasToken(true);
              setNeedToken(false);
              setGeneration((g) => g + 1);
            }}
          />
        ) : (
          <Page key={generation} route={route} />
        )}
      </main>
    </>
  );
}

const root = document.getElementById('app')!;
root.textContent = ''; // the "Loading…" line the page shows until this script runs
render(<App />, root);
