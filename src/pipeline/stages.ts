// GetPipelineState (+ the GetPipeline declaration, for run order and action types) as stages and
// actions of one execution. A stage whose latest run belongs to another execution has not run
// in this one, so it reads "not started" here, with its last result kept for the tooltip.
import type {
  ActionDeclaration,
  ActionState,
  GetPipelineStateOutput,
  PipelineDeclaration,
  StageState,
} from '../aws/codepipeline';
import { isRunning, runStatus, type RunStatus } from './runStatus';

export interface ApprovalState {
  readonly token: string;
}

export interface ActionModel {
  readonly stageName: string;
  readonly name: string;
  readonly runOrder: number;
  readonly category?: string;
  readonly provider?: string;
  readonly status: RunStatus;
  /** Status of this action's latest run when that run belongs to another execution. */
  readonly previousStatus?: RunStatus;
  readonly summary?: string;
  readonly lastChange?: Date;
  readonly errorCode?: string;
  readonly errorMessage?: string;
  readonly externalExecutionId?: string;
  readonly externalExecutionUrl?: string;
  readonly entityUrl?: string;
  readonly revisionUrl?: string;
  /** CodeBuild build id (`project:uuid`) when the action runs CodeBuild. */
  readonly buildId?: string;
  readonly percentComplete?: number;
  /** A manual approval waiting for Approve/Reject. */
  readonly approval?: ApprovalState;
  /** The revision the action last processed (the commit, for a source action). */
  readonly currentRevisionId?: string;
}

export interface StageModel {
  readonly name: string;
  readonly status: RunStatus;
  readonly previousStatus?: RunStatus;
  /** The execution of the stage's latest run (may be older than the execution shown). */
  readonly latestExecutionId?: string;
  readonly inTransitionDisabled?: { readonly reason?: string; readonly by?: string; readonly at?: Date };
  readonly actions: readonly ActionModel[];
  /** Distinct run orders: more than one means sequential steps; actions sharing one run in parallel. */
  readonly steps: number;
  /** Latest action status change in this execution: a good end time for a finished stage. */
  readonly lastChange?: Date;
}

export interface PipelineStateModel {
  readonly pipelineName: string;
  readonly version?: number;
  readonly executionId?: string;
  readonly stages: readonly StageModel[];
}

/**
 * The execution most recently started, as far as the state shows: the first stage's latest run.
 * ListPipelineExecutions is the better source when at hand.
 */
export function newestExecutionIdInState(state: GetPipelineStateOutput): string | undefined {
  return state.stageStates?.[0]?.latestExecution?.pipelineExecutionId;
}

/** Every execution id the state mentions (latest and inbound ones), sorted. */
export function executionIdsInState(state: GetPipelineStateOutput): string[] {
  const ids = new Set<string>();
  for (const s of state.stageStates ?? []) {
    for (const e of [s.latestExecution, s.inboundExecution, ...(s.inboundExecutions ?? [])]) {
      if (e?.pipelineExecutionId) {
        ids.add(e.pipelineExecutionId);
      }
    }
  }
  return [...ids].sort();
}

/** How far the state shows an execution: running, its source done, finished. */
export function executionProgressInState(
  state: GetPipelineStateOutput,
  executionId: string,
): { sourceDone: boolean; finished: boolean } {
  const stages = state.stageStates ?? [];
  const mine = stages.map((s) =>
    s.latestExecution?.pipelineExecutionId === executionId ? runStatus(s.latestExecution.status) : undefined,
  );
  const first = mine[0];
  const sourceDone = first !== undefined && !isRunning(first);
  const stopped = mine.some((s) => s === 'Failed' || s === 'Stopped' || s === 'Cancelled');
  const last = mine[mine.length - 1];
  return { sourceDone, finished: stopped || last === 'Succeeded' };
}

/** Source revisions the state pairs with an execution: the first stage's actions' current revisions. */
export function sourceRevisionsInState(state: GetPipelineStateOutput): { executionId: string; revisionId: string }[] {
  const first = state.stageStates?.[0];
  const executionId = first?.latestExecution?.pipelineExecutionId;
  if (!first || !executionId || runStatus(first.latestExecution?.status) !== 'Succeeded') {
    return [];
  }
  return (first.actionStates ?? []).flatMap((a) =>
    a.currentRevision?.revisionId ? [{ executionId, revisionId: a.currentRevision.revisionId }] : [],
  );
}

export function buildStateModel(
  state: GetPipelineStateOutput,
  declaration: PipelineDeclaration | undefined,
  executionId: string | undefined,
): PipelineStateModel {
  const declared = new Map<string, ActionDeclaration[]>();
  for (const stage of declaration?.stages ?? []) {
    declared.set(stage.name ?? '', stage.actions ?? []);
  }
  const stages = (state.stageStates ?? []).map((s) =>
    stageModel(s, declared.get(s.stageName ?? '') ?? [], executionId),
  );
  return {
    pipelineName: state.pipelineName ?? declaration?.name ?? '',
    version: state.pipelineVersion,
    executionId,
    stages,
  };
}

function stageModel(
  s: StageState,
  declared: readonly ActionDeclaration[],
  executionId: string | undefined,
): StageModel {
  const name = s.stageName ?? '';
  const latestId = s.latestExecution?.pipelineExecutionId;
  const latest = s.latestExecution ? runStatus(s.latestExecution.status) : 'NotStarted';
  const current = executionId === undefined || latestId === executionId;
  const order = new Map(declared.map((d, i) => [d.name ?? '', { decl: d, index: i }]));
  const actions = (s.actionStates ?? [])
    .map((a) => actionModel(name, a, order.get(a.actionName ?? '')?.decl, current))
    .map((a, i) => ({ a, i: order.get(a.name)?.index ?? 1000 + i }))
    .sort((x, y) => x.a.runOrder - y.a.runOrder || x.i - y.i)
    .map((x) => x.a);
  const transition = s.inboundTransitionState;
  const lastChange = current ? latestDate(actions.map((a) => a.lastChange)) : undefined;
  return {
    name,
    status: current ? latest : 'NotStarted',
    previousStatus: current ? undefined : latest === 'NotStarted' ? undefined : latest,
    latestExecutionId: latestId,
    inTransitionDisabled:
      transition && transition.enabled === false
        ? { reason: transition.disabledReason, by: transition.lastChangedBy, at: transition.lastChangedAt }
        : undefined,
    actions,
    steps: new Set(actions.map((a) => a.runOrder)).size,
    lastChange,
  };
}

function actionModel(
  stageName: string,
  a: ActionState,
  decl: ActionDeclaration | undefined,
  current: boolean,
): ActionModel {
  const e = a.latestExecution;
  const status = e ? runStatus(e.status) : 'NotStarted';
  const provider = decl?.actionTypeId?.provider;
  const category = decl?.actionTypeId?.category;
  const base = {
    stageName,
    name: a.actionName ?? '',
    runOrder: decl?.runOrder ?? 1,
    category,
    provider,
    entityUrl: a.entityUrl,
    revisionUrl: a.revisionUrl,
    currentRevisionId: a.currentRevision?.revisionId,
  };
  if (!current) {
    return { ...base, status: 'NotStarted', previousStatus: status === 'NotStarted' ? undefined : status };
  }
  const isCodeBuild =
    provider === 'CodeBuild' ||
    (provider === undefined && /^[\w.-]+:[0-9a-f-]{36}$/.test(e?.externalExecutionId ?? ''));
  const isApproval = category === 'Approval' || provider === 'Manual';
  return {
    ...base,
    status,
    summary: e?.summary,
    lastChange: e?.lastStatusChange,
    errorCode: e?.errorDetails?.code,
    errorMessage: e?.errorDetails?.message,
    externalExecutionId: e?.externalExecutionId,
    externalExecutionUrl: e?.externalExecutionUrl,
    buildId: isCodeBuild ? e?.externalExecutionId : undefined,
    percentComplete: e?.percentComplete,
    approval: isApproval && status === 'InProgress' && e?.token ? { token: e.token } : undefined,
  };
}

function latestDate(dates: readonly (Date | undefined)[]): Date | undefined {
  let best: Date | undefined;
  for (const d of dates) {
    if (d && (!best || d.getTime() > best.getTime())) {
      best = d;
    }
  }
  return best;
}

/** 1-based position of the running (else failed, else last finished) stage, for "Build · 2/4". */
export function focusStage(model: PipelineStateModel): { stage: StageModel; position: number } | undefined {
  const stages = model.stages;
  const pick = (pred: (s: StageModel) => boolean): number => stages.findIndex(pred);
  let i = pick((s) => isRunning(s.status));
  if (i < 0) {
    i = pick((s) => s.status === 'Failed' || s.status === 'Stopped' || s.status === 'Cancelled');
  }
  if (i < 0) {
    for (let j = stages.length - 1; j >= 0; j--) {
      if (stages[j].status !== 'NotStarted') {
        i = j;
        break;
      }
    }
  }
  return i < 0 ? undefined : { stage: stages[i], position: i + 1 };
}

/**
 * Approximate stage durations: stages run one after another, so a stage starts when the one
 * before it last changed (the first one when the execution started) and ends at its own last
 * change, or now while it runs.
 */
export function stageDurations(
  model: PipelineStateModel,
  executionStart: Date | undefined,
  now: number,
): (number | undefined)[] {
  let previousEnd = executionStart?.getTime();
  return model.stages.map((s) => {
    if (s.status === 'NotStarted') {
      return undefined;
    }
    const start = previousEnd;
    const end = isRunning(s.status) ? now : s.lastChange?.getTime();
    previousEnd = s.lastChange?.getTime() ?? previousEnd;
    return start !== undefined && end !== undefined && end >= start ? end - start : undefined;
  });
}
