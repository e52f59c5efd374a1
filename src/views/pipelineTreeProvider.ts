import * as vscode from 'vscode';
import type { AwsContext, ConnectionState } from '../aws/awsContext';
import type { StackSummary } from '../aws/cloudformation';

type Node = StackNode | OutputNode;

/** The Pipeline view: the workshop stack and its outputs (stages arrive with the pipeline model). */
export class PipelineTreeProvider implements vscode.TreeDataProvider<Node>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<Node | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly subscription: { dispose(): void };

  constructor(private readonly aws: AwsContext) {
    this.subscription = aws.onDidChangeState(() => this.changed.fire(undefined));
  }

  getTreeItem(node: Node): vscode.TreeItem {
    return node;
  }

  getChildren(node?: Node): Node[] {
    if (node instanceof StackNode) {
      return node.stack.outputs.map((o) => new OutputNode(o.key, o.value, o.description));
    }
    if (node) {
      return [];
    }
    const state: ConnectionState = this.aws.state;
    return state.kind === 'ready' ? [new StackNode(state.stack)] : [];
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}

class StackNode extends vscode.TreeItem {
  constructor(readonly stack: StackSummary) {
    super(`Stack ${stack.name}`, vscode.TreeItemCollapsibleState.Collapsed);
    this.description = stack.status;
    this.iconPath = stackIcon(stack.status);
    this.contextValue = 'stack';
    const tooltip = new vscode.MarkdownString(`**${stack.name}** — ${stack.status}`);
    if (stack.statusReason) {
      tooltip.appendMarkdown(`\n\n${escapeMarkdown(stack.statusReason)}`);
    }
    if (stack.lastUpdated) {
      tooltip.appendMarkdown(`\n\nLast changed ${stack.lastUpdated.toLocaleString()}`);
    }
    this.tooltip = tooltip;
  }
}

class OutputNode extends vscode.TreeItem {
  constructor(key: string, value: string, description: string | undefined) {
    super(key, vscode.TreeItemCollapsibleState.None);
    this.description = value;
    this.tooltip = description ? `${description}\n${value}` : value;
    this.contextValue = 'stackOutput';
    if (/^https?:\/\//.test(value)) {
      this.iconPath = new vscode.ThemeIcon('link-external');
      this.command = { command: 'vscode.open', title: 'Open', arguments: [vscode.Uri.parse(value)] };
    } else {
      this.iconPath = new vscode.ThemeIcon('symbol-constant');
    }
  }
}

function stackIcon(status: string): vscode.ThemeIcon {
  if (status.endsWith('_IN_PROGRESS')) {
    return new vscode.ThemeIcon('sync~spin');
  }
  if (status.includes('FAILED') || status.includes('ROLLBACK')) {
    return new vscode.ThemeIcon('error', new vscode.ThemeColor('testing.iconFailed'));
  }
  return new vscode.ThemeIcon('pass', new vscode.ThemeColor('testing.iconPassed'));
}

function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, '\\$&');
}
