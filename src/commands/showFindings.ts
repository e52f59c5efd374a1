// "Show Findings of Execution…": the findings of any execution of the history in the Problems panel
// (from an execution's context menu, or picked from the history), until a newer run reports. And
// the tree's finding nodes: open the file at the line the finding is on now.
import * as vscode from 'vscode';
import { registerReadCommand } from '../editor/commandRegistration';
import type { PipelineController } from '../following/pipelineController';
import {
  executionChoices,
  executionNamed,
  findingsOutcome,
  unknownExecutionMessage,
} from '../following/showFindingsPlan';
import { errorMessage } from '../shared/errorText';
import type { FindingsPresenter } from '../views/findingsPresenter';
import { linksOf } from '../views/nodeTree';

export function registerShowFindings(controller: PipelineController, presenter: FindingsPresenter): vscode.Disposable {
  return registerReadCommand('workshopPipeline.showFindings', async (arg?: unknown) => {
    const tracker = controller.tracker;
    const follower = controller.findings;
    if (!tracker || !follower) {
      void vscode.window.showInformationMessage(vscode.l10n.t('Workshop Pipeline: no pipeline is followed yet.'));
      return;
    }
    const history = tracker.view.history;
    let executionId = linksOf(arg).executionId;
    if (!executionId) {
      const picked = await vscode.window.showQuickPick(executionChoices(history, Date.now()), {
        title: vscode.l10n.t('Show Findings of Execution'),
        placeHolder: vscode.l10n.t('The execution whose build reports to show in Problems'),
      });
      executionId = picked?.executionId;
    }
    if (!executionId) {
      return;
    }
    const execution = await executionNamed(executionId, history, (id) => tracker.fetchExecution(id));
    if (!execution) {
      void vscode.window.showWarningMessage(unknownExecutionMessage(executionId));
      return;
    }
    try {
      const found = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Window, title: vscode.l10n.t('Reading build reports…') },
        () => follower.showExecution(execution),
      );
      await presenter.present(found);
      const outcome = findingsOutcome(execution, found);
      if (outcome.kind === 'none') {
        void vscode.window.showInformationMessage(outcome.message);
        return;
      }
      await vscode.commands.executeCommand('workbench.actions.view.problems');
    } catch (error) {
      void vscode.window.showErrorMessage(
        vscode.l10n.t('Could not read the findings of {0}: {1}', executionId, errorMessage(error)),
      );
    }
  });
}

/** Opens a finding of the Pipeline view where it is in the workspace now. */
export function registerOpenFinding(presenter: FindingsPresenter): vscode.Disposable {
  return registerReadCommand('workshopPipeline.openFinding', async (arg?: unknown) => {
    const finding = linksOf(arg).finding;
    if (!finding) {
      return;
    }
    const placed = presenter.locationOf(finding.buildId, finding.index);
    if (!placed) {
      void vscode.window.showInformationMessage(
        finding.path
          ? vscode.l10n.t('{0}:{1} no longer has the line this finding was reported on.', finding.path, finding.line)
          : vscode.l10n.t('This finding names no file of the workspace.'),
      );
      return;
    }
    const position = new vscode.Position(placed.line - 1, 0);
    await vscode.window.showTextDocument(placed.uri, { selection: new vscode.Range(position, position) });
  });
}
