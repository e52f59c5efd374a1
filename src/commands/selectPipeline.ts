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
      void vscode.window.showErrorMessage(`Could not list the pipelines: ${errorText(error)}`);
      return;
    }
    if (!names) {
      void vscode.window.showWarningMessage('Workshop Pipeline: not connected to AWS.');
      return;
    }
    const current = controller.target?.pipelineName;
    const items = [
      {
        label: 'The workshop stack’s pipeline',
        detail: 'Follow the PipelineName output of the stack',
        name: undefined as string | undefined,
      },
      ...names.map((name) => ({ label: `${name === current ? '$(check) ' : ''}${name}`, name })),
    ];
    const picked = await vscode.window.showQuickPick(items, {
      title: 'Workshop Pipeline: pipeline to follow',
      placeHolder: names.length === 0 ? 'No pipelines in this account and region' : 'Choose a pipeline',
    });
    if (picked) {
      await updateSetting('pipelineName', picked.name);
    }
  });
}
