import type { TypeFormat } from '../format.js';

/** A type's "Return values" section in the CloudFormation template reference. */
const returnValues = (slug: string) =>
  `https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-${slug}.html#aws-resource-${slug}-return-values`;

/**
 * HTTP and WebSocket API ids are 10 lower-case letters and digits (kb94vt4m67 in a published get-routes call),
 * a route's and an integration's 7 (RouteId 72jz1wk, Target integrations/w8oprkl), an authorizer's and a
 * deployment's 6 (an authorizer 7ir7fs).
 */
const V2_GUIDE = 'https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-routes.html';

export const formats: Readonly<Record<string, TypeFormat>> = {
  'AWS::ApiGatewayV2::Api': {
    sources: [
      // Return values: ApiEndpoint https://abcdef123.execute-api.us-west-2.amazonaws.com (wss:// for WebSocket
      // APIs), ApiId; ExecuteApiArn arn:aws:execute-api:<region>:<account>:<api-id>.
      returnValues('apigatewayv2-api'),
      'https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-call.html',
      'https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-how-to-call-websocket-api.html',
      'https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonapigatewaymanagement.html#amazonapigatewaymanagement-resources-for-iam-policies',
    ],
    attributes: {
      ApiId: '${Random:lower:10}',
      ApiEndpoint: { on: 'ProtocolType', cases: { WEBSOCKET: 'wss://${ApiId}.execute-api.${AWS::Region}.${AWS::URLSuffix}' }, else: 'https://${ApiId}.execute-api.${AWS::Region}.${AWS::URLSuffix}' },
      ExecuteApiArn: 'arn:${AWS::Partition}:execute-api:${AWS::Region}:${AWS::AccountId}:${ApiId}',
    },
  },
  'AWS::ApiGatewayV2::Route': {
    sources: [returnValues('apigatewayv2-route'), V2_GUIDE],
    attributes: { RouteId: '${Random:lower:7}' },
  },
  'AWS::ApiGatewayV2::Integration': {
    sources: [returnValues('apigatewayv2-integration'), 'https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations.html'],
    attributes: { IntegrationId: '${Random:lower:7}' },
  },
  'AWS::ApiGatewayV2::Authorizer': {
    sources: [returnValues('apigatewayv2-authorizer'), 'https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-access-control.html'],
    attributes: { AuthorizerId: '${Random:lower:6}' },
  },
  'AWS::ApiGatewayV2::Deployment': {
    sources: [returnValues('apigatewayv2-deployment'), 'https://docs.aws.amazon.com/cli/latest/reference/apigatewayv2/create-deployment.html'],
    attributes: { DeploymentId: '${Random:lower:6}' },
  },
};
