// The commands' CodePipeline actions through the adapter, against the sandbox: list the account's
// pipelines, Release Change then Stop and abandon it, and Retry Failed Stage of a failed Build.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { codePipelineApi, type CodePipelineApi } from '../../../src/aws/codepipeline';
import { AdaptivePoller } from '../../../src/polling/adaptivePoller';
import { PipelineTracker } from '../../../src/pipeline/pipelineTracker';
import { APP_FILES, LEAKED_CONFIG, startWorkshop, waitFor, type Workshop } from './workshop';

describe('pipeline actions', () => {
  let workshop: Workshop;
  let api: CodePipelineApi;
  let tracker: PipelineTracker;
  let poller: AdaptivePoller;
  let name: string;

  before(async () => {
    workshop = await startWorkshop({ speed: 30 });
    api = codePipelineApi(workshop.session);
    name = workshop.outputs.PipelineName;
    tracker = new PipelineTracker({ api, pipelineName: name, region: 'us-east-1', notifications: () => 'mine' });
    poller = new AdaptivePoller([tracker], { fastMs: 100, focused: true });
    poller.start();
  });

  after(async () => {
    poller?.dispose();
    tracker?.dispose();
    await workshop?.close();
  });

  const status = (id: string) => tracker.view.history.find((e) => e.id === id)?.status;

  it('lists the account’s pipelines', async () => {
    assert.deepEqual(
      (await api.listPipelines()).map((p) => p.name),
      [name],
    );
  });

  it('Release Change starts an execution the tracker follows; Stop and abandon ends it as Stopped', async () => {
    // With a commit on the branch the run lasts (its Build runs real commands) long enough to be seen
    // in progress and stopped; on an empty repository Source fails within milliseconds.
    await workshop.push(APP_FILES, 'Add the app');
    const id = await api.startPipelineExecution(name);
    assert.ok(id);
    tracker.followExecution(id);
    await poller.refreshNow();
    await waitFor(
      () => (status(id) === 'InProgress' ? true : undefined),
      20_000,
      () => `${id}: ${status(id)}`,
    );
    assert.equal(tracker.view.history.find((e) => e.id === id)?.triggerType, 'StartPipelineExecution');
    await api.stopPipelineExecution(name, id, true, 'test');
    await poller.refreshNow();
    await waitFor(
      () => (status(id) === 'Stopped' ? true : undefined),
      30_000,
      () => `${id}: ${status(id)}`,
    );
  });

  it('Retry Failed Stage reruns the failed Build of the same execution', async () => {
    const commitId = await workshop.push(
      { 'app/config.js': LEAKED_CONFIG, Dockerfile: 'FROM node:20\n' },
      'Configure credentials',
    );
    tracker.follow({ commitId, pushedAt: Date.now() });
    await poller.refreshNow();
    const failed = await waitFor(
      () => {
        const m = tracker.view.followMatch;
        return m?.kind === 'matched' && m.execution.status === 'Failed' ? m.execution : undefined;
      },
      60_000,
      () => JSON.stringify(tracker.view.followMatch),
    );
    const firstBuild = tracker.view.state?.stages.find((s) => s.name === 'Build')?.actions[0]?.buildId;
    assert.ok(firstBuild);
    const retried = await api.retryStageExecution(name, 'Build', failed.id);
    assert.equal(retried, failed.id);
    await poller.refreshNow();
    // The same execution runs Build again (a new build), and fails again: the key is still there.
    const secondBuild = await waitFor(
      () => {
        const build = tracker.view.state?.stages.find((s) => s.name === 'Build')?.actions[0];
        return status(failed.id) === 'Failed' && build?.buildId && build.buildId !== firstBuild
          ? build.buildId
          : undefined;
      },
      60_000,
      () => `${status(failed.id)} ${JSON.stringify(tracker.view.state?.stages.find((s) => s.name === 'Build'))}`,
    );
    assert.notEqual(secondBuild, firstBuild);
  });
});
