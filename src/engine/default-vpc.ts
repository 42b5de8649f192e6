/**
 * Sets up each account and Region's default VPC the first time that scope is used, as AWS has one in every
 * account and Region before anyone asks (providers/default-vpc.ts says what it consists of).
 *
 * Once per scope, durably: the store records a marker with the resources in one transaction (provisionOnce),
 * so two nodes racing for the same new scope set it up once, a restart does not set it up again, and a
 * default VPC the user deleted stays deleted. In front of the store, an in-memory set of scopes already seen
 * keeps every later call at one Map lookup.
 *
 * Not a Cloud Control request: AWS creates the default VPC itself, so it appears in no ListResourceRequests
 * answer and has no RequestToken; its resources are simply there, to GetResource and ListResources.
 */
import type { Clock } from '../lib/clock.js';
import type { Logger } from '../lib/logger.js';
import type { Scope } from '../domain/records.js';
import { DEFAULT_VPC_MARKER, defaultVpcResources } from '../providers/default-vpc.js';
import type { Store, ProvisionedResource } from '../store/store.js';
import type { TypeCatalogue } from '../registry/types.js';
import { indexedPaths } from '../registry/relationships.js';
import { indexedValues } from './index-values.js';

/** What the API asks before serving a call in a scope: that the scope's pre-existing resources are there. */
export interface ScopePreparer {
  prepare(scope: Scope): Promise<void>;
  /** A reset emptied these scopes (every one when neither is given): prepare them again on their next use. */
  forget(tenant: { accountId?: string; region?: string }): void;
}

export class DefaultVpcs implements ScopePreparer {
  /** Scopes done (settled), or being done (the promise every concurrent first call waits on). */
  private readonly seen = new Map<string, Promise<void> | true>();

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly catalogue: TypeCatalogue,
    private readonly log?: Logger,
  ) {}

  prepare(scope: Scope): Promise<void> {
    const key = `${scope.accountId}\0${scope.region}`;
    const state = this.seen.get(key);
    if (state === true) return DONE;
    if (state) return state;
    const work = this.setUp(scope).then(
      () => {
        this.seen.set(key, true);
      },
      (error: unknown) => {
        // A database that could not be reached: the next call tries again.
        this.seen.delete(key);
        throw error;
      },
    );
    this.seen.set(key, work);
    return work;
  }

  forget(tenant: { accountId?: string; region?: string }): void {
    for (const key of [...this.seen.keys()]) {
      const [accountId, region] = key.split('\0');
      if ((tenant.accountId === undefined || tenant.accountId === accountId) && (tenant.region === undefined || tenant.region === region)) this.seen.delete(key);
    }
  }

  private async setUp(scope: Scope): Promise<void> {
    // Cheap when another node or an earlier run did it: one indexed read, no write.
    if (await this.store.hasMarker(scope, DEFAULT_VPC_MARKER)) return;
    const resources = defaultVpcResources(scope).map((r) => this.withIndex(r));
    const created = await this.store.provisionOnce(scope, DEFAULT_VPC_MARKER, resources, this.clock.now());
    if (created) this.log?.info({ accountId: scope.accountId, region: scope.region, resources: resources.length }, 'created the default VPC');
  }

  /** The resource's index rows, as a step's create writes them, so references to the default VPC resolve and its dependents are found. */
  private withIndex(resource: ProvisionedResource): ProvisionedResource {
    const type = this.catalogue.get(resource.typeName);
    if (!type) return resource;
    return { ...resource, indexed: indexedValues(JSON.parse(resource.properties), indexedPaths(type, this.catalogue)) };
  }
}

const DONE = Promise.resolve();
