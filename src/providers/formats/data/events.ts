import type { TypeFormat } from '../format.js';

/** The EventBridge resource providers' source (aws-cloudformation-resource-providers-events), at the commit read. */
const PROVIDERS = 'https://github.com/aws-cloudformation/aws-cloudformation-resource-providers-events/blob/5f8850a31f2cbecfcdaf19cf1168bda9225fc75e';
const EVENTS_ARN = 'arn:${AWS::Partition}:events:${AWS::Region}:${AWS::AccountId}';

export const formats: Readonly<Record<string, TypeFormat>> = {
  'AWS::Events::Rule': {
    sources: [
      // Return values: Arn, arn:<partition>:events:<region>:<account>:rule/<name>; a rule on a custom bus has the
      // bus's name before its own, rule/<bus>/<rule> (the handler's rule-ARN patterns, CompositePID).
      'https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-events-rule.html#aws-resource-events-rule-return-values',
      `${PROVIDERS}/aws-events-rule/src/main/java/software/amazon/events/rule/CompositePID.java`,
      // A generated name is at most 64 characters (EVENT_RULE_NAME_MAX_LENGTH).
      `${PROVIDERS}/aws-events-rule/src/main/java/software/amazon/events/rule/CreateHandler.java`,
      // The read returns DescribeRule's EventBusName, "default" for the default bus, and its State, ENABLED
      // unless set otherwise (PutRule: State default ENABLED).
      `${PROVIDERS}/aws-events-rule/src/main/java/software/amazon/events/rule/Translator.java`,
      'https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_DescribeRule.html',
      'https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_PutRule.html',
      // RuleName, in the service spec only (not the registry schema): "The name of the rule, exposed as a
      // read-only attribute for use with Fn::GetAtt", i.e. the rule's Name, given or generated. The rule's
      // name is what EventBridge's metrics and PutTargets take; Ref gives <bus>|<name> (the roadmap issues).
      'https://www.npmjs.com/package/@aws-cdk/aws-service-spec/v/0.1.216',
      'https://github.com/aws-cloudformation/cloudformation-coverage-roadmap/issues/1949',
      'https://github.com/aws-cloudformation/cloudformation-coverage-roadmap/issues/1131',
    ],
    name: { property: 'Name', maxLength: 64 },
    attributes: {
      RuleName: '${Name}',
      Arn: { on: 'EventBusName', cases: { default: `${EVENTS_ARN}:rule/\${Name}` }, else: `${EVENTS_ARN}:rule/\${EventBusName|last:/}/\${Name}` },
    },
    defaults: { EventBusName: 'default', State: 'ENABLED' },
  },
  'AWS::Events::EventBus': {
    sources: [
      // Return values: Arn, arn:<partition>:events:<region>:<account>:event-bus/<name> (Name is required).
      'https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-events-eventbus.html#aws-resource-events-eventbus-return-values',
      'https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_CreateEventBus.html',
    ],
    attributes: {
      Arn: `${EVENTS_ARN}:event-bus/\${Name}`,
    },
  },
  'AWS::Events::Connection': {
    sources: [
      // Return values: Arn arn:aws:events:us-east-1:123456789012:connection/<name>/<uuid>; ArnForPolicy the ARN
      // without the uuid, for IAM policies; SecretArn the Secrets Manager secret EventBridge creates for the
      // connection's authorization, named events!connection/<name>/<uuid> (the registry schema's patterns say the same).
      'https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-events-connection.html#aws-resource-events-connection-return-values',
      'https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-target-connection-auth.html',
      'https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_DescribeConnection.html',
      // Secrets Manager adds a hyphen and six random characters to a secret's name in its ARN.
      'https://docs.aws.amazon.com/secretsmanager/latest/userguide/reference_iam-permissions.html',
      // A generated name is at most 64 characters (MAX_CONNECTION_NAME_LENGTH).
      `${PROVIDERS}/aws-events-connection/src/main/java/software/amazon/events/connection/CreateHandler.java`,
    ],
    name: { property: 'Name', maxLength: 64 },
    attributes: {
      Arn: `${EVENTS_ARN}:connection/\${Name}/\${Random:uuid}`,
      ArnForPolicy: `${EVENTS_ARN}:connection/\${Name}`,
      // The secret holds the authorization parameters: a connection made without them has none.
      SecretArn: {
        ifSet: 'AuthParameters',
        then: 'arn:${AWS::Partition}:secretsmanager:${AWS::Region}:${AWS::AccountId}:secret:events!connection/${Name}/${Arn|last:/}-${Random:alnum:6}',
      },
    },
  },
  'AWS::Events::ApiDestination': {
    sources: [
      // Return values: Arn arn:aws:events:us-east-1:123456789012:api-destination/<name>/<uuid>; ArnForPolicy the
      // ARN without the uuid, for IAM policies.
      'https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-events-apidestination.html#aws-resource-events-apidestination-return-values',
      'https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_CreateApiDestination.html',
      // A generated name is at most 64 characters (MAX_API_DESTINATION_NAME_LENGTH).
      `${PROVIDERS}/aws-events-apidestination/src/main/java/software/amazon/events/apidestination/CreateHandler.java`,
    ],
    name: { property: 'Name', maxLength: 64 },
    attributes: {
      Arn: `${EVENTS_ARN}:api-destination/\${Name}/\${Random:uuid}`,
      ArnForPolicy: `${EVENTS_ARN}:api-destination/\${Name}`,
    },
  },
  'AWS::Events::Archive': {
    sources: [
      // Return values: Arn arn:aws:events:us-east-1:123456789012:archive/<name>.
      'https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-events-archive.html#aws-resource-events-archive-return-values',
      // CreateArchive: ArchiveName up to 48 characters; ArchiveArn.
      'https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_CreateArchive.html',
    ],
    name: { property: 'ArchiveName', maxLength: 48 },
    attributes: {
      Arn: `${EVENTS_ARN}:archive/\${ArchiveName}`,
    },
  },
};
