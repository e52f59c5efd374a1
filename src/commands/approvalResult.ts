// Shared by Approve and Reject: PutApprovalResult for the manual approval action of a node.
import * as vscode from 'vscode';
import type { PipelineController } from '../following/pipelineController';
import { commandContext, runAction } from './pipelineTarget';

export async function putApproval(controller: PipelineController, arg: unknown, approved: boolean): Promise<void> {
  const ctx = commandContext(controller, arg);
  if (!ctx) {
    return;
  }
  const { stageName, actionName, approvalToken } = ctx.links;
  if (!stageName || !actionName || !approvalToken) {
    void vscode.window.showInformationMessage(
      vscode.l10n.t('Workshop Pipeline: choose a manual approval that is waiting, in the Pipeline view.'),
    );
    return;
  }
  const verb = approved ? 'Approve' : 'Reject';
  const summary = await vscode.window.showInputBox({
    title: `${verb} ${stageName} / ${actionName}`,
    prompt: approved ? vscode.l10n.t('Comment (optional)') : vscode.l10n.t('Why is it rejected?'),
    validateInput: (value) => (!approved && value.trim() === '' ? 'Say why, for the pipeline history' : undefined),
  });
  if (summary === undefined) {
    return;
  }
  const done = await runAction(
    `${verb} ${actionName}`,
    async () => {
      await ctx.api.putApprovalResult({
        name: ctx.pipelineName,
        stageName,
        actionName,
        token: approvalToken,
        approved,
        summary: summary.trim() || vscode.l10n.t('{0} from VS Code', approved ? 'Approved' : 'Rejected'),
      });
      return true;
    },
    ctx.errorContext,
  );
  if (done) {
    await controller.refresh();
  }
}
