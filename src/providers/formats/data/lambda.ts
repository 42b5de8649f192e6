import type { TypeFormat } from '../format.js';

/**
 * A function's ARN: arn:aws:lambda:us-west-2:123456789012:function:my-function, with `:version` or `:alias`
 * after it when qualified. A FunctionName property may hold the name, a partial ARN (123456789012:function:my-function)
 * or the full ARN; the name is what follows the last colon ("Lambda resource ARNs" and CreateAlias's FunctionName,
 * https://docs.aws.amazon.com/lambda/latest/api/API_CreateAlias.html).
 */
const FUNCTION_ARN = 'arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}:function';
const ARNS = 'https://docs.aws.amazon.com/lambda/latest/dg/lambda-api-permissions-ref.html';

export const formats: Readonly<Record<string, TypeFormat>> = {
  'AWS::Lambda::Function': {
    sources: [
      // Return values: Arn arn:aws:lambda:us-west-2:123456789012:function:my-function; SnapStartResponse.
      'https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-lambda-function.html#aws-resource-lambda-function-return-values',
      // CreateFunction: FunctionName up to 64 characters (the name alone); MemorySize default 128 MB; Timeout
      // default 3 seconds; Architectures default x86_64; PackageType Zip for a .zip archive, Image for a container
      // image (Code.ImageUri); EphemeralStorage default 512 MB; TracingConfig Mode default PassThrough.
      'https://docs.aws.amazon.com/lambda/latest/api/API_CreateFunction.html',
      'https://docs.aws.amazon.com/lambda/latest/api/API_TracingConfig.html',
      // GetFunction's SnapStartResponse without SnapStart: ApplyOn None, OptimizationStatus Off.
      'https://docs.aws.amazon.com/lambda/latest/api/API_SnapStartResponse.html',
      // Logs go to the log group /aws/lambda/<function name> in plain text unless configured otherwise.
      'https://docs.aws.amazon.com/lambda/latest/dg/monitoring-cloudwatchlogs-advanced.html',
      'https://docs.aws.amazon.com/lambda/latest/api/API_LoggingConfig.html',
      // writeOnly: the registry schema's writeOnlyProperties (the Code members, SnapStart, PublishToLatestPublished),
      // which a read never returns; formats.test.ts checks the list against the registry.
    ],
    name: { property: 'FunctionName', maxLength: 64 },
    attributes: {
      Arn: `${FUNCTION_ARN}:\${FunctionName}`,
      PackageType: { ifSet: 'Code.ImageUri', then: 'Image', else: 'Zip' },
      SnapStartResponse: { value: { ApplyOn: 'None', OptimizationStatus: 'Off' } },
      LoggingConfig: { value: { LogFormat: 'Text', LogGroup: '/aws/lambda/${FunctionName}' } },
    },
    defaults: {
      MemorySize: 128,
      Timeout: 3,
      Architectures: ['x86_64'],
      EphemeralStorage: { Size: 512 },
      TracingConfig: { Mode: 'PassThrough' },
    },
    writeOnly: [
      '/properties/SnapStart',
      '/properties/SnapStart/ApplyOn',
      '/properties/Code/ImageUri',
      '/properties/Code/S3Bucket',
      '/properties/Code/S3Key',
      '/properties/Code/S3ObjectVersion',
      '/properties/Code/ZipFile',
      '/properties/Code/SourceKMSKeyArn',
      '/properties/Code/S3ObjectStorageMode',
      '/properties/PublishToLatestPublished',
    ],
  },
  'AWS::Lambda::Alias': {
    sources: [
      // Return values: AliasArn (Ref) arn:aws:lambda:us-east-1:123456789012:function:my-function:alias.
      'https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-lambda-alias.html#aws-resource-lambda-alias-return-values',
      'https://docs.aws.amazon.com/lambda/latest/api/API_CreateAlias.html',
      ARNS,
    ],
    attributes: {
      AliasArn: `${FUNCTION_ARN}:\${FunctionName|last::}:\${Name}`,
    },
  },
  'AWS::Lambda::Version': {
    sources: [
      // Return values: FunctionArn (Ref) the qualified ARN ...:function:my-function:1, Version the version number.
      'https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-lambda-version.html#aws-resource-lambda-version-return-values',
      // PublishVersion: versions are numbered from 1, one more with each publish.
      'https://docs.aws.amazon.com/lambda/latest/api/API_PublishVersion.html',
      'https://docs.aws.amazon.com/lambda/latest/dg/configuration-versions.html',
    ],
    attributes: {
      // The first version of a function; a function's later versions count on from it, which one resource's
      // format cannot see.
      Version: '1',
      FunctionArn: `${FUNCTION_ARN}:\${FunctionName|last::}:\${Version}`,
    },
  },
  'AWS::Lambda::LayerVersion': {
    sources: [
      // Return values: LayerVersionArn (Ref) arn:aws:lambda:us-west-2:123456789012:layer:my-layer:1.
      'https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-lambda-layerversion.html#aws-resource-lambda-layerversion-return-values',
      // PublishLayerVersion: LayerName (a name or ARN) up to 140 characters; the first version is 1.
      'https://docs.aws.amazon.com/lambda/latest/api/API_PublishLayerVersion.html',
    ],
    name: { property: 'LayerName', maxLength: 140 },
    attributes: {
      LayerVersionArn: 'arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}:layer:${LayerName|last::}:1',
    },
  },
  'AWS::Lambda::EventSourceMapping': {
    sources: [
      // Return values: Id (Ref) the mapping's UUID, e.g. 14e0db71-xmpl-4eb5-b481-8945cf9d10c2; EventSourceMappingArn
      // arn:aws:lambda:us-east-1:123456789012:event-source-mapping:14e0db71-xmpl-4eb5-b481-8945cf9d10c2.
      'https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-lambda-eventsourcemapping.html#aws-resource-lambda-eventsourcemapping-return-values',
      'https://docs.aws.amazon.com/lambda/latest/api/API_CreateEventSourceMapping.html',
    ],
    attributes: {
      Id: '${Random:uuid}',
      EventSourceMappingArn: 'arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}:event-source-mapping:${Id}',
    },
  },
  'AWS::Lambda::Url': {
    sources: [
      // Return values: FunctionArn the function's full ARN (qualified when a Qualifier is given), FunctionUrl.
      'https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-lambda-url.html#aws-resource-lambda-url-return-values',
      // Function URLs are https://<url-id>.lambda-url.<region>.on.aws/, the url-id generated by Lambda. Its
      // length is not documented: real URLs quoted in public code have 32 lower-case letters and digits
      // (https://aeq4mvkh3n63sqnngc4lp7567y0mqfzr.lambda-url.us-east-1.on.aws/).
      'https://docs.aws.amazon.com/lambda/latest/dg/lambda-urls.html',
      'https://docs.aws.amazon.com/lambda/latest/dg/urls-configuration.html',
      'https://docs.aws.amazon.com/lambda/latest/api/API_CreateFunctionUrlConfig.html',
    ],
    attributes: {
      FunctionArn: {
        ifSet: 'Qualifier',
        then: `${FUNCTION_ARN}:\${TargetFunctionArn|last:function:}:\${Qualifier}`,
        else: `${FUNCTION_ARN}:\${TargetFunctionArn|last:function:}`,
      },
      FunctionUrl: 'https://${Random:lower:32}.lambda-url.${AWS::Region}.on.aws/',
    },
  },
  'AWS::Lambda::CodeSigningConfig': {
    sources: [
      // Return values: CodeSigningConfigId, CodeSigningConfigArn (Ref).
      'https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-lambda-codesigningconfig.html#aws-resource-lambda-codesigningconfig-return-values',
      // CodeSigningConfig: CodeSigningConfigId csc- and 17 characters; CodeSigningConfigArn
      // arn:<partition>:lambda:<region>:<account>:code-signing-config:csc-[a-z0-9]{17} (its pattern).
      'https://docs.aws.amazon.com/lambda/latest/api/API_CodeSigningConfig.html',
    ],
    attributes: {
      CodeSigningConfigId: 'csc-${Random:lower:17}',
      CodeSigningConfigArn: 'arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}:code-signing-config:${CodeSigningConfigId}',
    },
  },
};
