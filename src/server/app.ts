/**
 * Wiring: opens the store and the catalogue, builds the engine, the worker and the HTTP front, and
 * stops them in the right order (HTTP drains first, then the worker finishes its step, then the store).
 */
import type { AddressInfo } from 'node:net';
import type { ApiContext } from '../api/context.js';
import { Engine } from '../engine/engine.js';
import { FaultInjector, type FaultConfig } from '../engine/faults.js';
import { PersistedFaultRules } from '../engine/fault-rules.js';
import { Worker, type WorkerOptions } from '../engine/worker.js';
import { systemClock, type Clock } from '../lib/clock.js';
import { cryptoIds, type IdSource } from '../lib/ids.js';
import { silentLogger, type Logger } from '../lib/logger.js';
import { genericProvider } from '../providers/generic.js';
import type { ProviderResolver } from '../providers/contract.js';
import { openSchemaBundle } from '../registry/bundle.js';
import { openBuiltInCatalogue } from '../registry/catalogue.js';
import { describeCatalogue, isLayered, layerCatalogues, type CatalogueLayer } from '../registry/layered.js';
import type { CustomTypes } from '../providers/custom-types.js';
import type { HookDefinition } from '../engine/hooks/definitions.js';
import { HookRunner } from '../engine/hooks/runner.js';
import type { TypeCatalogue } from '../registry/types.js';
import { openStore } from '../store/open.js';
import type { Store } from '../store/store.js';
import { HttpFront } from './http.js';
import { verifyingAuthenticator } from '../auth/authenticate.js';
import type { CredentialStore } from '../auth/credentials.js';
import { RateLimiter } from './rate-limit.js';
import { DEFAULT_REFERENCE_MODE, referencePolicy, type ReferenceMode } from '../providers/references/policy.js';
import { relationshipsOf } from '../registry/relationships.js';
import { DefaultVpcs } from '../engine/default-vpc.js';
import { checkSeeds, runSeeds, type SeedEntry, type SeedOutcome } from '../api/seed.js';
import { Observer } from '../engine/observer.js';
import { observedStore } from '../engine/observed-store.js';
import { AccessLog } from './access-log.js';
import { Metrics } from './metrics.js';

export interface AppOptions {
  host?: string;
  port?: number;
  /** A file path, sqlite:PATH or :memory:. */
  database?: string;
  /** Rules to save as the ones in force at start (serve --faults FILE); without them, the stored rules apply. */
  faults?: FaultConfig;
  /** How often this node looks for fault rules saved by another node (default 1 s; fault-rules.ts). */
  faultRulesPollMs?: number;
  logger?: Logger;
  clock?: Clock;
  ids?: IdSource;
  /** Default: the built-in catalogue, with `schemas` layered over it. */
  catalogue?: TypeCatalogue;
  /** Registry schema bundles (zip, folder or file) over the built-in catalogue, later wins; ignored with `catalogue`. */
  schemas?: string[];
  worker?: WorkerOptions;
  bodyLimit?: number;
  /** Open connections served at once (default 1024); past it, new ones get 503 ServiceUnavailable. */
  maxConnections?: number;
  /** Strict mode: every API call must be signed by one of these credentials. */
  credentials?: CredentialStore;
  /** Bearer token for /_ccapi/* (other than health) in strict mode. */
  adminToken?: string;
  /** Requests per second per account (token bucket, burst of the same size); excess gets ThrottlingException. */
  rateLimit?: number;
  /** How often terminal requests past their 7-day retention are purged. */
  purgeIntervalMs?: number;
  /** Custom resource types (loadCustomTypes()), stacked over the catalogue and run by their own handlers. */
  customTypes?: CustomTypes;
  /** Pre-provision hooks (loadHooksFile()). */
  hooks?: HookDefinition[];
  /** How long one handler step (or a read/list call) may take; default 60 s. */
  stepBudgetMs?: number;
  /** How creates and updates check references to other resources (default strict, as AWS). */
  references?: ReferenceMode;
  /** Each account and Region gets its default VPC on first use (default true; `--no-default-vpc` turns it off). */
  defaultVpc?: boolean;
  /** Resources to create at start (`--seed FILE`), checked before listening and created before startApp resolves. */
  seeds?: SeedEntry[];
}

/** Resident and heap memory in MB, for /_ccapi/health (operators watch it; the bench reads RSS from /proc). */
function memoryMB(): { rss: number; heapUsed: number; heapTotal: number; external: number } {
  const m = process.memoryUsage();
  const mb = (n: number) => Math.round((n / 1048576) * 10) / 10;
  return { rss: mb(m.rss), heapUsed: mb(m.heapUsed), heapTotal: mb(m.heapTotal), external: mb(m.external) };
}

/** The catalogue with the custom types on top (they win over AWS definitions of the same name). */
function withCustomTypes(catalogue: TypeCatalogue, custom: CustomTypes | undefined): TypeCatalogue {
  if (!custom || custom.catalogue.size === 0) return catalogue;
  const below: CatalogueLayer[] = isLayered(catalogue) ? [...catalogue.layers] : [catalogue];
  return layerCatalogues([...below, custom.catalogue]);
}

export const DEFAULT_HOST = '127.0.0.1';
export const DEFAULT_PORT = 4600;
export const DEFAULT_DATABASE = './.ccapi/ccapi.db';

export interface App {
  readonly address: AddressInfo;
  readonly url: string;
  readonly store: Store;
  readonly catalogue: TypeCatalogue;
  readonly engine: Engine;
  readonly faults: FaultInjector;
  /** What the seed entries did at this start (absent without seeds). */
  readonly seeded?: SeedOutcome;
  stop(): Promise<void>;
}

export async function startApp(options: AppOptions = {}): Promise<App> {
  const log = options.logger ?? silentLogger;
  const clock = options.clock ?? systemClock;
  const ids = options.ids ?? cryptoIds;
  const onWarning = (warning: string) => log.warn({ catalogue: 'registry' }, warning);
  const catalogue = withCustomTypes(
    options.catalogue ?? layerCatalogues([openBuiltInCatalogue(), ...(options.schemas ?? []).map((path) => openSchemaBundle(path, { onWarning }))]),
    options.customTypes,
  );
  // A bad seed file is refused before the database is even opened.
  if (options.seeds?.length) checkSeeds({ catalogue }, options.seeds);
  const store = await openStore(options.database ?? DEFAULT_DATABASE, { onConnectionError: (err, detail) => log.warn({ err }, detail) });
  try {
    // A wrong PostgreSQL URL or an unreachable server fails the start, not the first request.
    await store.ready?.();
  } catch (error) {
    await store.close();
    throw error;
  }
  const faults = new FaultInjector();
  const faultRules = new PersistedFaultRules(store, faults, log, options.faultRulesPollMs);
  try {
    await faultRules.start(options.faults);
  } catch (error) {
    await store.close();
    throw error;
  }
  // Every API call and status change goes to the observer; the access log and the metrics listen (#16).
  const observer = new Observer();
  const observed = observedStore(store, observer);
  const custom = options.customTypes?.providers;
  const providers: ProviderResolver = {
    // A type's definition in force decides: a custom type's handlers only while its custom definition wins.
    providerFor: (type) => (type.source === 'custom' ? custom?.get(type.typeName) : undefined) ?? genericProvider,
  };
  const hooks = options.hooks?.length ? new HookRunner(options.hooks, undefined, log) : undefined;
  const worker = new Worker(observed, catalogue, providers, clock, ids, log, {
    observer,
    ...options.worker,
    ...(options.stepBudgetMs !== undefined ? { stepBudgetMs: options.stepBudgetMs } : {}),
    ...(hooks ? { hooks } : {}),
    references: referencePolicy(options.references ?? DEFAULT_REFERENCE_MODE, catalogue, (typeName) => relationshipsOf(typeName, catalogue)),
  });
  const engine = new Engine(observed, worker, faults, clock, ids, hooks, observer);
  const ctx: ApiContext = {
    catalogue,
    providers,
    engine,
    store: observed,
    faults,
    clock,
    ids,
    log,
    ...(options.stepBudgetMs !== undefined ? { stepBudgetMs: options.stepBudgetMs } : {}),
    ...(options.defaultVpc !== false ? { scopes: new DefaultVpcs(store, clock, catalogue, log) } : {}),
  };
  const startedAt = clock.now();

  const recovered = (await store.releaseAbandonedLeases?.()) ?? 0;
  if (recovered > 0) log.info({ recovered }, 'resumed requests that were in flight when the previous process stopped');

  const accessLog = new AccessLog(observer, log);
  // The open-connections gauge reads the HTTP front, made just below; it is read only when scraped.
  const metrics = new Metrics({ observer, store, clock, openConnections: () => http.openConnections });
  const http: HttpFront = new HttpFront(
    ctx,
    {
      engine,
      faults,
      faultRules,
      store,
      ...(ctx.scopes ? { scopes: ctx.scopes } : {}),
      health: () => ({
        database: store.description,
        catalogue: describeCatalogue(catalogue),
        uptimeSeconds: Math.round((clock.now() - startedAt) / 1000),
        memoryMB: memoryMB(),
      }),
    },
    log,
    {
      ...(options.bodyLimit === undefined ? {} : { bodyLimit: options.bodyLimit }),
      ...(options.maxConnections === undefined ? {} : { maxConnections: options.maxConnections }),
      ...(options.credentials ? { authenticator: verifyingAuthenticator(options.credentials, clock) } : {}),
      ...(options.adminToken ? { adminToken: options.adminToken } : {}),
      ...(options.rateLimit ? { rateLimiter: new RateLimiter(options.rateLimit, clock) } : {}),
      observer,
      metrics,
    },
  );
  let address: AddressInfo;
  try {
    address = await http.listen(options.port ?? DEFAULT_PORT, options.host ?? DEFAULT_HOST);
  } catch (error) {
    await faultRules.stop();
    accessLog.stop();
    metrics.stop();
    await store.close();
    throw error;
  }
  worker.start();
  // LISTEN/NOTIFY where the store has it: new work on another node wakes this worker at once (a latency
  // hint; the worker's polling timer guarantees progress when a notification is lost).
  const unsubscribe = await store.subscribe?.(() => worker.wake());

  const purge = () => engine.purgeExpired().catch((error) => log.error({ err: error }, 'retention purge failed'));
  void purge();
  const purgeTimer = setInterval(purge, options.purgeIntervalMs ?? 10 * 60_000);
  purgeTimer.unref();

  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  let stopping: Promise<void> | undefined;
  const app = {
    address,
    url: `http://${host}:${address.port}`,
    store,
    catalogue,
    engine,
    faults,
    stop() {
      stopping ??= (async () => {
        clearInterval(purgeTimer);
        await http.close();
        await unsubscribe?.();
        await worker.stop();
        await faultRules.stop();
        accessLog.stop();
        metrics.stop();
        await store.close();
      })();
      return stopping;
    },
  };
  if (!options.seeds?.length) return app;
  // The seeds are created before startApp resolves, so the ready line comes after them.
  let seeded: SeedOutcome;
  try {
    seeded = await runSeeds(ctx, options.seeds);
  } catch (error) {
    await app.stop();
    throw error;
  }
  log.info({ ...seeded }, 'seed resources in place');
  return { ...app, seeded };
}
