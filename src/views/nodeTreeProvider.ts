// The skeleton both trees share: a TreeDataProvider over the core's TreeNodeView forest, with one
// stable handle per node id and redraws limited to the nodes that changed. It redraws everything
// when the connection or the followed pipeline changes; a subclass says where its roots come from
// and which of the controller's events change it.
import * as vscode from 'vscode';
import type { AwsContext } from '../aws/awsContext';
import type { ControllerEvent, PipelineController } from '../following/pipelineController';
import type { TreeChange, TreeNodeView } from '../pipeline/viewNode';
import { NodeIndex, redraw, toTreeItem, type NodeHandle } from './nodeTree';

export abstract class NodeTreeProvider implements vscode.TreeDataProvider<NodeHandle>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<NodeHandle | NodeHandle[] | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  protected readonly index = new NodeIndex();
  protected readonly subscriptions: { dispose(): void }[] = [];
  protected roots: readonly TreeNodeView[] = [];

  constructor(
    protected readonly aws: AwsContext,
    protected readonly controller: PipelineController,
  ) {
    this.subscriptions.push(
      aws.onDidChangeState(() => this.rebuild(true)),
      controller.onDidChange((event) => {
        const change = event.kind === 'selection' ? { roots: true, nodeIds: [] } : this.changeOf(event);
        if (change) {
          this.rebuild(change.roots, change.nodeIds);
        }
      }),
    );
  }

  /** The forest as it is now (empty unless connected). */
  protected abstract buildRoots(): readonly TreeNodeView[];

  /** What a controller event changes in this tree, if anything (`roots`: redraw it all). */
  protected abstract changeOf(event: ControllerEvent): TreeChange | undefined;

  getTreeItem(handle: NodeHandle): vscode.TreeItem {
    return toTreeItem(handle.view);
  }

  getParent(handle: NodeHandle): NodeHandle | undefined {
    return this.index.parentHandle(handle.id);
  }

  getChildren(handle?: NodeHandle): NodeHandle[] | Promise<NodeHandle[]> {
    return this.childrenOf(handle);
  }

  dispose(): void {
    this.subscriptions.forEach((s) => s.dispose());
    this.changed.dispose();
  }

  protected childrenOf(handle: NodeHandle | undefined): NodeHandle[] {
    if (!handle) {
      return this.roots.map((n) => this.index.handle(n));
    }
    const node = this.index.get(handle.id) ?? handle.view;
    return node.children === 'lazy' ? [] : node.children.map((c) => this.index.handle(c));
  }

  /** Rebuilds the roots; fires the whole view when `all`, else only the changed node ids. */
  protected rebuild(all: boolean, nodeIds: readonly string[] = []): void {
    const previous = this.roots;
    this.roots = this.buildRoots();
    redraw(this.index, previous, this.roots, this.changed, all, nodeIds);
  }
}
