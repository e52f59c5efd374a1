// Wiring only: build the services, register views and commands, hand every disposable to VS Code.
import * as vscode from 'vscode';
import { AwsContext } from './aws/awsContext';
import { SingleFlight } from './shared/singleFlight';
import { registerCommitAndPush } from './commands/commitAndPush';
import { registerDeleteStack } from './commands/deleteStack';
import { registerDeploy } from './commands/deploy';
import { registerRefresh } from './commands/refresh';
import { registerSelectProfile } from './commands/selectProfile';
import { registerSelectRegion } from './commands/selectRegion';
import { registerShowLog } from './commands/showLog';
import { GitCredentialWiring } from './views/gitCredentialWiring';
import { registerPipelineFeatures } from './views/registerPipelineFeatures';
import { readWorkspaceSettings, reportSettingProblems, watchSettings } from './views/settingsWatcher';

export function activate(context: vscode.ExtensionContext): void {
  const log = vscode.window.createOutputChannel('Workshop Pipeline', { log: true });
  const { settings, problems } = readWorkspaceSettings();
  const aws = new AwsContext(settings, problems, { log, env: process.env });
  reportSettingProblems(problems);

  // git (the Source Control view's, ours, the terminal's) signs CodeCommit requests with the session's credentials.
  const gitCredentials = new GitCredentialWiring(context);
  gitCredentials.update(settings);

  // Deploys and deletes share one lane: never two operations on the stack at once.
  const stackOperations = new SingleFlight<void>();

  context.subscriptions.push(
    log,
    { dispose: () => aws.dispose() },
    watchSettings(aws),
    registerRefresh(aws),
    registerSelectProfile(aws, log),
    registerSelectRegion(aws),
    registerShowLog(log),
    registerDeploy({ aws, log, extensionUri: context.extensionUri, flight: stackOperations }),
    registerDeleteStack(aws, log, stackOperations),
    gitCredentials,
    aws.onDidChangeState(() => gitCredentials.update(aws.currentSettings)),
  );
  const pipelines = registerPipelineFeatures(context, aws, log);
  context.subscriptions.push(
    registerCommitAndPush({
      aws,
      log,
      wiring: gitCredentials,
      onPushed: (commitId) => pipelines.follow({ commitId, pushedAt: Date.now() }),
    }),
  );

  // Connect after activation returns, so activating never waits on (or parses) the AWS SDK.
  const firstRefresh = setTimeout(() => void aws.refresh(), 0);
  context.subscriptions.push({ dispose: () => clearTimeout(firstRefresh) });
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
