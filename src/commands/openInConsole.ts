import * as vscode from 'vscode';
import { pipelineConsoleUrl, safeUrl } from '../pipeline/consoleUrls';
import { linksOf } from '../views/nodeTree';
import type { PipelineController } from '../following/pipelineController';
import { registerReadCommand } from '../editor/commandRegistration';

/** Open in Console: the node's console page (action, build, execution, pipeline, service). */
export function registerOpenInConsole(controller: PipelineController): vscode.Disposable {
  return registerReadCommand('workshopPipeline.openInConsole', async (arg?: unknown) => {
    const links = linksOf(arg);
    const target = controller.target;
    const url =
      safeUrl(links.consoleUrl) ??
      (target ? pipelineConsoleUrl(target.region, links.pipelineName ?? target.pipelineName) : undefined);
    if (!url) {
      void vscode.window.showInformationMessage(vscode.l10n.t('Workshop Pipeline: this item has no console page.'));
      return;
    }
    await vscode.env.openExternal(vscode.Uri.parse(url));
  });
}
