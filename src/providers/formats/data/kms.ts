import type { TypeFormat } from '../format.js';

export const formats: Readonly<Record<string, TypeFormat>> = {
  'AWS::KMS::Key': {
    sources: [
      // Return values: Arn arn:aws:kms:us-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab, KeyId the UUID.
      'https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-kms-key.html#aws-resource-kms-key-return-values',
      // Without a KeyPolicy the key gets the default key policy: the account's root principal is allowed kms:*.
      // The registry schema's `default` writes it with <partition> and <account-id> placeholders, which the
      // handler fills in; the Id "key-default" is the schema's.
      'https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html',
      'https://docs.aws.amazon.com/kms/latest/APIReference/API_CreateKey.html',
      'https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-kms-key.html#cfn-kms-key-enabled',
      'https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-kms-key.html#cfn-kms-key-enablekeyrotation',
    ],
    attributes: {
      KeyId: '${Random:uuid}',
      Arn: 'arn:${AWS::Partition}:kms:${AWS::Region}:${AWS::AccountId}:key/${KeyId}',
    },
    // A key created without them is enabled, does not rotate, is a single-Region symmetric encryption key
    // (CreateKey: KeySpec default SYMMETRIC_DEFAULT, KeyUsage default ENCRYPT_DECRYPT, MultiRegion default false;
    // the AWS::KMS::Key property pages: Enabled "the default value is true", EnableKeyRotation "By default,
    // automatic key rotation is not enabled").
    defaults: {
      Enabled: true,
      EnableKeyRotation: false,
      KeySpec: 'SYMMETRIC_DEFAULT',
      KeyUsage: 'ENCRYPT_DECRYPT',
      MultiRegion: false,
      KeyPolicy: {
        Version: '2012-10-17',
        Id: 'key-default',
        Statement: [
          {
            Sid: 'Enable IAM User Permissions',
            Effect: 'Allow',
            Principal: { AWS: 'arn:${AWS::Partition}:iam::${AWS::AccountId}:root' },
            Action: 'kms:*',
            Resource: '*',
          },
        ],
      },
    },
  },
  'AWS::KMS::ReplicaKey': {
    sources: [
      // Return values: Arn, KeyId (Ref) the replica's key id.
      'https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-kms-replicakey.html#aws-resource-kms-replicakey-return-values',
      // Related multi-Region keys share their key id (mrk-...) and differ in the Region of their ARN.
      'https://docs.aws.amazon.com/kms/latest/developerguide/multi-region-keys-overview.html',
      'https://docs.aws.amazon.com/kms/latest/APIReference/API_ReplicateKey.html',
    ],
    attributes: {
      KeyId: '${PrimaryKeyArn|last:/}',
      Arn: 'arn:${AWS::Partition}:kms:${AWS::Region}:${AWS::AccountId}:key/${KeyId}',
    },
  },
};
