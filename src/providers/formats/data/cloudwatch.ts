import type { TypeFormat } from '../format.js';

export const formats: Readonly<Record<string, TypeFormat>> = {
  'AWS::CloudWatch::Alarm': {
    sources: [
      // Return values: Arn, the alarm's ARN: arn:<partition>:cloudwatch:<region>:<account>:alarm:<name>.
      'https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-cloudwatch-alarm.html#aws-resource-cloudwatch-alarm-return-values',
      // PutMetricAlarm: AlarmName up to 255 characters.
      'https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html',
    ],
    name: { property: 'AlarmName', maxLength: 255 },
    attributes: {
      Arn: 'arn:${AWS::Partition}:cloudwatch:${AWS::Region}:${AWS::AccountId}:alarm:${AlarmName}',
    },
  },
  'AWS::CloudWatch::CompositeAlarm': {
    sources: [
      // Return values: Arn, an alarm ARN as for metric alarms (arn:aws:cloudwatch:<region>:<account>:alarm:<name>).
      'https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-cloudwatch-compositealarm.html#aws-resource-cloudwatch-compositealarm-return-values',
      // PutCompositeAlarm: AlarmName up to 255 characters.
      'https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutCompositeAlarm.html',
      'https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazoncloudwatch.html#amazoncloudwatch-resources-for-iam-policies',
    ],
    name: { property: 'AlarmName', maxLength: 255 },
    attributes: {
      Arn: 'arn:${AWS::Partition}:cloudwatch:${AWS::Region}:${AWS::AccountId}:alarm:${AlarmName}',
    },
  },
  'AWS::CloudWatch::Dashboard': {
    sources: [
      // Return values: Ref the dashboard's name (generated when DashboardName is not given).
      'https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-cloudwatch-dashboard.html#aws-resource-cloudwatch-dashboard-return-values',
      // PutDashboard: DashboardName up to 255 characters.
      'https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutDashboard.html',
    ],
    name: { property: 'DashboardName', maxLength: 255 },
  },
  'AWS::CloudWatch::InsightRule': {
    sources: [
      // Return values: Arn, the rule's ARN.
      'https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-cloudwatch-insightrule.html#aws-resource-cloudwatch-insightrule-return-values',
      // The insight-rule resource type: arn:${Partition}:cloudwatch:${Region}:${Account}:insight-rule/${InsightRuleName}.
      'https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazoncloudwatch.html#amazoncloudwatch-resources-for-iam-policies',
    ],
    attributes: {
      Arn: 'arn:${AWS::Partition}:cloudwatch:${AWS::Region}:${AWS::AccountId}:insight-rule/${RuleName}',
    },
  },
};
