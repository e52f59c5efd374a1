import * as vscode from 'vscode';
import type { PipelineController } from '../following/pipelineController';
import { putApproval } from './approvalResult';

export function registerApprove(controller: PipelineController): vscode.Disposable {
  return vscode.commands.registerCommand('workshopPipeline.approve', (arg?: unknown) =>
    putApproval(controller, arg, true),
  );
}
