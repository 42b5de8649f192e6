/**
 * Who is calling, in open mode: read from the SigV4 credential scope without verifying the signature. The
 * region is the scope's region, the account is the access key id when that is 12 digits, and 000000000000
 * otherwise; temporary credentials (a session token) are a role session, as strict mode's are.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { StsCaller } from '../domain/caller.js';
import { DEFAULT_ROLE_NAME, defaultSessionName } from './credentials.js';

export const DEFAULT_REGION = 'us-east-1';
export const DEFAULT_ACCOUNT = '000000000000';

const CREDENTIAL = /Credential=([^/,\s]+)\/\d{8}\/([^/,\s]+)\/([^/,\s]+)\/aws4_request/;

export function callerFrom(headers: IncomingHttpHeaders, query?: URLSearchParams): StsCaller {
  const authorization = headers.authorization;
  let accessKeyId: string | undefined;
  let region: string | undefined;
  const match = authorization ? CREDENTIAL.exec(authorization) : null;
  if (match) {
    accessKeyId = match[1];
    region = match[2];
  } else {
    // Presigned requests carry the scope in X-Amz-Credential: AKID/20211011/us-east-1/service/aws4_request.
    const scope = query?.get('X-Amz-Credential')?.split('/');
    if (scope && scope.length === 5) [accessKeyId, , region] = scope;
  }
  const caller: StsCaller = {
    accountId: accessKeyId && /^\d{12}$/.test(accessKeyId) ? accessKeyId : DEFAULT_ACCOUNT,
    region: region || DEFAULT_REGION,
  };
  if (accessKeyId) caller.accessKeyId = accessKeyId;
  if (accessKeyId && (headers['x-amz-security-token'] !== undefined || query?.has('X-Amz-Security-Token'))) {
    caller.assumedRole = { roleName: DEFAULT_ROLE_NAME, sessionName: defaultSessionName(accessKeyId) };
  }
  return caller;
}
