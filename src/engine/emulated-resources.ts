/**
 * The emulated resources one handler step sees: reads go to the store (overlaid with the step's own
 * writes), writes are buffered and handed to the store with the step's transition, so a crash can never
 * leave a resource changed by a step whose request did not move on (or the other way round).
 */
import type { EmulatedResources, ResourceModel } from '../providers/contract.js';
import type { ResourceWrite, Store, StoredResource } from '../store/store.js';
import type { Scope } from '../domain/records.js';

export class BufferedResources implements EmulatedResources {
  readonly writes: ResourceWrite[] = [];
  private readonly overlay = new Map<string, StoredResource | null>();

  constructor(
    private readonly store: Store,
    private readonly scope: Scope,
    private readonly typeName: string,
    private readonly now: number,
  ) {}

  async get(identifier: string): Promise<StoredResource | undefined> {
    if (this.overlay.has(identifier)) return this.overlay.get(identifier) ?? undefined;
    return this.store.getResource(this.scope, this.typeName, identifier);
  }

  async list(afterIdentifier: string | undefined, limit: number, maxBytes?: number): Promise<StoredResource[]> {
    // Lists run in READ/LIST calls, which never write; the overlay matters only within create/update/delete.
    return this.store.listResources(this.scope, this.typeName, afterIdentifier, limit, maxBytes);
  }

  create(identifier: string, model: ResourceModel): void {
    this.record({ kind: 'create', scope: this.scope, typeName: this.typeName, identifier, properties: JSON.stringify(model) }, model);
  }

  update(identifier: string, model: ResourceModel): void {
    this.record({ kind: 'update', scope: this.scope, typeName: this.typeName, identifier, properties: JSON.stringify(model) }, model);
  }

  delete(identifier: string): void {
    this.writes.push({ kind: 'delete', scope: this.scope, typeName: this.typeName, identifier });
    this.overlay.set(identifier, null);
  }

  private record(write: ResourceWrite & { properties: string }, _model: ResourceModel): void {
    this.writes.push(write);
    this.overlay.set(write.identifier, {
      typeName: this.typeName,
      identifier: write.identifier,
      properties: write.properties,
      createdAt: this.now,
      updatedAt: this.now,
    });
  }
}
