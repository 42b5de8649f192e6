/**
 * The concurrency checker (harness.ts) on one `ccapi serve` with SQLite: random rounds of nearly
 * simultaneous Create/Update/Delete/Cancel calls and ClientToken replays, each run's history checked
 * against Cloud Control's rules. CCAPI_CONCURRENCY_RUNS=200 soaks; CCAPI_CONCURRENCY_SEED replays scenarios.
 */
import { after, before, test } from 'node:test';
import { startServer, type ServerProcess } from '../support/server.js';
import { CHECKER_FAULTS, CHECKER_SERVER_ARGS, checkConcurrency, RUNS } from './harness.js';

let server: ServerProcess;
before(async () => {
  server = await startServer({ faults: CHECKER_FAULTS, extraArgs: CHECKER_SERVER_ARGS });
});
after(() => server?.stop());

test(`SQLite: ${RUNS} random concurrent histories follow Cloud Control's rules`, { timeout: 30 * 60_000 }, async (t) => {
  const totals = await checkConcurrency([server.url]);
  t.diagnostic(JSON.stringify(totals));
});
