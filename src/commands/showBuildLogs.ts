import * as vscode from 'vscode';
import { openBuildLog } from '../views/buildLogProvider';
import { linksOf } from '../views/nodeTree';
import type { PipelineController } from '../following/pipelineController';
import { registerReadCommand } from '../editor/commandRegistration';

/** Show Build Logs: the CodeBuild action's CloudWatch log, live while the build runs. */
export function registerShowBuildLogs(controller: PipelineController): vscode.Disposable {
  return registerReadCommand('workshopPipeline.showBuildLogs', async (arg?: unknown) => {
    let buildId = linksOf(arg).buildId;
    if (!buildId) {
      // From the palette: the failed (else the running, else the latest) CodeBuild action shown.
      const actions = controller.tracker?.view.state?.stages.flatMap((s) => s.actions).filter((a) => a.buildId) ?? [];
      buildId = (
        actions.find((a) => a.status === 'Failed') ??
        actions.find((a) => a.status === 'InProgress') ??
        actions.at(-1)
      )?.buildId;
    }
    if (!buildId) {
      void vscode.window.showInformationMessage(vscode.l10n.t('Workshop Pipeline: no CodeBuild build to show.'));
      return;
    }
    await openBuildLog(buildId);
  });
}
