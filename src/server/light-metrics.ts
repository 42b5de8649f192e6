/**
 * Counters and histograms for the hot path, exposed through a prom-client Registry. prom-client's own
 * observe() validates and hashes the labels on every call (1.6 µs per histogram observation, 0.6 µs per
 * counter increment, measured here), which a GetResourceRequestStatus poll would pay three times over. Here
 * the label values are resolved once to a cell, and an observation is a bucket search and three additions.
 * The Registry only asks a metric for its name, help, type and values (prom-client registry.js,
 * getMetricsAsString), so these register like its own metrics and render the same text.
 */

interface MetricValue {
  metricName?: string;
  labels: Record<string, string | number>;
  value: number;
}

interface Exposed {
  name: string;
  help: string;
  type: 'counter' | 'histogram';
  values: MetricValue[];
  aggregator: 'sum';
}

export interface CounterCell {
  inc(by?: number): void;
}

export interface HistogramCell {
  observe(value: number): void;
}

abstract class LightMetric<Cell> {
  protected readonly cells = new Map<string, { labels: Record<string, string>; cell: Cell }>();

  constructor(
    readonly name: string,
    readonly help: string,
    readonly labelNames: readonly string[],
  ) {}

  /** A metric without labels shows its zeros before its first observation, as prom-client's do. */
  protected exposeUnlabelled(): void {
    if (this.labelNames.length === 0) this.cell();
  }

  /** The cell of these label values (in labelNames order); keep it, and observing costs no lookup at all. */
  cell(...values: string[]): Cell {
    const key = values.join('\u0000');
    let entry = this.cells.get(key);
    if (entry === undefined) {
      const labels: Record<string, string> = {};
      this.labelNames.forEach((name, i) => (labels[name] = values[i] ?? ''));
      entry = { labels, cell: this.makeCell() };
      this.cells.set(key, entry);
    }
    return entry.cell;
  }

  protected abstract makeCell(): Cell;
  abstract get(): Exposed;
}

export class LightCounter extends LightMetric<CounterCell & { value: number }> {
  readonly type = 'counter';

  constructor(name: string, help: string, labelNames: readonly string[]) {
    super(name, help, labelNames);
    this.exposeUnlabelled();
  }

  protected makeCell() {
    const cell = {
      value: 0,
      inc(by = 1) {
        cell.value += by;
      },
    };
    return cell;
  }

  get(): Exposed {
    const values = [...this.cells.values()].map(({ labels, cell }) => ({ labels, value: cell.value }));
    return { name: this.name, help: this.help, type: 'counter', values, aggregator: 'sum' };
  }
}

interface HistogramState extends HistogramCell {
  counts: Float64Array;
  sum: number;
  count: number;
}

export class LightHistogram extends LightMetric<HistogramState> {
  readonly type = 'histogram';

  constructor(
    name: string,
    help: string,
    labelNames: readonly string[],
    private readonly buckets: readonly number[],
  ) {
    super(name, help, labelNames);
    this.exposeUnlabelled();
  }

  protected makeCell(): HistogramState {
    const buckets = this.buckets;
    const state: HistogramState = {
      counts: new Float64Array(buckets.length),
      sum: 0,
      count: 0,
      observe(value: number) {
        // Per bucket, not cumulative: the cumulative counts are summed at scrape time.
        let i = 0;
        while (i < buckets.length && value > buckets[i]!) i++;
        if (i < buckets.length) state.counts[i]!++;
        state.sum += value;
        state.count++;
      },
    };
    return state;
  }

  get(): Exposed {
    const values: MetricValue[] = [];
    for (const { labels, cell } of this.cells.values()) {
      let cumulative = 0;
      this.buckets.forEach((le, i) => {
        cumulative += cell.counts[i]!;
        values.push({ metricName: `${this.name}_bucket`, labels: { le, ...labels }, value: cumulative });
      });
      values.push({ metricName: `${this.name}_bucket`, labels: { le: '+Inf', ...labels }, value: cell.count });
      values.push({ metricName: `${this.name}_sum`, labels, value: cell.sum });
      values.push({ metricName: `${this.name}_count`, labels, value: cell.count });
    }
    return { name: this.name, help: this.help, type: 'histogram', values, aggregator: 'sum' };
  }
}
