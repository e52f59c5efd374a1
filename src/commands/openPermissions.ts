import * as vscode from 'vscode';
import { registerReadCommand } from '../editor/commandRegistration';

/**
 * Opens docs/iam/README.md (shipped in the .vsix with the two policies) as a preview: what each
 * policy allows and how to attach it. The "access denied" states and messages link here.
 */
export function registerOpenPermissions(extensionUri: vscode.Uri): vscode.Disposable {
  return registerReadCommand('workshopPipeline.openPermissions', async () => {
    const readme = vscode.Uri.joinPath(extensionUri, 'docs', 'iam', 'README.md');
    await vscode.commands.executeCommand('markdown.showPreview', readme);
  });
}
