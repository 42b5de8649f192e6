/**
 * ARNs, as references carry them: `arn:partition:service:region:account-id:resource`, where the resource part
 * may itself hold colons (`arn:aws:logs:us-east-1:111122223333:log-group:name:*`). Format documented at
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html; global services (IAM, S3 buckets)
 * leave the region empty, and S3 bucket ARNs leave the account empty too.
 */
export interface Arn {
  partition: string;
  service: string;
  /** Empty for a global service. */
  region: string;
  /** Empty where the service omits it (S3 buckets); `aws` for AWS-owned resources (managed policies). */
  account: string;
  /** Everything after the fifth colon: `role/path/name`, `key/1234…`, `alias/name`, `function:name`. */
  resource: string;
}

/** The parts of an ARN, or undefined when the value is not one. */
export function parseArn(value: string): Arn | undefined {
  if (!value.startsWith('arn:')) return undefined;
  const parts = value.split(':');
  if (parts.length < 6) return undefined;
  const [, partition, service, region, account] = parts as [string, string, string, string, string];
  if (!partition || !service) return undefined;
  return { partition, service, region, account, resource: parts.slice(5).join(':') };
}

/**
 * The forms a referenced resource may be named by, most specific first: the value itself, and for an ARN its
 * resource part (`alias/name`, `key/1234…`) and that part's last segment (the KeyId, the role or function
 * name), so that a KMS key ARN finds the key by its KeyId and an alias ARN finds the alias by `alias/name`.
 */
export function namingForms(value: string, arn: Arn | undefined): string[] {
  if (!arn) return [value];
  const forms = [value, arn.resource];
  const last = arn.resource.split(/[/:]/).filter(Boolean).pop();
  if (last !== undefined) forms.push(last);
  return [...new Set(forms)];
}
