// Issue 13's table on the sandbox, through the real adapters and the poller: a missing cluster or
// service, desired 0 (and starting the tasks again), targets in their first checks, running tasks with
// no registered target (DeregisterTargets), unhealthy targets, rejected credentials,
// throttling and an unreachable endpoint each reach the state the Service Health view shows.
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { DescribeServicesCommand, ECSClient, UpdateServiceCommand } from '@aws-sdk/client-ecs';
import {
  DeregisterTargetsCommand,
  DescribeTargetHealthCommand,
  ElasticLoadBalancingV2Client,
  RegisterTargetsCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { AwsSession } from '../../../src/aws/awsSession';
import { pollErrorKind } from '../../../src/aws/errors';
import { ecsApi } from '../../../src/aws/ecs';
import { elbv2Api } from '../../../src/aws/elbv2';
import { HealthTracker, type HealthTrackerOptions } from '../../../src/health/healthTracker';
import { AdaptivePoller } from '../../../src/polling/adaptivePoller';
import { silentLogger } from '../../../src/shared/logger';
import type { TreeNodeView } from '../../../src/pipeline/viewNode';
import { DEFAULT_ACCOUNT_ID } from '../../sandbox/core/server';
import { startWorkshop, testCredentials, waitFor, type Workshop } from '../pipeline/workshop';

const WHERE = { account: DEFAULT_ACCOUNT_ID, region: 'us-east-1' };
const CONTEXT = { profile: undefined, region: 'us-east-1', endpointUrl: undefined, sso: false };

describe('service health tells the truth on the sandbox', () => {
  let workshop: Workshop;
  let cluster: string;
  let service: string;
  const trackers: HealthTracker[] = [];
  const pollers: AdaptivePoller[] = [];

  function tracker(options: Partial<HealthTrackerOptions> = {}): HealthTracker {
    const t = new HealthTracker({
      ecs: ecsApi(workshop.session),
      elbv2: elbv2Api(workshop.session),
      cluster,
      service,
      where: WHERE,
      errorContext: CONTEXT,
      defaultDesiredCount: 2,
      ...options,
    });
    trackers.push(t);
    return t;
  }

  function poll(t: HealthTracker): AdaptivePoller {
    // Classified by the SDK's own rules, as the controller's poller is.
    const p = new AdaptivePoller([t], {
      backoff: { baseMs: 200, maxMs: 1_000 },
      log: silentLogger,
      classify: pollErrorKind,
    });
    pollers.push(p);
    p.start();
    return p;
  }

  async function updateService(input: { desiredCount?: number; forceNewDeployment?: boolean }): Promise<void> {
    const ecs = new ECSClient({ endpoint: workshop.endpoint, region: 'us-east-1', credentials: testCredentials });
    try {
      await ecs.send(new UpdateServiceCommand({ cluster, service, ...input }));
    } finally {
      ecs.destroy();
    }
  }

  const children = (n: TreeNodeView | undefined) => (n && n.children !== 'lazy' ? n.children : []);

  before(async () => {
    workshop = await startWorkshop({ speed: 30, serviceOnly: true });
    cluster = workshop.outputs.ClusterName;
    service = workshop.outputs.ServiceName;
  });

  after(async () => {
    for (const p of pollers) p.dispose();
    for (const t of trackers) t.dispose();
    await workshop?.close();
  });

  it('a missing cluster: named with its account and region, Deploy Service Stack offered, polling paused', async () => {
    const t = tracker({ cluster: 'no-such-cluster' });
    const outcome = await t.run();
    assert.equal(outcome.paused, true);
    const [node] = t.view.nodes;
    assert.equal(node?.label, `Cluster no-such-cluster does not exist in ${DEFAULT_ACCOUNT_ID} us-east-1`);
    assert.deepEqual(
      children(node).map((c) => c.label),
      ['Deploy Service Stack', 'Select Profile', 'Select Region'],
    );
    const p = poll(t);
    await p.refreshNow();
    assert.equal(p.status.retry, undefined, 'not "offline, retrying"');
  });

  it('a missing service in an existing cluster: named, with Deploy Service Stack', async () => {
    const t = tracker({ service: 'no-such-service' });
    assert.equal((await t.run()).paused, true);
    assert.equal(t.serviceStatus, 'Missing');
    assert.equal(
      t.view.nodes[0]?.label,
      `Service no-such-service in cluster ${cluster} does not exist in ${DEFAULT_ACCOUNT_ID} us-east-1`,
    );
  });

  it('rejected credentials: named as such with the fix, not retried as offline', async () => {
    const ecs = new ECSClient({
      endpoint: workshop.endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'AKIAUNKNOWNKEY000000', secretAccessKey: 'wrong' },
    });
    try {
      const t = tracker({
        ecs: {
          describeService: (c, s) => ecs.send(new DescribeServicesCommand({ cluster: c, services: [s] })),
          describeTaskDefinition: () => Promise.reject(new Error('not reached')),
        },
      });
      assert.equal((await t.run()).paused, true);
      assert.equal(t.view.problem?.kind, 'credentials');
      assert.match(t.view.problem?.message ?? '', /UnrecognizedClientException/);
      assert.equal(t.serviceStatus, 'Unreadable');
    } finally {
      ecs.destroy();
    }
  });

  it('desired 0: "Not serving: 0 tasks" with Start 2 Tasks; starting them reaches N/N running, N/N targets healthy', async () => {
    const t = tracker();
    await updateService({ desiredCount: 0 });
    await waitFor(
      async () => {
        await t.run();
        return t.view.health?.verdict === 'NotServing' ? true : undefined;
      },
      60_000,
      () => JSON.stringify(t.view.health?.reason),
      100,
    );
    assert.equal(t.view.nodes[0]?.description, 'Not serving: 0 tasks');
    const start = t.view.nodes.find((n) => n.contextValue === 'startService');
    assert.equal(start?.label, 'Start 2 Tasks');
    const target = t.view.health?.targetGroups[0];
    assert.equal(target && target.total - target.draining, 0);
    await ecsApi(workshop.session).setDesiredCount(cluster, service, 2);
    await waitFor(
      async () => {
        await t.run();
        return t.view.health?.verdict === 'Healthy' ? true : undefined;
      },
      60_000,
      () => JSON.stringify(t.view.health?.reason),
      100,
    );
    assert.equal(t.view.nodes[0]?.description, 'Healthy · 2/2 running, 2/2 targets healthy');
  });

  it('targets not yet healthy: new tasks in their first health checks are not Healthy, and it says so', async () => {
    const t = tracker();
    await updateService({ forceNewDeployment: true });
    const seen = await waitFor(
      async () => {
        await t.run();
        const h = t.view.health;
        return h && h.targetGroups.some((g) => g.initial > 0) ? h : undefined;
      },
      60_000,
      () => JSON.stringify(t.view.health?.targetGroups),
      50,
    );
    assert.notEqual(seen.verdict, 'Healthy');
    const group = children(t.view.nodes.find((n) => n.id.startsWith('targets:')))[0];
    assert.match(group?.description ?? '', /initial/);
    assert.notEqual(group?.icon.id, 'pass');
    await waitFor(
      async () => {
        await t.run();
        return t.view.health?.verdict === 'Healthy' ? true : undefined;
      },
      60_000,
      () => JSON.stringify(t.view.health?.reason),
      100,
    );
  });

  it('tasks running but 0 registered targets (DeregisterTargets): Unhealthy, naming the empty target group', async () => {
    const t = tracker();
    await waitFor(
      async () => {
        await t.run();
        return t.view.health?.verdict === 'Healthy' ? true : undefined;
      },
      60_000,
      () => JSON.stringify(t.view.health?.reason),
      100,
    );
    const groupArn = workshop.outputs.TargetGroupArn ?? '';
    const elb = new ElasticLoadBalancingV2Client({
      endpoint: workshop.endpoint,
      region: 'us-east-1',
      credentials: testCredentials,
    });
    try {
      const registered = await elb.send(new DescribeTargetHealthCommand({ TargetGroupArn: groupArn }));
      const targets = (registered.TargetHealthDescriptions ?? []).map((d) => ({
        Id: d.Target!.Id!,
        Port: d.Target!.Port,
      }));
      assert.equal(targets.length, 2);
      await elb.send(new DeregisterTargetsCommand({ TargetGroupArn: groupArn, Targets: targets }));

      // At once: the targets drain, the tasks keep running, nothing is registered.
      const draining = await elb.send(new DescribeTargetHealthCommand({ TargetGroupArn: groupArn }));
      assert.deepEqual(
        draining.TargetHealthDescriptions?.map((d) => [d.TargetHealth?.State, d.TargetHealth?.Reason]),
        targets.map(() => ['draining', 'Target.DeregistrationInProgress']),
      );
      await t.run();
      const h = t.view.health;
      assert.equal(h?.verdict, 'Unhealthy');
      assert.equal(h?.running, 2);
      assert.match(
        h?.reason ?? '',
        /^2 task\(s\) running, but no target is registered in .+: the load balancer sends them nothing\.$/,
      );
      assert.notEqual(t.view.nodes[0]?.icon.id, 'pass');

      // After the deregistration delay they are gone; asked for by name they are not registered.
      const gone = await waitFor(
        async () => {
          const out = await elb.send(new DescribeTargetHealthCommand({ TargetGroupArn: groupArn }));
          return out.TargetHealthDescriptions?.length === 0 ? out : undefined;
        },
        60_000,
        () => 'still draining',
        100,
      );
      assert.deepEqual(gone.TargetHealthDescriptions, []);
      const named = await elb.send(new DescribeTargetHealthCommand({ TargetGroupArn: groupArn, Targets: targets }));
      assert.deepEqual(
        named.TargetHealthDescriptions?.map((d) => [d.TargetHealth?.State, d.TargetHealth?.Reason]),
        targets.map(() => ['unused', 'Target.NotRegistered']),
      );
      await t.run();
      assert.equal(t.view.health?.verdict, 'Unhealthy');

      // Deregistering what is not registered is no error (the API reference's note).
      await elb.send(new DeregisterTargetsCommand({ TargetGroupArn: groupArn, Targets: targets }));

      // Registering the tasks' addresses again: initial checks, then Healthy.
      await elb.send(new RegisterTargetsCommand({ TargetGroupArn: groupArn, Targets: targets }));
      const initial = await elb.send(new DescribeTargetHealthCommand({ TargetGroupArn: groupArn }));
      assert.deepEqual(
        initial.TargetHealthDescriptions?.map((d) => d.TargetHealth?.State),
        targets.map(() => 'initial'),
      );
      await waitFor(
        async () => {
          await t.run();
          return t.view.health?.verdict === 'Healthy' ? true : undefined;
        },
        60_000,
        () => JSON.stringify(t.view.health?.reason),
        100,
      );
    } finally {
      elb.destroy();
    }
  });

  it('unhealthy targets: never Healthy while they fail, and the reason says so', async () => {
    const t = tracker();
    workshop.sandbox.sandbox.scenarios.unhealthyTasks = true;
    try {
      await updateService({ forceNewDeployment: true });
      const seen = await waitFor(
        async () => {
          await t.run();
          const h = t.view.health;
          return h && h.targetGroups.some((g) => g.unhealthy > 0) ? h : undefined;
        },
        60_000,
        () => JSON.stringify(t.view.health?.targetGroups),
        50,
      );
      assert.notEqual(seen.verdict, 'Healthy');
      const group = children(t.view.nodes.find((n) => n.id.startsWith('targets:')))[0];
      assert.match(group?.description ?? '', /unhealthy/);
      assert.notEqual(group?.icon.id, 'pass');
    } finally {
      delete workshop.sandbox.sandbox.scenarios.unhealthyTasks;
    }
  });

  it('throttling: "throttled, retrying", then the service again once AWS answers', async () => {
    const t = tracker();
    workshop.sandbox.faults.set('ecs:DescribeServices=throttle');
    const p = poll(t);
    try {
      await waitFor(
        () => (p.status.retry?.reason === 'throttled' ? true : undefined),
        60_000,
        () => 'no retry status',
      );
      assert.equal(t.view.problem, undefined, 'throttling is no problem of the service');
    } finally {
      workshop.sandbox.faults.set('');
    }
    await waitFor(
      () => (p.status.retry === undefined && t.view.health ? true : undefined),
      60_000,
      () => JSON.stringify(p.status),
    );
  });

  it('an unreachable endpoint: "offline, retrying", never a problem of the service', async () => {
    const closed = await new Promise<number>((resolve) => {
      const server = createServer();
      server.listen(0, '127.0.0.1', () => {
        const { port } = server.address() as { port: number };
        server.close(() => resolve(port));
      });
    });
    const session = new AwsSession(
      { profile: undefined, region: 'us-east-1', endpointUrl: `http://127.0.0.1:${closed}`, sso: false },
      silentLogger,
    );
    try {
      const t = tracker({ ecs: ecsApi(session), elbv2: elbv2Api(session) });
      const p = poll(t);
      await waitFor(
        () => (p.status.retry?.reason === 'offline' ? true : undefined),
        60_000,
        () => 'no retry status',
      );
      assert.equal(t.view.problem, undefined);
      assert.deepEqual(t.view.nodes, []);
      p.dispose();
    } finally {
      session.dispose();
    }
  });
});
