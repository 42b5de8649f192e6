import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import type { Member } from './operations.js';
import { commonQueryError, invalidAction, QueryError } from './errors.js';
import { isQueryRequest, parseQueryRequest, parseQueryString, unflatten } from './query.js';
import { readQueryInput } from './validate.js';
import { escapeXml, escapeXmlAttribute, isoTimestamp, renderQueryError, renderQueryResponse } from './xml.js';
import { skipIfMissing } from '../../test/support/prerequisites.js';

function errorOf(fn: () => unknown): QueryError {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof QueryError, `expected a QueryError, got ${String(error)}`);
    return error;
  }
  assert.fail('expected an error');
}

/** Plain copies, so deepEqual compares values and not null prototypes. */
const plain = (value: unknown): unknown => JSON.parse(JSON.stringify(value));

test('form decoding: percent escapes, + as space, the last of a repeated key wins', () => {
  const flat = parseQueryString('TypeName=AWS%3A%3AS3%3A%3ABucket&Note=a+b%2Bc&X=1&X=2&Empty=');
  assert.equal(flat.get('TypeName'), 'AWS::S3::Bucket');
  assert.equal(flat.get('Note'), 'a b+c');
  assert.equal(flat.get('X'), '2');
  assert.equal(flat.get('Empty'), '');
  assert.equal(parseQueryString('').size, 0);
});

test('unflatten: structure members, member lists in index order, flattened lists, maps, empty lists', () => {
  const params = unflatten([
    ['Filters.TypeNamePrefix', 'AWS::S3'],
    ['Filters.Category', 'AWS_TYPES'],
    ['Names.member.2', 'b'],
    ['Names.member.10', 'j'],
    ['Names.member.1', 'a'],
    ['Flat.2', 'y'],
    ['Flat.1', 'x'],
    ['Tags.entry.1.key', 'env'],
    ['Tags.entry.1.value', 'prod'],
    ['Tags.entry.2.key', 'team'],
    ['Tags.entry.2.value', 'a&b'],
    ['Policies.member.1.Arn', 'arn:1'],
    ['Policies.member.2.Arn', 'arn:2'],
    ['Nothing', ''],
  ]);
  assert.deepEqual(plain(params), {
    Filters: { TypeNamePrefix: 'AWS::S3', Category: 'AWS_TYPES' },
    Names: ['a', 'b', 'j'],
    Flat: ['x', 'y'],
    Tags: { env: 'prod', team: 'a&b' },
    Policies: [{ Arn: 'arn:1' }, { Arn: 'arn:2' }],
    Nothing: '',
  });
});

test('unflatten: a value that is also a prefix keeps the nested form; __proto__ is an ordinary key', () => {
  const params = unflatten([
    ['A', '1'],
    ['A.B', '2'],
    ['C.D', '3'],
    ['C', '4'],
    ['__proto__.polluted', 'yes'],
  ]);
  assert.deepEqual(plain(params.A), { B: '2' });
  assert.deepEqual(plain(params.C), { D: '3' });
  assert.equal(({} as Record<string, unknown>).polluted, undefined, 'Object.prototype untouched');
  assert.deepEqual(plain(params['__proto__']), { polluted: 'yes' });
});

test('parseQueryRequest: Action and Version apart, body over URL, presign parameters dropped', () => {
  const request = parseQueryRequest(
    'Action=DescribeType&Version=2010-05-15&Type=RESOURCE&TypeName=AWS%3A%3AS3%3A%3ABucket',
    'TypeName=ignored&X-Amz-Credential=AKID%2F20260101%2Fus-east-1%2Fcloudformation%2Faws4_request&Extra=1',
  );
  assert.equal(request.action, 'DescribeType');
  assert.equal(request.version, '2010-05-15');
  assert.deepEqual(plain(request.params), { TypeName: 'AWS::S3::Bucket', Extra: '1', Type: 'RESOURCE' });

  const get = parseQueryRequest('', 'Action=ListTypes&Version=2010-05-15&Visibility=PUBLIC');
  assert.equal(get.action, 'ListTypes');
  assert.deepEqual(plain(get.params), { Visibility: 'PUBLIC' });

  const none = parseQueryRequest('Action=&Foo=1');
  assert.equal(none.action, undefined);
  assert.equal(none.version, undefined);
});

test('isQueryRequest: a form body with Action, or Action in the URL; never JSON or a form without Action', () => {
  const form = 'application/x-www-form-urlencoded; charset=utf-8';
  assert.equal(isQueryRequest('POST', form, 'Action=ListTypes&Version=2010-05-15', ''), true);
  assert.equal(isQueryRequest('POST', undefined, 'Action=ListTypes', ''), true);
  assert.equal(isQueryRequest('GET', undefined, '', 'Action=ListTypes&Version=2010-05-15'), true);
  assert.equal(isQueryRequest('POST', 'application/x-amz-json-1.0', '', 'Action=ListTypes'), true, 'Action in the URL decides');
  assert.equal(isQueryRequest('POST', form, 'Version=2010-05-15', ''), false);
  assert.equal(isQueryRequest('POST', 'application/x-amz-json-1.0', 'Action=ListTypes', ''), false);
  assert.equal(isQueryRequest('POST', 'application/x-amz-json-1.0', '{"TypeName":"AWS::S3::Bucket"}', ''), false);
  assert.equal(isQueryRequest('GET', undefined, '', ''), false);
  assert.equal(isQueryRequest('GET', form, 'Action=ListTypes', ''), false, 'a GET body is not read');
});

const MEMBERS: Record<string, Member> = {
  Name: { shape: 'TypeName', type: { kind: 'string', min: 3, max: 8, pattern: '[a-z]+' }, required: true },
  Kind: { shape: 'Kind', type: { kind: 'string', enum: ['A', 'B'] } },
  MaxResults: { shape: 'MaxResults', type: { kind: 'integer', min: 1, max: 100 } },
  Ids: { shape: 'Ids', type: { kind: 'list', member: { kind: 'string', pattern: '[0-9]+' } } },
  Filters: {
    shape: 'Filters',
    type: { kind: 'structure', members: { TypeNamePrefix: { shape: 'P', type: { kind: 'string', min: 1, pattern: '[A-Z]{2,}' } } } },
  },
};

test('readQueryInput: strings become integers, lists and structures; unknown parameters are ignored', () => {
  const input = readQueryInput(unflatten(parseQueryString('Name=abc&Kind=B&MaxResults=42&Ids.member.1=7&Ids.member.2=8&Filters.TypeNamePrefix=AWS&Other=x')), MEMBERS);
  assert.deepEqual(input, { Name: 'abc', Kind: 'B', MaxResults: 42, Ids: ['7', '8'], Filters: { TypeNamePrefix: 'AWS' } });
  assert.deepEqual(readQueryInput(unflatten(parseQueryString('Name=abc&Ids=')), MEMBERS), { Name: 'abc', Ids: [] });
});

test('readQueryInput: every violation in one ValidationError, worded and counted as Coral does', () => {
  const error = errorOf(() => readQueryInput(unflatten(parseQueryString('Kind=C&MaxResults=0&Filters.TypeNamePrefix=A&Ids.member.1=x')), MEMBERS));
  assert.equal(error.code, 'ValidationError');
  assert.equal(error.status, 400);
  assert.equal(error.type, 'Sender');
  assert.equal(
    error.message,
    '5 validation errors detected: ' +
      "Value null at 'name' failed to satisfy constraint: Member must not be null; " +
      "Value 'C' at 'kind' failed to satisfy constraint: Member must satisfy enum value set: [A, B]; " +
      "Value '0' at 'maxResults' failed to satisfy constraint: Member must have value greater than or equal to 1; " +
      "Value 'x' at 'ids.1.member' failed to satisfy constraint: Member must satisfy regular expression pattern: [0-9]+; " +
      "Value 'A' at 'filters.typeNamePrefix' failed to satisfy constraint: Member must satisfy regular expression pattern: [A-Z]{2,}",
  );
  const one = errorOf(() => readQueryInput(unflatten(parseQueryString('Name=abcdefghij&MaxResults=101')), MEMBERS));
  assert.match(one.message, /^2 validation errors detected: /);
  assert.match(one.message, /Value 'abcdefghij' at 'name' failed to satisfy constraint: Member must have length less than or equal to 8/);
  assert.match(one.message, /Value '101' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 100/);
  assert.match(errorOf(() => readQueryInput(unflatten(parseQueryString('Name=abc&MaxResults=ten')), MEMBERS)).message, /^1 validation error detected: Value 'ten' at 'maxResults' failed to satisfy constraint: Member must be an integer$/);
  assert.match(errorOf(() => readQueryInput(unflatten(parseQueryString('Name=abc&Filters=x')), MEMBERS)).message, /at 'filters' failed to satisfy constraint: Member must be a structure/);
  assert.match(errorOf(() => readQueryInput(unflatten(parseQueryString('Name.x=abc')), MEMBERS)).message, /at 'name' failed to satisfy constraint: Member must be a string/);
});

test('escapeXml: markup characters, CR as a reference, what XML 1.0 cannot carry becomes U+FFFD, pairs stay', () => {
  assert.equal(escapeXml(`a&b<c>d"e'f`), `a&amp;b&lt;c&gt;d"e'f`);
  assert.equal(escapeXmlAttribute(`urn:"x"&\ty\n`), 'urn:&quot;x&quot;&amp;&#x9;y&#xA;');
  assert.equal(escapeXml('line1\r\nline2\tend'), 'line1&#xD;\nline2\tend');
  assert.equal(escapeXml('nul\u0000bell\u0007'), 'nul\ufffdbell\ufffd');
  assert.equal(escapeXml('lone \ud800 and \udc00'), 'lone \ufffd and \ufffd');
  assert.equal(escapeXml('emoji \ud83d\ude00 ok'), 'emoji \ud83d\ude00 ok');
  assert.equal(escapeXml('\ufffe\uffff'), '\ufffd\ufffd');
  const plainText = `nothing to escape: AWS::S3::Bucket {"a":[1,2],"b":'c'}`;
  assert.equal(escapeXml(plainText), plainText);
});

test('escaped text survives a real XML parser (Python ElementTree, as botocore parses) unchanged', { skip: skipIfMissing('boto3') }, () => {
  const values = [`{"pattern":"^[a-z]<>&\\"'$"}`, 'cr\r\nlf\nspace  tab\t', 'unicode é ü 漢字 \ud83d\ude00', ']]> <![CDATA[ x ]]>'];
  const xml = renderQueryResponse({
    operation: 'Echo',
    namespace: 'urn:test',
    result: { Values: values },
    requestId: 'r-1',
  });
  const script = [
    'import sys, json, xml.etree.ElementTree as ET',
    'root = ET.fromstring(sys.stdin.buffer.read())',
    "ns = {'t': 'urn:test'}",
    "print(json.dumps([m.text or '' for m in root.findall('t:EchoResult/t:Values/t:member', ns)]))",
  ].join('\n');
  const parsed = JSON.parse(execFileSync('python3', ['-c', script], { input: xml, encoding: 'utf8' })) as string[];
  assert.deepEqual(parsed, values);
});

test('renderQueryResponse: the document, result wrapper, lists as member, maps as entry, timestamps in ISO 8601', () => {
  const xml = renderQueryResponse({
    operation: 'DescribeType',
    namespace: 'http://cloudformation.amazonaws.com/doc/2010-05-15/',
    requestId: '11111111-2222-3333-4444-555555555555',
    result: {
      TypeName: 'AWS::S3::Bucket',
      IsDefaultVersion: true,
      IsActivated: false,
      Count: 3,
      Description: undefined,
      Gone: null,
      LastUpdated: new Date(Date.UTC(2019, 11, 3, 23, 29, 33, 321)),
      Summaries: [{ TypeName: 'A<B' }, { TypeName: 'C' }],
      Empty: [],
      Tags: new Map([['k&', 'v>']]),
    },
  });
  assert.equal(
    xml,
    '<DescribeTypeResponse xmlns="http://cloudformation.amazonaws.com/doc/2010-05-15/"><DescribeTypeResult>' +
      '<TypeName>AWS::S3::Bucket</TypeName><IsDefaultVersion>true</IsDefaultVersion><IsActivated>false</IsActivated><Count>3</Count>' +
      '<LastUpdated>2019-12-03T23:29:33.321Z</LastUpdated>' +
      '<Summaries><member><TypeName>A&lt;B</TypeName></member><member><TypeName>C</TypeName></member></Summaries>' +
      '<Empty></Empty>' +
      '<Tags><entry><key>k&amp;</key><value>v&gt;</value></entry></Tags>' +
      '</DescribeTypeResult><ResponseMetadata><RequestId>11111111-2222-3333-4444-555555555555</RequestId></ResponseMetadata></DescribeTypeResponse>',
  );
  assert.match(renderQueryResponse({ operation: 'GetCallerIdentity', namespace: 'urn:x', result: {}, requestId: 'r', resultElement: 'Other' }), /^<GetCallerIdentityResponse xmlns="urn:x"><Other><\/Other><ResponseMetadata>/);
  assert.equal(isoTimestamp(0), '1970-01-01T00:00:00.000Z');
});

test('renderQueryError: Sender for client errors, Receiver for faults, escaped message, optional namespace', () => {
  const notFound = new QueryError('TypeNotFoundException', "The type 'A<&>' cannot be found.", 404);
  assert.equal(notFound.type, 'Sender');
  assert.equal(
    renderQueryError(notFound, 'req-1', 'http://cloudformation.amazonaws.com/doc/2010-05-15/'),
    '<ErrorResponse xmlns="http://cloudformation.amazonaws.com/doc/2010-05-15/"><Error><Type>Sender</Type><Code>TypeNotFoundException</Code>' +
      "<Message>The type 'A&lt;&amp;&gt;' cannot be found.</Message></Error><RequestId>req-1</RequestId></ErrorResponse>",
  );
  const fault = commonQueryError('InternalFailure', 'boom');
  assert.equal(fault.status, 500);
  assert.equal(fault.type, 'Receiver');
  assert.match(renderQueryError(fault, 'r'), /^<ErrorResponse><Error><Type>Receiver<\/Type><Code>InternalFailure<\/Code>/);
  assert.equal(commonQueryError('MalformedQueryString', 'x').status, 404);
  assert.equal(commonQueryError('ServiceUnavailable', 'x').type, 'Receiver');
});

test('invalidAction: AWS wording, with NO_VERSION_SPECIFIED when Version is missing', () => {
  const e = invalidAction('DescribeStacks', '2010-05-15');
  assert.equal(e.code, 'InvalidAction');
  assert.equal(e.status, 400);
  assert.equal(e.message, 'Could not find operation DescribeStacks for version 2010-05-15');
  assert.equal(invalidAction('ListTypes', undefined).message, 'Could not find operation ListTypes for version NO_VERSION_SPECIFIED');
});
