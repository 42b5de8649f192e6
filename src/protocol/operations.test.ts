/** The operation table must match the botocore service model installed on the machine, member for member. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compareShape, loadBotocoreModel } from '../../test/support/botocore-model.js';
import { skipIfMissing } from '../../test/support/prerequisites.js';
import { ERROR_STATUS } from './errors.js';
import { OPERATION_TABLE } from './operations.js';
import { HANDLER_ERROR_CODES, OPERATION_STATUS_ENUM, OPERATIONS_ENUM } from '../domain/vocabulary.js';

const NO_BOTOCORE = skipIfMissing('boto3');
const model = NO_BOTOCORE === undefined ? loadBotocoreModel('cloudcontrol', '2021-09-30') : (undefined as never);

test('every botocore operation is in the table, and nothing else', { skip: NO_BOTOCORE }, () => {
  assert.deepEqual(Object.keys(OPERATION_TABLE).sort(), Object.keys(model.operations).sort());
});

for (const [operation, members] of Object.entries(OPERATION_TABLE)) {
  test(`${operation}: members, required and constraints match botocore`, { skip: NO_BOTOCORE }, () => {
    const input = model.shapes[model.operations[operation]!.input.shape]!;
    assert.deepEqual(Object.keys(members).sort(), Object.keys(input.members!).sort(), 'member names');
    const required = Object.entries(members).filter(([, m]) => 'required' in m && m.required).map(([n]) => n).sort();
    assert.deepEqual(required, [...(input.required ?? [])].sort(), 'required members');
    for (const [name, member] of Object.entries(members)) {
      assert.equal(member.shape, input.members![name]!.shape, `${operation}.${name} shape name`);
      compareShape(model, member.type, member.shape, `${operation}.${name}`);
    }
  });
}

test('enums match botocore', { skip: NO_BOTOCORE }, () => {
  assert.deepEqual([...OPERATIONS_ENUM], model.shapes.Operation!.enum);
  assert.deepEqual([...OPERATION_STATUS_ENUM], model.shapes.OperationStatus!.enum);
  assert.deepEqual([...HANDLER_ERROR_CODES], model.shapes.HandlerErrorCode!.enum);
});

test('every modeled exception has our status: 500 exactly for faults', { skip: NO_BOTOCORE }, () => {
  const exceptions = Object.entries(model.shapes).filter(([, s]) => s.exception);
  assert.ok(exceptions.length > 15);
  for (const [name, shape] of exceptions) {
    const status = (ERROR_STATUS as Record<string, number>)[name];
    assert.ok(status !== undefined, `missing ${name}`);
    assert.equal(status, shape.fault ? 500 : 400, name);
  }
});
