import * as vscode from 'vscode';
import type { PipelineController } from '../following/pipelineController';
import { commandContext, runAction } from './pipelineTarget';
import { registerWriteCommand } from '../editor/commandRegistration';

/** Retry Failed Stage: RetryStageExecution (failed actions) of a failed or stopped stage. */
export function registerRetryStage(controller: PipelineController): vscode.Disposable {
  return registerWriteCommand('workshopPipeline.retryStage', 'retry pipeline stages', async (arg?: unknown) => {
    const ctx = commandContext(controller, arg);
    if (!ctx) {
      return;
    }
    const state = controller.tracker?.view.state;
    const failed = state?.stages.find((s) => s.status === 'Failed' || s.status === 'Stopped');
    const stageName = ctx.links.stageName ?? failed?.name;
    const executionId = ctx.links.executionId ?? failed?.latestExecutionId;
    if (!stageName || !executionId) {
      void vscode.window.showInformationMessage(vscode.l10n.t('Workshop Pipeline: no failed stage to retry.'));
      return;
    }
    const retried = await runAction(
      `Retry ${stageName}`,
      () => ctx.api.retryStageExecution(ctx.pipelineName, stageName, executionId),
      ctx.errorContext,
    );
    if (retried) {
      controller.tracker?.followExecution(retried);
      await controller.refresh();
    }
  });
}
