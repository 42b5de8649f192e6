/**
 * `ccapi faults ls|set FILE|clear`: the fault rules of a running server, through PUT/GET/DELETE /_ccapi/faults.
 * The server keeps them in its database, so they hold across restarts and for every node of a cluster.
 */
import type { Command } from 'commander';
import { readFileSync } from 'node:fs';
import { CliError } from './catalogue.js';
import { addAdminTokenOption, addConnectionOptions, adminCall, type ConnectionOptions } from './client/connection.js';
import { renderJson, renderTable } from './client/output.js';
import { writeOut } from './stdout.js';

/** GET /_ccapi/faults: the configuration with each rule's remaining count on this node. */
interface FaultsView {
  seed?: number;
  rules: Record<string, unknown>[];
  remaining: (number | null)[];
}

const RULE_COLUMNS = ['typeName', 'operation', 'delayMs', 'errorCode', 'apiError', 'statusMessage', 'count', 'probability'] as const;

function show(view: FaultsView, options: ConnectionOptions): void {
  if (options.output === 'json') return writeOut(renderJson(view));
  if (view.rules.length === 0) return writeOut('no fault rules\n');
  const headers = ['#', ...RULE_COLUMNS.map((c) => c.toUpperCase()), 'REMAINING'];
  const rows = view.rules.map((rule, i) => [String(i), ...RULE_COLUMNS.map((c) => (rule[c] === undefined ? undefined : String(rule[c]))), view.remaining[i] === null ? 'unlimited' : String(view.remaining[i])]);
  writeOut((view.seed === undefined ? '' : `seed ${view.seed}\n`) + renderTable(headers, rows));
}

export function registerFaults(program: Command): void {
  const faults = program.command('faults').description('Fault and latency injection rules of a running server');
  const client = (command: Command) => addAdminTokenOption(addConnectionOptions(command, { signing: false }));
  client(faults.command('ls').description('Show the rules in force')).action(async (options: ConnectionOptions) => show(await adminCall<FaultsView>(options, 'GET', '/_ccapi/faults'), options));
  client(faults.command('set').argument('<file>', 'JSON file: {"seed"?: n, "rules": [...]} (see README, "Fault injection")').description('Replace the rules'))
    .action(async (file: string, options: ConnectionOptions) => {
      let text: string;
      try {
        text = readFileSync(file, 'utf8');
      } catch (error) {
        throw new CliError(`cannot read ${file}: ${(error as Error).message}`);
      }
      // The server validates (and names the bad field); sent as read, so its message points into the file.
      show(await adminCall<FaultsView>(options, 'PUT', '/_ccapi/faults', text), options);
    });
  client(faults.command('clear').description('Remove every rule')).action(async (options: ConnectionOptions) => show(await adminCall<FaultsView>(options, 'DELETE', '/_ccapi/faults'), options));
}
