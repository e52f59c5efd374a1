// The status bar item `workshopPipeline.status`: the followed execution, rendered from the pipeline
// tracker's status bar view. Hidden when nothing is connected or no pipeline is followed; a click
// reveals the Pipeline view.
import * as vscode from 'vscode';
import type { AwsContext } from '../aws/awsContext';
import type { PipelineController } from '../following/pipelineController';

export function createPipelineStatusBar(aws: AwsContext, controller: PipelineController): vscode.Disposable {
  const item = vscode.window.createStatusBarItem('workshopPipeline.status', vscode.StatusBarAlignment.Left, 50);
  item.name = 'Workshop Pipeline';
  let lastKey = '';
  const update = (): void => {
    const view = aws.state.kind === 'ready' ? controller.tracker?.view.statusBar : undefined;
    if (!view?.visible) {
      if (lastKey !== 'hidden') {
        item.hide();
        lastKey = 'hidden';
      }
      return;
    }
    const key = JSON.stringify(view);
    if (key === lastKey) {
      return;
    }
    lastKey = key;
    item.text = view.text;
    const tooltip = new vscode.MarkdownString(view.tooltip, true);
    item.tooltip = tooltip;
    item.backgroundColor = view.backgroundColor ? new vscode.ThemeColor(view.backgroundColor) : undefined;
    item.command = view.command;
    item.accessibilityInformation = {
      label: vscode.l10n.t('Workshop Pipeline: {0}', view.text.replace(/\$\([^)]*\)\s*/g, '')),
    };
    item.show();
  };
  const subscriptions = [
    aws.onDidChangeState(update),
    controller.onDidChange((event) => {
      if (event.kind !== 'pipeline' || event.change.statusBarChanged) {
        update();
      }
    }),
  ];
  update();
  return vscode.Disposable.from(item, ...subscriptions);
}
