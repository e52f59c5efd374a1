import * as vscode from 'vscode';
import type { PipelineController } from '../following/pipelineController';
import { commandContext, runAction } from './pipelineTarget';
import { registerWriteCommand } from '../editor/commandRegistration';

/** Release Change: StartPipelineExecution of the followed pipeline (or the node's). */
export function registerStartExecution(controller: PipelineController): vscode.Disposable {
  return registerWriteCommand('workshopPipeline.startExecution', 'start pipeline executions', async (arg?: unknown) => {
    const ctx = commandContext(controller, arg);
    if (!ctx) {
      return;
    }
    const executionId = await runAction(
      `Release Change on ${ctx.pipelineName}`,
      () => ctx.api.startPipelineExecution(ctx.pipelineName),
      ctx.errorContext,
    );
    if (executionId) {
      controller.tracker?.followExecution(executionId);
      void vscode.window.setStatusBarMessage(
        `$(play) Started ${ctx.pipelineName} execution ${executionId.slice(0, 8)}`,
        5_000,
      );
      await controller.refresh();
    }
  });
}
