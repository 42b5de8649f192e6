#!/usr/bin/env -S node --max-semi-space-size=4
// --max-semi-space-size=4: V8 otherwise grows the young generation to 3 x 16 MB under a busy server's
// allocation rate, about 40 MB of resident memory that buys no measurable throughput here (bench/README.md).
// `npm start` passes the same flag; `node dist/cli.js` without it works too, with a larger footprint.
/**
 * The `ccapi` command: `serve` runs the server, `schemas pull` caches AWS's official schema bundle,
 * `types ls|describe` shows the catalogue; `requests`, `resources`, `faults` and `reset` are clients of a
 * running server. Each command lives in src/cli/.
 */
import { Command } from 'commander';
import { readFileSync } from 'node:fs';
import { fail } from './cli/catalogue.js';
import { registerMigrate } from './cli/migrate.js';
import { registerSchemas } from './cli/schemas.js';
import { registerServe } from './cli/serve.js';
import { registerTypes } from './cli/types.js';
import { registerRequests } from './cli/requests.js';
import { registerResources } from './cli/resources.js';
import { registerFaults } from './cli/faults.js';
import { registerReset } from './cli/reset.js';
import { endQuietlyWhenReaderLeaves, keepRunningWhenReaderLeaves } from './cli/stdout.js';

endQuietlyWhenReaderLeaves();

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };

const program = new Command('ccapi').description('A self-hostable implementation of the AWS Cloud Control API').version(pkg.version);
registerServe(program, pkg.version);
registerSchemas(program);
registerTypes(program);
registerMigrate(program);
registerRequests(program);
registerResources(program);
registerFaults(program);
registerReset(program);
// A server keeps running when whoever read its start-up line goes away (stdout.ts).
program.hook('preAction', (_program, command) => {
  if (command.name() === 'serve') keepRunningWhenReaderLeaves();
});

program.parseAsync(process.argv).catch((error) => fail((error as Error).message));
