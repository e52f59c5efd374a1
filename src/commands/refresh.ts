import * as vscode from 'vscode';
import type { AwsContext } from '../aws/awsContext';
import { registerReadCommand } from '../editor/commandRegistration';

export function registerRefresh(aws: AwsContext): vscode.Disposable {
  return registerReadCommand('workshopPipeline.refresh', () =>
    vscode.window.withProgress({ location: { viewId: 'workshopPipeline.stages' } }, () => aws.refresh()),
  );
}
