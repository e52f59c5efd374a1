import * as vscode from 'vscode';
import type { AwsContext, ConnectionState } from '../aws/awsContext';

const ACTIONS: Record<string, { title: string; command: string; args?: unknown[] }[]> = {
  settingsError: [
    { title: 'Open Settings', command: 'workbench.action.openSettings', args: ['workshopPipeline'] },
    { title: 'Select Profile', command: 'workshopPipeline.selectProfile' },
    { title: 'Select Region', command: 'workshopPipeline.selectRegion' },
  ],
  needsRegion: [{ title: 'Select Region', command: 'workshopPipeline.selectRegion' }],
  noCredentials: [
    { title: 'Select Profile', command: 'workshopPipeline.selectProfile' },
    { title: 'Refresh', command: 'workshopPipeline.refresh' },
  ],
  error: [{ title: 'Refresh', command: 'workshopPipeline.refresh' }],
};

/**
 * Mirrors the connection state onto the views. The `workshopPipeline.connection` context key picks
 * the welcome content (package.json `viewsWelcome`), the description says where you are, and the
 * specific reason for a problem (which profile, which setting, the fix) is shown once as a
 * notification, because VS Code hides welcome content while a view has a message.
 */
export function presentConnection(aws: AwsContext, views: vscode.TreeView<unknown>[]): vscode.Disposable {
  let lastShown: string | undefined;
  const apply = (state: ConnectionState): void => {
    void vscode.commands.executeCommand('setContext', 'workshopPipeline.connection', state.kind);
    for (const view of views) {
      view.description = describe(state);
    }
    const message = 'message' in state ? state.message : undefined;
    if (message !== undefined && message !== lastShown) {
      const actions = ACTIONS[state.kind] ?? [];
      void vscode.window
        .showWarningMessage(`Workshop Pipeline: ${message}`, ...actions.map((a) => a.title))
        .then((choice) => {
          const action = actions.find((a) => a.title === choice);
          if (action) {
            void vscode.commands.executeCommand(action.command, ...(action.args ?? []));
          }
        });
    }
    lastShown = message;
  };
  apply(aws.state);
  return aws.onDidChangeState(apply);
}

function describe(state: ConnectionState): string | undefined {
  switch (state.kind) {
    case 'ready':
    case 'noPipeline':
      return `${state.where.account} · ${state.where.region}`;
    case 'noCredentials':
    case 'error':
      return `profile ${state.profile} · ${state.region}`;
    default:
      return undefined;
  }
}
