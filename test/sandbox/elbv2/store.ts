// Elastic Load Balancing v2 state: load balancers, target groups, listeners, and the targets ECS
// registers (task IPs) with their health, which the ECS rollout moves along.
import { randomBytes } from 'node:crypto';
import { runInBackground } from '../core/background';
import type { Sandbox } from '../core/types';
import { ecsState } from '../ecs/store';

export type TargetState = 'initial' | 'healthy' | 'unhealthy' | 'draining' | 'unused';

export interface Target {
  readonly id: string;
  readonly port: number;
  readonly availabilityZone?: string;
  state: TargetState;
  reason?: string;
  description?: string;
}

export interface LoadBalancer {
  readonly arn: string;
  readonly name: string;
  readonly accountId: string;
  readonly region: string;
  readonly dnsName: string;
  readonly scheme: string;
  readonly type: string;
  readonly createdTime: number;
  readonly subnets: string[];
  readonly securityGroups: string[];
  vpcId?: string;
  state: 'provisioning' | 'active';
}

export interface TargetGroup {
  readonly arn: string;
  readonly name: string;
  readonly accountId: string;
  readonly region: string;
  protocol: string;
  port: number;
  targetType: string;
  vpcId?: string;
  healthCheckPath: string;
  healthCheckIntervalSeconds: number;
  healthCheckTimeoutSeconds: number;
  healthyThresholdCount: number;
  unhealthyThresholdCount: number;
  matcher: string;
  deregistrationDelaySeconds: number;
  targets: Target[];
}

export interface Listener {
  readonly arn: string;
  readonly loadBalancerArn: string;
  port: number;
  protocol: string;
  targetGroupArns: string[];
}

interface ElbState {
  loadBalancers: Record<string, LoadBalancer>;
  targetGroups: Record<string, TargetGroup>;
  listeners: Record<string, Listener>;
}

export function elbState(sandbox: Sandbox): ElbState {
  const state = sandbox.state as { elbv2?: ElbState };
  state.elbv2 ??= { loadBalancers: {}, targetGroups: {}, listeners: {} };
  return state.elbv2;
}

/** Load balancers' DNS names end in `.<region>.elb.localhost`: resolved to loopback, served by Host (serving.ts). */
export const LOAD_BALANCER_DOMAIN = 'elb.localhost';

export const hex16 = (): string => randomBytes(8).toString('hex');

export function findTargetGroup(sandbox: Sandbox, arn: string): TargetGroup | undefined {
  return elbState(sandbox).targetGroups[arn];
}

/** Load balancers whose listeners forward to the target group. */
export function loadBalancersOf(sandbox: Sandbox, targetGroupArn: string): string[] {
  const arns = Object.values(elbState(sandbox).listeners)
    .filter((l) => l.targetGroupArns.includes(targetGroupArn))
    .map((l) => l.loadBalancerArn);
  return [...new Set(arns)];
}

/** ECS registers a task's IP: it starts in `initial` while the first health checks run. */
export function registerTarget(
  sandbox: Sandbox,
  targetGroupArn: string,
  target: { id: string; port: number; availabilityZone?: string },
): void {
  const group = findTargetGroup(sandbox, targetGroupArn);
  if (!group) return;
  group.targets = group.targets.filter((t) => t.id !== target.id || t.port !== target.port);
  group.targets.push({
    ...target,
    state: 'initial',
    reason: 'Elb.InitialHealthChecking',
    description: 'Initial health checks in progress',
  });
  sandbox.changed();
}

export function setTargetHealth(sandbox: Sandbox, targetGroupArn: string, id: string, state: TargetState): void {
  const target = findTargetGroup(sandbox, targetGroupArn)?.targets.find((t) => t.id === id);
  // A deregistered target drains until it is gone: health checks no longer move it.
  if (!target || (target.state === 'draining' && state !== 'draining')) return;
  target.state = state;
  const reasons: Record<TargetState, [string, string] | undefined> = {
    initial: ['Elb.InitialHealthChecking', 'Initial health checks in progress'],
    healthy: undefined,
    unhealthy: ['Target.FailedHealthChecks', 'Health checks failed'],
    draining: ['Target.DeregistrationInProgress', 'Target deregistration is in progress'],
    unused: ['Target.NotInUse', 'Target group is not configured to receive traffic from the load balancer'],
  };
  const reason = reasons[state];
  if (reason) [target.reason, target.description] = reason;
  else {
    delete target.reason;
    delete target.description;
  }
  sandbox.changed();
}

export function removeTarget(sandbox: Sandbox, targetGroupArn: string, id: string): void {
  const group = findTargetGroup(sandbox, targetGroupArn);
  if (!group) return;
  group.targets = group.targets.filter((t) => t.id !== id);
  sandbox.changed();
}

/**
 * A target registered through the API (ECS runs its own checks for the tasks it registers): after the
 * group's healthy threshold of checks it is healthy if a running task has its address, else it timed out.
 */
export function checkRegisteredTarget(sandbox: Sandbox, targetGroupArn: string, id: string): void {
  const group = findTargetGroup(sandbox, targetGroupArn);
  const target = group?.targets.find((t) => t.id === id);
  if (!group || !target) return;
  runInBackground(sandbox, `ELB health checks of ${id}`, async (signal) => {
    await sandbox.clock.sleep(group.healthCheckIntervalSeconds * 1000 * group.healthyThresholdCount, signal);
    if (findTargetGroup(sandbox, targetGroupArn)?.targets.find((t) => t.id === id) !== target) return;
    if (target.state !== 'initial') return;
    const serving = Object.values(ecsState(sandbox).tasks).some((t) => t.ip === id && t.lastStatus === 'RUNNING');
    if (serving) setTargetHealth(sandbox, targetGroupArn, id, 'healthy');
    else {
      target.state = 'unhealthy';
      target.reason = 'Target.Timeout';
      target.description = 'Request timed out';
      sandbox.changed();
    }
  });
}

/**
 * DeregisterTargets: the target drains (`draining`, Target.DeregistrationInProgress) for the group's
 * deregistration delay, then is no longer registered (DescribeTargetHealth names it `unused`,
 * Target.NotRegistered, only when asked for it).
 */
export function drainTarget(sandbox: Sandbox, targetGroupArn: string, id: string, port: number): void {
  const group = findTargetGroup(sandbox, targetGroupArn);
  const target = group?.targets.find((t) => t.id === id && t.port === port);
  if (!group || !target || target.state === 'draining') return;
  setTargetHealth(sandbox, targetGroupArn, id, 'draining');
  runInBackground(sandbox, `ELB deregistration of ${id}`, async (signal) => {
    await sandbox.clock.sleep(group.deregistrationDelaySeconds * 1000, signal);
    const current = findTargetGroup(sandbox, targetGroupArn);
    if (!current) return;
    // Unless it was registered again meanwhile (a new target object).
    current.targets = current.targets.filter((t) => t !== target);
    sandbox.changed();
  });
}
