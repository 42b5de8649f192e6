// Relationships from the built-in table (dist/catalogue/relationships.json, built by `npm run build`) and from
// registry schemas' relationshipRef, their inverse, and the paths ccapi indexes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { inMemoryCatalogue, openBuiltInCatalogue, resourceTypeFromSchema } from './catalogue.js';
import { layerCatalogues } from './layered.js';
import { indexedPaths, referencedBy, relationshipsInSchema, relationshipsOf } from './relationships.js';
import type { ResourceSchema } from './types.js';

const CATALOGUE_DIR = fileURLToPath(new URL('../../../../dist/catalogue/', import.meta.url));
const built = existsSync(CATALOGUE_DIR + 'relationships.json');
const skip = built ? {} : { skip: `no ${CATALOGUE_DIR}relationships.json (run npm run build)` };
const builtIn = () => openBuiltInCatalogue(CATALOGUE_DIR);

test('built-in: the examples of issue #15', skip, () => {
  const catalogue = builtIn();
  const has = (type: string, path: string, targetType: string, targetProperty: string) =>
    assert.ok(
      relationshipsOf(type, catalogue).some((r) => r.path === path && r.targetType === targetType && r.targetProperty === targetProperty),
      `${type}.${path} → ${targetType}.${targetProperty} in ${JSON.stringify(relationshipsOf(type, catalogue))}`,
    );
  has('AWS::EC2::Subnet', 'VpcId', 'AWS::EC2::VPC', 'VpcId');
  has('AWS::Lambda::Function', 'Role', 'AWS::IAM::Role', 'Arn');
  has('AWS::SQS::Queue', 'KmsMasterKeyId', 'AWS::KMS::Key', 'Arn');
  has('AWS::SQS::Queue', 'KmsMasterKeyId', 'AWS::KMS::Key', 'KeyId');
  has('AWS::SQS::Queue', 'KmsMasterKeyId', 'AWS::KMS::Alias', 'AliasName');
  // Nested paths, arrays marked '*' (the list property itself and arrays of objects on the way).
  has('AWS::EC2::SecurityGroup', 'SecurityGroupIngress/*/SourceSecurityGroupId', 'AWS::EC2::SecurityGroup', 'Id');
  has('AWS::Lambda::Function', 'VpcConfig/SecurityGroupIds/*', 'AWS::EC2::SecurityGroup', 'Id');
  has('AWS::Lambda::Function', 'Layers/*', 'AWS::Lambda::LayerVersion', 'LayerVersionArn');
  assert.deepEqual(relationshipsOf('AWS::No::Such', catalogue), []);
});

test('built-in: the inverse names each source type and path', skip, () => {
  const catalogue = builtIn();
  const toVpc = referencedBy('AWS::EC2::VPC', catalogue);
  assert.ok(toVpc.some((r) => r.sourceType === 'AWS::EC2::Subnet' && r.path === 'VpcId' && r.targetProperty === 'VpcId'));
  assert.ok(toVpc.some((r) => r.sourceType === 'AWS::EC2::SecurityGroup' && r.path === 'VpcId'));
  assert.ok(referencedBy('AWS::IAM::Role', catalogue).some((r) => r.sourceType === 'AWS::Lambda::Function' && r.path === 'Role' && r.targetProperty === 'Arn'));
  // Every inverse row is a forward row of its source.
  for (const r of toVpc) assert.ok(relationshipsOf(r.sourceType, catalogue).some((f) => f.path === r.path && f.targetType === 'AWS::EC2::VPC'));
});

test('built-in: indexedPaths holds the relationship paths and the properties others reference', skip, () => {
  const catalogue = builtIn();
  const subnet = indexedPaths(catalogue.get('AWS::EC2::Subnet')!, catalogue);
  assert.ok(subnet.includes('VpcId'), 'its own reference');
  assert.ok(subnet.includes('SubnetId'), 'what others reference on it (Lambda VpcConfig/SubnetIds → SubnetId)');
  const vpc = indexedPaths(catalogue.get('AWS::EC2::VPC')!, catalogue);
  assert.ok(vpc.includes('VpcId'));
  assert.deepEqual([...vpc], [...new Set(vpc)].sort(), 'sorted, no duplicates');
});

// A registry schema in AWS's form (relationshipRef on `items`, inside definitions, and on a recursive definition).
const registrySchema: ResourceSchema = {
  typeName: 'Test::Net::Endpoint',
  properties: {
    Id: { type: 'string' },
    VpcId: { type: 'string', relationshipRef: { typeName: 'AWS::EC2::VPC', propertyPath: '/properties/VpcId' } },
    EndpointIds: { type: 'array', items: { type: 'string', relationshipRef: { typeName: 'AWS::EC2::VPCEndpoint', propertyPath: '/properties/Id' } } },
    Rules: { type: 'array', items: { $ref: '#/definitions/Rule' } },
    Name: { type: 'string' },
    Account: { type: 'string' },
  },
  definitions: {
    Rule: {
      type: 'object',
      properties: {
        Group: { anyOf: [{ type: 'string', relationshipRef: { typeName: 'AWS::EC2::SecurityGroup', propertyPath: '/properties/GroupId' } }] },
        Children: { type: 'array', items: { $ref: '#/definitions/Rule' } },
      },
    },
  },
  primaryIdentifier: ['/properties/Id'],
  additionalIdentifiers: [['/properties/Name']],
  handlers: { list: { handlerSchema: { properties: { Account: { type: 'string' } }, required: ['Account'] } } },
};

test('registry schemas: relationshipRef on items, through definitions and anyOf, recursion ends', () => {
  assert.deepEqual(relationshipsInSchema(registrySchema), [
    { path: 'VpcId', targetType: 'AWS::EC2::VPC', targetProperty: 'VpcId' },
    { path: 'EndpointIds/*', targetType: 'AWS::EC2::VPCEndpoint', targetProperty: 'Id' },
    // A recursive definition is followed once per path (Rules/*/Children/*/Group is not listed): the paths stay
    // finite, as in the built-in table, where the spec walk does the same.
    { path: 'Rules/*/Group', targetType: 'AWS::EC2::SecurityGroup', targetProperty: 'GroupId' },
  ]);
});

test('registry types carry their relationships, forward, inverse and indexed', () => {
  const catalogue = inMemoryCatalogue([registrySchema, { typeName: 'AWS::EC2::VPC', properties: { VpcId: { type: 'string' } }, primaryIdentifier: ['/properties/VpcId'] }]);
  assert.ok(relationshipsOf('Test::Net::Endpoint', catalogue).some((r) => r.path === 'EndpointIds/*'));
  assert.ok(referencedBy('AWS::EC2::VPC', catalogue).some((r) => r.sourceType === 'Test::Net::Endpoint' && r.path === 'VpcId'));
  const paths = indexedPaths(catalogue.get('Test::Net::Endpoint')!, catalogue);
  for (const p of ['VpcId', 'EndpointIds/*', 'Rules/*/Group', 'Name', 'Account']) assert.ok(paths.includes(p), `${p} in ${paths.join(', ')}`);
  assert.ok(!paths.includes('Id'), 'nothing references it and it is the primary identifier (read by key)');
  assert.ok(indexedPaths(catalogue.get('AWS::EC2::VPC')!, catalogue).includes('VpcId'), 'referenced by the registry type');
});

test('a registry layer over the built-in one adds to its relationships and to the inverse', skip, () => {
  const custom = inMemoryCatalogue([{ ...registrySchema, typeName: 'AWS::EC2::Subnet' }], 'registry');
  const catalogue = layerCatalogues([builtIn(), custom]);
  const rels = relationshipsOf('AWS::EC2::Subnet', catalogue);
  assert.ok(rels.some((r) => r.path === 'VpcId' && r.targetType === 'AWS::EC2::VPC'));
  assert.ok(rels.some((r) => r.path === 'EndpointIds/*'), 'from the registry schema');
  assert.equal(rels.filter((r) => r.path === 'VpcId' && r.targetType === 'AWS::EC2::VPC').length, 1, 'no duplicate of a row both sources have');
  assert.ok(referencedBy('AWS::EC2::VPCEndpoint', catalogue).some((r) => r.sourceType === 'AWS::EC2::Subnet' && r.path === 'EndpointIds/*'));
  assert.ok(indexedPaths(resourceTypeFromSchema(registrySchema, 'registry'), catalogue).includes('VpcId'));
});
