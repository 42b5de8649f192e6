/** What every operation needs: the catalogue, the providers, the engine, fault rules, time and ids. */
import type { Engine } from '../engine/engine.js';
import type { ScopePreparer } from '../engine/default-vpc.js';
import type { FaultInjector } from '../engine/faults.js';
import type { Scope } from '../domain/records.js';
import type { Clock } from '../lib/clock.js';
import type { IdSource } from '../lib/ids.js';
import type { Logger } from '../lib/logger.js';
import type { ProviderResolver } from '../providers/contract.js';
import type { Store } from '../store/store.js';
import type { TypeCatalogue } from '../registry/types.js';

export interface ApiContext {
  catalogue: TypeCatalogue;
  providers: ProviderResolver;
  engine: Engine;
  store: Store;
  faults: FaultInjector;
  clock: Clock;
  ids: IdSource;
  /** How long a read or list handler may take (default: the engine's step budget). */
  stepBudgetMs?: number;
  /** The byte budget of a ListResources or ListResourceRequests page (default LIST_PAGE_BYTES; tests set smaller ones). */
  listPageBytes?: number;
  log?: Logger;
  /** Makes sure a scope's pre-existing resources (its default VPC) are there before a call in it is served. */
  scopes?: ScopePreparer;
}
