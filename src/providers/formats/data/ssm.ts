import type { TypeFormat } from '../format.js';

export const formats: Readonly<Record<string, TypeFormat>> = {
  'AWS::SSM::Parameter': {
    sources: [
      // Return values: Ref the parameter's name (generated when Name is not given).
      'https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-ssm-parameter.html#aws-resource-ssm-parameter-return-values',
      // Parameter ARNs: arn:aws:ssm:us-east-2:123456789012:parameter/MyParameter, and for a name in a hierarchy
      // (/Dev/DBServer) arn:aws:ssm:us-east-2:123456789012:parameter/Dev/DBServer, the name's leading slash not doubled.
      'https://docs.aws.amazon.com/systems-manager/latest/userguide/sysman-paramstore-access.html',
      // PutParameter: Name up to 2048 characters (the ARN included: 1011 for the name itself); DataType default text.
      'https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_PutParameter.html',
    ],
    name: { property: 'Name', maxLength: 1011 },
    attributes: {
      Arn: 'arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:parameter/${Name|trimStart:/}',
    },
    defaults: { DataType: 'text' },
  },
  'AWS::SSM::Document': {
    sources: [
      // Return values: Ref the document's name (a generated one when Name is not given).
      'https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-ssm-document.html#aws-resource-ssm-document-return-values',
      // CreateDocument: Name 3 to 128 characters.
      'https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_CreateDocument.html',
    ],
    name: { property: 'Name', maxLength: 128 },
  },
  'AWS::SSM::Association': {
    sources: [
      // Return values: AssociationId (Ref).
      'https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-ssm-association.html#aws-resource-ssm-association-return-values',
      // CreateAssociation: AssociationId a UUID (its pattern).
      'https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_AssociationDescription.html',
    ],
    attributes: { AssociationId: '${Random:uuid}' },
  },
  'AWS::SSM::MaintenanceWindow': {
    sources: [
      // Return values: Ref the window's id.
      'https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-ssm-maintenancewindow.html#aws-resource-ssm-maintenancewindow-return-values',
      // CreateMaintenanceWindow: WindowId 20 characters, ^mw-[0-9a-f]{17}$.
      'https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_CreateMaintenanceWindow.html',
    ],
    attributes: { WindowId: 'mw-${Random:hex:17}' },
  },
  'AWS::SSM::MaintenanceWindowTarget': {
    sources: [
      'https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-ssm-maintenancewindowtarget.html',
      // RegisterTargetWithMaintenanceWindow: WindowTargetId 36 characters, a UUID (its pattern).
      'https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_RegisterTargetWithMaintenanceWindow.html',
    ],
    attributes: { WindowTargetId: '${Random:uuid}' },
  },
  'AWS::SSM::MaintenanceWindowTask': {
    sources: [
      'https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-ssm-maintenancewindowtask.html',
      // RegisterTaskWithMaintenanceWindow: WindowTaskId 36 characters, a UUID (its pattern).
      'https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_RegisterTaskWithMaintenanceWindow.html',
    ],
    attributes: { WindowTaskId: '${Random:uuid}' },
  },
};
