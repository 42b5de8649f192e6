import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ServiceError } from './errors.js';
import { parseBody, renderError, renderOutput, RenderedOutput } from './json10.js';
import { epochSeconds } from '../lib/clock.js';
import { MAX_ECHOED_CHARS, readQueryInput, validateInput } from './validate.js';
import { QueryError } from './errors.js';
import { parseQueryString, unflatten } from './query.js';
import type { Member } from './operations.js';

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

test('a long value is echoed cut to 1,024 characters and says so: a 1 MiB Identifier does not make a 1 MiB message', () => {
  const identifier = 'i'.repeat(1024 * 1024);
  const error = errorOf(() => validateInput('GetResource', { TypeName: 'AWS::Logs::LogGroup', Identifier: identifier }));
  assert.equal(error.code, 'ValidationException');
  assert.equal(
    error.message,
    `1 validation error detected: Value '${'i'.repeat(MAX_ECHOED_CHARS)}...' (truncated; 1048576 characters) at 'identifier' failed to satisfy constraint: Member must have length less than or equal to 1024`,
  );
  assert.ok(error.message.length < 1300, `message length ${error.message.length}`);
});

test('values up to 1,024 characters come back whole, as Coral echoes them', () => {
  const typeName = `AWS::${'a'.repeat(200)}::X`; // over TypeName's 196 and not its pattern
  const error = errorOf(() => validateInput('GetResource', { TypeName: typeName, Identifier: 'x' }));
  assert.match(error.message, /^2 validation errors detected: /);
  assert.ok(error.message.includes(`Value '${typeName}' at 'typeName' failed to satisfy constraint: Member must have length less than or equal to 196`));
  assert.doesNotMatch(error.message, /truncated/);
  const exactly = 'n'.repeat(MAX_ECHOED_CHARS);
  const atCap = errorOf(() => validateInput('ListResourceRequests', { NextToken: `${exactly.slice(1)}_` }));
  assert.ok(atCap.message.includes(`Value '${exactly.slice(1)}_' at 'nextToken'`), 'a value of exactly the cap is echoed whole');
});

test('a cut never splits a surrogate pair', () => {
  const identifier = `${'i'.repeat(MAX_ECHOED_CHARS - 1)}${'😀'.repeat(600)}`;
  const message = errorOf(() => validateInput('GetResource', { TypeName: 'AWS::Logs::LogGroup', Identifier: identifier })).message;
  assert.ok(message.includes(`Value '${'i'.repeat(MAX_ECHOED_CHARS - 1)}...' (truncated; ${identifier.length} characters)`), message.slice(0, 80));
  assert.equal(Buffer.from(message, 'utf8').toString('utf8'), message, 'no lone surrogate in the message');
});

test('at most 10 problems are reported, however many there are; a wrong type further on still wins', () => {
  const operations = Array.from({ length: 100_000 }, () => 'READ');
  const error = errorOf(() => validateInput('ListResourceRequests', { ResourceRequestStatusFilter: { Operations: operations } }));
  assert.equal(error.code, 'ValidationException');
  assert.match(error.message, /^10 validation errors detected: Value 'READ' at 'resourceRequestStatusFilter\.operations\.1\.member'/);
  assert.equal(error.message.split('; ').length, 10);
  assert.ok(error.message.length < 3000, `message length ${error.message.length}`);
  // Deserialization comes before validation: a wrong JSON type anywhere is what the caller hears about.
  const typed = errorOf(() => validateInput('ListResourceRequests', { ResourceRequestStatusFilter: { Operations: operations, OperationStatuses: [1] } }));
  assert.equal(typed.code, 'SerializationException');
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
  assert.equal(renderOutput(new RenderedOutput('{"ProgressEvent":{"TypeName":"é"}}')).toString('utf8'), '{"ProgressEvent":{"TypeName":"é"}}');
});

test('errors render as __type and Message only', () => {
  const body = JSON.parse(renderError(new ServiceError('ResourceNotFoundException', 'gone')));
  assert.deepEqual(body, { __type: 'com.amazon.cloudapiservice#ResourceNotFoundException', Message: 'gone' });
  assert.equal(JSON.parse(renderError(new ServiceError('ValidationException', 'x'))).__type, 'com.amazon.coral.validate#ValidationException');
});

test('the query protocol has the same limits: at most 10 problems, long values cut, one error per call', () => {
  const members: Record<string, Member> = {
    Names: { shape: 'Names', type: { kind: 'list', member: { kind: 'string', enum: ['A', 'B'] } } },
    Token: { shape: 'NextToken', type: { kind: 'string', max: 1024 } },
  };
  const names = Array.from({ length: 50 }, (_, i) => `Names.member.${i + 1}=C`).join('&');
  let error: unknown;
  try {
    readQueryInput(unflatten(parseQueryString(`${names}&Token=${'t'.repeat(5000)}`)), members);
  } catch (e) {
    error = e;
  }
  assert.ok(error instanceof QueryError, `expected a QueryError, got ${String(error)}`);
  assert.equal(error.code, 'ValidationError');
  assert.match(error.message, /^10 validation errors detected: Value 'C' at 'names\.1\.member'/);
  assert.equal(error.message.split('; ').length, 10);
  try {
    readQueryInput(unflatten(parseQueryString(`Token=${'t'.repeat(5000)}`)), members);
    assert.fail('expected a ValidationError');
  } catch (e) {
    assert.ok(e instanceof QueryError);
    assert.equal(
      e.message,
      `1 validation error detected: Value '${'t'.repeat(MAX_ECHOED_CHARS)}...' (truncated; 5000 characters) at 'token' failed to satisfy constraint: Member must have length less than or equal to 1024`,
    );
  }
});

test('both protocols word a constraint the same way', () => {
  const members: Record<string, Member> = { MaxResults: { shape: 'MaxResults', type: { kind: 'integer', min: 1, max: 100 } } };
  let query = '';
  try {
    readQueryInput(unflatten(parseQueryString('MaxResults=101')), members);
  } catch (e) {
    query = (e as Error).message;
  }
  const json = errorOf(() => validateInput('ListResourceRequests', { MaxResults: 101 })).message;
  assert.equal(query, json);
  assert.equal(json, "1 validation error detected: Value '101' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 100");
});
