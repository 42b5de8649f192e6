/**
 * The credential store behind --credentials FILE: a JSON list of
 * {"accessKeyId", "secretAccessKey", "accountId", "sessionToken"?, "userName"?}. Loading checks every entry
 * and names the bad one; secrets never appear in messages or logs.
 */
import { readFileSync } from 'node:fs';
import type { Credential } from './sigv4.js';

export class CredentialsError extends Error {}

export interface CredentialStore {
  readonly size: number;
  lookup(accessKeyId: string): Credential | undefined;
}

export function parseCredentials(input: unknown, where = 'credentials'): CredentialStore {
  if (!Array.isArray(input)) throw new CredentialsError(`${where} must be a JSON array of {accessKeyId, secretAccessKey, accountId, sessionToken?}`);
  const byKey = new Map<string, Credential>();
  input.forEach((raw, i) => {
    const at = `${where}[${i}]`;
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new CredentialsError(`${at} must be an object`);
    const entry = raw as Record<string, unknown>;
    for (const key of Object.keys(entry)) {
      if (!['accessKeyId', 'secretAccessKey', 'accountId', 'sessionToken', 'userName'].includes(key)) throw new CredentialsError(`${at}.${key} is not a credential field`);
    }
    const { accessKeyId, secretAccessKey, accountId, sessionToken, userName } = entry;
    if (typeof accessKeyId !== 'string' || !/^[A-Za-z0-9]{1,128}$/.test(accessKeyId)) throw new CredentialsError(`${at}.accessKeyId must be a string of letters and digits`);
    if (typeof secretAccessKey !== 'string' || secretAccessKey.length === 0) throw new CredentialsError(`${at}.secretAccessKey must be a non-empty string`);
    if (typeof accountId !== 'string' || !/^\d{12}$/.test(accountId)) throw new CredentialsError(`${at}.accountId must be 12 digits`);
    if (sessionToken !== undefined && (typeof sessionToken !== 'string' || sessionToken.length === 0)) throw new CredentialsError(`${at}.sessionToken must be a non-empty string when given`);
    if (userName !== undefined && (typeof userName !== 'string' || !/^[\w+=,.@-]{1,64}$/.test(userName))) throw new CredentialsError(`${at}.userName must be an IAM user name`);
    if (byKey.has(accessKeyId)) throw new CredentialsError(`${at}.accessKeyId ${accessKeyId} is listed twice`);
    const credential: Credential = { accessKeyId, secretAccessKey, accountId };
    if (sessionToken !== undefined) credential.sessionToken = sessionToken as string;
    if (userName !== undefined) credential.userName = userName as string;
    byKey.set(accessKeyId, credential);
  });
  return { size: byKey.size, lookup: (id) => byKey.get(id) };
}

export function loadCredentials(file: string): CredentialStore {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new CredentialsError(`cannot read the credentials file ${file}: ${(error as Error).message}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new CredentialsError(`the credentials file ${file} is not valid JSON: ${(error as Error).message}`);
  }
  return parseCredentials(parsed, file);
}
