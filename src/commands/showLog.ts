import * as vscode from 'vscode';
import { registerReadCommand } from '../editor/commandRegistration';

/** Opens the Workshop Pipeline output channel; the views' welcome content links here for details. */
export function registerShowLog(log: vscode.LogOutputChannel): vscode.Disposable {
  return registerReadCommand('workshopPipeline.showLog', () => log.show(true));
}
