// ECS tasks pull their images: an ECR image that does not exist stops the task before it runs with
// Fargate's CannotPullContainerError, the scheduler backs off and says it cannot start tasks, and
// the circuit breaker (threshold: half the desired count, 3..200) fails and rolls the deployment
// back — or, without it, keeps trying until the image appears. Tasks get addresses from their
// subnets, report health only with a container health check, and load balancers know their VPC.
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { afterEach, test } from 'node:test';
import type { ProviderContext, ResourceProvider } from '../../../sandbox/cloudformation/providers/registry';
import { ec2Providers } from '../../../sandbox/cloudformation/providers/ec2';
import { stopBackground } from '../../../sandbox/core/background';
import { createClock } from '../../../sandbox/core/clock';
import type { RequestContext, Sandbox } from '../../../sandbox/core/types';
import { cidrContains } from '../../../sandbox/ec2/addressing';
import { createRepository, findRepository, pushImage } from '../../../sandbox/ecr/store';
import { failureThreshold, MAX_RESTART_DELAY_MS, restartDelayMs } from '../../../sandbox/ecs/circuitBreaker';
import { imagePullError } from '../../../sandbox/ecs/imagePull';
import { ecsResourceProviders } from '../../../sandbox/ecs/provider';
import { ecsService } from '../../../sandbox/ecs/service';
import { ecsState, type Service, type Task } from '../../../sandbox/ecs/store';
import { elbv2ResourceProviders } from '../../../sandbox/elbv2/provider';
import { elbv2Service } from '../../../sandbox/elbv2/service';

const ACCOUNT = '000000000000';
const REGISTRY = `${ACCOUNT}.dkr.ecr.us-east-1.amazonaws.com`;
const sandboxes: Sandbox[] = [];

afterEach(async () => {
  for (const sandbox of sandboxes.splice(0)) await stopBackground(sandbox);
});

function newSandbox(): Sandbox {
  const sandbox: Sandbox = {
    clock: createClock(100_000),
    state: {},
    changed: () => undefined,
    bus: new EventEmitter(),
    scenarios: {},
    dataDir: '/nonexistent',
  };
  sandboxes.push(sandbox);
  return sandbox;
}

const ctx = (sandbox: Sandbox): RequestContext => ({
  sandbox,
  accountId: ACCOUNT,
  region: 'us-east-1',
  accessKeyId: 'test',
  requestId: 'r',
  host: 'h',
});

function provide(
  sandbox: Sandbox,
  providers: Record<string, ResourceProvider>,
  type: string,
  properties: Record<string, unknown>,
) {
  const context: ProviderContext = {
    sandbox,
    accountId: ACCOUNT,
    region: 'us-east-1',
    host: 'h',
    stackId: `arn:aws:cloudformation:us-east-1:${ACCOUNT}:stack/S/1`,
    stackName: 'S',
    logicalId: type.split('::')[2],
    signal: new AbortController().signal,
    initiated: () => undefined,
  };
  return providers[type].create(properties, context);
}

async function until<T>(what: string, check: () => T | undefined | false, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

/** A cluster, a target group and a service of `desired` tasks running `image` (which exists). */
async function serviceWith(
  sandbox: Sandbox,
  options: { circuitBreaker: boolean; desired?: number; healthCheck?: boolean },
): Promise<Service> {
  const repo = createRepository(sandbox, { accountId: ACCOUNT, region: 'us-east-1', repositoryName: 'app' });
  pushImage(sandbox, repo, 'commit-1', ['v1']);
  await provide(sandbox, ecsResourceProviders, 'AWS::ECS::Cluster', { ClusterName: 'c' });
  const td = await provide(sandbox, ecsResourceProviders, 'AWS::ECS::TaskDefinition', {
    Family: 'app',
    ContainerDefinitions: [
      {
        Name: 'app',
        Image: `${REGISTRY}/app:v1`,
        PortMappings: [{ ContainerPort: 8080 }],
        ...(options.healthCheck ? { HealthCheck: { Command: ['CMD-SHELL', 'curl -f localhost:8080/health'] } } : {}),
      },
    ],
  });
  const tg = await provide(sandbox, elbv2ResourceProviders, 'AWS::ElasticLoadBalancingV2::TargetGroup', {
    Name: 'tg',
    Port: 8080,
    Protocol: 'HTTP',
    TargetType: 'ip',
    HealthCheckIntervalSeconds: 10,
    HealthyThresholdCount: 2,
  });
  await provide(sandbox, ecsResourceProviders, 'AWS::ECS::Service', {
    Cluster: 'c',
    ServiceName: 's',
    TaskDefinition: td.physicalId,
    DesiredCount: options.desired ?? 2,
    LoadBalancers: [{ TargetGroupArn: tg.physicalId, ContainerName: 'app', ContainerPort: 8080 }],
    DeploymentConfiguration: { DeploymentCircuitBreaker: { Enable: options.circuitBreaker, Rollback: true } },
  });
  return Object.values(ecsState(sandbox).services)[0];
}

/** Registers a revision running `image` and deploys it, as the pipeline's Deploy action does. */
async function deploy(sandbox: Sandbox, image: string): Promise<string> {
  const { taskDefinition } = (await ecsService.operations.RegisterTaskDefinition(
    { family: 'app', containerDefinitions: [{ name: 'app', image, portMappings: [{ containerPort: 8080 }] }] },
    ctx(sandbox),
  )) as { taskDefinition: { taskDefinitionArn: string } };
  await ecsService.operations.UpdateService(
    { cluster: 'c', service: 's', taskDefinition: taskDefinition.taskDefinitionArn },
    ctx(sandbox),
  );
  return taskDefinition.taskDefinitionArn;
}

const tasksOf = (sandbox: Sandbox, taskDefinitionArn: string): Task[] =>
  Object.values(ecsState(sandbox).tasks).filter((t) => t.taskDefinitionArn === taskDefinitionArn);

test('the circuit breaker fails a deployment after half its desired count of failed tasks, between 3 and 200', () => {
  assert.deepEqual([1, 2, 6, 7, 25, 400, 401, 800].map(failureThreshold), [3, 3, 3, 4, 13, 200, 200, 200]);
});

test('the scheduler retries a failing launch at once, then ever more slowly, at most every 15 minutes', () => {
  const delays = [0, 1, 2, 3, 4, 5, 6, 7, 20].map(restartDelayMs);
  assert.deepEqual(delays.slice(0, 2), [0, 0]);
  for (let i = 2; i < delays.length - 1; i++) assert.ok(delays[i] <= delays[i + 1], `non-decreasing at ${i}`);
  assert.ok(delays[2] > 0);
  assert.equal(delays.at(-1), MAX_RESTART_DELAY_MS);
  assert.equal(MAX_RESTART_DELAY_MS, 15 * 60_000);
});

test("an ECR image that is not there cannot be pulled, in Fargate's words; other registries are pullable", () => {
  const sandbox = newSandbox();
  const repo = createRepository(sandbox, { accountId: ACCOUNT, region: 'us-east-1', repositoryName: 'team/app' });
  const image = pushImage(sandbox, repo, 'commit-1', ['v1']);
  const notFound = (ref: string) =>
    `CannotPullContainerError: pull image manifest has been retried 1 time(s): failed to resolve ref ${ref}: ${ref}: not found`;
  assert.equal(imagePullError(sandbox, `${REGISTRY}/team/app:v1`), undefined);
  assert.equal(imagePullError(sandbox, `${REGISTRY}/team/app@${image.imageDigest}`), undefined);
  assert.equal(imagePullError(sandbox, `${REGISTRY}/team/app:v2`), notFound(`${REGISTRY}/team/app:v2`));
  assert.equal(imagePullError(sandbox, `${REGISTRY}/team/app`), notFound(`${REGISTRY}/team/app:latest`));
  assert.equal(imagePullError(sandbox, `${REGISTRY}/other:v1`), notFound(`${REGISTRY}/other:v1`));
  const digest = `sha256:${'0'.repeat(64)}`;
  assert.equal(imagePullError(sandbox, `${REGISTRY}/team/app@${digest}`), notFound(`${REGISTRY}/team/app@${digest}`));
  assert.equal(imagePullError(sandbox, 'public.ecr.aws/nginx/nginx:latest'), undefined);
  assert.equal(imagePullError(sandbox, 'node:20-alpine'), undefined);
});

test('a deployment whose image is missing: tasks stop unstarted, the scheduler backs off, the circuit breaker rolls back', async () => {
  const sandbox = newSandbox();
  const service = await serviceWith(sandbox, { circuitBreaker: true });
  const [good] = service.deployments;
  assert.equal(good.rolloutState, 'COMPLETED');
  const oldTasks = Object.values(ecsState(sandbox).tasks).map((t) => t.taskArn);
  const oldRevision = service.taskDefinition;

  const image = `${REGISTRY}/app:v2`;
  const revision = await deploy(sandbox, image);
  const failed = service.deployments.find((d) => d.taskDefinition === revision)!;
  await until(
    'the rollback completes',
    () => failed.rolloutState === 'FAILED' && service.deployments[0].rolloutState === 'COMPLETED',
  );

  assert.equal(failed.rolloutStateReason, 'ECS deployment circuit breaker: tasks failed to start.');
  assert.ok(failed.failedTasks >= 3, `failedTasks ${failed.failedTasks}`);
  assert.deepEqual(
    service.deployments.map((d) => [d.taskDefinition, d.rolloutState]),
    [[oldRevision, 'COMPLETED']],
  );
  const running = Object.values(ecsState(sandbox).tasks).filter((t) => t.desiredStatus === 'RUNNING');
  assert.deepEqual(running.map((t) => t.taskArn).sort(), oldTasks.sort(), 'the old tasks kept serving');

  // Every task of the failed revision stopped without ever running, and says why.
  const stopped = tasksOf(sandbox, revision);
  assert.equal(stopped.length, failed.failedTasks);
  const reason = `CannotPullContainerError: pull image manifest has been retried 1 time(s): failed to resolve ref ${image}: ${image}: not found`;
  const { tasks } = (await ecsService.operations.DescribeTasks(
    { cluster: 'c', tasks: stopped.map((t) => t.taskArn) },
    ctx(sandbox),
  )) as { tasks: Record<string, unknown>[] };
  for (const t of tasks) {
    assert.equal(t.lastStatus, 'STOPPED');
    assert.equal(t.desiredStatus, 'STOPPED');
    assert.equal(t.stopCode, 'TaskFailedToStart');
    assert.equal(t.stoppedReason, reason);
    assert.equal(t.startedAt, undefined, 'it never started');
    const [container] = t.containers as Record<string, unknown>[];
    assert.deepEqual([container.lastStatus, container.reason], ['STOPPED', reason]);
  }

  // The service's event log, oldest first.
  const messages = service.events.map((e) => e.message).reverse();
  const at = (text: string): number => messages.findIndex((m) => m === `(service s) ${text}`);
  const unable = at(
    'is unable to consistently start tasks successfully. For more information, see the Troubleshooting section of the Amazon ECS Developer Guide.',
  );
  const failedAt = at(`(deployment ${failed.id}) deployment failed: tasks failed to start.`);
  const rollingBack = at(`rolling back to deployment ${good.id}.`);
  const completed = at(`(deployment ${service.deployments[0].id}) deployment completed.`);
  assert.ok(unable >= 0 && failedAt > unable && rollingBack > failedAt && completed > rollingBack, messages.join('\n'));
  assert.equal(messages.at(-1), '(service s) has reached a steady state.');
});

test('without a circuit breaker the scheduler keeps trying, and the deployment completes once the image exists', async () => {
  const sandbox = newSandbox();
  const service = await serviceWith(sandbox, { circuitBreaker: false });
  const revision = await deploy(sandbox, `${REGISTRY}/app:v2`);
  const deployment = service.deployments[0];
  await until('many more failed tasks than a circuit breaker allows', () => deployment.failedTasks >= 8);
  assert.equal(deployment.rolloutState, 'IN_PROGRESS');
  assert.equal(service.deployments.length, 2, 'the old deployment still serves');
  assert.equal(
    service.events.filter((e) => /is unable to consistently start tasks successfully/.test(e.message)).length,
    1,
    'the event is not repeated while the cause lasts',
  );

  pushImage(sandbox, findRepository(sandbox, ACCOUNT, 'us-east-1', 'app')!, 'commit-2', ['v2']);
  await until('the deployment completes', () => deployment.rolloutState === 'COMPLETED', 20_000);
  assert.equal(tasksOf(sandbox, revision).filter((t) => t.lastStatus === 'RUNNING').length, 2);
});

test('a task reports health only when its container has a health check', async () => {
  const plain = newSandbox();
  await serviceWith(plain, { circuitBreaker: true });
  const unchecked = Object.values(ecsState(plain).tasks);
  assert.deepEqual(
    unchecked.map((t) => [t.lastStatus, t.healthStatus]),
    [
      ['RUNNING', 'UNKNOWN'],
      ['RUNNING', 'UNKNOWN'],
    ],
  );
  const described = (await ecsService.operations.DescribeTasks(
    { cluster: 'c', tasks: unchecked.map((t) => t.taskArn) },
    ctx(plain),
  )) as { tasks: { healthStatus: string; containers: { healthStatus: string }[] }[] };
  assert.deepEqual(
    described.tasks.map((t) => [t.healthStatus, t.containers[0].healthStatus]),
    [
      ['UNKNOWN', 'UNKNOWN'],
      ['UNKNOWN', 'UNKNOWN'],
    ],
  );

  const checked = newSandbox();
  await serviceWith(checked, { circuitBreaker: true, healthCheck: true });
  assert.deepEqual(
    Object.values(ecsState(checked).tasks).map((t) => t.healthStatus),
    ['HEALTHY', 'HEALTHY'],
  );
});

test("tasks take addresses from their subnets' blocks, in their zones; a load balancer is in its subnets' VPC", async () => {
  const sandbox = newSandbox();
  const vpc = await provide(sandbox, ec2Providers, 'AWS::EC2::VPC', { CidrBlock: '10.20.0.0/16' });
  const subnets = await Promise.all(
    [
      ['10.20.0.0/24', 'us-east-1a'],
      ['10.20.1.0/24', 'us-east-1b'],
    ].map(([CidrBlock, AvailabilityZone]) =>
      provide(sandbox, ec2Providers, 'AWS::EC2::Subnet', { VpcId: vpc.physicalId, CidrBlock, AvailabilityZone }),
    ),
  );
  await assert.rejects(
    provide(sandbox, ec2Providers, 'AWS::EC2::Subnet', { VpcId: vpc.physicalId, CidrBlock: '10.30.0.0/24' }),
    /The CIDR '10\.30\.0\.0\/24' is invalid\. \(Service: Ec2, Status Code: 400/,
  );
  await assert.rejects(
    provide(sandbox, ec2Providers, 'AWS::EC2::Subnet', { VpcId: vpc.physicalId, CidrBlock: '10.20.1.0/25' }),
    /The CIDR '10\.20\.1\.0\/25' conflicts with another subnet/,
  );

  await provide(sandbox, ecsResourceProviders, 'AWS::ECS::Cluster', { ClusterName: 'c' });
  const td = await provide(sandbox, ecsResourceProviders, 'AWS::ECS::TaskDefinition', {
    Family: 'web',
    ContainerDefinitions: [{ Name: 'web', Image: 'public.ecr.aws/nginx/nginx:latest' }],
  });
  await provide(sandbox, ecsResourceProviders, 'AWS::ECS::Service', {
    Cluster: 'c',
    ServiceName: 'web',
    TaskDefinition: td.physicalId,
    DesiredCount: 6,
    NetworkConfiguration: {
      AwsvpcConfiguration: { Subnets: subnets.map((s) => s.physicalId), AssignPublicIp: 'ENABLED' },
    },
  });
  const tasks = Object.values(ecsState(sandbox).tasks);
  assert.equal(tasks.length, 6);
  const bySubnet = new Map(subnets.map((s) => [s.physicalId, s.attributes!]));
  for (const task of tasks) {
    const subnet = bySubnet.get(task.subnetId ?? '');
    assert.ok(subnet, `task ${task.taskArn} is in one of the service's subnets`);
    assert.ok(cidrContains(String(subnet.CidrBlock), task.ip), `${task.ip} in ${String(subnet.CidrBlock)}`);
    assert.equal(task.availabilityZone, subnet.AvailabilityZone);
    const host = Number(task.ip.split('.')[3]);
    assert.ok(host >= 4 && host <= 254, `${task.ip} avoids the addresses AWS reserves`);
  }
  assert.equal(new Set(tasks.map((t) => t.ip)).size, 6, 'every task has its own address');
  assert.deepEqual([...new Set(tasks.map((t) => t.availabilityZone))].sort(), ['us-east-1a', 'us-east-1b']);

  const lb = await provide(sandbox, elbv2ResourceProviders, 'AWS::ElasticLoadBalancingV2::LoadBalancer', {
    Name: 'web',
    Subnets: subnets.map((s) => s.physicalId),
  });
  const { LoadBalancers } = (await elbv2Service.operations.DescribeLoadBalancers(
    { LoadBalancerArns: [lb.physicalId] },
    ctx(sandbox),
  )) as { LoadBalancers: { VpcId: string; AvailabilityZones: { ZoneName: string; SubnetId: string }[] }[] };
  assert.equal(LoadBalancers[0].VpcId, vpc.physicalId);
  assert.deepEqual(
    LoadBalancers[0].AvailabilityZones.map((z) => [z.SubnetId, z.ZoneName]),
    subnets.map((s) => [s.physicalId, s.attributes!.AvailabilityZone]),
  );
});
