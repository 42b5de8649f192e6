import { test } from 'node:test';
import assert from 'node:assert/strict';
import { handlerRequest } from '../providers/contract.js';
import { getCallerIdentity } from './sts.js';

test('an IAM user, a role session and the account root, as STS names them', () => {
  const user = getCallerIdentity({ accountId: '111122223333', region: 'us-east-1', userName: 'alice' });
  assert.equal(user.Arn, 'arn:aws:iam::111122223333:user/alice');
  assert.match(user.UserId, /^AIDA[A-Z0-9]{17}$/);

  const session = getCallerIdentity({ accountId: '111122223333', region: 'eu-west-1', assumedRole: { roleName: 'deployer', sessionName: 'ci-42' } });
  assert.equal(session.Arn, 'arn:aws:sts::111122223333:assumed-role/deployer/ci-42');
  assert.match(session.UserId, /^AROA[A-Z0-9]{17}:ci-42$/);
  assert.equal(session.Account, '111122223333');

  const root = getCallerIdentity({ accountId: '444455556666', region: 'us-east-1' });
  assert.deepEqual(root, { UserId: '444455556666', Account: '444455556666', Arn: 'arn:aws:iam::444455556666:root' });
});

test('ids are stable per (account, name), differ between users and roles, and the partition follows the region', () => {
  const a = getCallerIdentity({ accountId: '111122223333', region: 'us-east-1', assumedRole: { roleName: 'deployer', sessionName: 's1' } });
  const b = getCallerIdentity({ accountId: '111122223333', region: 'us-east-1', assumedRole: { roleName: 'deployer', sessionName: 's2' } });
  assert.equal(a.UserId.split(':')[0], b.UserId.split(':')[0], 'one role, one role id, whatever the session');
  const other = getCallerIdentity({ accountId: '444455556666', region: 'us-east-1', assumedRole: { roleName: 'deployer', sessionName: 's1' } });
  assert.notEqual(other.UserId.split(':')[0], a.UserId.split(':')[0]);
  const user = getCallerIdentity({ accountId: '111122223333', region: 'us-east-1', userName: 'deployer' });
  assert.notEqual(user.UserId.slice(4), a.UserId.slice(4, 21));
  assert.equal(getCallerIdentity({ accountId: '111122223333', region: 'cn-north-1', assumedRole: { roleName: 'r', sessionName: 'ss' } }).Arn, 'arn:aws-cn:sts::111122223333:assumed-role/r/ss');
  assert.equal(getCallerIdentity({ accountId: '111122223333', region: 'us-gov-west-1', userName: 'u' }).Arn, 'arn:aws-us-gov:iam::111122223333:user/u');
});

test('GetCallerIdentity and the handler request name the same partition, in every partition (us-iso too)', () => {
  for (const region of ['us-east-1', 'cn-north-1', 'us-gov-west-1', 'us-iso-east-1', 'us-isob-east-1']) {
    const arn = getCallerIdentity({ accountId: '111122223333', region, userName: 'u' }).Arn;
    const request = handlerRequest('READ', 'AWS::Logs::LogGroup', { accountId: '111122223333', region }, 'token');
    assert.equal(arn.split(':')[1], request.awsPartition, region);
  }
  assert.equal(getCallerIdentity({ accountId: '111122223333', region: 'us-iso-east-1' }).Arn, 'arn:aws-iso:iam::111122223333:root');
});
