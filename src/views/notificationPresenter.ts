// Shows the FinishNotifier's decisions (an execution the user started or pushed finished) as
// notifications whose buttons run the matching commands.
import * as vscode from 'vscode';
import type { NotificationAction, NotificationDecision } from '../pipeline/notifications';
import type { PipelineController } from '../following/pipelineController';

export function presentNotifications(controller: PipelineController): vscode.Disposable {
  return controller.onDidChange((event) => {
    if (event.kind === 'pipeline') {
      const pipelineName = controller.target?.pipelineName;
      for (const decision of event.change.notifications) {
        void show(decision, pipelineName);
      }
    }
  });
}

async function show(decision: NotificationDecision, pipelineName: string | undefined): Promise<void> {
  const titles = decision.actions.map((a) => a.title);
  const present =
    decision.severity === 'error'
      ? vscode.window.showErrorMessage
      : decision.severity === 'warning'
        ? vscode.window.showWarningMessage
        : vscode.window.showInformationMessage;
  const choice = await present(decision.message, ...titles);
  const action = decision.actions.find((a) => a.title === choice);
  if (action) {
    await vscode.commands.executeCommand(...commandFor(action, pipelineName));
  }
}

function commandFor(action: NotificationAction, pipelineName: string | undefined): [string, ...unknown[]] {
  switch (action.kind) {
    case 'showBuildLogs':
      return ['workshopPipeline.showBuildLogs', { buildId: action.buildId }];
    case 'openInConsole':
      return ['workshopPipeline.openInConsole', { consoleUrl: action.url }];
    case 'retryStage':
      return [
        'workshopPipeline.retryStage',
        { pipelineName, stageName: action.stageName, executionId: action.executionId },
      ];
    case 'releaseChange':
      return ['workshopPipeline.startExecution'];
    case 'deployServiceStack':
      return ['workshopPipeline.deployServiceStack'];
  }
}
