/**
 * The options for platform teams' own types: `--types DIR` (repeatable) and `--type-config FILE`, shared by
 * `serve`, `types ls|describe` and `types check`, plus `serve`'s `--hooks FILE` and `--handler-timeout
 * SECONDS`. A broken type folder is reported on stderr and skipped (the others load); an unreadable config
 * or hooks file stops the command.
 */
import { Option, type Command } from 'commander';
import { delimiter } from 'node:path';
import type { Logger } from '../lib/logger.js';
import { HooksFileError, loadHooksFile, type HookDefinition } from '../engine/hooks/definitions.js';
import { loadCustomTypes, readTypeConfiguration, type CustomTypes } from '../providers/custom-types.js';
import { CliError } from './catalogue.js';

export interface CustomTypeOptions {
  types?: string[];
  typeConfig?: string;
}

export interface CustomOptions extends CustomTypeOptions {
  hooks?: string;
  handlerTimeout?: number;
}

const collect = (value: string, previous: string[] | undefined) => [...(previous ?? []), value];

function parseSeconds(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`expected a positive number of seconds, got ${value}`);
  return n;
}

export function typeConfigOption(): Option {
  return new Option('--type-config <file>', 'JSON object of per-type configuration, keyed by type name, passed to handlers as typeConfiguration').env('CCAPI_TYPE_CONFIG');
}

/** `--types` and `--type-config`. */
export function addCustomTypeOptions(command: Command): Command {
  return command
    .addOption(
      new Option('--types <dir>', `custom resource types: a type folder (schema.json + handlers.js) or a folder of them; repeatable (in the environment, separated by "${delimiter}")`)
        .env('CCAPI_TYPES')
        .argParser(collect),
    )
    .addOption(typeConfigOption());
}

/** `serve`'s: the custom-type options, `--hooks` and `--handler-timeout`. */
export function addCustomOptions(command: Command): Command {
  return addCustomTypeOptions(command)
    .addOption(new Option('--hooks <file>', 'JSON file of pre-provision hooks (declarative rules or JavaScript modules)').env('CCAPI_HOOKS'))
    .addOption(new Option('--handler-timeout <seconds>', 'time budget of one handler step or read/list call (default 60)').env('CCAPI_HANDLER_TIMEOUT').argParser(parseSeconds));
}

/** `--type-config FILE` read and checked; a CliError when it cannot be. */
export function typeConfigurationFrom(file: string | undefined): { typeConfiguration: Record<string, unknown>; typeConfigurationSource: string } | undefined {
  if (!file) return undefined;
  try {
    return { typeConfiguration: readTypeConfiguration(file), typeConfigurationSource: file };
  } catch (error) {
    throw new CliError((error as Error).message);
  }
}

/**
 * Loads the custom types the options name (undefined when none), exactly as `serve` does. A folder that
 * does not load is said on stderr, in plain words as well as in the log: it is what an author needs to see.
 */
export async function loadCustomTypeOptions(command: Command, options: CustomTypeOptions, logger?: Logger): Promise<CustomTypes | undefined> {
  // Commander hands the environment variable over as one value; only there do several folders share a string.
  const fromEnv = command.getOptionValueSource('types') === 'env';
  const dirs = (fromEnv ? (options.types ?? []).flatMap((v) => v.split(delimiter)) : (options.types ?? [])).filter((d) => d !== '');
  const config = typeConfigurationFrom(options.typeConfig);
  if (dirs.length === 0) {
    if (config) logger?.warn({}, '--type-config given without --types: nothing uses it');
    return undefined;
  }
  const custom = await loadCustomTypes(dirs, { ...config, ...(logger ? { logger } : {}) });
  for (const warning of custom.warnings) logger?.warn({ types: 'custom' }, warning);
  for (const error of custom.errors) process.stderr.write(`ccapi: custom type not loaded: ${error.path}: ${error.message}\n`);
  return custom;
}

export interface LoadedCustomOptions {
  customTypes?: CustomTypes;
  hooks?: HookDefinition[];
  stepBudgetMs?: number;
  /** For the start-up line: "; 1 custom type folder(s) failed to load (see above); 3 hooks from hooks.json". */
  summary: string;
}

export async function loadCustomOptions(command: Command, options: CustomOptions, logger: Logger): Promise<LoadedCustomOptions> {
  const loaded: LoadedCustomOptions = { summary: '' };
  const notes: string[] = [];
  const custom = await loadCustomTypeOptions(command, options, logger);
  if (custom) {
    loaded.customTypes = custom;
    // The catalogue summary already counts the loaded ones; say here what did not load.
    if (custom.errors.length) notes.push(`${custom.errors.length} custom type folder(s) failed to load (see above)`);
  }
  if (options.hooks) {
    try {
      loaded.hooks = await loadHooksFile(options.hooks);
    } catch (error) {
      if (error instanceof HooksFileError) throw new CliError(error.message);
      throw error;
    }
    notes.push(`${loaded.hooks.length} ${loaded.hooks.length === 1 ? 'hook' : 'hooks'} from ${options.hooks}`);
  }
  if (options.handlerTimeout !== undefined) loaded.stepBudgetMs = Math.round(options.handlerTimeout * 1000);
  loaded.summary = notes.map((n) => `; ${n}`).join('');
  return loaded;
}
