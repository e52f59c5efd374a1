import * as vscode from 'vscode';
import { registerReadCommand } from '../editor/commandRegistration';
import type { PipelineController } from '../following/pipelineController';
import { safeUrl } from '../pipeline/consoleUrls';
import { linksOf } from '../views/nodeTree';

/** Open in Browser: where the followed service is served (its load balancer's URL). */
export function registerOpenInBrowser(controller: PipelineController): vscode.Disposable {
  return registerReadCommand('workshopPipeline.openInBrowser', async (arg?: unknown) => {
    const url = safeUrl(linksOf(arg).openUrl) ?? safeUrl(controller.health?.view.url);
    if (!url) {
      void vscode.window.showInformationMessage(
        vscode.l10n.t(
          'Workshop Pipeline: the service has no load balancer URL to open (yet). Service Health shows it once the service is read.',
        ),
      );
      return;
    }
    await vscode.env.openExternal(vscode.Uri.parse(url));
  });
}
