import * as vscode from 'vscode';
import type { PipelineController } from '../following/pipelineController';
import { putApproval } from './approvalResult';
import { registerWriteCommand } from '../editor/commandRegistration';

export function registerReject(controller: PipelineController): vscode.Disposable {
  return registerWriteCommand('workshopPipeline.reject', 'reject pipeline actions', (arg?: unknown) =>
    putApproval(controller, arg, false),
  );
}
