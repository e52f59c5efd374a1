// Asks once, when the first image of a service the extension created without tasks has landed,
// whether to start the tasks the service stack intends. One click starts them; "Not Now" forgets
// the intent (the Service Health view keeps the action for later).
import * as vscode from 'vscode';
import type { PipelineController } from '../following/pipelineController';
import { shortRevision } from '../pipeline/format';

export function presentStartRequests(controller: PipelineController): vscode.Disposable {
  return controller.onDidChange((event) => {
    if (event.kind !== 'startRequest') {
      return;
    }
    const { service, desired, commitId } = event.request;
    const start = `Start ${desired} Task${desired === 1 ? '' : 's'}`;
    void vscode.window
      .showInformationMessage(
        vscode.l10n.t(
          '{0} runs no task yet: it was created before its image existed. The pipeline has pushed one{1}; start the {2} task{3} it should run?',
          service,
          commitId ? ` (${shortRevision(commitId)})` : '',
          desired,
          desired === 1 ? '' : 's',
        ),
        start,
        vscode.l10n.t('Not Now'),
      )
      .then((choice) => {
        if (choice === start) {
          void vscode.commands.executeCommand('workshopPipeline.startService');
        } else if (choice === vscode.l10n.t('Not Now')) {
          controller.health?.forgetStartIntent();
        }
      });
  });
}
