// Where Commit and Push sends a commit: the repository and branch the followed pipeline's CodeCommit
// source action watches (read from the pipeline, not guessed), and that repository's clone URL.
import * as l10n from '@vscode/l10n';
import type { StackDescription } from '../aws/cloudformation';
import type { CodeCommitApi } from '../aws/codecommit';
import type { CodePipelineApi } from '../aws/codepipeline';
import type { PushDestination } from '../git/pushFlow';
import { codeCommitSource } from '../git/pushTarget';
import { outputValue, type PipelineTemplate } from './pipelineTemplate';

export interface PushDestinationInput {
  readonly template: PipelineTemplate;
  readonly stack: Pick<StackDescription, 'name' | 'outputs'>;
  /** workshopPipeline.pipelineName: a pipeline other than the stack's. */
  readonly pipelineName: string | undefined;
  readonly codePipeline: Pick<CodePipelineApi, 'getPipeline'>;
  readonly codeCommit: Pick<CodeCommitApi, 'getRepository'>;
}

/** The destination, or why there is none (phrased for the user). */
export async function resolvePushDestination(
  input: PushDestinationInput,
): Promise<{ ok: true; destination: PushDestination } | { ok: false; message: string }> {
  const { template, stack } = input;
  const pipelineName = input.pipelineName ?? outputValue(stack, template.outputs.pipelineName);
  if (!pipelineName) {
    return {
      ok: false,
      message: l10n.t(
        'Stack {0} has no {1} output; set workshopPipeline.pipelineName.',
        stack.name,
        template.outputs.pipelineName,
      ),
    };
  }
  const target = codeCommitSource(await input.codePipeline.getPipeline(pipelineName));
  if (!target) {
    return { ok: false, message: l10n.t('Pipeline {0} has no CodeCommit source action to push to.', pipelineName) };
  }
  const repository = await input.codeCommit.getRepository(target.repositoryName);
  const cloneUrl = repository?.cloneUrlHttp ?? outputValue(stack, template.outputs.cloneUrl);
  if (!repository || !cloneUrl) {
    const creates = template.repositorySwitches.find((s) => s.kind === 'codeCommit');
    return {
      ok: false,
      message: l10n.t(
        'The CodeCommit repository {0} that pipeline {1} watches does not exist.{2}',
        target.repositoryName,
        pipelineName,
        creates ? ` Deploy with ${creates.switchParameter}=true to create it.` : '',
      ),
    };
  }
  return { ok: true, destination: { target, cloneUrl } };
}
