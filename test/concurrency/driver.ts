/**
 * Plays a Scenario against running ccapi nodes with plain fetch (AWS JSON 1.0, open mode: no signature),
 * recording every call, then collects what the server shows once every request has settled: statuses
 * from every node, each request's timeline, ListResourceRequests, and GetResource per resource and node.
 */
import { randomBytes } from 'node:crypto';
import type { Action, Mutation, PatchPart, Scenario } from './scenario.js';
import { RETENTION_DAYS } from './scenario.js';
import { errorCodeOf, progressEventOf, TERMINAL, type CallRecord, type Operation, type ProgressEventView, type RunHistory, type StatusRead, type TimelineEntry } from './history.js';

export const TYPE_NAME = 'AWS::Logs::LogGroup';
/** Only catches a hang: a healthy server answers in milliseconds. */
const CALL_TIMEOUT_MS = 20_000;
/** Longest wait for every request of a run to reach a terminal status (injected delays are tens of ms). */
const SETTLE_DEADLINE_MS = 30_000;
const POLL_INTERVAL_MS = 15;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Answer {
  status: number;
  body: Record<string, unknown>;
  sentAt: number;
  answeredAt: number;
  networkError?: string;
}

async function post(url: string, operation: string, input: object): Promise<Answer> {
  const sentAt = Date.now();
  try {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': `CloudApiService.${operation}` },
      body: JSON.stringify(input),
      signal: AbortSignal.timeout(CALL_TIMEOUT_MS),
    });
    const text = await res.text();
    let body: Record<string, unknown>;
    try {
      body = text ? (JSON.parse(text) as Record<string, unknown>) : {};
    } catch {
      body = { unparsable: text.slice(0, 200) };
    }
    return { status: res.status, body, sentAt, answeredAt: Date.now() };
  } catch (error) {
    return { status: 0, body: {}, sentAt, answeredAt: Date.now(), networkError: (error as Error).message };
  }
}

/** One run: its own LogGroup names (so runs on one server never meet) and the log of calls. */
class Run {
  readonly calls: CallRecord[] = [];
  /** Acknowledged RequestTokens in the order their first answer arrived. */
  readonly acknowledged: string[] = [];
  private readonly seen = new Set<string>();
  private unique = 0;
  private round = 0;

  constructor(
    readonly runId: string,
    readonly urls: string[],
    readonly scenario: Scenario,
  ) {}

  /** Resource i's name; the one after the last is never created (a delete's conflicting replay names it). */
  name(resource: number): string {
    return `${this.runId}-r${resource}`;
  }

  get resources(): string[] {
    return Array.from({ length: this.scenario.resources + 1 }, (_, i) => this.name(i));
  }

  private next(): number {
    return ++this.unique;
  }

  async call(node: number, operation: Operation, input: Record<string, string>, extra: Partial<CallRecord> = {}): Promise<CallRecord> {
    const url = this.urls[node % this.urls.length]!;
    const answer = await post(url, operation, input);
    const record: CallRecord = { id: this.calls.length, round: this.round, node: node % this.urls.length, operation, input, ...extra, ...answer };
    if (answer.networkError === undefined) delete record.networkError;
    this.calls.push(record);
    const token = progressEventOf(record)?.RequestToken;
    if (token !== undefined && operation !== 'CancelResourceRequest' && !this.seen.has(token)) {
      this.seen.add(token);
      this.acknowledged.push(token);
    }
    return record;
  }

  patchDocument(parts: PatchPart[]): string {
    return JSON.stringify(
      parts.map((part) => {
        const n = this.next();
        switch (part.kind) {
          case 'retention':
            return { op: 'replace', path: '/RetentionInDays', value: part.days };
          case 'policy':
            return { op: 'add', path: '/DataProtectionPolicy', value: { Name: `${this.runId}-policy-${n}`, Version: '2021-06-01' } };
          case 'tag':
            return { op: 'add', path: '/Tags/-', value: { Key: `k${n}`, Value: `${this.runId}-${n}` } };
        }
      }),
    );
  }

  mutationInput(mutation: Mutation): { operation: Operation; input: Record<string, string> } {
    const name = this.name(mutation.resource);
    switch (mutation.op) {
      case 'create': {
        // Tags starts empty so that "/Tags/-" appends always apply; RetentionInDays is there for "replace".
        const desired = { LogGroupName: name, RetentionInDays: RETENTION_DAYS[this.next() % RETENTION_DAYS.length], Tags: [] };
        return { operation: 'CreateResource', input: { TypeName: TYPE_NAME, DesiredState: JSON.stringify(desired) } };
      }
      case 'update':
        return { operation: 'UpdateResource', input: { TypeName: TYPE_NAME, Identifier: name, PatchDocument: this.patchDocument(mutation.patch) } };
      case 'delete':
        return { operation: 'DeleteResource', input: { TypeName: TYPE_NAME, Identifier: name } };
    }
  }

  /** The same operation with a different input: what a reused ClientToken must be refused for. */
  conflictingInput(original: CallRecord): Record<string, string> {
    switch (original.operation) {
      case 'CreateResource': {
        const desired = JSON.parse(original.input.DesiredState!) as Record<string, unknown>;
        desired.RetentionInDays = desired.RetentionInDays === 1 ? 3 : 1;
        return { ...original.input, DesiredState: JSON.stringify(desired) };
      }
      case 'UpdateResource':
        return { ...original.input, PatchDocument: this.patchDocument([{ kind: 'tag' }]) };
      default:
        return { ...original.input, Identifier: this.name(this.scenario.resources) };
    }
  }

  async perform(action: Action): Promise<void> {
    switch (action.kind) {
      case 'mutate': {
        const { operation, input } = this.mutationInput(action.mutation);
        if (action.clientToken) input.ClientToken = `${this.runId}-ct${this.next()}`;
        const extra = { resource: input.Identifier ?? this.name(action.mutation.resource) };
        const sends = [this.call(action.node, operation, input, extra)];
        if (action.sendTwice) sends.push(sleep(1).then(() => this.call(action.node + 1, operation, input, extra)));
        const [first] = await Promise.all(sends);
        const token = progressEventOf(first!)?.RequestToken;
        if (action.cancelAfterMs !== undefined && token !== undefined) {
          await sleep(action.cancelAfterMs);
          await this.call(action.node, 'CancelResourceRequest', { RequestToken: token });
        }
        return;
      }
      case 'cancel': {
        if (this.acknowledged.length === 0) return;
        const token = this.acknowledged[this.acknowledged.length - 1 - (action.target % this.acknowledged.length)]!;
        await this.call(action.node, 'CancelResourceRequest', { RequestToken: token });
        return;
      }
      case 'replay': {
        const withToken = this.calls.filter((c) => c.input.ClientToken !== undefined && c.replayOf === undefined);
        if (withToken.length === 0) return;
        const original = withToken[action.target % withToken.length]!;
        const input = action.sameInput ? original.input : this.conflictingInput(original);
        await this.call(action.node, original.operation, input, { resource: input.Identifier ?? original.resource!, replayOf: original.id });
        return;
      }
    }
  }

  async play(): Promise<void> {
    // Each resource is created and waited for first, so the rounds find something to update.
    await Promise.all(
      Array.from({ length: this.scenario.resources }, async (_, i) => {
        const created = await this.call(i, 'CreateResource', this.mutationInput({ op: 'create', resource: i }).input, { resource: this.name(i) });
        const token = progressEventOf(created)?.RequestToken;
        if (token !== undefined) await this.pollUntilTerminal(token, i, []);
      }),
    );
    for (const round of this.scenario.rounds) {
      this.round += 1;
      await sleep(round.pauseMs);
      await Promise.all(round.actions.map((action) => sleep(action.offsetMs).then(() => this.perform(action))));
    }
  }

  async readStatus(token: string, node: number): Promise<StatusRead> {
    const answer = await post(this.urls[node]!, 'GetResourceRequestStatus', { RequestToken: token });
    const read: StatusRead = { token, node, sentAt: answer.sentAt, answeredAt: answer.answeredAt };
    if (answer.status === 200) read.event = answer.body.ProgressEvent as ProgressEventView;
    else read.errorCode = answer.networkError ?? errorCodeOf(answer) ?? `HTTP ${answer.status}`;
    return read;
  }

  async pollUntilTerminal(token: string, node: number, reads: StatusRead[]): Promise<void> {
    const deadline = Date.now() + SETTLE_DEADLINE_MS;
    for (;;) {
      const read = await this.readStatus(token, node % this.urls.length);
      reads.push(read);
      if (read.event === undefined || TERMINAL.has(read.event.OperationStatus) || Date.now() > deadline) return;
      await sleep(POLL_INTERVAL_MS);
    }
  }

  async timeline(token: string): Promise<TimelineEntry[] | null> {
    const res = await fetch(`${this.urls[0]}/_ccapi/requests/${encodeURIComponent(token)}/events`, { signal: AbortSignal.timeout(CALL_TIMEOUT_MS) });
    if (res.status === 404) return null;
    const body = (await res.json()) as { Events: { OperationStatus: string; EventTime: string; Detail: string; ErrorCode?: string }[] };
    return body.Events.map((e) => ({ OperationStatus: e.OperationStatus, eventTime: Date.parse(e.EventTime), Detail: e.Detail, ...(e.ErrorCode ? { ErrorCode: e.ErrorCode } : {}) }));
  }

  /** ListResourceRequests, newest first, until every acknowledged token was seen (or the list ends). */
  async listed(): Promise<ProgressEventView[]> {
    const names = new Set(this.resources);
    const missing = new Set(this.acknowledged);
    const mine: ProgressEventView[] = [];
    let nextToken: string | undefined;
    do {
      const answer = await post(this.urls[0]!, 'ListResourceRequests', { MaxResults: 100, ...(nextToken ? { NextToken: nextToken } : {}) });
      if (answer.status !== 200) throw new Error(`ListResourceRequests answered ${answer.status} ${JSON.stringify(answer.body)}`);
      for (const summary of answer.body.ResourceRequestStatusSummaries as ProgressEventView[]) {
        missing.delete(summary.RequestToken);
        if (names.has(summary.Identifier ?? '') || this.seen.has(summary.RequestToken)) mine.push(summary);
      }
      nextToken = answer.body.NextToken as string | undefined;
    } while (nextToken !== undefined && missing.size > 0);
    return mine;
  }

  async finalModel(name: string, node: number): Promise<Record<string, unknown> | null> {
    const answer = await post(this.urls[node]!, 'GetResource', { TypeName: TYPE_NAME, Identifier: name });
    if (answer.status === 200) return JSON.parse((answer.body.ResourceDescription as { Properties: string }).Properties) as Record<string, unknown>;
    if (errorCodeOf(answer) === 'ResourceNotFoundException') return null;
    throw new Error(`GetResource ${name} on node ${node} answered ${answer.status} ${answer.networkError ?? JSON.stringify(answer.body)}`);
  }

  async observe(): Promise<RunHistory> {
    const statusReads: StatusRead[] = [];
    await Promise.all(this.acknowledged.map((token, i) => this.pollUntilTerminal(token, i, statusReads)));
    // Read again from every node once all have settled: a terminal status must never change.
    for (let node = 0; node < this.urls.length; node++) {
      statusReads.push(...(await Promise.all(this.acknowledged.map((token) => this.readStatus(token, node)))));
    }
    const timelines: Record<string, TimelineEntry[] | null> = {};
    await Promise.all(this.acknowledged.map(async (token) => void (timelines[token] = await this.timeline(token))));
    const finalModels: Record<string, (Record<string, unknown> | null)[]> = {};
    await Promise.all(this.resources.map(async (name) => void (finalModels[name] = await Promise.all(this.urls.map((_, node) => this.finalModel(name, node))))));
    return { runId: this.runId, nodes: this.urls.length, resources: this.resources, calls: this.calls, statusReads, timelines, listed: await this.listed(), finalModels };
  }
}

/** Plays the scenario on the nodes (clients spread over them as the scenario says) and returns the history. */
export async function playScenario(urls: string[], scenario: Scenario): Promise<RunHistory> {
  const run = new Run(`cc${randomBytes(4).toString('hex')}`, urls, scenario);
  await run.play();
  return run.observe();
}
