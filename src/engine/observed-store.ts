/**
 * The store as the engine and the API use it, with each call's duration emitted to the observer (the
 * metrics' store query latency). Every function member is wrapped, optional ones only where the store has
 * them, so capability checks (`store.renewLeases ? …`) still see what the store can do. The wrapped calls
 * run on the real store (`this` is the store), so nothing a store keeps on itself is shadowed.
 */
import { performance } from 'node:perf_hooks';
import type { Store } from '../store/store.js';
import type { Observer } from './observer.js';

export function observedStore(store: Store, observer: Observer): Store {
  const observed: Record<string, unknown> = Object.create(store);
  for (const name of memberNames(store)) {
    const member = (store as unknown as Record<string, unknown>)[name];
    if (typeof member !== 'function' || name === 'constructor') continue;
    const call = member as (...args: unknown[]) => unknown;
    observed[name] = (...args: unknown[]) => {
      const started = performance.now();
      const result = call.apply(store, args);
      if (!(result instanceof Promise)) return result;
      result.then(
        () => observer.emit({ kind: 'store', method: name, ms: performance.now() - started, failed: false }),
        () => observer.emit({ kind: 'store', method: name, ms: performance.now() - started, failed: true }),
      );
      return result;
    };
  }
  return observed as unknown as Store;
}

/** The method names of a store instance: its own and its class chain's, up to Object. */
function memberNames(store: Store): Set<string> {
  const names = new Set<string>();
  for (let proto: object | null = store; proto && proto !== Object.prototype; proto = Object.getPrototypeOf(proto)) {
    for (const name of Object.getOwnPropertyNames(proto)) names.add(name);
  }
  return names;
}
