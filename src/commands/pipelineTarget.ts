// What the pipeline commands act on: the node they were invoked on (or the links a notification
// passed), else the pipeline and execution the views follow.
import * as vscode from 'vscode';
import type { CodePipelineApi } from '../aws/codepipeline';
import type { ErrorContext } from '../aws/errors';
import { showAwsFailure } from '../editor/awsFailure';
import type { NodeLinks } from '../pipeline/viewNode';
import { linksOf } from '../views/nodeTree';
import type { PipelineController } from '../following/pipelineController';

export interface CommandContext {
  readonly links: NodeLinks;
  readonly pipelineName: string;
  readonly api: CodePipelineApi;
  readonly errorContext: ErrorContext | undefined;
}

/** The target of a command, or undefined after telling the user why there is none. */
export function commandContext(controller: PipelineController, arg: unknown): CommandContext | undefined {
  const links = linksOf(arg);
  const api = controller.api;
  const pipelineName = links.pipelineName ?? controller.target?.pipelineName;
  if (!api || !pipelineName) {
    void vscode.window.showWarningMessage(
      vscode.l10n.t(
        'Workshop Pipeline: no pipeline is connected. Deploy the workshop stack or set workshopPipeline.pipelineName.',
      ),
    );
    return undefined;
  }
  return { links, pipelineName, api, errorContext: controller.errorContext };
}

/**
 * Runs an AWS action with progress on the Pipeline view; failures become one error message (an
 * access denial names the permission and offers the policy).
 */
export async function runAction<T>(
  title: string,
  action: () => Promise<T>,
  errorContext?: ErrorContext,
): Promise<T | undefined> {
  try {
    return await vscode.window.withProgress({ location: { viewId: 'workshopPipeline.stages' }, title }, action);
  } catch (error) {
    void showAwsFailure(vscode.l10n.t('{0} failed', title), error, errorContext);
    return undefined;
  }
}
