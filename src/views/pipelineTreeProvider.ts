// The Pipeline view: the followed pipeline (stages → actions, Execution History) from the pipeline
// tracker, and the workshop stack's status and outputs when the pipeline is the stack's own.
// Empty unless connected ('ready'), so the welcome content explains every other state.
import * as vscode from 'vscode';
import type { AwsContext } from '../aws/awsContext';
import type { StackDescription } from '../aws/cloudformation';
import { escapeMarkdown } from '../pipeline/format';
import { errorMessage } from '../shared/errorText';
import { safeUrl } from '../pipeline/consoleUrls';
import { FAILED_COLOR, PASSED_COLOR } from '../pipeline/runStatus';
import { leaf, type TreeChange, type TreeNodeView } from '../pipeline/viewNode';
import type { ControllerEvent, PipelineController } from '../following/pipelineController';
import type { NodeHandle } from './nodeTree';
import { NodeTreeProvider } from './nodeTreeProvider';

export const SELECT_PIPELINE_NODE = 'selectPipeline';

export class PipelineTreeProvider extends NodeTreeProvider {
  private view: vscode.TreeView<NodeHandle> | undefined;

  constructor(aws: AwsContext, controller: PipelineController) {
    super(aws, controller);
    this.rebuild(false);
  }

  protected changeOf(event: ControllerEvent): TreeChange | undefined {
    if (event.kind === 'pipeline') {
      return event.change.tree;
    }
    // Without a tree yet, the loading placeholder says "retrying".
    return event.kind === 'poller' && !this.controller.tracker?.view.root ? { roots: true, nodeIds: [] } : undefined;
  }

  /** The view this provider feeds: new failures are revealed (expanded) in it. */
  attach(view: vscode.TreeView<NodeHandle>): void {
    this.view = view;
  }

  override getTreeItem(handle: NodeHandle): vscode.TreeItem {
    const item = super.getTreeItem(handle);
    if (handle.id === SELECT_PIPELINE_NODE) {
      item.command = { command: 'workshopPipeline.selectPipeline', title: vscode.l10n.t('Select Pipeline') };
    }
    const finding = handle.view.links.finding;
    if (finding?.path) {
      item.command = {
        command: 'workshopPipeline.openFinding',
        title: vscode.l10n.t('Open'),
        arguments: [handle.view.links],
      };
    }
    return item;
  }

  /** Execution History entries load their actions when expanded. */
  override async getChildren(handle?: NodeHandle): Promise<NodeHandle[]> {
    const node = handle && (this.index.get(handle.id) ?? handle.view);
    const executionId = node?.links.executionId;
    const tracker = this.controller.tracker;
    if (node?.children === 'lazy' && executionId && tracker) {
      try {
        await tracker.loadActionExecutions(executionId);
      } catch (error) {
        void vscode.window.showWarningMessage(
          vscode.l10n.t('Could not load the actions of execution {0}: {1}', executionId, errorMessage(error)),
        );
        return [];
      }
    }
    return this.childrenOf(handle);
  }

  protected override rebuild(all: boolean, nodeIds: readonly string[] = []): void {
    const first = this.roots.length === 0;
    const hadErrors = new Set([...this.index.ids()].filter((id) => id.startsWith('actionError:')));
    super.rebuild(all, nodeIds);
    this.revealNewErrors(first ? undefined : hadErrors);
  }

  /**
   * A failure that appears while the user watches is revealed: its stage and action expand to
   * show the error (VS Code keeps a node's earlier collapsed state, so a new collapsibleState
   * alone would not open it).
   */
  private revealNewErrors(before: ReadonlySet<string> | undefined): void {
    const view = this.view;
    if (!view?.visible || !before) {
      return;
    }
    for (const id of this.index.ids()) {
      const node = this.index.get(id);
      if (id.startsWith('actionError:') && !before.has(id) && node) {
        const handle = this.index.handle(node);
        setTimeout(() => {
          view.reveal(handle, { expand: true, select: false, focus: false }).then(undefined, () => undefined);
        }, 0);
      }
    }
  }

  protected buildRoots(): TreeNodeView[] {
    const state = this.aws.state;
    if (state.kind !== 'ready') {
      return [];
    }
    const selection = this.controller.selection;
    const roots: TreeNodeView[] = [];
    let showStack = true;
    switch (selection.kind) {
      case 'tracking': {
        showStack = selection.target.fromStack;
        const root = this.controller.tracker?.view.root;
        const retry = this.controller.pollerStatus?.retry;
        roots.push(
          root ??
            leaf({
              id: `pipelineLoading:${selection.target.pipelineName}`,
              label: selection.target.pipelineName,
              description: retry ? vscode.l10n.t('{0}, retrying', retry.reason) : vscode.l10n.t('Loading…'),
              tooltip: retry ? escapeMarkdown(retry.message) : vscode.l10n.t('Reading the pipeline state.'),
              icon: retry ? { id: 'debug-disconnect' } : { id: 'loading~spin' },
              contextValue: 'pipelineLoading',
              links: {},
            }),
        );
        break;
      }
      case 'choose':
        roots.push(
          leaf({
            id: SELECT_PIPELINE_NODE,
            label: 'Select a pipeline…',
            description: vscode.l10n.t('{0} in this account and region', selection.pipelines.length),
            tooltip: vscode.l10n.t(
              'The stack has no PipelineName output and `workshopPipeline.pipelineName` is not set: choose the pipeline to follow.',
            ),
            icon: { id: 'list-selection' },
            contextValue: 'selectPipeline',
            links: {},
          }),
        );
        break;
      case 'error':
        roots.push(
          leaf({
            id: 'pipelineError',
            label: vscode.l10n.t('Could not list the pipelines'),
            description: selection.message,
            tooltip: escapeMarkdown(selection.message),
            icon: { id: 'error', color: FAILED_COLOR },
            contextValue: 'pipelineError',
            links: {},
          }),
        );
        break;
      default:
        break;
    }
    if (showStack) {
      roots.push(stackNode(state.stack));
    }
    return roots;
  }
}

function stackNode(stack: StackDescription): TreeNodeView {
  const lines = [`**${escapeMarkdown(stack.name)}** — ${stack.status}`];
  if (stack.statusReason) {
    lines.push(escapeMarkdown(stack.statusReason));
  }
  if (stack.lastUpdated) {
    lines.push(`Last changed ${stack.lastUpdated.toISOString()}`);
  }
  return {
    id: `stack:${stack.name}`,
    label: vscode.l10n.t('Stack {0}', stack.name),
    description: stack.status,
    tooltip: lines.join('\n\n'),
    icon: stack.status.endsWith('_IN_PROGRESS')
      ? { id: 'sync~spin' }
      : stack.status.includes('FAILED') || stack.status.includes('ROLLBACK')
        ? { id: 'error', color: FAILED_COLOR }
        : { id: 'pass', color: PASSED_COLOR },
    contextValue: 'stack',
    collapsible: 'collapsed',
    children: stack.outputs.map((o) => {
      const url = safeUrl(o.value);
      return leaf({
        id: `stackOutput:${stack.name}/${o.key}`,
        label: o.key,
        description: o.value,
        tooltip: [o.description ? escapeMarkdown(o.description) : '', `\`${o.value.replace(/`/g, '')}\``]
          .filter(Boolean)
          .join('\n\n'),
        icon: url ? { id: 'link-external' } : { id: 'symbol-constant' },
        contextValue: url ? 'stackOutput link' : 'stackOutput',
        links: url ? { openUrl: url } : {},
      });
    }),
    links: {},
  };
}
