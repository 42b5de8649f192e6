/**
 * Checks one run's history against Cloud Control's rules, exactly and without timing guesses: at most one
 * operation in flight per resource, one terminal status per request that never changes, a ClientToken
 * names one request, nothing acknowledged disappears, and each resource's final model is what its
 * accepted requests give when applied one at a time in acceptance order (model.ts).
 */
import { errorCodeOf, inputFingerprint, progressEventOf, TERMINAL, type CallRecord, type ProgressEventView, type RunHistory, type TimelineEntry } from './history.js';
import { canonical, possibleFinalStates, project, type AcceptedRequest, type ModelVerdict, type ResourceState } from './model.js';

export type Rule = 'answers' | 'one-in-flight' | 'one-terminal-status' | 'client-token' | 'nothing-lost' | 'final-model';

export interface Violation {
  rule: Rule;
  message: string;
}

/** What the history says about one resource, for the model check and the report. */
export interface ResourceFacts {
  resource: string;
  /** Accepted requests on it, oldest first (ListResourceRequests lists newest first, by insertion). */
  accepted: AcceptedRequest[];
  verdict: ModelVerdict;
  /** GetResource per node, reduced to the modelled properties. */
  actual: ResourceState[];
}

export interface CheckResult {
  violations: Violation[];
  resources: ResourceFacts[];
  /** RequestToken → its terminal status as the server finally showed it. */
  finalStatus: Map<string, string>;
}

const isMutation = (call: CallRecord) => call.operation !== 'CancelResourceRequest';

/** Every token a Create/Update/Delete answer acknowledged, with the first call that returned it. */
function acknowledgedBy(history: RunHistory): Map<string, CallRecord> {
  const first = new Map<string, CallRecord>();
  for (const call of [...history.calls].sort((a, b) => a.answeredAt - b.answeredAt)) {
    const token = isMutation(call) ? progressEventOf(call)?.RequestToken : undefined;
    if (token !== undefined && !first.has(token)) first.set(token, call);
  }
  return first;
}

/**
 * Server faults a client must expect and retry: CancelResourceRequest's ConcurrentModificationException
 * (https://docs.aws.amazon.com/cloudcontrolapi/latest/APIReference/API_CancelResourceRequest.html), and
 * ServiceInternalErrorException, which ccapi answers when its database is out of reach for seconds
 * (README, "When PostgreSQL goes away"). The call's effect is then unknown, not wrong.
 */
function isRetryableFault(call: CallRecord): boolean {
  const code = errorCodeOf(call);
  return code === 'ServiceInternalErrorException' || (call.operation === 'CancelResourceRequest' && code === 'ConcurrentModificationException');
}

/** Calls with no answer at all, and server faults other than the retryable ones. */
function checkAnswers(history: RunHistory): Violation[] {
  const violations: Violation[] = [];
  for (const call of history.calls) {
    if (call.status === 0) violations.push({ rule: 'answers', message: `call #${call.id} ${call.operation} got no answer: ${call.networkError}` });
    else if (call.status >= 500 && !isRetryableFault(call)) violations.push({ rule: 'answers', message: `call #${call.id} ${call.operation} answered ${call.status} ${JSON.stringify(call.body)}` });
  }
  return violations;
}

/** The terminal entry of a timeline, when it has exactly one and it is the last. */
function terminalOf(timeline: TimelineEntry[]): TimelineEntry | undefined {
  const terminal = timeline.filter((e) => TERMINAL.has(e.OperationStatus));
  return terminal.length === 1 && terminal[0] === timeline[timeline.length - 1] ? terminal[0] : undefined;
}

interface Observation {
  status: string;
  sentAt: number;
  answeredAt: number;
  what: string;
}

/** Every status a client was shown for each token: call answers (replays, cancels) and status reads. */
function observations(history: RunHistory): Map<string, Observation[]> {
  const byToken = new Map<string, Observation[]>();
  const add = (event: ProgressEventView | undefined, o: Omit<Observation, 'status'>) => {
    if (!event?.RequestToken) return;
    const list = byToken.get(event.RequestToken) ?? [];
    list.push({ ...o, status: event.OperationStatus });
    byToken.set(event.RequestToken, list);
  };
  for (const call of history.calls) add(progressEventOf(call), { sentAt: call.sentAt, answeredAt: call.answeredAt, what: `call #${call.id} ${call.operation}` });
  for (const read of history.statusReads) add(read.event, { sentAt: read.sentAt, answeredAt: read.answeredAt, what: `GetResourceRequestStatus on node ${read.node}` });
  return byToken;
}

function checkTerminalStatuses(history: RunHistory, acknowledged: Map<string, CallRecord>, finalStatus: Map<string, string>): Violation[] {
  const violations: Violation[] = [];
  const seen = observations(history);
  for (const token of acknowledged.keys()) {
    const timeline = history.timelines[token];
    if (timeline) {
      const terminal = terminalOf(timeline);
      if (!terminal) {
        violations.push({ rule: 'one-terminal-status', message: `${token}: its timeline does not end in exactly one terminal status: ${timeline.map((e) => `${e.OperationStatus} (${e.Detail})`).join(' → ')}` });
      } else finalStatus.set(token, terminal.OperationStatus);
    }
    const shown = (seen.get(token) ?? []).sort((a, b) => a.sentAt - b.sentAt);
    const last = shown[shown.length - 1];
    if (last && !TERMINAL.has(last.status)) violations.push({ rule: 'one-terminal-status', message: `${token}: still ${last.status} when the checker gave up waiting (${last.what})` });
    if (last && TERMINAL.has(last.status) && !finalStatus.has(token)) finalStatus.set(token, last.status);
    // Once a client was shown a terminal status, every status shown after that (asked later) is the same one.
    const firstTerminal = shown.filter((o) => TERMINAL.has(o.status)).sort((a, b) => a.answeredAt - b.answeredAt)[0];
    const changed = firstTerminal && shown.find((later) => later.sentAt > firstTerminal.answeredAt && later.status !== firstTerminal.status);
    if (firstTerminal && changed) {
      violations.push({ rule: 'one-terminal-status', message: `${token}: ${firstTerminal.what} showed ${firstTerminal.status}, then ${changed.what} showed ${changed.status}` });
    }
    const final = finalStatus.get(token);
    for (const status of new Set(shown.map((o) => o.status).filter((s) => TERMINAL.has(s)))) {
      if (final !== undefined && status !== final) violations.push({ rule: 'one-terminal-status', message: `${token}: shown as ${status} but its timeline ends ${final}` });
    }
  }
  // A cancel that was accepted ends CANCEL_COMPLETE; one refused because the request had ended names that end.
  for (const call of history.calls.filter((c) => c.operation === 'CancelResourceRequest')) {
    const token = call.input.RequestToken!;
    const final = finalStatus.get(token);
    const event = progressEventOf(call);
    if (event && event.OperationStatus.startsWith('CANCEL_') && final !== undefined && final !== 'CANCEL_COMPLETE') {
      violations.push({ rule: 'one-terminal-status', message: `${token}: call #${call.id} cancelled it (${event.OperationStatus}) but it ended ${final}` });
    }
    const refused = /already in status (\w+)/.exec(String(call.body.Message ?? ''));
    if (call.status === 400 && refused && final !== undefined && refused[1] !== final) {
      violations.push({ rule: 'one-terminal-status', message: `${token}: call #${call.id} was refused as "already in status ${refused[1]}" but it ended ${final}` });
    }
  }
  return violations;
}

/**
 * Active intervals of requests on one resource never overlap. Timeline times are the server's clock,
 * stamped before each change commits, and answers are timed on the same machine's clock, so a request
 * was certainly inserted by min(its first answer, its second timeline entry) and certainly still active
 * at its terminal entry's time. Two requests overlap for certain when each was inserted before the
 * other's terminal time; anything closer than that is not evidence and is not reported.
 */
function checkOneInFlight(history: RunHistory, listedByResource: Map<string, ProgressEventView[]>): Violation[] {
  const violations: Violation[] = [];
  const answeredBy = new Map<string, number>();
  for (const call of history.calls) {
    const token = isMutation(call) ? progressEventOf(call)?.RequestToken : undefined;
    if (token !== undefined) answeredBy.set(token, Math.min(answeredBy.get(token) ?? Infinity, call.answeredAt));
  }
  for (const [resource, listed] of listedByResource) {
    const spans = listed.flatMap((summary) => {
      const timeline = history.timelines[summary.RequestToken];
      const terminal = timeline && terminalOf(timeline);
      if (!timeline || !terminal) return [];
      const insertedBy = Math.min(answeredBy.get(summary.RequestToken) ?? Infinity, timeline[1]?.eventTime ?? Infinity);
      return [{ token: summary.RequestToken, insertedBy, activeAt: terminal.eventTime }];
    });
    for (let i = 0; i < spans.length; i++) {
      for (let j = i + 1; j < spans.length; j++) {
        const a = spans[i]!;
        const b = spans[j]!;
        if (a.insertedBy < b.activeAt && b.insertedBy < a.activeAt) {
          violations.push({
            rule: 'one-in-flight',
            message: `${resource}: ${a.token} (active by ${iso(a.insertedBy)} until at least ${iso(a.activeAt)}) and ${b.token} (active by ${iso(b.insertedBy)} until at least ${iso(b.activeAt)}) were in flight at once`,
          });
        }
      }
    }
  }
  return violations;
}

const iso = (ms: number) => (Number.isFinite(ms) ? new Date(ms).toISOString().slice(11, 23) : '?');

/**
 * One ClientToken, one request (semantics reference §3): every accepted answer for a token carries the same
 * RequestToken and the same input; a call sent after one was accepted gets that request back (same input)
 * or ClientTokenConflictException (different input); a conflict is only answered for a token in use.
 */
function checkClientTokens(history: RunHistory): Violation[] {
  const violations: Violation[] = [];
  const byToken = new Map<string, CallRecord[]>();
  for (const call of history.calls.filter((c) => isMutation(c) && c.input.ClientToken !== undefined)) {
    byToken.set(call.input.ClientToken!, [...(byToken.get(call.input.ClientToken!) ?? []), call]);
  }
  for (const [clientToken, calls] of byToken) {
    const accepted = calls.filter((c) => progressEventOf(c) !== undefined);
    const requestTokens = new Set(accepted.map((c) => progressEventOf(c)!.RequestToken));
    if (requestTokens.size > 1) violations.push({ rule: 'client-token', message: `ClientToken ${clientToken} was answered with ${requestTokens.size} requests: ${[...requestTokens].join(', ')} (calls ${accepted.map((c) => `#${c.id}`).join(', ')})` });
    const inputs = new Set(accepted.map(inputFingerprint));
    if (inputs.size > 1) violations.push({ rule: 'client-token', message: `ClientToken ${clientToken} was accepted for different inputs (calls ${accepted.map((c) => `#${c.id}`).join(', ')})` });
    for (const first of accepted) {
      for (const later of calls.filter((c) => c.sentAt > first.answeredAt)) {
        const same = inputFingerprint(later) === inputFingerprint(first);
        const got = progressEventOf(later)?.RequestToken ?? errorCodeOf(later) ?? `HTTP ${later.status}`;
        const want = same ? progressEventOf(first)!.RequestToken : 'ClientTokenConflictException';
        if (got !== want) violations.push({ rule: 'client-token', message: `call #${later.id} resent ClientToken ${clientToken} of call #${first.id} (${same ? 'same' : 'different'} input) after it was accepted: expected ${want}, got ${got}` });
      }
    }
    for (const conflict of calls.filter((c) => errorCodeOf(c) === 'ClientTokenConflictException')) {
      if (!accepted.some((c) => inputFingerprint(c) !== inputFingerprint(conflict))) {
        violations.push({ rule: 'client-token', message: `call #${conflict.id} got ClientTokenConflictException, but ClientToken ${clientToken} was never accepted for another input` });
      }
    }
  }
  return violations;
}

/** Every acknowledged RequestToken is still found: by GetResourceRequestStatus on every node, its timeline, and ListResourceRequests. */
function checkNothingLost(history: RunHistory, acknowledged: Map<string, CallRecord>): Violation[] {
  const violations: Violation[] = [];
  const listed = new Set(history.listed.map((s) => s.RequestToken));
  for (const [token, call] of acknowledged) {
    for (const read of history.statusReads.filter((r) => r.token === token && r.event === undefined)) {
      violations.push({ rule: 'nothing-lost', message: `${token} (acknowledged to call #${call.id}): GetResourceRequestStatus on node ${read.node} answered ${read.errorCode}` });
    }
    if (history.timelines[token] === null) violations.push({ rule: 'nothing-lost', message: `${token} (acknowledged to call #${call.id}): no timeline` });
    if (!listed.has(token)) violations.push({ rule: 'nothing-lost', message: `${token} (acknowledged to call #${call.id}): missing from ListResourceRequests` });
  }
  return violations;
}

/** A ConcurrentOperationException names the request holding that resource. */
function checkLockHolders(history: RunHistory): Violation[] {
  const violations: Violation[] = [];
  const identifierOf = new Map(history.listed.map((s) => [s.RequestToken, s.Identifier]));
  for (const call of history.calls.filter((c) => errorCodeOf(c) === 'ConcurrentOperationException')) {
    const holder = /RequestToken\s+([-A-Za-z0-9+/=]+)/.exec(String(call.body.Message ?? ''))?.[1];
    if (holder === undefined || identifierOf.get(holder) !== call.resource) {
      violations.push({ rule: 'one-in-flight', message: `call #${call.id} on ${call.resource} was refused as held by ${holder ?? '(no token)'}, which is not a request on that resource` });
    }
  }
  return violations;
}

/** The last ProgressEvent GetResourceRequestStatus showed per token (the reads after everything settled). */
function lastShown(history: RunHistory): Map<string, ProgressEventView> {
  const last = new Map<string, ProgressEventView>();
  for (const read of [...history.statusReads].sort((a, b) => a.answeredAt - b.answeredAt)) if (read.event) last.set(read.token, read.event);
  return last;
}

function acceptedRequest(summary: ProgressEventView, call: CallRecord | undefined, finalStatus: Map<string, string>, shown: ProgressEventView | undefined): AcceptedRequest {
  const request: AcceptedRequest = {
    token: summary.RequestToken,
    operation: summary.Operation as AcceptedRequest['operation'],
    status: finalStatus.get(summary.RequestToken) ?? summary.OperationStatus,
  };
  const errorCode = shown?.ErrorCode ?? summary.ErrorCode;
  if (errorCode !== undefined) request.errorCode = errorCode;
  if (call?.operation === 'CreateResource') request.desired = JSON.parse(call.input.DesiredState!) as Record<string, unknown>;
  if (call?.operation === 'UpdateResource') request.patch = JSON.parse(call.input.PatchDocument!) as AcceptedRequest['patch'];
  return request;
}

function checkFinalModels(history: RunHistory, acknowledged: Map<string, CallRecord>, listedByResource: Map<string, ProgressEventView[]>, finalStatus: Map<string, string>): { violations: Violation[]; resources: ResourceFacts[] } {
  const violations: Violation[] = [];
  const resources: ResourceFacts[] = [];
  const shown = lastShown(history);
  for (const resource of history.resources) {
    const listed = [...(listedByResource.get(resource) ?? [])].reverse();
    const unknown = listed.filter((s) => !acknowledged.has(s.RequestToken));
    // A request no call was answered with can only come from a call whose outcome is unknown (a fault answer).
    const uncertain = history.calls.some((c) => c.resource === resource && c.status >= 500 && isRetryableFault(c));
    if (!uncertain) for (const s of unknown) violations.push({ rule: 'final-model', message: `${resource}: ListResourceRequests shows ${s.RequestToken} (${s.Operation}), which no call was answered with` });
    const accepted = listed.map((s) => acceptedRequest(s, acknowledged.get(s.RequestToken), finalStatus, shown.get(s.RequestToken)));
    const verdict = possibleFinalStates(accepted);
    const actual = (history.finalModels[resource] ?? []).map((m) => (m === null ? null : project(m)));
    resources.push({ resource, accepted, verdict, actual });
    if (unknown.length > 0) continue;
    if (new Set(actual.map(canonical)).size > 1) violations.push({ rule: 'final-model', message: `${resource}: the nodes answer GetResource differently` });
    if (verdict.unexplained) {
      const r = verdict.unexplained;
      violations.push({ rule: 'final-model', message: `${resource}: no sequential order explains ${r.token} (${r.operation} ended ${r.status}${r.errorCode ? ` ${r.errorCode}` : ''})` });
      continue;
    }
    const possible = new Set(verdict.possible.map(canonical));
    if (actual[0] !== undefined && !possible.has(canonical(actual[0]))) {
      violations.push({ rule: 'final-model', message: `${resource}: GetResource shows a model its accepted requests, applied in acceptance order, cannot give (expected vs actual below)` });
    }
  }
  return { violations, resources };
}

export function checkHistory(history: RunHistory): CheckResult {
  const acknowledged = acknowledgedBy(history);
  const finalStatus = new Map<string, string>();
  const listedByResource = new Map<string, ProgressEventView[]>();
  for (const summary of history.listed) {
    const resource = summary.Identifier ?? '';
    listedByResource.set(resource, [...(listedByResource.get(resource) ?? []), summary]);
  }
  const violations = [
    ...checkAnswers(history),
    ...checkTerminalStatuses(history, acknowledged, finalStatus),
    ...checkOneInFlight(history, listedByResource),
    ...checkLockHolders(history),
    ...checkClientTokens(history),
    ...checkNothingLost(history, acknowledged),
  ];
  const models = checkFinalModels(history, acknowledged, listedByResource, finalStatus);
  violations.push(...models.violations);
  return { violations, resources: models.resources, finalStatus };
}
