import type { TypeFormat } from '../format.js';

export const formats: Readonly<Record<string, TypeFormat>> = {
  'AWS::ECR::Repository': {
    sources: [
      // Return values: Arn arn:aws:ecr:us-west-2:123456789012:repository/test-repository,
      // RepositoryUri 123456789012.dkr.ecr.us-west-2.amazonaws.com/test-repository.
      'https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-ecr-repository.html#aws-resource-ecr-repository-return-values',
      // repositoryName: 2 to 256 characters, lower case ((?:[a-z0-9]+(?:[._-][a-z0-9]+)*/)*[a-z0-9]+(?:[._-][a-z0-9]+)*).
      // imageTagMutability: "If this parameter is omitted, the default setting of MUTABLE will be used".
      'https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_CreateRepository.html',
      // encryptionType: "If no encryption configuration is specified ... AES256" (S3-managed keys).
      'https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_EncryptionConfiguration.html',
      // scanOnPush: "If set to false, images will not be scanned unless a scan is manually started" (the default).
      'https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_ImageScanningConfiguration.html',
    ],
    name: { property: 'RepositoryName', case: 'lower', maxLength: 256 },
    attributes: {
      Arn: 'arn:${AWS::Partition}:ecr:${AWS::Region}:${AWS::AccountId}:repository/${RepositoryName}',
      RepositoryUri: '${AWS::AccountId}.dkr.ecr.${AWS::Region}.${AWS::URLSuffix}/${RepositoryName}',
    },
    defaults: {
      ImageTagMutability: 'MUTABLE',
      EncryptionConfiguration: { EncryptionType: 'AES256' },
      ImageScanningConfiguration: { ScanOnPush: false },
    },
  },
};
