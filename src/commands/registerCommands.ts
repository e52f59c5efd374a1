// Every command of the extension, one file each, registered in one place with what it needs.
import type * as vscode from 'vscode';
import type { AwsContext } from '../aws/awsContext';
import type { GitCredentialWiring } from '../editor/gitCredentialWiring';
import type { PipelineController } from '../following/pipelineController';
import { SingleFlight } from '../shared/singleFlight';
import type { StartIntentStore } from '../health/startIntent';
import type { PipelineTemplate } from '../workshop/pipelineTemplate';
import { registerApprove } from './approve';
import { registerCommitAndPush } from './commitAndPush';
import { registerDeleteStack } from './deleteStack';
import { registerDeploy, registerDeployServiceStack } from './deploy';
import { registerOpenInBrowser } from './openInBrowser';
import { registerStartService } from './startService';
import { registerOpenInConsole } from './openInConsole';
import { registerOpenPermissions } from './openPermissions';
import { registerRefresh } from './refresh';
import { registerReject } from './reject';
import { registerRetryStage } from './retryStage';
import { registerSelectPipeline } from './selectPipeline';
import { registerSelectProfile } from './selectProfile';
import { registerSelectRegion } from './selectRegion';
import type { FindingsPresenter } from '../views/findingsPresenter';
import { registerShowBuildLogs } from './showBuildLogs';
import { registerOpenFinding, registerShowFindings } from './showFindings';
import { registerShowLog } from './showLog';
import { registerSignIn } from './signIn';
import { registerStartExecution } from './startExecution';
import { registerStopExecution } from './stopExecution';

export interface CommandDeps {
  readonly aws: AwsContext;
  readonly log: vscode.LogOutputChannel;
  readonly controller: PipelineController;
  readonly template: PipelineTemplate;
  readonly extensionUri: vscode.Uri;
  readonly gitCredentials: GitCredentialWiring;
  readonly startIntents?: StartIntentStore;
  readonly findings: FindingsPresenter;
}

export function registerCommands({
  aws,
  log,
  controller,
  template,
  extensionUri,
  gitCredentials,
  startIntents,
  findings,
}: CommandDeps): vscode.Disposable[] {
  // Deploys and deletes share one lane: never two operations on the stack at once.
  const stackOperations = new SingleFlight<void>();
  const serviceScaling = new SingleFlight<void>();
  return [
    registerRefresh(aws, controller),
    registerSelectProfile(aws, log),
    registerSignIn(aws, log),
    registerSelectRegion(aws),
    registerShowLog(log),
    registerOpenPermissions(extensionUri),
    registerDeploy({ aws, log, extensionUri, flight: stackOperations, template, startIntents }),
    registerDeployServiceStack({ aws, log, extensionUri, flight: stackOperations, template, startIntents }),
    registerStartService(aws, controller, log, serviceScaling),
    registerOpenInBrowser(controller, aws),
    registerDeleteStack({ aws, log, flight: stackOperations, template }),
    registerCommitAndPush({
      aws,
      log,
      wiring: gitCredentials,
      template,
      onPushed: (commitId) => controller.follow({ commitId, pushedAt: Date.now() }),
    }),
    registerStartExecution(controller),
    registerRetryStage(controller),
    registerStopExecution(controller),
    registerShowBuildLogs(controller),
    registerOpenInConsole(controller),
    registerApprove(controller),
    registerReject(controller),
    registerSelectPipeline(controller),
    registerShowFindings(controller, findings),
    registerOpenFinding(findings),
  ];
}
