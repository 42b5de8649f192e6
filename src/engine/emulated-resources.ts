/**
 * The emulated resources one handler step sees: reads go to the store (overlaid with the step's own
 * writes), writes are buffered and handed to the store with the step's transition, so a crash can never
 * leave a resource changed by a step whose request did not move on (or the other way round).
 *
 * Each create and update carries the resource's indexed values (registry/relationships.ts indexedPaths), which
 * the store keeps in its resource index in the same transaction; ofType() reads other types' resources through
 * that index (issues #15, #17), seeing this step's own writes.
 */
import type { EmulatedResources, ResourceLookup, ResourceModel } from '../providers/contract.js';
import type { IndexedValue, ResourceWrite, Store, StoredResource } from '../store/store.js';
import type { Scope } from '../domain/records.js';
import type { TypeCatalogue } from '../registry/types.js';
import { indexedPaths } from '../registry/relationships.js';
import { indexedValues } from './index-values.js';

/** A resource as this step left it: null when deleted; with its indexed values when created or updated. */
type Overlaid = { resource: StoredResource; indexed: IndexedValue[] } | null;

export class BufferedResources implements EmulatedResources {
  readonly writes: ResourceWrite[] = [];
  /** Keyed by type name, then identifier: a step writes its own type, but lookups go through ofType() too. */
  private readonly overlay = new Map<string, Map<string, Overlaid>>();

  constructor(
    private readonly store: Store,
    private readonly scope: Scope,
    private readonly typeName: string,
    private readonly now: number,
    private readonly catalogue: TypeCatalogue,
  ) {}

  async get(identifier: string): Promise<StoredResource | undefined> {
    return this.getOf(this.typeName, identifier);
  }

  async list(afterIdentifier: string | undefined, limit: number, maxBytes?: number): Promise<StoredResource[]> {
    // Lists run in READ/LIST calls, which never write; the overlay matters only within create/update/delete.
    return this.store.listResources(this.scope, this.typeName, afterIdentifier, limit, maxBytes);
  }

  create(identifier: string, model: ResourceModel): void {
    this.record('create', identifier, model);
  }

  update(identifier: string, model: ResourceModel): void {
    this.record('update', identifier, model);
  }

  delete(identifier: string): void {
    this.writes.push({ kind: 'delete', scope: this.scope, typeName: this.typeName, identifier });
    this.overlayOf(this.typeName).set(identifier, null);
  }

  ofType(typeName: string): ResourceLookup {
    return {
      get: (identifier) => this.getOf(typeName, identifier),
      findBy: (path, value, limit) => this.findBy(typeName, path, value, limit),
    };
  }

  private async getOf(typeName: string, identifier: string): Promise<StoredResource | undefined> {
    const overlaid = this.overlay.get(typeName)?.get(identifier);
    if (overlaid !== undefined) return overlaid?.resource;
    return this.store.getResource(this.scope, typeName, identifier);
  }

  private async findBy(typeName: string, path: string, value: string, limit: number): Promise<StoredResource[]> {
    const type = this.catalogue.get(typeName);
    if (!type) throw new Error(`findBy: ${typeName} is not in the catalogue`);
    // Only indexed paths can be found without a scan; asking for another one is a provider's mistake.
    if (!indexedPaths(type, this.catalogue).includes(path)) throw new Error(`findBy: ${typeName} does not index ${path} (indexedPaths: ${indexedPaths(type, this.catalogue).join(', ')})`);
    const overlay = this.overlay.get(typeName);
    if (!overlay || overlay.size === 0) return this.store.findResources(this.scope, typeName, path, value, limit);
    // The store's answer without the resources this step changed (asking for as many more as it changed, so
    // `limit` still holds after they are taken out), then the changed ones that match now.
    const stored = await this.store.findResources(this.scope, typeName, path, value, limit + overlay.size);
    const found = stored.filter((r) => !overlay.has(r.identifier));
    for (const entry of overlay.values()) {
      if (entry?.indexed.some((v) => v.path === path && v.value === value)) found.push(entry.resource);
    }
    return found.sort((a, b) => (a.identifier < b.identifier ? -1 : a.identifier > b.identifier ? 1 : 0)).slice(0, limit);
  }

  private overlayOf(typeName: string): Map<string, Overlaid> {
    let overlay = this.overlay.get(typeName);
    if (!overlay) this.overlay.set(typeName, (overlay = new Map()));
    return overlay;
  }

  private record(kind: 'create' | 'update', identifier: string, model: ResourceModel): void {
    const type = this.catalogue.get(this.typeName);
    const indexed = type ? indexedValues(model, indexedPaths(type, this.catalogue)) : [];
    const properties = JSON.stringify(model);
    this.writes.push({ kind, scope: this.scope, typeName: this.typeName, identifier, properties, indexed });
    const previous = this.overlay.get(this.typeName)?.get(identifier);
    this.overlayOf(this.typeName).set(identifier, {
      resource: { typeName: this.typeName, identifier, properties, createdAt: previous?.resource.createdAt ?? this.now, updatedAt: this.now },
      indexed,
    });
  }
}
