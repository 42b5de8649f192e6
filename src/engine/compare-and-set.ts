/**
 * The one compare-and-set loop: feed an event to the machine, store the transition only if the request's
 * version has not moved, and on a conflict read the request again and feed the same event to what is there
 * now. The worker applies step results this way and the engine applies cancels.
 */
import type { HistoryEntry, RequestRecord } from '../domain/records.js';
import { ResourceWriteConflict, type ResourceWrite, type Store } from '../store/store.js';
import { transition, type MachineEvent, type MachineResult } from './machine.js';

/** The timeline row of a stored transition. */
export function historyFor(record: RequestRecord, detail: string): HistoryEntry {
  const entry: HistoryEntry = { token: record.token, status: record.status, eventTime: record.eventTime, detail };
  if (record.errorCode !== undefined) entry.errorCode = record.errorCode;
  if (record.statusMessage !== undefined) entry.statusMessage = record.statusMessage;
  if (record.retryAfter !== undefined) entry.retryAfter = record.retryAfter;
  return entry;
}

export interface CompareAndSet {
  store: Store;
  now: () => number;
  /** How many conflicts to ride out before giving up. */
  attempts: number;
  /** The request as it is now, after a conflict; undefined stops the loop (it is someone else's now). */
  reread: () => Promise<RequestRecord | undefined>;
  /** Shapes the record before it is stored (the worker drops its lease). */
  prepare?: (next: RequestRecord) => RequestRecord;
  /** The resource writes that go with a transition that applies them (a step's). */
  writes?: ResourceWrite[];
  /** A write the store refused (the resource changed under the step): the event to apply instead, without writes. */
  onWriteConflict?: (conflict: ResourceWriteConflict, record: RequestRecord) => MachineEvent;
}

export type Applied =
  /** `from`: the record the transition was applied to (the observer reports from → to). */
  | { kind: 'stored'; record: RequestRecord; from: RequestRecord }
  /** The machine had nothing to change (or refused): the record it judged, and its answer. */
  | { kind: 'not-applicable'; record: RequestRecord; result: Exclude<MachineResult, { kind: 'transition' }> }
  /** The request moved on under us and is no longer ours to change. */
  | { kind: 'gone' }
  | { kind: 'gave-up' };

export async function applyEvent(first: RequestRecord, event: MachineEvent, cas: CompareAndSet): Promise<Applied> {
  let record = first;
  let writes = cas.writes ?? [];
  for (let attempt = 0; attempt < cas.attempts; attempt++) {
    const result = transition(record, event, cas.now());
    if (result.kind !== 'transition') return { kind: 'not-applicable', record, result };
    const next = cas.prepare ? cas.prepare(result.record) : result.record;
    try {
      if (await cas.store.applyTransition(next, record.version, historyFor(next, result.detail), result.applyResourceWrites ? writes : [])) return { kind: 'stored', record: next, from: record };
    } catch (error) {
      if (!(error instanceof ResourceWriteConflict) || !cas.onWriteConflict) throw error;
      event = cas.onWriteConflict(error, record);
      writes = [];
      continue;
    }
    const fresh = await cas.reread();
    if (!fresh) return { kind: 'gone' };
    record = fresh;
  }
  return { kind: 'gave-up' };
}
