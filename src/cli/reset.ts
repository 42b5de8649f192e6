/**
 * `ccapi reset [--account A] [--region R]`: forget the resources and requests of a running server, of every
 * tenant or one (POST /_ccapi/reset, src/server/reset.ts). No prompt: test suites call it between tests.
 */
import { Option, type Command } from 'commander';
import { addAdminTokenOption, addConnectionOptions, adminCall, type ConnectionOptions } from './client/connection.js';
import { renderJson } from './client/output.js';
import { writeOut } from './stdout.js';

interface ResetOptions extends ConnectionOptions {
  account?: string;
}

export function registerReset(program: Command): void {
  addAdminTokenOption(
    addConnectionOptions(
      program
        .command('reset')
        .description('Forget resources and requests: all of them, or one account and/or region\'s (fault rules stay)')
        .addOption(new Option('--account <id>', 'only this account'))
        .addOption(new Option('--region <region>', 'only this region')),
      { signing: false },
    ),
  ).action(async (options: ResetOptions) => {
    const tenant = { ...(options.account ? { accountId: options.account } : {}), ...(options.region ? { region: options.region } : {}) };
    const answer = await adminCall<{ forgotten: { requests: number; resources: number } }>(options, 'POST', '/_ccapi/reset', tenant);
    if (options.output === 'json') return writeOut(renderJson(answer));
    const whose = [options.account && `account ${options.account}`, options.region && `region ${options.region}`].filter(Boolean).join(', ') || 'every account and region';
    writeOut(`forgot ${answer.forgotten.requests} request(s) and ${answer.forgotten.resources} resource(s) of ${whose}\n`);
  });
}
