/** Seed files: the shape, the defaults, and refusals that name the file, the entry and the reason. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseSeedFile } from './seed-file.js';

test('JSON and YAML give the same entries; account and region default', () => {
  const json = parseSeedFile('s.json', '{"resources": [{"typeName": "AWS::SQS::Queue", "properties": {"QueueName": "q"}}, {"typeName": "AWS::IAM::Role", "account": "123456789012", "region": "eu-west-1"}]}');
  const yaml = parseSeedFile('s.yaml', 'resources:\n  - typeName: AWS::SQS::Queue\n    properties: {QueueName: q}\n  - typeName: AWS::IAM::Role\n    account: "123456789012"\n    region: eu-west-1\n');
  const strip = (entries: typeof json) => entries.map(({ file: _file, ...rest }) => rest);
  assert.deepEqual(strip(json), strip(yaml));
  assert.deepEqual(json[0], { file: 's.json', index: 0, typeName: 'AWS::SQS::Queue', properties: { QueueName: 'q' }, accountId: '000000000000', region: 'us-east-1' });
  assert.deepEqual(json[1]!.properties, {});
  assert.equal(json[1]!.accountId, '123456789012');
});

test('bad files are refused with the file, the entry (index and typeName) and the reason', () => {
  assert.throws(() => parseSeedFile('bad.json', '{"resources": [\n  {"typeName": "AWS::SQS::Queue",}\n]}'), /^SeedFileError: seed file bad\.json: invalid JSON at line 2, column \d+/);
  assert.throws(() => parseSeedFile('bad.yml', 'resources:\n  - typeName: [unclosed\n'), /seed file bad\.yml: invalid YAML at line \d+, column \d+/);
  assert.throws(() => parseSeedFile('s.json', '{"resource": []}'), /seed file s\.json: unknown top-level key "resource"/);
  assert.throws(() => parseSeedFile('s.json', '{"resources": {}}'), /"resources" must be a list/);
  assert.throws(
    () => parseSeedFile('s.json', '{"resources": [{"typeName": "AWS::SQS::Queue"}, {"typeName": "AWS::IAM::Role", "props": {}}]}'),
    /seed file s\.json: resources\[1\] \(AWS::IAM::Role\): unknown key "props"/,
  );
  assert.throws(() => parseSeedFile('s.json', '{"resources": [{"properties": {}}]}'), /resources\[0\] \(\?\): typeName is required/);
  assert.throws(() => parseSeedFile('s.json', '{"resources": [{"typeName": "AWS::SQS::Queue", "properties": []}]}'), /properties must be an object/);
  // YAML reads an unquoted account id as a number: refused rather than silently changed.
  assert.throws(() => parseSeedFile('s.yaml', 'resources:\n  - typeName: AWS::SQS::Queue\n    account: 012345678901\n'), /account must be a 12-digit string/);
  assert.throws(() => parseSeedFile('s.json', '{"resources": [{"typeName": "AWS::SQS::Queue", "region": "Ireland"}]}'), /region must be a Region code/);
});
