import type { AwsSession } from './awsSession';
import { errorCode } from './errors';

export interface StackOutput {
  key: string;
  value: string;
  description: string | undefined;
}

export interface StackSummary {
  name: string;
  id: string;
  status: string;
  statusReason: string | undefined;
  lastUpdated: Date | undefined;
  outputs: StackOutput[];
}

/** The stack named `name`, or undefined when it does not exist (CloudFormation says so with a ValidationError). */
export async function describeStack(session: AwsSession, name: string): Promise<StackSummary | undefined> {
  const cfn = session.client('cloudformation', (sdk, config) => new sdk.CloudFormationClient(config));
  const { DescribeStacksCommand } = session.sdkModule;
  try {
    const out = await cfn.send(new DescribeStacksCommand({ StackName: name }));
    const stack = out.Stacks?.[0];
    if (!stack) {
      return undefined;
    }
    return {
      name: stack.StackName ?? name,
      id: stack.StackId ?? '',
      status: stack.StackStatus ?? 'UNKNOWN',
      statusReason: stack.StackStatusReason,
      lastUpdated: stack.LastUpdatedTime ?? stack.CreationTime,
      outputs: (stack.Outputs ?? []).map((o) => ({ key: o.OutputKey ?? '', value: o.OutputValue ?? '', description: o.Description })),
    };
  } catch (error) {
    if (errorCode(error) === 'ValidationError' && /does not exist/.test((error as Error).message)) {
      return undefined;
    }
    throw error;
  }
}
