// What starts a pipeline besides StartPipelineExecution and its creation, as configured and no
// other way: an EventBridge rule whose target is the pipeline (events/delivery.ts invokes it),
// or a CodeCommit source action that polls (PollForSourceChanges, true when absent for pipelines
// created with the CLI or CloudFormation). V2 pipeline-level triggers apply to
// CodeStarSourceConnection actions only, which the sandbox has no connections for.
import { findRepository, readBranches, repositoryDir } from '../codecommit/repositories';
import type { Sandbox } from '../core/types';
import type { PipelineTargetInvocation } from '../events/bus';
import { startExecution } from './engine';
import { findPipeline, pipelineState, type ActionDeclaration, type PipelineRecord } from './store';

/**
 * How often CodePipeline checks a polling source (simulated ms). AWS does not document the
 * interval; pipelines that poll pick up a commit about a minute after it lands.
 */
export const POLL_INTERVAL_MS = 60_000;

const PIPELINE_ARN = /^arn:aws[\w-]*:codepipeline:([a-z0-9-]+):(\d{12}):(.+)$/;

/** A rule targeting the pipeline matched an event: StartPipelineExecution, trigger CloudWatchEvent. */
export function startFromRule(sandbox: Sandbox, invocation: PipelineTargetInvocation): void {
  const arn = PIPELINE_ARN.exec(invocation.pipelineArn);
  if (!arn) return;
  const [, region, accountId, name] = arn;
  const pipeline = findPipeline(sandbox, accountId, region, name);
  if (!pipeline) return;
  startExecution(sandbox, pipeline, {
    trigger: { triggerType: 'CloudWatchEvent', triggerDetail: invocation.ruleArn },
    ...pushedCommit(pipeline, invocation),
  });
}

/** The commit a CodeCommit push event carries, when it moved the branch the pipeline's source reads. */
function pushedCommit(pipeline: PipelineRecord, { event }: PipelineTargetInvocation): { commitId?: string } {
  const detail = event.detail as { repositoryName?: unknown; referenceName?: unknown; commitId?: unknown };
  if (event.source !== 'aws.codecommit' || typeof detail.commitId !== 'string') return {};
  const watches = codeCommitSources(pipeline).some(
    (a) =>
      a.configuration?.RepositoryName === detail.repositoryName && a.configuration?.BranchName === detail.referenceName,
  );
  return watches ? { commitId: detail.commitId } : {};
}

function codeCommitSources(pipeline: PipelineRecord): ActionDeclaration[] {
  return (pipeline.declaration.stages[0]?.actions ?? []).filter(
    (a) => a.actionTypeId.category === 'Source' && a.actionTypeId.provider === 'CodeCommit',
  );
}

/** PollForSourceChanges: true unless the configuration says false (its default for the CLI and CloudFormation). */
export function polls(action: ActionDeclaration): boolean {
  return String(action.configuration?.PollForSourceChanges ?? 'true').toLowerCase() !== 'false';
}

/** The branch heads polling sources have seen, recorded when the pipeline is created. */
export async function recordSourceRevisions(sandbox: Sandbox, pipeline: PipelineRecord): Promise<void> {
  pipeline.polledRevisions = {};
  for (const action of codeCommitSources(pipeline).filter(polls)) {
    pipeline.polledRevisions[action.name] = (await branchHead(sandbox, pipeline, action)) ?? '';
  }
  sandbox.changed();
}

/** One polling round: every polling source whose branch moved starts its pipeline, trigger PollForSourceChanges. */
export async function pollSources(sandbox: Sandbox): Promise<void> {
  for (const pipeline of Object.values(pipelineState(sandbox).pipelines)) {
    for (const action of codeCommitSources(pipeline).filter(polls)) {
      const head = (await branchHead(sandbox, pipeline, action)) ?? '';
      const seen = (pipeline.polledRevisions ??= {});
      const before = seen[action.name];
      seen[action.name] = head;
      if (before === undefined || before === head || head === '') continue;
      sandbox.changed();
      startExecution(sandbox, pipeline, {
        trigger: { triggerType: 'PollForSourceChanges', triggerDetail: action.name },
        commitId: head,
      });
    }
  }
}

async function branchHead(
  sandbox: Sandbox,
  pipeline: PipelineRecord,
  action: ActionDeclaration,
): Promise<string | undefined> {
  const repo = findRepository(sandbox, pipeline.accountId, pipeline.region, action.configuration?.RepositoryName ?? '');
  if (!repo) return undefined;
  return (await readBranches(repositoryDir(sandbox, repo))).get(action.configuration?.BranchName ?? '');
}

const pollers = new WeakMap<Sandbox, AbortController>();

/** Polls at CodePipeline's cadence (scaled by --speed) until stopPolling. */
export function startPolling(sandbox: Sandbox): void {
  const controller = new AbortController();
  pollers.set(sandbox, controller);
  const loop = async (): Promise<void> => {
    for (;;) {
      await sandbox.clock.sleep(POLL_INTERVAL_MS, controller.signal);
      await pollSources(sandbox).catch((error: unknown) => {
        if (!controller.signal.aborted) console.error('sandbox: CodePipeline source polling failed:', error);
      });
    }
  };
  loop().catch(() => undefined); // ends when aborted
}

export function stopPolling(sandbox: Sandbox): void {
  pollers.get(sandbox)?.abort();
  pollers.delete(sandbox);
}

export const TRIGGER_ERROR =
  'Triggers for connection must reference a CodeStarSourceConnection action. Note that when you specify a trigger, you cant specify more than one trigger per source action.';

/** The declaration's V2 triggers as CodePipeline accepts them, or the message it rejects them with. */
export function triggerError(
  triggers: readonly { providerType?: unknown; gitConfiguration?: { sourceActionName?: unknown } }[],
  stages: PipelineRecord['declaration']['stages'],
): string | undefined {
  const seen = new Set<unknown>();
  for (const trigger of triggers) {
    const name = trigger.gitConfiguration?.sourceActionName;
    const action = stages.flatMap((s) => s.actions).find((a) => a.name === name);
    if (
      trigger.providerType !== 'CodeStarSourceConnection' ||
      action?.actionTypeId.provider !== 'CodeStarSourceConnection' ||
      seen.has(name)
    )
      return TRIGGER_ERROR;
    seen.add(name);
  }
  return undefined;
}
