// "AWS: Deploy Workshop Pipeline": the editor side of the deploy plan (src/workshop/deployPlan.ts).
// It answers the plan's questions with dialogs, runs each stack deploy under a cancellable progress
// notification with its events in the output channel, and turns the outcome into a message with
// next steps.
import * as vscode from 'vscode';
import { parseAccessDenied } from '../aws/accessDenied';
import type { AwsContext, ConnectionState, Where } from '../aws/awsContext';
import type { AwsSession } from '../aws/awsSession';
import { cloudFormationApi, type CloudFormationApi } from '../aws/cloudformation';
import { codeCommitApi } from '../aws/codecommit';
import { ecrApi } from '../aws/ecr';
import { ecsApi } from '../aws/ecs';
import { explainAwsError } from '../aws/errors';
import { systemClock } from '../deploy/clock';
import { ChangeSetLeftError, DeployEngine, type DeployOutcome, type DeployReporter } from '../deploy/deployEngine';
import { describeChanges, formatStackEvent } from '../deploy/eventFormat';
import { loadTemplate, TemplateLoadError, templatePathFor, type LoadedTemplate } from '../deploy/templateSource';
import { showProblem } from '../editor/awsFailure';
import { registerGuardedCommand } from '../editor/guardedCommand';
import { withCancellableProgress } from '../editor/progress';
import { updateSetting } from '../editor/updateSetting';
import { errorMessage } from '../shared/errorText';
import type { SingleFlight } from '../shared/singleFlight';
import { startIntentKey, type StartIntentStore } from '../health/startIntent';
import { runDeployPlan, runServiceStackPlan, type DeployPlanDeps, type StackRun } from '../workshop/deployPlan';
import { outputValue, type PipelineTemplate } from '../workshop/pipelineTemplate';
import { chooseRecovery, confirmChanges, deployPrompts } from './deployPrompts';

export interface DeployDeps {
  aws: AwsContext;
  log: vscode.LogOutputChannel;
  extensionUri: vscode.Uri;
  flight: SingleFlight<void>;
  template: PipelineTemplate;
  /** Where a service created without tasks is remembered, to start them when its image lands. */
  startIntents?: StartIntentStore;
}

export function registerDeploy(deps: DeployDeps): vscode.Disposable {
  return registerGuardedCommand(
    'workshopPipeline.deploy',
    {
      verb: 'deploy',
      flight: deps.flight,
      busyMessage: 'A deploy is already running; its progress is in the notification and the Workshop Pipeline output.',
      busyAction: { title: vscode.l10n.t('Show Output'), run: () => deps.log.show(true) },
    },
    () => deploy(deps, runDeployPlan),
  );
}

/** "Deploy Service Stack": the bundled service stack for the followed pipeline, in the deploy lane. */
export function registerDeployServiceStack(deps: DeployDeps): vscode.Disposable {
  return registerGuardedCommand(
    'workshopPipeline.deployServiceStack',
    {
      verb: 'deploy',
      flight: deps.flight,
      busyMessage: 'A deploy is already running; its progress is in the notification and the Workshop Pipeline output.',
      busyAction: { title: vscode.l10n.t('Show Output'), run: () => deps.log.show(true) },
    },
    () => deploy(deps, runServiceStackPlan),
  );
}

async function deploy(
  deps: DeployDeps,
  plan: (planDeps: DeployPlanDeps) => Promise<Awaited<ReturnType<typeof runDeployPlan>>>,
): Promise<void> {
  const { aws, log, template } = deps;
  const state = await aws.refresh();
  if (state.kind !== 'ready' && state.kind !== 'noPipeline') {
    notConnected(state);
    return;
  }
  const session = aws.awsSession;
  if (!session) {
    return;
  }
  const settings = aws.currentSettings;
  const api = cloudFormationApi(session);
  const where = state.where;
  try {
    const result = await plan({
      template,
      where: state.where,
      settings,
      lookups: {
        cloudFormation: api,
        ecs: ecsApi(session),
        ecr: ecrApi(session),
        codeCommit: codeCommitApi(session),
      },
      prompts: deployPrompts,
      loadTemplate: (file, userPath) => loadOrExplain(file, userPath, deps.extensionUri),
      run: (request) =>
        runStack(
          { ...deps, session, api, where: state.where, skipFirstPreview: !settings.confirmFirstDeploy },
          request,
        ),
      follow: (stackName) => follow(stackName, log),
      explainError: (error) => explainAwsError(error, session.config).message,
      rememberStartIntent: ({ cluster, service }, desired) =>
        deps.startIntents?.set(startIntentKey({ account: where.account, region: where.region, cluster, service }), {
          desired,
          since: Date.now(),
        }),
      log,
    });
    if (result) {
      await report(result.outcome, result.stackName, { api, session, log, template });
    }
  } catch (error) {
    showAwsError(error, session, log);
  }
}

/** The views follow workshopPipeline.stackName: a stack deployed under another name becomes it. */
function follow(stackName: string, log: vscode.LogOutputChannel): void {
  log.info(`The views now follow stack ${stackName} (workshopPipeline.stackName).`);
  updateSetting('stackName', stackName).catch((error: unknown) => {
    log.warn(`Could not set workshopPipeline.stackName to ${stackName}: ${errorMessage(error)}`);
  });
}

interface RunContext extends DeployDeps {
  session: AwsSession;
  api: CloudFormationApi;
  where: Where;
  skipFirstPreview: boolean;
}

/** Runs one stack deploy under a cancellable progress notification, streaming events to the log. */
async function runStack(ctx: RunContext, request: StackRun): Promise<DeployOutcome | undefined> {
  const { aws, log, session, api, where } = ctx;
  const { stackName, template: loaded, values } = request;
  const engine = new DeployEngine(api, systemClock, { session: session.config });
  const statusItem = vscode.window.createStatusBarItem(
    'workshopPipeline.deployStatus',
    vscode.StatusBarAlignment.Left,
    99,
  );
  statusItem.name = 'Workshop Pipeline Deploy';
  statusItem.command = 'workshopPipeline.showLog';
  log.info(
    `Deploying stack ${stackName} from ${loaded.path} to account ${where.account} in ${where.region} (profile ${where.profile}).`,
  );
  try {
    return await withCancellableProgress(`Workshop Pipeline: ${stackName}`, (progress, signal) => {
      const setStatus = (text: string): void => {
        statusItem.text = `$(sync~spin) ${stackName}: ${text}`;
        statusItem.show();
      };
      const reporter: DeployReporter = {
        phase: (text) => {
          progress(text);
          setStatus(text);
          log.info(text);
        },
        event: (event) => log.info(formatStackEvent(event)),
        status: (status) => {
          progress(status);
          setStatus(status);
          void aws.refresh(); // the Pipeline view shows the stack's state as it changes
        },
        retrying: (message, delay) => {
          progress(`${message} Retrying in ${Math.ceil(delay / 1000)} s.`);
          log.warn(message);
        },
        credentialsExpired: async (message) => {
          const resume = vscode.l10n.t('Resume');
          const choice = await vscode.window.showWarningMessage(
            vscode.l10n.t('{0} The deploy goes on in AWS; sign in again, then resume watching it.', message),
            resume,
            vscode.l10n.t('Stop Watching'),
          );
          return choice === resume;
        },
        confirmChanges: (changes, type) => {
          for (const line of describeChanges(changes)) {
            log.info(`  ${line}`);
          }
          return type === 'CREATE' && ctx.skipFirstPreview
            ? Promise.resolve(true)
            : confirmChanges(stackName, changes, type);
        },
        chooseRecovery,
        executed: () => request.onExecuted?.(),
      };
      return engine.deploy(
        {
          stackName,
          templateBody: loaded.body,
          parameters: values.map((v) => ({ key: v.name, value: v.value, usePrevious: v.usePrevious })),
        },
        reporter,
        signal,
      );
    });
  } catch (error) {
    showAwsError(error, session, log);
    return undefined;
  } finally {
    statusItem.dispose();
    void aws.refresh();
  }
}

interface ReportContext {
  api: CloudFormationApi;
  session: AwsSession;
  log: vscode.LogOutputChannel;
  template: PipelineTemplate;
}

/**
 * Tells the user how it ended. Returns at once: the buttons act later, so an ignored notification
 * never keeps the deploy lane busy.
 */
async function report(outcome: DeployOutcome, stackName: string, ctx: ReportContext): Promise<void> {
  const { api, session, log } = ctx;
  switch (outcome.kind) {
    case 'succeeded': {
      log.info(`Stack ${stackName} ${outcome.stack.status}.`);
      for (const output of outcome.stack.outputs) {
        log.info(`  ${output.key} = ${output.value}`);
      }
      const serviceUrlOutput = ctx.template.serviceStack?.urlOutput;
      if (serviceUrlOutput && outputValue(outcome.stack, serviceUrlOutput) !== undefined) {
        // The service stack on its own: a Deploy that failed for lack of it can run again now.
        const retry = vscode.l10n.t('Retry Failed Stage');
        const showHealth = vscode.l10n.t('Show Service Health');
        void vscode.window
          .showInformationMessage(
            vscode.l10n.t(
              'Service stack {0} is {1}. A pipeline Deploy that failed because the service did not exist can be retried now.',
              stackName,
              outcome.stack.status,
            ),
            retry,
            showHealth,
          )
          .then((choice) => {
            if (choice === retry) {
              void vscode.commands.executeCommand('workshopPipeline.retryStage');
            } else if (choice === showHealth) {
              void vscode.commands.executeCommand('workshopPipeline.health.focus');
            }
          });
        return;
      }
      const pipeline = outputValue(outcome.stack, ctx.template.outputs.pipelineName);
      const openPipeline = vscode.l10n.t('Open Pipeline');
      const commitAndPush = vscode.l10n.t('Commit and Push');
      const actions = [
        openPipeline,
        ...((await vscode.commands.getCommands(true)).includes('workshopPipeline.commitAndPush')
          ? [commitAndPush]
          : []),
      ];
      const message = outcome.created
        ? pipeline
          ? vscode.l10n.t(
              'Workshop Pipeline is deployed: stack {0} is {1}, pipeline {2}.',
              stackName,
              outcome.stack.status,
              pipeline,
            )
          : vscode.l10n.t('Workshop Pipeline is deployed: stack {0} is {1}.', stackName, outcome.stack.status)
        : pipeline
          ? vscode.l10n.t(
              'Workshop Pipeline is updated: stack {0} is {1}, pipeline {2}.',
              stackName,
              outcome.stack.status,
              pipeline,
            )
          : vscode.l10n.t('Workshop Pipeline is updated: stack {0} is {1}.', stackName, outcome.stack.status);
      void vscode.window.showInformationMessage(message, ...actions).then((choice) => {
        if (choice === openPipeline) {
          void vscode.commands.executeCommand('workshopPipeline.stages.focus');
        } else if (choice === commitAndPush) {
          void vscode.commands.executeCommand('workshopPipeline.commitAndPush');
        }
      });
      return;
    }
    case 'upToDate':
      log.info(`Stack ${stackName} is up to date; the empty change set was deleted.`);
      void vscode.window.showInformationMessage(
        vscode.l10n.t(
          'Workshop Pipeline is up to date: stack {0} already matches the template and parameters.',
          stackName,
        ),
      );
      return;
    case 'declined':
      if (outcome.message && /could not be deleted/.test(outcome.message)) {
        log.warn(`Deploy of ${stackName} declined. ${outcome.message}`);
        void vscode.window.showWarningMessage(vscode.l10n.t('Deploy of {0} declined. {1}', stackName, outcome.message));
      } else {
        log.info(`Deploy of ${stackName} declined. ${outcome.message ?? 'Nothing was changed.'}`);
      }
      return;
    case 'cancelled':
      log.info(outcome.message);
      void vscode.window.showInformationMessage(outcome.message);
      return;
    case 'detached': {
      const updating =
        outcome.status?.startsWith('UPDATE_') &&
        outcome.status.endsWith('_IN_PROGRESS') &&
        !outcome.status.includes('ROLLBACK');
      void vscode.window
        .showInformationMessage(
          vscode.l10n.t(
            'Stopped watching stack {0}{1}. The operation goes on in AWS; the Pipeline view keeps showing its state.',
            stackName,
            outcome.status ? ` (${outcome.status})` : '',
          ),
          ...(updating ? ['Cancel Update'] : []),
        )
        .then(async (choice) => {
          if (choice !== 'Cancel Update') {
            return;
          }
          try {
            await api.cancelUpdateStack(stackName);
            log.info(`Requested CancelUpdateStack for ${stackName}.`);
          } catch (error) {
            showAwsError(error, session, log);
          }
        });
      return;
    }
    case 'failed':
      log.error(`Deploy of ${stackName} failed: ${outcome.message}`);
      void showProblem(
        vscode.l10n.t('Deploy of {0} failed. {1}', stackName, outcome.message),
        parseAccessDenied(outcome.rootCause?.reason ?? '') !== undefined,
        [vscode.l10n.t('Show Events')],
      ).then((choice) => {
        if (choice) {
          log.show(true);
        }
      });
      return;
  }
}

/** The template to deploy, or undefined after showing why it cannot be used (and where, when it can say). */
async function loadOrExplain(
  file: string,
  userPath: string | undefined,
  extensionUri: vscode.Uri,
): Promise<LoadedTemplate | undefined> {
  const bundled = vscode.Uri.joinPath(extensionUri, 'media', 'templates', file).fsPath;
  const path = templatePathFor(userPath, vscode.workspace.workspaceFolders?.[0]?.uri.fsPath, bundled);
  try {
    return await loadTemplate(path);
  } catch (error) {
    if (!(error instanceof TemplateLoadError)) {
      throw error;
    }
    const choice = await vscode.window.showErrorMessage(
      vscode.l10n.t('Workshop Pipeline cannot deploy the template. {0}', error.message),
      ...(error.line ? ['Open Template'] : []),
    );
    if (choice) {
      const position = new vscode.Position(Math.max(0, (error.line ?? 1) - 1), Math.max(0, (error.column ?? 1) - 1));
      await vscode.window.showTextDocument(vscode.Uri.file(error.path), {
        selection: new vscode.Range(position, position),
      });
    }
    return undefined;
  }
}

function notConnected(state: ConnectionState): void {
  const message =
    'message' in state
      ? state.message
      : vscode.l10n.t('Workshop Pipeline is still connecting to AWS; try again in a moment.');
  const selectProfile = vscode.l10n.t('Select Profile');
  const selectRegion = vscode.l10n.t('Select Region');
  void vscode.window
    .showErrorMessage(vscode.l10n.t('Cannot deploy: {0}', message), selectProfile, selectRegion)
    .then((choice) => {
      if (choice === selectProfile) {
        void vscode.commands.executeCommand('workshopPipeline.selectProfile');
      } else if (choice === selectRegion) {
        void vscode.commands.executeCommand('workshopPipeline.selectRegion');
      }
    });
}

function showAwsError(error: unknown, session: AwsSession, log: vscode.LogOutputChannel): void {
  // A failure that also left a change set behind says what was left and that the next deploy removes it.
  const message =
    error instanceof ChangeSetLeftError
      ? `${explainAwsError(error.cause, session.config).message} ${error.note}`
      : explainAwsError(error, session.config).message;
  log.error(message);
  const denied = explainAwsError(error instanceof ChangeSetLeftError ? error.cause : error, session.config).kind;
  void showProblem(vscode.l10n.t('Workshop Pipeline deploy failed: {0}', message), denied === 'accessDenied', [
    vscode.l10n.t('Show Output'),
  ]).then((c) => {
    if (c) {
      log.show(true);
    }
  });
}
