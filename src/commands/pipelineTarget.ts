// What the pipeline commands act on: the node they were invoked on (or the links a notification
// passed), else the pipeline and execution the views follow.
import * as vscode from 'vscode';
import type { CodePipelineApi } from '../aws/codepipeline';
import { errorText } from '../shared/errorText';
import type { NodeLinks } from '../pipeline/viewNode';
import { linksOf } from '../views/nodeTree';
import type { PipelineController } from '../following/pipelineController';

export interface CommandContext {
  readonly links: NodeLinks;
  readonly pipelineName: string;
  readonly api: CodePipelineApi;
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
  return { links, pipelineName, api };
}

/** Runs an AWS action with progress on the Pipeline view; failures become one error message. */
export async function runAction<T>(title: string, action: () => Promise<T>): Promise<T | undefined> {
  try {
    return await vscode.window.withProgress({ location: { viewId: 'workshopPipeline.stages' }, title }, action);
  } catch (error) {
    void vscode.window.showErrorMessage(vscode.l10n.t('{0} failed: {1}', title, errorText(error)));
    return undefined;
  }
}
