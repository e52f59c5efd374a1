import * as vscode from 'vscode';
import { isRunning } from '../pipeline/runStatus';
import type { PipelineController } from '../following/pipelineController';
import { commandContext, runAction } from './pipelineTarget';
import { registerWriteCommand } from '../editor/commandRegistration';

interface StopChoice extends vscode.QuickPickItem {
  abandon: boolean;
}

/** Stop Execution: StopPipelineExecution, letting running actions finish or abandoning them. */
export function registerStopExecution(controller: PipelineController): vscode.Disposable {
  return registerWriteCommand('workshopPipeline.stopExecution', 'stop pipeline executions', async (arg?: unknown) => {
    const ctx = commandContext(controller, arg);
    if (!ctx) {
      return;
    }
    const running = controller.tracker?.view.history.find((e) => isRunning(e.status));
    const executionId = ctx.links.executionId ?? running?.id;
    if (!executionId) {
      void vscode.window.showInformationMessage(vscode.l10n.t('Workshop Pipeline: no execution is running.'));
      return;
    }
    const choices: StopChoice[] = [
      {
        label: vscode.l10n.t('Stop and wait'),
        detail: vscode.l10n.t('Let the running actions finish, then stop.'),
        abandon: false,
      },
      {
        label: vscode.l10n.t('Stop and abandon'),
        detail: vscode.l10n.t('Stop now; running actions are abandoned and their results discarded.'),
        abandon: true,
      },
    ];
    const choice = await vscode.window.showQuickPick(choices, {
      title: vscode.l10n.t('Stop execution {0} of {1}', executionId.slice(0, 8), ctx.pipelineName),
      placeHolder: vscode.l10n.t('How to stop'),
    });
    if (!choice) {
      return;
    }
    const done = await runAction(
      `Stop ${ctx.pipelineName}`,
      async () => {
        await ctx.api.stopPipelineExecution(ctx.pipelineName, executionId, choice.abandon, 'Stopped from VS Code');
        return true;
      },
      ctx.errorContext,
    );
    if (done) {
      await controller.refresh();
    }
  });
}
