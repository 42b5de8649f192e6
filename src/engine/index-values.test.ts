import { test } from 'node:test';
import assert from 'node:assert/strict';
import { indexedValues, valuesAt } from './index-values.js';
import { INDEXED_VALUE_MAX_BYTES } from '../store/store.js';

test('valuesAt: strings as they are, numbers and booleans as JSON, one per array element at *, objects not', () => {
  const model = { VpcId: 'vpc-1', Port: 443, On: false, Ids: ['a', 'b', 7, { x: 1 }], Rules: [{ G: 'sg-1' }, { G: 'sg-2' }, {}], Obj: { a: 1 }, Nul: null, List: ['x'] };
  assert.deepEqual(valuesAt(model, 'VpcId'), ['vpc-1']);
  assert.deepEqual(valuesAt(model, 'Port'), ['443']);
  assert.deepEqual(valuesAt(model, 'On'), ['false']);
  assert.deepEqual(valuesAt(model, 'Ids/*'), ['a', 'b', '7']);
  assert.deepEqual(valuesAt(model, 'Rules/*/G'), ['sg-1', 'sg-2']);
  assert.deepEqual(valuesAt(model, 'Obj'), []);
  assert.deepEqual(valuesAt(model, 'Nul'), []);
  assert.deepEqual(valuesAt(model, 'List'), [], 'an array not reached through * is not indexed');
  assert.deepEqual(valuesAt(model, 'VpcId/*'), []);
  assert.deepEqual(valuesAt(model, 'Missing/x'), []);
  assert.deepEqual(valuesAt({}, 'constructor'), [], 'own properties only');
});

test('indexedValues: path order, duplicates once, values over the cap left out', () => {
  const long = 'x'.repeat(INDEXED_VALUE_MAX_BYTES + 1);
  assert.deepEqual(indexedValues({ A: ['s', 's', long], B: 'b' }, ['A/*', 'B']), [
    { path: 'A/*', value: 's' },
    { path: 'B', value: 'b' },
  ]);
});
