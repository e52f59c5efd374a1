// Findings of the pipeline's build reports in the Problems panel: each on the workspace file and line
// it names in the built commit, moved to where that line's text is now, dropped when the text is gone
// (placement.ts). The shown execution's findings replace the previous ones; a passing run leaves none.
// Saving a file places its findings again, so a fixed line loses its diagnostic at once.
import * as vscode from 'vscode';
import type { AwsContext } from '../aws/awsContext';
import type { ExecutionFindings } from '../following/findingsFollower';
import type { PipelineController } from '../following/pipelineController';
import { isLockFile, placeAll, type PlacedFinding } from '../findings/placement';
import type { FindingSeverity } from '../findings/reportFindings';
import { RepoFilesAtCommit, repositoryRoot } from '../git/repoFiles';
import { errorText } from '../shared/errorText';

export const FINDINGS_SOURCE = 'Workshop Pipeline';

const SEVERITY: Record<FindingSeverity, vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  info: vscode.DiagnosticSeverity.Information,
};

export class FindingsPresenter implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('workshopPipeline');
  private readonly subscriptions: vscode.Disposable[] = [];
  private shown: ExecutionFindings | undefined;
  /** Placed findings by `<buildId>/<index>` (the tree's finding nodes open them). */
  private placed = new Map<string, { uri: vscode.Uri; line: number }>();
  private generation = 0;
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
    return this.placed.get(`${buildId}/${index}`);
  }

  /** Places the execution's findings and replaces the diagnostics with them. */
  async present(findings: ExecutionFindings | undefined): Promise<void> {
    const generation = ++this.generation;
    this.shown = findings;
    const all = findings?.actions.flatMap((a) =>
      a.result.findings.map((f, index) => ({ f, buildId: a.buildId, index })),
    );
    if (!findings || !all || all.length === 0) {
      this.collection.clear();
      this.placed = new Map();
      return;
    }
    try {
      const root = await workspaceRepository();
      if (!root) {
        this.log.warn('Findings: no workspace folder is a git repository; they are listed in the Pipeline view only.');
        this.collection.clear();
        return;
      }
      const files = new RepoFilesAtCommit(root.fsPath, findings.commitId ?? 'HEAD', isLockFile);
      const placements: { p: PlacedFinding; key: string }[] = [];
      for (const { f, buildId, index } of all) {
        const [p] = await placeAll([f], files, { dockerfile: this.dockerfile() });
        if (p) {
          placements.push({ p, key: `${buildId}/${index}` });
        }
      }
      if (generation !== this.generation) {
        return; // a newer run's findings arrived meanwhile
      }
      const byFile = new Map<string, { uri: vscode.Uri; diagnostics: vscode.Diagnostic[] }>();
      const placed = new Map<string, { uri: vscode.Uri; line: number }>();
      for (const { p, key } of placements) {
        const uri = vscode.Uri.joinPath(root, ...p.path.split('/'));
        const entry = byFile.get(uri.toString()) ?? { uri, diagnostics: [] };
        entry.diagnostics.push(diagnosticOf(p));
        byFile.set(uri.toString(), entry);
        placed.set(key, { uri, line: p.line });
      }
      this.collection.clear();
      for (const { uri, diagnostics } of byFile.values()) {
        this.collection.set(uri, diagnostics);
      }
      this.placed = placed;
      this.log.info(
        `Findings of execution ${findings.executionId}${findings.commitId ? ` (commit ${findings.commitId.slice(0, 7)})` : ''}: ${all.length} reported, ${placements.length} in the workspace.`,
      );
    } catch (error) {
      this.log.warn(`Could not place the findings in the workspace: ${errorText(error)}`);
    }
  }

  dispose(): void {
    clearTimeout(this.saveTimer);
    this.generation++;
    for (const s of this.subscriptions) {
      s.dispose();
    }
  }

  private dockerfile(): string {
    return this.aws.currentSettings.parameters.DockerfilePath || 'Dockerfile';
  }
}

function diagnosticOf(p: PlacedFinding): vscode.Diagnostic {
  const start = p.text.length - p.text.trimStart().length;
  const range = new vscode.Range(p.line - 1, start, p.line - 1, Math.max(start + 1, p.text.trimEnd().length));
  const d = new vscode.Diagnostic(range, p.finding.message, SEVERITY[p.finding.severity]);
  d.source = FINDINGS_SOURCE;
  d.code = p.finding.docsUrl
    ? { value: p.finding.ruleId, target: vscode.Uri.parse(p.finding.docsUrl) }
    : p.finding.ruleId;
  return d;
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
