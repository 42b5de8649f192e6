/**
 * The status views of finished requests, remembered by each node. A request that reached SUCCESS, FAILED or
 * CANCEL_COMPLETE never changes again (the state machine has no way out of a terminal status), so a view read
 * once is the answer every node would read from the database until the request is purged, and a purged
 * request is past retention, which the engine already answers as not found from the view's terminalAt. Views
 * of requests still in flight are never kept: another node may change them at any moment.
 *
 * Bounded; the oldest entries go first.
 */
import type { RequestStatusView } from '../../domain/records.js';

export const TERMINAL_STATUS_CACHE_SIZE = 4096;

export class TerminalStatuses {
  private readonly views = new Map<string, RequestStatusView>();

  constructor(private readonly capacity = TERMINAL_STATUS_CACHE_SIZE) {}

  get(token: string): RequestStatusView | undefined {
    return this.views.get(token);
  }

  /** Keeps `view` if its request has finished; anything else is ignored. */
  offer(token: string, view: RequestStatusView): void {
    if (view.terminalAt === undefined) return;
    if (this.views.size >= this.capacity && !this.views.has(token)) this.views.delete(this.views.keys().next().value!);
    this.views.set(token, view);
  }

  /** Forgets every view (a reset deleted the requests). */
  clear(): void {
    this.views.clear();
  }

  /** Drops the views of requests that ended before `time` (they are being purged). */
  forgetEndedBefore(time: number): void {
    for (const [token, view] of this.views) if (view.terminalAt! < time) this.views.delete(token);
  }
}
