// When the extension connects to AWS after start-up. It activates in every git workspace (so its
// status bar indicator and git credentials are there from the start) but loads the SDK and calls AWS
// only where it belongs: a repository with a CodeCommit remote, Workshop Pipeline settings in the
// workspace, or the user opening its views. Commands connect on their own when they run.
import * as vscode from 'vscode';

/** Settings that say this workspace is a Workshop Pipeline workspace when set in it. */
const WORKSPACE_KEYS = ['stackName', 'pipelineName', 'profile', 'region', 'endpointUrl', 'parameters', 'templatePath'];

export function hasWorkspaceSettings(): boolean {
  const config = vscode.workspace.getConfiguration('workshopPipeline');
  return WORKSPACE_KEYS.some((key) => {
    const inspected = config.inspect(key);
    return inspected?.workspaceValue !== undefined || inspected?.workspaceFolderValue !== undefined;
  });
}

/** Calls `connect` once, at the first of the given events. */
export class StartupGate implements vscode.Disposable {
  private connected = false;
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(private readonly connect: () => void) {}

  /** Connects now when `relevant`, else at the first event. */
  connectWhen(relevant: boolean, ...events: vscode.Event<unknown>[]): void {
    if (relevant) return this.open();
    for (const event of events) this.subscriptions.push(event(() => this.open()));
  }

  open(): void {
    if (this.connected) return;
    this.connected = true;
    this.dispose();
    // Never on the activation path: the first connection loads the SDK.
    setTimeout(this.connect, 0);
  }

  dispose(): void {
    vscode.Disposable.from(...this.subscriptions.splice(0)).dispose();
  }
}
