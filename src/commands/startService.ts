// "Start N Tasks": a service that runs no task gets the count it should run (ECS UpdateService
// with only desiredCount, so the task definition the pipeline deployed stays). Asked from the
// Service Health view, or once from the notification when the first image of a service the
// extension created empty has landed.
import * as vscode from 'vscode';
import type { AwsContext } from '../aws/awsContext';
import { ecsApi } from '../aws/ecs';
import { explainAwsError } from '../aws/errors';
import { showProblem } from '../editor/awsFailure';
import { registerGuardedCommand } from '../editor/guardedCommand';
import type { PipelineController } from '../following/pipelineController';
import type { SingleFlight } from '../shared/singleFlight';

export function registerStartService(
  aws: AwsContext,
  controller: PipelineController,
  log: vscode.LogOutputChannel,
  flight: SingleFlight<void>,
): vscode.Disposable {
  return registerGuardedCommand(
    'workshopPipeline.startService',
    { verb: 'start tasks', flight, busyMessage: 'The service is already being started.' },
    () => startService(aws, controller, log),
  );
}

async function startService(aws: AwsContext, controller: PipelineController, log: vscode.LogOutputChannel) {
  const target = controller.target;
  const health = controller.health;
  const session = aws.awsSession;
  if (!target?.cluster || !target.service || !health || !session) {
    void vscode.window.showInformationMessage(vscode.l10n.t('Workshop Pipeline: no ECS service is followed.'));
    return;
  }
  const { cluster, service } = target;
  const running = health.view.health;
  if (running && running.desired > 0) {
    void vscode.window.showInformationMessage(
      vscode.l10n.t(
        'Workshop Pipeline: {0} already runs {1} task{2}.',
        service,
        running.desired,
        running.desired === 1 ? '' : 's',
      ),
    );
    return;
  }
  let desired = health.view.start?.desired;
  if (desired === undefined) {
    const typed = await vscode.window.showInputBox({
      title: vscode.l10n.t('Workshop Pipeline: tasks to start in {0}', service),
      value: '1',
      validateInput: (v) => (/^([1-9]|10)$/.test(v.trim()) ? undefined : 'A number of tasks from 1 to 10'),
    });
    if (typed === undefined) {
      return;
    }
    desired = Number(typed.trim());
  }
  try {
    await ecsApi(session).setDesiredCount(cluster, service, desired);
  } catch (error) {
    const problem = explainAwsError(error, session.config);
    log.error(`Could not start ${desired} tasks of ${service}: ${problem.message}`);
    void showProblem(
      vscode.l10n.t(
        'Workshop Pipeline could not start the tasks of {0}: {1}{2}',
        service,
        problem.message,
        problem.kind === 'accessDenied' && !problem.denied
          ? vscode.l10n.t(' Starting tasks needs ecs:UpdateService on the service.')
          : '',
      ),
      problem.kind === 'accessDenied',
    );
    return;
  }
  health.forgetStartIntent();
  log.info(`Set the desired count of ${cluster}/${service} to ${desired}.`);
  void vscode.window.showInformationMessage(
    vscode.l10n.t(
      "Starting {0} task{1} of {2}. Service Health shows them as they pass the load balancer's health checks.",
      desired,
      desired === 1 ? '' : 's',
      service,
    ),
  );
  await controller.refresh();
}
