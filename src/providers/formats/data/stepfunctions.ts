import type { TypeFormat } from '../format.js';

/** The Step Functions resource providers' source (aws-cloudformation-resource-providers-stepfunctions), at the commit read. */
const PROVIDERS = 'https://github.com/aws-cloudformation/aws-cloudformation-resource-providers-stepfunctions/blob/3df87f89a420d7e45ed6c4a381e50308d9c37374';

export const formats: Readonly<Record<string, TypeFormat>> = {
  'AWS::StepFunctions::StateMachine': {
    sources: [
      // Return values: Arn (Ref) the state machine's ARN, arn:<partition>:states:<region>:<account>:stateMachine:<name>,
      // Name the state machine's name, StateMachineRevisionId.
      'https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-stepfunctions-statemachine.html#aws-resource-stepfunctions-statemachine-return-values',
      // The create handler: a generated name is at most 80 characters (STATE_MACHINE_NAME_MAXLEN), Name is the
      // StateMachineName, and StateMachineRevisionId is "INITIAL" until a revision exists (reads say the same).
      `${PROVIDERS}/statemachine/src/main/java/com/amazonaws/stepfunctions/cloudformation/statemachine/CreateHandler.java`,
      `${PROVIDERS}/statemachine/src/main/java/com/amazonaws/stepfunctions/cloudformation/statemachine/ResourceModelUtils.java`,
      `${PROVIDERS}/statemachine/src/main/java/com/amazonaws/stepfunctions/cloudformation/statemachine/Constants.java`,
      // CreateStateMachine: type STANDARD by default.
      'https://docs.aws.amazon.com/step-functions/latest/apireference/API_CreateStateMachine.html',
    ],
    name: { property: 'StateMachineName', maxLength: 80 },
    attributes: {
      Arn: 'arn:${AWS::Partition}:states:${AWS::Region}:${AWS::AccountId}:stateMachine:${StateMachineName}',
      Name: '${StateMachineName}',
      StateMachineRevisionId: 'INITIAL',
    },
    defaults: { StateMachineType: 'STANDARD' },
  },
  'AWS::StepFunctions::Activity': {
    sources: [
      // Return values: Arn (Ref) the activity's ARN, arn:<partition>:states:<region>:<account>:activity:<name>.
      'https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-stepfunctions-activity.html#aws-resource-stepfunctions-activity-return-values',
      'https://docs.aws.amazon.com/step-functions/latest/apireference/API_CreateActivity.html',
    ],
    attributes: {
      Arn: 'arn:${AWS::Partition}:states:${AWS::Region}:${AWS::AccountId}:activity:${Name}',
    },
  },
  'AWS::StepFunctions::StateMachineVersion': {
    sources: [
      // Return values: Arn (Ref) the version's ARN.
      'https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-stepfunctions-statemachineversion.html#aws-resource-stepfunctions-statemachineversion-return-values',
      // A version ARN is the state machine's ARN, a colon and the version number, stateMachineARN:1; versions
      // are numbered from 1.
      'https://docs.aws.amazon.com/step-functions/latest/apireference/API_StateMachineVersionListItem.html',
      'https://docs.aws.amazon.com/step-functions/latest/dg/concepts-state-machine-version.html',
    ],
    attributes: {
      // The first version; later versions of the same state machine count on from it, which one resource's
      // format cannot see.
      Arn: '${StateMachineArn}:1',
    },
  },
};
