// Stage-change detection delay while active, and the API calls made during an execution: the
// editor's model (focused, production intervals, real timers) follows pushes through the
// workshop pipeline in the sandbox. The sandbox's own record is the reference: a watcher reads
// its in-process CodePipeline state every 10 ms and, for each stage status change, takes the
// moment the sandbox stamped on the execution (wall-clock time).
//
// Then, in the same run, more pushes are followed by the editor and by the seed's kind of CLI loop
// (get-pipeline-state every 30 s) at once. The API-call figures come from the first pushes only:
// the sandbox cannot tell the loop's calls from the editor's.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { APP_FILES, awsCli, startWorkshop, type Workshop } from '../test/integration/pipeline/workshop';
import { pipelineState } from '../test/sandbox/codepipeline/store';
import { log, percentile, resetSandboxCalls, round, sandboxCalls, total, waitFor } from './common';
import { caughtUp, detectionDelays, type Observation, type Transition } from './detection';
import { startEditorModel, type EditorModel } from './editorModel';
import { SEED_INTERVAL_S, startSeedStageLoop } from './seedCli';

export interface StageDelayOptions {
  readonly speed: number;
  /** Pushes followed by the editor alone (delays and API calls). */
  readonly pushes: number;
  /** Pushes followed by the editor and the seed's CLI loop at once (delays of both). */
  readonly seedPushes: number;
  /** The CLI loop's interval: 30 s as in the workshop; the quick mode asks more often. */
  readonly seedIntervalS?: number;
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
  /** Calls per real hour while an execution runs (sum over the editor-only pushes' executions). */
  readonly executionCallsPerHour: number;
  readonly executionCalls: Record<string, number>;
  readonly executionSeconds: number;
  /** The seed's kind of CLI loop over the last `seed.pushes` pushes, beside the editor's view. */
  readonly seed: {
    readonly intervalS: number;
    readonly pushes: number;
    readonly changes: number;
    readonly skipped: number;
    readonly delaysS: number[];
    readonly p50S: number;
    readonly p95S: number;
  };
}

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
            // touch() stamps the execution (wall-clock time) when a stage's status is set; a later change of the
            // same execution within these 10 ms would move the stamp, so never go past "now".
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

/** What the editor's Pipeline view shows, recorded on every change. */
function watchView(model: EditorModel): Observation[] {
  const seen: Observation[] = [];
  model.controller.onDidChange((event) => {
    if (event.kind !== 'pipeline') {
      return;
    }
    const state = model.controller.tracker?.view?.state;
    seen.push({
      at: Date.now(),
      stages: new Map(state?.stages.map((s) => [s.name, { execution: state.executionId, status: s.status }]) ?? []),
    });
  });
  return seen;
}

/** Pushes a change and waits until the view shows its execution finished; returns the execution id. */
async function pushAndFollow(workshop: Workshop, model: EditorModel, i: number): Promise<string> {
  const pushedAt = Date.now();
  const commitId = await workshop.push({ ...APP_FILES, 'app/version.txt': `${i}\n` }, `Bench change ${i}`);
  model.controller.follow({ commitId, pushedAt }); // what Commit and Push does after pushing
  log(`stages: push ${i + 1} ${commitId.slice(0, 7)}`);
  const finished = await waitFor(
    () => {
      const m = model.controller.tracker?.view.followMatch;
      // The view is rebuilt by the next poll: until then followMatch still describes the previous push.
      const mine = m?.kind === 'matched' && m.execution.revisions.some((r) => r.revisionId === commitId);
      return mine && (m.execution.status === 'Succeeded' || m.execution.status === 'Failed') ? m.execution : undefined;
    },
    600_000,
    () => `stages ${JSON.stringify(model.controller.tracker?.view.state?.stages.map((s) => [s.name, s.status]))}`,
    20,
  );
  return finished.id;
}

export async function measureStageDelay(options: StageDelayOptions): Promise<StageDelayResult> {
  const interval = options.seedIntervalS ?? SEED_INTERVAL_S;
  log(`stages: workshop at sandbox speed ${options.speed}`);
  const workshop = await startWorkshop({ speed: options.speed });
  const home = mkdtempSync(join(tmpdir(), 'wp-bench-cli-'));
  const model = await startEditorModel(workshop);
  const seen = watchView(model);
  try {
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

    // 1. The editor alone: delays, and the calls it makes while an execution runs.
    const calls: Record<string, number> = {};
    const followed = new Set<string>();
    let executionMs = 0;
    for (let i = 0; i < options.pushes; i++) {
      await resetSandboxCalls(workshop.endpoint);
      const startedAt = Date.now();
      followed.add(await pushAndFollow(workshop, model, i));
      executionMs += Date.now() - startedAt;
      for (const [key, count] of Object.entries(await sandboxCalls(workshop.endpoint))) {
        calls[key] = (calls[key] ?? 0) + count;
      }
    }

    // 2. The editor and the seed's kind of CLI loop, following the same pushes.
    log(`stages: ${options.seedPushes} more pushes, also followed by a get-pipeline-state loop every ${interval} s`);
    const loop = startSeedStageLoop({
      cli: awsCli(),
      endpoint: workshop.endpoint,
      home,
      pipelineName: workshop.outputs.PipelineName,
      intervalS: interval,
    });
    const seedFollowed = new Set<string>();
    try {
      for (let i = 0; i < options.seedPushes; i++) {
        const id = await pushAndFollow(workshop, model, options.pushes + i);
        followed.add(id);
        seedFollowed.add(id);
        // The loop must have shown this execution's end before the next push replaces it.
        const mine = () => watcher.transitions.filter((t) => t.execution === id);
        await waitFor(
          () => (caughtUp(mine(), loop.observations) ? true : undefined),
          (interval * 3 + 60) * 1000,
          () =>
            `the CLI loop did not show the end of ${id}: ${JSON.stringify([...(loop.observations.at(-1)?.stages ?? [])])}`,
          100,
        );
      }
    } finally {
      await loop.stop();
      watcher.stop();
    }

    const ours = detectionDelays(
      watcher.transitions.filter((t) => followed.has(t.execution)),
      seen,
      "the editor's Pipeline view",
    );
    const seedTransitions = watcher.transitions.filter((t) => seedFollowed.has(t.execution));
    const seed = detectionDelays(seedTransitions, loop.observations, 'the CLI loop');
    const callTotal = total(calls);
    return {
      speed: options.speed,
      pushes: options.pushes + options.seedPushes,
      changes: ours.delaysS.length,
      skipped: ours.skipped,
      delaysS: ours.delaysS.map((d) => round(d, 3)),
      p50S: percentile(ours.delaysS, 50),
      p95S: percentile(ours.delaysS, 95),
      maxS: Math.max(...ours.delaysS),
      executionCallsPerHour: (callTotal / executionMs) * 3_600_000,
      executionCalls: calls,
      executionSeconds: executionMs / 1000,
      seed: {
        intervalS: interval,
        pushes: options.seedPushes,
        changes: seedTransitions.length,
        skipped: seed.skipped,
        delaysS: seed.delaysS.map((d) => round(d, 3)),
        p50S: percentile(seed.delaysS, 50),
        p95S: percentile(seed.delaysS, 95),
      },
    };
  } finally {
    model.dispose();
    await workshop.close();
    rmSync(home, { recursive: true, force: true });
  }
}
