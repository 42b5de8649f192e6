/**
 * The access log: at `info`, one line per API call (operation, type, identifier or request token, outcome
 * or error code, milliseconds) and one per request status change (token, from → to, step, error code),
 * read from the observer's events. Each entry nests its details under one key (`call`, `change`, `polls`)
 * for machines, and says them all in its message for people.
 *
 * GetResourceRequestStatus polls are summarised, not logged one by one: a waiter polls every few seconds
 * and a load test thousands of times a second, and a line per poll would drown the lines that matter and
 * cost the hot path a formatted write each. The first poll of a token is logged at once, like any call;
 * later polls of it are counted, and every POLL_SUMMARY_MS one line per token says how many came, their
 * errors, and their mean and worst latency. A token with no polls for a whole window is forgotten, so its
 * next poll is logged at once again. Status changes are logged as they happen, so the summary never hides
 * one. At `debug`, every poll is logged as well.
 */
import type { Logger } from '../lib/logger.js';
import type { ApiCallEvent, ObservedEvent, Observer, TransitionEvent } from '../engine/observer.js';

export const POLL_SUMMARY_MS = 10_000;
/** Tokens tracked at once; polls of further tokens are only counted (a flood of distinct tokens stays bounded). */
const MAX_TRACKED_TOKENS = 10_000;
const STATUS_POLL = 'GetResourceRequestStatus';

interface PollTally {
  count: number;
  totalMs: number;
  maxMs: number;
  errors: Record<string, number>;
}

const round = (ms: number) => Math.round(ms * 10) / 10;

export class AccessLog {
  private readonly polls = new Map<string, PollTally>();
  private untracked = 0;
  private readonly timer: NodeJS.Timeout;
  private readonly unsubscribe: () => void;
  private readonly info: boolean;
  private readonly debug: boolean;

  constructor(
    observer: Observer,
    private readonly log: Logger,
  ) {
    this.info = log.isLevelEnabled('info');
    this.debug = log.isLevelEnabled('debug');
    this.unsubscribe = this.info ? observer.subscribe((event) => this.observe(event)) : () => {};
    this.timer = setInterval(() => this.summarisePolls(), POLL_SUMMARY_MS);
    this.timer.unref();
  }

  private observe(event: ObservedEvent): void {
    if (event.kind === 'call') {
      if (event.operation === STATUS_POLL && event.requestToken !== undefined && !this.debug) this.poll(event, event.requestToken);
      else this.call(event);
    } else if (event.kind === 'transition') {
      this.change(event);
    }
  }

  private call(event: ApiCallEvent): void {
    const outcome = event.errorCode ?? 'OK';
    const call: Record<string, unknown> = { operation: event.operation, outcome, httpStatus: event.httpStatus, ms: round(event.ms) };
    const words = [event.operation];
    if (event.typeName !== undefined) words.push((call.typeName = event.typeName));
    if (event.identifier !== undefined) words.push((call.identifier = event.identifier));
    if (event.requestToken !== undefined) words.push(`token ${(call.requestToken = event.requestToken)}`);
    this.log.info({ call }, `${words.join(' ')} → ${outcome} ${call.ms} ms`);
  }

  private poll(event: ApiCallEvent, token: string): void {
    const tally = this.polls.get(token);
    if (tally === undefined) {
      if (this.polls.size >= MAX_TRACKED_TOKENS) return void this.untracked++;
      this.polls.set(token, { count: 0, totalMs: 0, maxMs: 0, errors: {} });
      return this.call(event);
    }
    tally.count++;
    tally.totalMs += event.ms;
    if (event.ms > tally.maxMs) tally.maxMs = event.ms;
    if (event.errorCode !== undefined) tally.errors[event.errorCode] = (tally.errors[event.errorCode] ?? 0) + 1;
  }

  private change(event: TransitionEvent): void {
    // A step that leaves the status as it was (IN_PROGRESS with a callback delay) is not a change.
    if (event.from === event.to && !this.debug) return;
    const change: Record<string, unknown> = { requestToken: event.token, typeName: event.typeName, operation: event.operation, from: event.from ?? null, to: event.to, step: event.step };
    if (event.errorCode !== undefined) change.errorCode = event.errorCode;
    const code = event.errorCode !== undefined ? ` ${event.errorCode}` : '';
    const line = `request ${event.token} ${event.operation} ${event.typeName}: ${event.from ?? 'accepted'} → ${event.to} (step ${event.step})${code}`;
    if (event.from === event.to) this.log.debug({ change }, line);
    else this.log.info({ change }, line);
  }

  /** One line per token polled since the last summary; tokens idle for a whole window are forgotten. */
  private summarisePolls(): void {
    const seconds = POLL_SUMMARY_MS / 1000;
    for (const [token, tally] of this.polls) {
      if (tally.count === 0) {
        this.polls.delete(token);
        continue;
      }
      const errors = Object.entries(tally.errors);
      const polls: Record<string, unknown> = { requestToken: token, count: tally.count, meanMs: round(tally.totalMs / tally.count), maxMs: round(tally.maxMs), windowSeconds: seconds };
      if (errors.length > 0) polls.errors = tally.errors;
      const errorNote = errors.length > 0 ? `, errors ${errors.map(([code, n]) => `${code}×${n}`).join(' ')}` : '';
      this.log.info({ polls }, `${STATUS_POLL} token ${token}: ${tally.count} more poll(s) in ${seconds} s, mean ${polls.meanMs} ms, max ${polls.maxMs} ms${errorNote}`);
      this.polls.set(token, { count: 0, totalMs: 0, maxMs: 0, errors: {} });
    }
    if (this.untracked > 0) {
      this.log.info({ polls: { untracked: this.untracked, windowSeconds: seconds } }, `${STATUS_POLL}: ${this.untracked} poll(s) of tokens past the ${MAX_TRACKED_TOKENS} tracked`);
      this.untracked = 0;
    }
  }

  /** Stops listening, and says what the polls since the last summary were. */
  stop(): void {
    clearInterval(this.timer);
    this.unsubscribe();
    this.summarisePolls();
  }
}
