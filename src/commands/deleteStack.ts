// "AWS: Delete Workshop Pipeline": a modal confirmation naming what goes and where, emptying the
// artifact bucket (every version) so CloudFormation can delete it, then the same event streaming as deploy.
import * as vscode from 'vscode';
import type { AwsContext } from '../aws/awsContext';
import { cloudFormationApi } from '../aws/cloudformation';
import { explainAwsError } from '../aws/errors';
import { emptyBucket } from '../aws/s3';
import { artifactBucketOf } from '../deploy/bucketEmptying';
import { systemClock } from '../deploy/clock';
import type { SingleFlight } from '../shared/singleFlight';
import { DeployEngine } from '../deploy/deployEngine';
import { formatStackEvent } from '../deploy/eventFormat';

export function registerDeleteStack(
  aws: AwsContext,
  log: vscode.LogOutputChannel,
  flight: SingleFlight<void>,
): vscode.Disposable {
  return vscode.commands.registerCommand('workshopPipeline.deleteStack', async () => {
    if (!vscode.workspace.isTrusted) {
      void vscode.window.showWarningMessage('Workshop Pipeline does not delete stacks from an untrusted workspace.');
      return;
    }
    const { result, attached } = flight.run(() => deleteStack(aws, log));
    if (attached) {
      void vscode.window.showInformationMessage('A deploy or delete is already running; wait for it to finish.');
    }
    await result;
  });
}

async function deleteStack(aws: AwsContext, log: vscode.LogOutputChannel): Promise<void> {
  const state = await aws.refresh();
  const session = aws.awsSession;
  if (state.kind === 'noPipeline') {
    void vscode.window.showInformationMessage(
      `There is no stack ${state.stackName} in account ${state.where.account} (${state.where.region}); nothing to delete.`,
    );
    return;
  }
  if (state.kind !== 'ready' || !session) {
    void vscode.window.showErrorMessage(
      `Cannot delete: ${'message' in state ? state.message : 'not connected to AWS yet.'}`,
    );
    return;
  }
  const api = cloudFormationApi(session);
  try {
    const stack = await api.describeStack(state.stack.id);
    if (!stack || stack.status === 'DELETE_COMPLETE') {
      return;
    }
    const choice = await vscode.window.showWarningMessage(
      `Delete stack ${stack.name} in account ${state.where.account} (${state.where.region})?`,
      {
        modal: true,
        detail: `This deletes the pipeline, its build projects, roles and rules (profile ${state.where.profile}).${bucketDetail(artifactBucketOf(stack))} Resources the template keeps on delete, such as the source repository, stay in the account.`,
      },
      'Delete Stack',
    );
    if (!choice) {
      return;
    }
    log.info(`Deleting stack ${stack.name} (${stack.id}).`);
    const engine = new DeployEngine(api, systemClock, { session: session.config });
    const outcome = await vscode.window.withProgress(
      {
        location: vscode.ProgressLocation.Notification,
        title: `Workshop Pipeline: deleting ${stack.name}`,
        cancellable: true,
      },
      async (progress, token) => {
        const controller = new AbortController();
        const cancellation = token.onCancellationRequested(() => controller.abort());
        try {
          const bucket = artifactBucketOf(stack);
          if (bucket) {
            progress.report({ message: `Emptying artifact bucket ${bucket}` });
            log.info(`Emptying artifact bucket ${bucket} (every object version and delete marker).`);
            const emptied = await emptyBucket(
              session,
              bucket,
              ({ deleted }) =>
                progress.report({ message: `Emptying artifact bucket ${bucket}: ${deleted} versions deleted` }),
              controller.signal,
            );
            log.info(
              emptied.missing
                ? `Artifact bucket ${bucket} does not exist; nothing to empty.`
                : `Emptied artifact bucket ${bucket}: ${emptied.deleted} versions deleted.`,
            );
          }
          return await engine.deleteAndWait(
            stack,
            {
              phase: (text) => progress.report({ message: text }),
              event: (event) => log.info(formatStackEvent(event)),
              status: (status) => {
                progress.report({ message: status });
                void aws.refresh();
              },
              retrying: (message) => log.warn(message),
            },
            controller.signal,
          );
        } finally {
          cancellation.dispose();
        }
      },
    );
    if (outcome.kind === 'succeeded') {
      void vscode.window.showInformationMessage(`Stack ${stack.name} is deleted.`);
    } else if (outcome.kind === 'failed') {
      log.error(`Delete of ${stack.name} failed: ${outcome.message}`);
      void vscode.window
        .showErrorMessage(`Delete of ${stack.name} failed. ${outcome.message}`, 'Show Events')
        .then((c) => c && log.show(true));
    } else if (outcome.kind === 'detached') {
      void vscode.window.showInformationMessage(`Stopped watching the delete of ${stack.name}; it goes on in AWS.`);
    }
  } catch (error) {
    if (error instanceof Error && error.name === 'AbortError') {
      void vscode.window.showInformationMessage('Delete cancelled before the stack was deleted.');
      return;
    }
    const problem = explainAwsError(error, session.config);
    log.error(problem.message);
    void vscode.window.showErrorMessage(`Delete failed: ${problem.message}`);
  } finally {
    void aws.refresh();
  }
}

function bucketDetail(bucket: string | undefined): string {
  return bucket
    ? ` It first empties the artifact bucket ${bucket} — every object version and delete marker — so the bucket can be deleted with the stack.`
    : '';
}
