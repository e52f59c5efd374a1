// The editor's pipeline model without the editor: the real AwsContext and PipelineController
// (tracker + health tracker + adaptive poller, through the SDK adapters), exactly as
// src/extension.ts wires them, pointed at a sandbox workshop.
import { AwsContext } from '../src/aws/awsContext';
import { silentLogger } from '../src/shared/logger';
import type { Timers } from '../src/polling/timers';
import { readSettings } from '../src/shared/settings';
import { PipelineController } from '../src/following/pipelineController';
import { PIPELINE_STACK, type Workshop } from '../test/integration/pipeline/workshop';
import { waitFor } from './common';

export interface EditorModel {
  readonly aws: AwsContext;
  readonly controller: PipelineController;
  dispose(): void;
}

export async function startEditorModel(workshop: Workshop, options: { timers?: Timers } = {}): Promise<EditorModel> {
  const aws = new AwsContext(
    {
      ...readSettings(() => undefined).settings,
      region: 'us-east-1',
      endpointUrl: workshop.endpoint,
      stackName: PIPELINE_STACK,
      notifications: 'mine',
    },
    [],
    {
      log: silentLogger,
      env: { AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test' },
      loadSharedConfig: () => Promise.resolve({ configFile: {}, credentialsFile: {} }),
    },
  );
  // Production poller settings (2.5 s fast, 60 s/5 min idle, 15 s background); only the clock may be swapped.
  const controller = new PipelineController(aws, silentLogger, {
    focused: true,
    poller: options.timers ? { timers: options.timers } : {},
  });
  const state = await aws.refresh();
  if (state.kind !== 'ready') {
    throw new Error(`the editor model did not connect: ${state.kind}`);
  }
  await waitFor(
    () => controller.tracker?.view.root,
    30_000,
    () => `selection ${controller.selection.kind}`,
  );
  return {
    aws,
    controller,
    dispose() {
      controller.dispose();
      aws.dispose();
    },
  };
}

/**
 * Timers `factor` times faster than the wall clock: `now()` runs `factor`× fast from the moment of
 * creation and a timeout of `ms` fires after `ms / factor` real ms. With a sandbox of the same speed
 * the poller, its clock and AWS all agree on (simulated) time.
 */
export function acceleratedTimers(factor: number): Timers {
  const realStart = Date.now();
  return {
    now: () => realStart + (Date.now() - realStart) * factor,
    setTimeout: (callback, ms) => ({ token: setTimeout(callback, ms / factor) }),
    clearTimeout: (handle) => clearTimeout(handle.token as ReturnType<typeof setTimeout>),
  };
}
