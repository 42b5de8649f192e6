/**
 * `ccapi types check DIR...`: loads custom type folders exactly as `ccapi serve --types` does and says, per
 * folder, whether the type loads and why not, without starting a server. Exit status 1 when any fails, so
 * it can gate a CI job.
 */
import type { Command } from 'commander';
import { loadCustomTypes } from '../providers/custom-types.js';
import { typeConfigOption, typeConfigurationFrom } from './custom-options.js';

interface CheckOptions {
  typeConfig?: string;
  json?: boolean;
}

export function registerTypesCheck(types: Command): void {
  types
    .command('check')
    .description('Load custom type folders as `ccapi serve --types` would and report what is wrong, without a server')
    .argument('<dir...>', 'type folders (schema.json + handlers.js) or folders of them')
    .addOption(typeConfigOption())
    .option('--json', 'print JSON: {"types": [{"typeName", "origin"}], "errors": [{"path", "message"}], "warnings": [...]}')
    .action(async (dirs: string[], opts: CheckOptions) => {
      const loaded = await loadCustomTypes(dirs, typeConfigurationFrom(opts.typeConfig) ?? {});
      const types = loaded.catalogue.typeNames().map((typeName) => ({ typeName, origin: loaded.catalogue.get(typeName)!.origin ?? '' }));
      if (opts.json) {
        process.stdout.write(`${JSON.stringify({ types, errors: loaded.errors, warnings: loaded.warnings }, null, 2)}\n`);
      } else {
        for (const t of types) process.stdout.write(`ok      ${t.typeName}  (${t.origin})\n`);
        for (const e of loaded.errors) process.stdout.write(`FAILED  ${e.path}: ${e.message}\n`);
        for (const w of loaded.warnings) process.stdout.write(`warning ${w}\n`);
        process.stdout.write(`${types.length} loaded, ${loaded.errors.length} failed\n`);
      }
      if (loaded.errors.length > 0) process.exitCode = 1;
    });
}
