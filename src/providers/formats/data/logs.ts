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
};
