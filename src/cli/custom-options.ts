/**
 * The `serve` options for platform teams' own types: `--types DIR` (repeatable), `--type-config FILE`,
 * `--hooks FILE` and `--handler-timeout SECONDS`, loaded before the server starts. A broken type folder is
 * reported on stderr and skipped (the others load); an unreadable config or hooks file stops the start.
 */
import { Option, type Command } from 'commander';
import { delimiter } from 'node:path';
import type { Logger } from '../lib/logger.js';
import { HooksFileError, loadHooksFile, type HookDefinition } from '../hooks/definitions.js';
import { loadCustomTypes, readTypeConfiguration, type CustomTypes } from '../providers/custom-types.js';
import { fail } from './catalogue.js';

export interface CustomOptions {
  types?: string[];
  typeConfig?: string;
  hooks?: string;
  handlerTimeout?: number;
}

const collect = (value: string, previous: string[] | undefined) => [...(previous ?? []), value];

function parseSeconds(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`expected a positive number of seconds, got ${value}`);
  return n;
}

export function addCustomOptions(command: Command): Command {
  return command
    .addOption(
      new Option('--types <dir>', `custom resource types: a type folder (schema.json + handlers.js) or a folder of them; repeatable (in the environment, separated by "${delimiter}")`)
        .env('CCAPI_TYPES')
        .argParser(collect),
    )
    .addOption(new Option('--type-config <file>', 'JSON object of per-type configuration, keyed by type name, passed to handlers as typeConfiguration').env('CCAPI_TYPE_CONFIG'))
    .addOption(new Option('--hooks <file>', 'JSON file of pre-provision hooks (declarative rules or JavaScript modules)').env('CCAPI_HOOKS'))
    .addOption(new Option('--handler-timeout <seconds>', 'time budget of one handler step or read/list call (default 60)').env('CCAPI_HANDLER_TIMEOUT').argParser(parseSeconds));
}

export interface LoadedCustomOptions {
  customTypes?: CustomTypes;
  hooks?: HookDefinition[];
  stepBudgetMs?: number;
  /** For the start-up line: "; 1 custom type folder(s) failed to load (see above); 3 hooks from hooks.json". */
  summary: string;
}

export async function loadCustomOptions(command: Command, options: CustomOptions, logger: Logger): Promise<LoadedCustomOptions> {
  const fromEnv = command.getOptionValueSource('types') === 'env';
  const dirs = (fromEnv ? (options.types ?? []).flatMap((v) => v.split(delimiter)) : (options.types ?? [])).filter((d) => d !== '');
  const loaded: LoadedCustomOptions = { summary: '' };
  const notes: string[] = [];
  let typeConfiguration: Record<string, unknown> | undefined;
  if (options.typeConfig) {
    try {
      typeConfiguration = readTypeConfiguration(options.typeConfig);
    } catch (error) {
      fail((error as Error).message);
    }
  }
  if (dirs.length > 0) {
    const custom = await loadCustomTypes(dirs, {
      ...(typeConfiguration ? { typeConfiguration, typeConfigurationSource: options.typeConfig! } : {}),
      logger,
    });
    for (const warning of custom.warnings) logger.warn({ types: 'custom' }, warning);
    // Said on stderr in plain words as well as in the log: a type that did not load is what an author needs to see.
    for (const error of custom.errors) process.stderr.write(`ccapi: custom type not loaded: ${error.path}: ${error.message}\n`);
    loaded.customTypes = custom;
    // The catalogue summary already counts the loaded ones; say here what did not load.
    if (custom.errors.length) notes.push(`${custom.errors.length} custom type folder(s) failed to load (see above)`);
  } else if (typeConfiguration) {
    logger.warn({}, '--type-config given without --types: nothing uses it');
  }
  if (options.hooks) {
    try {
      loaded.hooks = await loadHooksFile(options.hooks);
    } catch (error) {
      if (error instanceof HooksFileError) fail(error.message);
      throw error;
    }
    notes.push(`${loaded.hooks.length} ${loaded.hooks.length === 1 ? 'hook' : 'hooks'} from ${options.hooks}`);
  }
  if (options.handlerTimeout !== undefined) loaded.stepBudgetMs = Math.round(options.handlerTimeout * 1000);
  loaded.summary = notes.map((n) => `; ${n}`).join('');
  return loaded;
}
