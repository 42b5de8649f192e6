import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compareShape, loadBotocoreModel } from '../../test/support/botocore-model.js';
import { LIST_HOOK_RESULTS_MEMBERS } from './hook-results.js';

const model = loadBotocoreModel('cloudformation', '2010-05-15');

test('the ListHookResults input table matches the botocore model member for member', () => {
  const op = model.operations.ListHookResults!;
  assert.equal(op.output!.resultWrapper, 'ListHookResultsResult');
  compareShape(model, { kind: 'structure', members: LIST_HOOK_RESULTS_MEMBERS }, op.input.shape, 'ListHookResults');
  const notFound = model.shapes.HookResultNotFoundException!.error!;
  assert.deepEqual([notFound.code, notFound.httpStatusCode], ['HookResultNotFound', 404]);
});
