/**
 * The console's calls to its server: JSON under /_ccapi (same origin), with the admin token as a bearer
 * token when one was given (strict mode), and server-sent event streams read with fetch (EventSource cannot
 * send an Authorization header).
 */

const TOKEN_KEY = 'ccapi.adminToken';

/** Kept for the browser tab's session only: closing the tab forgets it. */
export function adminToken(): string | undefined {
  return sessionStorage.getItem(TOKEN_KEY) ?? undefined;
}

export function setAdminToken(token: string | undefined): void {
  if (token) sessionStorage.setItem(TOKEN_KEY, token);
  else sessionStorage.removeItem(TOKEN_KEY);
}

/** The server wants the admin token (strict mode) and has none, or a wrong one. */
export class Unauthorized extends Error {}

/** An answer other than 2xx, with the server's { error, message }. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

type Listener = () => void;
const unauthorizedListeners = new Set<Listener>();
/** Called whenever a call is refused for want of the token: the app shows the token prompt. */
export function onUnauthorized(listener: Listener): () => void {
  unauthorizedListeners.add(listener);
  return () => unauthorizedListeners.delete(listener);
}

function headers(extra: Record<string, string> = {}): Record<string, string> {
  const token = adminToken();
  return token ? { ...extra, authorization: `Bearer ${token}` } : extra;
}

async function check(res: Response): Promise<Response> {
  if (res.status === 401) {
    for (const l of unauthorizedListeners) l();
    throw new Unauthorized('The server needs the admin token');
  }
  if (!res.ok) {
    let code = `HTTP ${res.status}`;
    let message = res.statusText;
    try {
      const body = (await res.json()) as { error?: string; message?: string };
      code = body.error ?? code;
      message = body.message ?? message;
    } catch {
      // not JSON: keep the status line
    }
    throw new ApiError(res.status, code, message);
  }
  return res;
}

export async function getJson<T>(path: string, signal?: AbortSignal): Promise<T> {
  const res = await check(await fetch(path, { headers: headers(), ...(signal ? { signal } : {}) }));
  return (await res.json()) as T;
}

export async function sendJson<T>(method: 'PUT' | 'DELETE', path: string, body?: string): Promise<T> {
  const init: RequestInit = { method, headers: headers(body === undefined ? {} : { 'content-type': 'application/json' }) };
  if (body !== undefined) init.body = body;
  const res = await check(await fetch(path, init));
  return (await res.json()) as T;
}

/** The raw text of a route (Prometheus metrics), or undefined when the server has no such route. */
export async function getText(path: string): Promise<string | undefined> {
  const res = await fetch(path, { headers: headers() });
  if (res.status === 404) return undefined;
  return (await check(res)).text();
}

/**
 * Follows a server-sent event stream: `onData` gets each event's JSON. Reconnects (after a pause) when the
 * stream ends or fails, until `signal` aborts. `onState` tells whether it is connected.
 */
export async function follow<T>(path: string, onData: (value: T) => void, onState: (live: boolean) => void, signal: AbortSignal): Promise<void> {
  let pause = 500;
  while (!signal.aborted) {
    try {
      const res = await check(await fetch(path, { headers: headers({ accept: 'text/event-stream' }), signal }));
      onState(true);
      pause = 500;
      const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += value;
        for (let end = buffer.indexOf('\n\n'); end !== -1; end = buffer.indexOf('\n\n')) {
          const chunk = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const data = chunk
            .split('\n')
            .filter((line) => line.startsWith('data: '))
            .map((line) => line.slice(6))
            .join('\n');
          if (data) onData(JSON.parse(data) as T);
        }
      }
    } catch (error) {
      if (signal.aborted || error instanceof Unauthorized) break;
    }
    onState(false);
    if (signal.aborted) break;
    await new Promise((resolve) => setTimeout(resolve, pause));
    pause = Math.min(pause * 2, 10_000);
  }
  onState(false);
}
