/** The page shown, from the URL fragment (#/requests/<token>...), so every view has a link of its own. */
import { useEffect, useState } from 'preact/hooks';

export type Route =
  | { page: 'requests' }
  | { page: 'request'; token: string }
  | { page: 'resources'; accountId?: string; region?: string; typeName?: string; identifier?: string }
  | { page: 'faults' }
  | { page: 'server' };

export function parseRoute(hash: string): Route {
  const parts = hash.replace(/^#\/?/, '').split('/').map((p) => decodeURIComponent(p));
  switch (parts[0]) {
    case 'requests':
      return parts[1] ? { page: 'request', token: parts[1] } : { page: 'requests' };
    case 'resources': {
      const [, accountId, region, typeName, identifier] = parts;
      return { page: 'resources', ...(accountId ? { accountId } : {}), ...(region ? { region } : {}), ...(typeName ? { typeName } : {}), ...(identifier ? { identifier } : {}) };
    }
    case 'faults':
      return { page: 'faults' };
    case 'server':
      return { page: 'server' };
    default:
      return { page: 'requests' };
  }
}

/** The link to a page: each part percent-encoded (type names hold ::, identifiers anything). */
export function href(...parts: string[]): string {
  return `#/${parts.map(encodeURIComponent).join('/')}`;
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(location.hash));
  useEffect(() => {
    const onChange = () => setRoute(parseRoute(location.hash));
    addEventListener('hashchange', onChange);
    return () => removeEventListener('hashchange', onChange);
  }, []);
  return route;
}
