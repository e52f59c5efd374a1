import * as vscode from 'vscode';
import { errorText } from '../shared/errorText';
import type { PipelineController } from '../following/pipelineController';
import { updateSetting } from '../editor/updateSetting';
import { registerReadCommand } from '../editor/commandRegistration';

/** Select Pipeline: picks one of the account's pipelines into workshopPipeline.pipelineName. */
export function registerSelectPipeline(controller: PipelineController): vscode.Disposable {
  return registerReadCommand('workshopPipeline.selectPipeline', async () => {
    let names: string[] | undefined;
    try {
      names = await controller.listPipelines();
    } catch (error) {
      void vscode.window.showErrorMessage(vscode.l10n.t('Could not list the pipelines: {0}', errorText(error)));
      return;
    }
    if (!names) {
      void vscode.window.showWarningMessage(vscode.l10n.t('Workshop Pipeline: not connected to AWS.'));
      return;
    }
    const current = controller.target?.pipelineName;
    const items = [
      {
        label: vscode.l10n.t('The workshop stack’s pipeline'),
        detail: vscode.l10n.t('Follow the PipelineName output of the stack'),
        name: undefined as string | undefined,
      },
      ...names.map((name) => ({ label: `${name === current ? '$(check) ' : ''}${name}`, name })),
    ];
    const picked = await vscode.window.showQuickPick(items, {
      title: vscode.l10n.t('Workshop Pipeline: pipeline to follow'),
      placeHolder: names.length === 0 ? vscode.l10n.t('No pipelines in this account and region') : 'Choose a pipeline',
    });
    if (picked) {
      await updateSetting('pipelineName', picked.name);
    }
  });
}
