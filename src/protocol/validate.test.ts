import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ServiceError } from './errors.js';
import { epochSeconds, parseBody, renderError, renderOutput, RenderedOutput } from './json10.js';
import { validateInput } from './validate.js';

function errorOf(fn: () => unknown): ServiceError {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof ServiceError, `expected a ServiceError, got ${String(error)}`);
    return error;
  }
  assert.fail('expected an error');
}

test('a valid input passes and unknown members are ignored', () => {
  const input = validateInput('GetResource', { TypeName: 'AWS::Logs::LogGroup', Identifier: 'x', Extra: 1 });
  assert.equal(input.Identifier, 'x');
});

test('missing required members and pattern violations are counted in one ValidationException', () => {
  const error = errorOf(() => validateInput('CreateResource', { TypeName: 'not-a-type' }));
  assert.equal(error.code, 'ValidationException');
  assert.equal(error.status, 400);
  assert.match(error.message, /^2 validation errors detected: /);
  assert.match(error.message, /Value 'not-a-type' at 'typeName' failed to satisfy constraint: Member must satisfy regular expression pattern/);
  assert.match(error.message, /Value null at 'desiredState' failed to satisfy constraint: Member must not be null/);
});

test('patterns are matched against the whole value', () => {
  const error = errorOf(() => validateInput('GetResourceRequestStatus', { RequestToken: 'abc_def' }));
  assert.match(error.message, /^1 validation error detected: Value 'abc_def' at 'requestToken'/);
});

test('null members are absent, and removed from the typed input', () => {
  const input = validateInput('ListResourceRequests', { NextToken: null, MaxResults: 5 });
  assert.equal('NextToken' in input, false);
  assert.equal(input.MaxResults, 5);
});

test('MaxResults must be 1..100', () => {
  assert.match(errorOf(() => validateInput('ListResourceRequests', { MaxResults: 0 })).message, /greater than or equal to 1/);
  assert.match(errorOf(() => validateInput('ListResourceRequests', { MaxResults: 101 })).message, /less than or equal to 100/);
  assert.equal(validateInput('ListResourceRequests', { MaxResults: 100 }).MaxResults, 100);
});

test('enum members in nested lists are checked', () => {
  const error = errorOf(() => validateInput('ListResourceRequests', { ResourceRequestStatusFilter: { Operations: ['CREATE', 'READ'] } }));
  assert.match(error.message, /at 'resourceRequestStatusFilter\.operations\.2\.member' failed to satisfy constraint: Member must satisfy enum value set: \[CREATE, DELETE, UPDATE\]/);
});

test('sensitive members are never echoed', () => {
  const error = errorOf(() => validateInput('CreateResource', { TypeName: 'AWS::Logs::LogGroup', DesiredState: 'x'.repeat(262145) }));
  assert.doesNotMatch(error.message, /xxx/);
  assert.match(error.message, /at 'desiredState' failed to satisfy constraint: Member must have length less than or equal to 262144/);
});

test('wrong JSON types are a SerializationException', () => {
  assert.equal(errorOf(() => validateInput('ListResourceRequests', { MaxResults: '5' })).code, 'SerializationException');
  assert.equal(errorOf(() => validateInput('GetResource', [])).code, 'SerializationException');
});

test('empty body means {}; malformed JSON is a SerializationException', () => {
  assert.deepEqual(parseBody(''), {});
  assert.equal(errorOf(() => parseBody('{"a":')).code, 'SerializationException');
});

test('timestamps render as epoch seconds with milliseconds; absent members are omitted', () => {
  assert.equal(epochSeconds(1633610208335), 1633610208.335);
  const text = renderOutput({ ProgressEvent: { EventTime: epochSeconds(1633610208335), RetryAfter: undefined, TypeName: 'T' } });
  assert.equal(text, '{"ProgressEvent":{"EventTime":1633610208.335,"TypeName":"T"}}');
  assert.equal(renderOutput(new RenderedOutput('{"ProgressEvent":{}}')), '{"ProgressEvent":{}}');
});

test('errors render as __type and Message only', () => {
  const body = JSON.parse(renderError(new ServiceError('ResourceNotFoundException', 'gone')));
  assert.deepEqual(body, { __type: 'com.amazon.cloudapiservice#ResourceNotFoundException', Message: 'gone' });
  assert.equal(JSON.parse(renderError(new ServiceError('ValidationException', 'x'))).__type, 'com.amazon.coral.validate#ValidationException');
});
