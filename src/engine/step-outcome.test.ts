// The handler contract checks: what a handler's ProgressEvent becomes as a StepOutcome, and what is refused.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { HandlerProgressEvent } from '../providers/contract.js';
import type { ResourceType } from '../registry/types.js';
import { isContractViolation, normalizeErrorCode, toStepOutcome, untrustedEventProblem, visibleModel } from './step-outcome.js';

/** A type without the catalogue: its validator reports a non-integer Size, as ajv would, and a missing Name. */
function fakeType(schema: Partial<ResourceType['schema']> = {}): ResourceType {
  return {
    typeName: 'Test::Step::Thing',
    source: 'custom',
    schema: { typeName: 'Test::Step::Thing', properties: {}, primaryIdentifier: ['/properties/Name'], ...schema },
    validate: (model: unknown) => {
      const m = model as Record<string, unknown>;
      const problems: string[] = [];
      if (!('Name' in m)) problems.push('#: required key [Name] not found');
      if ('Size' in m && !Number.isInteger(m.Size)) problems.push('#/Size: expected type: Integer, found: String');
      if ('Bad' in m) problems.push('#: extraneous key [Bad] is not permitted', '#/Bad: a', '#/Bad: b', '#/Bad: c');
      return problems;
    },
    applyDefaults: <T>(model: T) => model,
    hasHandler: () => true,
  };
}

const type = fakeType({ writeOnlyProperties: ['/properties/Secret'] });
const compound = fakeType({ primaryIdentifier: ['/properties/Name', '/properties/Zone'] });

test('normalizeErrorCode: the enum as is, the handler-side aliases mapped, anything else undefined', () => {
  assert.equal(normalizeErrorCode('NotFound'), 'NotFound');
  assert.equal(normalizeErrorCode('InternalFailure'), 'InternalFailure');
  assert.equal(normalizeErrorCode('HandlerInternalFailure'), 'InternalFailure');
  assert.equal(normalizeErrorCode('InvalidTypeConfiguration'), 'InvalidRequest');
  assert.equal(normalizeErrorCode('NonCompliant'), 'InternalFailure');
  assert.equal(normalizeErrorCode('UnsupportedTarget'), 'InternalFailure');
  assert.equal(normalizeErrorCode('Unknown'), 'InternalFailure');
  assert.equal(normalizeErrorCode('NoSuchCode'), undefined);
  assert.equal(normalizeErrorCode(7), undefined);
  assert.equal(normalizeErrorCode(undefined), undefined);
});

test('normalizeErrorCode: a name of an Object.prototype member is no error code (found by mutation testing)', () => {
  // The alias table is a plain object: "toString" used to come back as Object.prototype.toString, a function
  // stored as the request's ErrorCode.
  for (const name of ['toString', 'constructor', 'hasOwnProperty', '__proto__', 'valueOf']) {
    assert.equal(normalizeErrorCode(name), undefined, name);
  }
  const outcome = toStepOutcome(type, 'CREATE', { status: 'FAILED', errorCode: 'toString' as never });
  assert.ok(isContractViolation(outcome), 'a FAILED event with errorCode "toString" breaks the contract');
});

test('visibleModel drops writeOnly properties, and returns the model itself when the type has none', () => {
  const model = { Name: 'n', Secret: 's' };
  assert.deepEqual(visibleModel(type, model), { Name: 'n' });
  assert.equal(visibleModel(fakeType(), model), model);
  assert.equal(visibleModel(fakeType({ writeOnlyProperties: [] }), model), model);
});

test('SUCCESS of create and update: the visible model and its primary identifier', () => {
  for (const operation of ['CREATE', 'UPDATE'] as const) {
    assert.deepEqual(toStepOutcome(type, operation, { status: 'SUCCESS', resourceModel: { Name: 'n', Secret: 's', Size: 1 } }), {
      status: 'SUCCESS',
      identifier: 'n',
      resourceModel: '{"Name":"n","Size":1}',
    });
  }
  assert.deepEqual(toStepOutcome(compound, 'CREATE', { status: 'SUCCESS', resourceModel: { Name: 'n', Zone: 'z' } }), {
    status: 'SUCCESS',
    identifier: 'n|z',
    resourceModel: '{"Name":"n","Zone":"z"}',
  });
});

test('SUCCESS of a read carries the identifier only; of a list, nothing', () => {
  assert.deepEqual(toStepOutcome(type, 'READ', { status: 'SUCCESS', resourceModel: { Name: 'n' } }), { status: 'SUCCESS', identifier: 'n' });
  assert.deepEqual(toStepOutcome(type, 'LIST', { status: 'SUCCESS', resourceModels: [{ Name: 'n' }] }), { status: 'SUCCESS' });
  assert.deepEqual(toStepOutcome(type, 'LIST', { status: 'SUCCESS' }), { status: 'SUCCESS' });
});

test('SUCCESS without a model, or a model without its identifier, breaks the contract', () => {
  const noModel = toStepOutcome(type, 'CREATE', { status: 'SUCCESS' });
  assert.deepEqual(noModel, {
    status: 'FAILED',
    errorCode: 'InternalFailure',
    message: 'Handler contract violation: create handler returned SUCCESS without a resource model',
    contractViolation: true,
  });
  assert.equal((toStepOutcome(type, 'READ', { status: 'SUCCESS' }) as { message: string }).message, 'Handler contract violation: read handler returned SUCCESS without a resource model');
  assert.equal((toStepOutcome(type, 'UPDATE', { status: 'SUCCESS', resourceModel: { Size: 1 } }) as { message: string }).message, 'Handler contract violation: the returned model has no primary identifier');
  assert.equal((toStepOutcome(compound, 'READ', { status: 'SUCCESS', resourceModel: { Name: 'n' } }) as { message: string }).message, 'Handler contract violation: the returned model has no primary identifier');
  assert.equal((toStepOutcome(type, 'CREATE', { status: 'SUCCESS', resourceModel: { Name: '' } }) as { message: string }).message, 'Handler contract violation: the returned model has no primary identifier');
});

test('SUCCESS of a delete has no model', () => {
  assert.deepEqual(toStepOutcome(type, 'DELETE', { status: 'SUCCESS' }), { status: 'SUCCESS' });
  const withModel = toStepOutcome(type, 'DELETE', { status: 'SUCCESS', resourceModel: { Name: 'n' } });
  assert.deepEqual(withModel, { status: 'FAILED', errorCode: 'InternalFailure', message: 'Handler contract violation: a delete handler returned SUCCESS with a resource model', contractViolation: true });
});

test('FAILED keeps a valid error code, its message and the identifier of a returned model', () => {
  assert.deepEqual(toStepOutcome(type, 'CREATE', { status: 'FAILED', errorCode: 'AlreadyExists', message: 'taken' }), { status: 'FAILED', errorCode: 'AlreadyExists', message: 'taken' });
  assert.deepEqual(toStepOutcome(type, 'CREATE', { status: 'FAILED', errorCode: 'NotFound', message: '' }), { status: 'FAILED', errorCode: 'NotFound' });
  assert.deepEqual(toStepOutcome(type, 'UPDATE', { status: 'FAILED', errorCode: 'Unknown' as never, resourceModel: { Name: 'n' } }), { status: 'FAILED', errorCode: 'InternalFailure', identifier: 'n' });
  assert.deepEqual(toStepOutcome(type, 'DELETE', { status: 'FAILED' } as HandlerProgressEvent), {
    status: 'FAILED',
    errorCode: 'InternalFailure',
    message: 'Handler contract violation: FAILED without a valid errorCode (got undefined)',
    contractViolation: true,
  });
  assert.equal((toStepOutcome(type, 'DELETE', { status: 'FAILED', errorCode: 'Nope' as never }) as { message: string }).message, 'Handler contract violation: FAILED without a valid errorCode (got "Nope")');
});

test('IN_PROGRESS: delay (never negative), callback context and desired state as JSON, the identifier when known', () => {
  assert.deepEqual(
    toStepOutcome(type, 'CREATE', { status: 'IN_PROGRESS', callbackDelaySeconds: 5, callbackContext: { n: 1 }, resourceModel: { Name: 'n', Secret: 's' }, message: 'working' }),
    { status: 'IN_PROGRESS', callbackDelaySeconds: 5, callbackContext: '{"n":1}', desiredState: '{"Name":"n","Secret":"s"}', message: 'working', identifier: 'n' },
  );
  assert.deepEqual(toStepOutcome(type, 'UPDATE', { status: 'IN_PROGRESS' }), { status: 'IN_PROGRESS', callbackDelaySeconds: 0 });
  assert.deepEqual(toStepOutcome(type, 'DELETE', { status: 'IN_PROGRESS', callbackDelaySeconds: -3, message: '' }), { status: 'IN_PROGRESS', callbackDelaySeconds: 0 });
  assert.deepEqual(toStepOutcome(type, 'CREATE', { status: 'IN_PROGRESS', callbackContext: null, resourceModel: { Size: 1 } }), {
    status: 'IN_PROGRESS', callbackDelaySeconds: 0, callbackContext: 'null', desiredState: '{"Size":1}',
  });
});

test('IN_PROGRESS from a read or a list breaks the contract', () => {
  for (const operation of ['READ', 'LIST'] as const) {
    assert.deepEqual(toStepOutcome(type, operation, { status: 'IN_PROGRESS' }), {
      status: 'FAILED', errorCode: 'InternalFailure', message: `Handler contract violation: ${operation} handler returned IN_PROGRESS`, contractViolation: true,
    });
  }
});

test('an unknown status breaks the contract', () => {
  const outcome = toStepOutcome(type, 'CREATE', { status: 'DONE' } as unknown as HandlerProgressEvent);
  assert.deepEqual(outcome, { status: 'FAILED', errorCode: 'InternalFailure', message: 'Handler contract violation: unknown status "DONE"', contractViolation: true });
});

test('isContractViolation tells a violation from an ordinary FAILED', () => {
  assert.equal(isContractViolation({ status: 'FAILED', errorCode: 'NotFound' }), false);
  assert.equal(isContractViolation({ status: 'SUCCESS' }), false);
  assert.equal(isContractViolation(toStepOutcome(type, 'DELETE', { status: 'FAILED' } as HandlerProgressEvent)), true);
});

test('untrustedEventProblem: what is not a ProgressEvent object', () => {
  assert.equal(untrustedEventProblem(type, null), 'the handler returned null instead of a ProgressEvent object');
  assert.equal(untrustedEventProblem(type, [1]), 'the handler returned an array instead of a ProgressEvent object');
  assert.equal(untrustedEventProblem(type, 'SUCCESS'), 'the handler returned string instead of a ProgressEvent object');
  assert.equal(untrustedEventProblem(type, undefined), 'the handler returned undefined instead of a ProgressEvent object');
  assert.equal(untrustedEventProblem(type, { status: 'SUCCESS' }), undefined);
});

test('untrustedEventProblem: models must be JSON objects that fit the schema, required properties aside', () => {
  assert.equal(untrustedEventProblem(type, { status: 'SUCCESS', resourceModel: { Size: 1 } }), undefined, 'a missing required key is fine (writeOnly)');
  assert.equal(untrustedEventProblem(type, { status: 'SUCCESS', resourceModel: [1] }), 'a returned resource model is not a JSON object');
  assert.equal(untrustedEventProblem(type, { status: 'SUCCESS', resourceModel: null }), 'a returned resource model is not a JSON object');
  assert.equal(untrustedEventProblem(type, { status: 'SUCCESS', resourceModel: { Name: 'n', Size: 'big' } }), 'the returned model does not fit the schema (#/Size: expected type: Integer, found: String)');
  assert.equal(
    untrustedEventProblem(type, { status: 'SUCCESS', resourceModel: { Name: 'n', Bad: 1 } }),
    'the returned model does not fit the schema (#: extraneous key [Bad] is not permitted; #/Bad: a; #/Bad: b)',
    'at most three problems are quoted',
  );
  assert.equal(untrustedEventProblem(type, { status: 'SUCCESS', resourceModels: [{ Name: 'a' }, 'x'] }), 'a returned resource model is not a JSON object');
  assert.equal(untrustedEventProblem(type, { status: 'SUCCESS', resourceModels: [{ Name: 'a', Size: 1.5 }] }), 'the returned model does not fit the schema (#/Size: expected type: Integer, found: String)');
  assert.equal(untrustedEventProblem(type, { status: 'SUCCESS', resourceModels: { Name: 'a' } }), 'resourceModels is not a list');
  assert.equal(untrustedEventProblem(type, { status: 'SUCCESS', resourceModels: [] }), undefined);
});

test('untrustedEventProblem: a callbackContext must serialize and a delay must be a non-negative number', () => {
  const cyclic: Record<string, unknown> = {};
  cyclic.self = cyclic;
  assert.match(untrustedEventProblem(type, { status: 'IN_PROGRESS', callbackContext: cyclic }) ?? '', /^callbackContext is not JSON-serializable \(Converting circular structure/);
  assert.match(untrustedEventProblem(type, { status: 'IN_PROGRESS', callbackContext: { big: 1n } }) ?? '', /^callbackContext is not JSON-serializable \(Do not know how to serialize a BigInt\)$/);
  assert.equal(untrustedEventProblem(type, { status: 'IN_PROGRESS', callbackContext: { n: 1 }, callbackDelaySeconds: 0 }), undefined);
  for (const bad of [-1, Infinity, NaN, '5']) {
    assert.equal(
      untrustedEventProblem(type, { status: 'IN_PROGRESS', callbackDelaySeconds: bad }),
      `callbackDelaySeconds must be a non-negative number (got ${JSON.stringify(bad)})`,
    );
  }
});

test('toStepOutcome checks an untrusted event first, and trusts a trusted one', () => {
  const event = { status: 'SUCCESS', resourceModel: { Name: 'n', Size: 'big' } } as unknown as HandlerProgressEvent;
  assert.deepEqual(toStepOutcome(type, 'CREATE', event, true), {
    status: 'FAILED',
    errorCode: 'InternalFailure',
    message: 'Handler contract violation: the returned model does not fit the schema (#/Size: expected type: Integer, found: String)',
    contractViolation: true,
  });
  assert.deepEqual(toStepOutcome(type, 'CREATE', event), { status: 'SUCCESS', identifier: 'n', resourceModel: '{"Name":"n","Size":"big"}' });
  assert.deepEqual(toStepOutcome(type, 'CREATE', { status: 'SUCCESS', resourceModel: { Name: 'n' } }, true), { status: 'SUCCESS', identifier: 'n', resourceModel: '{"Name":"n"}' });
});
