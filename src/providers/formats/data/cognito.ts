import type { TypeFormat } from '../format.js';

/** A type's "Return values" section in the CloudFormation template reference. */
const returnValues = (slug: string) =>
  `https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-${slug}.html#aws-resource-${slug}-return-values`;

export const formats: Readonly<Record<string, TypeFormat>> = {
  'AWS::Cognito::UserPool': {
    sources: [
      // Return values: ProviderName cognito-idp.us-east-2.amazonaws.com/us-east-2_123456789, ProviderURL
      // https://cognito-idp.us-east-2.amazonaws.com/us-east-2_123456789, Arn, UserPoolId (the Region, an
      // underscore and 9 letters and digits).
      returnValues('cognito-userpool'),
      // arn:${Partition}:cognito-idp:${Region}:${Account}:userpool/${UserPoolId}
      'https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazoncognitouserpools.html#amazoncognitouserpools-resources-for-iam-policies',
      // PoolName: 1 to 128 characters.
      'https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_CreateUserPool.html',
    ],
    name: { property: 'UserPoolName', maxLength: 128 },
    attributes: {
      UserPoolId: '${AWS::Region}_${Random:alnum:9}',
      ProviderName: 'cognito-idp.${AWS::Region}.${AWS::URLSuffix}/${UserPoolId}',
      ProviderURL: 'https://${ProviderName}',
      Arn: 'arn:${AWS::Partition}:cognito-idp:${AWS::Region}:${AWS::AccountId}:userpool/${UserPoolId}',
    },
  },
  'AWS::Cognito::UserPoolClient': {
    sources: [
      // Return values: ClientId (26 lower-case letters and digits), ClientSecret (only
      // when GenerateSecret is true), Name (the ClientName).
      returnValues('cognito-userpoolclient'),
      // ClientId: 1 to 128 characters [\w+]+; ClientSecret 1 to 64 [\w+]+; ClientName 1 to 128.
      'https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_UserPoolClientType.html',
    ],
    name: { property: 'ClientName', maxLength: 128 },
    attributes: {
      ClientId: '${Random:lower:26}',
      ClientSecret: { on: 'GenerateSecret', cases: { true: '${Random:lower:51}' } },
      Name: '${ClientName}',
    },
  },
  'AWS::Cognito::IdentityPool': {
    sources: [
      // Return values: Id (Ref, the Region, a colon and a UUID: IdentityPoolId's pattern [\w-]+:[0-9a-f-]+), Name.
      returnValues('cognito-identitypool'),
      'https://docs.aws.amazon.com/cognitoidentity/latest/APIReference/API_CreateIdentityPool.html',
    ],
    attributes: {
      Id: '${AWS::Region}:${Random:uuid}',
      Name: '${IdentityPoolName}',
    },
  },
};
