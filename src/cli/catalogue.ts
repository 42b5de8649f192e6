/**
 * What the commands share: the error exit, and the catalogue options (`--schemas`, the cached bundle) that
 * `serve` and `types` resolve the same way, so `ccapi types ls` shows exactly what `ccapi serve` would serve.
 */
import { Option, type Command } from 'commander';
import { delimiter } from 'node:path';
import { openSchemaBundle, SchemaBundleError } from '../registry/bundle.js';
import { openBuiltInCatalogue } from '../registry/catalogue.js';
import { layerCatalogues, type CatalogueLayer, type LayeredCatalogue } from '../registry/layered.js';
import { defaultRegion, findCachedBundle } from '../registry/schema-cache.js';

/** An error the user can act on: printed as `ccapi: <message>`, exit status 1, no stack. */
export class CliError extends Error {
  override name = 'CliError';
}

export function fail(message: string): never {
  process.stderr.write(`ccapi: ${message}\n`);
  process.exit(1);
}

export interface CatalogueOptions {
  schemas?: string[];
  cachedSchemas: boolean;
  cacheDir?: string;
}

const collect = (value: string, previous: string[] | undefined) => [...(previous ?? []), value];

export function cacheDirOption(): Option {
  return new Option('--cache-dir <dir>', 'where "ccapi schemas pull" keeps bundles (default: $XDG_CACHE_HOME/ccapi/schemas, ~/.cache/ccapi/schemas)').env('CCAPI_CACHE_DIR');
}

export function addCatalogueOptions(command: Command): Command {
  return command
    .addOption(
      new Option(
        '--schemas <path>',
        `registry schemas over the built-in catalogue: CloudformationSchema.zip, a folder of schema files, or one; repeatable, later wins (in the environment, paths separated by "${delimiter}")`,
      )
        .env('CCAPI_SCHEMAS')
        .argParser(collect),
    )
    .addOption(new Option('--no-cached-schemas', 'without --schemas, ignore the bundle "ccapi schemas pull" cached for the default region'))
    .addOption(cacheDirOption());
}

/** The schema paths asked for: `--schemas` values, or CCAPI_SCHEMAS split on the path delimiter. */
export function schemaPaths(command: Command, options: CatalogueOptions): string[] {
  const values = options.schemas ?? [];
  // Commander hands the environment variable over as one value; only there do several paths share a string.
  const fromEnv = command.getOptionValueSource('schemas') === 'env';
  return (fromEnv ? values.flatMap((v) => v.split(delimiter)) : values).filter((p) => p !== '');
}

export interface OpenedCatalogue {
  catalogue: LayeredCatalogue;
  /** The cached bundle used because no schemas were given, if any. */
  cachedBundle?: string;
}

/**
 * The built-in catalogue with the asked-for schema bundles over it, in order; with none asked for, the bundle
 * cached for the default region when there is one. Throws CliError when a bundle cannot be opened.
 */
export function openCatalogue(command: Command, options: CatalogueOptions, onWarning?: (message: string) => void): OpenedCatalogue {
  let paths = schemaPaths(command, options);
  let cachedBundle: string | undefined;
  if (paths.length === 0 && options.cachedSchemas) {
    cachedBundle = findCachedBundle(defaultRegion(), options.cacheDir);
    if (cachedBundle) paths = [cachedBundle];
  }
  const layers: CatalogueLayer[] = [openBuiltInCatalogue()];
  for (const path of paths) {
    try {
      layers.push(openSchemaBundle(path, onWarning ? { onWarning } : {}));
    } catch (error) {
      if (!(error instanceof SchemaBundleError)) throw error;
      const hint = cachedBundle ? ' (the bundle cached by "ccapi schemas pull": pull it again, or pass --no-cached-schemas)' : '';
      throw new CliError(`${error.message}${hint}`);
    }
  }
  return { catalogue: layerCatalogues(layers), ...(cachedBundle ? { cachedBundle } : {}) };
}
