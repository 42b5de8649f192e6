// `ccapi types realism` through the real command: how each read-only attribute of a created resource is formed
// (a cited format, a derived rule, or a free random string), over the built-in catalogue and AWS's bundle.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { OFFICIAL_ZIP, runCli } from './support.js';
import { skipIfMissing } from '../support/prerequisites.js';

type Counts = { cited: number; derived: number; random: number; absent: number };
interface Report {
  types: { typeName: string; covered: boolean; attributes: Record<string, string>; counts: Counts }[];
  totals: Counts;
  coveredTotals: Counts;
}

async function report(args: string[]): Promise<Report> {
  const { status, stdout, stderr } = await runCli(['types', 'realism', '--json', ...args], undefined, 60_000);
  assert.equal(status, 0, stderr);
  return JSON.parse(stdout) as Report;
}

describe('ccapi types realism', { concurrency: 3 }, () => {
  test('named types: each read-only attribute with how it was formed', async () => {
    const { types } = await report(['AWS::S3::Bucket', 'AWS::EC2::SecurityGroup']);
    const bucket = types.find((t) => t.typeName === 'AWS::S3::Bucket')!;
    assert.equal(bucket.covered, true);
    for (const attribute of ['Arn', 'DomainName', 'DualStackDomainName', 'RegionalDomainName', 'WebsiteURL']) assert.equal(bucket.attributes[attribute], 'cited', attribute);
    const group = types.find((t) => t.typeName === 'AWS::EC2::SecurityGroup')!;
    assert.deepEqual(group.attributes, { Id: 'cited', GroupId: 'cited' });
  });

  test('a required array is given one item, as a caller would: an SNS topic policy is named after its topic', async () => {
    const { types } = await report(['AWS::SNS::TopicPolicy']);
    assert.deepEqual(types[0]!.attributes, { Id: 'cited' });
  });

  test('the whole built-in catalogue: covered types have no random attribute; the others are counted', async () => {
    const { types, totals, coveredTotals } = await report([]);
    assert.ok(types.length > 1000, `${types.length} types`);
    assert.equal(coveredTotals.random, 0, JSON.stringify(types.filter((t) => t.covered && t.counts.random > 0).map((t) => t.typeName)));
    assert.ok(totals.random > 0, 'types without a format still have random attributes: the report must show them');
    const sum = types.reduce((n, t) => n + t.counts.cited + t.counts.derived + t.counts.random + t.counts.absent, 0);
    assert.equal(sum, totals.cited + totals.derived + totals.random + totals.absent);
  });

  test('an unknown type is an error that names it', async () => {
    const { status, stderr } = await runCli(['types', 'realism', 'AWS::Nope::Nothing']);
    assert.equal(status, 1);
    assert.match(stderr, /no resource type AWS::Nope::Nothing in the catalogue/);
  });

  test('the table: random attributes named, and the totals', async () => {
    const { status, stdout } = await runCli(['types', 'realism']);
    assert.equal(status, 0);
    assert.match(stdout, /^TYPE +CITED +DERIVED +RANDOM +ABSENT +RANDOM ATTRIBUTES$/m);
    assert.match(stdout, /^all: \d+ types; read-only attributes \d+ cited, \d+ derived, \d+ random, \d+ absent/m);
    assert.match(stdout, /^covered by a cited format: \d+ types; read-only attributes \d+ cited, \d+ derived, 0 random/m);
  });

  test('over the official bundle', { skip: skipIfMissing('bundle') }, async () => {
    const { coveredTotals, types } = await report(['--schemas', OFFICIAL_ZIP]);
    assert.ok(types.length > 1600);
    assert.equal(coveredTotals.random, 0, JSON.stringify(types.filter((t) => t.covered && t.counts.random > 0).map((t) => [t.typeName, t.attributes])));
  });
});
