/**
 * Indexes the resources stored before migration 006 (which added the resource index but could not fill it: which
 * paths a type indexes depends on the catalogue the server runs with, not known to a migration). Runs at worker
 * start, in batches of BACKFILL_BATCH, each its own transaction, until the store says it is done; a store with
 * nothing to backfill answers 0 at once. Resources written since the migration are indexed by their own writes.
 */
import type { Store } from '../store/store.js';
import type { TypeCatalogue } from '../registry/types.js';
import { indexedPaths } from '../registry/relationships.js';
import { indexedValues } from './index-values.js';

/** Resources per transaction: small enough that steps waiting on the store are not held up for long. */
export const BACKFILL_BATCH = 500;

/** Runs the backfill to its end (or until `stopped()` says so); returns how many resources it indexed. */
export async function backfillResourceIndex(store: Store, catalogue: TypeCatalogue, stopped: () => boolean = () => false, batch = BACKFILL_BATCH): Promise<number> {
  const indexedOf = (typeName: string, properties: string) => {
    const type = catalogue.get(typeName);
    // A type no longer in the catalogue indexes nothing (its resources cannot be used by steps anyway).
    return type ? indexedValues(JSON.parse(properties), indexedPaths(type, catalogue)) : [];
  };
  let total = 0;
  while (!stopped()) {
    const done = await store.backfillResourceIndex(indexedOf, batch);
    if (done === 0) break;
    total += done;
    // Let requests in between batches.
    await new Promise((resolve) => setImmediate(resolve));
  }
  return total;
}
