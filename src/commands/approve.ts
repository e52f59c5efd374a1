import * as vscode from 'vscode';
import type { PipelineController } from '../following/pipelineController';
import { putApproval } from './approvalResult';
import { registerWriteCommand } from '../editor/commandRegistration';

export function registerApprove(controller: PipelineController): vscode.Disposable {
  return registerWriteCommand('workshopPipeline.approve', 'approve pipeline actions', (arg?: unknown) =>
    putApproval(controller, arg, true),
  );
}
