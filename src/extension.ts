// Wiring only: build the services, register views and commands, hand every disposable to VS Code.
import * as vscode from 'vscode';
import { AwsContext } from './aws/awsContext';
import { registerRefresh } from './commands/refresh';
import { registerSelectProfile } from './commands/selectProfile';
import { registerSelectRegion } from './commands/selectRegion';
import { registerShowLog } from './commands/showLog';
import { presentConnection } from './views/connectionPresenter';
import { PipelineTreeProvider } from './views/pipelineTreeProvider';
import { readWorkspaceSettings, reportSettingProblems, watchSettings } from './views/settingsWatcher';

export function activate(context: vscode.ExtensionContext): void {
  const log = vscode.window.createOutputChannel('Workshop Pipeline', { log: true });
  const { settings, problems } = readWorkspaceSettings();
  const aws = new AwsContext(settings, problems, { log, env: process.env });
  reportSettingProblems(problems);

  const pipeline = new PipelineTreeProvider(aws);
  const stagesView = vscode.window.createTreeView('workshopPipeline.stages', { treeDataProvider: pipeline, showCollapseAll: true });
  // Service health arrives with the health model; until then the view shows its welcome content.
  const healthView = vscode.window.createTreeView<never>('workshopPipeline.health', { treeDataProvider: { getChildren: () => [], getTreeItem: (node) => node } });

  context.subscriptions.push(
    log,
    { dispose: () => aws.dispose() },
    pipeline,
    stagesView,
    healthView,
    presentConnection(aws, [stagesView, healthView]),
    watchSettings(aws),
    registerRefresh(aws),
    registerSelectProfile(aws, log),
    registerSelectRegion(aws),
    registerShowLog(log),
  );

  // Connect after activation returns, so activating never waits on (or parses) the AWS SDK.
  const firstRefresh = setTimeout(() => void aws.refresh(), 0);
  context.subscriptions.push({ dispose: () => clearTimeout(firstRefresh) });
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
