// All of the pipeline feature's wiring (issue 6): the controller that picks the pipeline and runs
// the adaptive poller, the Pipeline and Service Health views, the status bar item, finish
// notifications, the build log documents and the pipeline commands. Window focus drives the
// poller; every listener, view and timer is handed to context.subscriptions.
import * as vscode from 'vscode';
import type { AwsContext } from '../aws/awsContext';
import { registerApprove } from '../commands/approve';
import { registerOpenInConsole } from '../commands/openInConsole';
import { registerReject } from '../commands/reject';
import { registerRetryStage } from '../commands/retryStage';
import { registerSelectPipeline } from '../commands/selectPipeline';
import { registerShowBuildLogs } from '../commands/showBuildLogs';
import { registerStartExecution } from '../commands/startExecution';
import { registerStopExecution } from '../commands/stopExecution';
import type { Logger } from '../shared/logger';
import { BUILD_LOG_SCHEME, BuildLogProvider } from './buildLogProvider';
import { presentConnection } from './connectionPresenter';
import { HealthTreeProvider } from './healthTreeProvider';
import { presentNotifications } from './notificationPresenter';
import { PipelineController } from './pipelineController';
import { PipelineTreeProvider } from './pipelineTreeProvider';
import { createPipelineStatusBar } from './statusBar';

export function registerPipelineFeatures(
  context: vscode.ExtensionContext,
  aws: AwsContext,
  log: Logger,
): PipelineController {
  const controller = new PipelineController(aws, log, { focused: vscode.window.state.focused });
  const pipeline = new PipelineTreeProvider(aws, controller);
  const health = new HealthTreeProvider(aws, controller);
  const stagesView = vscode.window.createTreeView('workshopPipeline.stages', {
    treeDataProvider: pipeline,
    showCollapseAll: true,
  });
  pipeline.attach(stagesView);
  const healthView = vscode.window.createTreeView('workshopPipeline.health', {
    treeDataProvider: health,
    showCollapseAll: true,
  });
  const buildLogs = new BuildLogProvider(aws);

  context.subscriptions.push(
    { dispose: () => controller.dispose() },
    pipeline,
    health,
    stagesView,
    healthView,
    presentConnection(aws, [stagesView, healthView]),
    createPipelineStatusBar(aws, controller),
    presentNotifications(controller),
    buildLogs,
    vscode.workspace.registerTextDocumentContentProvider(BUILD_LOG_SCHEME, buildLogs),
    vscode.window.onDidChangeWindowState((state) => controller.setFocused(state.focused)),
    hasPipelineContext(controller),
    registerStartExecution(controller),
    registerRetryStage(controller),
    registerStopExecution(controller),
    registerShowBuildLogs(controller),
    registerOpenInConsole(controller),
    registerApprove(controller),
    registerReject(controller),
    registerSelectPipeline(controller),
  );
  void controller.start();
  return controller;
}

/** `workshopPipeline.hasPipeline`: palette commands that act on the followed pipeline show only with one. */
function hasPipelineContext(controller: PipelineController): vscode.Disposable {
  let last: boolean | undefined;
  const apply = (): void => {
    const has = controller.selection.kind === 'tracking';
    if (has !== last) {
      last = has;
      void vscode.commands.executeCommand('setContext', 'workshopPipeline.hasPipeline', has);
    }
  };
  apply();
  return controller.onDidChange((event) => {
    if (event.kind === 'selection') {
      apply();
    }
  });
}
