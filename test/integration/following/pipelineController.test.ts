// A push to the workshop pipeline, followed the way the editor follows it: the real AwsContext
// finds the deployed stack, the PipelineController picks its pipeline and service and polls them
// through the SDK adapters; the model (tree, status bar, notifications, health) reflects each stage.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { AwsContext } from '../../../src/aws/awsContext';
import { silentLogger } from '../../../src/shared/logger';
import { readSettings } from '../../../src/shared/settings';
import type { PipelineChange } from '../../../src/pipeline/pipelineTracker';
import type { RunStatus } from '../../../src/pipeline/runStatus';
import { PipelineController } from '../../../src/following/pipelineController';
import { APP_FILES, PIPELINE_STACK, STAGES, startWorkshop, waitFor, type Workshop } from '../pipeline/workshop';

interface Observation {
  readonly execution?: string;
  readonly stages: readonly RunStatus[];
  readonly statusBar: string;
}

describe('a push through the workshop pipeline', () => {
  let workshop: Workshop;
  let aws: AwsContext;
  let controller: PipelineController;
  const observed: Observation[] = [];
  const changes: PipelineChange[] = [];

  before(async () => {
    workshop = await startWorkshop({ speed: 30 });
    aws = new AwsContext(
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
    controller = new PipelineController(aws, silentLogger, {
      focused: true,
      poller: { fastMs: 100, backoff: { baseMs: 200, maxMs: 1_000 } },
    });
    controller.onDidChange((event) => {
      if (event.kind !== 'pipeline') {
        return;
      }
      changes.push(event.change);
      const view = controller.tracker?.view;
      observed.push({
        execution: view?.execution?.id,
        stages: view?.state?.stages.map((s) => s.status) ?? [],
        statusBar: view?.statusBar.text ?? '',
      });
    });
  });

  after(async () => {
    controller?.dispose();
    aws?.dispose();
    await workshop?.close();
  });

  it('follows the stack’s pipeline and service once connected', async () => {
    const state = await aws.refresh();
    assert.equal(state.kind, 'ready');
    const target = await waitFor(
      () => controller.target,
      10_000,
      () => `selection ${controller.selection.kind}`,
    );
    assert.deepEqual(target, {
      pipelineName: workshop.outputs.PipelineName,
      region: 'us-east-1',
      fromStack: true,
      cluster: workshop.outputs.ClusterName,
      service: workshop.outputs.ServiceName,
    });
    const root = await waitFor(
      () => controller.tracker?.view.root,
      10_000,
      () => 'no pipeline tree',
    );
    assert.equal(root.label, workshop.outputs.PipelineName);
    assert.deepEqual(root.children === 'lazy' ? [] : root.children.map((c) => c.label), [
      ...STAGES,
      'Execution History',
    ]);
    // CodePipeline starts a first execution when the pipeline is created (of an empty branch here).
    assert.match(root.description, /^(No executions yet|Failed|In progress)/);
    assert.equal(controller.tracker?.view.statusBar.visible, true);
  });

  it('reflects every stage of the pushed commit waitFor it succeeds, then notifies and shows the healthy service', async () => {
    const pushedAt = Date.now();
    const commitId = await workshop.push(APP_FILES, 'Add the app');
    controller.follow({ commitId, pushedAt });
    const tracker = controller.tracker!;
    const execution = await waitFor(
      () => {
        const m = tracker.view.followMatch;
        return m?.kind === 'matched' && m.execution.status === 'Succeeded' ? m.execution : undefined;
      },
      120_000,
      () =>
        `followed: ${JSON.stringify(tracker.view.followMatch)}; stages ${JSON.stringify(tracker.view.state?.stages.map((s) => [s.name, s.status]))}`,
    );
    assert.equal(execution.revisions[0]?.revisionId, commitId);

    // Each stage was seen running, in pipeline order, and the run ended with all four passed.
    const mine = observed.filter((o) => o.execution === execution.id);
    const firstRunning = STAGES.map((_, i) => mine.findIndex((o) => o.stages[i] === 'InProgress'));
    for (const [i, at] of firstRunning.entries()) {
      assert.ok(at >= 0, `${STAGES[i]} never seen in progress: ${JSON.stringify(mine.map((o) => o.stages))}`);
    }
    assert.deepEqual(
      [...firstRunning].sort((a, b) => a - b),
      firstRunning,
      'stages start in order',
    );
    assert.deepEqual(mine.at(-1)?.stages, ['Succeeded', 'Succeeded', 'Succeeded', 'Succeeded']);
    assert.ok(
      mine.some((o) => o.statusBar.startsWith('$(sync~spin) Following')),
      JSON.stringify(mine.map((o) => o.statusBar)),
    );
    assert.match(tracker.view.statusBar.text, /^\$\(pass\) Succeeded/);
    assert.equal(tracker.view.statusBar.backgroundColor, undefined);

    // Only changed nodes were reported after the first build of the tree.
    assert.ok(
      changes.slice(1).every((c) => !c.tree.roots),
      'the top level was rebuilt after the first poll',
    );
    assert.ok(
      changes.some(
        (c) => c.tree.nodeIds.length > 0 && !c.tree.nodeIds.includes(`pipeline:${workshop.outputs.PipelineName}`),
      ) || changes.length > 0,
    );

    // The finish of the user's push is announced once.
    const notices = changes.flatMap((c) => c.notifications);
    assert.equal(notices.length, 1, JSON.stringify(notices));
    assert.equal(notices[0]?.severity, 'info');
    assert.match(notices[0]?.message ?? '', new RegExp(`${commitId.slice(0, 7)} Add the app succeeded`));

    // The history lists the run with its short commit and message.
    const root = tracker.view.root!;
    const history = root.children === 'lazy' ? undefined : root.children.find((c) => c.label === 'Execution History');
    assert.ok(history && history.children !== 'lazy');
    assert.equal(history.children[0]?.label, `${commitId.slice(0, 7)} Add the app`);
    const actions = await tracker.loadActionExecutions(execution.id);
    assert.deepEqual([...new Set(actions.map((a) => a.stageName))], STAGES);

    // The service runs the pushed commit and is healthy.
    const health = await waitFor(
      () => {
        const h = controller.health?.view.health;
        return h?.verdict === 'Healthy' && h.deployments[0]?.commitId === commitId ? h : undefined;
      },
      60_000,
      () => JSON.stringify(controller.health?.view.health?.deployments),
    );
    assert.equal(health.running, health.desired);
    assert.ok(health.targetGroups.every((g) => g.healthy === g.total && g.total > 0));
  });
});
