// "Workshop Pipeline: Delete Workshop Pipeline": a modal confirmation naming what goes and where, emptying the
// artifact bucket (every version) so CloudFormation can delete it, then the same event streaming as deploy.
import * as vscode from 'vscode';
import type { AwsContext } from '../aws/awsContext';
import { cloudFormationApi } from '../aws/cloudformation';
import { explainAwsError } from '../aws/errors';
import { s3Api } from '../aws/s3';
import { isAbort, systemClock } from '../deploy/clock';
import { DeployEngine } from '../deploy/deployEngine';
import { formatStackEvent } from '../deploy/eventFormat';
import { registerGuardedCommand } from '../editor/guardedCommand';
import { withCancellableProgress } from '../editor/progress';
import type { SingleFlight } from '../shared/singleFlight';
import { outputValue, type PipelineTemplate } from '../workshop/pipelineTemplate';

export interface DeleteStackDeps {
  aws: AwsContext;
  log: vscode.LogOutputChannel;
  flight: SingleFlight<void>;
  template: PipelineTemplate;
}

export function registerDeleteStack(deps: DeleteStackDeps): vscode.Disposable {
  return registerGuardedCommand(
    'workshopPipeline.deleteStack',
    {
      verb: 'delete stacks',
      flight: deps.flight,
      busyMessage: 'A deploy or delete is already running; wait for it to finish.',
    },
    () => deleteStack(deps),
  );
}

async function deleteStack({ aws, log, template }: DeleteStackDeps): Promise<void> {
  const state = await aws.refresh();
  const session = aws.awsSession;
  if (state.kind === 'noPipeline') {
    void vscode.window.showInformationMessage(
      vscode.l10n.t(
        'There is no stack {0} in account {1} ({2}); nothing to delete.',
        state.stackName,
        state.where.account,
        state.where.region,
      ),
    );
    return;
  }
  if (state.kind !== 'ready' || !session) {
    void vscode.window.showErrorMessage(
      vscode.l10n.t('Cannot delete: {0}', 'message' in state ? state.message : 'not connected to AWS yet.'),
    );
    return;
  }
  const api = cloudFormationApi(session);
  let emptied = 0;
  try {
    const stack = await api.describeStack(state.stack.id);
    if (!stack || stack.status === 'DELETE_COMPLETE') {
      return;
    }
    const bucket = outputValue(stack, template.outputs.artifactBucket);
    const choice = await vscode.window.showWarningMessage(
      vscode.l10n.t('Delete stack {0} in account {1} ({2})?', stack.name, state.where.account, state.where.region),
      {
        modal: true,
        detail: vscode.l10n.t(
          'This deletes the pipeline, its build projects, roles and rules (profile {0}).{1} Resources the template keeps on delete, such as the source repository, stay in the account.',
          state.where.profile,
          bucketDetail(bucket),
        ),
      },
      vscode.l10n.t('Delete Stack'),
    );
    if (!choice) {
      return;
    }
    log.info(`Deleting stack ${stack.name} (${stack.id}).`);
    const engine = new DeployEngine(api, systemClock, { session: session.config });
    const outcome = await withCancellableProgress(
      `Workshop Pipeline: deleting ${stack.name}`,
      async (progress, signal) => {
        if (bucket) {
          progress(`Emptying artifact bucket ${bucket}`);
          log.info(`Emptying artifact bucket ${bucket} (every object version and delete marker).`);
          const result = await s3Api(session).emptyBucket(
            bucket,
            ({ deleted }) => {
              emptied = deleted;
              progress(`Emptying artifact bucket ${bucket}: ${deleted} versions deleted`);
            },
            signal,
          );
          log.info(
            result.missing
              ? `Artifact bucket ${bucket} does not exist; nothing to empty.`
              : `Emptied artifact bucket ${bucket}: ${result.deleted} versions deleted.`,
          );
        }
        return engine.deleteAndWait(
          stack,
          {
            phase: (text) => progress(text),
            event: (event) => log.info(formatStackEvent(event)),
            status: (status) => {
              progress(status);
              void aws.refresh();
            },
            retrying: (message) => log.warn(message),
          },
          signal,
        );
      },
    );
    if (outcome.kind === 'succeeded') {
      void vscode.window.showInformationMessage(vscode.l10n.t('Stack {0} is deleted.', stack.name));
    } else if (outcome.kind === 'failed') {
      log.error(`Delete of ${stack.name} failed: ${outcome.message}`);
      void vscode.window
        .showErrorMessage(
          vscode.l10n.t('Delete of {0} failed. {1}', stack.name, outcome.message),
          vscode.l10n.t('Show Events'),
        )
        .then((c) => c && log.show(true));
    } else if (outcome.kind === 'detached') {
      void vscode.window.showInformationMessage(
        vscode.l10n.t('Stopped watching the delete of {0}; it goes on in AWS.', stack.name),
      );
    }
  } catch (error) {
    if (isAbort(error)) {
      const message = `Delete cancelled: stack ${state.stack.name} was not deleted${emptied > 0 ? ` (${emptied} object versions of its artifact bucket were already deleted)` : ''}.`;
      log.info(message);
      void vscode.window.showInformationMessage(message);
      return;
    }
    const problem = explainAwsError(error, session.config);
    log.error(problem.message);
    void vscode.window.showErrorMessage(vscode.l10n.t('Delete failed: {0}', problem.message));
  } finally {
    void aws.refresh();
  }
}

function bucketDetail(bucket: string | undefined): string {
  return bucket
    ? ` It first empties the artifact bucket ${bucket} — every object version and delete marker — so the bucket can be deleted with the stack.`
    : '';
}
