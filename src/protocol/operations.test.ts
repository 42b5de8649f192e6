/** The operation table must match the botocore service model installed on the machine, member for member. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { ERROR_STATUS } from './errors.js';
import { HANDLER_ERROR_CODES, OPERATION_STATUS_ENUM, OPERATION_TABLE, OPERATIONS_ENUM, type Shape } from './operations.js';

interface BotocoreShape {
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
}
interface BotocoreModel {
  operations: Record<string, { input: { shape: string }; errors?: { shape: string }[] }>;
  shapes: Record<string, BotocoreShape>;
}

const botocoreDir = execFileSync('python3', ['-c', 'import botocore,os;print(os.path.dirname(botocore.__file__))'], { encoding: 'utf8' }).trim();
const model = JSON.parse(
  gunzipSync(readFileSync(join(botocoreDir, 'data/cloudcontrol/2021-09-30/service-2.json.gz'))).toString('utf8'),
) as BotocoreModel;

function compareShape(ours: Shape, theirsName: string, where: string): void {
  const theirs = model.shapes[theirsName]!;
  assert.ok(theirs, `${where}: botocore has no shape ${theirsName}`);
  switch (ours.kind) {
    case 'string':
      assert.equal(theirs.type, 'string', where);
      assert.equal(ours.min, theirs.min, `${where} min`);
      assert.equal(ours.max, theirs.max, `${where} max`);
      if (theirs.enum) assert.deepEqual([...(ours.enum ?? [])], theirs.enum, `${where} enum`);
      else assert.equal(ours.pattern, theirs.pattern, `${where} pattern`);
      break;
    case 'integer':
      assert.equal(theirs.type, 'integer', where);
      assert.equal(ours.min, theirs.min, `${where} min`);
      assert.equal(ours.max, theirs.max, `${where} max`);
      break;
    case 'list':
      assert.equal(theirs.type, 'list', where);
      compareShape(ours.member, theirs.member!.shape, `${where}[]`);
      break;
    case 'structure':
      assert.equal(theirs.type, 'structure', where);
      assert.deepEqual(Object.keys(ours.members).sort(), Object.keys(theirs.members!).sort(), `${where} members`);
      for (const [name, member] of Object.entries(ours.members)) compareShape(member.type, theirs.members![name]!.shape, `${where}.${name}`);
      break;
  }
}

test('every botocore operation is in the table, and nothing else', () => {
  assert.deepEqual(Object.keys(OPERATION_TABLE).sort(), Object.keys(model.operations).sort());
});

for (const [operation, members] of Object.entries(OPERATION_TABLE)) {
  test(`${operation}: members, required and constraints match botocore`, () => {
    const input = model.shapes[model.operations[operation]!.input.shape]!;
    assert.deepEqual(Object.keys(members).sort(), Object.keys(input.members!).sort(), 'member names');
    const required = Object.entries(members).filter(([, m]) => 'required' in m && m.required).map(([n]) => n).sort();
    assert.deepEqual(required, [...(input.required ?? [])].sort(), 'required members');
    for (const [name, member] of Object.entries(members)) {
      assert.equal(member.shape, input.members![name]!.shape, `${operation}.${name} shape name`);
      compareShape(member.type, member.shape, `${operation}.${name}`);
    }
  });
}

test('enums match botocore', () => {
  assert.deepEqual([...OPERATIONS_ENUM], model.shapes.Operation!.enum);
  assert.deepEqual([...OPERATION_STATUS_ENUM], model.shapes.OperationStatus!.enum);
  assert.deepEqual([...HANDLER_ERROR_CODES], model.shapes.HandlerErrorCode!.enum);
});

test('every modeled exception has our status: 500 exactly for faults', () => {
  const exceptions = Object.entries(model.shapes).filter(([, s]) => s.exception);
  assert.ok(exceptions.length > 15);
  for (const [name, shape] of exceptions) {
    const status = (ERROR_STATUS as Record<string, number>)[name];
    assert.ok(status !== undefined, `missing ${name}`);
    assert.equal(status, shape.fault ? 500 : 400, name);
  }
});
