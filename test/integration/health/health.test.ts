// The Service Health model against the sandbox's ECS and ELBv2 through the adapters: the service
// of service.yaml is Healthy with every target healthy; a new deployment reads Deploying (with
// PRIMARY and ACTIVE deployments) waitFor the rollout completes, then Healthy again.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ECSClient, UpdateServiceCommand } from '@aws-sdk/client-ecs';
import { ecsApi } from '../../../src/aws/ecs';
import { elbv2Api } from '../../../src/aws/elbv2';
import { HealthTracker } from '../../../src/health/healthTracker';
import { healthNodeIds } from '../../../src/health/healthTree';
import type { HealthVerdict } from '../../../src/health/serviceHealth';
import { startWorkshop, testCredentials, waitFor, type Workshop } from '../pipeline/workshop';

describe('service health', () => {
  let workshop: Workshop;
  let tracker: HealthTracker;

  before(async () => {
    workshop = await startWorkshop({ speed: 30, serviceOnly: true });
    tracker = new HealthTracker({
      ecs: ecsApi(workshop.session),
      elbv2: elbv2Api(workshop.session),
      cluster: workshop.outputs.ClusterName,
      service: workshop.outputs.ServiceName,
    });
  });

  after(async () => {
    tracker?.dispose();
    await workshop?.close();
  });

  it('reads the deployed service as healthy, with its target group', async () => {
    const health = await waitFor(
      async () => {
        await tracker.run();
        return tracker.view.health?.verdict === 'Healthy' ? tracker.view.health : undefined;
      },
      30_000,
      () => JSON.stringify(tracker.view.health),
      200,
    );
    assert.equal(health.found, true);
    assert.equal(health.running, health.desired);
    assert.ok(health.desired > 0);
    assert.equal(health.deployments.length, 1);
    assert.equal(health.deployments[0]?.status, 'PRIMARY');
    assert.equal(health.targetGroups.length, 1);
    assert.equal(health.targetGroups[0]?.arn, workshop.outputs.TargetGroupArn);
    assert.equal(health.targetGroups[0]?.healthy, health.desired);
    const labels = tracker.view.nodes.map((n) => n.label);
    assert.deepEqual(labels, [workshop.outputs.ServiceName, 'Deployments', 'Target Health', 'Events']);
    assert.match(tracker.view.nodes[0].description, /^Healthy · \d+\/\d+ running/);
  });

  it('follows a new deployment through Deploying back to Healthy, reporting only changed nodes', async () => {
    const ecs = new ECSClient({ endpoint: workshop.endpoint, region: 'us-east-1', credentials: testCredentials });
    try {
      await ecs.send(
        new UpdateServiceCommand({
          cluster: workshop.outputs.ClusterName,
          service: workshop.outputs.ServiceName,
          forceNewDeployment: true,
        }),
      );
    } finally {
      ecs.destroy();
    }
    const verdicts: HealthVerdict[] = [];
    const changedIds: string[][] = [];
    tracker.onDidChange((c) => {
      assert.equal(c.tree.roots, false);
      changedIds.push([...c.tree.nodeIds]);
    });
    let sawTwo = false;
    await waitFor(
      async () => {
        const outcome = await tracker.run();
        const h = tracker.view.health!;
        verdicts.push(h.verdict);
        sawTwo ||= h.deployments.length === 2;
        assert.equal(outcome.active, h.verdict === 'Deploying');
        return h.verdict === 'Healthy' && verdicts.includes('Deploying') ? h : undefined;
      },
      60_000,
      () => JSON.stringify(verdicts),
      100,
    );
    assert.equal(verdicts[0], 'Deploying');
    assert.ok(sawTwo, 'the old deployment stays ACTIVE while the new one rolls out');
    const svc = workshop.outputs.ServiceName;
    assert.ok(changedIds.flat().includes(healthNodeIds.service(svc)), 'the service node changed with its verdict');
  });
});
