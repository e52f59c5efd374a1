import * as vscode from 'vscode';
import type { AwsContext } from '../aws/awsContext';

export function registerRefresh(aws: AwsContext): vscode.Disposable {
  return vscode.commands.registerCommand('workshopPipeline.refresh', () =>
    vscode.window.withProgress({ location: { viewId: 'workshopPipeline.stages' } }, () => aws.refresh()),
  );
}
