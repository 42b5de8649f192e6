/**
 * Seed resources (`ccapi serve --seed FILE`): resources a team declares so that their code finds them, created
 * at start through the ordinary CreateResource path (validation, defaults, formats and the worker's steps apply,
 * and each shows as a request in ListResourceRequests, as it would had the team created it with the API).
 *
 * Idempotent across restarts: an entry is known by its scope, type and properties (canonical JSON, so key order
 * and file layout do not matter). Once its create succeeded the store records a marker for it, and a later start
 * skips it, whether or not its identifier is generated. An entry whose primary identifier is in its properties
 * and names a resource that is already there is skipped too. A start that stopped between the create and the
 * marker finds the same request again by its ClientToken (derived from the entry) within the 36-hour replay window.
 */
import { createHash } from 'node:crypto';
import type { Scope } from '../domain/records.js';
import { isTerminal } from '../domain/records.js';
import { ServiceError } from '../protocol/errors.js';
import type { ResourceModel } from '../providers/contract.js';
import { primaryIdentifierOf } from '../registry/identifiers.js';
import { withoutPaths } from '../registry/pointers.js';
import { modelValidationFailed } from '../registry/validation-messages.js';
import type { ApiContext } from './context.js';
import { createResource } from './resource-operations.js';
import { resolveType } from './types.js';

export interface SeedEntry {
  /** The file the entry came from, for messages. */
  file: string;
  /** Its position in the file's `resources` list (from 0). */
  index: number;
  typeName: string;
  properties: ResourceModel;
  accountId: string;
  region: string;
}

/** A seed entry refused or failed: the message names the file, the entry and the reason. */
export class SeedError extends Error {
  constructor(entry: Pick<SeedEntry, 'file' | 'index' | 'typeName'>, reason: string) {
    super(`seed file ${entry.file}: resources[${entry.index}] (${entry.typeName}): ${reason}`);
    this.name = 'SeedError';
  }
}

export interface SeedOutcome {
  created: number;
  /** Entries found already there (seeded by an earlier start, or present under their own identifier). */
  existing: number;
}

/** JSON with object keys sorted at every level: the same model, however the file wrote it, gives the same text. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.keys(value as object)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * Refuses entries the server would refuse: an unknown (or not creatable) type, or properties that fail the type's
 * schema (the validator's own message). Run before the server starts, so a bad file changes nothing.
 */
export function checkSeeds(ctx: Pick<ApiContext, 'catalogue'>, entries: readonly SeedEntry[]): void {
  for (const entry of entries) {
    let type;
    try {
      type = resolveType(ctx.catalogue, entry.typeName, 'create');
    } catch (error) {
      if (error instanceof ServiceError) throw new SeedError(entry, `${error.code}: ${error.message}`);
      throw error;
    }
    const violations = type.validate(entry.properties);
    if (violations.length) throw new SeedError(entry, modelValidationFailed(violations));
  }
}

/** Creates the entries that are not there yet, one after the other (a later entry may name an earlier one). */
export async function runSeeds(ctx: ApiContext, entries: readonly SeedEntry[]): Promise<SeedOutcome> {
  const outcome: SeedOutcome = { created: 0, existing: 0 };
  for (const entry of entries) {
    if (await seedOne(ctx, entry)) outcome.created++;
    else outcome.existing++;
  }
  return outcome;
}

/** True when this call created the entry's resource; false when it was there already. */
async function seedOne(ctx: ApiContext, entry: SeedEntry): Promise<boolean> {
  const scope: Scope = { accountId: entry.accountId, region: entry.region };
  await ctx.scopes?.prepare(scope);
  const desired = canonicalJson(entry.properties);
  const digest = createHash('sha256').update(`${entry.typeName}\0${desired}`).digest('hex');
  const marker = `seed:${digest}`;
  if (await ctx.store.hasMarker(scope, marker)) return false;

  const type = resolveType(ctx.catalogue, entry.typeName, 'create');
  const identifier = primaryIdentifierOf(type, withoutPaths(entry.properties, type.schema.readOnlyProperties ?? []));
  if (identifier !== undefined && (await ctx.store.getResource(scope, type.typeName, identifier))) {
    await ctx.store.provisionOnce(scope, marker, [], ctx.clock.now());
    return false;
  }
  // ClientToken: [-A-Za-z0-9+/=]{1,128}; the same entry always sends the same one.
  const { ProgressEvent: accepted } = await createResource(ctx, scope, { TypeName: entry.typeName, DesiredState: desired, ClientToken: `seed-${digest.slice(0, 48)}` });
  const record = await settled(ctx, scope, accepted.RequestToken!);
  if (record.status !== 'SUCCESS') {
    throw new SeedError(entry, `the create request ${record.token} ended ${record.status}${record.errorCode ? ` (${record.errorCode})` : ''}: ${record.statusMessage ?? ''}`);
  }
  await ctx.store.provisionOnce(scope, marker, [], ctx.clock.now());
  ctx.log?.info({ typeName: entry.typeName, identifier: record.identifier, file: entry.file, index: entry.index }, 'seeded');
  return true;
}

/** Waits for the request to end: polls its record, quickly at first (most creates end in their first step). */
async function settled(ctx: ApiContext, scope: Scope, token: string) {
  let wait = 5;
  for (;;) {
    const record = await ctx.engine.get(scope, token);
    if (isTerminal(record.status)) return record;
    await new Promise((resolve) => setTimeout(resolve, wait));
    wait = Math.min(wait * 2, 250);
  }
}
