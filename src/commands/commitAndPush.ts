// "AWS: Commit and Push to CodeCommit": commit what is staged (or, with consent, everything), then
// push to exactly the repository and branch the pipeline's source action watches, authenticated by
// the credential helper. Never force-pushes; a rejected push offers a rebase that loses nothing.
import * as vscode from 'vscode';
import type { AwsContext } from '../aws/awsContext';
import { getRepository } from '../aws/codecommit';
import { codePipelineApi } from '../aws/codepipeline';
import { explainAwsError } from '../aws/errors';
import { SingleFlight } from '../shared/singleFlight';
import { HELPER_MESSAGE_PREFIX } from '../git/credentialHelper';
import { pullRebase } from '../git/gitCli';
import { codeCommitSource, freeRemoteName, sameRepositoryUrl, type PushTarget } from '../git/pushTarget';
import { gitErrorCode, gitErrorOutput, type GitApi, type GitExtension, type GitRepository } from '../views/gitApi';
import type { GitCredentialWiring } from '../views/gitCredentialWiring';

export interface CommitAndPushDeps {
  aws: AwsContext;
  log: vscode.LogOutputChannel;
  wiring: GitCredentialWiring;
  /** Called with the pushed commit, so the views can follow it through the pipeline. */
  onPushed(commitId: string): void;
}

class Stop extends Error {}

export function registerCommitAndPush(deps: CommitAndPushDeps): vscode.Disposable {
  // One commit-and-push at a time: two would race on the index, the commit and the push.
  const flight = new SingleFlight<void>();
  return vscode.commands.registerCommand('workshopPipeline.commitAndPush', async () => {
    if (!vscode.workspace.isTrusted) {
      void vscode.window.showWarningMessage(
        'Workshop Pipeline does not push from an untrusted workspace. Trust this workspace to push.',
      );
      return;
    }
    const { result, attached } = flight.run(() => guarded(deps));
    if (attached) {
      void vscode.window.showInformationMessage('Commit and Push is already running.');
    }
    await result;
  });
}

/** Runs the flow; a deliberate stop has already told the user why, anything else is explained here. */
async function guarded(deps: CommitAndPushDeps): Promise<void> {
  try {
    await commitAndPush(deps);
  } catch (error) {
    if (!(error instanceof Stop)) {
      const session = deps.aws.awsSession?.config;
      const message = session && !gitErrorCode(error) ? explainAwsError(error, session).message : gitErrorOutput(error);
      deps.log.error(`Commit and Push failed: ${message}`);
      void vscode.window
        .showErrorMessage(`Commit and Push failed: ${message}`, 'Show Output')
        .then((c) => c && deps.log.show(true));
    }
  }
}

async function commitAndPush(deps: CommitAndPushDeps): Promise<void> {
  const { aws, log } = deps;
  const { target, cloneUrl } = await pushTarget(aws);
  const repo = await repository();
  await repo.status();

  const remote = await remoteFor(repo, cloneUrl, target);
  const committed = await commit(repo, log);
  const head = repo.state.HEAD;
  if (!head?.commit) {
    return stop(
      'Nothing to push: this repository has no commits yet. Make a change and run Commit and Push again.',
      'info',
    );
  }

  let refspec = target.branch;
  if (head.name !== target.branch) {
    const choice = await vscode.window.showWarningMessage(
      `You are on ${head.name ? `branch ${head.name}` : 'a detached HEAD'}, but the pipeline builds ${target.branch}.`,
      {
        modal: true,
        detail: `Push this commit to ${target.branch} in ${target.repositoryName}, or switch to ${target.branch} first?`,
      },
      `Push to ${target.branch}`,
      `Switch to ${target.branch}`,
    );
    if (!choice) {
      throw new Stop();
    }
    if (choice.startsWith('Switch')) {
      await repo.checkout(target.branch);
      return stop(`Switched to ${target.branch}. Commit your change there and run Commit and Push again.`, 'info');
    }
    refspec = `HEAD:refs/heads/${target.branch}`;
  } else if (
    !committed &&
    head.upstream?.remote === remote &&
    head.upstream.name === target.branch &&
    head.ahead === 0
  ) {
    return stop(`Nothing to commit, and ${target.branch} is up to date with ${remote}/${target.branch}.`, 'info');
  }

  // A rebase during the push gives the commit a new id: follow the one that was really pushed.
  const commitId = await push(deps, repo, remote, refspec, target);
  log.info(`Pushed ${commitId.slice(0, 7)} to ${target.repositoryName}/${target.branch} (${remote}).`);
  deps.onPushed(commitId);
  void vscode.window
    .showInformationMessage(
      `Pushed ${commitId.slice(0, 7)} to ${target.repositoryName}/${target.branch}. The pipeline picks it up next.`,
      'Open Pipeline',
    )
    .then((c) => {
      if (c) {
        void vscode.commands.executeCommand('workshopPipeline.stages.focus');
      }
    });
}

/** The repository and branch the pipeline's source action watches, and the repository's clone URL. */
async function pushTarget(aws: AwsContext): Promise<{ target: PushTarget; cloneUrl: string }> {
  const state = await aws.refresh();
  const session = aws.awsSession;
  if (state.kind === 'noPipeline') {
    const choice = await vscode.window.showInformationMessage(
      `There is no Workshop Pipeline stack in ${state.where.account} (${state.where.region}) to push to yet.`,
      'Deploy Workshop Pipeline',
    );
    if (choice) {
      await vscode.commands.executeCommand('workshopPipeline.deploy');
    }
    throw new Stop();
  }
  if (state.kind !== 'ready' || !session) {
    return stop(`Cannot push: ${'message' in state ? state.message : 'not connected to AWS yet.'}`, 'error');
  }
  const pipelineName =
    aws.currentSettings.pipelineName ?? state.stack.outputs.find((o) => o.key === 'PipelineName')?.value;
  if (!pipelineName) {
    return stop(`Stack ${state.stack.name} has no PipelineName output; set workshopPipeline.pipelineName.`, 'error');
  }
  const target = codeCommitSource(await codePipelineApi(session).getPipeline(pipelineName));
  if (!target) {
    return stop(`Pipeline ${pipelineName} has no CodeCommit source action to push to.`, 'error');
  }
  const repository = await getRepository(session, target.repositoryName);
  const cloneUrl = repository?.cloneUrlHttp ?? state.stack.outputs.find((o) => o.key === 'CloneUrlHttp')?.value;
  if (!repository || !cloneUrl) {
    return stop(
      `The CodeCommit repository ${target.repositoryName} that pipeline ${pipelineName} watches does not exist. Deploy with CreateCodeCommitRepository=true to create it.`,
      'error',
    );
  }
  return { target, cloneUrl };
}

async function repository(): Promise<GitRepository> {
  const extension = vscode.extensions.getExtension<GitExtension>('vscode.git');
  const exports = extension && (extension.isActive ? extension.exports : await extension.activate());
  if (!exports?.enabled) {
    return stop('The built-in Git extension is disabled; enable it (setting git.enabled) to commit and push.', 'error');
  }
  const git = exports.getAPI(1);
  await initialized(git);
  const folder = vscode.window.activeTextEditor
    ? vscode.workspace.getWorkspaceFolder(vscode.window.activeTextEditor.document.uri)
    : vscode.workspace.workspaceFolders?.[0];
  if (!folder) {
    return stop('Open the folder of your application first: Commit and Push works on the workspace folder.', 'error');
  }
  const found = git.getRepository(folder.uri) ?? (await git.openRepository?.(folder.uri));
  if (found) {
    return found;
  }
  const choice = await vscode.window.showInformationMessage(
    `${folder.name} is not a git repository yet. Initialize one to commit and push it?`,
    { modal: true },
    'Initialize Repository',
  );
  if (!choice) {
    throw new Stop();
  }
  const created = await git.init(folder.uri);
  if (!created) {
    return stop(`Could not initialize a git repository in ${folder.uri.fsPath}.`, 'error');
  }
  return created;
}

const GIT_READY_MS = 30_000;

/** Waits for the git extension to find git and the repositories, but not forever. */
function initialized(git: GitApi): Promise<void> {
  if (git.state === 'initialized') {
    return Promise.resolve();
  }
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      listener.dispose();
      reject(
        new Error(
          'The built-in Git extension did not start within 30 s. Check that git is installed (setting git.path) and see the Git output.',
        ),
      );
    }, GIT_READY_MS);
    const listener = git.onDidChangeState((state) => {
      if (state === 'initialized') {
        clearTimeout(timer);
        listener.dispose();
        resolve();
      }
    });
  });
}

/** The remote that points at the CodeCommit repository, adding `codecommit` with consent. */
async function remoteFor(repo: GitRepository, cloneUrl: string, target: PushTarget): Promise<string> {
  const existing = repo.state.remotes.find((r) => sameRepositoryUrl(r.pushUrl ?? r.fetchUrl, cloneUrl));
  if (existing) {
    return existing.name;
  }
  const name = freeRemoteName(repo.state.remotes.map((r) => r.name));
  const choice = await vscode.window.showInformationMessage(
    `No remote points at the CodeCommit repository ${target.repositoryName}. Add remote "${name}"?`,
    { modal: true, detail: cloneUrl },
    'Add Remote',
  );
  if (!choice) {
    throw new Stop();
  }
  await repo.addRemote(name, cloneUrl);
  return name;
}

/** Commits staged changes, or all changes with consent; returns whether a commit was made. */
async function commit(repo: GitRepository, log: vscode.LogOutputChannel): Promise<boolean> {
  const state = repo.state;
  if (state.mergeChanges.length > 0) {
    return stop(
      'The repository has merge conflicts. Resolve them in Source Control, then run Commit and Push again.',
      'error',
    );
  }
  const unstaged = [...state.workingTreeChanges, ...(state.untrackedChanges ?? [])];
  if (state.indexChanges.length === 0) {
    if (unstaged.length === 0) {
      return false;
    }
    const choice = await vscode.window.showInformationMessage(
      `There are no staged changes. Stage all ${unstaged.length} change${unstaged.length === 1 ? '' : 's'} and commit them?`,
      { modal: true },
      'Stage All and Commit',
    );
    if (!choice) {
      throw new Stop();
    }
    await repo.add(unstaged.map((c) => c.uri.fsPath));
  }
  let message = repo.inputBox.value.trim();
  if (!message) {
    message =
      (
        await vscode.window.showInputBox({
          title: 'Commit and Push to CodeCommit',
          prompt: 'Commit message',
          ignoreFocusOut: true,
          validateInput: (v) => (v.trim() ? undefined : 'A commit needs a message.'),
        })
      )?.trim() ?? '';
    if (!message) {
      throw new Stop();
    }
  }
  try {
    await repo.commit(message);
  } catch (error) {
    // A failing pre-commit hook says why on its output; show that, not a generic failure.
    const output = gitErrorOutput(error);
    log.error(`git commit failed:\n${output}`);
    return stop(`The commit failed: ${output.split('\n').slice(-5).join(' ')}`, 'error');
  }
  repo.inputBox.value = '';
  return true;
}

/** Pushes, rebasing first on consent when the branch moved on; returns the commit that was pushed. */
async function push(
  deps: CommitAndPushDeps,
  repo: GitRepository,
  remote: string,
  refspec: string,
  target: PushTarget,
): Promise<string> {
  const attempt = () =>
    vscode.window.withProgress(
      {
        location: vscode.ProgressLocation.Notification,
        title: `Pushing to ${target.repositoryName}/${target.branch}…`,
      },
      () => repo.push(remote, refspec, refspec === target.branch),
    );
  const pushed = async (): Promise<string> => {
    await repo.status();
    const commit = repo.state.HEAD?.commit;
    if (!commit) {
      return stop('The push finished but the repository has no HEAD commit.', 'error');
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
    const choice = await vscode.window.showWarningMessage(
      `${target.repositoryName}/${target.branch} has commits you do not have, so the push was rejected.`,
      {
        modal: true,
        detail:
          'Pull them with rebase (your commits go on top; uncommitted work is stashed and restored) and push again? Nothing is force-pushed.',
      },
      'Pull (Rebase) and Push',
    );
    if (!choice) {
      throw new Stop();
    }
    const pulled = await pullRebase(repo.rootUri.fsPath, remote, target.branch, deps.wiring.gitEnv);
    if (!pulled.ok) {
      return stop(
        `Rebasing onto ${remote}/${target.branch} conflicts in ${pulled.conflict}. Nothing was changed: your commits and work are as they were. Merge ${remote}/${target.branch} yourself, resolve the conflicts, then push.`,
        'error',
      );
    }
    await repo.status();
    await attempt();
    return pushed();
  }
}

function stop(message: string, severity: 'info' | 'error'): never {
  if (severity === 'info') {
    void vscode.window.showInformationMessage(message);
  } else {
    void vscode.window.showErrorMessage(message);
  }
  throw new Stop(message);
}
