// Shows the FinishNotifier's decisions (an execution the user started or pushed finished) as
// notifications whose buttons run the matching commands. A failure in a CodeBuild action waits
// briefly for that build's report findings and names the first one instead of CodeBuild's phase error.
import * as vscode from 'vscode';
import { failureHeadline } from '../findings/findingText';
import type { NotificationAction, NotificationDecision } from '../pipeline/notifications';
import type { PipelineController } from '../following/pipelineController';

/** How long a failure notification waits for the build's reports before it shows without them. */
const FINDINGS_WAIT_MS = 2500;

export function presentNotifications(controller: PipelineController): vscode.Disposable {
  return controller.onDidChange((event) => {
    if (event.kind === 'pipeline') {
      const pipelineName = controller.target?.pipelineName;
      for (const decision of event.change.notifications) {
        void withFindings(decision, controller).then((d) => show(d, pipelineName));
      }
    }
  });
}

/** The decision, naming the first finding of the failed build when its reports have any. */
async function withFindings(
  decision: NotificationDecision,
  controller: PipelineController,
): Promise<NotificationDecision> {
  const failure = decision.failure;
  const follower = controller.findings;
  if (!failure?.buildId || !follower) {
    return decision;
  }
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    const found = await Promise.race([
      follower.forBuild(failure.buildId),
      new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), FINDINGS_WAIT_MS))),
    ]);
    const headline = found ? failureHeadline(failure.stageName, found.findings) : undefined;
    if (!headline) {
      return decision;
    }
    return {
      ...decision,
      message: headline,
      actions: [
        { kind: 'showProblems', title: vscode.l10n.t('Show Problems') },
        ...decision.actions.filter((a) => a.kind === 'showBuildLogs'),
      ],
    };
  } catch {
    return decision; // shown without findings; the follower logs why they could not be read
  } finally {
    clearTimeout(timer);
  }
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
    case 'showProblems':
      return ['workbench.actions.view.problems'];
  }
}
