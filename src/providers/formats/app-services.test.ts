/**
 * The application-services formats (IAM, Lambda, SNS, SQS, DynamoDB, Secrets Manager, SSM, Step Functions,
 * EventBridge, Kinesis, CloudWatch, Logs, KMS): the template features they use, and the values a create forms.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { cryptoIds } from '../../lib/ids.js';
import { openBuiltInCatalogue } from '../../registry/catalogue.js';
import { completeModel } from '../generic.js';
import type { RealismContext } from '../realism.js';
import { formAttributes } from './apply.js';
import { evaluate, type TemplateScope } from './template.js';

const builtIn = openBuiltInCatalogue(fileURLToPath(new URL('../../../../../dist/catalogue/', import.meta.url)));
const NOW = Date.UTC(2026, 11, 5, 21, 21, 33, 291);
const rc = (typeName: string, region = 'us-east-2', partition = 'aws'): RealismContext => ({
  typeName, accountId: '123456789012', region, partition, ids: cryptoIds, now: NOW,
});
/** A create of the type from the desired model, as the generic provider completes it. */
const create = (typeName: string, desired: Record<string, unknown>, region?: string, partition?: string) =>
  completeModel(builtIn.get(typeName)!, desired, rc(typeName, region, partition));

const scope = (now?: number): TemplateScope => ({ partition: 'aws', region: 'us-east-1', accountId: '123456789012', ids: cryptoIds, now });

test('templates: ${Time:iso} and ${Time:epoch} give the creation time', () => {
  const at = Date.UTC(2026, 11, 5, 21, 21, 33, 291);
  assert.equal(evaluate('${Time:iso}', scope(at), {}), '2026-12-05T21:21:33.291Z');
  assert.equal(evaluate('${Time:epoch}', scope(at), {}), String(Math.floor(at / 1000)));
  assert.equal(evaluate('${Time:isoSeconds}', scope(at), {}), '2026-12-05T21:21:33Z');
  assert.equal(evaluate('${Time:iso|replace:Z=}', scope(at), {}), '2026-12-05T21:21:33.291');
  assert.match(evaluate('${Time:iso}', scope(), {}), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/, 'the clock when the scope has no time');
  assert.throws(() => evaluate('${Time:week}', scope(at), {}), /unknown placeholder/);
});

test('templates: trimStart drops one leading prefix, when there is one', () => {
  assert.equal(evaluate('parameter/${Name|trimStart:/}', scope(), { Name: '/app/db' }), 'parameter/app/db');
  assert.equal(evaluate('parameter/${Name|trimStart:/}', scope(), { Name: 'db' }), 'parameter/db');
  assert.equal(evaluate('${Name|trimStart:/}', scope(), { Name: '//x' }), '/x');
});

test('IAM: ARNs carry the path and no Region; unique ids have their kind\'s prefix; names fit the limits', () => {
  const role = create('AWS::IAM::Role', { AssumeRolePolicyDocument: {}, Path: '/service/' }, 'eu-west-1', 'aws-cn');
  assert.match(String(role.RoleName), /^Role-[A-Z0-9]{12}$/);
  assert.equal(role.Arn, `arn:aws-cn:iam::123456789012:role/service/${String(role.RoleName)}`);
  assert.match(String(role.RoleId), /^AROA[A-Z0-9]{17}$/);
  assert.equal(role.MaxSessionDuration, 3600);
  const plain = create('AWS::IAM::Role', { AssumeRolePolicyDocument: {}, RoleName: 'app' });
  assert.equal(plain.Arn, 'arn:aws:iam::123456789012:role/app');
  assert.equal(plain.Path, '/');
  assert.equal(create('AWS::IAM::User', { UserName: 'ana' }).Arn, 'arn:aws:iam::123456789012:user/ana');
  assert.equal(create('AWS::IAM::Group', { GroupName: 'ops', Path: '/t/' }).Arn, 'arn:aws:iam::123456789012:group/t/ops');
  assert.equal(create('AWS::IAM::InstanceProfile', { Roles: ['r'], InstanceProfileName: 'web' }).Arn, 'arn:aws:iam::123456789012:instance-profile/web');
  const policy = create('AWS::IAM::ManagedPolicy', { PolicyDocument: {}, ManagedPolicyName: 'read' });
  assert.equal(policy.PolicyArn, 'arn:aws:iam::123456789012:policy/read');
  assert.match(String(policy.PolicyId), /^ANPA[A-Z0-9]{17}$/);
  assert.equal(policy.DefaultVersionId, 'v1');
  assert.equal(policy.IsAttachable, true);
  assert.equal(policy.CreateDate, '2026-12-05T21:21:33Z');
  assert.equal(policy.UpdateDate, policy.CreateDate);
  const key = create('AWS::IAM::AccessKey', { UserName: 'ana' });
  assert.match(String(key.Id), /^AKIA[A-Z0-9]{16}$/);
  assert.match(String(key.SecretAccessKey), /^[A-Za-z0-9]{40}$/);
  assert.equal(key.Status, 'Active');
  const oidc = create('AWS::IAM::OIDCProvider', { Url: 'https://token.actions.githubusercontent.com', ThumbprintList: [] });
  assert.equal(oidc.Arn, 'arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com');
});

test('choices: a number in an ifSet path asks for an array\'s item', () => {
  const format = { sources: [], attributes: { Id: { ifSet: 'Topics.0', then: '${Topics.0}' } } };
  const some: Record<string, unknown> = { Topics: ['arn:a', 'arn:b'] };
  formAttributes(format, scope(NOW), some);
  assert.equal(some.Id, 'arn:a');
  const none: Record<string, unknown> = { Topics: [] };
  formAttributes(format, scope(NOW), none);
  assert.equal('Id' in none, false);
});
