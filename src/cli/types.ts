/**
 * `ccapi types ls` and `ccapi types describe`: the catalogue `ccapi serve` would use (same options), read
 * locally, with where each type's definition comes from. No server needed.
 */
import { Option, type Command } from 'commander';
import { layerCatalogues, type LayerDescription, type LayeredCatalogue } from '../registry/layered.js';
import { addCustomTypeOptions, loadCustomTypeOptions, type CustomTypeOptions } from './custom-options.js';
import type { ResourceType } from '../registry/types.js';
import { SCHEMA_HANDLER_KEYS } from '../domain/vocabulary.js';
import { addCatalogueOptions, CliError, openCatalogue, type CatalogueOptions } from './catalogue.js';
import { registerTypesInit } from './types-init.js';
import { registerTypesCheck } from './types-check.js';
import { registerTypesRealism } from './types-realism.js';

/** The CLI's word for a source: `builtin` rather than the catalogue's `aws-service-spec`. */
export function sourceLabel(layer: LayerDescription): string {
  return layer.source === 'aws-service-spec' ? 'builtin' : layer.source;
}

/** The catalogue serve would use, custom types included. */
async function catalogueWithCustomTypes(command: Command, opts: CatalogueOptions & CustomTypeOptions): Promise<LayeredCatalogue> {
  const { catalogue } = openCatalogue(command, opts);
  const custom = await loadCustomTypeOptions(command, opts);
  return custom ? layerCatalogues([...catalogue.layers, custom.catalogue]) : catalogue;
}

interface LsOptions extends CatalogueOptions, CustomTypeOptions {
  source?: 'builtin' | 'registry' | 'custom';
  prefix?: string;
  json?: boolean;
}

interface DescribeOptions extends CatalogueOptions, CustomTypeOptions {
  json?: boolean;
}


function describeType(type: ResourceType, layer: LayerDescription, overrides: LayerDescription[]): string {
  const schema = type.schema;
  const builtIn = layer.source === 'aws-service-spec';
  const pointers = (list: string[] | undefined) => (list && list.length > 0 ? `${list.length}: ${list.join(', ')}` : '0');
  const description = schema.description?.split('\n')[0]?.trim();
  const missing = SCHEMA_HANDLER_KEYS.filter((h) => !type.hasHandler(h));
  const properties = Object.keys(schema.properties);
  const rows: [string, string | undefined][] = [
    ['source', sourceLabel(layer)],
    ['origin', type.origin ?? layer.origin],
    ['overrides', overrides.length > 0 ? overrides.map((l) => `${sourceLabel(l)} (${l.origin})`).join(', ') : undefined],
    ['description', description && description.length > 160 ? `${description.slice(0, 157)}...` : description],
    ['primaryIdentifier', schema.primaryIdentifier.join(', ')],
    ['additionalIds', schema.additionalIdentifiers?.map((ids) => ids.join(' + ')).join('; ')],
    ['handlers', `${SCHEMA_HANDLER_KEYS.filter((h) => type.hasHandler(h)).join(', ') || 'none'}${missing.length > 0 ? ` (none for ${missing.join(', ')})` : ''}`],
    ['properties', `${properties.length} (required: ${schema.required?.join(', ') || 'none'})`],
    ['readOnly', pointers(schema.readOnlyProperties)],
    ['createOnly', pointers(schema.createOnlyProperties)],
    // The built-in catalogue is derived from a spec that does not record write-only properties: say so.
    ['writeOnly', builtIn && !schema.writeOnlyProperties ? 'unknown (not recorded by the built-in catalogue)' : pointers(schema.writeOnlyProperties)],
    ['taggable', schema.tagging ? `${schema.tagging.taggable === false ? 'no' : 'yes'}${schema.tagging.tagProperty ? ` (${schema.tagging.tagProperty})` : ''}` : undefined],
  ];
  const width = Math.max(...rows.map(([k]) => k.length)) + 2;
  return [type.typeName, ...rows.filter(([, v]) => v !== undefined).map(([k, v]) => `  ${k.padEnd(width)}${v}`)].join('\n') + '\n';
}

export function registerTypes(program: Command): void {
  const types = program.command('types').description('The resource types ccapi serves, and where their definitions come from');

  addCustomTypeOptions(addCatalogueOptions(
    types
      .command('ls')
      .description('List resource types: name, source (builtin or registry) and origin of the definition in force')
      .addOption(new Option('--source <source>', 'only types whose definition comes from this source').choices(['builtin', 'registry', 'custom']))
      .addOption(new Option('--prefix <prefix>', 'only types whose name starts with this (case-sensitive), e.g. AWS::S3::'))
      .option('--json', 'print JSON: [{"typeName", "source", "origin"}]'),
  )).action(async (opts: LsOptions, command: Command) => {
    const catalogue = await catalogueWithCustomTypes(command, opts);
    const rows: { typeName: string; source: string; origin: string }[] = [];
    for (const typeName of catalogue.typeNames()) {
      if (opts.prefix && !typeName.startsWith(opts.prefix)) continue;
      const layer = catalogue.layerOf(typeName)!;
      const source = sourceLabel(layer);
      if (opts.source && source !== opts.source) continue;
      rows.push({ typeName, source, origin: layer.origin });
    }
    if (opts.json) {
      process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
      return;
    }
    const nameWidth = Math.max(0, ...rows.map((r) => r.typeName.length)) + 2;
    const sourceWidth = Math.max(0, ...rows.map((r) => r.source.length)) + 2;
    process.stdout.write(rows.map((r) => `${r.typeName.padEnd(nameWidth)}${r.source.padEnd(sourceWidth)}${r.origin}\n`).join(''));
    if (rows.length === 0) process.stderr.write('ccapi: no types match\n');
  });

  addCustomTypeOptions(addCatalogueOptions(
    types
      .command('describe')
      .description("Summarize a resource type's schema: source, origin, identifiers, handlers, property kinds")
      .argument('<type>', 'type name, e.g. AWS::S3::Bucket (case-sensitive, as on AWS)')
      .option('--json', 'print the full schema'),
  )).action(async (typeName: string, opts: DescribeOptions, command: Command) => {
    const catalogue = await catalogueWithCustomTypes(command, opts);
    const found = catalogue.locate(typeName);
    if (!found) {
      const lower = typeName.toLowerCase();
      const near = catalogue.typeNames().find((name) => name.toLowerCase() === lower);
      throw new CliError(`no resource type ${typeName} in the catalogue${near ? ` (type names are case-sensitive: did you mean ${near}?)` : ''}`);
    }
    if (opts.json) process.stdout.write(`${JSON.stringify(found.type.schema, null, 2)}\n`);
    else process.stdout.write(describeType(found.type, found.layer, found.overrides));
  });

  registerTypesInit(types);
  registerTypesCheck(types);
  registerTypesRealism(types);
}
