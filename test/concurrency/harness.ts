/**
 * Runs the concurrency checker against running nodes: fast-check draws scenarios, the driver plays each on
 * the nodes, the checker judges the history, and a failure throws the readable run (report.ts).
 *
 * Shrinking is off (endOnFailure): a race does not replay deterministically, so a shrunk scenario would
 * mostly pass and shrinking would only burn minutes. The seed fast-check prints replays the same
 * scenarios (CCAPI_CONCURRENCY_SEED), not the same timing.
 */
import fc from 'fast-check';
import { checkHistory } from './checker.js';
import { playScenario } from './driver.js';
import { formatRun } from './report.js';
import { scenario } from './scenario.js';

/** Scenarios per backend in `npm test`: a few seconds each. CCAPI_CONCURRENCY_RUNS=200 is a soak. */
const DEFAULT_RUNS = 8;

export const RUNS = Number(process.env.CCAPI_CONCURRENCY_RUNS ?? DEFAULT_RUNS);
const SEED = process.env.CCAPI_CONCURRENCY_SEED === undefined ? undefined : Number(process.env.CCAPI_CONCURRENCY_SEED);

/**
 * Small injected delays keep some requests in flight, so the per-resource lock and cancels are exercised;
 * most updates run undelayed, which is where two nearly simultaneous updates race. A few fail on purpose.
 * The PRNG seed makes each node's choices reproducible in order (see README, fault injection).
 */
export const CHECKER_FAULTS = {
  seed: 11,
  rules: [
    { typeName: 'AWS::Logs::LogGroup', operation: 'UPDATE', delayMs: 50, probability: 0.2 },
    { typeName: 'AWS::Logs::LogGroup', operation: 'UPDATE', errorCode: 'InternalFailure', statusMessage: 'injected by the concurrency checker', probability: 0.05 },
    { typeName: 'AWS::Logs::LogGroup', operation: 'CREATE', delayMs: 30, probability: 0.3 },
    { typeName: 'AWS::Logs::LogGroup', operation: 'DELETE', delayMs: 40, probability: 0.5 },
  ],
};

/** Server flags every checker node gets: the built-in catalogue only, so a cached schema bundle changes nothing. */
export const CHECKER_SERVER_ARGS = ['--no-cached-schemas'];

export interface CheckerTotals {
  runs: number;
  calls: number;
  /** Requests the server accepted (ListResourceRequests), and how many of them were updates. */
  accepted: number;
  updates: number;
  /** Requests that ended CANCEL_COMPLETE. */
  cancelled: number;
}

/** Plays RUNS scenarios on the nodes; throws fast-check's report (seed, scenario, our readable run) on a violation. */
export async function checkConcurrency(urls: string[], runs = RUNS): Promise<CheckerTotals> {
  const totals: CheckerTotals = { runs: 0, calls: 0, accepted: 0, updates: 0, cancelled: 0 };
  const property = fc.asyncProperty(scenario({ nodes: urls.length, maxResources: 3, maxRounds: 6 }), async (s) => {
    const history = await playScenario(urls, s);
    const result = checkHistory(history);
    totals.runs += 1;
    totals.calls += history.calls.length;
    totals.accepted += history.listed.length;
    totals.updates += history.listed.filter((r) => r.Operation === 'UPDATE').length;
    totals.cancelled += [...result.finalStatus.values()].filter((s) => s === 'CANCEL_COMPLETE').length;
    if (result.violations.length > 0) throw new Error(formatRun(history, result));
  });
  await fc.assert(property, { numRuns: runs, endOnFailure: true, includeErrorInReport: true, ...(SEED !== undefined ? { seed: SEED } : {}) });
  return totals;
}
