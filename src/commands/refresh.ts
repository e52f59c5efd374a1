import * as vscode from 'vscode';
import type { AwsContext } from '../aws/awsContext';
import { registerReadCommand } from '../editor/commandRegistration';
import type { PipelineController } from '../following/pipelineController';

/** Refresh: connect again (new credentials, settings), then poll everything now, paused views and backoff included. */
export function registerRefresh(aws: AwsContext, controller: PipelineController): vscode.Disposable {
  return registerReadCommand('workshopPipeline.refresh', () =>
    vscode.window.withProgress({ location: { viewId: 'workshopPipeline.stages' } }, async () => {
      await aws.refresh();
      await controller.refresh();
    }),
  );
}
