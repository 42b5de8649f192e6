import { test } from 'node:test';
import assert from 'node:assert/strict';
import { knownRegions, zonesOf } from './zones.js';

test('zone names are the Region and a letter; AZ IDs follow the documented short codes', () => {
  assert.deepEqual(zonesOf('us-east-1').map((z) => z.name), ['us-east-1a', 'us-east-1b', 'us-east-1c', 'us-east-1d', 'us-east-1e', 'us-east-1f']);
  assert.deepEqual(zonesOf('eu-west-1').map((z) => z.id), ['euw1-az1', 'euw1-az2', 'euw1-az3']);
  assert.deepEqual(zonesOf('us-west-1'), [{ name: 'us-west-1a', id: 'usw1-az1' }, { name: 'us-west-1b', id: 'usw1-az3' }]);
  assert.equal(zonesOf('ap-northeast-1')[0]!.id, 'apne1-az1');
  assert.equal(zonesOf('us-gov-west-1')[0]!.id, 'usgw1-az1');
  assert.equal(zonesOf('cn-northwest-1')[0]!.id, 'cnnw1-az1');
  assert.deepEqual(zonesOf('xx-nowhere-1'), []);
});

test('every known Region has at least two zones, named after itself, with distinct ids', () => {
  for (const region of knownRegions()) {
    const zones = zonesOf(region);
    assert.ok(zones.length >= 2, region);
    assert.ok(zones.every((z) => new RegExp(`^${region}[a-z]$`).test(z.name)), region);
    assert.equal(new Set(zones.map((z) => z.id)).size, zones.length, region);
  }
});
