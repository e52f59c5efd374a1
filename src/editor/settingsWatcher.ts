import * as vscode from 'vscode';
import { isConnectionSetting, type AwsContext } from '../aws/awsContext';
import { readSettings, type SettingProblem, type Settings } from '../shared/settings';

export function readWorkspaceSettings(): { settings: Settings; problems: SettingProblem[] } {
  const config = vscode.workspace.getConfiguration('workshopPipeline');
  return readSettings((key) => config.get(key));
}

/**
 * One message for everything wrong in the settings that do not decide the connection, naming each
 * setting and what it expects. Connection settings are reported with the connection state.
 */
export function reportSettingProblems(all: SettingProblem[]): void {
  const problems = all.filter((p) => !isConnectionSetting(p.setting));
  if (problems.length === 0) {
    return;
  }
  const text = problems.map((p) => `workshopPipeline.${p.setting}: ${p.message}.`).join(' ');
  void vscode.window
    .showErrorMessage(
      vscode.l10n.t('Workshop Pipeline settings need attention. {0}', text),
      vscode.l10n.t('Open Settings'),
    )
    .then((choice) => {
      if (choice) {
        void vscode.commands.executeCommand('workbench.action.openSettings', 'workshopPipeline');
      }
    });
}

/** Re-reads settings when they change; the AWS session is rebuilt at the refresh that follows. */
export function watchSettings(aws: AwsContext): vscode.Disposable {
  return vscode.workspace.onDidChangeConfiguration((event) => {
    if (!event.affectsConfiguration('workshopPipeline')) {
      return;
    }
    const { settings, problems } = readWorkspaceSettings();
    aws.updateSettings(settings, problems);
    reportSettingProblems(problems);
    void aws.refresh();
  });
}
