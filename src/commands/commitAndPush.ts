// "AWS: Commit and Push to CodeCommit": the editor side of the push flow (src/git/pushFlow.ts). It
// finds where the push goes (the followed pipeline's source), opens the workspace's repository
// through the built-in git extension, answers the flow's questions with dialogs, and reports how it
// ended. Pushes authenticate through the credential helper (editor/gitCredentialWiring.ts).
import * as vscode from 'vscode';
import { deniedText, gitDenial } from '../aws/accessDenied';
import type { AwsContext, ConnectionState } from '../aws/awsContext';
import { codeCommitApi } from '../aws/codecommit';
import { codePipelineApi } from '../aws/codepipeline';
import { explainAwsError } from '../aws/errors';
import type { GitApi, GitExtension, GitRepository } from '../editor/gitApi';
import type { GitCredentialWiring } from '../editor/gitCredentialWiring';
import { registerGuardedCommand } from '../editor/guardedCommand';
import { pullRebase } from '../git/gitCli';
import { gitErrorCode, gitErrorOutput } from '../git/gitErrors';
import { commitAndPush, type PushDestination, type PushNotice, type PushPrompts } from '../git/pushFlow';
import { SingleFlight } from '../shared/singleFlight';
import type { PipelineTemplate } from '../workshop/pipelineTemplate';
import { resolvePushDestination } from '../workshop/pushDestination';
import { showProblem } from '../editor/awsFailure';
import { scanBeforePush } from './prePushScan';

export interface CommitAndPushDeps {
  aws: AwsContext;
  log: vscode.LogOutputChannel;
  wiring: GitCredentialWiring;
  template: PipelineTemplate;
  /** Called with the pushed commit, so the views can follow it through the pipeline. */
  onPushed(commitId: string): void;
}

export function registerCommitAndPush(deps: CommitAndPushDeps): vscode.Disposable {
  return registerGuardedCommand(
    'workshopPipeline.commitAndPush',
    // One commit-and-push at a time: two would race on the index, the commit and the push.
    { verb: 'push', flight: new SingleFlight<void>(), busyMessage: 'Commit and Push is already running.' },
    () => guarded(deps),
  );
}

/** Runs the flow; a deliberate stop has already told the user why, anything else is explained here. */
async function guarded(deps: CommitAndPushDeps): Promise<void> {
  try {
    await run(deps);
  } catch (error) {
    const session = deps.aws.awsSession?.config;
    const gitDenied = error instanceof GitAccessDenied;
    const problem = session && !gitErrorCode(error) && !gitDenied ? explainAwsError(error, session) : undefined;
    const message = problem?.message ?? gitErrorOutput(error);
    deps.log.error(`Commit and Push failed: ${message}`);
    void showProblem(
      vscode.l10n.t('Commit and Push failed: {0}', message),
      gitDenied || problem?.kind === 'accessDenied',
      [vscode.l10n.t('Show Output')],
    ).then((c) => c && deps.log.show(true));
  }
}

/** CodeCommit's bare 403 for a push or pull, as the permission it checked (the message says which to attach). */
class GitAccessDenied extends Error {
  override readonly name = 'GitAccessDenied';
}

function gitDenialError(
  error: unknown,
  state: ConnectionState,
  repositoryName: string,
  pulling: boolean,
): GitAccessDenied | undefined {
  if (state.kind !== 'ready') {
    return undefined;
  }
  const { arn, account, region } = state.where;
  const denied = gitDenial(gitErrorOutput(error), {
    identity: arn,
    repositoryArn: `arn:${partitionOf(arn)}:codecommit:${region}:${account}:${repositoryName}`,
    pulling,
  });
  return denied && new GitAccessDenied(`${gitErrorOutput(error)} ${deniedText(denied)}`);
}

const partitionOf = (arn: string): string => arn.split(':')[1] || 'aws';

/** The whole command under one notification whose Cancel is checked before every step that changes something. */
function run(deps: CommitAndPushDeps): Thenable<void> {
  return vscode.window.withProgress(
    {
      location: vscode.ProgressLocation.Notification,
      title: vscode.l10n.t('Commit and Push to CodeCommit'),
      cancellable: true,
    },
    async (progress, token) => {
      const controller = new AbortController();
      const subscription = token.onCancellationRequested(() => controller.abort());
      try {
        await runSteps(deps, progress, controller.signal);
      } finally {
        subscription.dispose();
      }
    },
  );
}

async function runSteps(
  deps: CommitAndPushDeps,
  progress: vscode.Progress<{ message?: string }>,
  signal: AbortSignal,
): Promise<void> {
  progress.report({ message: vscode.l10n.t('finding where the pipeline pulls from…') });
  const destination = await pushDestination(deps);
  if (!destination) {
    return;
  }
  if (signal.aborted) {
    show({ message: vscode.l10n.t('Commit and Push cancelled: nothing was committed or pushed.'), severity: 'info' });
    return;
  }
  const repository = await openRepository();
  if (!repository) {
    return;
  }
  let pulling = false;
  const result = await commitAndPush({
    destination,
    repository,
    prompts: pushPrompts(progress),
    pullRebase: async (cwd, remote, branch) => {
      pulling = true;
      const pulled = await pullRebase(cwd, remote, branch, deps.wiring.gitEnv);
      pulling = false;
      return pulled;
    },
    onPushed: (commitId) => deps.onPushed(commitId),
    scanBeforePush: (request) => scanBeforePush(request, deps.wiring.gitEnv, deps.log),
    log: deps.log,
    signal,
  }).catch((error: unknown) => {
    throw gitDenialError(error, deps.aws.state, destination.target.repositoryName, pulling) ?? error;
  });
  if (result.kind === 'stopped') {
    if (result.notice) {
      show(result.notice);
    }
    return;
  }
  const { target } = destination;
  void vscode.window
    .showInformationMessage(
      vscode.l10n.t(
        'Pushed {0} to {1}/{2}. The pipeline picks it up next.',
        result.commitId.slice(0, 7),
        target.repositoryName,
        target.branch,
      ),
      vscode.l10n.t('Open Pipeline'),
    )
    .then((c) => {
      if (c) {
        void vscode.commands.executeCommand('workshopPipeline.stages.focus');
      }
    });
}

/** The repository and branch the followed pipeline's source action watches; undefined once the user was told why not. */
async function pushDestination({ aws, template }: CommitAndPushDeps): Promise<PushDestination | undefined> {
  const state = await aws.refresh();
  const session = aws.awsSession;
  if (state.kind === 'noPipeline') {
    const choice = await vscode.window.showInformationMessage(
      vscode.l10n.t(
        'There is no Workshop Pipeline stack in {0} ({1}) to push to yet.',
        state.where.account,
        state.where.region,
      ),
      vscode.l10n.t('Deploy Workshop Pipeline'),
    );
    if (choice) {
      await vscode.commands.executeCommand('workshopPipeline.deploy');
    }
    return undefined;
  }
  if (state.kind !== 'ready' || !session) {
    return told({
      message: vscode.l10n.t('Cannot push: {0}', 'message' in state ? state.message : 'not connected to AWS yet.'),
    });
  }
  const resolved = await resolvePushDestination({
    template,
    stack: state.stack,
    pipelineName: aws.currentSettings.pipelineName,
    codePipeline: codePipelineApi(session),
    codeCommit: codeCommitApi(session),
  });
  return resolved.ok ? resolved.destination : told({ message: resolved.message });
}

/** The repository of the active editor's workspace folder, initialized on consent; undefined once the user was told why not. */
async function openRepository(): Promise<GitRepository | undefined> {
  const extension = vscode.extensions.getExtension<GitExtension>('vscode.git');
  const exports = extension && (extension.isActive ? extension.exports : await extension.activate());
  if (!exports?.enabled) {
    return told({
      message: vscode.l10n.t(
        'The built-in Git extension is disabled; enable it (setting git.enabled) to commit and push.',
      ),
    });
  }
  const git = exports.getAPI(1);
  await initialized(git);
  const folder = vscode.window.activeTextEditor
    ? vscode.workspace.getWorkspaceFolder(vscode.window.activeTextEditor.document.uri)
    : vscode.workspace.workspaceFolders?.[0];
  if (!folder) {
    return told({
      message: vscode.l10n.t(
        'Open the folder of your application first: Commit and Push works on the workspace folder.',
      ),
    });
  }
  const found = git.getRepository(folder.uri) ?? (await git.openRepository?.(folder.uri));
  if (found) {
    return found;
  }
  const choice = await vscode.window.showInformationMessage(
    vscode.l10n.t('{0} is not a git repository yet. Initialize one to commit and push it?', folder.name),
    { modal: true },
    vscode.l10n.t('Initialize Repository'),
  );
  if (!choice) {
    return undefined;
  }
  return (
    (await git.init(folder.uri)) ??
    told({ message: vscode.l10n.t('Could not initialize a git repository in {0}.', folder.uri.fsPath) })
  );
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
          vscode.l10n.t(
            'The built-in Git extension did not start within 30 s. Check that git is installed (setting git.path) and see the Git output.',
          ),
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

/** The flow's questions as dialogs; the push is reported on the command's notification. */
const pushPrompts = (progress: vscode.Progress<{ message?: string }>): PushPrompts => ({
  async addRemote(repositoryName, remoteName, cloneUrl) {
    const choice = await vscode.window.showInformationMessage(
      vscode.l10n.t('No remote points at the CodeCommit repository {0}. Add remote "{1}"?', repositoryName, remoteName),
      { modal: true, detail: cloneUrl },
      vscode.l10n.t('Add Remote'),
    );
    return choice !== undefined;
  },
  async stageAll(changes) {
    const choice = await vscode.window.showInformationMessage(
      vscode.l10n.t(
        'There are no staged changes. Stage all {0} change{1} and commit them?',
        changes,
        changes === 1 ? '' : 's',
      ),
      { modal: true },
      vscode.l10n.t('Stage All and Commit'),
    );
    return choice !== undefined;
  },
  commitMessage: () =>
    Promise.resolve(
      vscode.window.showInputBox({
        title: vscode.l10n.t('Commit and Push to CodeCommit'),
        prompt: vscode.l10n.t('Commit message'),
        ignoreFocusOut: true,
        validateInput: (v) => (v.trim() ? undefined : 'A commit needs a message.'),
      }),
    ),
  async otherBranch(head, target) {
    const push = `Push to ${target.branch}`;
    const choice = await vscode.window.showWarningMessage(
      vscode.l10n.t(
        'You are on {0}, but the pipeline builds {1}.',
        head ? `branch ${head}` : 'a detached HEAD',
        target.branch,
      ),
      {
        modal: true,
        detail: vscode.l10n.t(
          'Push this commit to {0} in {1}, or switch to {2} first?',
          target.branch,
          target.repositoryName,
          target.branch,
        ),
      },
      push,
      vscode.l10n.t('Switch to {0}', target.branch),
    );
    return choice === undefined ? undefined : choice === push ? 'push' : 'switch';
  },
  async pullRebase(target) {
    const choice = await vscode.window.showWarningMessage(
      vscode.l10n.t(
        '{0}/{1} has commits you do not have, so the push was rejected.',
        target.repositoryName,
        target.branch,
      ),
      {
        modal: true,
        detail: vscode.l10n.t(
          'Pull them with rebase (your commits go on top; uncommitted work is stashed and restored, and if restoring it conflicts nothing is pushed) and push again? Nothing is force-pushed.',
        ),
      },
      vscode.l10n.t('Pull (Rebase) and Push'),
    );
    return choice !== undefined;
  },
  pushing: (target, push) => {
    progress.report({ message: vscode.l10n.t('pushing to {0}/{1}…', target.repositoryName, target.branch) });
    return push();
  },
});

/** Tells the user why the command stops here (an error unless said otherwise); always undefined. */
function told(notice: { message: string; severity?: PushNotice['severity'] }): undefined {
  show({ message: notice.message, severity: notice.severity ?? 'error' });
  return undefined;
}

function show(notice: PushNotice): void {
  if (notice.severity === 'info') {
    void vscode.window.showInformationMessage(notice.message);
  } else {
    void vscode.window.showErrorMessage(notice.message);
  }
}
