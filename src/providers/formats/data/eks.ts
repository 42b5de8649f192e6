import type { TypeFormat } from '../format.js';

/** A type's "Return values" section in the CloudFormation template reference (`eks-cluster`, …). */
const returnValues = (slug: string) =>
  `https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-${slug}.html#aws-resource-${slug}-return-values`;

/** EKS resource ARNs (https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonelastickubernetesservice.html#amazonelastickubernetesservice-resources-for-iam-policies). */
const EKS_ARNS = 'https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonelastickubernetesservice.html#amazonelastickubernetesservice-resources-for-iam-policies';
const EKS_ARN = 'arn:${AWS::Partition}:eks:${AWS::Region}:${AWS::AccountId}';

/**
 * A cluster's certificate authority data is a base64 PEM certificate: `-----BEGIN CERTIFICATE-----\nMI`
 * and `\n-----END CERTIFICATE-----\n`, 30 and 27 bytes, encode without padding, so the ends are exact and
 * the body between them is random base64 of a typical certificate's length.
 */
const CERTIFICATE_DATA = 'LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCk1J${Random:alnum:1376}Ci0tLS0tRU5EIENFUlRJRklDQVRFLS0tLS0K';

export const formats: Readonly<Record<string, TypeFormat>> = {
  'AWS::EKS::Cluster': {
    sources: [
      // Return values: Arn arn:aws:eks:<region>:<account>:cluster/<name>, Endpoint, CertificateAuthorityData, ClusterSecurityGroupId
      // (the security group EKS creates, sg-), EncryptionConfigKeyArn (the KMS key of EncryptionConfig, when
      // there is one), OpenIdConnectIssuerUrl https://oidc.eks.<region>.amazonaws.com/id/<id>.
      returnValues('eks-cluster'),
      EKS_ARNS,
      // Real endpoints are 32 upper-case hex characters, e.g. https://964C03D0934F8B3D97FBC6982BD906F4.gr7.us-west-2.eks.amazonaws.com,
      // and the issuer's id "is the same as the controlPlaneEndpoint ID".
      'https://github.com/kubernetes-sigs/cluster-api-provider-aws/issues/4501',
      // id: "The ID of your local Amazon EKS cluster on an AWS Outposts rack. This property isn't available for an
      // Amazon EKS cluster on the AWS cloud."
      'https://docs.aws.amazon.com/eks/latest/APIReference/API_Cluster.html',
      // name: 1 to 100 characters, a letter or digit first, then letters, digits, hyphens and underscores.
      'https://docs.aws.amazon.com/eks/latest/APIReference/API_CreateCluster.html',
    ],
    name: { property: 'Name', maxLength: 100 },
    attributes: {
      Arn: `${EKS_ARN}:cluster/\${Name}`,
      OpenIdConnectIssuerUrl: 'https://oidc.eks.${AWS::Region}.${AWS::URLSuffix}/id/${Random:hex:32|upper}',
      Endpoint: 'https://${OpenIdConnectIssuerUrl|last:/}.gr7.${AWS::Region}.eks.${AWS::URLSuffix}',
      CertificateAuthorityData: CERTIFICATE_DATA,
      ClusterSecurityGroupId: 'sg-${Random:hex:17}',
      EncryptionConfigKeyArn: { ifSet: 'EncryptionConfig', then: '${EncryptionConfig.0.Provider.KeyArn}' },
      Id: { ifSet: 'OutpostConfig', then: '${Random:uuid}' },
    },
  },
  'AWS::EKS::Nodegroup': {
    sources: [
      // Return values: Arn arn:aws:eks:<region>:<account>:nodegroup/<cluster>/<nodegroup>/<uuid>.
      returnValues('eks-nodegroup'),
      // Ref (the Id) is "something like mycluster/mynodegroup", as CDK's nodegroupName mistook it for the name.
      'https://github.com/aws/aws-cdk/issues/22442',
      EKS_ARNS,
      // nodegroupName: up to 63 characters.
      'https://docs.aws.amazon.com/eks/latest/APIReference/API_CreateNodegroup.html',
    ],
    name: { property: 'NodegroupName', maxLength: 63 },
    attributes: {
      Arn: `${EKS_ARN}:nodegroup/\${ClusterName}/\${NodegroupName}/\${Random:uuid}`,
      Id: '${ClusterName}/${NodegroupName}',
    },
  },
  'AWS::EKS::Addon': {
    sources: [
      // Return values: Arn arn:aws:eks:<region>:<account>:addon/<cluster>/<addon>/<uuid>.
      returnValues('eks-addon'),
      EKS_ARNS,
    ],
    attributes: { Arn: `${EKS_ARN}:addon/\${ClusterName}/\${AddonName}/\${Random:uuid}` },
  },
  'AWS::EKS::FargateProfile': {
    sources: [
      // Return values: Arn arn:aws:eks:<region>:<account>:fargateprofile/<cluster>/<profile>/<uuid>.
      returnValues('eks-fargateprofile'),
      EKS_ARNS,
      // fargateProfileName: up to 100 characters.
      'https://docs.aws.amazon.com/eks/latest/APIReference/API_CreateFargateProfile.html',
    ],
    name: { property: 'FargateProfileName', maxLength: 100 },
    attributes: { Arn: `${EKS_ARN}:fargateprofile/\${ClusterName}/\${FargateProfileName}/\${Random:uuid}` },
  },
};
