/**
 * What a handler answers when a create or update names a resource that does not exist: the HandlerErrorCode
 * and message the service's handler gives, per referencing property (most specific) or per referenced type,
 * each with the public evidence it rests on. Where no evidence exists, FALLBACK applies (documented in
 * docs/references.md).
 *
 * Handler messages that wrap a service error end with the AWS SDK for Java v2 exception suffix
 * `(Service: <Service>, Status Code: 400, Request ID: <uuid>)`; the request id is a fresh UUID per failure.
 */
import type { HandlerErrorCode } from '../../domain/vocabulary.js';

export interface ReferenceFailure {
  errorCode: HandlerErrorCode;
  /** `{value}` is the referenced value as given; `{requestId}` a fresh UUID; `{typeName}`, `{path}`, `{targetType}` as named. */
  message: string;
  sources: readonly string[];
}

/**
 * EC2's handlers (AWS::EC2::*) report a client-side EC2 error as InvalidRequest with the EC2 message and the
 * SDK suffix: observed for a missing AMI, `Not authorized for images: [ami-…] (Service: Ec2, Status Code: 400,
 * Request ID: …)` (RequestToken: …, HandlerErrorCode: InvalidRequest) in aws-samples/amazon-s3-datalake-handson#10.
 * The EC2 messages for a missing VPC, subnet, security group and route table are EC2's own (sources per entry);
 * that the handler maps their `*.NotFound` codes the same way as the AMI error is an inference.
 */
const EC2_HANDLER = 'https://github.com/aws-samples/amazon-s3-datalake-handson/issues/10 (EC2 handler: InvalidRequest, "(Service: Ec2, Status Code: 400, Request ID: …)")';
const ec2 = (serviceMessage: string, source: string): ReferenceFailure => ({
  errorCode: 'InvalidRequest',
  message: `${serviceMessage} (Service: Ec2, Status Code: 400, Request ID: {requestId})`,
  sources: [source, EC2_HANDLER],
});

/**
 * CloudWatch Logs' own handlers map the service's ResourceNotFoundException to NotFound (aws-cloudformation/
 * aws-cloudformation-resource-providers-logs @5cc1716: aws-logs-logstream BaseHandlerStd.handleError and
 * Translator, aws-logs-metricfilter and aws-logs-subscriptionfilter Translator.translateException:
 * `ResourceNotFoundException → CfnNotFoundException`), with the service's message, "The specified log group does
 * not exist." (Graylog2/graylog-plugin-aws#38 quotes it from PutSubscriptionFilter; CloudFormation shows
 * `Resource handler returned message: "The specified log group does not exist. …"` in
 * aws-solutions-library-samples/guidance-for-claude-code-with-amazon-bedrock#4). The SDK suffix's service name
 * `CloudWatchLogs` is inferred from the SDK for Java v2's naming.
 */
const LOG_GROUP_MISSING: ReferenceFailure = {
  errorCode: 'NotFound',
  message: 'The specified log group does not exist. (Service: CloudWatchLogs, Status Code: 400, Request ID: {requestId})',
  sources: [
    'https://github.com/aws-cloudformation/aws-cloudformation-resource-providers-logs (aws-logs-logstream BaseHandlerStd.handleError: ResourceNotFoundException → CfnNotFoundException)',
    'https://github.com/Graylog2/graylog-plugin-aws/issues/38 (ResourceNotFoundException: The specified log group does not exist.)',
    'https://github.com/aws-solutions-library-samples/guidance-for-claude-code-with-amazon-bedrock/issues/4 (Resource handler returned message: "The specified log group does not exist. …")',
  ],
};

/** Keyed by `<TypeName>.<path>` of the referencing property (path as in relationships: '/'-separated, '*' for items). */
export const FAILURE_BY_PROPERTY: Readonly<Record<string, ReferenceFailure>> = {
  'AWS::Logs::LogStream.LogGroupName': LOG_GROUP_MISSING,
  'AWS::Logs::MetricFilter.LogGroupName': LOG_GROUP_MISSING,
  'AWS::Logs::SubscriptionFilter.LogGroupName': LOG_GROUP_MISSING,
  'AWS::Lambda::Function.Role': {
    errorCode: 'InvalidRequest',
    // Lambda answers a role it cannot assume (a missing one included) with InvalidParameterValueException.
    message: 'The role defined for the function cannot be assumed by Lambda. (Service: Lambda, Status Code: 400, Request ID: {requestId})',
    sources: [
      'https://github.com/pulumi/pulumi-aws-native/issues/148 (Cloud Control: operation CREATE failed with "InvalidRequest": The role defined for the function cannot be assumed by Lambda. (Service: Lambda, Status Code: 400, Request ID: …))',
      'https://github.com/pdomala/LambdaCDDemo/issues/1 (Error Code: InvalidParameterValueException)',
    ],
  },
};

/** Keyed by the referenced type, whoever references it. */
export const FAILURE_BY_TARGET: Readonly<Record<string, ReferenceFailure>> = {
  // EC2 InvalidVpcID.NotFound: "The vpc ID 'vpc-…' does not exist" (CreateSubnet, CreateSecurityGroup, …).
  'AWS::EC2::VPC': ec2("The vpc ID '{value}' does not exist", 'https://github.com/cloudnloud/weekly-cloud-engineer-interview-program/issues/14 (InvalidVpcID.NotFound: The vpc ID \'…\' does not exist)'),
  // EC2 InvalidSubnetID.NotFound.
  'AWS::EC2::Subnet': ec2("The subnet ID '{value}' does not exist", 'https://github.com/boto/boto3/issues/2398 (InvalidSubnetID.NotFound: The subnet ID \'subnet-…\' does not exist)'),
  // EC2 InvalidGroup.NotFound.
  'AWS::EC2::SecurityGroup': ec2(
    "The security group '{value}' does not exist",
    "https://github.com/kubernetes-sigs/aws-load-balancer-controller/issues/2371 (The security group 'sg-…' does not exist (Service: AmazonEC2; Status Code: 400; Error Code: InvalidGroup.NotFound; …))",
  ),
  // EC2 InvalidRouteTableID.NotFound.
  'AWS::EC2::RouteTable': ec2("The routeTable ID '{value}' does not exist", "https://github.com/cloudnloud/weekly-cloud-engineer-interview-program/issues/14 (InvalidRouteTableID.NotFound: The routeTable ID '…' does not exist)"),
};

/**
 * No public source shows the handler's answer: InvalidRequest ("Invalid input from the user", CloudFormation
 * handler error codes, https://docs.aws.amazon.com/cloudformation-cli/latest/userguide/resource-type-test-contract-errors.html)
 * with the Java plugin's default InvalidRequest message `Invalid request provided: %s` (cloud-control-semantics.md
 * §8.3). NotFound is not used: on a create it would say the resource being created is missing.
 */
export const FALLBACK: ReferenceFailure = {
  errorCode: 'InvalidRequest',
  message: "Invalid request provided: {typeName} property {path} references {targetType} '{value}', which does not exist",
  sources: ['https://docs.aws.amazon.com/cloudformation-cli/latest/userguide/resource-type-test-contract-errors.html', 'cloud-control-semantics.md §8.3 (Java default messages)'],
};

/** The failure a handler of `typeName` gives for a missing target of `path`. */
export function failureFor(typeName: string, path: string, targetTypes: readonly string[]): ReferenceFailure {
  return FAILURE_BY_PROPERTY[`${typeName}.${path}`] ?? targetTypes.map((t) => FAILURE_BY_TARGET[t]).find((f) => f !== undefined) ?? FALLBACK;
}

/** The failure's message with its placeholders filled in. */
export function renderFailure(failure: ReferenceFailure, facts: { typeName: string; path: string; targetType: string; value: string; requestId: string }): string {
  return failure.message.replace(/\{(typeName|path|targetType|value|requestId)\}/g, (_, key: keyof typeof facts) => facts[key]);
}
