// The thin mapping from the pure core's TreeNodeView data to VS Code: one stable handle object per
// node id (so a change can be fired for exactly the nodes that changed), and TreeItems built from
// the node's label, description, Markdown tooltip, codicon, contextValue and links.
import * as vscode from 'vscode';
import { accessibleLabel } from '../pipeline/accessibleLabel';
import type { NodeLinks, TreeNodeView } from '../pipeline/viewNode';

/** The element type of the trees: stable per node id; `view` is the node's latest content. */
export class NodeHandle {
  constructor(
    readonly id: string,
    public view: TreeNodeView,
  ) {}
}

/** Keeps one handle per id and the latest content of every node of a forest. */
export class NodeIndex {
  private readonly handles = new Map<string, NodeHandle>();
  private readonly views = new Map<string, TreeNodeView>();
  private readonly parents = new Map<string, string>();

  /** Replaces the forest; handles of nodes that disappeared are dropped. */
  update(roots: readonly TreeNodeView[]): void {
    this.views.clear();
    this.parents.clear();
    const visit = (node: TreeNodeView, parent?: TreeNodeView): void => {
      this.views.set(node.id, node);
      if (parent) {
        this.parents.set(node.id, parent.id);
      }
      const handle = this.handles.get(node.id);
      if (handle) {
        handle.view = node;
      }
      if (node.children !== 'lazy') {
        node.children.forEach((c) => visit(c, node));
      }
    };
    roots.forEach((r) => visit(r));
    for (const id of [...this.handles.keys()]) {
      if (!this.views.has(id)) {
        this.handles.delete(id);
      }
    }
  }

  handle(node: TreeNodeView): NodeHandle {
    let handle = this.handles.get(node.id);
    if (!handle) {
      handle = new NodeHandle(node.id, node);
      this.handles.set(node.id, handle);
    } else {
      handle.view = node;
    }
    return handle;
  }

  /** Handles VS Code has already seen (only those can be refreshed individually). */
  known(ids: readonly string[]): NodeHandle[] {
    return ids.map((id) => this.handles.get(id)).filter((h): h is NodeHandle => h !== undefined);
  }

  get(id: string): TreeNodeView | undefined {
    return this.views.get(id);
  }

  /** The handle of the parent of `id` (for TreeView.reveal), undefined for roots. */
  parentHandle(id: string): NodeHandle | undefined {
    const parent = this.parents.get(id);
    const view = parent === undefined ? undefined : this.views.get(parent);
    return view ? this.handle(view) : undefined;
  }

  ids(): IterableIterator<string> {
    return this.views.keys();
  }
}

const COLLAPSIBLE = {
  none: vscode.TreeItemCollapsibleState.None,
  collapsed: vscode.TreeItemCollapsibleState.Collapsed,
  expanded: vscode.TreeItemCollapsibleState.Expanded,
} as const;

/**
 * Indexes new roots and redraws as little as possible: the whole view when asked (`all`) or when
 * the top level changed, else only the changed nodes the index knows.
 */
export function redraw(
  index: NodeIndex,
  previous: readonly TreeNodeView[],
  roots: readonly TreeNodeView[],
  changed: vscode.EventEmitter<NodeHandle | NodeHandle[] | undefined>,
  all: boolean,
  nodeIds: readonly string[],
): void {
  const rootIds = (nodes: readonly TreeNodeView[]): string => nodes.map((r) => r.id).join('\n');
  index.update(roots);
  if (all || rootIds(roots) !== rootIds(previous)) {
    changed.fire(undefined);
    return;
  }
  const handles = index.known(nodeIds);
  if (handles.length > 0) {
    changed.fire(handles);
  }
}

export function toTreeItem(node: TreeNodeView): vscode.TreeItem {
  const item = new vscode.TreeItem(node.label, COLLAPSIBLE[node.collapsible]);
  item.id = node.id;
  item.description = node.description;
  const tooltip = new vscode.MarkdownString(node.tooltip, true);
  item.tooltip = tooltip;
  item.iconPath = new vscode.ThemeIcon(
    node.icon.id,
    node.icon.color ? new vscode.ThemeColor(node.icon.color) : undefined,
  );
  item.contextValue = node.contextValue;
  // "Build stage, Failed, 56 seconds": the state in words for screen readers, not only the icon.
  item.accessibilityInformation = { label: accessibleLabel(node) };
  if (node.links.runCommand) {
    // Rows that are next steps ("Deploy Service Stack", "Start 2 Tasks") run them when clicked.
    item.command = { command: node.links.runCommand, title: node.label, arguments: [node.links] };
  } else if (node.links.openUrl) {
    item.command = {
      command: 'vscode.open',
      title: vscode.l10n.t('Open'),
      arguments: [vscode.Uri.parse(node.links.openUrl)],
    };
  }
  return item;
}

/** What commands receive: a tree node (from a menu), plain links (from a notification), or nothing. */
export type CommandTarget = NodeHandle | NodeLinks | undefined;

export function linksOf(target: unknown): NodeLinks {
  if (target instanceof NodeHandle) {
    return target.view.links;
  }
  if (typeof target === 'object' && target !== null && !Array.isArray(target)) {
    return target;
  }
  return {};
}
