/** Small pieces the pages share. */
import { ApiError, Unauthorized } from './api';
import { json } from './format';

export function Status({ status }: { status: string }) {
  return <span class={`status s-${status.toLowerCase()}`}>{status}</span>;
}

/** A failed call, said in words (a refused token shows the prompt instead). */
export function Failure({ error }: { error: unknown }) {
  if (error === undefined || error instanceof Unauthorized) return null;
  const text = error instanceof ApiError ? `${error.code}: ${error.message}` : error instanceof Error ? error.message : String(error);
  return (
    <p class="error" role="alert">
      {text}
    </p>
  );
}

export function JsonView({ value, label }: { value: unknown; label: string }) {
  return (
    <figure class="json">
      <figcaption>{label}</figcaption>
      <pre tabIndex={0} aria-label={label}>
        {value === undefined ? '—' : json(value)}
      </pre>
    </figure>
  );
}
