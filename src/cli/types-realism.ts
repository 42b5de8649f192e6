/**
 * `ccapi types realism [TYPE...]`: creates each type the catalogue holds (or the ones named) the way the
 * generic provider would, from a model with only its required properties, and reports how each read-only
 * attribute was formed: by a cited rule (providers/formats/), by a rule derived from the schema or the service
 * spec, or still a free random string. The count of random attributes is the measure of what is left to do.
 */
import { Option, type Command } from 'commander';
import { cryptoIds } from '../lib/ids.js';
import { resolveSchema, typeOf, conformNumber, conformString } from '../providers/conform.js';
import { allFormats } from '../providers/formats/catalogue.js';
import { completeModel } from '../providers/generic.js';
import type { Provenance } from '../providers/realism.js';
import type { ResourceType } from '../registry/types.js';
import { addCatalogueOptions, CliError, openCatalogue, type CatalogueOptions } from './catalogue.js';

interface RealismOptions extends CatalogueOptions {
  covered?: boolean;
  json?: boolean;
  all?: boolean;
}

type Kind = Provenance | 'absent';

export interface TypeRealism {
  typeName: string;
  covered: boolean;
  attributes: Record<string, Kind>;
  counts: Record<Kind, number>;
}

/**
 * A placeholder for a required property: enough for the templates that name it, shaped by its schema. A required
 * array gets one item, as a caller's would (an SNS topic policy names at least one topic).
 */
function placeholder(type: ResourceType, name: string): unknown {
  return placeholderFor(type, resolveSchema(type, type.schema.properties[name] as Record<string, unknown>), name);
}

function placeholderFor(type: ResourceType, schema: Record<string, unknown> | undefined, name: string): unknown {
  switch (typeOf(schema)) {
    case 'integer':
      return conformNumber(schema, true);
    case 'number':
      return conformNumber(schema, false);
    case 'boolean':
      return false;
    case 'array': {
      const items = resolveSchema(type, schema?.items as Record<string, unknown> | undefined);
      return typeOf(items) === 'array' ? [] : [placeholderFor(type, items, name)];
    }
    case 'object':
      return {};
    default:
      return conformString(schema, `example-${name.toLowerCase()}`);
  }
}

export function realismOf(type: ResourceType): TypeRealism {
  const desired: Record<string, unknown> = {};
  const readOnly = new Set(type.schema.readOnlyProperties ?? []);
  for (const name of type.schema.required ?? []) if (!readOnly.has(`/properties/${name}`)) desired[name] = placeholder(type, name);
  const provenance = new Map<string, Provenance>();
  const rc = { typeName: type.typeName, accountId: '123456789012', region: 'us-east-1', partition: 'aws', ids: cryptoIds, now: Date.now() };
  completeModel(type, desired, rc, provenance);
  const format = allFormats().get(type.typeName);
  const attributes: Record<string, Kind> = {};
  for (const pointer of readOnly) {
    const path = pointer.split('/').slice(2).join('.');
    // Read-only members inside arrays (`/properties/Rules/*/Id`) exist only where the caller made the array.
    if (pointer.includes('/*')) continue;
    const top = path.split('.')[0]!;
    attributes[path] = provenance.get(path) ?? (path === top ? 'absent' : provenance.get(top) ?? 'absent');
  }
  const counts: Record<Kind, number> = { cited: 0, derived: 0, random: 0, absent: 0 };
  for (const kind of Object.values(attributes)) counts[kind] += 1;
  return { typeName: type.typeName, covered: format !== undefined, attributes, counts };
}

function table(rows: TypeRealism[]): string {
  const width = Math.max(4, ...rows.map((r) => r.typeName.length)) + 2;
  const head = `${'TYPE'.padEnd(width)}${['CITED', 'DERIVED', 'RANDOM', 'ABSENT'].map((h) => h.padStart(8)).join('')}  RANDOM ATTRIBUTES\n`;
  return head + rows.map((r) => {
    const random = Object.entries(r.attributes).filter(([, k]) => k === 'random').map(([a]) => a);
    return `${r.typeName.padEnd(width)}${[r.counts.cited, r.counts.derived, r.counts.random, r.counts.absent].map((n) => String(n).padStart(8)).join('')}  ${random.join(', ')}\n`;
  }).join('');
}

function totals(rows: TypeRealism[]): Record<Kind, number> {
  const sum: Record<Kind, number> = { cited: 0, derived: 0, random: 0, absent: 0 };
  for (const r of rows) for (const kind of Object.keys(sum) as Kind[]) sum[kind] += r.counts[kind];
  return sum;
}

export function registerTypesRealism(types: Command): void {
  addCatalogueOptions(
    types
      .command('realism')
      .description('How realistic created resources are: per type, read-only attributes formed by a cited rule, a derived rule, or at random')
      .argument('[type...]', 'type names (default: every type in the catalogue)')
      .addOption(new Option('--covered', 'only the types with a cited format (providers/formats/)'))
      .option('--all', 'list every type, not only those with random attributes')
      .option('--json', 'print JSON: {"types": [{"typeName", "covered", "attributes", "counts"}], "totals", "coveredTotals"}'),
  ).action((names: string[], opts: RealismOptions, command: Command) => {
    const { catalogue } = openCatalogue(command, opts);
    for (const name of names) if (!catalogue.has(name)) throw new CliError(`no resource type ${name} in the catalogue`);
    const selected = (names.length > 0 ? names : catalogue.typeNames()).filter((name) => !opts.covered || allFormats().has(name));
    const rows = selected.map((name) => realismOf(catalogue.get(name)!));
    const covered = rows.filter((r) => r.covered);
    if (opts.json) {
      process.stdout.write(`${JSON.stringify({ types: rows, totals: totals(rows), coveredTotals: totals(covered) }, null, 2)}\n`);
      return;
    }
    const shown = opts.all || names.length > 0 ? rows : rows.filter((r) => r.counts.random > 0);
    if (shown.length > 0) process.stdout.write(table(shown));
    const line = (label: string, list: TypeRealism[]) => {
      const t = totals(list);
      return `${label}: ${list.length} types; read-only attributes ${t.cited} cited, ${t.derived} derived, ${t.random} random, ${t.absent} absent (objects not invented)\n`;
    };
    process.stdout.write(line('all', rows));
    process.stdout.write(line('covered by a cited format', covered));
  });
}
