import type { TypeFormat } from '../format.js';

export const formats: Readonly<Record<string, TypeFormat>> = {
  'AWS::SQS::Queue': {
    sources: [
      // Return values: QueueUrl https://sqs.us-east-2.amazonaws.com/123456789012/ab1-MyQueue-A2BCDEF3GHI4,
      // Arn arn:aws:sqs:us-east-2:123456789012:mystack-myqueue-15PG5C2FC1CW8; a FIFO queue's name ends in .fifo.
      'https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-sqs-queue.html#aws-resource-sqs-queue-return-values',
      // QueueName: up to 80 characters; a FIFO queue's name must end with the .fifo suffix.
      'https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_CreateQueue.html',
    ],
    name: { property: 'QueueName', maxLength: 80, suffix: { when: 'FifoQueue', value: '.fifo' } },
    attributes: {
      QueueUrl: 'https://sqs.${AWS::Region}.${AWS::URLSuffix}/${AWS::AccountId}/${QueueName}',
      Arn: 'arn:${AWS::Partition}:sqs:${AWS::Region}:${AWS::AccountId}:${QueueName}',
    },
  },
};
