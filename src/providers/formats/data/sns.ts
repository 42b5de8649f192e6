import type { TypeFormat } from '../format.js';

/** The SNS resource providers' source (aws-cloudformation-resource-providers-sns), at the commit read. */
const PROVIDERS = 'https://github.com/aws-cloudformation/aws-cloudformation-resource-providers-sns/blob/73bd30ef6e825a18c8e6b8539242dff00dd535be';

export const formats: Readonly<Record<string, TypeFormat>> = {
  'AWS::SNS::Topic': {
    sources: [
      // Return values: TopicArn (Ref) arn:aws:sns:us-east-1:123456789012:mystack-mytopic-NZJ5JSMVGFIE.
      'https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-sns-topic.html#aws-resource-sns-topic-return-values',
      // A generated name is at most 256 characters, and a FIFO topic's ends in .fifo (TOPIC_NAME_MAX_LENGTH,
      // FIFO_TOPIC_EXTENSION).
      `${PROVIDERS}/aws-sns-topic/src/main/java/software/amazon/sns/topic/CreateHandler.java`,
      `${PROVIDERS}/aws-sns-topic/src/main/java/software/amazon/sns/topic/BaseHandlerStd.java`,
    ],
    name: { property: 'TopicName', maxLength: 256, suffix: { when: 'FifoTopic', value: '.fifo' } },
    attributes: {
      TopicArn: 'arn:${AWS::Partition}:sns:${AWS::Region}:${AWS::AccountId}:${TopicName}',
    },
  },
  'AWS::SNS::Subscription': {
    sources: [
      // Return values: Arn (Ref) the subscription's ARN.
      'https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-sns-subscription.html#aws-resource-sns-subscription-return-values',
      // Subscribe's SubscriptionArn: the topic's ARN, a colon and a UUID,
      // arn:aws:sns:us-west-2:123456789012:MyTopic:6b0e71bd-7e97-4d97-80ce-4a0994e55286.
      'https://docs.aws.amazon.com/sns/latest/api/API_Subscribe.html',
    ],
    attributes: {
      Arn: '${TopicArn}:${Random:uuid}',
    },
  },
  'AWS::SNS::TopicPolicy': {
    sources: [
      // The create handler sets the Id to the ARN of a topic of Topics (the last one it applied the policy to,
      // in a set's order). A policy on no topic gets none from it; the primary identifier is then left to the
      // generic rules (AWS's handler would return no identifier at all).
      `${PROVIDERS}/aws-sns-topicpolicy/src/main/java/software/amazon/sns/topicpolicy/CreateHandler.java`,
      'https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-sns-topicpolicy.html#aws-resource-sns-topicpolicy-return-values',
    ],
    attributes: {
      Id: '${Topics.0}',
    },
  },
};
