// `workshopPipeline.runWatched`: true once the user has followed a run of the pipeline from in
// progress to its end in this window. The walkthrough's "Watch it run" step completes on it; VS Code
// only records a view being shown or a command run after its walkthrough service has started, so an
// event that happens later in the story is the dependable signal.
import * as vscode from 'vscode';
import type { PipelineController } from '../following/pipelineController';
import { isRunning } from '../pipeline/runStatus';

export function runWatchedContext(controller: PipelineController): vscode.Disposable {
  const running = new Set<string>();
  let watched = false;
  return controller.onDidChange((event) => {
    const execution = event.kind === 'pipeline' ? controller.tracker?.view.execution : undefined;
    if (watched || !execution) {
      return;
    }
    if (isRunning(execution.status)) {
      running.add(execution.id);
    } else if (running.has(execution.id)) {
      watched = true;
      void vscode.commands.executeCommand('setContext', 'workshopPipeline.runWatched', true);
    }
  });
}
