import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CredentialsError, parseCredentials } from './credentials.js';

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
