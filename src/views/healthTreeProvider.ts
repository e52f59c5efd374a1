// The Service Health view: the ECS service the pipeline deploys to, from the health tracker. Until
// the tracker has read the service, the view is empty and its welcome content says why (see
// healthViewState), except while AWS cannot be reached, which one node says.
import * as vscode from 'vscode';
import type { AwsContext } from '../aws/awsContext';
import type { ControllerEvent, PipelineController } from '../following/pipelineController';
import { escapeMarkdown } from '../pipeline/format';
import { leaf, type TreeChange, type TreeNodeView } from '../pipeline/viewNode';
import { healthViewState, type HealthViewState } from '../following/healthViewState';
import { NodeTreeProvider } from './nodeTreeProvider';

export class HealthTreeProvider extends NodeTreeProvider {
  constructor(aws: AwsContext, controller: PipelineController) {
    super(aws, controller);
    this.rebuild(false);
  }

  protected buildRoots(): readonly TreeNodeView[] {
    if (this.aws.state.kind !== 'ready') {
      return [];
    }
    const health = this.controller.health;
    const nodes = health?.view.nodes ?? [];
    const retry = this.controller.pollerStatus?.retry;
    if (health && nodes.length === 0 && retry) {
      return [
        leaf({
          id: 'healthLoading',
          label: this.controller.target?.service ?? vscode.l10n.t('Service'),
          description: vscode.l10n.t('{0}, retrying', retry.reason),
          tooltip: escapeMarkdown(retry.message),
          icon: { id: 'debug-disconnect' },
          contextValue: 'healthLoading',
          links: {},
        }),
      ];
    }
    return nodes;
  }

  protected changeOf(event: ControllerEvent): TreeChange | undefined {
    if (event.kind === 'health') {
      return event.change.tree;
    }
    return event.kind === 'poller' && (this.controller.health?.view.nodes.length ?? 0) === 0
      ? { roots: true, nodeIds: [] }
      : undefined;
  }
}

/** Keeps `workshopPipeline.healthView` in step, so the welcome content says only what is true. */
export function trackHealthViewState(aws: AwsContext, controller: PipelineController): vscode.Disposable {
  let last: HealthViewState | undefined;
  const apply = (): void => {
    const state: HealthViewState = healthViewState(aws.state, controller.selection, controller.health);
    if (state !== last) {
      last = state;
      void vscode.commands.executeCommand('setContext', 'workshopPipeline.healthView', state);
    }
  };
  apply();
  return vscode.Disposable.from(aws.onDidChangeState(apply), controller.onDidChange(apply));
}
