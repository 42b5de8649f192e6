/**
 * The fault rules in force, kept in the store (issue #16): rules set through PUT /_ccapi/faults outlive a
 * restart, and every node sharing a PostgreSQL database applies the same ones.
 *
 * How a change reaches the other nodes: each node polls the stored version (a primary-key read of one row,
 * every `pollMs`, 1 s by default) and loads the rules when it moved on. So a change made on one node is in
 * force on every node within one poll interval plus a read. Polling rather than LISTEN/NOTIFY because it
 * is bounded by itself: a notification lost with a dropped connection would leave a node on old rules
 * until the next change, and the poll costs one indexed read a second.
 *
 * What is per node: a rule's `count` and the `probability` draws. Each node counts its own matches from
 * the moment it loads a version, so `count: 1` on a three-node cluster may fire up to three times (once
 * per node), and a restart starts the counts afresh. Sharing counters would put a database write on every
 * matching call.
 */
import type { Logger } from '../lib/logger.js';
import type { Store } from '../store/store.js';
import { parseFaultConfig, type FaultConfig, type FaultInjector } from './faults.js';

export const DEFAULT_FAULT_RULES_POLL_MS = 1_000;

export class PersistedFaultRules {
  /** The stored version this node applies; only a newer one replaces it (a poll answered late is ignored). */
  private version = -1;
  private timer: NodeJS.Timeout | undefined;
  private polling: Promise<void> | undefined;

  constructor(
    private readonly store: Store,
    private readonly injector: FaultInjector,
    private readonly log: Logger,
    private readonly pollMs = DEFAULT_FAULT_RULES_POLL_MS,
  ) {}

  /**
   * Loads the stored rules, or, when `fromFile` is given (serve --faults FILE), saves those as the rules in
   * force: the operator named them for this start. Then polls for changes made by other nodes.
   */
  async start(fromFile?: FaultConfig): Promise<void> {
    if (fromFile) await this.set(fromFile);
    else await this.refresh();
    this.timer = setInterval(() => void this.poll(), this.pollMs);
    this.timer.unref();
  }

  /** Saves `config` for every node and applies it here at once. */
  async set(config: FaultConfig): Promise<void> {
    const saved = await this.store.saveFaultRules(JSON.stringify(config));
    this.apply(saved.version, config);
  }

  clear(): Promise<void> {
    return this.set({ rules: [] });
  }

  private poll(): Promise<void> {
    // One poll at a time: a slow database must not pile them up.
    this.polling ??= this.refresh()
      .catch((error: unknown) => this.log.warn({ err: error }, 'could not read the stored fault rules; keeping the rules in force'))
      .finally(() => (this.polling = undefined));
    return this.polling;
  }

  private async refresh(): Promise<void> {
    const stored = await this.store.loadFaultRules();
    if (stored.version <= this.version) return;
    if (stored.config === undefined) {
      this.version = stored.version;
      return;
    }
    let config: FaultConfig;
    try {
      config = parseFaultConfig(JSON.parse(stored.config));
    } catch (error) {
      // Only a newer ccapi that added rule fields could have saved this; keep what is in force.
      this.version = stored.version;
      this.log.warn({ err: error, version: stored.version }, 'the stored fault rules are not valid for this version of ccapi; keeping the rules in force');
      return;
    }
    this.apply(stored.version, config);
  }

  private apply(version: number, config: FaultConfig): void {
    if (version <= this.version) return;
    this.version = version;
    this.injector.replace(config);
  }

  stop(): Promise<void> {
    clearInterval(this.timer);
    return this.polling ?? Promise.resolve();
  }
}
