/**
 * The attribute formats (formats/): the template language, generated names, and the data itself, checked
 * against the built-in catalogue and, when present, the official registry schemas (every template names only
 * properties the type has, every entry cites its sources), then applied by the generic provider.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { cryptoIds, type IdSource } from '../../lib/ids.js';
import { openBuiltInCatalogue } from '../../registry/catalogue.js';
import { openSchemaBundle } from '../../registry/bundle.js';
import type { TypeCatalogue } from '../../registry/types.js';
import { completeModel } from '../generic.js';
import type { RealismContext } from '../realism.js';
import { formAttributes, generatedName, mayLeaveAbsent, templatesOf } from './apply.js';
import { allFormats } from './catalogue.js';
import { loadPatternTranslator, synthesizeDesiredState } from '../../../test/support/synthesize.js';
import { evaluate, evaluateDeep, isBuiltin, MissingValue, placeholdersOf, urlSuffix, type TemplateScope } from './template.js';
import { OFFICIAL_BUNDLE as OFFICIAL_ZIP, skipIfMissing } from '../../../test/support/prerequisites.js';

const builtIn = openBuiltInCatalogue(fileURLToPath(new URL('../../../../../dist/catalogue/', import.meta.url)));

/** Ids that count up, so a test can tell which random value went where. */
function countingIds(): IdSource {
  let n = 0;
  return {
    uuid: () => `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}`,
    timeOrderedUuid: () => `00000000-0000-7000-8000-${String(++n).padStart(12, '0')}`,
    random: (alphabet, length) => alphabet[++n % alphabet.length]!.repeat(length),
  };
}

const scope = (region = 'us-east-1', partition = 'aws'): TemplateScope => ({ partition, region, accountId: '123456789012', ids: countingIds() });
const rc = (typeName: string, region = 'us-east-2', partition = 'aws'): RealismContext => ({
  typeName, accountId: '123456789012', region, partition, ids: cryptoIds, now: Date.UTC(2026, 11, 5),
});

test('templates: the scope, model values, filters and random classes', () => {
  const s = scope('cn-north-1', 'aws-cn');
  assert.equal(evaluate('arn:${AWS::Partition}:x:${AWS::Region}:${AWS::AccountId}:y', s, {}), 'arn:aws-cn:x:cn-north-1:123456789012:y');
  assert.equal(evaluate('${AWS::URLSuffix}', s, {}), 'amazonaws.com.cn');
  assert.equal(urlSuffix('aws-us-gov'), 'amazonaws.com');
  assert.equal(evaluate('${Endpoint.Port}/${Name}', s, { Name: 'n', Endpoint: { Port: 5432 } }), '5432/n');
  assert.equal(evaluate('${Scope|map:REGIONAL=regional,CLOUDFRONT=global}', s, { Scope: 'CLOUDFRONT' }), 'global');
  assert.equal(evaluate('${Scope|map:REGIONAL=regional}', s, { Scope: 'OTHER' }), 'OTHER', 'an unmapped value is kept');
  assert.equal(evaluate('${AWS::Region|map:us-east-1=-,*=.}', scope('us-east-1'), {}), '-');
  assert.equal(evaluate('${AWS::Region|map:us-east-1=-,*=.}', scope('eu-central-1'), {}), '.');
  assert.equal(evaluate('${Name|upper}-${Name|lower}', s, { Name: 'Ab' }), 'AB-ab');
  assert.match(evaluate('sg-${Random:hex:17}', scope(), {}), /^sg-[0-9a-f]{17}$/);
  assert.match(evaluate('${Random:digits:12}', { ...scope(), ids: cryptoIds }, {}), /^\d{12}$/);
  assert.match(evaluate('${Random:uuid}', { ...scope(), ids: cryptoIds }, {}), /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  assert.throws(() => evaluate('${Missing}', s, {}), MissingValue);
  assert.throws(() => evaluate('${Name|shout}', s, { Name: 'a' }), /unknown template filter \|shout/);
  assert.throws(() => evaluate('${Random:greek:3}', s, {}), /unknown placeholder/);
  assert.deepEqual(evaluateDeep({ A: ['${AWS::AccountId}', 1, true, null] }, s, {}), { A: ['123456789012', 1, true, null] });
  assert.deepEqual(placeholdersOf('${A|lower}/${AWS::Region}'), ['A', 'AWS::Region']);
});

test('templates: the part after the last separator, replacements, array items, and rules choosing by a value or leaving an attribute absent', () => {
  const s = scope();
  assert.equal(evaluate('${Cluster|last:/}', s, { Cluster: 'arn:aws:ecs:us-east-1:123456789012:cluster/web' }), 'web');
  assert.equal(evaluate('${Cluster|last:/}', s, { Cluster: 'web' }), 'web', 'without the separator the whole value');
  assert.equal(evaluate('${Random:hex:4|upper}', s, {}).length, 4);
  assert.equal(evaluate('ip-${PrivateIp|replace:.=-}', s, { PrivateIp: '10.0.1.25' }), 'ip-10-0-1-25');
  assert.equal(evaluate('${Config.0.Key}', s, { Config: [{ Key: 'k' }] }), 'k', 'a number picks an array item');
  assert.throws(() => evaluate('${Config.1.Key}', s, { Config: [{ Key: 'k' }] }), MissingValue);
  const format = {
    sources: ['https://example.com'],
    attributes: {
      Kind: { on: 'Type', cases: { network: 'net', true: 'yes' }, else: 'app' },
      Flag: { on: 'Enabled', cases: { true: 'on' } },
      Outpost: { ifSet: 'OutpostConfig', then: 'local' },
      Progress: { absent: true as const },
      Port: { ifSet: 'Port', then: '${Port}', else: { on: 'Engine', cases: { mysql: '3306' } } },
      Guess: { ifSet: 'Known', then: 'k', else: { generic: true as const } },
    },
  };
  const network: Record<string, unknown> = { Type: 'network' };
  assert.deepEqual([...formAttributes(format, s, network)], ['Kind', 'Flag', 'Outpost', 'Progress', 'Port'], 'every rule but the one left to the generic provider decided its attribute');
  assert.deepEqual(network, { Type: 'network', Kind: 'net' }, 'a choice without else leaves the attribute absent');
  const other: Record<string, unknown> = { Enabled: true, OutpostConfig: {} };
  formAttributes(format, s, other);
  assert.deepEqual(other, { Enabled: true, OutpostConfig: {}, Kind: 'app', Flag: 'on', Outpost: 'local' }, 'an absent property takes else; a boolean matches its text');
  assert.equal(mayLeaveAbsent(format.attributes.Flag), true);
  assert.equal(mayLeaveAbsent(format.attributes.Kind), false);
  assert.equal(mayLeaveAbsent(format.attributes.Progress), true);
  assert.equal(mayLeaveAbsent(format.attributes.Port), true, 'a branch without else, deeper down');
  assert.deepEqual(templatesOf(format.attributes.Port), ['${Port}', '${Port}', '${Engine}', '3306']);
  const mysql: Record<string, unknown> = { Engine: 'mysql' };
  formAttributes(format, s, mysql);
  assert.equal(mysql.Port, '3306', 'a choice inside a choice');
  assert.equal(mayLeaveAbsent(format.attributes.Guess), true);
  const known: Record<string, unknown> = { Known: 1 };
  assert.ok(formAttributes(format, s, known).has('Guess'));
  assert.equal(known.Guess, 'k');
  // A schema without the attribute (a registry schema that lacks what the service spec has) gets nothing there.
  const narrow: Record<string, unknown> = { Type: 'network' };
  assert.deepEqual([...formAttributes(format, s, narrow, { Type: {}, Flag: {} })], ['Flag']);
  assert.deepEqual(narrow, { Type: 'network' }, 'Kind is not in the schema: not formed');
});

test('generated names: the short name and 12 random characters, in the case, length and suffix the service wants', () => {
  const s = { ...scope(), ids: cryptoIds };
  assert.match(generatedName('AWS::S3::Bucket', { property: 'BucketName', case: 'lower', maxLength: 63 }, s, {}), /^bucket-[a-z0-9]{12}$/);
  assert.match(generatedName('AWS::SQS::Queue', { property: 'QueueName', suffix: { when: 'FifoQueue', value: '.fifo' } }, s, { FifoQueue: true }), /^Queue-[A-Z0-9]{12}\.fifo$/);
  assert.match(generatedName('AWS::SQS::Queue', { property: 'QueueName', suffix: { when: 'FifoQueue', value: '.fifo' } }, s, { FifoQueue: false }), /^Queue-[A-Z0-9]{12}$/);
  const cut = generatedName('AWS::Demo::VeryLongResourceName', { property: 'Name', maxLength: 16 }, s, {});
  assert.equal(cut.length, 16);
  assert.match(cut, /^Very[A-Z0-9]{12}$/, 'the type name is cut, the random part kept');
  assert.match(generatedName('AWS::Demo::Thing', { property: 'Name', maxLength: 10 }, s, {}), /^[A-Z0-9]{10}$/);
});

/** Every model value a template names must be a property of the type (its first path segment). */
function checkAgainst(catalogue: TypeCatalogue, label: string): number {
  let checked = 0;
  for (const [typeName, format] of allFormats()) {
    const type = catalogue.get(typeName);
    if (!type) continue;
    const properties = type.schema.properties;
    const templates: string[] = [];
    for (const [path, rule] of Object.entries(format.attributes ?? {})) {
      // A rule may name an attribute the service spec has and the registry schema lacks (RDS's
      // StorageOperationStatus, a parameter group's ARN): the generic provider applies only the rules whose
      // attribute the schema has, so it sets nothing a registry model could be refused for.
      const specOnly = label === 'registry' && builtIn.get(typeName)?.schema.properties[path.split('.')[0]!] !== undefined;
      assert.ok(path.split('.')[0]! in properties || specOnly, `${label}: ${typeName} has no property ${path}`);
      templates.push(...templatesOf(rule));
    }
    for (const [key, value] of Object.entries(format.defaults ?? {})) {
      assert.ok(key in properties, `${label}: ${typeName} has no property ${key} for its default`);
      templates.push(JSON.stringify(value));
    }
    if (format.name) assert.ok(format.name.property in properties, `${label}: ${typeName} has no name property ${format.name.property}`);
    for (const pointer of format.writeOnly ?? []) {
      assert.ok(pointer.split('/')[2]! in properties, `${label}: ${typeName} has no property for write-only ${pointer}`);
      // Where the registry schema lists its own, the format's list must agree with it.
      if (label === 'registry') assert.ok(type.schema.writeOnlyProperties?.includes(pointer), `${typeName}: ${pointer} is not write-only in the registry schema`);
    }
    for (const template of templates) {
      for (const name of placeholdersOf(template)) {
        if (!isBuiltin(name)) assert.ok(name.split('.')[0]! in properties, `${label}: ${typeName} template names ${name}, not a property`);
      }
    }
    checked += 1;
  }
  return checked;
}

test('the format data: sources cited, and templates name only real properties', async (t) => {
  for (const [typeName, format] of allFormats()) {
    assert.match(typeName, /^[A-Za-z0-9]+::[A-Za-z0-9]+::[A-Za-z0-9]+$/);
    assert.ok(format.sources.length > 0, `${typeName} cites no source`);
    for (const source of format.sources) assert.match(source, /^https:\/\//, `${typeName}: a source is a link`);
  }
  assert.equal(checkAgainst(builtIn, 'built-in'), [...allFormats().keys()].filter((name) => builtIn.get(name)).length);
  await t.test('against the official registry schemas', { skip: skipIfMissing('bundle') }, () => {
    const bundle = openSchemaBundle(OFFICIAL_ZIP);
    const covered = checkAgainst(bundle, 'registry');
    assert.equal(covered, allFormats().size, 'every described type is in the official bundle');
  });
});

test('every described type, created from a synthesized model of its official schema, forms every attribute its format names, and the result passes the schema', { skip: skipIfMissing('bundle') }, () => {
  const bundle = openSchemaBundle(OFFICIAL_ZIP);
  const { translate } = loadPatternTranslator();
  const problems: string[] = [];
  for (const [typeName, format] of allFormats()) {
    const type = bundle.get(typeName)!;
    const synthesis = synthesizeDesiredState(type.schema, { validate: (m) => type.validate(m), translate, seed: 7 });
    if (!synthesis.ok) {
      problems.push(`${typeName}: no valid model could be synthesized (${synthesis.reason})`);
      continue;
    }
    const model = completeModel(type, synthesis.model, rc(typeName));
    for (const [path, rule] of Object.entries(format.attributes ?? {})) {
      if (mayLeaveAbsent(rule) || !(path.split('.')[0]! in type.schema.properties)) continue;
      const value = path.split('.').reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], model);
      if (value === undefined) problems.push(`${typeName}: ${path} was not formed`);
    }
    for (const violation of type.validate(model)) problems.push(`${typeName}: ${violation}`);
  }
  assert.deepEqual(problems, []);
});

test('S3 bucket: a lower-case generated name, and every domain name and the website URL formed from it', () => {
  const model = completeModel(builtIn.get('AWS::S3::Bucket')!, {}, rc('AWS::S3::Bucket', 'us-east-2'));
  const name = String(model.BucketName);
  assert.match(name, /^bucket-[a-z0-9]{12}$/);
  assert.equal(model.Arn, `arn:aws:s3:::${name}`);
  assert.equal(model.DomainName, `${name}.s3.amazonaws.com`);
  assert.equal(model.DualStackDomainName, `${name}.s3.dualstack.us-east-2.amazonaws.com`);
  assert.equal(model.RegionalDomainName, `${name}.s3.us-east-2.amazonaws.com`);
  assert.equal(model.WebsiteURL, `http://${name}.s3-website.us-east-2.amazonaws.com`);
  const old = completeModel(builtIn.get('AWS::S3::Bucket')!, { BucketName: 'logs' }, rc('AWS::S3::Bucket', 'us-east-1'));
  assert.equal(old.WebsiteURL, 'http://logs.s3-website-us-east-1.amazonaws.com');
  const china = completeModel(builtIn.get('AWS::S3::Bucket')!, { BucketName: 'logs' }, rc('AWS::S3::Bucket', 'cn-north-1', 'aws-cn'));
  assert.equal(china.Arn, 'arn:aws-cn:s3:::logs');
  assert.equal(china.RegionalDomainName, 'logs.s3.cn-north-1.amazonaws.com.cn');
});

test('ECR repository: the URI docker pushes to, and the ARN, name the repository', () => {
  const model = completeModel(builtIn.get('AWS::ECR::Repository')!, { RepositoryName: 'team/app' }, rc('AWS::ECR::Repository', 'eu-west-1'));
  assert.equal(model.RepositoryUri, '123456789012.dkr.ecr.eu-west-1.amazonaws.com/team/app');
  assert.equal(model.Arn, 'arn:aws:ecr:eu-west-1:123456789012:repository/team/app');
  const generated = completeModel(builtIn.get('AWS::ECR::Repository')!, {}, rc('AWS::ECR::Repository'));
  assert.match(String(generated.RepositoryName), /^repository-[a-z0-9]{12}$/);
});

test('security group: Id is GroupId in a VPC and the group name without one; subnet association ids are aclassoc-', () => {
  const sg = builtIn.get('AWS::EC2::SecurityGroup')!;
  const inVpc = completeModel(sg, { GroupDescription: 'd', VpcId: 'vpc-0123456789abcdef0' }, rc(sg.typeName));
  assert.match(String(inVpc.GroupId), /^sg-[0-9a-f]{17}$/);
  assert.equal(inVpc.Id, inVpc.GroupId);
  const classic = completeModel(sg, { GroupDescription: 'd', GroupName: 'web' }, rc(sg.typeName));
  assert.equal(classic.Id, 'web');
  const subnet = completeModel(builtIn.get('AWS::EC2::Subnet')!, { VpcId: 'vpc-0123456789abcdef0' }, rc('AWS::EC2::Subnet'));
  assert.match(String(subnet.SubnetId), /^subnet-[0-9a-f]{17}$/);
  assert.match(String(subnet.NetworkAclAssociationId), /^aclassoc-[0-9a-f]{17}$/);
});

test('log group ARN ends in :*; KMS key policy names the account and partition', () => {
  const group = completeModel(builtIn.get('AWS::Logs::LogGroup')!, { LogGroupName: '/app/web' }, rc('AWS::Logs::LogGroup'));
  assert.equal(group.Arn, 'arn:aws:logs:us-east-2:123456789012:log-group:/app/web:*');
  const key = completeModel(builtIn.get('AWS::KMS::Key')!, {}, rc('AWS::KMS::Key', 'us-gov-west-1', 'aws-us-gov'));
  assert.equal(key.Arn, `arn:aws-us-gov:kms:us-gov-west-1:123456789012:key/${String(key.KeyId)}`);
  assert.doesNotMatch(JSON.stringify(key.KeyPolicy), /<partition>|<account-id>/);
  assert.match(JSON.stringify(key.KeyPolicy), /arn:aws-us-gov:iam::123456789012:root/);
  const own = completeModel(builtIn.get('AWS::KMS::Key')!, { KeyPolicy: { Version: '2012-10-17', Statement: [] } }, rc('AWS::KMS::Key'));
  assert.deepEqual(own.KeyPolicy, { Version: '2012-10-17', Statement: [] }, 'a given policy is kept');
});
