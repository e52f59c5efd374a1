// The ECS deployment engine: a new PRIMARY deployment starts its tasks, registers them with the
// target group, waits for health checks, then drains and stops the old tasks — or, when the
// scenario makes new tasks fail their health checks, the circuit breaker fails and rolls back.
import { runInBackground } from '../core/background';
import type { Sandbox } from '../core/types';
import { findTargetGroup, registerTarget, removeTarget, setTargetHealth } from '../elbv2/store';
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
      const failed = tasks.filter((_task, i) => !results[i]);
      await Promise.all(
        failed.map((task) => stopTask(sandbox, service, task, 'Task failed ELB health checks', signal)),
      );
      if (failed.length === 0) addEvent(sandbox, service, 'has reached a steady state.');
    });
  }
}

async function rollOut(sandbox: Sandbox, service: Service, deployment: Deployment, signal: AbortSignal): Promise<void> {
  const clock = sandbox.clock;
  const isPrimary = (): boolean => service.deployments[0] === deployment && deployment.status === 'PRIMARY';
  const threshold = Math.max(3, Math.min(200, Math.ceil(deployment.desiredCount / 2)));
  const healthy = new Set<Task>();

  // Launch and health-check tasks until the deployment has its desired count of healthy ones.
  while (healthy.size < deployment.desiredCount) {
    if (!isPrimary()) return; // superseded by a newer deployment, which cleans up
    const wanted = deployment.desiredCount - healthy.size;
    const tasks = Array.from({ length: wanted }, () => launchTask(sandbox, service, deployment));
    addEvent(
      sandbox,
      service,
      `has started ${tasks.length} tasks: ${tasks.map((t) => `(task ${shortName(t.taskArn)})`).join(' ')}.`,
    );
    const results = await Promise.all(tasks.map((task) => startTask(sandbox, service, deployment, task, signal)));
    if (!isPrimary()) return;
    const failed = tasks.filter((_task, i) => !results[i]);
    for (const task of tasks.filter((_task, i) => results[i])) healthy.add(task);
    if (failed.length > 0) {
      deployment.failedTasks += failed.length;
      await Promise.all(
        failed.map((task) => stopTask(sandbox, service, task, 'Task failed ELB health checks', signal)),
      );
      addEvent(
        sandbox,
        service,
        `has stopped ${failed.length} running tasks: ${failed.map((t) => `(task ${shortName(t.taskArn)})`).join(' ')}.`,
      );
      if (service.circuitBreaker.enable && deployment.failedTasks >= threshold) {
        await failDeployment(sandbox, service, deployment, [...healthy], signal);
        return;
      }
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
  addEvent(sandbox, service, `deployment ${deployment.id} deployment completed.`);
  addEvent(sandbox, service, 'has reached a steady state.');
}

function launchTask(sandbox: Sandbox, service: Service, deployment: Deployment): Task {
  const td = findTaskDefinition(sandbox, service.accountId, service.region, deployment.taskDefinition);
  const containers = ((td?.body.containerDefinitions ?? []) as { name?: unknown; image?: unknown }[]).map((c) => ({
    name: String(c.name),
    image: String(c.image),
  }));
  const clusterName = shortName(service.clusterArn);
  const subnets =
    ((service.networkConfiguration?.awsvpcConfiguration as { subnets?: unknown[] } | undefined)?.subnets ?? [])
      .length || 2;
  const azIndex = Object.keys(ecsState(sandbox).tasks).length % subnets;
  const task: Task = {
    taskArn: `arn:aws:ecs:${service.region}:${service.accountId}:task/${clusterName}/${hexId(16)}`,
    clusterArn: service.clusterArn,
    serviceArn: service.serviceArn,
    taskDefinitionArn: td?.taskDefinitionArn ?? deployment.taskDefinition,
    startedBy: deployment.id,
    lastStatus: 'PROVISIONING',
    desiredStatus: 'RUNNING',
    healthStatus: 'UNKNOWN',
    ip: `10.0.${azIndex * 16 + Math.floor(Math.random() * 16)}.${2 + Math.floor(Math.random() * 250)}`,
    availabilityZone: `${service.region}${'abcdef'[azIndex % 6]}`,
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

/** Provisions, starts and health-checks one task; true when it became healthy. */
async function startTask(
  sandbox: Sandbox,
  service: Service,
  deployment: Deployment,
  task: Task,
  signal: AbortSignal,
): Promise<boolean> {
  const clock = sandbox.clock;
  await clock.sleep(PROVISIONING_MS, signal);
  task.lastStatus = 'PENDING';
  sandbox.changed();
  await clock.sleep(PULL_MS, signal);
  task.lastStatus = 'RUNNING';
  task.startedAt = clock.now().getTime();
  deployment.pendingCount -= 1;
  deployment.runningCount += 1;
  deployment.updatedAt = task.startedAt;
  sandbox.changed();

  const unhealthy = unhealthyScenario(sandbox);
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
    task.healthStatus = unhealthy ? 'UNHEALTHY' : 'HEALTHY';
    return !unhealthy;
  }
  // The first target group decides: its interval × threshold is how long the checks take.
  const group = findTargetGroup(sandbox, bindings[0].targetGroupArn)!;
  const checks = unhealthy ? group.unhealthyThresholdCount : group.healthyThresholdCount;
  await clock.sleep(group.healthCheckIntervalSeconds * 1000 * checks, signal);
  for (const lb of bindings) setTargetHealth(sandbox, lb.targetGroupArn, task.ip, unhealthy ? 'unhealthy' : 'healthy');
  task.healthStatus = unhealthy ? 'UNHEALTHY' : 'HEALTHY';
  sandbox.changed();
  if (unhealthy) {
    addEvent(
      sandbox,
      service,
      `(task ${shortName(task.taskArn)}) failed ELB health checks in (target-group ${group.arn})`,
    );
    deployment.runningCount -= 1;
  }
  return !unhealthy;
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
  addEvent(sandbox, service, `deployment ${deployment.id} deployment failed: tasks failed to start.`);
  const previous = service.deployments.find((d) => d !== deployment && d.status === 'ACTIVE');
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
  addEvent(sandbox, service, `deployment ${rollback.id} deployment completed.`);
  addEvent(sandbox, service, 'has reached a steady state.');
}
