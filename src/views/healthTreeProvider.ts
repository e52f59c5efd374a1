// The Service Health view: the ECS service the pipeline deploys to, from the health tracker.
// Empty (welcome content) until connected and the service is known.
import * as vscode from 'vscode';
import type { AwsContext } from '../aws/awsContext';
import type { TreeNodeView } from '../pipeline/viewNode';
import type { PipelineController } from './pipelineController';
import { NodeIndex, redraw, toTreeItem, type NodeHandle } from './nodeTree';

export class HealthTreeProvider implements vscode.TreeDataProvider<NodeHandle>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<NodeHandle | NodeHandle[] | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly subscriptions: { dispose(): void }[];
  private readonly index = new NodeIndex();
  private roots: readonly TreeNodeView[] = [];

  constructor(
    private readonly aws: AwsContext,
    private readonly controller: PipelineController,
  ) {
    this.subscriptions = [
      aws.onDidChangeState(() => this.rebuild(true)),
      controller.onDidChange((event) => {
        if (event.kind === 'selection') {
          this.rebuild(true);
        } else if (event.kind === 'health') {
          this.rebuild(event.change.tree.roots, event.change.tree.nodeIds);
        }
      }),
    ];
    this.rebuild(false);
  }

  getTreeItem(handle: NodeHandle): vscode.TreeItem {
    return toTreeItem(handle.view);
  }

  getChildren(handle?: NodeHandle): NodeHandle[] {
    if (!handle) {
      return this.roots.map((n) => this.index.handle(n));
    }
    const node = this.index.get(handle.id) ?? handle.view;
    return node.children === 'lazy' ? [] : node.children.map((c) => this.index.handle(c));
  }

  dispose(): void {
    this.subscriptions.forEach((s) => s.dispose());
    this.changed.dispose();
  }

  private rebuild(all: boolean, nodeIds: readonly string[] = []): void {
    const previous = this.roots;
    this.roots = this.aws.state.kind === 'ready' ? (this.controller.health?.view.nodes ?? []) : [];
    redraw(this.index, previous, this.roots, this.changed, all, nodeIds);
  }
}
