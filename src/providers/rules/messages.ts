/**
 * The handler messages of the rules, as templates: `${Name}` is a value of the model the rule is about (or a
 * value the rule computed, such as the list of zones), `${RequestId}` a fresh request id, since every refused
 * downstream call has its own.
 */
import type { IdSource } from '../../lib/ids.js';

/**
 * The EC2 handlers' message is EC2's followed by the AWS SDK v2 exception's suffix, as CloudFormation quotes it
 * inside `Resource handler returned message: "…"`: "The subnet 'subnet-018a56d9f6694def5' has dependencies and
 * cannot be deleted. (Service: Ec2, Status Code: 400, Request ID: 39bc4d02-…)" (aws/copilot-cli#5481;
 * aws-samples/aws-genai-llm-chatbot#153; aws/aws-cdk#32017).
 */
export const EC2_SDK_SUFFIX = ' (Service: Ec2, Status Code: 400, Request ID: ${RequestId})';

/** The template with its `${Name}`s filled from `values` (absent values render empty) and `${RequestId}` from `ids`. */
export function renderMessage(template: string, values: Readonly<Record<string, unknown>>, ids: IdSource): string {
  return template.replace(/\$\{([A-Za-z0-9]+)\}/g, (_, name: string) => {
    if (name === 'RequestId') return ids.uuid();
    const value = values[name];
    return typeof value === 'string' || typeof value === 'number' ? String(value) : '';
  });
}
