import type { TypeFormat } from '../format.js';

export const formats: Readonly<Record<string, TypeFormat>> = {
  'AWS::Kinesis::Stream': {
    sources: [
      // Return values: Arn, the stream's ARN: arn:<partition>:kinesis:<region>:<account>:stream/<name>.
      'https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-kinesis-stream.html#aws-resource-kinesis-stream-return-values',
      // CreateStream: StreamName up to 128 characters; a new stream keeps records 24 hours (the retention period's
      // default, IncreaseStreamRetentionPeriod/DescribeStreamSummary's RetentionPeriodHours).
      'https://docs.aws.amazon.com/kinesis/latest/APIReference/API_CreateStream.html',
      'https://docs.aws.amazon.com/streams/latest/dev/kinesis-extended-retention.html',
    ],
    name: { property: 'Name', maxLength: 128 },
    attributes: {
      Arn: 'arn:${AWS::Partition}:kinesis:${AWS::Region}:${AWS::AccountId}:stream/${Name}',
    },
    defaults: { RetentionPeriodHours: 24 },
  },
  'AWS::KinesisFirehose::DeliveryStream': {
    sources: [
      // Return values: Arn, arn:<partition>:firehose:<region>:<account>:deliverystream/<name>.
      'https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-kinesisfirehose-deliverystream.html#aws-resource-kinesisfirehose-deliverystream-return-values',
      // CreateDeliveryStream: DeliveryStreamName up to 64 characters.
      'https://docs.aws.amazon.com/firehose/latest/APIReference/API_CreateDeliveryStream.html',
    ],
    name: { property: 'DeliveryStreamName', maxLength: 64 },
    attributes: {
      Arn: 'arn:${AWS::Partition}:firehose:${AWS::Region}:${AWS::AccountId}:deliverystream/${DeliveryStreamName}',
    },
  },
};
