/**
 * `ccapi types init Acme::Thing::Widget [DIR]`: writes a new custom resource type that `ccapi serve --types`
 * loads and that passes its own test as written (schema, handlers, test, README, sample type configuration).
 */
import type { Command } from 'commander';
import { existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { CliError } from './catalogue.js';
import { scaffoldFiles, scaffoldNames } from './scaffold/index.js';

/** Organization namespaces CloudFormation keeps for itself (RegisterType's documentation lists them). */
const RESERVED_NAMESPACES = ['Alexa', 'AMZN', 'Amazon', 'AWS', 'Custom', 'Dev'];
const SEGMENT = /^[A-Za-z0-9]{2,64}$/;

/** Checks a type name as CloudFormation does for a type it registers; throws CliError saying what is wrong. */
export function checkTypeName(typeName: string): void {
  const segments = typeName.split('::');
  const example = 'e.g. Acme::Thing::Widget';
  if (segments.length !== 3) {
    throw new CliError(`"${typeName}" is not a resource type name: it must be three parts separated by "::", Organization::Service::Resource (${example})`);
  }
  const bad = segments.find((segment) => !SEGMENT.test(segment));
  if (bad !== undefined) {
    throw new CliError(`"${typeName}" is not a resource type name: each part must be 2 to 64 letters or digits, and "${bad}" is not (${example})`);
  }
  const [organization, service, resource] = segments as [string, string, string];
  const reserved = RESERVED_NAMESPACES.find((name) => name.toLowerCase() === organization.toLowerCase());
  if (reserved !== undefined) {
    throw new CliError(
      `"${typeName}" uses the reserved namespace ${reserved} (CloudFormation reserves ${RESERVED_NAMESPACES.join(', ')}): name your organization first, e.g. Acme::${service}::${resource}`,
    );
  }
}

/** A path as the user would type it from here: relative below the working directory, absolute elsewhere. */
function displayPath(path: string): string {
  const rel = relative(process.cwd(), path);
  if (rel === '') return '.';
  return rel.startsWith('..') || isAbsolute(rel) ? path : rel;
}

/** Quoted for a POSIX shell when it needs to be, so the printed commands can be pasted. */
function shellQuote(text: string): string {
  return /^[\w@%+=:,./-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}

interface InitOptions {
  force?: boolean;
}

function init(typeName: string, dirArgument: string | undefined, options: InitOptions): void {
  checkTypeName(typeName);
  const names = scaffoldNames(typeName);
  const dir = resolve(dirArgument ?? join('types', names.folderName));
  const shown = shellQuote(displayPath(dir));

  let overwriting = false;
  if (existsSync(dir)) {
    if (!statSync(dir).isDirectory()) throw new CliError(`${shown} exists and is not a folder`);
    if (readdirSync(dir).length > 0) {
      if (!options.force) {
        throw new CliError(`${shown} already exists and is not empty: choose another folder, or pass --force to write the scaffold's files over the ones there (other files are left alone)`);
      }
      overwriting = true;
    }
  }

  const files = scaffoldFiles(names, shown);
  mkdirSync(dir, { recursive: true });
  for (const file of files) writeFileSync(join(dir, file.name), file.content);

  const width = Math.max(...files.map((f) => f.name.length)) + 2;
  const serve = `ccapi serve --types ${shown} --type-config ${shellQuote(displayPath(join(dir, 'type-config.json')))}`;
  process.stdout.write(
    [
      `Wrote the resource type ${typeName} to ${shown}${overwriting ? ' (over the files there)' : ''}:`,
      ...files.map((f) => `  ${f.name.padEnd(width)}${f.summary}`),
      '',
      'Next steps:',
      `  cd ${shown} && node --test          # the type's own test: it passes as written`,
      `  ${serve}`,
      `  aws cloudcontrol create-resource --endpoint-url http://127.0.0.1:4600 --type-name ${typeName} --desired-state '{"Name":"first"}'`,
      `  Then make it yours: the resource in schema.json, your service's calls in handlers.js (README.md says where).`,
      '',
    ].join('\n'),
  );
}

export function registerTypesInit(types: Command): void {
  types
    .command('init')
    .description('Write a new custom resource type for "ccapi serve --types": schema, handlers, their test, README, sample type configuration')
    .argument('<type>', 'the type name, Organization::Service::Resource (e.g. Acme::Thing::Widget)')
    .argument('[dir]', 'the folder to write (default: ./types/<organization-service-resource>, lowercase)')
    .option('--force', 'write into a folder that is not empty, replacing the scaffold files there')
    .action((typeName: string, dir: string | undefined, options: InitOptions) => init(typeName, dir, options));
}
