import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { partitionOf } from './partition.js';
import { skipIfMissing } from '../../test/support/prerequisites.js';

test('partitionOf names the partition of each region family', () => {
  assert.equal(partitionOf('us-east-1'), 'aws');
  assert.equal(partitionOf('eu-west-1'), 'aws');
  assert.equal(partitionOf('cn-north-1'), 'aws-cn');
  assert.equal(partitionOf('us-gov-west-1'), 'aws-us-gov');
  assert.equal(partitionOf('us-iso-east-1'), 'aws-iso');
  assert.equal(partitionOf('us-isob-east-1'), 'aws-iso-b');
  assert.equal(partitionOf('eu-isoe-west-1'), 'aws-iso-e');
  assert.equal(partitionOf('us-isof-south-1'), 'aws-iso-f');
  assert.equal(partitionOf('eusc-de-east-1'), 'aws-eusc');
});

test("partitionOf agrees with botocore's partitions.json for every region it lists", { skip: skipIfMissing('boto3') }, () => {
  const script = [
    'import botocore, json, os',
    "d = json.load(open(os.path.join(os.path.dirname(botocore.__file__), 'data', 'partitions.json')))",
    "print(json.dumps({r: p['id'] for p in d['partitions'] for r in p['regions']}))",
  ].join('\n');
  const regions = JSON.parse(execFileSync('python3', ['-c', script], { encoding: 'utf8' })) as Record<string, string>;
  assert.ok(Object.keys(regions).length > 30, 'botocore lists the regions');
  for (const [region, partition] of Object.entries(regions)) {
    // botocore also lists pseudo-regions such as "aws-global" and "aws-cn-global" in their partitions.
    if (region.endsWith('-global')) continue;
    assert.equal(partitionOf(region), partition, region);
  }
});
