import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CredentialsError, DEFAULT_ROLE_NAME, parseCredentials } from './credentials.js';

test('valid entries are looked up by access key', () => {
  const store = parseCredentials([
    { accessKeyId: 'AKIA1', secretAccessKey: 's1', accountId: '111122223333' },
    { accessKeyId: 'ASIA2', secretAccessKey: 's2', accountId: '444455556666', sessionToken: 't', userName: 'alice' },
  ]);
  assert.equal(store.size, 2);
  assert.equal(store.lookup('ASIA2')?.sessionToken, 't');
  assert.equal(store.lookup('nope'), undefined);
});

test('bad entries are named, and secrets are never echoed', () => {
  const bad = (input: unknown, message: RegExp) =>
    assert.throws(() => parseCredentials(input, 'creds.json'), (e: Error) => e instanceof CredentialsError && message.test(e.message) && !e.message.includes('supersecret'));
  bad({}, /must be a JSON array/);
  bad([{ accessKeyId: 'A', secretAccessKey: 'supersecret', accountId: '123' }], /^creds\.json\[0\]\.accountId must be 12 digits$/);
  bad([{ accessKeyId: 'A', secretAccessKey: '', accountId: '111122223333' }], /\[0\]\.secretAccessKey/);
  bad([{ accessKeyId: 'A', secretAccessKey: 'supersecret', accountId: '111122223333', extra: 1 }], /\[0\]\.extra is not a credential field/);
  bad([{ accessKeyId: 'A', secretAccessKey: 'supersecret', accountId: '111122223333' }, { accessKeyId: 'A', secretAccessKey: 'supersecret', accountId: '111122223333' }], /\[1\]\.accessKeyId A is listed twice/);
});

test('temporary credentials are a role session unless they name a user (AssumeRole vs GetSessionToken)', () => {
  const store = parseCredentials([
    { accessKeyId: 'ASIAROLE', secretAccessKey: 's', accountId: '111122223333', sessionToken: 't', roleName: 'deployer', sessionName: 'ci-42' },
    { accessKeyId: 'ASIADEFAULTS', secretAccessKey: 's', accountId: '111122223333', sessionToken: 't' },
    { accessKeyId: 'ASIAUSER', secretAccessKey: 's', accountId: '111122223333', sessionToken: 't', userName: 'alice' },
    { accessKeyId: 'AKIALONGTERM', secretAccessKey: 's', accountId: '111122223333' },
  ]);
  const role = (id: string) => {
    const c = store.lookup(id)!;
    return c.roleName === undefined ? undefined : `${c.roleName}/${c.sessionName}`;
  };
  assert.equal(role('ASIAROLE'), 'deployer/ci-42');
  assert.equal(role('ASIADEFAULTS'), `${DEFAULT_ROLE_NAME}/ASIADEFAULTS`);
  assert.equal(role('ASIAUSER'), undefined);
  assert.equal(store.lookup('ASIAUSER')!.userName, 'alice');
  assert.equal(role('AKIALONGTERM'), undefined);
});

test('roleName and sessionName need a session token, exclude userName, and follow IAM’s name rules', () => {
  const bad = (entry: Record<string, unknown>, message: RegExp) =>
    assert.throws(() => parseCredentials([{ accessKeyId: 'ASIA1', secretAccessKey: 's', accountId: '111122223333', ...entry }], 'c.json'), (e: Error) => e instanceof CredentialsError && message.test(e.message));
  bad({ roleName: 'deployer' }, /^c\.json\[0\]: roleName and sessionName describe temporary credentials/);
  bad({ sessionToken: 't', roleName: 'deployer', userName: 'alice' }, /either an IAM user's \(userName\) or a role session's/);
  bad({ sessionToken: 't', roleName: 'no spaces' }, /\[0\]\.roleName must be an IAM role name/);
  bad({ sessionToken: 't', sessionName: 'x' }, /\[0\]\.sessionName must be a role session name/);
  bad({ sessionToken: 't', sessionName: 's'.repeat(65) }, /\[0\]\.sessionName/);
});
