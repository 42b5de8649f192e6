/**
 * A failing run as a person reads it: the violations, each resource's accepted requests in acceptance
 * order with the expected and actual models, and every call with its times, node, input and answer.
 */
import type { CheckResult } from './checker.js';
import { errorCodeOf, progressEventOf, type CallRecord, type RunHistory } from './history.js';
import { canonical } from './model.js';

const MAX_EXPECTED_SHOWN = 4;

function answerOf(call: CallRecord): string {
  if (call.status === 0) return `no answer (${call.networkError})`;
  const event = progressEventOf(call);
  if (event) return `${event.OperationStatus} ${event.RequestToken}`;
  return `${call.status} ${errorCodeOf(call) ?? ''}: ${String(call.body.Message ?? JSON.stringify(call.body))}`;
}

function inputOf(call: CallRecord): string {
  const { TypeName: _type, ...rest } = call.input;
  const parts = Object.entries(rest).map(([k, v]) => `${k}=${v}`);
  return parts.join(' ');
}

export function formatRun(history: RunHistory, result: CheckResult): string {
  const t0 = Math.min(...history.calls.map((c) => c.sentAt));
  const at = (ms: number) => `+${ms - t0}`;
  const lines: string[] = [];
  lines.push(`run ${history.runId} on ${history.nodes} node(s): ${result.violations.length} violation(s)`);
  for (const v of result.violations) lines.push(`  [${v.rule}] ${v.message}`);
  const callFor = new Map<string, CallRecord>();
  for (const call of history.calls) {
    const token = call.operation === 'CancelResourceRequest' ? undefined : progressEventOf(call)?.RequestToken;
    if (token && !callFor.has(token)) callFor.set(token, call);
  }
  for (const facts of result.resources) {
    if (facts.accepted.length === 0) continue;
    lines.push('', `resource ${facts.resource}: accepted requests in acceptance order (ms from the first call)`);
    facts.accepted.forEach((r, i) => {
      const timeline = history.timelines[r.token] ?? [];
      const span = timeline.length ? `${at(timeline[0]!.eventTime)}..${at(timeline[timeline.length - 1]!.eventTime)}` : '?';
      const call = callFor.get(r.token);
      const what = r.operation === 'UPDATE' ? JSON.stringify(r.patch) : r.operation === 'CREATE' ? JSON.stringify(r.desired) : '';
      lines.push(`  ${i + 1}. ${r.token} ${r.operation} ${r.status}${r.errorCode ? ` ${r.errorCode}` : ''} active ${span}${call ? ` (call #${call.id}, node ${call.node})` : ''} ${what}`);
    });
    const expected = facts.verdict.possible.map(canonical);
    lines.push(`  expected (${expected.length === 1 ? 'exactly' : `one of ${expected.length}`}):`);
    for (const e of expected.slice(0, MAX_EXPECTED_SHOWN)) lines.push(`    ${e}`);
    if (expected.length > MAX_EXPECTED_SHOWN) lines.push(`    … and ${expected.length - MAX_EXPECTED_SHOWN} more`);
    facts.actual.forEach((a, node) => lines.push(`  actual (GetResource on node ${node}): ${canonical(a)}`));
  }
  lines.push('', 'calls: #id round node sent..answered operation input → answer');
  for (const call of history.calls) {
    lines.push(`  #${call.id} r${call.round} n${call.node} ${at(call.sentAt)}..${at(call.answeredAt)} ${call.operation}${call.replayOf !== undefined ? ` (replay of #${call.replayOf})` : ''} ${inputOf(call)} → ${answerOf(call)}`);
  }
  return lines.join('\n');
}
