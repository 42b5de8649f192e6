import type { TypeFormat } from '../format.js';

/** A type's "Return values" section in the CloudFormation template reference. */
const returnValues = (slug: string) =>
  `https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-${slug}.html#aws-resource-${slug}-return-values`;

/**
 * API Gateway ids are lower-case letters and digits: an API's and its root resource's 10 (published
 * create-rest-api answers read zwkvk3lyl3 with root 8g4tsavqdg), a resource's 6 (a create-resource answer
 * reads "id": "bsb53g"), and so, by the CLI reference's examples, a deployment's, authorizer's and usage plan's.
 */
const REST_API_GUIDE = 'https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-create-api-step-by-step.html';

export const formats: Readonly<Record<string, TypeFormat>> = {
  'AWS::ApiGateway::RestApi': {
    sources: [returnValues('apigateway-restapi'), REST_API_GUIDE],
    attributes: { RestApiId: '${Random:lower:10}', RootResourceId: '${Random:lower:10}' },
  },
  'AWS::ApiGateway::Resource': {
    sources: [returnValues('apigateway-resource'), 'https://docs.aws.amazon.com/cli/latest/reference/apigateway/create-resource.html'],
    attributes: { ResourceId: '${Random:lower:6}' },
  },
  'AWS::ApiGateway::Deployment': {
    sources: [returnValues('apigateway-deployment'), 'https://docs.aws.amazon.com/cli/latest/reference/apigateway/create-deployment.html'],
    attributes: { DeploymentId: '${Random:lower:6}' },
  },
  'AWS::ApiGateway::Authorizer': {
    sources: [returnValues('apigateway-authorizer'), 'https://docs.aws.amazon.com/cli/latest/reference/apigateway/create-authorizer.html'],
    attributes: { AuthorizerId: '${Random:lower:6}' },
  },
  'AWS::ApiGateway::UsagePlan': {
    sources: [returnValues('apigateway-usageplan'), 'https://docs.aws.amazon.com/cli/latest/reference/apigateway/create-usage-plan.html'],
    attributes: { Id: '${Random:lower:6}' },
  },
  'AWS::ApiGateway::ApiKey': {
    sources: [
      // Return values: APIKeyId (10 lower-case characters, as an API's); without a Name CloudFormation generates one.
      returnValues('apigateway-apikey'),
      'https://docs.aws.amazon.com/cli/latest/reference/apigateway/create-api-key.html',
    ],
    name: { property: 'Name', maxLength: 1024 },
    attributes: { APIKeyId: '${Random:lower:10}' },
  },
};
