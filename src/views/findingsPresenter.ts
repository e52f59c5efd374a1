// Findings of the pipeline's build reports in the Problems panel: each on the workspace file and line
// it names in the built commit, moved to where that line's text is now, dropped when the text is gone
// (placement.ts). The shown execution's findings replace the previous ones; a passing run leaves none.
// Saving a file places its findings again, so a fixed line loses its diagnostic at once.
import * as vscode from 'vscode';
import type { AwsContext } from '../aws/awsContext';
import type { ExecutionFindings } from '../following/findingsFollower';
import type { PipelineController } from '../following/pipelineController';
import { EMPTY_LAYOUT, FindingsBoard, layoutFindings, type FindingDiagnostic } from '../following/findingDiagnostics';
import { isLockFile } from '../findings/placement';
import type { FindingSeverity } from '../findings/reportFindings';
import { RepoFilesAtCommit, repositoryRoot } from '../git/repoFiles';
import { errorText } from '../shared/errorText';

const SEVERITY: Record<FindingSeverity, vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  info: vscode.DiagnosticSeverity.Information,
};

export class FindingsPresenter implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('workshopPipeline');
  private readonly subscriptions: vscode.Disposable[] = [];
  private readonly board = new FindingsBoard();
  private shown: ExecutionFindings | undefined;
  private root: vscode.Uri | undefined;
  private saveTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly aws: AwsContext,
    controller: PipelineController,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.subscriptions.push(
      this.collection,
      controller.onDidChange((event) => {
        if (event.kind === 'findings') {
          void this.present(event.findings);
        }
      }),
      vscode.workspace.onDidSaveTextDocument((doc) => {
        if (this.shown && this.collection.has(doc.uri)) {
          clearTimeout(this.saveTimer);
          this.saveTimer = setTimeout(() => void this.present(this.shown), 200);
        }
      }),
    );
  }

  /** Where a finding of the tree is now; undefined when it was dropped or not placed yet. */
  locationOf(buildId: string, index: number): { uri: vscode.Uri; line: number } | undefined {
    const at = this.board.locationOf(buildId, index);
    return at && this.root ? { uri: vscode.Uri.joinPath(this.root, ...at.path.split('/')), line: at.line } : undefined;
  }

  /** Places the execution's findings and replaces the diagnostics with them. */
  async present(findings: ExecutionFindings | undefined): Promise<void> {
    const token = this.board.begin();
    this.shown = findings;
    try {
      const hasAny = (findings?.actions ?? []).some((a) => a.result.findings.length > 0);
      const root = hasAny ? await workspaceRepository() : undefined;
      if (hasAny && !root) {
        this.log.warn('Findings: no workspace folder is a git repository; they are listed in the Pipeline view only.');
      }
      const layout = root
        ? await layoutFindings(findings, new RepoFilesAtCommit(root.fsPath, findings?.commitId ?? 'HEAD', isLockFile), {
            dockerfile: this.dockerfile(),
          })
        : undefined;
      const update = this.board.apply(token, layout ?? EMPTY_LAYOUT);
      if (!update) {
        return; // a newer run's findings arrived meanwhile
      }
      if (!root) {
        this.collection.clear(); // a run without findings (it passed), or no repository to put them in
        return;
      }
      for (const path of update.clear) this.collection.delete(fileUri(root, path));
      for (const [path, diagnostics] of update.set)
        this.collection.set(fileUri(root, path), diagnostics.map(diagnosticOf));
      this.root = root;
      if (findings && layout) {
        this.log.info(
          `Findings of execution ${findings.executionId}${findings.commitId ? ` (commit ${findings.commitId.slice(0, 7)})` : ''}: ${layout.reported} reported, ${layout.placed.size} in the workspace.`,
        );
      }
    } catch (error) {
      this.log.warn(`Could not place the findings in the workspace: ${errorText(error)}`);
    }
  }

  dispose(): void {
    clearTimeout(this.saveTimer);
    this.board.cancel();
    for (const s of this.subscriptions) {
      s.dispose();
    }
  }

  private dockerfile(): string {
    return this.aws.currentSettings.parameters.DockerfilePath || 'Dockerfile';
  }
}

function fileUri(root: vscode.Uri, path: string): vscode.Uri {
  return vscode.Uri.joinPath(root, ...path.split('/'));
}

function diagnosticOf(d: FindingDiagnostic): vscode.Diagnostic {
  const range = new vscode.Range(d.line - 1, d.startColumn, d.line - 1, d.endColumn);
  const diagnostic = new vscode.Diagnostic(range, d.message, SEVERITY[d.severity]);
  diagnostic.source = d.source;
  diagnostic.code = d.code.target ? { value: d.code.value, target: vscode.Uri.parse(d.code.target) } : d.code.value;
  return diagnostic;
}

/** The workspace folder's git repository (the one Commit and Push pushes). */
async function workspaceRepository(): Promise<vscode.Uri | undefined> {
  for (const folder of vscode.workspace.workspaceFolders ?? []) {
    const top = await repositoryRoot(folder.uri.fsPath);
    if (top) {
      return vscode.Uri.file(top);
    }
  }
  return undefined;
}
