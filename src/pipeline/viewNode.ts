// Tree nodes as plain data: what a TreeDataProvider maps 1:1 onto TreeItems (label, description,
// Markdown tooltip, codicon id and theme colour, contextValue), keyed by ids that stay stable
// across polls so the view re-renders only the nodes whose content changed.

/** A codicon id (`pass`, `error`, `sync~spin`, …) and an optional theme colour id. */
export interface IconView {
  readonly id: string;
  readonly color?: string;
}

export type Collapsible = 'none' | 'collapsed' | 'expanded';

/** What a node lets the user do or open; the editor layer turns these into commands and menus. */
export interface NodeLinks {
  /** AWS console page of this pipeline, execution, action or build. */
  readonly consoleUrl?: string;
  /** A URL worth opening directly from the node (the service URL of a stack output). */
  readonly openUrl?: string;
  /** CodeBuild build id (`project:uuid`) of a CodeBuild action: "Show Build Logs". */
  readonly buildId?: string;
  readonly pipelineName?: string;
  readonly stageName?: string;
  readonly actionName?: string;
  readonly executionId?: string;
  /** Token of a pending manual approval: PutApprovalResult needs it. */
  readonly approvalToken?: string;
  /** A command the node runs when clicked, with these links as its argument. */
  readonly runCommand?: string;
  /** The ECS cluster and service a health node is about. */
  readonly cluster?: string;
  readonly service?: string;
  /** Tasks to start ("Start 2 Tasks"). */
  readonly desiredCount?: number;
  /** A finding of a build's report: the file and line it names in the built commit. */
  readonly finding?: { readonly path: string; readonly line: number; readonly buildId: string; readonly index: number };
}

export interface TreeNodeView {
  /** Stable across refreshes; unique in its tree. */
  readonly id: string;
  readonly label: string;
  readonly description: string;
  /** Markdown; codicons like `$(pass)` need `supportThemeIcons`. */
  readonly tooltip: string;
  readonly icon: IconView;
  /**
   * Space-separated flags, first the node kind (`stage`, `action`, `execution`, …), then
   * capabilities (`codeBuild`, `retryable`, `approval`, `stoppable`, `hasConsole`). Menus match
   * them with `viewItem =~ /\bretryable\b/`.
   */
  readonly contextValue: string;
  readonly collapsible: Collapsible;
  /** Children in display order; `lazy` when they are fetched on expansion. */
  readonly children: readonly TreeNodeView[] | 'lazy';
  readonly links: NodeLinks;
}

export function leaf(
  node: Omit<TreeNodeView, 'children' | 'collapsible'> & { collapsible?: Collapsible },
): TreeNodeView {
  return { ...node, collapsible: node.collapsible ?? 'none', children: [] };
}

/** Content fingerprints of every node of a forest, by id. */
export type NodeFingerprints = ReadonlyMap<string, string>;

export function fingerprintTree(roots: readonly TreeNodeView[]): Map<string, string> {
  const prints = new Map<string, string>();
  const visit = (node: TreeNodeView): void => {
    const { children, ...own } = node;
    const childIds = children === 'lazy' ? 'lazy' : children.map((c) => c.id).join('\n');
    prints.set(node.id, `${JSON.stringify(own)}\n${childIds}`);
    if (children !== 'lazy') {
      children.forEach(visit);
    }
  };
  roots.forEach(visit);
  return prints;
}

export interface TreeChange {
  /** The top-level list itself changed: refresh the whole view (fire `undefined`). */
  readonly roots: boolean;
  /**
   * Nodes to fire, outermost only: VS Code re-reads the descendants of a fired node, so a
   * changed node below another changed node is left out.
   */
  readonly nodeIds: readonly string[];
}

/** Which nodes of `next` differ from `previous` (content or the list of their children). */
export function diffTrees(
  previous: NodeFingerprints,
  next: readonly TreeNodeView[],
): { change: TreeChange; fingerprints: Map<string, string> } {
  const fingerprints = fingerprintTree(next);
  const rootIds = next.map((n) => n.id).join('\n');
  const previousRoots = previous.get(ROOTS_KEY);
  fingerprints.set(ROOTS_KEY, rootIds);
  if (previousRoots !== rootIds) {
    return { change: { roots: true, nodeIds: [] }, fingerprints };
  }
  const nodeIds: string[] = [];
  const visit = (node: TreeNodeView): void => {
    if (previous.get(node.id) !== fingerprints.get(node.id)) {
      nodeIds.push(node.id);
      return; // its descendants are refreshed with it
    }
    if (node.children !== 'lazy') {
      node.children.forEach(visit);
    }
  };
  next.forEach(visit);
  return { change: { roots: false, nodeIds }, fingerprints };
}

const ROOTS_KEY = '\u0000roots';

export function isEmptyChange(change: TreeChange): boolean {
  return !change.roots && change.nodeIds.length === 0;
}
