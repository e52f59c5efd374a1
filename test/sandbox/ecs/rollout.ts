// The ECS deployment engine: a new PRIMARY deployment starts its tasks, registers them with the
// target group, waits for health checks, then drains and stops the old tasks. Tasks whose image
// cannot be pulled stop before they run (the scheduler retries them, more slowly each time), and
// tasks that fail their health checks are replaced; with the circuit breaker on, enough failures
// fail the deployment and, with rollback, bring back the last deployment that completed.
import { runInBackground } from '../core/background';
import type { Sandbox } from '../core/types';
import { freeAddress, subnetAddressing } from '../ec2/addressing';
import { findTargetGroup, registerTarget, removeTarget, setTargetHealth } from '../elbv2/store';
import { failureThreshold, restartDelayMs } from './circuitBreaker';
import { taskStartError } from './executionRole';
import {
  addEvent,
  deploymentId,
  ecsState,
  findTaskDefinition,
  hexId,
  shortName,
  type Deployment,
  type Service,
  type Task,
} from './store';

/** Simulated durations (AWS ms) of a Fargate task's start. */
const PROVISIONING_MS = 8_000;
const PULL_MS = 17_000;
const STOP_MS = 10_000;
/** A task that failed to start releases its network interface. */
const DEPROVISIONING_MS = 5_000;
/** Without a load balancer, ECS still waits a little before calling the deployment stable. */
const STABILIZE_MS = 20_000;

/** New tasks fail their health checks: scenario `{ "unhealthyTasks": true }` (or `{ "ecs": { "unhealthyTasks": true } }`). */
export function unhealthyScenario(sandbox: Sandbox): boolean {
  const ecs = sandbox.scenarios.ecs as { unhealthyTasks?: unknown } | undefined;
  return sandbox.scenarios.unhealthyTasks === true || ecs?.unhealthyTasks === true;
}

/** Starts a new PRIMARY deployment of the service's task definition and rolls it out in the background. */
export function startDeployment(sandbox: Sandbox, service: Service, reason = 'update'): Deployment {
  const now = sandbox.clock.now().getTime();
  for (const d of service.deployments) if (d.status === 'PRIMARY') d.status = 'ACTIVE';
  const deployment: Deployment = {
    id: deploymentId(),
    status: 'PRIMARY',
    taskDefinition: service.taskDefinition,
    desiredCount: service.desiredCount,
    pendingCount: 0,
    runningCount: 0,
    failedTasks: 0,
    createdAt: now,
    updatedAt: now,
    rolloutState: 'IN_PROGRESS',
    rolloutStateReason: '',
  };
  deployment.rolloutStateReason = `ECS deployment ${deployment.id} in progress.`;
  service.deployments.unshift(deployment);
  sandbox.changed();
  runInBackground(sandbox, `ECS ${reason} of ${service.serviceName}`, (signal) =>
    rollOut(sandbox, service, deployment, signal),
  );
  return deployment;
}

/**
 * UpdateService with only a new desiredCount: the PRIMARY deployment scales in place, as ECS does —
 * extra tasks are drained and stopped, missing ones launched and health-checked — without a new
 * deployment. While a rollout is still in progress it just takes the new count.
 */
export function scaleService(sandbox: Sandbox, service: Service): void {
  const primary = service.deployments.find((d) => d.status === 'PRIMARY');
  if (!primary) {
    startDeployment(sandbox, service, 'scaling');
    return;
  }
  primary.desiredCount = service.desiredCount;
  primary.updatedAt = sandbox.clock.now().getTime();
  sandbox.changed();
  if (primary.rolloutState !== 'COMPLETED') return;
  const running = Object.values(ecsState(sandbox).tasks).filter(
    (t) => t.serviceArn === service.serviceArn && t.startedBy === primary.id && t.desiredStatus === 'RUNNING',
  );
  if (running.length > service.desiredCount) {
    const extra = running.slice(service.desiredCount);
    // The scheduler wants them stopped at once; they keep running while their connections drain.
    for (const task of extra) task.desiredStatus = 'STOPPED';
    sandbox.changed();
    runInBackground(sandbox, `ECS scale-in of ${service.serviceName}`, (signal) =>
      retire(sandbox, service, extra, `Scaling activity initiated by (deployment ${primary.id})`, signal),
    );
  } else if (running.length < service.desiredCount) {
    const tasks = Array.from({ length: service.desiredCount - running.length }, () =>
      launchTask(sandbox, service, primary),
    );
    addEvent(
      sandbox,
      service,
      `has started ${tasks.length} tasks: ${tasks.map((t) => `(task ${shortName(t.taskArn)})`).join(' ')}.`,
    );
    runInBackground(sandbox, `ECS scale-out of ${service.serviceName}`, async (signal) => {
      const results = await Promise.all(tasks.map((task) => startTask(sandbox, service, primary, task, signal)));
      const unhealthy = tasks.filter((_task, i) => results[i] === 'unhealthy');
      await Promise.all(
        unhealthy.map((task) => stopTask(sandbox, service, task, 'Task failed ELB health checks', signal)),
      );
      if (results.every((r) => r === 'healthy')) addEvent(sandbox, service, 'has reached a steady state.');
    });
  }
}

async function rollOut(sandbox: Sandbox, service: Service, deployment: Deployment, signal: AbortSignal): Promise<void> {
  const clock = sandbox.clock;
  const isPrimary = (): boolean => service.deployments[0] === deployment && deployment.status === 'PRIMARY';
  const threshold = failureThreshold(deployment.desiredCount);
  const healthy = new Set<Task>();
  let failedLaunches = 0;
  let throttled = false;

  // Launch and health-check tasks until the deployment has its desired count of healthy ones.
  while (healthy.size < deployment.desiredCount) {
    if (!isPrimary()) return; // superseded by a newer deployment, which cleans up
    await clock.sleep(restartDelayMs(failedLaunches), signal);
    if (!isPrimary()) return;
    const wanted = deployment.desiredCount - healthy.size;
    const tasks = Array.from({ length: wanted }, () => launchTask(sandbox, service, deployment));
    addEvent(
      sandbox,
      service,
      `has started ${tasks.length} tasks: ${tasks.map((t) => `(task ${shortName(t.taskArn)})`).join(' ')}.`,
    );
    const results = await Promise.all(tasks.map((task) => startTask(sandbox, service, deployment, task, signal)));
    if (!isPrimary()) return;
    for (const task of tasks.filter((_task, i) => results[i] === 'healthy')) healthy.add(task);
    const unhealthy = tasks.filter((_task, i) => results[i] === 'unhealthy');
    const notStarted = tasks.filter((_task, i) => results[i] === 'failedToStart');
    if (unhealthy.length > 0) {
      await Promise.all(
        unhealthy.map((task) => stopTask(sandbox, service, task, 'Task failed ELB health checks', signal)),
      );
      addEvent(
        sandbox,
        service,
        `has stopped ${unhealthy.length} running tasks: ${unhealthy.map((t) => `(task ${shortName(t.taskArn)})`).join(' ')}.`,
      );
    }
    // Only tasks that never reached RUNNING make the scheduler back off.
    failedLaunches = notStarted.length > 0 && notStarted.length === tasks.length ? failedLaunches + 1 : 0;
    if (failedLaunches >= 2 && !throttled) {
      throttled = true;
      addEvent(
        sandbox,
        service,
        'is unable to consistently start tasks successfully. For more information, see the Troubleshooting section of the Amazon ECS Developer Guide.',
      );
    }
    deployment.failedTasks += unhealthy.length + notStarted.length;
    sandbox.changed();
    if (service.circuitBreaker.enable && deployment.failedTasks >= threshold) {
      await failDeployment(sandbox, service, deployment, [...healthy], signal);
      return;
    }
  }

  // Shift traffic: drain every task of older deployments, then stop them.
  const old = Object.values(ecsState(sandbox).tasks).filter(
    (t) => t.serviceArn === service.serviceArn && t.startedBy !== deployment.id && t.desiredStatus === 'RUNNING',
  );
  await retire(sandbox, service, old, `Scaling activity initiated by (deployment ${deployment.id})`, signal);
  if (!isPrimary()) return;
  await clock.sleep(STABILIZE_MS, signal);
  service.deployments = service.deployments.filter((d) => d === deployment);
  deployment.rolloutState = 'COMPLETED';
  deployment.rolloutStateReason = `ECS deployment ${deployment.id} completed.`;
  deployment.updatedAt = clock.now().getTime();
  addEvent(sandbox, service, `(deployment ${deployment.id}) deployment completed.`);
  addEvent(sandbox, service, 'has reached a steady state.');
}

function launchTask(sandbox: Sandbox, service: Service, deployment: Deployment): Task {
  const td = findTaskDefinition(sandbox, service.accountId, service.region, deployment.taskDefinition);
  const definitions = (td?.body.containerDefinitions ?? []) as {
    name?: unknown;
    image?: unknown;
    healthCheck?: unknown;
  }[];
  const containers = definitions.map((c) => ({
    name: String(c.name),
    image: String(c.image),
    ...(c.healthCheck !== undefined && c.healthCheck !== null ? { healthCheck: true } : {}),
  }));
  const clusterName = shortName(service.clusterArn);
  const all = Object.values(ecsState(sandbox).tasks);
  // Tasks spread over the service's subnets; each gets a free address of its subnet's block.
  const subnets = (
    (service.networkConfiguration?.awsvpcConfiguration as { subnets?: unknown[] } | undefined)?.subnets ?? []
  ).map(String);
  const placed = all.filter((t) => t.serviceArn === service.serviceArn).length;
  const subnetId = subnets.length > 0 ? subnets[placed % subnets.length] : undefined;
  const subnet = subnetAddressing(sandbox, service.accountId, service.region, subnetId ?? `default-${placed % 2}`);
  const used = new Set(all.filter((t) => t.lastStatus !== 'STOPPED').map((t) => t.ip));
  const task: Task = {
    taskArn: `arn:aws:ecs:${service.region}:${service.accountId}:task/${clusterName}/${hexId(16)}`,
    clusterArn: service.clusterArn,
    serviceArn: service.serviceArn,
    taskDefinitionArn: td?.taskDefinitionArn ?? deployment.taskDefinition,
    startedBy: deployment.id,
    lastStatus: 'PROVISIONING',
    desiredStatus: 'RUNNING',
    healthStatus: 'UNKNOWN',
    ip: freeAddress(subnet.cidrBlock, used) ?? subnet.cidrBlock.replace(/\.\d+\/\d+$/, '.4'),
    availabilityZone: subnet.availabilityZone,
    ...(subnetId !== undefined ? { subnetId } : {}),
    containers,
    ...(typeof td?.body.cpu === 'string' ? { cpu: td.body.cpu } : {}),
    ...(typeof td?.body.memory === 'string' ? { memory: td.body.memory } : {}),
    createdAt: sandbox.clock.now().getTime(),
  };
  ecsState(sandbox).tasks[task.taskArn] = task;
  deployment.pendingCount += 1;
  sandbox.changed();
  return task;
}

type StartOutcome = 'healthy' | 'unhealthy' | 'failedToStart';

/** Provisions, pulls, starts and health-checks one task. */
async function startTask(
  sandbox: Sandbox,
  service: Service,
  deployment: Deployment,
  task: Task,
  signal: AbortSignal,
): Promise<StartOutcome> {
  const clock = sandbox.clock;
  await clock.sleep(PROVISIONING_MS, signal);
  task.lastStatus = 'PENDING';
  sandbox.changed();
  // The execution role fetches the registry token, pulls the images and opens the log streams.
  const reason = taskStartError(
    sandbox,
    task,
    findTaskDefinition(sandbox, service.accountId, service.region, task.taskDefinitionArn),
  );
  await clock.sleep(PULL_MS, signal);
  if (reason) {
    const container = task.containers.find((c) => reason.includes(c.image.split(/[:@]/)[0])) ?? task.containers[0];
    await failToStart(sandbox, deployment, task, container, reason, signal);
    return 'failedToStart';
  }
  task.lastStatus = 'RUNNING';
  task.startedAt = clock.now().getTime();
  deployment.pendingCount -= 1;
  deployment.runningCount += 1;
  deployment.updatedAt = task.startedAt;
  sandbox.changed();

  // The scenario makes every check fail; a task without any check has nothing to fail.
  const unhealthy = unhealthyScenario(sandbox);
  const checked = task.containers.some((c) => c.healthCheck);
  const bindings = service.loadBalancers.filter((lb) => findTargetGroup(sandbox, lb.targetGroupArn));
  for (const lb of bindings) {
    registerTarget(sandbox, lb.targetGroupArn, {
      id: task.ip,
      port: lb.containerPort,
      availabilityZone: task.availabilityZone,
    });
    addEvent(sandbox, service, `registered 1 targets in (target-group ${lb.targetGroupArn})`);
  }
  if (bindings.length === 0) {
    await clock.sleep(STABILIZE_MS, signal);
    if (!checked) return 'healthy';
    task.healthStatus = unhealthy ? 'UNHEALTHY' : 'HEALTHY';
    sandbox.changed();
    return unhealthy ? 'unhealthy' : 'healthy';
  }
  // The first target group decides: its interval × threshold is how long the checks take.
  const group = findTargetGroup(sandbox, bindings[0].targetGroupArn)!;
  const checks = unhealthy ? group.unhealthyThresholdCount : group.healthyThresholdCount;
  await clock.sleep(group.healthCheckIntervalSeconds * 1000 * checks, signal);
  for (const lb of bindings) setTargetHealth(sandbox, lb.targetGroupArn, task.ip, unhealthy ? 'unhealthy' : 'healthy');
  if (checked) task.healthStatus = unhealthy ? 'UNHEALTHY' : 'HEALTHY';
  sandbox.changed();
  if (unhealthy) {
    addEvent(
      sandbox,
      service,
      `(task ${shortName(task.taskArn)}) failed ELB health checks in (target-group ${group.arn})`,
    );
    deployment.runningCount -= 1;
  }
  return unhealthy ? 'unhealthy' : 'healthy';
}

/** A task whose container could not start: it stops without ever running. */
async function failToStart(
  sandbox: Sandbox,
  deployment: Deployment,
  task: Task,
  container: Task['containers'][number],
  reason: string,
  signal: AbortSignal,
): Promise<void> {
  const clock = sandbox.clock;
  container.reason = reason;
  task.desiredStatus = 'STOPPED';
  task.lastStatus = 'DEPROVISIONING';
  task.stoppingAt = clock.now().getTime();
  task.stoppedReason = reason;
  task.stopCode = 'TaskFailedToStart';
  deployment.pendingCount -= 1;
  deployment.updatedAt = task.stoppingAt;
  sandbox.changed();
  await clock.sleep(DEPROVISIONING_MS, signal);
  task.lastStatus = 'STOPPED';
  task.stoppedAt = clock.now().getTime();
  sandbox.changed();
}

async function stopTask(
  sandbox: Sandbox,
  service: Service,
  task: Task,
  reason: string,
  signal: AbortSignal,
): Promise<void> {
  const clock = sandbox.clock;
  task.desiredStatus = 'STOPPED';
  task.lastStatus = 'DEACTIVATING';
  task.stoppingAt = clock.now().getTime();
  task.stoppedReason = reason;
  task.stopCode = 'ServiceSchedulerInitiated';
  sandbox.changed();
  await clock.sleep(STOP_MS, signal);
  for (const lb of service.loadBalancers) removeTarget(sandbox, lb.targetGroupArn, task.ip);
  task.lastStatus = 'STOPPED';
  task.stoppedAt = clock.now().getTime();
  sandbox.changed();
}

/** Deregisters the tasks from their target groups, waits out the deregistration delay, stops them. */
async function retire(
  sandbox: Sandbox,
  service: Service,
  tasks: Task[],
  reason: string,
  signal: AbortSignal,
): Promise<void> {
  if (tasks.length === 0) return;
  let delay = 0;
  for (const lb of service.loadBalancers) {
    const group = findTargetGroup(sandbox, lb.targetGroupArn);
    if (!group) continue;
    delay = Math.max(delay, group.deregistrationDelaySeconds * 1000);
    for (const task of tasks) setTargetHealth(sandbox, lb.targetGroupArn, task.ip, 'draining');
  }
  if (delay > 0) {
    addEvent(sandbox, service, `has begun draining connections on ${tasks.length} tasks.`);
    for (const lb of service.loadBalancers)
      addEvent(sandbox, service, `deregistered ${tasks.length} targets in (target-group ${lb.targetGroupArn})`);
    await sandbox.clock.sleep(delay, signal);
  }
  await Promise.all(tasks.map((task) => stopTask(sandbox, service, task, reason, signal)));
  for (const deployment of service.deployments) {
    const gone = tasks.filter((t) => t.startedBy === deployment.id).length;
    deployment.runningCount = Math.max(0, deployment.runningCount - gone);
  }
  addEvent(
    sandbox,
    service,
    `has stopped ${tasks.length} running tasks: ${tasks.map((t) => `(task ${shortName(t.taskArn)})`).join(' ')}.`,
  );
}

/** The circuit breaker trips: the deployment FAILS and, with rollback, the previous deployment's tasks serve again. */
async function failDeployment(
  sandbox: Sandbox,
  service: Service,
  deployment: Deployment,
  started: Task[],
  signal: AbortSignal,
): Promise<void> {
  const clock = sandbox.clock;
  deployment.rolloutState = 'FAILED';
  deployment.rolloutStateReason = 'ECS deployment circuit breaker: tasks failed to start.';
  deployment.updatedAt = clock.now().getTime();
  addEvent(sandbox, service, `(deployment ${deployment.id}) deployment failed: tasks failed to start.`);
  // Rollback needs a deployment that completed; a service's first deployment has none.
  const previous = service.deployments.find(
    (d) => d !== deployment && d.status === 'ACTIVE' && d.rolloutState === 'COMPLETED',
  );
  if (!service.circuitBreaker.rollback || !previous) return;
  addEvent(sandbox, service, `rolling back to deployment ${previous.id}.`);
  // The rollback is a new PRIMARY deployment of the last good task definition that keeps the old tasks.
  service.taskDefinition = previous.taskDefinition;
  const rollback: Deployment = {
    ...previous,
    id: deploymentId(),
    status: 'PRIMARY',
    createdAt: clock.now().getTime(),
    updatedAt: clock.now().getTime(),
    rolloutState: 'IN_PROGRESS',
    failedTasks: 0,
  };
  rollback.rolloutStateReason = `ECS deployment ${rollback.id} in progress.`;
  deployment.status = 'ACTIVE';
  for (const task of Object.values(ecsState(sandbox).tasks)) {
    if (task.serviceArn === service.serviceArn && task.startedBy === previous.id) task.startedBy = rollback.id;
  }
  service.deployments = [rollback, deployment];
  sandbox.changed();
  await retire(sandbox, service, started, `Scaling activity initiated by (deployment ${rollback.id})`, signal);
  await clock.sleep(STABILIZE_MS, signal);
  service.deployments = [rollback];
  rollback.rolloutState = 'COMPLETED';
  rollback.rolloutStateReason = `ECS deployment ${rollback.id} completed.`;
  rollback.updatedAt = clock.now().getTime();
  addEvent(sandbox, service, `(deployment ${rollback.id}) deployment completed.`);
  addEvent(sandbox, service, 'has reached a steady state.');
}
