import type { TypeFormat } from '../format.js';

export const formats: Readonly<Record<string, TypeFormat>> = {
  'AWS::SQS::Queue': {
    sources: [
      // Return values: QueueUrl https://sqs.us-east-2.amazonaws.com/123456789012/ab1-MyQueue-A2BCDEF3GHI4,
      // Arn arn:aws:sqs:us-east-2:123456789012:mystack-myqueue-15PG5C2FC1CW8; a FIFO queue's name ends in .fifo.
      'https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-sqs-queue.html#aws-resource-sqs-queue-return-values',
      // QueueName: up to 80 characters; a FIFO queue's name must end with the .fifo suffix.
      'https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_CreateQueue.html',
      // The defaults: CreateQueue's Attributes list, and the property pages (MaximumMessageSize "Default:
      // 1,048,576 bytes (1 MiB)"; VisibilityTimeout "the default value of 30 seconds").
      'https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-sqs-queue.html#cfn-sqs-queue-maximummessagesize',
      'https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-sqs-queue.html#cfn-sqs-queue-visibilitytimeout',
      'https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_GetQueueAttributes.html',
    ],
    name: { property: 'QueueName', maxLength: 80, suffix: { when: 'FifoQueue', value: '.fifo' } },
    attributes: {
      QueueUrl: 'https://sqs.${AWS::Region}.${AWS::URLSuffix}/${AWS::AccountId}/${QueueName}',
      Arn: 'arn:${AWS::Partition}:sqs:${AWS::Region}:${AWS::AccountId}:${QueueName}',
    },
    // What GetQueueAttributes returns for a queue created without them (CreateQueue's attribute defaults, the
    // same on the AWS::SQS::Queue property pages): VisibilityTimeout 30 seconds, MessageRetentionPeriod 345,600
    // seconds (4 days), MaximumMessageSize 1,048,576 bytes (1 MiB, the default since the 1 MiB limit; it was
    // 262,144), DelaySeconds 0, ReceiveMessageWaitTimeSeconds 0.
    // SqsManagedSseEnabled is true by default only when no KmsMasterKeyId is given (SSE-KMS and SSE-SQS exclude
    // each other); a default cannot depend on another property, so it is left out rather than wrong for KMS queues.
    defaults: {
      VisibilityTimeout: 30,
      MessageRetentionPeriod: 345600,
      MaximumMessageSize: 1048576,
      DelaySeconds: 0,
      ReceiveMessageWaitTimeSeconds: 0,
    },
  },
};
