import * as vscode from 'vscode';

/**
 * Writes a workshopPipeline setting where it takes effect: if a workspace or folder value
 * overrides the user value, that one is changed, so the pick is not silently shadowed.
 */
export async function updateSetting(key: string, value: string | undefined): Promise<void> {
  const config = vscode.workspace.getConfiguration('workshopPipeline');
  const inspected = config.inspect(key);
  const target =
    inspected?.workspaceFolderValue !== undefined
      ? vscode.ConfigurationTarget.WorkspaceFolder
      : inspected?.workspaceValue !== undefined
        ? vscode.ConfigurationTarget.Workspace
        : vscode.ConfigurationTarget.Global;
  await config.update(key, value, target);
}
