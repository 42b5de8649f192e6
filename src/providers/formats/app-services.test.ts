/**
 * The application-services formats (IAM, Lambda, SNS, SQS, DynamoDB, Secrets Manager, SSM, Step Functions,
 * EventBridge, Kinesis, CloudWatch, Logs, KMS): the template features they use, and the values a create forms.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cryptoIds } from '../../lib/ids.js';
import { evaluate, type TemplateScope } from './template.js';

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
