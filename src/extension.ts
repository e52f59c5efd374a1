// Wiring only: build the services, register views and commands, hand every disposable to VS Code.
import * as vscode from 'vscode';
import { AwsContext } from './aws/awsContext';
import { registerCommands } from './commands/registerCommands';
import { configureCoreL10n } from './editor/coreL10n';
import { CodeCommitRepositories } from './editor/codeCommitRepositories';
import { GitCredentialWiring } from './editor/gitCredentialWiring';
import { GlobalStateStartIntents } from './editor/startIntents';
import { readWorkspaceSettings, reportSettingProblems, watchSettings } from './editor/settingsWatcher';
import { hasWorkspaceSettings, StartupGate } from './editor/startupGate';
import { PipelineController } from './following/pipelineController';
import { FindingsPresenter } from './views/findingsPresenter';
import { registerPipelineViews } from './views/registerPipelineViews';
import { WORKSHOP_TEMPLATE } from './workshop/workshopTemplate';

export function activate(context: vscode.ExtensionContext): void {
  // Before anything builds a message: the core's texts follow the editor's display language.
  configureCoreL10n();
  const log = vscode.window.createOutputChannel('Workshop Pipeline', { log: true });
  const { settings, problems } = readWorkspaceSettings();
  const aws = new AwsContext(settings, problems, { log, env: process.env });
  reportSettingProblems(problems);
  // The pipeline template the extension deploys, and whose outputs say what to follow.
  const template = WORKSHOP_TEMPLATE;

  // git (the Source Control view's, ours, the terminal's) signs CodeCommit requests with the session's credentials.
  const gitCredentials = new GitCredentialWiring(context);
  gitCredentials.update(settings);

  // Services deployed without tasks (no image yet), to start when the pipeline's first image lands.
  const startIntents = new GlobalStateStartIntents(context.globalState);

  // Picks the pipeline to follow and runs the poller; window focus decides how often it polls.
  const controller = new PipelineController(aws, log, {
    focused: vscode.window.state.focused,
    template,
    startIntents,
  });

  // Findings of the pipeline's build reports in the Problems panel.
  const findings = new FindingsPresenter(aws, controller, log);

  // Connect after activation returns, so activating never waits on (or parses) the AWS SDK; and only
  // in a workspace that is about a Workshop Pipeline, or once the user opens the views.
  const gate = new StartupGate(() => void aws.refresh());
  const codeCommit = new CodeCommitRepositories(() => aws.currentSettings.endpointUrl);

  context.subscriptions.push(
    log,
    { dispose: () => aws.dispose() },
    watchSettings(aws),
    gitCredentials,
    aws.onDidChangeState(() => {
      gitCredentials.update(aws.currentSettings);
      codeCommit.update();
    }),
    gate,
    codeCommit,
    { dispose: () => controller.dispose() },
    findings,
    vscode.window.onDidChangeWindowState((state) => controller.setFocused(state.focused)),
    ...registerPipelineViews(aws, controller, () => gate.open()),
    ...registerCommands({
      aws,
      log,
      controller,
      template,
      extensionUri: context.extensionUri,
      gitCredentials,
      startIntents,
      findings,
    }),
  );
  void controller.start();

  const firstCheck = setTimeout(() => {
    gate.connectWhen(hasWorkspaceSettings(), codeCommit.onDidFind);
    codeCommit.start();
  }, 0);
  context.subscriptions.push({ dispose: () => clearTimeout(firstCheck) });
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
