// "Show Build Logs": a CodeBuild build's CloudWatch log as a read-only document with its own URI
// scheme. While the build runs, new lines are read with GetLogEvents' forward tokens and appended;
// the document stops updating when the build has finished and its log is drained, or when closed.
// A failed build's log scrolls once to the output of the command that failed.
import * as vscode from 'vscode';
import type { AwsContext } from '../aws/awsContext';
import { codeBuildApi, isBuildFinished, type BuildInfo } from '../aws/codebuild';
import { LogTail, logsApi } from '../aws/logs';
import { failedCommandOutputLine } from '../pipeline/buildLogFailure';
import { errorText } from '../shared/errorText';

export const BUILD_LOG_SCHEME = 'workshop-pipeline-log';
const TAIL_INTERVAL_MS = 2_000;
/** Keep no more than this much of a huge log in memory. */
const MAX_CHARS = 5_000_000;

export function buildLogUri(buildId: string): vscode.Uri {
  const [project = 'build', uuid = buildId] = buildId.split(':', 2);
  return vscode.Uri.from({
    scheme: BUILD_LOG_SCHEME,
    path: `/${project}/${uuid}.log`,
    query: new URLSearchParams({ build: buildId }).toString(),
  });
}

function buildIdOf(uri: vscode.Uri): string | undefined {
  return new URLSearchParams(uri.query).get('build') ?? undefined;
}

interface LogDocument {
  readonly buildId: string;
  text: string;
  tail: LogTail | undefined;
  timer: ReturnType<typeof setTimeout> | undefined;
  done: boolean;
  busy: boolean;
  lastError?: string;
  /** The build failed and its log is complete: scroll to the failure once the editor shows it. */
  revealFailure?: boolean;
}

export class BuildLogProvider implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  private readonly docs = new Map<string, LogDocument>();
  private readonly subscriptions: vscode.Disposable[];

  constructor(private readonly aws: AwsContext) {
    this.subscriptions = [
      // A first read that finishes before the editor has opened the document fires a change VS Code
      // ignores; with a finished build no second read follows. Re-announce the text once it is open.
      vscode.workspace.onDidOpenTextDocument((doc) => {
        if (doc.uri.scheme === BUILD_LOG_SCHEME && this.docs.has(doc.uri.toString())) {
          this.changed.fire(doc.uri);
        }
      }),
      vscode.workspace.onDidChangeTextDocument((e) => this.revealFailure(e.document)),
      vscode.window.onDidChangeVisibleTextEditors((editors) => editors.forEach((e) => this.revealFailure(e.document))),
      vscode.workspace.onDidCloseTextDocument((doc) => {
        if (doc.uri.scheme === BUILD_LOG_SCHEME) {
          this.stop(doc.uri.toString());
        }
      }),
    ];
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    const key = uri.toString();
    let doc = this.docs.get(key);
    if (!doc) {
      const buildId = buildIdOf(uri);
      if (!buildId) {
        return `${vscode.l10n.t('This link names no CodeBuild build.')}\n`;
      }
      doc = {
        buildId,
        text: `${vscode.l10n.t('Build {0}', buildId)}\n\n`,
        tail: undefined,
        timer: undefined,
        done: false,
        busy: false,
      };
      this.docs.set(key, doc);
      this.schedule(uri, doc, 0);
    }
    return doc.text;
  }

  dispose(): void {
    for (const key of [...this.docs.keys()]) {
      this.stop(key);
    }
    for (const s of this.subscriptions) {
      s.dispose();
    }
    this.changed.dispose();
  }

  private revealFailure(document: vscode.TextDocument): void {
    const doc = this.docs.get(document.uri.toString());
    // Only once the editor holds the whole log (the change event can arrive before the text).
    if (!doc?.revealFailure || document.getText() !== doc.text) {
      return;
    }
    const line = failedCommandOutputLine(doc.text.split('\n'));
    const editors = vscode.window.visibleTextEditors.filter((e) => e.document === document);
    if (line === undefined || editors.length === 0) {
      return;
    }
    doc.revealFailure = false;
    const at = new vscode.Range(line, 0, line, 0);
    for (const editor of editors) {
      editor.selection = new vscode.Selection(at.start, at.start);
      editor.revealRange(at, vscode.TextEditorRevealType.AtTop);
    }
  }

  private stop(key: string): void {
    const doc = this.docs.get(key);
    if (doc?.timer) {
      clearTimeout(doc.timer);
    }
    this.docs.delete(key);
  }

  private schedule(uri: vscode.Uri, doc: LogDocument, delay: number): void {
    if (doc.done) {
      return;
    }
    doc.timer = setTimeout(() => {
      doc.timer = undefined;
      void this.tick(uri, doc);
    }, delay);
  }

  private async tick(uri: vscode.Uri, doc: LogDocument): Promise<void> {
    if (doc.busy || this.docs.get(uri.toString()) !== doc) {
      return;
    }
    doc.busy = true;
    let appended = '';
    try {
      const session = this.aws.awsSession;
      if (!session) {
        appended = '\n[Not connected to AWS: the log stops here. Reopen it after connecting.]\n';
        doc.done = true;
        return;
      }
      const build: BuildInfo | undefined = await codeBuildApi(session).getBuild(doc.buildId);
      if (!build) {
        appended = `CodeBuild does not know build ${doc.buildId} (it may have expired).\n`;
        doc.done = true;
        return;
      }
      if (!doc.tail && build.logGroup && build.logStream) {
        doc.tail = new LogTail(logsApi(session), build.logGroup, build.logStream);
        appended += `Log ${build.logGroup} / ${build.logStream}\n\n`;
      }
      if (doc.tail) {
        const lines = await doc.tail.read();
        appended += lines.map((l) => (l.endsWith('\n') ? l : `${l}\n`)).join('');
      }
      if (isBuildFinished(build)) {
        // One more read after the build ended picks up the last lines, then the document rests.
        const rest = doc.tail ? await doc.tail.read() : [];
        appended += rest.map((l) => (l.endsWith('\n') ? l : `${l}\n`)).join('');
        appended += doc.tail
          ? `\n[Build ${build.status}]\n`
          : `\n[Build ${build.status}; it wrote no CloudWatch log.]\n`;
        doc.done = true;
        doc.revealFailure = build.status !== 'SUCCEEDED';
      }
    } catch (error) {
      const message = errorText(error);
      if (message !== doc.lastError) {
        appended += `\n[Could not read the log: ${message}. Retrying.]\n`;
      }
      doc.lastError = message;
    } finally {
      doc.busy = false;
      if (appended) {
        doc.text = (doc.text + appended).slice(-MAX_CHARS);
        this.changed.fire(uri);
      }
      this.schedule(uri, doc, TAIL_INTERVAL_MS);
    }
  }
}

export async function openBuildLog(buildId: string): Promise<vscode.TextEditor> {
  const doc = await vscode.workspace.openTextDocument(buildLogUri(buildId));
  let shown = doc;
  try {
    shown = await vscode.languages.setTextDocumentLanguage(doc, 'log');
  } catch {
    // no "log" language: plain text is fine
  }
  return vscode.window.showTextDocument(shown, { preview: false });
}
