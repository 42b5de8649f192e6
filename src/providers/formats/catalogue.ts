/**
 * Every type's format (formats/format.ts), gathered from the data files under formats/data/, one per service.
 * A contributor adds a type by adding an entry to its service's file (or a new file listed here).
 */
import type { TypeFormat } from './format.js';
import { formats as apigateway } from './data/apigateway.js';
import { formats as apigatewayv2 } from './data/apigatewayv2.js';
import { formats as cloudfront } from './data/cloudfront.js';
import { formats as cloudwatch } from './data/cloudwatch.js';
import { formats as cognito } from './data/cognito.js';
import { formats as dynamodb } from './data/dynamodb.js';
import { formats as ec2 } from './data/ec2.js';
import { formats as ecr } from './data/ecr.js';
import { formats as ecs } from './data/ecs.js';
import { formats as eks } from './data/eks.js';
import { formats as elbv2 } from './data/elbv2.js';
import { formats as events } from './data/events.js';
import { formats as iam } from './data/iam.js';
import { formats as kinesis } from './data/kinesis.js';
import { formats as kms } from './data/kms.js';
import { formats as lambda } from './data/lambda.js';
import { formats as logs } from './data/logs.js';
import { formats as rds } from './data/rds.js';
import { formats as route53 } from './data/route53.js';
import { formats as s3 } from './data/s3.js';
import { formats as secretsmanager } from './data/secretsmanager.js';
import { formats as sns } from './data/sns.js';
import { formats as sqs } from './data/sqs.js';
import { formats as ssm } from './data/ssm.js';
import { formats as stepfunctions } from './data/stepfunctions.js';
import { formats as wafv2 } from './data/wafv2.js';

const FILES: readonly Readonly<Record<string, TypeFormat>>[] = [
  apigateway, apigatewayv2, cloudfront, cloudwatch, cognito, dynamodb, ec2, ecr, ecs, eks, elbv2, events, iam, kinesis, kms, lambda, logs, rds, route53, s3, secretsmanager, sns, sqs, ssm, stepfunctions, wafv2,
];

const FORMATS: ReadonlyMap<string, TypeFormat> = new Map(FILES.flatMap((file) => Object.entries(file)));

/** The type's format, or undefined when no one has described it yet (the generic rules apply). */
export function formatOf(typeName: string): TypeFormat | undefined {
  return FORMATS.get(typeName);
}

/** Every described type and its format, for the data checks and the realism report. */
export function allFormats(): ReadonlyMap<string, TypeFormat> {
  return FORMATS;
}
