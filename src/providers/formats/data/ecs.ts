import type { TypeFormat } from '../format.js';

/** A type's "Return values" section in the CloudFormation template reference (`ecs-cluster`, …). */
const returnValues = (slug: string) =>
  `https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-${slug}.html#aws-resource-${slug}-return-values`;

/**
 * ECS ARNs in the long format every account has used since 2021: a service's names its cluster,
 * `arn:aws:ecs:region:aws_account_id:service/cluster-name/service-name`; a task definition's ends with the family
 * and its revision, `task-definition/family:revision` (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ecs-account-settings.html#ecs-resource-ids).
 */
const ARN_FORMATS = 'https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ecs-account-settings.html#ecs-resource-ids';
const ECS_ARN = 'arn:${AWS::Partition}:ecs:${AWS::Region}:${AWS::AccountId}';

export const formats: Readonly<Record<string, TypeFormat>> = {
  'AWS::ECS::Cluster': {
    sources: [
      // Return values: Arn arn:aws:ecs:us-east-2:123456789012:cluster/MyECSCluster.
      returnValues('ecs-cluster'),
      // clusterName: up to 255 letters, numbers, underscores and hyphens.
      'https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_CreateCluster.html',
    ],
    name: { property: 'ClusterName', maxLength: 255 },
    attributes: { Arn: `${ECS_ARN}:cluster/\${ClusterName}` },
  },
  'AWS::ECS::Service': {
    sources: [
      // Return values: ServiceArn (Ref), Name (the service's name). Cluster: "If you do not specify a cluster,
      // the default cluster is assumed"; the cluster may be given by name or ARN.
      returnValues('ecs-service'),
      ARN_FORMATS,
      // serviceName: up to 255 letters, numbers, underscores and hyphens.
      'https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_CreateService.html',
    ],
    name: { property: 'ServiceName', maxLength: 255 },
    attributes: {
      ServiceArn: `${ECS_ARN}:service/\${Cluster|last:/}/\${ServiceName}`,
      Name: '${ServiceName}',
    },
    defaults: { Cluster: 'default' },
  },
  'AWS::ECS::TaskDefinition': {
    sources: [
      // Return values: TaskDefinitionArn (Ref) arn:aws:ecs:us-east-1:123456789012:task-definition/TaskDefinitionFamily:1;
      // the first registration of a family is revision 1. Without a Family, CloudFormation generates one.
      returnValues('ecs-taskdefinition'),
      ARN_FORMATS,
      // family: up to 255 letters, numbers, underscores and hyphens.
      'https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_RegisterTaskDefinition.html',
    ],
    name: { property: 'Family', maxLength: 255 },
    attributes: { TaskDefinitionArn: `${ECS_ARN}:task-definition/\${Family}:1` },
  },
  'AWS::ECS::CapacityProvider': {
    sources: [
      // Ref returns the name; CloudFormation generates one when Name is left out. It has no other attribute.
      returnValues('ecs-capacityprovider'),
      // name: up to 255 letters, numbers, underscores and hyphens; not prefixed with aws, ecs or fargate.
      'https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_CreateCapacityProvider.html',
    ],
    name: { property: 'Name', maxLength: 255 },
  },
};
