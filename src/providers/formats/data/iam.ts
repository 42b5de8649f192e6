import type { TypeFormat } from '../format.js';

/**
 * IAM ARNs name no Region, and put the entity's path between its kind and its name:
 * arn:aws:iam::123456789012:role/application_abc/component_xyz/S3Access ("IAM ARNs",
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html#identifiers-arns). Paths start
 * and end with a slash, `/` when none is given.
 */
const iamArn = (kind: string, name: string) => `arn:\${AWS::Partition}:iam::\${AWS::AccountId}:${kind}\${Path}\${${name}}`;

/**
 * Unique ids: a four-letter prefix by kind (AROA role, AIDA user, AGPA group, AIPA instance profile, ANPA
 * managed policy, AKIA access key) and upper-case characters, 21 in all as in AIDAJQABLZS4A3QDU576Q, 20 for
 * an access key id ("Unique identifiers",
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html#identifiers-unique-ids).
 */
const IDENTIFIERS = 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html';
const uniqueId = (prefix: string) => `${prefix}\${Random:upper:17}`;

/** When no path is given, IAM uses `/` (CreateRole, CreateUser, CreateGroup, CreateInstanceProfile: "Path ... defaults to a slash (/)"). */
const DEFAULT_PATH = { Path: '/' };

export const formats: Readonly<Record<string, TypeFormat>> = {
  'AWS::IAM::Role': {
    sources: [
      // Return values: Arn arn:aws:iam::1234567890:role/MyRole-AJJHDSKSDF, RoleId AROADBQP57FF2AEXAMPLE.
      'https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-iam-role.html#aws-resource-iam-role-return-values',
      IDENTIFIERS,
      // RoleName: up to 64 characters; Path defaults to /; MaxSessionDuration: one hour when not given.
      'https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateRole.html',
    ],
    name: { property: 'RoleName', maxLength: 64 },
    attributes: {
      Arn: iamArn('role', 'RoleName'),
      RoleId: uniqueId('AROA'),
    },
    defaults: { ...DEFAULT_PATH, MaxSessionDuration: 3600 },
  },
  'AWS::IAM::User': {
    sources: [
      // Return values: Arn arn:aws:iam::123456789012:user/mystack-myuser-1CCXAFG2H2U4D.
      'https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-iam-user.html#aws-resource-iam-user-return-values',
      IDENTIFIERS,
      // UserName: up to 64 characters; Path defaults to /.
      'https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateUser.html',
    ],
    name: { property: 'UserName', maxLength: 64 },
    attributes: { Arn: iamArn('user', 'UserName') },
    defaults: DEFAULT_PATH,
  },
  'AWS::IAM::Group': {
    sources: [
      // Return values: Arn arn:aws:iam::123456789012:group/mystack-mygroup-1DZETITOWEKVO.
      'https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-iam-group.html#aws-resource-iam-group-return-values',
      IDENTIFIERS,
      // GroupName: up to 128 characters; Path defaults to /.
      'https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateGroup.html',
    ],
    name: { property: 'GroupName', maxLength: 128 },
    attributes: { Arn: iamArn('group', 'GroupName') },
    defaults: DEFAULT_PATH,
  },
  'AWS::IAM::InstanceProfile': {
    sources: [
      // Return values: Arn arn:aws:iam::1234567890:instance-profile/MyProfile-ASDNSDLKJ.
      'https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-iam-instanceprofile.html#aws-resource-iam-instanceprofile-return-values',
      IDENTIFIERS,
      // InstanceProfileName: up to 128 characters; Path defaults to /.
      'https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateInstanceProfile.html',
    ],
    name: { property: 'InstanceProfileName', maxLength: 128 },
    attributes: { Arn: iamArn('instance-profile', 'InstanceProfileName') },
    defaults: DEFAULT_PATH,
  },
  'AWS::IAM::ManagedPolicy': {
    sources: [
      // Return values: PolicyArn (Ref) arn:aws:iam::123456789012:policy/teststack-CreateTestDBPolicy-16M23YE3CS700,
      // PolicyId, DefaultVersionId, IsAttachable, AttachmentCount, PermissionsBoundaryUsageCount, CreateDate, UpdateDate.
      'https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-iam-managedpolicy.html#aws-resource-iam-managedpolicy-return-values',
      IDENTIFIERS,
      // CreatePolicy: PolicyName up to 128 characters; a new policy's default version is v1, it is attachable,
      // and it is used as a permissions boundary nowhere yet; dates are ISO 8601 to the second.
      'https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreatePolicy.html#API_CreatePolicy_Examples',
      'https://docs.aws.amazon.com/IAM/latest/APIReference/API_Policy.html',
    ],
    name: { property: 'ManagedPolicyName', maxLength: 128 },
    attributes: {
      PolicyArn: iamArn('policy', 'ManagedPolicyName'),
      PolicyId: uniqueId('ANPA'),
      DefaultVersionId: 'v1',
      IsAttachable: { value: true },
      PermissionsBoundaryUsageCount: { value: 0 },
      CreateDate: '${Time:isoSeconds}',
      UpdateDate: '${CreateDate}',
      // The number of users, groups and roles it is attached to: a new policy is attached to nothing, and
      // CreatePolicy's sample response shows <AttachmentCount>0</AttachmentCount> (API_CreatePolicy.html).
      // A policy given Users, Groups or Roles is attached to them after its creation: that count (each list's
      // entities) the templates cannot form, so it is left to the derived rule.
      AttachmentCount: {
        ifSet: 'Users',
        then: { generic: true },
        else: { ifSet: 'Groups', then: { generic: true }, else: { ifSet: 'Roles', then: { generic: true }, else: { value: 0 } } },
      },
    },
  },
  'AWS::IAM::AccessKey': {
    sources: [
      // Return values: Ref the access key id (AKIAIOSFODNN7EXAMPLE), SecretAccessKey wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY.
      'https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-iam-accesskey.html#aws-resource-iam-accesskey-return-values',
      IDENTIFIERS,
      // CreateAccessKey: a new key's Status is Active; the secret is 40 characters.
      'https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateAccessKey.html',
      'https://docs.aws.amazon.com/IAM/latest/APIReference/API_AccessKey.html',
    ],
    attributes: {
      Id: 'AKIA${Random:upper:16}',
      SecretAccessKey: '${Random:alnum:40}',
    },
    defaults: { Status: 'Active' },
  },
  'AWS::IAM::OIDCProvider': {
    sources: [
      // Return values: Arn; the provider's ARN is its URL without the scheme:
      // arn:aws:iam::123456789012:oidc-provider/server.example.com (CreateOpenIDConnectProvider's response).
      'https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-iam-oidcprovider.html#aws-resource-iam-oidcprovider-return-values',
      'https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateOpenIDConnectProvider.html',
    ],
    attributes: {
      // The registry schema does not require Url, but CreateOpenIDConnectProvider does ("Url ... Required: Yes"):
      // AWS refuses a provider without one, so no source tells that ARN; the derived rule forms it.
      Arn: { ifSet: 'Url', then: 'arn:${AWS::Partition}:iam::${AWS::AccountId}:oidc-provider/${Url|last://}', else: { generic: true } },
    },
  },
  'AWS::IAM::VirtualMFADevice': {
    sources: [
      // Return values: SerialNumber (Ref), the device's ARN, arn:aws:iam::123456789012:mfa/<path><name>.
      'https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-iam-virtualmfadevice.html#aws-resource-iam-virtualmfadevice-return-values',
      IDENTIFIERS,
      // CreateVirtualMFADevice: VirtualMFADeviceName up to 226 characters; Path defaults to /; the response's
      // SerialNumber is the device's ARN.
      'https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateVirtualMFADevice.html',
    ],
    name: { property: 'VirtualMfaDeviceName', maxLength: 226 },
    attributes: { SerialNumber: iamArn('mfa', 'VirtualMfaDeviceName') },
    defaults: DEFAULT_PATH,
  },
};
