// Commit and Push, free of the editor: commit what is staged (or, with consent, everything), then
// push to exactly the repository and branch the pipeline's source action watches. Never
// force-pushes; a rejected push offers a rebase that loses nothing; the commit that was really
// pushed (a rebase gives it a new id) is handed on to be followed through the pipeline. The editor
// supplies the repository (VS Code's git API fits `PushRepository`) and the questions.
import * as l10n from '@vscode/l10n';
import type { Logger } from '../shared/logger';
import { HELPER_MESSAGE_PREFIX } from './credentialHelper';
import type { PullRebaseResult } from './gitCli';
import { gitErrorCode, gitErrorOutput } from './gitErrors';
import { freeRemoteName, sameRepositoryUrl, type PushTarget } from './pushTarget';

/** Where the push goes: the watched repository and branch, and the repository's clone URL. */
export interface PushDestination {
  readonly target: PushTarget;
  readonly cloneUrl: string;
}

interface FileChange {
  readonly uri: { readonly fsPath: string };
}

/** The repository the flow works on: the part of VS Code's git repository API it uses. */
export interface PushRepository {
  readonly rootUri: { readonly fsPath: string };
  /** The Source Control message box: its text is the commit message when there is one. */
  readonly inputBox: { value: string };
  readonly state: {
    readonly HEAD:
      | {
          readonly name?: string;
          readonly commit?: string;
          readonly upstream?: { readonly remote: string; readonly name: string };
          readonly ahead?: number;
        }
      | undefined;
    readonly remotes: readonly { readonly name: string; readonly fetchUrl?: string; readonly pushUrl?: string }[];
    readonly indexChanges: readonly FileChange[];
    readonly workingTreeChanges: readonly FileChange[];
    readonly mergeChanges: readonly FileChange[];
    readonly untrackedChanges?: readonly FileChange[];
  };
  status(): Promise<void>;
  add(paths: string[]): Promise<void>;
  commit(message: string): Promise<void>;
  addRemote(name: string, url: string): Promise<void>;
  push(remoteName?: string, branchName?: string, setUpstream?: boolean): Promise<void>;
  checkout(treeish: string): Promise<void>;
}

/** The questions the flow asks; each resolves false or undefined when the user declines. */
export interface PushPrompts {
  addRemote(repositoryName: string, remoteName: string, cloneUrl: string): Promise<boolean>;
  stageAll(changes: number): Promise<boolean>;
  commitMessage(): Promise<string | undefined>;
  /** HEAD is not the watched branch: push this commit to it, or switch to it first. */
  otherBranch(head: string | undefined, target: PushTarget): Promise<'push' | 'switch' | undefined>;
  pullRebase(target: PushTarget): Promise<boolean>;
  /** Shows that a push is under way while `push` runs. */
  pushing(target: PushTarget, push: () => Promise<void>): Promise<void>;
}

export interface PushFlowDeps {
  readonly destination: PushDestination;
  readonly repository: PushRepository;
  readonly prompts: PushPrompts;
  /** `git pull --rebase --autostash` that aborts itself on a conflict (src/git/gitCli.ts). */
  pullRebase(cwd: string, remote: string, branch: string): Promise<PullRebaseResult>;
  /** Called with the commit that was pushed, so the views can follow it through the pipeline. */
  onPushed(commitId: string): void;
  /**
   * Checks what the push would send (commits ahead of the remote branch, and the staged changes when
   * `staged`) before anything is committed or pushed; 'stop' ends the flow with nothing pushed.
   */
  scanBeforePush?(request: ScanRequest): Promise<'push' | 'stop'>;
  readonly log: Logger;
  /**
   * The user's Cancel: checked before each step that changes something (commit, push, pull). A git
   * step already running is let finish: killing a rebase half-way would strand the user's work.
   */
  readonly signal?: AbortSignal;
}

export interface ScanRequest {
  readonly cwd: string;
  readonly remote: string;
  readonly branch: string;
  readonly staged: boolean;
}

export interface PushNotice {
  readonly severity: 'info' | 'error';
  readonly message: string;
}

export type PushResult =
  | { readonly kind: 'pushed'; readonly commitId: string; readonly remote: string }
  /** Nothing (more) to do: the user declined, or `notice` says why it stopped. */
  | { readonly kind: 'stopped'; readonly notice?: PushNotice };

/** A deliberate end of the flow; anything else thrown is a failure for the caller to explain. */
class Stop extends Error {
  constructor(readonly notice?: PushNotice) {
    super(notice?.message ?? 'stopped');
  }
}

function stop(message: string, severity: PushNotice['severity']): never {
  throw new Stop({ message, severity });
}

/** Ends the flow if the user cancelled, saying what had already happened (`sofar`). */
function checkpoint(deps: PushFlowDeps, sofar: string): void {
  if (deps.signal?.aborted) {
    stop(l10n.t('Commit and Push cancelled: {0}', sofar), 'info');
  }
}

export async function commitAndPush(deps: PushFlowDeps): Promise<PushResult> {
  try {
    return await run(deps);
  } catch (error) {
    if (error instanceof Stop) {
      return { kind: 'stopped', ...(error.notice ? { notice: error.notice } : {}) };
    }
    throw error;
  }
}

async function run(deps: PushFlowDeps): Promise<PushResult> {
  const { repository: repo, destination, log } = deps;
  const { target } = destination;
  await repo.status();

  const remote = await remoteFor(deps);
  checkpoint(deps, l10n.t('nothing was committed or pushed.'));
  const committed = await commit(deps, remote);
  const head = repo.state.HEAD;
  if (!head?.commit) {
    return stop(
      l10n.t('Nothing to push: this repository has no commits yet. Make a change and run Commit and Push again.'),
      'info',
    );
  }

  let refspec = target.branch;
  if (head.name !== target.branch) {
    const choice = await deps.prompts.otherBranch(head.name, target);
    if (!choice) {
      throw new Stop();
    }
    if (choice === 'switch') {
      await repo.checkout(target.branch);
      return stop(
        l10n.t('Switched to {0}. Commit your change there and run Commit and Push again.', target.branch),
        'info',
      );
    }
    refspec = `HEAD:refs/heads/${target.branch}`;
  } else if (
    !committed &&
    head.upstream?.remote === remote &&
    head.upstream.name === target.branch &&
    head.ahead === 0
  ) {
    return stop(
      l10n.t('Nothing to commit, and {0} is up to date with {1}/{2}.', target.branch, remote, target.branch),
      'info',
    );
  }

  if (!committed) {
    await scan(deps, remote, false); // the commits ahead (a commit made here was scanned before it)
  }
  checkpoint(
    deps,
    committed
      ? l10n.t(
          'your commit {0} was made locally and not pushed. Run Commit and Push again to push it.',
          head.commit.slice(0, 7),
        )
      : l10n.t('nothing was pushed.'),
  );
  // A rebase during the push gives the commit a new id: follow the one that was really pushed.
  const commitId = await push(deps, remote, refspec);
  log.info(`Pushed ${commitId.slice(0, 7)} to ${target.repositoryName}/${target.branch} (${remote}).`);
  deps.onPushed(commitId);
  return { kind: 'pushed', commitId, remote };
}

/** The remote that points at the CodeCommit repository, adding `codecommit` with consent. */
async function remoteFor({ repository: repo, destination, prompts }: PushFlowDeps): Promise<string> {
  const { cloneUrl, target } = destination;
  const existing = repo.state.remotes.find((r) => sameRepositoryUrl(r.pushUrl ?? r.fetchUrl, cloneUrl));
  if (existing) {
    return existing.name;
  }
  const name = freeRemoteName(repo.state.remotes.map((r) => r.name));
  if (!(await prompts.addRemote(target.repositoryName, name, cloneUrl))) {
    throw new Stop();
  }
  await repo.addRemote(name, cloneUrl);
  return name;
}

/** Stops the flow when the secret scan finds something the user does not push anyway. */
async function scan(deps: PushFlowDeps, remote: string, staged: boolean): Promise<void> {
  const verdict = await deps.scanBeforePush?.({
    cwd: deps.repository.rootUri.fsPath,
    remote,
    branch: deps.destination.target.branch,
    staged,
  });
  if (verdict === 'stop') {
    throw new Stop();
  }
}

/** Commits staged changes, or all changes with consent; returns whether a commit was made. */
async function commit(deps: PushFlowDeps, remote: string): Promise<boolean> {
  const { repository: repo, prompts, log } = deps;
  const state = repo.state;
  if (state.mergeChanges.length > 0) {
    return stop(
      l10n.t('The repository has merge conflicts. Resolve them in Source Control, then run Commit and Push again.'),
      'error',
    );
  }
  const unstaged = [...state.workingTreeChanges, ...(state.untrackedChanges ?? [])];
  if (state.indexChanges.length === 0) {
    if (unstaged.length === 0) {
      return false;
    }
    if (!(await prompts.stageAll(unstaged.length))) {
      throw new Stop();
    }
    await repo.add(unstaged.map((c) => c.uri.fsPath));
  }
  // Before anything is committed: a secret found here never even enters a local commit.
  await scan(deps, remote, true);
  const message = repo.inputBox.value.trim() || ((await prompts.commitMessage())?.trim() ?? '');
  if (!message) {
    throw new Stop();
  }
  try {
    await repo.commit(message);
  } catch (error) {
    // A failing pre-commit hook says why on its output; show that, not a generic failure.
    const output = gitErrorOutput(error);
    log.error(`git commit failed:\n${output}`);
    return stop(l10n.t('The commit failed: {0}', output), 'error');
  }
  repo.inputBox.value = '';
  return true;
}

/** Pushes, rebasing first on consent when the branch moved on; returns the commit that was pushed. */
async function push(deps: PushFlowDeps, remote: string, refspec: string): Promise<string> {
  const { repository: repo, prompts } = deps;
  const { target } = deps.destination;
  const attempt = () => prompts.pushing(target, () => repo.push(remote, refspec, refspec === target.branch));
  const pushed = async (): Promise<string> => {
    await repo.status();
    const commit = repo.state.HEAD?.commit;
    if (!commit) {
      return stop(l10n.t('The push finished but the repository has no HEAD commit.'), 'error');
    }
    return commit;
  };
  try {
    await attempt();
    return await pushed();
  } catch (error) {
    if (error instanceof Stop) {
      throw error;
    }
    const output = gitErrorOutput(error);
    const helperLine = output.split('\n').find((line) => line.includes(HELPER_MESSAGE_PREFIX));
    if (helperLine) {
      return stop(helperLine.slice(helperLine.indexOf(HELPER_MESSAGE_PREFIX) + HELPER_MESSAGE_PREFIX.length), 'error');
    }
    if (gitErrorCode(error) !== 'PushRejected' && !/non-fast-forward|fetch first|\[rejected\]/.test(output)) {
      throw error;
    }
    if (!(await prompts.pullRebase(target))) {
      throw new Stop();
    }
    checkpoint(deps, l10n.t('nothing was pulled or pushed; your commits and work are as they were.'));
    const pulled = await pullOrStop(deps, remote);
    if (pulled.kind === 'conflict') {
      const where = pulled.files.length > 0 ? pulled.files.join(', ') : l10n.t('the pulled changes');
      return stop(
        l10n.t(
          'Rebasing onto {0}/{1} conflicts in {2}. Nothing was changed: your commits and work are as they were. Merge {3}/{4} yourself, resolve the conflicts, then push.',
          remote,
          target.branch,
          where,
          remote,
          target.branch,
        ),
        'error',
      );
    }
    if (pulled.kind === 'stashConflict') {
      // Never push over this: the user's uncommitted work is only in the stash, and the files hold
      // conflict markers. Say exactly where things are and how to get them back.
      const files = pulled.files.join(', ');
      return stop(
        l10n.t(
          'Nothing was pushed. Your commits were rebased onto {0}/{1}, but your uncommitted changes conflict with the pulled ones in {2}: ',
          remote,
          target.branch,
          files,
        ) +
          l10n.t('those files now hold conflict markers, and your changes are safe in the stash ({0}). ', 'stash@{0}') +
          l10n.t(
            'Resolve the conflicts in {0}, stage them, run "git stash drop", then run Commit and Push again. ',
            files,
          ) +
          l10n.t(
            'To undo instead and keep your changes in the stash: git checkout HEAD -- {0}',
            pulled.files.join(' '),
          ),
        'error',
      );
    }
    checkpoint(
      deps,
      l10n.t(
        'your commits were rebased onto {0}/{1} and not pushed. Run Commit and Push again to push them.',
        remote,
        target.branch,
      ),
    );
    await repo.status();
    await attempt();
    return pushed();
  }
}

/** The pull with rebase; a failure that is not a conflict ends the flow with git's whole error. */
async function pullOrStop(deps: PushFlowDeps, remote: string): Promise<PullRebaseResult> {
  const { branch } = deps.destination.target;
  try {
    return await deps.pullRebase(deps.repository.rootUri.fsPath, remote, branch);
  } catch (error) {
    const output = gitErrorOutput(error);
    deps.log.error(`git pull --rebase failed:\n${output}`);
    return stop(
      l10n.t('Pulling {0}/{1} with rebase failed, so nothing was pushed. git said: {2}', remote, branch, output),
      'error',
    );
  }
}
