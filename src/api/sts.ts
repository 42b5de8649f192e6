/**
 * STS GetCallerIdentity on the same endpoint (query protocol, SigV4 service `sts`). Terraform awscc always
 * asks STS who it is before its first resource, and Pulumi does by default; without it they stop at once.
 * The identity is the caller's: its account, and an IAM user ARN when the credential names a user, else root.
 */
import { createHash } from 'node:crypto';
import type { XmlStruct } from '../protocol/query.js';
import type { Caller } from './context.js';

export const STS_VERSION = '2011-06-15';
export const STS_NAMESPACE = 'https://sts.amazonaws.com/doc/2011-06-15/';
export const STS_SIGNING_NAME = 'sts';

export interface GetCallerIdentityOutput extends XmlStruct {
  UserId: string;
  Account: string;
  Arn: string;
}

/** A stable IAM-style unique id ("AIDA" + 17 characters) for a user, derived from account and name. */
function userUniqueId(accountId: string, userName: string): string {
  const digest = createHash('sha256').update(`${accountId}/${userName}`).digest('base64').replace(/[^A-Z0-9]/gi, '').toUpperCase();
  return `AIDA${digest.slice(0, 17)}`;
}

export function getCallerIdentity(caller: Caller): GetCallerIdentityOutput {
  const partition = caller.region.startsWith('cn-') ? 'aws-cn' : caller.region.startsWith('us-gov-') ? 'aws-us-gov' : 'aws';
  if (caller.userName) {
    return {
      UserId: userUniqueId(caller.accountId, caller.userName),
      Account: caller.accountId,
      Arn: `arn:${partition}:iam::${caller.accountId}:user/${caller.userName}`,
    };
  }
  return { UserId: caller.accountId, Account: caller.accountId, Arn: `arn:${partition}:iam::${caller.accountId}:root` };
}
