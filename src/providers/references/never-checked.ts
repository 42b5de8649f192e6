/**
 * References ccapi never checks, because what they name exists outside anything ccapi could have created:
 * resources AWS owns in every account, resources of another account, region or partition. Each rule says why,
 * with its source; `whyNotChecked` answers with the rule's reason (for the log), or undefined to check.
 */
import type { Arn } from './arn.js';

export interface ReferenceScope {
  accountId: string;
  region: string;
  partition: string;
}

interface NeverChecked {
  /** Why a matching value is not checked, for logs and docs. */
  reason: string;
  source: string;
  matches(value: string, arn: Arn | undefined, scope: ReferenceScope): boolean;
}

/** `alias/aws/<service>` is the alias form of an AWS managed KMS key, which AWS creates in every account on first use. */
const AWS_MANAGED_ALIAS = /^alias\/aws\//;

export const NEVER_CHECKED: readonly NeverChecked[] = [
  {
    reason: 'an AWS-owned resource (account "aws", e.g. arn:aws:iam::aws:policy/ReadOnlyAccess)',
    source: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_managed-vs-inline.html#aws-managed-policies',
    matches: (_value, arn) => arn?.account === 'aws',
  },
  {
    reason: 'an AWS managed KMS key alias (alias/aws/<service>)',
    source: 'https://docs.aws.amazon.com/kms/latest/developerguide/concepts.html#aws-managed-key',
    matches: (value, arn) => AWS_MANAGED_ALIAS.test(arn ? arn.resource : value),
  },
  {
    // Service-linked roles live under the path /aws-service-role/ and are created by the service itself.
    reason: 'a service-linked role (path /aws-service-role/)',
    source: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/using-service-linked-roles.html',
    matches: (value, arn) => (arn ? arn.resource : value).includes('aws-service-role/'),
  },
  {
    // AWS-managed prefix lists (com.amazonaws.<region>.s3 and others) have pl- ids that differ per region and
    // are owned by AWS; from the id alone ccapi cannot tell them from a customer-managed list, so none is checked.
    reason: 'a prefix list id (AWS-managed prefix lists cannot be told apart by id)',
    source: 'https://docs.aws.amazon.com/vpc/latest/userguide/working-with-aws-managed-prefix-lists.html',
    matches: (value, arn) => /^pl-[0-9a-f]+$/.test(value) || /^prefix-list\/pl-/.test(arn?.resource ?? ''),
  },
  {
    reason: 'a resource of another account',
    source: 'cloud-control-semantics.md "Account and region": nothing crosses the (account, region) boundary',
    matches: (_value, arn, scope) => arn !== undefined && arn.account !== '' && arn.account !== scope.accountId,
  },
  {
    reason: 'a resource of another region or partition',
    source: 'cloud-control-semantics.md "Account and region": nothing crosses the (account, region) boundary',
    matches: (_value, arn, scope) => arn !== undefined && ((arn.region !== '' && arn.region !== scope.region) || arn.partition !== scope.partition),
  },
];

/** Why this referenced value is not checked, or undefined when it is. */
export function whyNotChecked(value: string, arn: Arn | undefined, scope: ReferenceScope): string | undefined {
  return NEVER_CHECKED.find((rule) => rule.matches(value, arn, scope))?.reason;
}
