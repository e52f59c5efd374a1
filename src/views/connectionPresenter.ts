import * as vscode from 'vscode';
import type { AwsContext, ConnectionState } from '../aws/awsContext';

/**
 * Mirrors the connection state onto the views: the `workshopPipeline.connection` context key picks
 * the welcome content (package.json `viewsWelcome`), the description says where you are, and the
 * view message carries the specific reason when something is wrong.
 */
export function presentConnection(aws: AwsContext, views: vscode.TreeView<unknown>[]): vscode.Disposable {
  const apply = (state: ConnectionState): void => {
    void vscode.commands.executeCommand('setContext', 'workshopPipeline.connection', state.kind);
    const description = state.kind === 'ready' || state.kind === 'noPipeline' ? `${state.where.account} · ${state.where.region}` : undefined;
    const message = 'message' in state ? state.message : undefined;
    for (const view of views) {
      view.description = description;
      view.message = message;
    }
  };
  apply(aws.state);
  return aws.onDidChangeState(apply);
}
