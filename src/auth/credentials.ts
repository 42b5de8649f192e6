/**
 * The credential store behind --credentials FILE: a JSON list of
 * {"accessKeyId", "secretAccessKey", "accountId", "sessionToken"?, "userName"?, "roleName"?, "sessionName"?}.
 * Loading checks every entry and names the bad one; secrets never appear in messages or logs.
 *
 * Who a credential is (what STS GetCallerIdentity answers), as on AWS:
 * - long-term keys: the IAM user `userName`, or the account root without one;
 * - temporary keys (with a `sessionToken`) of a user (`userName`): that user (GetSessionToken credentials);
 * - other temporary keys: a role session (AssumeRole credentials), `roleName` (default "ccapi") and
 *   `sessionName` (default: the access key id, unique per credential, when it fits a session name).
 */
import { readFileSync } from 'node:fs';
import type { Credential } from './sigv4.js';

export class CredentialsError extends Error {}

const CREDENTIAL_FIELDS = ['accessKeyId', 'secretAccessKey', 'accountId', 'sessionToken', 'userName', 'roleName', 'sessionName'];
/** IAM user and role names: 1 to 64 of letters, digits and +=,.@_- */
const IAM_NAME = /^[\w+=,.@-]{1,64}$/;
const SESSION_NAME = /^[\w+=,.@-]{2,64}$/;
/** The role a temporary credential without a roleName stands for. */
export const DEFAULT_ROLE_NAME = 'ccapi';
/** The session a temporary credential without a sessionName stands for: its access key id, when that fits. */
export const defaultSessionName = (accessKeyId: string) => (SESSION_NAME.test(accessKeyId) ? accessKeyId : 'ccapi-session');

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
      if (!CREDENTIAL_FIELDS.includes(key)) throw new CredentialsError(`${at}.${key} is not a credential field`);
    }
    const { accessKeyId, secretAccessKey, accountId, sessionToken, userName, roleName, sessionName } = entry;
    if (typeof accessKeyId !== 'string' || !/^[A-Za-z0-9]{1,128}$/.test(accessKeyId)) throw new CredentialsError(`${at}.accessKeyId must be a string of letters and digits`);
    if (typeof secretAccessKey !== 'string' || secretAccessKey.length === 0) throw new CredentialsError(`${at}.secretAccessKey must be a non-empty string`);
    if (typeof accountId !== 'string' || !/^\d{12}$/.test(accountId)) throw new CredentialsError(`${at}.accountId must be 12 digits`);
    if (sessionToken !== undefined && (typeof sessionToken !== 'string' || sessionToken.length === 0)) throw new CredentialsError(`${at}.sessionToken must be a non-empty string when given`);
    if (userName !== undefined && (typeof userName !== 'string' || !IAM_NAME.test(userName))) throw new CredentialsError(`${at}.userName must be an IAM user name`);
    if (roleName !== undefined && (typeof roleName !== 'string' || !IAM_NAME.test(roleName))) throw new CredentialsError(`${at}.roleName must be an IAM role name`);
    if (sessionName !== undefined && (typeof sessionName !== 'string' || !SESSION_NAME.test(sessionName))) throw new CredentialsError(`${at}.sessionName must be a role session name (2 to 64 of letters, digits and +=,.@_-)`);
    if ((roleName !== undefined || sessionName !== undefined) && sessionToken === undefined) {
      throw new CredentialsError(`${at}: roleName and sessionName describe temporary credentials (AssumeRole): give the sessionToken too`);
    }
    if ((roleName !== undefined || sessionName !== undefined) && userName !== undefined) {
      throw new CredentialsError(`${at}: a credential is either an IAM user's (userName) or a role session's (roleName, sessionName), not both`);
    }
    if (byKey.has(accessKeyId)) throw new CredentialsError(`${at}.accessKeyId ${accessKeyId} is listed twice`);
    const credential: Credential = { accessKeyId, secretAccessKey, accountId };
    if (sessionToken !== undefined) credential.sessionToken = sessionToken as string;
    if (userName !== undefined) credential.userName = userName as string;
    else if (sessionToken !== undefined) {
      credential.roleName = (roleName as string | undefined) ?? DEFAULT_ROLE_NAME;
      credential.sessionName = (sessionName as string | undefined) ?? defaultSessionName(accessKeyId);
    }
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
