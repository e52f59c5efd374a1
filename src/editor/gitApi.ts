// The part of VS Code's built-in git extension API (`vscode.git`, getAPI(1)) this extension uses,
// typed here so the rest of the code does not depend on the extension's full declaration file.
import type { Event, Uri } from 'vscode';

export interface GitBranch {
  readonly name?: string;
  readonly commit?: string;
  readonly upstream?: { readonly remote: string; readonly name: string };
  readonly ahead?: number;
  readonly behind?: number;
}

export interface GitRemote {
  readonly name: string;
  readonly fetchUrl?: string;
  readonly pushUrl?: string;
}

export interface GitChange {
  readonly uri: Uri;
}

export interface GitRepositoryState {
  readonly HEAD: GitBranch | undefined;
  readonly remotes: GitRemote[];
  readonly indexChanges: GitChange[];
  readonly workingTreeChanges: GitChange[];
  readonly mergeChanges: GitChange[];
  readonly untrackedChanges?: GitChange[];
  readonly onDidChange: Event<void>;
}

export interface GitRepository {
  readonly rootUri: Uri;
  readonly inputBox: { value: string };
  readonly state: GitRepositoryState;
  status(): Promise<void>;
  add(paths: string[]): Promise<void>;
  commit(message: string, options?: { all?: boolean | 'tracked' }): Promise<void>;
  addRemote(name: string, url: string): Promise<void>;
  push(remoteName?: string, branchName?: string, setUpstream?: boolean): Promise<void>;
  checkout(treeish: string): Promise<void>;
  getBranch(name: string): Promise<GitBranch>;
}

export interface GitApi {
  readonly state: 'uninitialized' | 'initialized';
  readonly onDidChangeState: Event<'uninitialized' | 'initialized'>;
  readonly repositories: GitRepository[];
  readonly onDidOpenRepository: Event<GitRepository>;
  readonly onDidCloseRepository: Event<GitRepository>;
  getRepository(uri: Uri): GitRepository | null;
  init(root: Uri): Promise<GitRepository | null>;
  openRepository?(root: Uri): Promise<GitRepository | null>;
}

export interface GitExtension {
  readonly enabled: boolean;
  getAPI(version: 1): GitApi;
}
