// ECS UpdateService with a new desiredCount scales the PRIMARY deployment in place: scaling in
// drains and stops the extra tasks, scaling out starts new ones; no new deployment either way.
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { after, test } from 'node:test';
import { stopBackground } from '../../../sandbox/core/background';
import { createClock } from '../../../sandbox/core/clock';
import type { RequestContext, Sandbox } from '../../../sandbox/core/types';
import type { ProviderContext, ResourceProvider } from '../../../sandbox/cloudformation/providers/registry';
import { ecsResourceProviders } from '../../../sandbox/ecs/provider';
import { ecsService } from '../../../sandbox/ecs/service';
import { ecsState } from '../../../sandbox/ecs/store';
import { elbv2ResourceProviders } from '../../../sandbox/elbv2/provider';
import { findTargetGroup } from '../../../sandbox/elbv2/store';

const sandbox: Sandbox = {
  clock: createClock(100_000),
  state: {},
  changed: () => undefined,
  bus: new EventEmitter(),
  scenarios: {},
  dataDir: '/nonexistent',
};
after(() => stopBackground(sandbox));
const ctx: RequestContext = {
  sandbox,
  accountId: '000000000000',
  region: 'us-east-1',
  accessKeyId: 'test',
  requestId: 'r',
  host: 'h',
};

function provide(providers: Record<string, ResourceProvider>, type: string, properties: Record<string, unknown>) {
  const context: ProviderContext = {
    sandbox,
    accountId: '000000000000',
    region: 'us-east-1',
    host: 'h',
    stackId: 'arn:aws:cloudformation:us-east-1:000000000000:stack/S/1',
    stackName: 'S',
    logicalId: type.split('::')[2],
    signal: new AbortController().signal,
    initiated: () => undefined,
  };
  return providers[type].create(properties, context);
}

async function until(what: string, check: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

test('desiredCount down stops tasks, up starts tasks, within the same deployment', async () => {
  await provide(ecsResourceProviders, 'AWS::ECS::Cluster', { ClusterName: 'c' });
  const td = await provide(ecsResourceProviders, 'AWS::ECS::TaskDefinition', {
    Family: 'app',
    ContainerDefinitions: [{ Name: 'app', Image: 'app:1' }],
  });
  const tg = await provide(elbv2ResourceProviders, 'AWS::ElasticLoadBalancingV2::TargetGroup', {
    Name: 'tg',
    Port: 8080,
    Protocol: 'HTTP',
    TargetType: 'ip',
  });
  await provide(ecsResourceProviders, 'AWS::ECS::Service', {
    Cluster: 'c',
    ServiceName: 's',
    TaskDefinition: td.physicalId,
    DesiredCount: 3,
    LoadBalancers: [{ TargetGroupArn: tg.physicalId, ContainerName: 'app', ContainerPort: 8080 }],
  });
  const service = Object.values(ecsState(sandbox).services)[0];
  const deploymentId = service.deployments[0].id;
  const runningTasks = () =>
    Object.values(ecsState(sandbox).tasks).filter((t) => t.desiredStatus === 'RUNNING' && t.lastStatus === 'RUNNING');
  const targets = () => findTargetGroup(sandbox, tg.physicalId)!.targets;
  assert.equal(runningTasks().length, 3);

  const scaledIn = (await ecsService.operations.UpdateService(
    { cluster: 'c', service: 's', desiredCount: 1 },
    ctx,
  )) as { service: { desiredCount: number; deployments: { id: string }[] } };
  assert.equal(scaledIn.service.desiredCount, 1);
  assert.deepEqual(
    scaledIn.service.deployments.map((d) => d.id),
    [deploymentId],
    'no new deployment for a scaling change',
  );
  assert.equal(runningTasks().length, 1, 'the extra tasks are to be stopped at once');
  assert.deepEqual(
    targets()
      .map((t) => t.state)
      .sort(),
    ['draining', 'draining', 'healthy'],
  );
  await until(
    'the extra tasks stopped',
    () => Object.values(ecsState(sandbox).tasks).filter((t) => t.lastStatus === 'STOPPED').length === 2,
  );
  assert.deepEqual(
    targets().map((t) => t.state),
    ['healthy'],
  );
  assert.equal(service.deployments[0].runningCount, 1);
  assert.match(
    service.events[0].message,
    /^\(service s\) has stopped 2 running tasks: \(task [0-9a-f]+\) \(task [0-9a-f]+\)\.$/,
  );

  await ecsService.operations.UpdateService({ cluster: 'c', service: 's', desiredCount: 2 }, ctx);
  await until(
    'a second task runs and is healthy',
    () => runningTasks().length === 2 && targets().filter((t) => t.state === 'healthy').length === 2,
  );
  assert.deepEqual(
    service.deployments.map((d) => [d.id, d.desiredCount, d.runningCount]),
    [[deploymentId, 2, 2]],
  );
});
