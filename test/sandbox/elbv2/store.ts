// Elastic Load Balancing v2 state: load balancers, target groups, listeners, and the targets ECS
// registers (task IPs) with their health, which the ECS rollout moves along.
import { randomBytes } from 'node:crypto';
import type { Sandbox } from '../core/types';

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
  if (!target) return;
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
