// A throttling storm on GetPipelineState (more throttles than the SDK's own retries absorb): the
// poller reports "throttled, retrying", the status bar says so, the tree stays, and polling
// recovers by itself with no unhandled rejection.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { codePipelineApi } from '../../../src/aws/codepipeline';
import { pollErrorKind } from '../../../src/aws/errors';
import { AdaptivePoller, type PollerStatus } from '../../../src/polling/adaptivePoller';
import { PipelineTracker } from '../../../src/pipeline/pipelineTracker';
import { startWorkshop, waitFor, type Workshop } from './workshop';

describe('a throttling storm', () => {
  let workshop: Workshop;
  const rejections: unknown[] = [];
  const onRejection = (reason: unknown): void => void rejections.push(reason);

  before(async () => {
    process.on('unhandledRejection', onRejection);
    workshop = await startWorkshop({ speed: 30 });
  });

  after(async () => {
    process.off('unhandledRejection', onRejection);
    await workshop?.close();
  });

  it('backs off, shows throttled, and recovers', async () => {
    const tracker = new PipelineTracker({
      api: codePipelineApi(workshop.session),
      pipelineName: workshop.outputs.PipelineName,
      region: 'us-east-1',
      notifications: () => 'mine',
    });
    const poller = new AdaptivePoller([tracker], {
      fastMs: 100,
      focused: true,
      backoff: { baseMs: 200, maxMs: 1_000 },
      classify: pollErrorKind,
    });
    const statuses: PollerStatus[] = [];
    const barTexts: string[] = [];
    poller.onDidChangeStatus((s) => {
      statuses.push(s);
      tracker.setRetrying(s.retry ? { reason: s.retry.reason, retryAt: s.retry.retryAt } : undefined);
      barTexts.push(tracker.view.statusBar.text);
    });
    try {
      await poller.refreshNow();
      const before = tracker.view.root;
      assert.ok(before, 'the tree is built before the storm');

      const put = await fetch(`${workshop.endpoint}/_sandbox/faults`, {
        method: 'PUT',
        body: 'codepipeline:GetPipelineState=throttle#12',
      });
      assert.equal(put.status, 200, await put.text());
      poller.start();
      await poller.refreshNow(); // the first poll of the storm fails (the SDK's retries are spent too)

      const retry = await waitFor(
        () => statuses.find((s) => s.retry)?.retry,
        10_000,
        () => JSON.stringify(statuses),
      );
      assert.equal(retry.reason, 'throttled');
      assert.ok(
        barTexts.some((t) => t.includes('$(debug-disconnect) throttled')),
        JSON.stringify(barTexts),
      );
      assert.ok(tracker.view.root, 'the tree stays while retrying');

      const recovered = await waitFor(
        () => (statuses.at(-1)?.retry === undefined && statuses.some((s) => s.retry) ? statuses.at(-1) : undefined),
        30_000,
        () => JSON.stringify(statuses.at(-1)),
      );
      assert.equal(recovered.mode, 'slow');
      assert.ok(!tracker.view.statusBar.text.includes('throttled'));
      const faults = (await (await fetch(`${workshop.endpoint}/_sandbox/faults`)).json()) as { spec: string };
      assert.match(faults.spec, /0 left/, `every planted throttle was consumed: ${faults.spec}`);
      assert.ok(statuses.filter((s) => s.retry).length >= 1);
      assert.deepEqual(rejections, []);
    } finally {
      poller.dispose();
      tracker.dispose();
    }
  });
});
