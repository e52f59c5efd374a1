import * as vscode from 'vscode';
import type { AwsContext } from '../aws/awsContext';
import { registerReadCommand } from '../editor/commandRegistration';
import type { PipelineController } from '../following/pipelineController';
import { browserUrl } from '../health/browserUrl';
import { safeUrl } from '../pipeline/consoleUrls';
import { linksOf } from '../views/nodeTree';

/**
 * Open in Browser: where the followed service is served (its load balancer's URL). On a local AWS
 * (workshopPipeline.endpointUrl) a `.localhost` load balancer opens on the endpoint's port.
 */
export function registerOpenInBrowser(controller: PipelineController, aws: AwsContext): vscode.Disposable {
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
    await vscode.env.openExternal(vscode.Uri.parse(browserUrl(url, aws.currentSettings.endpointUrl)));
  });
}
