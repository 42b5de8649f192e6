import type { TypeFormat } from '../format.js';

export const formats: Readonly<Record<string, TypeFormat>> = {
  'AWS::Logs::LogGroup': {
    sources: [
      // Return values: Arn "arn:aws:logs:us-west-1:123456789012:log-group:/mystack-testgroup-12ABC1AB12A1:*".
      'https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-logs-loggroup.html#aws-resource-logs-loggroup-return-values',
      // logGroupName: 1 to 512 characters.
      'https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_CreateLogGroup.html',
    ],
    name: { property: 'LogGroupName', maxLength: 512 },
    attributes: {
      Arn: 'arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:${LogGroupName}:*',
    },
  },
  'AWS::Logs::Destination': {
    sources: [
      // Return values: Arn, arn:<partition>:logs:<region>:<account>:destination:<name>.
      'https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-logs-destination.html#aws-resource-logs-destination-return-values',
      'https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutDestination.html',
    ],
    attributes: {
      Arn: 'arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:destination:${DestinationName}',
    },
  },
  'AWS::Logs::MetricFilter': {
    sources: [
      // FilterName: generated when not given; PutMetricFilter's filterName is up to 512 characters.
      'https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-logs-metricfilter.html',
      'https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutMetricFilter.html',
    ],
    name: { property: 'FilterName', maxLength: 512 },
  },
  'AWS::Logs::SubscriptionFilter': {
    sources: [
      // FilterName: generated when not given; PutSubscriptionFilter's filterName is up to 512 characters and its
      // distribution defaults to ByLogStream.
      'https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-logs-subscriptionfilter.html',
      'https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutSubscriptionFilter.html',
    ],
    name: { property: 'FilterName', maxLength: 512 },
    defaults: { Distribution: 'ByLogStream' },
  },
  'AWS::Logs::LogStream': {
    sources: [
      // Return values: Ref the log stream's name (generated when LogStreamName is not given).
      'https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-logs-logstream.html#aws-resource-logs-logstream-return-values',
      // CreateLogStream: logStreamName up to 512 characters, no ':' or '*'.
      'https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_CreateLogStream.html',
    ],
    name: { property: 'LogStreamName', maxLength: 512 },
  },
  'AWS::Logs::DeliveryDestination': {
    sources: [
      // Return values: Arn, the delivery destination's ARN.
      'https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-logs-deliverydestination.html#aws-resource-logs-deliverydestination-return-values',
      // The delivery-destination resource type: arn:${Partition}:logs:${Region}:${Account}:delivery-destination:${DeliveryDestinationName}.
      'https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazoncloudwatchlogs.html#amazoncloudwatchlogs-resources-for-iam-policies',
    ],
    attributes: {
      Arn: 'arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:delivery-destination:${Name}',
    },
  },
};
