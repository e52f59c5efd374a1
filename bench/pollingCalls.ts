// API calls per hour while idle, counted by the sandbox. An hour is compressed honestly: the
// sandbox runs `factor`× fast and the poller runs on timers `factor`× fast (its only clock), so
// one simulated hour passes in 3600/factor real seconds with every interval, timestamp and
// AWS-side duration scaled alike. The editor's real model (AwsContext + PipelineController:
// pipeline tracker, service-health tracker, adaptive poller) makes the calls.
import { startWorkshop, type Workshop } from '../test/integration/pipeline/workshop';
import { pipelineState } from '../test/sandbox/codepipeline/store';
import { log, resetSandboxCalls, sandboxCalls, sleep, total, waitFor } from './common';
import { acceleratedTimers, startEditorModel } from './editorModel';

export interface PollingCallsResult {
  readonly factor: number;
  readonly idleFocusedPerHour: number;
  readonly idleFocused: Record<string, number>;
  readonly idleUnfocusedPerHour: number;
  readonly idleUnfocused: Record<string, number>;
}

const HOUR_MS = 3_600_000;

/** Runs `body` with the workshop (speed `factor`) kept up for the heap benchmark afterwards. */
export async function measurePollingCalls(
  factor: number,
  andThen?: (workshop: Workshop) => Promise<void>,
): Promise<PollingCallsResult> {
  log(`calls/hour: workshop at sandbox speed ${factor}, poller timers ${factor}× (1 h = ${HOUR_MS / factor / 1000} s)`);
  const workshop = await startWorkshop({ speed: factor });
  try {
    const model = await startEditorModel(workshop, { timers: acceleratedTimers(factor) });
    let result: PollingCallsResult;
    try {
      const running = (): boolean =>
        Object.values(pipelineState(workshop.sandbox.sandbox).executions).some((list) =>
          list.some((e) => e.status === 'InProgress' || e.status === 'Stopping'),
        );
      await waitFor(
        () => (!running() && model.controller.pollerStatus?.mode === 'slow' ? true : undefined),
        120_000,
        () => `poller ${model.controller.pollerStatus?.mode}`,
        100,
      );
      await sleep(HOUR_MS / factor / 10); // let the last fast cycle's schedule settle into the idle cadence

      await resetSandboxCalls(workshop.endpoint);
      await sleep(HOUR_MS / factor);
      const idleFocused = await sandboxCalls(workshop.endpoint);
      log(`calls/hour: idle focused ${total(idleFocused)}`);

      model.controller.setFocused(false);
      await resetSandboxCalls(workshop.endpoint);
      await sleep(HOUR_MS / factor);
      const idleUnfocused = await sandboxCalls(workshop.endpoint);
      log(`calls/hour: idle unfocused ${total(idleUnfocused)}`);
      result = {
        factor,
        idleFocusedPerHour: total(idleFocused),
        idleFocused,
        idleUnfocusedPerHour: total(idleUnfocused),
        idleUnfocused,
      };
    } finally {
      model.dispose();
    }
    if (andThen) {
      await andThen(workshop);
    }
    return result;
  } finally {
    await workshop.close();
  }
}
