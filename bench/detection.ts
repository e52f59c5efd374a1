// Detection delay of stage changes: how long after the sandbox made a change an observer (the
// editor's view, or a CLI loop) first showed it. Pure, so the rules are unit-tested.

/** A stage status change as the sandbox made it (wall-clock ms). */
export interface Transition {
  readonly execution: string;
  readonly stage: string;
  readonly status: string;
  readonly at: number;
}

/** What an observer showed at one moment: per stage, the execution it belongs to and its status. */
export interface Observation {
  readonly at: number;
  readonly stages: ReadonlyMap<string, { readonly execution: string | undefined; readonly status: string }>;
}

export interface Delays {
  readonly delaysS: number[];
  /** Changes never shown as such because a later one came first (measured to that one). */
  readonly skipped: number;
}

/** NotStarted < InProgress < finished (Succeeded, Failed, Stopped…). */
export const rank = (status: string | undefined): number =>
  status === undefined || status === 'NotStarted' ? 0 : status === 'InProgress' ? 1 : 2;

/**
 * For each transition, the first observation at or after it that shows the stage of that execution
 * at least as far along. Throws when an observer never showed a transition: its figures would lie.
 */
export function detectionDelays(
  transitions: readonly Transition[],
  observations: readonly Observation[],
  observer: string,
): Delays {
  const delays: number[] = [];
  let skipped = 0;
  for (const t of transitions) {
    const shown = (o: Observation) => {
      const s = o.stages.get(t.stage);
      return o.at >= t.at && s?.execution === t.execution ? s : undefined;
    };
    const exact = observations.find((o) => shown(o)?.status === t.status);
    const reached = observations.find((o) => rank(shown(o)?.status) >= rank(t.status));
    if (!reached) {
      throw new Error(`${observer} never showed ${t.stage} ${t.status} of ${t.execution}`);
    }
    if (!exact || exact.at > reached.at) {
      skipped++;
    }
    delays.push((reached.at - t.at) / 1000);
  }
  return { delaysS: delays, skipped };
}

/** Whether every transition has been shown (the observer has caught up). */
export function caughtUp(transitions: readonly Transition[], observations: readonly Observation[]): boolean {
  return transitions.every((t) =>
    observations.some((o) => {
      const s = o.stages.get(t.stage);
      return o.at >= t.at && s?.execution === t.execution && rank(s.status) >= rank(t.status);
    }),
  );
}

/**
 * One observation from `aws codepipeline get-pipeline-state --query
 * 'stageStates[].[stageName,latestExecution.pipelineExecutionId,latestExecution.status]' --output text`:
 * a tab-separated line per stage ("None" where a stage has not run).
 */
export function parseStateText(text: string, at: number): Observation {
  const stages = new Map<string, { execution: string | undefined; status: string }>();
  for (const line of text.split('\n')) {
    const [stage, execution, status] = line.trim().split('\t');
    if (stage && execution !== undefined && status !== undefined) {
      // "None": the stage has no latest execution yet.
      stages.set(stage, {
        execution: execution === 'None' ? undefined : execution,
        status: status === 'None' ? 'NotStarted' : status,
      });
    }
  }
  return { at, stages };
}
