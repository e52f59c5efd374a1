// Stage-change detection delay while active, and the API calls made during an execution: the
// editor's model (focused, production intervals, real timers) follows pushes through the
// workshop pipeline in the sandbox. The sandbox's own record is the reference: a watcher reads
// its in-process CodePipeline state every 10 ms and, for each stage status change, takes the
// moment the sandbox stamped on the execution (simulated clock mapped to wall-clock time).
import { APP_FILES, startWorkshop, type Workshop } from '../test/integration/pipeline/workshop';
import { pipelineState } from '../test/sandbox/codepipeline/store';
import { log, percentile, resetSandboxCalls, round, sandboxCalls, total, waitFor } from './common';
import { startEditorModel } from './editorModel';

export interface StageDelayOptions {
  readonly speed: number;
  readonly pushes: number;
}

export interface StageDelayResult {
  readonly speed: number;
  readonly pushes: number;
  readonly changes: number;
  /** Changes the view never showed as such because the next one came first (measured to that one). */
  readonly skipped: number;
  readonly delaysS: number[];
  readonly p50S: number;
  readonly p95S: number;
  readonly maxS: number;
  /** Calls per real hour while an execution runs (sum over the pushes' executions). */
  readonly executionCallsPerHour: number;
  readonly executionCalls: Record<string, number>;
  readonly executionSeconds: number;
}

interface Transition {
  readonly execution: string;
  readonly stage: string;
  readonly status: string;
  readonly at: number;
}

interface Seen {
  readonly at: number;
  readonly execution: string | undefined;
  readonly stages: ReadonlyMap<string, string>;
}

const rank = (status: string | undefined): number =>
  status === undefined || status === 'NotStarted' ? 0 : status === 'InProgress' ? 1 : 2;

/** Records every stage status change of executions that are not in `known`, as the sandbox made it. */
function watchSandbox(workshop: Workshop, known: ReadonlySet<string>): { transitions: Transition[]; stop(): void } {
  const transitions: Transition[] = [];
  const last = new Map<string, string>();
  const timer = setInterval(() => {
    for (const executions of Object.values(pipelineState(workshop.sandbox.sandbox).executions)) {
      for (const e of executions) {
        if (known.has(e.pipelineExecutionId)) {
          continue;
        }
        for (const [stage, s] of Object.entries(e.stages)) {
          const key = `${e.pipelineExecutionId}/${stage}`;
          if (last.get(key) !== s.status) {
            last.set(key, s.status);
            // touch() stamps the execution (wall-clock time) when a stage's status is set; a later
            // change of the same execution within these 10 ms would move the stamp, so never go past "now".
            transitions.push({
              execution: e.pipelineExecutionId,
              stage,
              status: s.status,
              at: Math.min(Date.now(), e.lastUpdateTime),
            });
          }
        }
      }
    }
  }, 10);
  return { transitions, stop: () => clearInterval(timer) };
}

export async function measureStageDelay(options: StageDelayOptions): Promise<StageDelayResult> {
  log(`stages: workshop at sandbox speed ${options.speed}`);
  const workshop = await startWorkshop({ speed: options.speed });
  const model = await startEditorModel(workshop);
  const seen: Seen[] = [];
  const record = (): void => {
    const view = model.controller.tracker?.view;
    seen.push({
      at: Date.now(),
      execution: view?.state?.executionId,
      stages: new Map(view?.state?.stages.map((s) => [s.name, s.status]) ?? []),
    });
  };
  model.controller.onDidChange((event) => {
    if (event.kind === 'pipeline') {
      record();
    }
  });
  try {
    const name = workshop.outputs.PipelineName;
    const running = (): boolean =>
      Object.values(pipelineState(workshop.sandbox.sandbox).executions).some((list) =>
        list.some((e) => e.status === 'InProgress' || e.status === 'Stopping'),
      );
    // The execution CodePipeline starts on creation must end first.
    await waitFor(
      () => (running() ? undefined : true),
      300_000,
      () => 'the initial execution is still running',
      200,
    );
    const known = new Set(
      Object.values(pipelineState(workshop.sandbox.sandbox).executions).flatMap((list) =>
        list.map((e) => e.pipelineExecutionId),
      ),
    );
    const watcher = watchSandbox(workshop, known);
    const calls: Record<string, number> = {};
    const followed = new Set<string>();
    let executionMs = 0;
    for (let i = 0; i < options.pushes; i++) {
      await resetSandboxCalls(workshop.endpoint);
      const pushedAt = Date.now();
      const commitId = await workshop.push({ ...APP_FILES, 'app/version.txt': `${i}\n` }, `Bench change ${i}`);
      model.controller.follow({ commitId, pushedAt }); // what Commit and Push does after pushing
      log(`stages: push ${i + 1}/${options.pushes} ${commitId.slice(0, 7)} to ${name}`);
      const finished = await waitFor(
        () => {
          const m = model.controller.tracker?.view.followMatch;
          // The view is rebuilt by the next poll: waitFor then followMatch still describes the previous push.
          const mine = m?.kind === 'matched' && m.execution.revisions.some((r) => r.revisionId === commitId);
          return mine && (m.execution.status === 'Succeeded' || m.execution.status === 'Failed')
            ? m.execution
            : undefined;
        },
        600_000,
        () => `stages ${JSON.stringify(model.controller.tracker?.view.state?.stages.map((s) => [s.name, s.status]))}`,
        20,
      );
      followed.add(finished.id);
      executionMs += Date.now() - pushedAt;
      for (const [key, count] of Object.entries(await sandboxCalls(workshop.endpoint))) {
        calls[key] = (calls[key] ?? 0) + count;
      }
    }
    watcher.stop();

    const delays: number[] = [];
    let skipped = 0;
    // Only the executions of the pushes (the ones the status bar and view follow).
    const transitions = watcher.transitions.filter((t) => followed.has(t.execution));
    for (const t of transitions) {
      const exact = seen.find((s) => s.at >= t.at && s.execution === t.execution && s.stages.get(t.stage) === t.status);
      const reached = seen.find(
        (s) => s.at >= t.at && s.execution === t.execution && rank(s.stages.get(t.stage)) >= rank(t.status),
      );
      if (!reached) {
        throw new Error(`the view never reflected ${t.stage} ${t.status} of ${t.execution}`);
      }
      if (!exact || exact.at > reached.at) {
        skipped++;
      }
      delays.push((reached.at - t.at) / 1000);
    }
    const callTotal = total(calls);
    return {
      speed: options.speed,
      pushes: options.pushes,
      changes: transitions.length,
      skipped,
      delaysS: delays.map((d) => round(d, 3)),
      p50S: percentile(delays, 50),
      p95S: percentile(delays, 95),
      maxS: Math.max(...delays),
      executionCallsPerHour: (callTotal / executionMs) * 3_600_000,
      executionCalls: calls,
      executionSeconds: executionMs / 1000,
    };
  } finally {
    model.dispose();
    await workshop.close();
  }
}
