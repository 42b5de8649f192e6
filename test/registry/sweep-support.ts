/**
 * The conformance sweep over AWS's official resource schemas, shared by the in-process sweep (callOperation)
 * and the HTTP sample (the JS SDK against a server process). For one type it runs, through whatever `Api`
 * it is given: CreateResource with a synthesized minimal DesiredState → SUCCESS → GetResource (sent values
 * back, writeOnly absent) → UpdateResource of one updatable property → SUCCESS → GetResource shows it →
 * ListResources (with the list handlerSchema's required values) finds it → DeleteResource → SUCCESS →
 * GetResource answers ResourceNotFoundException. Missing handlers must answer UnsupportedActionException.
 */
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import AdmZip from 'adm-zip';
import type { ResourceSchema, ResourceType } from '../../src/registry/types.js';
import {
  listHandlerRequired,
  pathsAt,
  synthesizeDesiredState,
  synthesizeUpdatePatch,
  withoutPointers,
  type Json,
  type Model,
  type PatternTranslator,
} from '../support/synthesize.js';
import { OFFICIAL_BUNDLE, skipIfMissing } from '../support/prerequisites.js';

/** AWS's schema bundle, test data shared outside the repository (never copied into it). */
export const SCHEMA_ZIP = OFFICIAL_BUNDLE;

/** Why the sweep skips (outside CI; under CI=true a missing bundle throws). */
export function schemaZipMissing(): string | undefined {
  return skipIfMissing('bundle');
}

export interface LoadedSchemas {
  schemas: ResourceSchema[];
  /** Entries that are not a readable resource schema: file name → why. */
  unreadable: Map<string, string>;
  entries: number;
}

export function loadSchemaZip(path = SCHEMA_ZIP): LoadedSchemas {
  const zip = new AdmZip(path);
  const schemas: ResourceSchema[] = [];
  const unreadable = new Map<string, string>();
  let entries = 0;
  for (const entry of zip.getEntries()) {
    if (entry.isDirectory || !entry.entryName.endsWith('.json')) continue;
    entries++;
    try {
      const schema = JSON.parse(entry.getData().toString('utf8')) as ResourceSchema;
      if (typeof schema.typeName !== 'string' || typeof schema.properties !== 'object' || !Array.isArray(schema.primaryIdentifier)) {
        unreadable.set(entry.entryName, 'not a resource schema (typeName, properties or primaryIdentifier missing)');
        continue;
      }
      schemas.push(schema);
    } catch (error) {
      unreadable.set(entry.entryName, `invalid JSON: ${(error as Error).message}`);
    }
  }
  schemas.sort((a, b) => (a.typeName < b.typeName ? -1 : 1));
  return { schemas, unreadable, entries };
}

export const isProvisionable = (schema: ResourceSchema) => Boolean(schema.handlers?.create && schema.handlers.read && schema.handlers.delete);

/** Calls one Cloud Control operation; throws an error whose `name` is the AWS error code. */
export type Api = (operation: string, input: Record<string, unknown>) => Promise<Record<string, unknown>>;

export type Stage =
  | 'compile'
  | 'synthesize'
  | 'create'
  | 'create-status'
  | 'get'
  | 'get-properties'
  | 'get-writeonly'
  | 'update'
  | 'update-status'
  | 'update-get'
  | 'update-unsupported'
  | 'list'
  | 'list-unsupported'
  | 'delete'
  | 'delete-status'
  | 'get-after-delete'
  | 'create-unsupported'
  /** An exception outside any stage: a bug in the sweep itself. */
  | 'sweep-error';

export interface TypeResult {
  typeName: string;
  provisionable: boolean;
  /** Where it failed; undefined when everything passed. */
  stage?: Stage;
  detail?: string;
  /** What was exercised, for the summary. */
  updated?: string;
  noUpdateReason?: string;
  listedWith?: Record<string, Json>;
}

export class StageFailure extends Error {
  constructor(
    readonly stage: Stage,
    message: string,
  ) {
    super(message);
  }
}

const fail = (stage: Stage, message: string): never => {
  throw new StageFailure(stage, message);
};

const describeError = (error: unknown) => (error instanceof Error ? `${error.name}: ${error.message}` : String(error));
const short = (value: unknown, max = 600) => {
  const text = typeof value === 'string' ? value : String(JSON.stringify(value));
  return text.length > max ? `${text.slice(0, max)}…` : text;
};

const TERMINAL = new Set(['SUCCESS', 'FAILED', 'CANCEL_COMPLETE']);

interface ProgressEventShape {
  OperationStatus?: string;
  Identifier?: string;
  RequestToken?: string;
  ErrorCode?: string;
  StatusMessage?: string;
  ResourceModel?: string;
}

/** Polls GetResourceRequestStatus until the request is terminal. */
export async function waitTerminal(api: Api, token: string, timeoutMs = 15_000): Promise<ProgressEventShape> {
  const deadline = Date.now() + timeoutMs;
  for (let delay = 1; ; delay = Math.min(delay * 2, 50)) {
    const out = await api('GetResourceRequestStatus', { RequestToken: token });
    const event = out.ProgressEvent as ProgressEventShape | undefined;
    if (!event) throw new Error(`GetResourceRequestStatus returned no ProgressEvent: ${short(out)}`);
    if (TERMINAL.has(event.OperationStatus ?? '')) return event;
    if (Date.now() > deadline) throw new Error(`request ${token} still ${event.OperationStatus} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, delay));
  }
}

async function expectErrorName(call: Promise<unknown>, name: string): Promise<string | undefined> {
  try {
    const out = await call;
    return `expected ${name}, but the call succeeded: ${short(out)}`;
  } catch (error) {
    if (error instanceof Error && error.name === name) return undefined;
    return `expected ${name}, got ${describeError(error)}`;
  }
}

/** Every value of `expected` is in `actual` (objects may have more members: defaults, generated values). */
export function containsSent(actual: unknown, expected: unknown): boolean {
  if (Array.isArray(expected)) {
    return Array.isArray(actual) && actual.length === expected.length && expected.every((e, i) => containsSent(actual[i], e));
  }
  if (typeof expected === 'object' && expected !== null) {
    if (typeof actual !== 'object' || actual === null || Array.isArray(actual)) return false;
    const a = actual as Record<string, unknown>;
    return Object.entries(expected).every(([k, v]) => Object.prototype.hasOwnProperty.call(a, k) && containsSent(a[k], v));
  }
  return isDeepStrictEqual(actual, expected);
}

/**
 * True when removing the write-only members left nothing of a sent object: a read does not return such an object at
 * all (Lambda's Code, whose members are all write-only, is absent from AWS's read: pulumi-aws-native#277, awscc#1613).
 */
function emptiedByWriteOnly(sent: unknown, visible: unknown): boolean {
  const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  if (!isObject(sent) || Object.keys(sent).length === 0) return false;
  if (visible === undefined) return true;
  return isObject(visible) && Object.keys(visible).every((k) => emptiedByWriteOnly(sent[k], visible[k]));
}

function writeOnlyLeaks(schema: ResourceSchema, model: unknown): string[] {
  return (schema.writeOnlyProperties ?? []).filter((p) => pathsAt(model, p).length > 0);
}

function parseProperties(text: unknown, what: string, stage: Stage): Model {
  if (typeof text !== 'string') fail(stage, `${what}: Properties is not a string: ${short(text)}`);
  try {
    return JSON.parse(text as string) as Model;
  } catch {
    return fail(stage, `${what}: Properties is not JSON: ${short(text)}`);
  }
}

export interface SweepOptions {
  translate: PatternTranslator;
}

/** Runs the whole sequence for one type; never throws (failures are in the result). */
export async function sweepType(api: Api, type: ResourceType, options: SweepOptions): Promise<TypeResult> {
  const schema = type.schema;
  const result: TypeResult = { typeName: type.typeName, provisionable: isProvisionable(schema) };
  try {
    await runType(api, type, options, result);
  } catch (error) {
    if (error instanceof StageFailure) {
      result.stage = error.stage;
      result.detail = error.message;
    } else {
      result.stage = 'sweep-error';
      // A bug in the sweep itself (or an API call outside any stage): keep where it happened.
      const at = error instanceof Error ? (error.stack ?? '').split('\n').slice(1, 4).map((l) => l.trim()).join(' < ') : '';
      result.detail = `unexpected: ${describeError(error)} ${at}`;
    }
  }
  return result;
}

async function runType(api: Api, type: ResourceType, options: SweepOptions, result: TypeResult): Promise<void> {
  const schema = type.schema;
  const typeName = type.typeName;
  try {
    type.validate({}); // every schema's validator compiles
  } catch (error) {
    fail('compile', `the validator does not compile: ${describeError(error)}`);
  }

  const listRequired = listHandlerRequired(schema);
  const synthesis = synthesizeDesiredState(schema, {
    validate: (m) => type.validate(m),
    translate: options.translate,
    include: listRequired.filter((p) => p in schema.properties),
  });

  if (!result.provisionable) {
    // Non-provisionable: CreateResource is unsupported whatever the DesiredState.
    const desired = synthesis.ok ? synthesis.model : {};
    const problem = await expectErrorName(api('CreateResource', { TypeName: typeName, DesiredState: JSON.stringify(desired) }), 'UnsupportedActionException');
    if (problem) fail('create-unsupported', problem);
    return;
  }
  if (!synthesis.ok) return fail('synthesize', synthesis.reason);
  const desired = synthesis.model;
  const desiredText = JSON.stringify(desired);

  // Create.
  let created: ProgressEventShape;
  try {
    const out = await api('CreateResource', { TypeName: typeName, DesiredState: desiredText });
    created = out.ProgressEvent as ProgressEventShape;
  } catch (error) {
    return fail('create', `CreateResource ${short(desiredText)} → ${describeError(error)}`);
  }
  if (!created?.RequestToken) fail('create', `no RequestToken in ${short(created)}`);
  if (created.OperationStatus !== 'IN_PROGRESS' && created.OperationStatus !== 'PENDING' && created.OperationStatus !== 'SUCCESS') {
    fail('create', `CreateResource answered ${short(created)}`);
  }
  const createDone = await waitTerminal(api, created.RequestToken!);
  if (createDone.OperationStatus !== 'SUCCESS') {
    fail('create-status', `CREATE of ${short(desiredText)} ended ${createDone.OperationStatus} ${createDone.ErrorCode ?? ''}: ${createDone.StatusMessage ?? ''}`);
  }
  const identifier = createDone.Identifier;
  if (!identifier) return fail('create-status', `SUCCESS without Identifier: ${short(createDone)}`);
  if (createDone.ResourceModel !== undefined) {
    const leaks = writeOnlyLeaks(schema, JSON.parse(createDone.ResourceModel));
    if (leaks.length) fail('create-status', `the CREATE SUCCESS event's ResourceModel carries writeOnly ${leaks.join(', ')}`);
  }

  let firstFailure: unknown;
  try {
    // Read.
    const read = await getProperties(api, typeName, identifier, 'get');
    const writeOnlyTop = new Set((schema.writeOnlyProperties ?? []).filter((p) => p.split('/').length === 3).map((p) => p.slice('/properties/'.length)));
    const sentVisible = withoutPointers(desired, schema.writeOnlyProperties ?? []);
    const missing = Object.keys(desired).filter((k) => !writeOnlyTop.has(k) && !emptiedByWriteOnly(desired[k], sentVisible[k]) && !containsSent(read[k], sentVisible[k]));
    if (missing.length) {
      fail('get-properties', `GetResource ${identifier}: sent ${missing.map((k) => `${k}=${short(sentVisible[k], 120)}`).join(', ')}; got ${short(read)}`);
    }
    const leaks = writeOnlyLeaks(schema, read);
    if (leaks.length) fail('get-writeonly', `GetResource ${identifier} returned writeOnly ${leaks.join(', ')}: ${short(read)}`);

    // Update.
    if (type.hasHandler('update')) {
      const update = synthesizeUpdatePatch(schema, desired, read, { validate: (m) => type.validate(m), translate: options.translate });
      if (!update.ok) result.noUpdateReason = update.reason;
      else {
        const patchText = JSON.stringify(update.patch);
        let accepted: ProgressEventShape;
        try {
          const out = await api('UpdateResource', { TypeName: typeName, Identifier: identifier, PatchDocument: patchText });
          accepted = out.ProgressEvent as ProgressEventShape;
        } catch (error) {
          const base = update.verified ? '' : ` (the model read back fails the type's own validation: ${update.baseViolations?.join('; ')})`;
          return fail('update', `UpdateResource ${identifier} ${patchText} → ${describeError(error)}${base}`);
        }
        if (accepted.ResourceModel !== undefined) {
          const leaksU = writeOnlyLeaks(schema, JSON.parse(accepted.ResourceModel));
          if (leaksU.length) fail('update', `UpdateResource's ResourceModel carries writeOnly ${leaksU.join(', ')}`);
        }
        const done = await waitTerminal(api, accepted.RequestToken!);
        if (done.OperationStatus !== 'SUCCESS') {
          fail('update-status', `UPDATE ${patchText} ended ${done.OperationStatus} ${done.ErrorCode ?? ''}: ${done.StatusMessage ?? ''}`);
        }
        const after = await getProperties(api, typeName, identifier, 'update-get');
        if (!containsSent(after[update.property], update.value)) {
          fail('update-get', `after ${patchText}, GetResource shows ${update.property}=${short(after[update.property])}`);
        }
        const leaksAfter = writeOnlyLeaks(schema, after);
        if (leaksAfter.length) fail('update-get', `GetResource after update returned writeOnly ${leaksAfter.join(', ')}`);
        result.updated = update.property;
      }
    } else {
      const problem = await expectErrorName(api('UpdateResource', { TypeName: typeName, Identifier: identifier, PatchDocument: '[]' }), 'UnsupportedActionException');
      if (problem) fail('update-unsupported', problem);
    }

    // List.
    if (type.hasHandler('list')) {
      const current = await getProperties(api, typeName, identifier, 'list');
      const filter: Record<string, Json> = {};
      for (const name of listRequired) {
        // A list key may stand for another property (APS: list key `Arn` $refs the parent `Workspace`).
        const ref = (schema.handlers?.list?.handlerSchema?.properties as Record<string, { $ref?: unknown }> | undefined)?.[name]?.$ref;
        const target = typeof ref === 'string' ? /#\/properties\/([^/]+)$/.exec(ref)?.[1] ?? name : name;
        const value = current[target] ?? desired[target];
        if (value === undefined) fail('list', `the list handlerSchema requires ${name}, which the created resource does not have: ${short(current)}`);
        filter[name] = value!;
      }
      const input: Record<string, unknown> = { TypeName: typeName };
      if (listRequired.length) {
        input.ResourceModel = JSON.stringify(filter);
        result.listedWith = filter;
      }
      let found = false;
      let pages = 0;
      try {
        for (let next: string | undefined; ; ) {
          const out = await api('ListResources', next ? { ...input, NextToken: next } : input);
          const descriptions = (out.ResourceDescriptions ?? []) as { Identifier?: string; Properties?: string }[];
          for (const d of descriptions) {
            if (d.Identifier === identifier) found = true;
            const leaksL = writeOnlyLeaks(schema, parseProperties(d.Properties, 'ListResources', 'list'));
            if (leaksL.length) fail('list', `ListResources returned writeOnly ${leaksL.join(', ')}`);
          }
          next = out.NextToken as string | undefined;
          if (!next || ++pages > 50) break;
        }
      } catch (error) {
        if (error instanceof StageFailure) throw error;
        return fail('list', `ListResources ${short(input)} → ${describeError(error)}`);
      }
      if (!found) fail('list', `ListResources ${short(input)} did not list ${identifier}`);
    } else {
      const problem = await expectErrorName(api('ListResources', { TypeName: typeName }), 'UnsupportedActionException');
      if (problem) fail('list-unsupported', problem);
    }
  } catch (error) {
    firstFailure = error;
  }
  // Delete, also after a failure above so nothing lingers; its own failure is reported only when it is the first.
  try {
    await deleteAndCheck(api, typeName, identifier);
  } catch (error) {
    firstFailure ??= error;
  }
  if (firstFailure !== undefined) throw firstFailure;
}

async function getProperties(api: Api, typeName: string, identifier: string, stage: Stage): Promise<Model> {
  let out: Record<string, unknown>;
  try {
    out = await api('GetResource', { TypeName: typeName, Identifier: identifier });
  } catch (error) {
    return fail(stage, `GetResource ${identifier} → ${describeError(error)}`);
  }
  const description = out.ResourceDescription as { Identifier?: string; Properties?: string } | undefined;
  if (description?.Identifier !== identifier) fail(stage, `GetResource ${identifier} answered Identifier ${short(description?.Identifier)}`);
  return parseProperties(description!.Properties, `GetResource ${identifier}`, stage);
}

async function deleteAndCheck(api: Api, typeName: string, identifier: string): Promise<void> {
  let accepted: ProgressEventShape;
  try {
    accepted = (await api('DeleteResource', { TypeName: typeName, Identifier: identifier })).ProgressEvent as ProgressEventShape;
  } catch (error) {
    return fail('delete', `DeleteResource ${identifier} → ${describeError(error)}`);
  }
  const done = await waitTerminal(api, accepted.RequestToken!);
  if (done.OperationStatus !== 'SUCCESS') fail('delete-status', `DELETE ${identifier} ended ${done.OperationStatus} ${done.ErrorCode ?? ''}: ${done.StatusMessage ?? ''}`);
  const problem = await expectErrorName(api('GetResource', { TypeName: typeName, Identifier: identifier }), 'ResourceNotFoundException');
  if (problem) fail('get-after-delete', problem);
}

/** Runs `fn` over `items` with at most `concurrency` at a time, results in input order. */
export async function mapConcurrent<T, R>(items: T[], concurrency: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const workers = Array.from({ length: Math.min(concurrency, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]!);
    }
  });
  await Promise.all(workers);
  return results;
}

export interface Summary {
  text: string;
  unexpected: TypeResult[];
  staleExclusions: string[];
  unknownExclusions: string[];
}

/** Counts by outcome and failure stage, and what the exclusion list does not account for. */
export function summarize(results: TypeResult[], exclusions: Record<string, string>, elapsedMs: number, header: string): Summary {
  const failed = results.filter((r) => r.stage !== undefined);
  const excludedFailures = failed.filter((r) => Object.prototype.hasOwnProperty.call(exclusions, r.typeName));
  const unexpected = failed.filter((r) => !Object.prototype.hasOwnProperty.call(exclusions, r.typeName));
  const byName = new Map(results.map((r) => [r.typeName, r]));
  const staleExclusions = Object.keys(exclusions).filter((t) => byName.has(t) && byName.get(t)!.stage === undefined);
  const unknownExclusions = Object.keys(exclusions).filter((t) => !byName.has(t));
  const provisionable = results.filter((r) => r.provisionable);
  const byStage = new Map<string, number>();
  for (const r of failed) byStage.set(r.stage!, (byStage.get(r.stage!) ?? 0) + 1);
  const lines = [
    header,
    `  types swept: ${results.length} (provisionable ${provisionable.length}, non-provisionable ${results.length - provisionable.length})`,
    `  passed: ${results.length - failed.length} (provisionable ${provisionable.filter((r) => r.stage === undefined).length}; updated ${results.filter((r) => r.updated).length}, no updatable property ${results.filter((r) => r.noUpdateReason).length}, listed with a ResourceModel ${results.filter((r) => r.listedWith).length})`,
    `  failed: ${failed.length} (excluded ${excludedFailures.length}, unexpected ${unexpected.length})`,
    ...[...byStage].sort((a, b) => b[1] - a[1]).map(([stage, n]) => `    ${stage}: ${n}`),
    `  elapsed: ${(elapsedMs / 1000).toFixed(1)} s`,
  ];
  if (unexpected.length) lines.push('  unexpected failures:', ...unexpected.map((r) => `    ${r.typeName} [${r.stage}] ${r.detail}`));
  if (staleExclusions.length) lines.push(`  exclusions that no longer fail (remove them): ${staleExclusions.join(', ')}`);
  if (unknownExclusions.length) lines.push(`  exclusions naming types not in the bundle: ${unknownExclusions.join(', ')}`);
  return { text: lines.join('\n'), unexpected, staleExclusions, unknownExclusions };
}
