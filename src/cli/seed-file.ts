/**
 * Reads `--seed FILE` files: JSON, or YAML for .yaml/.yml. The shape is
 * `{"resources": [{"typeName": "AWS::IAM::Role", "properties": {…}, "account": "123456789012", "region": "eu-west-1"}]}`
 * with `account` (default 000000000000) and `region` (default us-east-1) optional. Anything else is refused
 * with the file, the entry and the reason; whether the type exists and the properties fit its schema is
 * checked by api/seed.ts against the catalogue.
 */
import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { parse as parseYaml, YAMLParseError } from 'yaml';
import { SeedError, type SeedEntry } from '../api/seed.js';

export const DEFAULT_SEED_ACCOUNT = '000000000000';
export const DEFAULT_SEED_REGION = 'us-east-1';

const ENTRY_KEYS = new Set(['typeName', 'properties', 'account', 'region']);

/** A seed file that cannot be read or parsed, or whose shape is wrong outside any entry. */
export class SeedFileError extends Error {
  constructor(file: string, reason: string) {
    super(`seed file ${file}: ${reason}`);
    this.name = 'SeedFileError';
  }
}

/** 1-based line and column of a character offset. */
function lineAndColumn(text: string, offset: number): string {
  const before = text.slice(0, offset).split('\n');
  return `line ${before.length}, column ${before[before.length - 1]!.length + 1}`;
}

function parseText(file: string, text: string): unknown {
  const ext = extname(file).toLowerCase();
  if (ext === '.yaml' || ext === '.yml') {
    try {
      return parseYaml(text);
    } catch (error) {
      if (error instanceof YAMLParseError) {
        const at = error.linePos?.[0];
        throw new SeedFileError(file, `invalid YAML${at ? ` at line ${at.line}, column ${at.col}` : ''}: ${error.message.split('\n')[0]}`);
      }
      throw error;
    }
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    if (!(error instanceof SyntaxError)) throw error;
    // V8 says where: "… in JSON at position 42" (Node 20), sometimes "(line 3 column 5)" as well.
    const position = /position (\d+)/.exec(error.message);
    throw new SeedFileError(file, `invalid JSON${position ? ` at ${lineAndColumn(text, Number(position[1]))}` : ''}: ${error.message}`);
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function toEntry(file: string, index: number, raw: unknown): SeedEntry {
  const typeName = isObject(raw) && typeof raw.typeName === 'string' ? raw.typeName : '?';
  const refuse = (reason: string) => new SeedError({ file, index, typeName }, reason);
  if (!isObject(raw)) throw refuse('an entry must be an object with typeName and properties');
  const unknown = Object.keys(raw).filter((key) => !ENTRY_KEYS.has(key));
  if (unknown.length) throw refuse(`unknown key${unknown.length > 1 ? 's' : ''} ${unknown.map((k) => `"${k}"`).join(', ')} (allowed: typeName, properties, account, region)`);
  if (typeof raw.typeName !== 'string') throw refuse('typeName is required and must be a string');
  const properties = raw.properties ?? {};
  if (!isObject(properties)) throw refuse('properties must be an object');
  const account = raw.account ?? DEFAULT_SEED_ACCOUNT;
  // An account id is 12 digits; YAML reads an unquoted one as a number, which would lose leading zeros.
  if (typeof account !== 'string' || !/^\d{12}$/.test(account)) throw refuse(`account must be a 12-digit string, got ${JSON.stringify(account)}`);
  const region = raw.region ?? DEFAULT_SEED_REGION;
  if (typeof region !== 'string' || !/^[a-z]{2}(-[a-z]+)+-\d+$/.test(region)) throw refuse(`region must be a Region code such as us-east-1, got ${JSON.stringify(region)}`);
  return { file, index, typeName: raw.typeName, properties, accountId: account, region };
}

/** The entries of one seed file, in file order. */
export function parseSeedFile(file: string, text: string): SeedEntry[] {
  const document = parseText(file, text);
  if (!isObject(document)) throw new SeedFileError(file, 'expected an object with a "resources" list');
  const extra = Object.keys(document).filter((key) => key !== 'resources');
  if (extra.length) throw new SeedFileError(file, `unknown top-level key${extra.length > 1 ? 's' : ''} ${extra.map((k) => `"${k}"`).join(', ')} (allowed: resources)`);
  if (!Array.isArray(document.resources)) throw new SeedFileError(file, '"resources" must be a list');
  return document.resources.map((raw, index) => toEntry(file, index, raw));
}

/** Every file's entries, files in the order given. */
export function readSeedFiles(files: readonly string[]): SeedEntry[] {
  return files.flatMap((file) => {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      throw new SeedFileError(file, `cannot read it: ${(error as Error).message}`);
    }
    return parseSeedFile(file, text);
  });
}
