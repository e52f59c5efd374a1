// The execution engine: stages in order, actions by runOrder, with the pipeline's execution mode
// deciding who may enter a stage — QUEUED (one execution per stage, first come first served),
// SUPERSEDED (an execution waiting at a stage boundary is superseded by a newer one arriving there),
// PARALLEL (no waiting). Everything runs in the background with simulated durations.
import { randomUUID } from 'node:crypto';
import { runInBackground } from '../core/background';
import type { Sandbox } from '../core/types';
import { repositoryDir } from '../codecommit/repositories';
import { runAction } from './actions';
import { artifactKey, putArtifact, zipCommit, zipDirectory, type ArtifactLocation } from './artifactZip';
import {
  executionsOf,
  pipelineKey,
  runOrderGroups,
  type ActionRun,
  type Artifact,
  type Execution,
  type PipelineRecord,
  type StageDeclaration,
} from './store';

/** How often a waiting execution looks again (simulated ms). */
const WAIT_POLL_MS = 1_000;

interface Runtime {
  /** pipeline key → stage → execution id holding it. */
  owners: Map<string, Map<string, string>>;
  /** pipeline key → stage → execution ids waiting to enter, oldest first. */
  queues: Map<string, Map<string, string[]>>;
  /** execution id → abort controller (StopPipelineExecution with abandon). */
  controllers: Map<string, AbortController>;
}

const runtimes = new WeakMap<Sandbox, Runtime>();

function runtime(sandbox: Sandbox): Runtime {
  let r = runtimes.get(sandbox);
  if (!r) {
    r = { owners: new Map(), queues: new Map(), controllers: new Map() };
    runtimes.set(sandbox, r);
  }
  return r;
}

export function resetRuntime(sandbox: Sandbox): void {
  runtimes.delete(sandbox);
}

const stageMap = <T>(m: Map<string, Map<string, T>>, key: string): Map<string, T> => {
  let inner = m.get(key);
  if (!inner) m.set(key, (inner = new Map<string, T>()));
  return inner;
};

export interface StartOptions {
  readonly trigger: { triggerType: string; triggerDetail: string };
  readonly commitId?: string;
}

export function startExecution(sandbox: Sandbox, pipeline: PipelineRecord, options: StartOptions): Execution {
  const now = sandbox.clock.now().getTime();
  const declaration = pipeline.declaration;
  const execution: Execution = {
    pipelineExecutionId: randomUUID(),
    pipelineName: declaration.name,
    pipelineVersion: declaration.version,
    accountId: pipeline.accountId,
    region: pipeline.region,
    status: 'InProgress',
    startTime: now,
    lastUpdateTime: now,
    trigger: options.trigger,
    executionMode:
      declaration.pipelineType === 'V2'
        ? declaration.executionMode
        : declaration.executionMode === 'PARALLEL'
          ? 'SUPERSEDED'
          : declaration.executionMode,
    ...(options.commitId ? { pinnedCommit: options.commitId } : {}),
    sourceRevisions: [],
    stages: {},
    actionRuns: [],
    artifacts: {},
    variables: {},
  };
  executionsOf(sandbox, pipeline).unshift(execution);
  sandbox.changed();
  launch(sandbox, pipeline, execution, 0);
  return execution;
}

/** Runs (or resumes, for a retry) the execution from a stage, with an abort controller of its own. */
export function launch(
  sandbox: Sandbox,
  pipeline: PipelineRecord,
  execution: Execution,
  fromStage: number,
  retryFailedOnly = false,
): void {
  const controller = new AbortController();
  runtime(sandbox).controllers.set(execution.pipelineExecutionId, controller);
  runInBackground(sandbox, `pipeline execution ${execution.pipelineExecutionId}`, async (signal) => {
    const combined = AbortSignal.any([signal, controller.signal]);
    try {
      await run(sandbox, pipeline, execution, fromStage, retryFailedOnly, combined);
    } catch (error) {
      // Stop and abandon while the execution waits at a stage boundary (no action to abandon):
      // it stops there. A reset or shutdown of the sandbox still ends the run silently.
      if (!(controller.signal.aborted && !signal.aborted && execution.stopRequest)) throw error;
      if (execution.status === 'Stopping') finish(sandbox, execution, 'Stopped');
    } finally {
      runtime(sandbox).controllers.delete(execution.pipelineExecutionId);
      release(sandbox, pipeline, execution);
    }
  });
}

/** Abandons the in-progress actions now (StopPipelineExecution with abandon). */
export function abandon(sandbox: Sandbox, execution: Execution): void {
  runtime(sandbox).controllers.get(execution.pipelineExecutionId)?.abort(new DOMException('Abandoned', 'AbortError'));
}

function touch(sandbox: Sandbox, execution: Execution): void {
  execution.lastUpdateTime = sandbox.clock.now().getTime();
  sandbox.changed();
}

function finish(sandbox: Sandbox, execution: Execution, status: Execution['status'], summary?: string): void {
  execution.status = status;
  if (summary !== undefined) execution.statusSummary = summary;
  touch(sandbox, execution);
}

async function run(
  sandbox: Sandbox,
  pipeline: PipelineRecord,
  execution: Execution,
  fromStage: number,
  retryFailedOnly: boolean,
  signal: AbortSignal,
): Promise<void> {
  const stages = pipeline.declaration.stages;
  for (let i = fromStage; i < stages.length; i++) {
    const stage = stages[i];
    const retrying = i === fromStage && retryFailedOnly;
    if (!(await enterStage(sandbox, pipeline, execution, stage.name, signal))) return;
    const outcome = await runStage(sandbox, pipeline, execution, stage, retrying, signal);
    if (outcome !== 'Succeeded') return;
    // A stage that is done is free for the next execution, even while this one waits at the next
    // boundary (that is how a newer execution can catch up and supersede it there).
    leaveStage(sandbox, pipeline, execution, stage.name);
  }
  finish(sandbox, execution, 'Succeeded');
}

/** Waits at the stage boundary until the execution may enter; false when it was stopped or superseded. */
async function enterStage(
  sandbox: Sandbox,
  pipeline: PipelineRecord,
  execution: Execution,
  stageName: string,
  signal: AbortSignal,
): Promise<boolean> {
  const key = pipelineKey(pipeline.accountId, pipeline.region, pipeline.declaration.name);
  const owners = stageMap(runtime(sandbox).owners, key);
  const queues = stageMap(runtime(sandbox).queues, key);
  const queue = queues.get(stageName) ?? [];
  queues.set(stageName, queue);
  const me = execution.pipelineExecutionId;
  const leave = (): void => {
    const at = queue.indexOf(me);
    if (at >= 0) queue.splice(at, 1);
  };
  if (!queue.includes(me)) {
    if (execution.executionMode === 'SUPERSEDED') {
      // A newer execution arriving at the boundary supersedes the ones waiting there.
      for (const waiting of queue.splice(0)) {
        const older = executionsOf(sandbox, pipeline).find((e) => e.pipelineExecutionId === waiting);
        if (older && older.status === 'InProgress')
          finish(sandbox, older, 'Superseded', `Superseded by execution ${me}`);
      }
    }
    queue.push(me);
  }
  for (;;) {
    if (execution.status === 'Superseded') {
      leave();
      return false;
    }
    if (execution.stopRequest) {
      leave();
      finish(sandbox, execution, 'Stopped');
      return false;
    }
    const owner = owners.get(stageName);
    const free = execution.executionMode === 'PARALLEL' || owner === undefined || owner === me;
    if (
      !pipeline.disabledTransitions[stageName] &&
      free &&
      (execution.executionMode === 'PARALLEL' || queue[0] === me)
    ) {
      leave();
      if (execution.executionMode !== 'PARALLEL') owners.set(stageName, me);
      // Leaving the previous stage frees it for the next execution in line.
      for (const [name, holder] of owners) if (holder === me && name !== stageName) owners.delete(name);
      pipeline.stageLatest[stageName] = me;
      return true;
    }
    await sandbox.clock.sleep(WAIT_POLL_MS, signal);
  }
}

function leaveStage(sandbox: Sandbox, pipeline: PipelineRecord, execution: Execution, stageName: string): void {
  const owners = stageMap(
    runtime(sandbox).owners,
    pipelineKey(pipeline.accountId, pipeline.region, pipeline.declaration.name),
  );
  if (owners.get(stageName) === execution.pipelineExecutionId) owners.delete(stageName);
}

function release(sandbox: Sandbox, pipeline: PipelineRecord, execution: Execution): void {
  const key = pipelineKey(pipeline.accountId, pipeline.region, pipeline.declaration.name);
  const owners = stageMap(runtime(sandbox).owners, key);
  for (const [name, holder] of owners) if (holder === execution.pipelineExecutionId) owners.delete(name);
  for (const queue of stageMap(runtime(sandbox).queues, key).values()) {
    const at = queue.indexOf(execution.pipelineExecutionId);
    if (at >= 0) queue.splice(at, 1);
  }
}

async function runStage(
  sandbox: Sandbox,
  pipeline: PipelineRecord,
  execution: Execution,
  stage: StageDeclaration,
  retryFailedOnly: boolean,
  signal: AbortSignal,
): Promise<'Succeeded' | 'Failed' | 'Stopped'> {
  const previous = execution.stages[stage.name];
  const state = { status: 'InProgress' as const, actions: retryFailedOnly && previous ? previous.actions : {} };
  execution.stages[stage.name] = state;
  touch(sandbox, execution);
  for (const group of runOrderGroups(stage)) {
    const todo = group.filter((a) => !(retryFailedOnly && state.actions[a.name]?.status === 'Succeeded'));
    const results = await Promise.all(
      todo.map((action) => runOne(sandbox, pipeline, execution, stage.name, action, signal)),
    );
    const failure = results.find((r) => r !== 'Succeeded');
    const stageState = execution.stages[stage.name];
    if (failure === 'Abandoned' || (signal.aborted && execution.stopRequest)) {
      stageState.status = 'Stopped';
      finish(sandbox, execution, 'Stopped');
      return 'Stopped';
    }
    if (failure === 'Failed') {
      stageState.status = 'Failed';
      const failedRun = Object.values(stageState.actions).find((r) => r.status === 'Failed');
      finish(sandbox, execution, 'Failed', failedRun?.errorDetails?.message);
      return 'Failed';
    }
    if (execution.stopRequest) {
      stageState.status = 'Stopped';
      finish(sandbox, execution, 'Stopped');
      return 'Stopped';
    }
  }
  execution.stages[stage.name].status = 'Succeeded';
  touch(sandbox, execution);
  return 'Succeeded';
}

async function runOne(
  sandbox: Sandbox,
  pipeline: PipelineRecord,
  execution: Execution,
  stageName: string,
  action: StageDeclaration['actions'][number],
  signal: AbortSignal,
): Promise<ActionRun['status']> {
  const now = sandbox.clock.now().getTime();
  const run: ActionRun = {
    actionExecutionId: randomUUID(),
    stageName,
    actionName: action.name,
    status: 'InProgress',
    startTime: now,
    lastUpdateTime: now,
    resolvedConfiguration: resolveVariables(action.configuration ?? {}, execution),
    inputArtifacts: (action.inputArtifacts ?? []).map((a) => a.name),
    outputArtifacts: (action.outputArtifacts ?? []).map((a) => a.name),
  };
  execution.stages[stageName].actions[action.name] = run;
  execution.actionRuns.push(run);
  touch(sandbox, execution);
  try {
    const result = await runAction({ sandbox, pipeline, execution, action, run, signal });
    // A build that was stopped reports STOPPED rather than throwing: the action is abandoned either way.
    signal.throwIfAborted();
    run.status = result.status;
    if (result.summary !== undefined) run.summary = result.summary;
    if (result.errorDetails) run.errorDetails = result.errorDetails;
    if (result.outputVariables) {
      run.outputVariables = result.outputVariables;
      if (action.namespace) execution.variables[action.namespace] = result.outputVariables;
    }
    if (result.output) {
      const locations = run.status === 'Succeeded' ? await storeArtifacts(sandbox, pipeline, run, result.output) : {};
      for (const name of run.outputArtifacts)
        execution.artifacts[name] = { ...result.output, ...(locations[name] ? { location: locations[name] } : {}) };
    }
  } catch (error) {
    if (!signal.aborted) throw error;
    run.status = 'Abandoned';
    // Only a stop abandons actions; a reset or shutdown of the sandbox ends the run silently.
    if (!execution.stopRequest) throw error;
  } finally {
    run.lastUpdateTime = sandbox.clock.now().getTime();
    touch(sandbox, execution);
  }
  return run.status;
}

/**
 * Each output artifact goes to the artifact store as CodePipeline writes it: a zip object in the
 * pipeline's artifact bucket, under the key describe.ts reports as its s3location; the actions that
 * take it read it from there. Without that bucket (a pipeline a test made without one) the artifact
 * stays where the action left it.
 */
async function storeArtifacts(
  sandbox: Sandbox,
  pipeline: PipelineRecord,
  run: ActionRun,
  output: Artifact,
): Promise<Record<string, ArtifactLocation>> {
  const bucket = pipeline.declaration.artifactStore?.location;
  if (!bucket || run.outputArtifacts.length === 0) return {};
  let body: Buffer;
  try {
    body = output.files
      ? await zipDirectory(output.files)
      : await zipCommit(
          repositoryDir(sandbox, {
            accountId: pipeline.accountId,
            region: pipeline.region,
            repositoryName: output.repositoryName,
          }),
          output.commitId,
        );
  } catch {
    return {};
  }
  const locations: Record<string, ArtifactLocation> = {};
  for (const name of run.outputArtifacts) {
    const key = artifactKey(pipeline.declaration.name, name, run.actionExecutionId);
    const location = putArtifact(sandbox, pipeline.accountId, bucket, key, body);
    if (location) locations[name] = location;
  }
  return locations;
}

/** `#{Namespace.Variable}` in action configuration, as CodePipeline resolves it. */
function resolveVariables(configuration: Record<string, string>, execution: Execution): Record<string, string> {
  return Object.fromEntries(
    Object.entries(configuration).map(([k, v]) => [
      k,
      String(v).replace(
        /#\{([\w-]+)\.([\w-]+)\}/g,
        (whole, ns: string, name: string) => execution.variables[ns]?.[name] ?? whole,
      ),
    ]),
  );
}
