#!/usr/bin/env node
/**
 * The `ccapi` command: `serve` runs the server, `schemas pull` caches AWS's official schema bundle,
 * `types ls|describe` shows the catalogue. Each command lives in src/cli/.
 */
import { Command } from 'commander';
import { readFileSync } from 'node:fs';
import { fail } from './cli/catalogue.js';
import { registerMigrate } from './cli/migrate.js';
import { registerSchemas } from './cli/schemas.js';
import { registerServe } from './cli/serve.js';
import { registerTypes } from './cli/types.js';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };

const program = new Command('ccapi').description('A self-hostable implementation of the AWS Cloud Control API').version(pkg.version);
registerServe(program, pkg.version);
registerSchemas(program);
registerTypes(program);
registerMigrate(program);

program.parseAsync(process.argv).catch((error) => fail((error as Error).message));
