/** `ccapi serve`: runs the server until SIGTERM/SIGINT; every option also reads an environment variable. */
import { Option, type Command } from 'commander';
import { readFileSync } from 'node:fs';
import { FaultConfigError, parseFaultConfig, type FaultConfig } from '../engine/faults.js';
import { loadCredentials } from '../auth/credentials.js';
import { createLogger, defaultLogFormat, LOG_FORMATS, LOG_LEVELS, type LogFormat } from '../lib/logger.js';
import { explainStartUpError } from './start-up-errors.js';
import { summarizeCatalogue } from '../registry/layered.js';
import { DEFAULT_DATABASE, DEFAULT_HOST, DEFAULT_PORT, startApp } from '../server/app.js';
import { DEFAULT_MAX_CONNECTIONS, OVER_CAP_HEADROOM } from '../server/connection-cap.js';
import { addCatalogueOptions, fail, openCatalogue, type CatalogueOptions } from './catalogue.js';
import { addCustomOptions, loadCustomOptions, type CustomOptions } from './custom-options.js';
import { DEFAULT_REFERENCE_MODE, REFERENCE_MODES, type ReferenceMode } from '../providers/references/policy.js';
import { readSeedFiles, SeedFileError } from './seed-file.js';
import { SeedError, type SeedEntry } from '../api/seed.js';

function loadFaults(file: string): FaultConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    fail(`cannot read the faults file ${file}: ${(error as Error).message}`);
  }
  try {
    return parseFaultConfig(JSON.parse(text));
  } catch (error) {
    if (error instanceof SyntaxError) fail(`the faults file ${file} is not valid JSON: ${error.message}`);
    if (error instanceof FaultConfigError) fail(`invalid faults file ${file}: ${error.message}`);
    throw error;
  }
}

function parsePort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`invalid port ${value}`);
  return port;
}

interface ServeOptions extends CatalogueOptions, CustomOptions {
  host: string;
  port: number;
  database: string;
  faults?: string;
  logLevel: string;
  logFormat: LogFormat;
  credentials?: string;
  adminToken?: string;
  allowUnauthenticated?: boolean;
  rateLimit?: number;
  bodyLimit?: number;
  maxConnections: number;
  references: ReferenceMode;
  seed: string[];
  defaultVpc: boolean;
}

/** Every --seed FILE's entries; a bad file ends the start with its file, entry and reason. */
function loadSeeds(files: string[]): SeedEntry[] {
  try {
    return readSeedFiles(files);
  } catch (error) {
    if (error instanceof SeedFileError || error instanceof SeedError) fail(error.message);
    throw error;
  }
}

/** Open mode is for one developer's machine: anything else that can reach the port could act as any account. */
function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/** A boolean from the environment: only an explicit yes counts ("false" or "0" must not open a server). */
function envFlag(name: string): boolean {
  return /^(1|true|yes|on)$/i.test(process.env[name] ?? '');
}

function parsePositive(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`expected a positive number, got ${value}`);
  return n;
}

function parseCount(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`--max-connections: expected a positive whole number, got ${value}`);
  return n;
}

function parseBytes(value: string): number {
  const bytes = parsePositive(value);
  if (!Number.isInteger(bytes)) throw new Error(`expected a whole number of bytes, got ${value}`);
  return bytes;
}

export function registerServe(program: Command, version: string): void {
  const serve = program
    .command('serve')
    .description('Run the Cloud Control API server')
    .addOption(new Option('--host <host>', 'address to listen on').env('CCAPI_HOST').default(DEFAULT_HOST))
    .addOption(new Option('--port <port>', 'port to listen on (0 picks a free one)').env('CCAPI_PORT').default(DEFAULT_PORT).argParser(parsePort))
    .addOption(new Option('--database <db>', 'SQLite file path, sqlite:PATH, :memory:, postgres://user:pass@host:port/db, or postgres: (PG* variables)').env('CCAPI_DATABASE').default(DEFAULT_DATABASE))
    .addOption(new Option('--faults <file>', 'JSON file of fault and latency injection rules').env('CCAPI_FAULTS'))
    .addOption(new Option('--log-level <level>', 'log level (logs go to stderr)').env('CCAPI_LOG_LEVEL').choices(LOG_LEVELS).default('info'))
    .addOption(
      new Option('--log-format <format>', 'pretty: one readable line per entry, coloured on a terminal; json: one JSON object per line')
        .env('CCAPI_LOG_FORMAT')
        .choices(LOG_FORMATS)
        .default(defaultLogFormat(), 'pretty when stderr is a terminal, json otherwise'),
    )
    .addOption(new Option('--credentials <file>', 'JSON list of {accessKeyId, secretAccessKey, accountId, sessionToken?}: every call must be SigV4-signed by one').env('CCAPI_CREDENTIALS'))
    .addOption(new Option('--admin-token <token>', 'bearer token for /_ccapi/* admin routes when credentials are set').env('CCAPI_ADMIN_TOKEN'))
    .addOption(new Option('--allow-unauthenticated', 'serve without credentials on a non-loopback address (anyone who reaches it can act as any account); env CCAPI_ALLOW_UNAUTHENTICATED=true'))
    .addOption(new Option('--rate-limit <n>', 'requests per second per account; excess calls get ThrottlingException').env('CCAPI_RATE_LIMIT').argParser(parsePositive))
    .addOption(new Option('--body-limit <bytes>', 'largest request body accepted; larger ones get 413 (default 1 MiB)').env('CCAPI_BODY_LIMIT').argParser(parseBytes))
    .addOption(
      new Option('--max-connections <n>', `open connections served at once; past it, new ones get 503 ServiceUnavailable (past n+${OVER_CAP_HEADROOM} they are closed unanswered)`)
        .env('CCAPI_MAX_CONNECTIONS')
        .default(DEFAULT_MAX_CONNECTIONS)
        .argParser(parseCount),
    )
    .addOption(new Option('--references <mode>', 'references to missing resources: strict fails the request as AWS does, warn accepts and records it, off skips checks').env('CCAPI_REFERENCES').choices(REFERENCE_MODES).default(DEFAULT_REFERENCE_MODE))
    .addOption(
      new Option('--seed <file>', 'JSON or YAML file of resources to create at start (repeatable): {"resources": [{"typeName", "properties", "account"?, "region"?}]}')
        .default([])
        .argParser((file: string, previous: string[]) => [...previous, file]),
    )
    .addOption(new Option('--no-default-vpc', "don't give each account and Region a default VPC on first use; env CCAPI_NO_DEFAULT_VPC=true"));
  addCustomOptions(addCatalogueOptions(serve)).action(async (opts: ServeOptions, command: Command) => {
    const logger = createLogger(opts.logLevel, opts.logFormat);
    const faults = opts.faults ? loadFaults(opts.faults) : undefined;
    const seeds = loadSeeds(opts.seed);
    const defaultVpc = opts.defaultVpc && !envFlag('CCAPI_NO_DEFAULT_VPC');
    let credentials;
    if (opts.credentials) {
      try {
        credentials = loadCredentials(opts.credentials);
      } catch (error) {
        fail((error as Error).message);
      }
    } else if (!isLoopback(opts.host) && !opts.allowUnauthenticated && !envFlag('CCAPI_ALLOW_UNAUTHENTICATED')) {
      fail(
        `refusing to listen on ${opts.host} without credentials: anyone who can reach it could act as any account. ` +
          'Give --credentials FILE (SigV4 verification), listen on 127.0.0.1, or pass --allow-unauthenticated if you really mean it.',
      );
    }
    // Opened before the database, so a wrong --schemas path fails fast and touches nothing.
    const { catalogue } = openCatalogue(command, opts, (warning) => logger.warn({ catalogue: 'registry' }, warning));
    const custom = await loadCustomOptions(command, opts, logger);
    let app;
    try {
      app = await startApp({
        host: opts.host,
        port: opts.port,
        database: opts.database,
        logger,
        catalogue,
        ...(faults ? { faults } : {}),
        ...(credentials ? { credentials } : {}),
        ...(opts.adminToken ? { adminToken: opts.adminToken } : {}),
        ...(opts.rateLimit ? { rateLimit: opts.rateLimit } : {}),
        ...(opts.bodyLimit ? { bodyLimit: opts.bodyLimit } : {}),
        maxConnections: opts.maxConnections,
        references: opts.references,
        defaultVpc,
        ...(seeds.length ? { seeds } : {}),
        ...(custom.customTypes ? { customTypes: custom.customTypes } : {}),
        ...(custom.hooks ? { hooks: custom.hooks } : {}),
        ...(custom.stepBudgetMs !== undefined ? { stepBudgetMs: custom.stepBudgetMs } : {}),
      });
    } catch (error) {
      fail(explainStartUpError(error, { host: opts.host, port: opts.port, database: opts.database }));
    }
    const seedNote = app.seeded ? `; seeds: ${app.seeded.created} created, ${app.seeded.existing} already there` : '';
    const faultNote = faults ? `; ${faults.rules.length} fault rule(s) from ${opts.faults}` : '';
    const authNote = credentials ? `; SigV4 required (${credentials.size} credential(s))` : '; open mode (signatures not checked)';
    process.stdout.write(
      `ccapi ${version} listening on ${app.url} (database ${app.store.description}; catalogue: ${summarizeCatalogue(app.catalogue)}${custom.summary}${seedNote}${faultNote}${authNote})\n`,
    );
    let signals = 0;
    const shutdown = (signal: string) => {
      if (++signals > 1) process.exit(130); // a second Ctrl-C means "now"
      logger.info({ signal }, 'shutting down: draining HTTP requests, finishing the current step');
      app.stop().then(
        () => process.exit(0),
        (error) => {
          logger.error({ err: error }, 'shutdown failed');
          process.exit(1);
        },
      );
    };
    process.on('SIGTERM', () => shutdown('SIGTERM'));
    process.on('SIGINT', () => shutdown('SIGINT'));
  });
}
