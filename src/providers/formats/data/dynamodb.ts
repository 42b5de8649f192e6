import type { TypeFormat } from '../format.js';

/**
 * A table's stream ARN is the table's ARN, `/stream/` and the stream label, the time the stream was enabled to
 * the millisecond without a zone: arn:aws:dynamodb:us-east-1:123456789012:table/Books/stream/2015-05-11T21:21:33.291
 * (DynamoDB API Reference, StreamSpecification and TableDescription's LatestStreamArn and LatestStreamLabel).
 */
const STREAM_ARN = '${Arn}/stream/${Time:iso|replace:Z=}';
const TABLE_ARN = 'arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/${TableName}';

export const formats: Readonly<Record<string, TypeFormat>> = {
  'AWS::DynamoDB::Table': {
    sources: [
      // Return values: Arn arn:aws:dynamodb:us-east-1:123456789012:table/myDynamoDBTable; StreamArn
      // arn:aws:dynamodb:us-east-1:123456789012:table/testddbstack-myDynamoDBTable-012A1SL7SMP5Q/stream/2015-11-30T20:10:00.000,
      // only when StreamSpecification is given.
      'https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-dynamodb-table.html#aws-resource-dynamodb-table-return-values',
      'https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_TableDescription.html',
      // TableName: 3 to 255 characters.
      'https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_CreateTable.html',
    ],
    name: { property: 'TableName', maxLength: 255 },
    attributes: {
      Arn: TABLE_ARN,
      StreamArn: { ifSet: 'StreamSpecification', then: STREAM_ARN },
    },
  },
  'AWS::DynamoDB::GlobalTable': {
    sources: [
      // Return values: Arn, StreamArn (a global table's replicas always stream, NEW_AND_OLD_IMAGES), TableId
      // the table's unique identifier.
      'https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-dynamodb-globaltable.html#aws-resource-dynamodb-globaltable-return-values',
      // TableDescription: TableArn, LatestStreamArn, TableId a UUID (its pattern), TableName 3 to 255 characters.
      'https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_TableDescription.html',
    ],
    name: { property: 'TableName', maxLength: 255 },
    attributes: {
      Arn: TABLE_ARN,
      TableId: '${Random:uuid}',
      StreamArn: STREAM_ARN,
    },
  },
};
