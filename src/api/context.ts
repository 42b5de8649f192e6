/** What every operation needs: the catalogue, the providers, the engine, fault rules, time and ids. */
import type { Engine } from '../engine/engine.js';
import type { FaultInjector } from '../engine/faults.js';
import type { Scope } from '../engine/records.js';
import type { Clock } from '../lib/clock.js';
import type { IdSource } from '../lib/ids.js';
import type { Logger } from '../lib/logger.js';
import type { ProviderResolver } from '../providers/contract.js';
import type { Store } from '../store/store.js';
import type { TypeCatalogue } from '../registry/types.js';

/** Who is calling: the account and region every request, resource and token is scoped to. */
export interface Caller extends Scope {
  accessKeyId?: string;
  /** The IAM user a verified credential names (GetCallerIdentity's Arn); absent means the account root. */
  userName?: string;
}

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
}
