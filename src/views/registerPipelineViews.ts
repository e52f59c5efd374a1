// The pipeline feature's views: the Pipeline and Service Health trees, the status bar
// item, finish notifications and the build log documents, all rendering the controller's events.
// Every view, provider and listener is returned for context.subscriptions.
import * as vscode from 'vscode';
import { runWatchedContext } from './runWatchedContext';
import type { AwsContext } from '../aws/awsContext';
import type { PipelineController } from '../following/pipelineController';
import { BUILD_LOG_SCHEME, BuildLogProvider } from './buildLogProvider';
import { presentConnection } from './connectionPresenter';
import { HealthTreeProvider, trackHealthViewState } from './healthTreeProvider';
import { presentStartRequests } from './startServicePresenter';
import { presentNotifications } from './notificationPresenter';
import { PipelineTreeProvider } from './pipelineTreeProvider';
import { createPipelineStatusBar } from './statusBarItem';

export function registerPipelineViews(
  aws: AwsContext,
  controller: PipelineController,
  /** Called whenever one of the views becomes visible (the start-up gate connects then). */
  onShown: () => void = () => undefined,
): vscode.Disposable[] {
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
  if (stagesView.visible || healthView.visible) onShown();
  return [
    ...[stagesView, healthView].map((view) => view.onDidChangeVisibility((e) => e.visible && onShown())),
    pipeline,
    health,
    stagesView,
    healthView,
    presentConnection(aws, [stagesView, healthView]),
    createPipelineStatusBar(aws, controller),
    presentNotifications(controller),
    presentStartRequests(controller),
    trackHealthViewState(aws, controller),
    buildLogs,
    vscode.workspace.registerTextDocumentContentProvider(BUILD_LOG_SCHEME, buildLogs),
    hasPipelineContext(controller),
    runWatchedContext(controller),
  ];
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
