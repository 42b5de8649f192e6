/**
 * STS GetCallerIdentity on the same endpoint (query protocol, SigV4 service `sts`). Terraform awscc always
 * asks STS who it is before its first resource, and Pulumi does by default; without it they stop at once.
 * The identity is the caller's, in the three shapes AWS answers with:
 *
 * - long-term keys of an IAM user: `arn:aws:iam::<account>:user/<name>`, UserId `AIDA…`;
 * - temporary credentials from AssumeRole: `arn:aws:sts::<account>:assumed-role/<role>/<session>`, UserId
 *   `AROA…:<session>` (the role's unique id, a colon, the session name);
 * - the account root: `arn:aws:iam::<account>:root`, UserId the account id.
 *
 * Temporary credentials of an IAM user (GetSessionToken) answer as the user, as on AWS.
 */
import { createHash } from 'node:crypto';
import type { GetCallerIdentityOutput } from '../protocol/sts.js';
import type { StsCaller } from '../domain/caller.js';
import { partitionOf } from '../domain/partition.js';

/** A stable IAM-style unique id: the prefix and 17 characters derived from `seed`. */
function uniqueId(prefix: 'AIDA' | 'AROA', seed: string): string {
  const digest = createHash('sha256').update(seed).digest('base64').replace(/[^A-Z0-9]/gi, '').toUpperCase();
  return `${prefix}${digest.slice(0, 17)}`;
}

export function getCallerIdentity(caller: StsCaller): GetCallerIdentityOutput {
  const partition = partitionOf(caller.region);
  const account = caller.accountId;
  if (caller.assumedRole) {
    const { roleName, sessionName } = caller.assumedRole;
    return {
      UserId: `${uniqueId('AROA', `role:${account}/${roleName}`)}:${sessionName}`,
      Account: account,
      Arn: `arn:${partition}:sts::${account}:assumed-role/${roleName}/${sessionName}`,
    };
  }
  if (caller.userName) {
    return { UserId: uniqueId('AIDA', `${account}/${caller.userName}`), Account: account, Arn: `arn:${partition}:iam::${account}:user/${caller.userName}` };
  }
  return { UserId: account, Account: account, Arn: `arn:${partition}:iam::${account}:root` };
}
