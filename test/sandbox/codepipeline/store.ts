// CodePipeline state: pipelines (their declaration in the API's shape) and executions with every
// stage and action run. The engine (engine.ts) writes executions; describe.ts shapes the API output.
import { AwsError, type Sandbox } from '../core/types';

export interface ActionDeclaration {
  name: string;
  actionTypeId: { category: string; owner: string; provider: string; version: string };
  runOrder?: number;
  configuration?: Record<string, string>;
  inputArtifacts?: { name: string }[];
  outputArtifacts?: { name: string }[];
  namespace?: string;
  roleArn?: string;
  region?: string;
}

export interface StageDeclaration {
  name: string;
  actions: ActionDeclaration[];
}

export interface PipelineDeclaration {
  name: string;
  roleArn: string;
  artifactStore?: { type: string; location: string };
  stages: StageDeclaration[];
  version: number;
  pipelineType: 'V1' | 'V2';
  executionMode: 'QUEUED' | 'SUPERSEDED' | 'PARALLEL';
  /** V2 pipeline-level triggers (API shape: providerType, gitConfiguration). */
  triggers?: PipelineTrigger[];
}

export interface PipelineTrigger {
  providerType: string;
  gitConfiguration: { sourceActionName: string; push?: unknown[]; pullRequest?: unknown[] };
}

export interface PipelineRecord {
  readonly accountId: string;
  readonly region: string;
  declaration: PipelineDeclaration;
  readonly created: number;
  updated: number;
  /** Stages whose inbound transition is disabled. */
  disabledTransitions: Record<string, { disabledReason: string; lastChangedAt: number; lastChangedBy: string }>;
  /** The execution that most recently entered each stage (GetPipelineState reports it). */
  stageLatest: Record<string, string>;
  /** Polling CodeCommit sources: the branch head each saw last ('' for none yet). */
  polledRevisions?: Record<string, string>;
}

export type ActionStatus = 'InProgress' | 'Abandoned' | 'Succeeded' | 'Failed';

export interface ActionRun {
  readonly actionExecutionId: string;
  readonly stageName: string;
  readonly actionName: string;
  status: ActionStatus;
  readonly startTime: number;
  lastUpdateTime: number;
  summary?: string;
  externalExecutionId?: string;
  externalExecutionUrl?: string;
  errorDetails?: { code: string; message: string };
  token?: string;
  approval?: { status: 'Approved' | 'Rejected'; summary: string };
  resolvedConfiguration: Record<string, string>;
  inputArtifacts: string[];
  outputArtifacts: string[];
  outputVariables?: Record<string, string>;
  revisionId?: string;
}

export type StageStatus = 'InProgress' | 'Succeeded' | 'Failed' | 'Stopped' | 'Stopping' | 'Cancelled';
export type ExecutionStatus =
  'InProgress' | 'Stopping' | 'Stopped' | 'Succeeded' | 'Superseded' | 'Failed' | 'Cancelled';

/** What flows between actions: the source commit, and the files a build uploaded (a directory). */
export interface Artifact {
  repositoryName: string;
  commitId: string;
  /** The artifact's files (a build's output); absent for the source artifact, which is the commit's tree. */
  files?: string;
  /** Where the artifact bucket holds the artifact's zip, which the next actions read. */
  location?: { bucket: string; key: string };
}

export interface Execution {
  readonly pipelineExecutionId: string;
  readonly pipelineName: string;
  readonly pipelineVersion: number;
  readonly accountId: string;
  readonly region: string;
  status: ExecutionStatus;
  statusSummary?: string;
  readonly startTime: number;
  lastUpdateTime: number;
  readonly trigger: { triggerType: string; triggerDetail: string };
  stopTrigger?: { reason: string };
  readonly executionMode: PipelineDeclaration['executionMode'];
  /** Set by a push: the commit this execution builds (otherwise the Source action reads the branch head). */
  readonly pinnedCommit?: string;
  sourceRevisions: { actionName: string; revisionId: string; revisionSummary: string; revisionUrl: string }[];
  stages: Record<string, { status: StageStatus; actions: Record<string, ActionRun> }>;
  /** Every action run in order, retries included (ListActionExecutions). */
  actionRuns: ActionRun[];
  artifacts: Record<string, Artifact>;
  variables: Record<string, Record<string, string>>;
  stopRequest?: { abandon: boolean; reason: string };
}

interface CodePipelineState {
  /** Keyed by `<account>/<region>/<name>`. */
  pipelines: Record<string, PipelineRecord>;
  /** Keyed like pipelines; newest first. */
  executions: Record<string, Execution[]>;
}

export function pipelineState(sandbox: Sandbox): CodePipelineState {
  const state = sandbox.state as { codepipeline?: CodePipelineState };
  state.codepipeline ??= { pipelines: {}, executions: {} };
  return state.codepipeline;
}

export const pipelineKey = (accountId: string, region: string, name: string): string =>
  `${accountId}/${region}/${name}`;
export const pipelineArn = (p: PipelineRecord): string =>
  `arn:aws:codepipeline:${p.region}:${p.accountId}:${p.declaration.name}`;

export function findPipeline(
  sandbox: Sandbox,
  accountId: string,
  region: string,
  name: string,
): PipelineRecord | undefined {
  return pipelineState(sandbox).pipelines[pipelineKey(accountId, region, name)];
}

export function requirePipeline(sandbox: Sandbox, accountId: string, region: string, name: unknown): PipelineRecord {
  if (typeof name !== 'string' || name === '') {
    throw new AwsError(
      'ValidationException',
      "1 validation error detected: Value null at 'name' failed to satisfy constraint: Member must not be null",
    );
  }
  const pipeline = findPipeline(sandbox, accountId, region, name);
  if (!pipeline)
    throw new AwsError(
      'PipelineNotFoundException',
      `Account '${accountId}' does not have a pipeline with name '${name}'`,
    );
  return pipeline;
}

export function executionsOf(sandbox: Sandbox, pipeline: PipelineRecord): Execution[] {
  return (pipelineState(sandbox).executions[
    pipelineKey(pipeline.accountId, pipeline.region, pipeline.declaration.name)
  ] ??= []);
}

export function requireExecution(sandbox: Sandbox, pipeline: PipelineRecord, id: unknown): Execution {
  const execution = executionsOf(sandbox, pipeline).find((e) => e.pipelineExecutionId === id);
  if (!execution) {
    throw new AwsError(
      'PipelineExecutionNotFoundException',
      `Pipeline execution with ID '${String(id)}' does not exist in pipeline '${pipeline.declaration.name}'.`,
    );
  }
  return execution;
}

/** Actions of a stage grouped by runOrder, in order. */
export function runOrderGroups(stage: StageDeclaration): ActionDeclaration[][] {
  const orders = [...new Set(stage.actions.map((a) => a.runOrder ?? 1))].sort((a, b) => a - b);
  return orders.map((order) => stage.actions.filter((a) => (a.runOrder ?? 1) === order));
}
