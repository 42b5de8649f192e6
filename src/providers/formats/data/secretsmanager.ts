import type { TypeFormat } from '../format.js';

/**
 * A secret's ARN ends in its name, a hyphen and six random characters that Secrets Manager adds:
 * arn:aws:secretsmanager:us-east-1:123456789012:secret:MyTestDatabaseSecret-a1b2c3 ("Secret ARNs" in the
 * user guide, https://docs.aws.amazon.com/secretsmanager/latest/userguide/reference_iam-permissions.html#iam-resources).
 * The resources attached to a secret are known by the secret's ARN, their SecretId (a name or ARN).
 */
const SECRET_ARNS = 'https://docs.aws.amazon.com/secretsmanager/latest/userguide/reference_iam-permissions.html';

export const formats: Readonly<Record<string, TypeFormat>> = {
  'AWS::SecretsManager::Secret': {
    sources: [
      // Return values: Id (Ref) the secret's ARN.
      'https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-secretsmanager-secret.html#aws-resource-secretsmanager-secret-return-values',
      SECRET_ARNS,
      // CreateSecret: Name up to 512 characters.
      'https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_CreateSecret.html',
    ],
    name: { property: 'Name', maxLength: 512 },
    attributes: {
      Id: 'arn:${AWS::Partition}:secretsmanager:${AWS::Region}:${AWS::AccountId}:secret:${Name}-${Random:alnum:6}',
    },
  },
  'AWS::SecretsManager::RotationSchedule': {
    sources: [
      // Return values: Ref returns the ARN of the secret.
      'https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-secretsmanager-rotationschedule.html#aws-resource-secretsmanager-rotationschedule-return-values',
      SECRET_ARNS,
    ],
    attributes: { Id: '${SecretId}' },
  },
  'AWS::SecretsManager::ResourcePolicy': {
    sources: [
      // Return values: Ref returns the ARN of the secret.
      'https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-secretsmanager-resourcepolicy.html#aws-resource-secretsmanager-resourcepolicy-return-values',
      SECRET_ARNS,
    ],
    attributes: { Id: '${SecretId}' },
  },
  'AWS::SecretsManager::SecretTargetAttachment': {
    sources: [
      // Return values: Ref returns the ARN of the secret.
      'https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-secretsmanager-secrettargetattachment.html#aws-resource-secretsmanager-secrettargetattachment-return-values',
      SECRET_ARNS,
    ],
    attributes: { Id: '${SecretId}' },
  },
};
