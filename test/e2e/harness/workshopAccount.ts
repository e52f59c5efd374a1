// What the code-server suites read and set up in their sandbox account beside the editor, as the
// account's administrator would: the workshop's stacks deployed before the user arrives, and the
// commit the CodeCommit branch points at.
import { readFileSync } from 'node:fs';
import { CloudFormationClient, CreateStackCommand, waitUntilStackCreateComplete } from '@aws-sdk/client-cloudformation';
import { CodeCommitClient, GetBranchCommand } from '@aws-sdk/client-codecommit';

export interface AccountAccess {
  readonly endpoint: string;
  readonly credentials: { readonly accessKeyId: string; readonly secretAccessKey: string };
}

/** The commit `branch` of the workshop's repository points at, or undefined when it has none. */
export async function remoteHead(account: AccountAccess, branch = 'master'): Promise<string | undefined> {
  const cc = new CodeCommitClient({
    endpoint: account.endpoint,
    region: 'us-east-1',
    credentials: account.credentials,
  });
  try {
    const out = await cc.send(new GetBranchCommand({ repositoryName: 'modernization-workshop', branchName: branch }));
    return out.branch?.commitId;
  } catch {
    return undefined;
  } finally {
    cc.destroy();
  }
}

/**
 * Creates the pipeline stack (repositories included) and, with `service`, the service stack before
 * it, then waits for both. No image is in ECR yet, so the service runs a public one.
 */
export async function deployWorkshopStacks(account: AccountAccess, options: { service: boolean }): Promise<void> {
  const cfn = new CloudFormationClient({
    endpoint: account.endpoint,
    region: 'us-east-1',
    credentials: account.credentials,
  });
  try {
    const stacks: string[] = [];
    if (options.service) {
      await cfn.send(
        new CreateStackCommand({
          StackName: 'WorkshopService',
          TemplateBody: readFileSync('media/templates/service.yaml', 'utf8'),
          Capabilities: ['CAPABILITY_IAM'],
          Parameters: [{ ParameterKey: 'ImageUri', ParameterValue: 'public.ecr.aws/nginx/nginx:latest' }],
        }),
      );
      stacks.push('WorkshopService');
    }
    await cfn.send(
      new CreateStackCommand({
        StackName: 'WorkshopPipeline',
        TemplateBody: readFileSync('media/templates/pipeline.yaml', 'utf8'),
        Capabilities: ['CAPABILITY_NAMED_IAM'],
        Parameters: [
          { ParameterKey: 'CreateCodeCommitRepository', ParameterValue: 'true' },
          { ParameterKey: 'CreateEcrRepository', ParameterValue: 'true' },
        ],
      }),
    );
    stacks.push('WorkshopPipeline');
    for (const stack of stacks) {
      await waitUntilStackCreateComplete(
        { client: cfn, maxWaitTime: 120, minDelay: 1, maxDelay: 2 },
        { StackName: stack },
      );
    }
  } finally {
    cfn.destroy();
  }
}
