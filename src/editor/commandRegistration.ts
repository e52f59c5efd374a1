// Every command of the extension is registered here, as a read or as a write. A write (anything
// that changes something in AWS or git) runs only in a trusted workspace; in an untrusted one the
// command stays visible and says why it does nothing. Having one door for each kind means a new
// command cannot forget the trust check: test/unit/commandTrust.test.ts requires every command in
// package.json to come through one of the two, and only the listed reads through the first.
import * as vscode from 'vscode';

type Handler = (...args: unknown[]) => unknown;

/** A command that only reads AWS, or changes nothing but the editor's own state and settings. */
export function registerReadCommand(id: string, run: Handler): vscode.Disposable {
  return vscode.commands.registerCommand(id, run);
}

/**
 * A command that changes something in AWS or git. `verb` says what, for the untrusted-workspace
 * message: "deploy", "push", "start pipeline executions".
 */
export function registerWriteCommand(id: string, verb: string, run: Handler): vscode.Disposable {
  return vscode.commands.registerCommand(id, (...args: unknown[]) => {
    if (!vscode.workspace.isTrusted) {
      explainUntrusted(verb);
      return undefined;
    }
    return run(...args);
  });
}

function explainUntrusted(verb: string): void {
  const manage = 'Manage Workspace Trust';
  void vscode.window
    .showWarningMessage(
      vscode.l10n.t(
        'Workshop Pipeline does not {0} from an untrusted workspace: there it only reads. Trust this workspace to {1}.',
        verb,
        verb,
      ),
      manage,
    )
    .then((choice) => {
      if (choice === manage) {
        void vscode.commands.executeCommand('workbench.trust.manage');
      }
    });
}
