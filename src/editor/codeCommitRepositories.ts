// Which open git repositories push to CodeCommit, from the built-in git extension's API. It sets
// `workshopPipeline.codeCommitRepositories` (their root URIs, for the Source Control push button's
// `scmProviderRootUri in …` clause) and tells the start-up gate when the workspace has one.
import * as vscode from 'vscode';
import { isCodeCommitRemote } from '../git/codecommitRemote';
import type { GitApi, GitExtension, GitRepository } from './gitApi';

export const CODECOMMIT_REPOSITORIES_CONTEXT = 'workshopPipeline.codeCommitRepositories';

export class CodeCommitRepositories implements vscode.Disposable {
  private readonly subscriptions: vscode.Disposable[] = [];
  private readonly watched = new Map<GitRepository, vscode.Disposable>();
  private readonly found = new vscode.EventEmitter<void>();
  /** Fires whenever the set of CodeCommit repositories is not empty after a change. */
  readonly onDidFind = this.found.event;
  private roots: string[] = [];

  constructor(private readonly endpoint: () => string | undefined) {}

  /** True once a repository with a CodeCommit remote is open. */
  get any(): boolean {
    return this.roots.length > 0;
  }

  /** Follows the git extension without ever waiting for it on the activation path. */
  start(): void {
    const extension = vscode.extensions.getExtension<GitExtension>('vscode.git');
    if (!extension) return;
    void Promise.resolve(extension.isActive ? extension.exports : extension.activate()).then(
      (exports) => {
        if (exports.enabled) this.follow(exports.getAPI(1));
      },
      () => undefined, // without git there is nothing to follow
    );
  }

  /** Re-checks every repository, e.g. after the endpoint setting changed. */
  update(): void {
    const roots = [...this.watched.keys()]
      .filter((repo) =>
        repo.state.remotes.some(
          (r) => isCodeCommitRemote(r.pushUrl, this.endpoint()) || isCodeCommitRemote(r.fetchUrl, this.endpoint()),
        ),
      )
      .map((repo) => repo.rootUri.toString())
      .sort();
    if (roots.join('\n') === this.roots.join('\n')) return;
    this.roots = roots;
    void vscode.commands.executeCommand('setContext', CODECOMMIT_REPOSITORIES_CONTEXT, roots);
    if (roots.length > 0) this.found.fire();
  }

  dispose(): void {
    for (const d of this.watched.values()) d.dispose();
    vscode.Disposable.from(...this.subscriptions).dispose();
    this.found.dispose();
  }

  private follow(git: GitApi): void {
    const add = (repo: GitRepository): void => {
      if (this.watched.has(repo)) return;
      this.watched.set(
        repo,
        repo.state.onDidChange(() => this.update()),
      );
      this.update();
    };
    this.subscriptions.push(
      git.onDidOpenRepository(add),
      git.onDidCloseRepository((repo) => {
        this.watched.get(repo)?.dispose();
        this.watched.delete(repo);
        this.update();
      }),
    );
    git.repositories.forEach(add);
  }
}
