import * as vscode from 'vscode';
import type { PipelineController } from '../following/pipelineController';
import { putApproval } from './approvalResult';

export function registerReject(controller: PipelineController): vscode.Disposable {
  return vscode.commands.registerCommand('workshopPipeline.reject', (arg?: unknown) =>
    putApproval(controller, arg, false),
  );
}
