/**
 * The botocore service models installed on the machine (python3 + botocore), and a member-for-member
 * comparison of ccapi's typed operation tables with them, so drift from the real clients' models is caught.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { Shape } from '../../src/protocol/operations.js';

export interface BotocoreShape {
  type: string;
  members?: Record<string, { shape: string }>;
  required?: string[];
  member?: { shape: string };
  min?: number;
  max?: number;
  pattern?: string;
  enum?: string[];
  exception?: boolean;
  fault?: boolean;
  error?: { code: string; httpStatusCode: number; senderFault?: boolean };
}

export interface BotocoreModel {
  metadata: { apiVersion: string; xmlNamespace?: string; protocol: string; signingName?: string; endpointPrefix: string };
  operations: Record<string, { input: { shape: string }; output?: { shape: string; resultWrapper?: string }; errors?: { shape: string }[] }>;
  shapes: Record<string, BotocoreShape>;
}

let botocoreDir: string | undefined;

/** `botocore/data/<service>/<version>/service-2.json.gz`, parsed. */
export function loadBotocoreModel(service: string, version: string): BotocoreModel {
  botocoreDir ??= execFileSync('python3', ['-c', 'import botocore,os;print(os.path.dirname(botocore.__file__))'], { encoding: 'utf8' }).trim();
  return JSON.parse(gunzipSync(readFileSync(join(botocoreDir, 'data', service, version, 'service-2.json.gz'))).toString('utf8')) as BotocoreModel;
}

export interface CompareOptions {
  /** Shapes whose pattern ours may extend (the service enforces a wider one than the model publishes). */
  extendedPatterns?: readonly string[];
}

/** Asserts that `ours` is the model's shape `theirsName`: kind, bounds, enum or pattern, members and their shape names. */
export function compareShape(model: BotocoreModel, ours: Shape, theirsName: string, where: string, options: CompareOptions = {}): void {
  const theirs = model.shapes[theirsName];
  assert.ok(theirs, `${where}: botocore has no shape ${theirsName}`);
  switch (ours.kind) {
    case 'string':
      assert.equal(theirs.type, 'string', where);
      assert.equal(ours.min, theirs.min, `${where} min`);
      assert.equal(ours.max, theirs.max, `${where} max`);
      if (theirs.enum) assert.deepEqual([...(ours.enum ?? [])], theirs.enum, `${where} enum`);
      else if (options.extendedPatterns?.includes(theirsName)) assert.ok(ours.pattern!.startsWith(theirs.pattern!), `${where}: ours extends the model's pattern`);
      else assert.equal(ours.pattern, theirs.pattern, `${where} pattern`);
      break;
    case 'integer':
      assert.equal(theirs.type, 'integer', where);
      assert.equal(ours.min, theirs.min, `${where} min`);
      assert.equal(ours.max, theirs.max, `${where} max`);
      break;
    case 'list':
      assert.equal(theirs.type, 'list', where);
      compareShape(model, ours.member, theirs.member!.shape, `${where}[]`, options);
      break;
    case 'structure':
      assert.equal(theirs.type, 'structure', where);
      assert.deepEqual(Object.keys(ours.members).sort(), Object.keys(theirs.members!).sort(), `${where} members`);
      for (const [name, member] of Object.entries(ours.members)) {
        assert.equal(member.shape, theirs.members![name]!.shape, `${where}.${name} shape name`);
        compareShape(model, member.type, member.shape, `${where}.${name}`, options);
      }
      break;
  }
}
