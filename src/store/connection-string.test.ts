import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'pg-connection-string';
import { maskDatabase } from './connection-string.js';

test('the userinfo password is hidden, in either scheme, encoded or not', () => {
  assert.equal(maskDatabase('postgres://app:s3cret@db:5432/ccapi'), 'postgres://app:***@db:5432/ccapi');
  assert.equal(maskDatabase('postgresql://app:s3cret@db/ccapi'), 'postgresql://app:***@db/ccapi');
  assert.equal(maskDatabase('POSTGRES://app:s%40cr%2Fet@db/ccapi'), 'postgres://app:***@db/ccapi');
  assert.equal(maskDatabase('postgres://app:p@ss@db/ccapi'), 'postgres://app:***@db/ccapi', 'an unencoded @ in the password');
  assert.equal(maskDatabase('postgres://app:pa ss%zz@db/ccapi'), 'postgres://app:***@db/ccapi', 'a space and a stray %, which pg escapes first');
});

test('every password parameter is hidden: repeated, percent-encoded names, any case', () => {
  assert.equal(maskDatabase('postgres://app@db/ccapi?password=s3cret'), 'postgres://app@db/ccapi?password=***');
  assert.equal(
    maskDatabase('postgres://app@db/ccapi?sslmode=require&password=one&pass%77ord=two%20x&PASSWORD=three&sslpassword=four'),
    'postgres://app@db/ccapi?sslmode=require&password=***&password=***&PASSWORD=***&sslpassword=***',
  );
  assert.equal(maskDatabase('postgres://app:one@db/ccapi?password=two'), 'postgres://app:***@db/ccapi?password=***');
});

test('an empty host (the host given as a parameter) still shows the rest, password hidden', () => {
  assert.equal(maskDatabase('postgres://app:s3cret@/ccapi?host=/var/run/postgresql'), 'postgres://app:***@/ccapi?host=/var/run/postgresql');
});

test('what cannot be parsed is not shown; the fragment, which pg ignores, is dropped', () => {
  assert.equal(maskDatabase('postgres://app:pa/ss@db/ccapi'), 'postgres:(unparsable URL, not shown)');
  assert.equal(maskDatabase('postgres://app@db/ccapi#password=s3cret'), 'postgres://app@db/ccapi');
});

test('other URLs are masked the same way; SQLite paths and a URL without secrets are unchanged', () => {
  assert.equal(maskDatabase('mysql://root:s3cret@db/x'), 'mysql://root:***@db/x');
  assert.equal(maskDatabase('postgres:nohost?password=s3cret'), 'postgres:nohost?password=***');
  for (const unchanged of ['ccapi.db', '/var/lib/ccapi/ccapi.db', 'sqlite:/tmp/a:b.db', ':memory:', 'sqlite::memory:', 'C:\\ccapi\\ccapi.db', 'postgres://app@db:5432/ccapi?application_name=x', 'postgres:']) {
    assert.equal(maskDatabase(unchanged), unchanged);
  }
});

test('whatever password pg reads from a connection string, the masked string does not contain it', () => {
  const urls = [
    'postgres://app:Pw0@db/ccapi',
    'postgres://app@db/ccapi?password=Pw1',
    'postgres://app:Pw2@db/ccapi?password=Pw3&password=Pw4',
    'postgres://app@db/ccapi?pass%77ord=Pw5%21',
    'postgres://app:Pw6@/ccapi?host=db&port=5433',
    'postgresql://app:P%20w7@db/ccapi',
  ];
  for (const url of urls) {
    const { password } = parse(url);
    assert.ok(password, `pg reads a password from ${url}`);
    const masked = maskDatabase(url);
    assert.ok(!masked.includes(password) && !masked.includes(encodeURIComponent(password)), `${masked} shows ${password}`);
  }
});
