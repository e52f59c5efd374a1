// CodePipeline API shapes (GetPipelineState, executions, action executions) from the stored records.
import type { Sandbox } from '../core/types';
import { commitUrl } from './actions';
import { executionsOf, pipelineArn, type ActionRun, type Execution, type PipelineRecord } from './store';

export function pipelineMetadata(p: PipelineRecord): Record<string, unknown> {
  return { pipelineArn: pipelineArn(p), created: new Date(p.created), updated: new Date(p.updated) };
}

export function pipelineState(sandbox: Sandbox, p: PipelineRecord): Record<string, unknown> {
  const executions = executionsOf(sandbox, p);
  return {
    pipelineName: p.declaration.name,
    pipelineVersion: p.declaration.version,
    created: new Date(p.created),
    updated: new Date(p.updated),
    stageStates: p.declaration.stages.map((stage) => {
      const latestId = p.stageLatest[stage.name];
      const latest = executions.find((e) => e.pipelineExecutionId === latestId);
      const stageRun = latest?.stages[stage.name];
      const disabled = p.disabledTransitions[stage.name];
      // Executions waiting to enter this stage (QUEUED/SUPERSEDED): those whose next stage it is.
      const inbound = executions.filter(
        (e) =>
          (e.status === 'InProgress' || e.status === 'Stopping') &&
          !e.stages[stage.name] &&
          isNextStage(p, e, stage.name),
      );
      return {
        stageName: stage.name,
        ...(inbound.length > 0
          ? { inboundExecution: summary(inbound[inbound.length - 1]), inboundExecutions: inbound.map(summary) }
          : {}),
        inboundTransitionState: disabled
          ? {
              enabled: false,
              lastChangedBy: disabled.lastChangedBy,
              lastChangedAt: new Date(disabled.lastChangedAt),
              disabledReason: disabled.disabledReason,
            }
          : { enabled: true },
        actionStates: stage.actions.map((action) => {
          const run = stageRun?.actions[action.name];
          const config = action.configuration ?? {};
          const isSource = action.actionTypeId.category === 'Source' && action.actionTypeId.provider === 'CodeCommit';
          return {
            actionName: action.name,
            ...(run?.revisionId
              ? {
                  // ActionRevision requires all three; CodeCommit's change id is the commit itself.
                  currentRevision: {
                    revisionId: run.revisionId,
                    revisionChangeId: run.revisionId,
                    created: new Date(run.startTime),
                  },
                }
              : {}),
            ...(run ? { latestExecution: actionExecution(run) } : {}),
            entityUrl: entityUrl(p, action.actionTypeId.provider, config),
            ...(isSource && run?.revisionId
              ? { revisionUrl: commitUrl(p.region, config.RepositoryName ?? '', run.revisionId) }
              : {}),
          };
        }),
        ...(latest && stageRun
          ? {
              latestExecution: {
                pipelineExecutionId: latest.pipelineExecutionId,
                status: stageRun.status,
                type: 'STANDARD',
              },
            }
          : {}),
      };
    }),
  };
}

function isNextStage(p: PipelineRecord, e: Execution, stageName: string): boolean {
  const index = p.declaration.stages.findIndex((s) => s.name === stageName);
  if (index === 0) return Object.keys(e.stages).length === 0;
  const before = p.declaration.stages[index - 1];
  return e.stages[before.name]?.status === 'Succeeded';
}

function summary(e: Execution): Record<string, unknown> {
  return { pipelineExecutionId: e.pipelineExecutionId, status: e.status, statusSummary: e.statusSummary };
}

function actionExecution(run: ActionRun): Record<string, unknown> {
  return {
    actionExecutionId: run.actionExecutionId,
    status: run.status,
    summary: run.summary,
    lastStatusChange: new Date(run.lastUpdateTime),
    token: run.status === 'InProgress' ? run.token : undefined,
    externalExecutionId: run.externalExecutionId,
    externalExecutionUrl: run.externalExecutionUrl,
    errorDetails: run.errorDetails,
  };
}

function entityUrl(p: PipelineRecord, provider: string, config: Record<string, string>): string | undefined {
  const r = p.region;
  switch (provider) {
    case 'CodeCommit':
      return `https://${r}.console.aws.amazon.com/codesuite/codecommit/repositories/${config.RepositoryName}/browse/refs/heads/${config.BranchName}?region=${r}`;
    case 'CodeBuild':
      return `https://${r}.console.aws.amazon.com/codesuite/codebuild/projects/${config.ProjectName}/history?region=${r}`;
    case 'ECS':
      return `https://${r}.console.aws.amazon.com/ecs/home?region=${r}#/clusters/${config.ClusterName}/services/${config.ServiceName}/details`;
    default:
      return undefined;
  }
}

export function executionSummary(e: Execution): Record<string, unknown> {
  return {
    pipelineExecutionId: e.pipelineExecutionId,
    status: e.status,
    statusSummary: e.statusSummary,
    startTime: new Date(e.startTime),
    lastUpdateTime: new Date(e.lastUpdateTime),
    sourceRevisions: e.sourceRevisions,
    trigger: e.trigger,
    ...(e.stopTrigger ? { stopTrigger: e.stopTrigger } : {}),
    executionMode: e.executionMode,
    executionType: 'STANDARD',
  };
}

export function executionDetail(e: Execution): Record<string, unknown> {
  return {
    pipelineName: e.pipelineName,
    pipelineVersion: e.pipelineVersion,
    pipelineExecutionId: e.pipelineExecutionId,
    status: e.status,
    statusSummary: e.statusSummary,
    artifactRevisions: e.sourceRevisions.map((r) => ({
      name: Object.entries(e.artifacts).find(([, a]) => a.commitId === r.revisionId)?.[0] ?? r.actionName,
      revisionId: r.revisionId,
      revisionSummary: r.revisionSummary,
      created: new Date(e.startTime),
      revisionUrl: r.revisionUrl,
    })),
    variables: [],
    trigger: e.trigger,
    executionMode: e.executionMode,
    executionType: 'STANDARD',
  };
}

export function actionExecutionDetail(p: PipelineRecord, e: Execution, run: ActionRun): Record<string, unknown> {
  const action = p.declaration.stages
    .find((s) => s.name === run.stageName)
    ?.actions.find((a) => a.name === run.actionName);
  return {
    pipelineExecutionId: e.pipelineExecutionId,
    actionExecutionId: run.actionExecutionId,
    pipelineVersion: e.pipelineVersion,
    stageName: run.stageName,
    actionName: run.actionName,
    startTime: new Date(run.startTime),
    lastUpdateTime: new Date(run.lastUpdateTime),
    updatedBy: p.declaration.roleArn,
    status: run.status,
    input: {
      actionTypeId: action?.actionTypeId,
      configuration: action?.configuration ?? {},
      resolvedConfiguration: run.resolvedConfiguration,
      roleArn: action?.roleArn,
      region: p.region,
      // Where the action that produced the artifact stored it.
      inputArtifacts: run.inputArtifacts.map((name) => ({
        name,
        s3location: e.artifacts[name]?.location ?? {
          bucket: p.declaration.artifactStore?.location,
          key: `${p.declaration.name.slice(0, 20)}/${name.slice(0, 20)}/${run.actionExecutionId.slice(0, 7)}`,
        },
      })),
      namespace: action?.namespace,
    },
    output: {
      outputArtifacts: run.outputArtifacts.map((name) => ({
        name,
        s3location: {
          bucket: p.declaration.artifactStore?.location,
          key: `${p.declaration.name.slice(0, 20)}/${name.slice(0, 20)}/${run.actionExecutionId.slice(0, 7)}`,
        },
      })),
      executionResult:
        run.status === 'InProgress'
          ? undefined
          : {
              externalExecutionId: run.externalExecutionId,
              externalExecutionSummary: run.summary,
              externalExecutionUrl: run.externalExecutionUrl,
              ...(run.errorDetails ? { errorDetails: run.errorDetails } : {}),
            },
      outputVariables: run.outputVariables ?? {},
    },
  };
}
