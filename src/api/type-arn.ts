/**
 * CloudFormation registry type ARNs: arn:aws:cloudformation:us-east-1::type/resource/AWS-S3-Bucket, made for
 * DescribeType/ListTypes answers and read back from DescribeType's Arn.
 */
import { partitionOf } from '../domain/partition.js';
import type { Caller } from '../domain/caller.js';
import type { RegistryType } from '../protocol/cloudformation.js';

/** arn:aws:cloudformation:us-east-1::type/resource/AWS-S3-Bucket (public types carry no account). */
export function typeArn(caller: Pick<Caller, 'region'>, typeName: string): string {
  return `arn:${partitionOf(caller.region)}:cloudformation:${caller.region}::type/resource/${typeName.replaceAll('::', '-')}`;
}

const TYPE_ARN = /^arn:([A-Za-z0-9-]+):cloudformation:([A-Za-z0-9-]+):([0-9]{12})?:type\/(resource|module|hook)\/([A-Za-z0-9]{2,64}(?:-[A-Za-z0-9]{2,64}){2,3})(?:\/([A-Za-z0-9-]+))?$/;

interface ParsedTypeArn {
  partition: string;
  region: string;
  account: string | undefined;
  registryType: RegistryType;
  typeName: string;
  versionId: string | undefined;
}

export function parseTypeArn(arn: string): ParsedTypeArn | undefined {
  const match = TYPE_ARN.exec(arn);
  if (!match) return undefined;
  return {
    partition: match[1]!,
    region: match[2]!,
    account: match[3] || undefined,
    registryType: match[4]!.toUpperCase() as RegistryType,
    typeName: match[5]!.replaceAll('-', '::'),
    versionId: match[6],
  };
}
