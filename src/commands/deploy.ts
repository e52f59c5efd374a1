// "AWS: Deploy Workshop Pipeline": the thin editor side of src/deploy. It gathers the target and
// parameters, runs the engine under a cancellable progress notification, streams every stack
// event to the output channel, and turns the outcome into a message with next steps.
import * as vscode from 'vscode';
import type { AwsContext, ConnectionState, Where } from '../aws/awsContext';
import { cloudFormationApi } from '../aws/cloudformation';
import { getRepository } from '../aws/codecommit';
import type { AwsSession } from '../aws/awsSession';
import { ecrImageExists, ecrRepositoryExists } from '../aws/ecr';
import { ecsServiceActive } from '../aws/ecs';
import { explainAwsError } from '../aws/errors';
import { systemClock } from '../deploy/clock';
import type { SingleFlight } from '../shared/singleFlight';
import { DeployEngine, type DeployOutcome, type DeployReporter } from '../deploy/deployEngine';
import { describeChanges, formatStackEvent } from '../deploy/eventFormat';
import {
  parameterProblems,
  resolveParameterValues,
  unknownParameterNames,
  type ParameterValue,
} from '../deploy/parameterValues';
import type { CfnApi } from '../deploy/cfnApi';
import { serviceStackName, serviceStackSettings, withServiceOutputs } from '../deploy/serviceStack';
import { applyRepositoryDefaults } from '../deploy/repositoryDefaults';
import { stackSituation } from '../deploy/stackStatus';
import { loadTemplate, TemplateLoadError, templatePathFor, type LoadedTemplate } from '../deploy/templateSource';
import { askParameters, chooseRecovery, confirmChanges, confirmTarget } from './deployPrompts';

export interface DeployDeps {
  aws: AwsContext;
  log: vscode.LogOutputChannel;
  extensionUri: vscode.Uri;
  flight: SingleFlight<void>;
}

export function registerDeploy(deps: DeployDeps): vscode.Disposable {
  return vscode.commands.registerCommand('workshopPipeline.deploy', async () => {
    if (!vscode.workspace.isTrusted) {
      void vscode.window
        .showWarningMessage(
          'Workshop Pipeline does not deploy from an untrusted workspace. Trust this workspace to deploy.',
          'Manage Workspace Trust',
        )
        .then((c) => {
          if (c) {
            void vscode.commands.executeCommand('workbench.trust.manage');
          }
        });
      return;
    }
    const { result, attached } = deps.flight.run(() => deploy(deps));
    if (attached) {
      void vscode.window
        .showInformationMessage(
          'A deploy is already running; its progress is in the notification and the Workshop Pipeline output.',
          'Show Output',
        )
        .then((c) => {
          if (c) {
            deps.log.show(true);
          }
        });
    }
    await result;
  });
}

async function deploy({ aws, log, extensionUri }: DeployDeps): Promise<void> {
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

  const loaded = await loadOrExplain(settings.templatePath, extensionUri);
  if (!loaded) {
    return;
  }
  const unknown = unknownParameterNames(loaded.specs, settings.parameters);
  if (unknown.length > 0) {
    log.warn(
      `workshopPipeline.parameters names parameters the template does not have: ${unknown.join(', ')}. They are ignored.`,
    );
  }

  let stackName = settings.stackName;
  let values: ParameterValue[];
  let serviceChoice: 'first' | 'skip' | 'exists' | undefined;
  try {
    const stack = await api.describeStack(stackName);
    const updatable = stackSituation(stack?.status).kind === 'updatable';
    // A stack that will be recreated has no values to keep (UsePreviousValue would be refused).
    values = resolveParameterValues(loaded.specs, settings.parameters, updatable ? stack?.parameters : undefined);
    if (!updatable) {
      values = await applyRepositoryDefaults(values, (parameter, name) =>
        parameter === 'CreateCodeCommitRepository'
          ? getRepository(session, name).then((r) => r !== undefined)
          : ecrRepositoryExists(session, name),
      );
    }
    serviceChoice = await targetService(session, values, stackName, state.where);
    if (serviceChoice === undefined) {
      return;
    }
    const problems = parameterProblems(loaded.specs, values);
    const choice =
      problems.length > 0
        ? await askToFix(problems)
        : await confirmTarget(state.where, stackName, updatable, values, loaded.specs);
    if (choice === undefined) {
      return;
    }
    if (choice === 'options') {
      const asked = await askParameters(stackName, loaded.specs, values);
      if (!asked) {
        return;
      }
      ({ stackName, values } = asked);
    }
  } catch (error) {
    showAwsError(error, session.config, log);
    return;
  }

  const run = (name: string, template: LoadedTemplate, parameterValues: ParameterValue[]) =>
    runEngine(
      { aws, log, session, api, skipFirstPreview: !settings.confirmFirstDeploy },
      name,
      template,
      parameterValues,
      state.where,
    );

  if (serviceChoice === 'exists') {
    await offerToScaleServiceStack(api, session, stackName, values, extensionUri, run, log);
  }

  if (serviceChoice === 'first') {
    const service = await loadOrExplain(undefined, extensionUri, 'service.yaml');
    if (!service) {
      return;
    }
    const repository = values.find((v) => v.name === 'EcrRepositoryName')?.value ?? '';
    const imageExists =
      repository !== '' &&
      (await ecrImageExists(session, repository, 'latest').catch((error: unknown) => {
        log.warn(`Could not check ${repository} for an image: ${explainAwsError(error, session.config).message}`);
        return false;
      }));
    const serviceValues = resolveParameterValues(service.specs, serviceStackSettings(values, imageExists), undefined);
    const serviceOutcome = await run(serviceStackName(stackName), service, serviceValues);
    if (serviceOutcome?.kind !== 'succeeded' && serviceOutcome?.kind !== 'upToDate') {
      if (serviceOutcome) {
        await report(serviceOutcome, serviceStackName(stackName), api, session, log);
      }
      return;
    }
    values = withServiceOutputs(values, serviceOutcome.stack.outputs);
    if (!imageExists) {
      log.info(
        `The service stack starts ${serviceStackName(stackName)} with 0 tasks because ${repository} has no image yet; set DesiredCount after the pipeline's first run pushes one.`,
      );
    }
  }

  const outcome = await run(stackName, loaded, values);
  if (outcome) {
    await report(outcome, stackName, api, session, log);
  }
}

interface RunContext {
  aws: AwsContext;
  log: vscode.LogOutputChannel;
  session: AwsSession;
  api: CfnApi;
  skipFirstPreview: boolean;
}

/** Runs one stack deploy under a cancellable progress notification, streaming events to the log. */
async function runEngine(
  ctx: RunContext,
  stackName: string,
  loaded: LoadedTemplate,
  values: ParameterValue[],
  where: Where,
): Promise<DeployOutcome | undefined> {
  const { aws, log, session, api } = ctx;
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
    return await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Workshop Pipeline: ${stackName}`, cancellable: true },
      async (progress, token) => {
        const controller = new AbortController();
        const cancellation = token.onCancellationRequested(() => controller.abort());
        const setStatus = (text: string): void => {
          statusItem.text = `$(sync~spin) ${stackName}: ${text}`;
          statusItem.show();
        };
        const reporter: DeployReporter = {
          phase: (text) => {
            progress.report({ message: text });
            setStatus(text);
            log.info(text);
          },
          event: (event) => log.info(formatStackEvent(event)),
          status: (status) => {
            progress.report({ message: status });
            setStatus(status);
            void aws.refresh(); // the Pipeline view shows the stack's state as it changes
          },
          retrying: (message, delay) => {
            progress.report({ message: `${message} Retrying in ${Math.ceil(delay / 1000)} s.` });
            log.warn(message);
          },
          credentialsExpired: async (message) => {
            const choice = await vscode.window.showWarningMessage(
              `${message} The deploy goes on in AWS; sign in again, then resume watching it.`,
              'Resume',
              'Stop Watching',
            );
            return choice === 'Resume';
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
        };
        try {
          return await engine.deploy(
            {
              stackName,
              templateBody: loaded.body,
              parameters: values.map((v) => ({ key: v.name, value: v.value, usePrevious: v.usePrevious })),
            },
            reporter,
            controller.signal,
          );
        } finally {
          cancellation.dispose();
        }
      },
    );
  } catch (error) {
    showAwsError(error, session.config, log);
    return undefined;
  } finally {
    statusItem.dispose();
    void aws.refresh();
  }
}

/**
 * Tells the user how it ended. Returns at once: the buttons act later, so an ignored notification
 * never keeps the deploy lane busy.
 */
async function report(
  outcome: DeployOutcome,
  stackName: string,
  api: CfnApi,
  session: AwsSession,
  log: vscode.LogOutputChannel,
): Promise<void> {
  switch (outcome.kind) {
    case 'succeeded': {
      log.info(`Stack ${stackName} ${outcome.stack.status}.`);
      for (const output of outcome.stack.outputs) {
        log.info(`  ${output.key} = ${output.value}`);
      }
      const pipeline = outcome.stack.outputs.find((o) => o.key === 'PipelineName')?.value;
      const actions = [
        'Open Pipeline',
        ...((await vscode.commands.getCommands(true)).includes('workshopPipeline.commitAndPush')
          ? ['Commit and Push']
          : []),
      ];
      void vscode.window
        .showInformationMessage(
          `Workshop Pipeline is ${outcome.created ? 'deployed' : 'updated'}: stack ${stackName} is ${outcome.stack.status}${pipeline ? `, pipeline ${pipeline}` : ''}.`,
          ...actions,
        )
        .then((choice) => {
          if (choice === 'Open Pipeline') {
            void vscode.commands.executeCommand('workshopPipeline.stages.focus');
          } else if (choice === 'Commit and Push') {
            void vscode.commands.executeCommand('workshopPipeline.commitAndPush');
          }
        });
      return;
    }
    case 'upToDate':
      log.info(`Stack ${stackName} is up to date; the empty change set was deleted.`);
      void vscode.window.showInformationMessage(
        `Workshop Pipeline is up to date: stack ${stackName} already matches the template and parameters.`,
      );
      return;
    case 'declined':
      log.info('Deploy cancelled before any change; the change set was deleted.');
      return;
    case 'detached': {
      const updating =
        outcome.status?.startsWith('UPDATE_') &&
        outcome.status.endsWith('_IN_PROGRESS') &&
        !outcome.status.includes('ROLLBACK');
      void vscode.window
        .showInformationMessage(
          `Stopped watching stack ${stackName}${outcome.status ? ` (${outcome.status})` : ''}. The operation goes on in AWS; the Pipeline view keeps showing its state.`,
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
            showAwsError(error, session.config, log);
          }
        });
      return;
    }
    case 'failed':
      log.error(`Deploy of ${stackName} failed: ${outcome.message}`);
      void vscode.window
        .showErrorMessage(`Deploy of ${stackName} failed. ${outcome.message}`, 'Show Events')
        .then((choice) => {
          if (choice) {
            log.show(true);
          }
        });
      return;
  }
}

/**
 * The ECS service the pipeline deploys to must exist. If it does not, offer the bundled service
 * stack first; undefined means the user cancelled.
 */
async function targetService(
  session: AwsSession,
  values: ParameterValue[],
  stackName: string,
  where: Where,
): Promise<'first' | 'skip' | 'exists' | undefined> {
  const cluster = values.find((v) => v.name === 'ClusterName')?.value;
  const service = values.find((v) => v.name === 'ServiceName')?.value;
  if (!cluster || !service || (await ecsServiceActive(session, cluster, service))) {
    return 'exists';
  }
  const choice = await vscode.window.showWarningMessage(
    `The ECS service ${service} in cluster ${cluster} does not exist in ${where.account} (${where.region}).`,
    {
      modal: true,
      detail: `The pipeline's Deploy stage updates that service. Deploy the bundled service stack first, as stack ${serviceStackName(stackName)}: a VPC, an internet-facing load balancer that checks the health path, the cluster and the service. The pipeline then targets what it creates.`,
    },
    'Deploy Service Stack First',
    'Deploy Pipeline Only',
  );
  return choice === 'Deploy Service Stack First' ? 'first' : choice === 'Deploy Pipeline Only' ? 'skip' : undefined;
}

/**
 * A service stack created before any image existed runs no tasks (see serviceStackSettings). Once
 * the pipeline has pushed an image, offer to give it its template's task count.
 */
async function offerToScaleServiceStack(
  api: CfnApi,
  session: AwsSession,
  stackName: string,
  values: ParameterValue[],
  extensionUri: vscode.Uri,
  run: (name: string, template: LoadedTemplate, values: ParameterValue[]) => Promise<DeployOutcome | undefined>,
  log: vscode.LogOutputChannel,
): Promise<void> {
  const name = serviceStackName(stackName);
  const stack = await api.describeStack(name).catch(() => undefined);
  const repository = values.find((v) => v.name === 'EcrRepositoryName')?.value;
  if (stack?.status !== 'CREATE_COMPLETE' && stack?.status !== 'UPDATE_COMPLETE') {
    return;
  }
  if (
    stack.parameters.get('DesiredCount') !== '0' ||
    !repository ||
    !(await ecrImageExists(session, repository, 'latest').catch(() => false))
  ) {
    return;
  }
  const service = await loadOrExplain(undefined, extensionUri, 'service.yaml');
  const desired = service?.specs.find((s) => s.name === 'DesiredCount')?.default;
  if (!service || !desired || desired === '0') {
    return;
  }
  const choice = await vscode.window.showInformationMessage(
    `Stack ${name} runs no tasks: it was created before ${repository} had an image.`,
    {
      modal: true,
      detail: `Now that the pipeline has pushed an image, scale the service to ${desired} tasks before deploying the pipeline?`,
    },
    'Scale Service',
  );
  if (choice !== 'Scale Service') {
    return;
  }
  const scaled = service.specs.map((spec): ParameterValue =>
    spec.name === 'DesiredCount'
      ? { name: spec.name, value: desired, usePrevious: false, source: 'user' }
      : { name: spec.name, value: undefined, usePrevious: true, source: 'stack' },
  );
  const outcome = await run(name, service, scaled);
  if (outcome) {
    log.info(`Scaling ${name}: ${outcome.kind}.`);
  }
}

async function loadOrExplain(
  templatePath: string | undefined,
  extensionUri: vscode.Uri,
  bundledName = 'pipeline.yaml',
): Promise<LoadedTemplate | undefined> {
  const bundled = vscode.Uri.joinPath(extensionUri, 'media', 'templates', bundledName).fsPath;
  const path = templatePathFor(templatePath, vscode.workspace.workspaceFolders?.[0]?.uri.fsPath, bundled);
  try {
    return await loadTemplate(path);
  } catch (error) {
    if (!(error instanceof TemplateLoadError)) {
      throw error;
    }
    const choice = await vscode.window.showErrorMessage(
      `Workshop Pipeline cannot deploy the template. ${error.message}`,
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

async function askToFix(problems: string[]): Promise<'options' | undefined> {
  const choice = await vscode.window.showErrorMessage(
    'Some parameter values would be refused by CloudFormation.',
    { modal: true, detail: `${problems.join('\n')}\n\nFix them in workshopPipeline.parameters, or enter them now.` },
    'Deploy with options…',
  );
  return choice ? 'options' : undefined;
}

function notConnected(state: ConnectionState): void {
  const message =
    'message' in state ? state.message : 'Workshop Pipeline is still connecting to AWS; try again in a moment.';
  void vscode.window.showErrorMessage(`Cannot deploy: ${message}`, 'Select Profile', 'Select Region').then((choice) => {
    if (choice === 'Select Profile') {
      void vscode.commands.executeCommand('workshopPipeline.selectProfile');
    } else if (choice === 'Select Region') {
      void vscode.commands.executeCommand('workshopPipeline.selectRegion');
    }
  });
}

function showAwsError(
  error: unknown,
  session: Parameters<typeof explainAwsError>[1],
  log: vscode.LogOutputChannel,
): void {
  const problem = explainAwsError(error, session);
  log.error(problem.message);
  void vscode.window
    .showErrorMessage(`Workshop Pipeline deploy failed: ${problem.message}`, 'Show Output')
    .then((c) => {
      if (c) {
        log.show(true);
      }
    });
}
