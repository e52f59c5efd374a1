import * as vscode from 'vscode';

/** Opens the Workshop Pipeline output channel; the views' welcome content links here for details. */
export function registerShowLog(log: vscode.LogOutputChannel): vscode.Disposable {
  return vscode.commands.registerCommand('workshopPipeline.showLog', () => log.show(true));
}
