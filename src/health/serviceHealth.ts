// ECS DescribeServices (+ the task definitions of its deployments) and ELBv2 DescribeTargetHealth
// per target group, as one health picture with a verdict.
import type { Deployment, Service, TaskDefinition } from '../aws/ecs';
import type { TargetHealthDescription } from '../aws/elbv2';
import { commitFromTag, parseImage, taskDefinitionName } from './imageTag';

export type HealthVerdict = 'Healthy' | 'Deploying' | 'Degraded' | 'Unhealthy';

export interface DeploymentHealth {
  readonly id: string;
  /** PRIMARY (newest), ACTIVE (being replaced), INACTIVE. */
  readonly status: string;
  readonly taskDefinition: string;
  readonly family: string;
  readonly revision?: number;
  readonly rolloutState?: string;
  readonly rolloutStateReason?: string;
  readonly desired: number;
  readonly running: number;
  readonly pending: number;
  readonly failedTasks: number;
  readonly image?: string;
  readonly imageTag?: string;
  /** The commit the image was built from, when its tag is a commit id. */
  readonly commitId?: string;
  readonly createdAt?: Date;
  readonly updatedAt?: Date;
}

export interface TargetGroupHealth {
  readonly arn: string;
  readonly name: string;
  readonly total: number;
  readonly healthy: number;
  readonly unhealthy: number;
  readonly draining: number;
  readonly initial: number;
  readonly other: number;
  /** Non-healthy targets by state and reason code, most frequent first. */
  readonly reasons: readonly {
    readonly state: string;
    readonly reason: string;
    readonly description?: string;
    readonly count: number;
  }[];
}

export interface ServiceEventView {
  readonly id: string;
  readonly at?: Date;
  readonly message: string;
}

export interface ServiceHealth {
  readonly found: boolean;
  readonly serviceName: string;
  readonly clusterArn?: string;
  readonly status: string;
  readonly desired: number;
  readonly running: number;
  readonly pending: number;
  readonly deployments: readonly DeploymentHealth[];
  readonly events: readonly ServiceEventView[];
  readonly targetGroups: readonly TargetGroupHealth[];
  readonly verdict: HealthVerdict;
  /** One sentence saying why. */
  readonly reason: string;
}

export interface HealthInput {
  readonly serviceName: string;
  /** The service from DescribeServices, or undefined when it was not found (listed in `failures`). */
  readonly service: Service | undefined;
  /** Task definitions by ARN, for the images of the deployments. */
  readonly taskDefinitions: ReadonlyMap<string, TaskDefinition>;
  /** DescribeTargetHealth results, by target group ARN. */
  readonly targetHealth: ReadonlyMap<string, readonly TargetHealthDescription[]>;
  readonly maxEvents?: number;
}

export const MAX_EVENTS = 5;

export function buildServiceHealth(input: HealthInput): ServiceHealth {
  const s = input.service;
  if (!s) {
    return {
      found: false,
      serviceName: input.serviceName,
      status: 'MISSING',
      desired: 0,
      running: 0,
      pending: 0,
      deployments: [],
      events: [],
      targetGroups: [],
      verdict: 'Unhealthy',
      reason: `Service ${input.serviceName} was not found.`,
    };
  }
  const container = s.loadBalancers?.find((lb) => lb.containerName)?.containerName;
  const deployments = (s.deployments ?? []).map((d) => deploymentHealth(d, input.taskDefinitions, container));
  const targetGroups = [...input.targetHealth].map(([arn, targets]) => targetGroupHealth(arn, targets));
  const events = (s.events ?? [])
    .slice()
    .sort((a, b) => (b.createdAt?.getTime() ?? 0) - (a.createdAt?.getTime() ?? 0))
    .slice(0, input.maxEvents ?? MAX_EVENTS)
    .map((e) => ({ id: e.id ?? `${e.createdAt?.getTime() ?? 0}`, at: e.createdAt, message: e.message ?? '' }));
  const base = {
    found: true,
    serviceName: s.serviceName ?? input.serviceName,
    clusterArn: s.clusterArn,
    status: s.status ?? 'UNKNOWN',
    desired: s.desiredCount ?? 0,
    running: s.runningCount ?? 0,
    pending: s.pendingCount ?? 0,
    deployments,
    events,
    targetGroups,
  };
  return { ...base, ...verdictOf(base) };
}

/**
 * The overall verdict, first rule that applies:
 *
 * 1. **Unhealthy** — the service is missing or not ACTIVE; or it should run tasks (desired > 0)
 *    but serves nothing — no task RUNNING, or a target group with registered targets has no
 *    healthy one — and no deployment is under way to fix it.
 * 2. **Deploying** — a deployment is under way: more than one deployment is listed (PRIMARY
 *    replacing ACTIVE), or the PRIMARY deployment's rolloutState is IN_PROGRESS — unless the
 *    PRIMARY rollout has FAILED (then nothing is under way any more).
 * 3. **Degraded** — serving, but not as asked: the PRIMARY rollout FAILED, fewer tasks run than
 *    desired, or some target is unhealthy or unavailable.
 * 4. **Healthy** — otherwise: one COMPLETED deployment, running = desired, every registered
 *    target healthy (draining targets are ignored; a service scaled to zero is healthy).
 */
export function verdictOf(
  h: Pick<ServiceHealth, 'found' | 'status' | 'desired' | 'running' | 'deployments' | 'targetGroups'>,
): { verdict: HealthVerdict; reason: string } {
  if (!h.found || h.status !== 'ACTIVE') {
    return { verdict: 'Unhealthy', reason: h.found ? `The service is ${h.status}.` : 'The service was not found.' };
  }
  const primary = h.deployments.find((d) => d.status === 'PRIMARY');
  const deploying =
    primary?.rolloutState !== 'FAILED' &&
    (h.deployments.filter((d) => d.status === 'PRIMARY' || d.status === 'ACTIVE').length > 1 ||
      primary?.rolloutState === 'IN_PROGRESS');
  const deadGroup = h.targetGroups.find((g) => g.total - g.draining > 0 && g.healthy === 0);
  if (h.desired > 0 && !deploying && (h.running === 0 || deadGroup)) {
    return {
      verdict: 'Unhealthy',
      reason:
        h.running === 0 ? `No task is running (${h.desired} desired).` : `No healthy target in ${deadGroup!.name}.`,
    };
  }
  if (deploying) {
    const failing =
      primary && primary.failedTasks > 0 ? ` ${primary.failedTasks} task(s) of the new deployment failed so far.` : '';
    const rev = primary?.revision !== undefined ? ` to ${primary.family}:${primary.revision}` : '';
    return {
      verdict: 'Deploying',
      reason: `Deployment${rev} in progress: ${primary?.running ?? 0}/${primary?.desired ?? h.desired} new tasks running.${failing}`,
    };
  }
  if (primary?.rolloutState === 'FAILED') {
    return {
      verdict: 'Degraded',
      reason: `The last rollout failed${primary.rolloutStateReason ? `: ${primary.rolloutStateReason}` : '.'}`,
    };
  }
  if (h.running < h.desired) {
    return { verdict: 'Degraded', reason: `${h.running} of ${h.desired} tasks running.` };
  }
  const sick = h.targetGroups.find((g) => g.unhealthy > 0 || g.other > 0);
  if (sick) {
    return {
      verdict: 'Degraded',
      reason: `${sick.unhealthy + sick.other} of ${sick.total} targets not healthy in ${sick.name}.`,
    };
  }
  return {
    verdict: 'Healthy',
    reason: h.desired === 0 ? 'Scaled to zero tasks.' : `${h.running}/${h.desired} tasks running, all targets healthy.`,
  };
}

function deploymentHealth(
  d: Deployment,
  taskDefinitions: ReadonlyMap<string, TaskDefinition>,
  containerName: string | undefined,
): DeploymentHealth {
  const arn = d.taskDefinition ?? '';
  const { family, revision } = taskDefinitionName(arn);
  const td = taskDefinitions.get(arn);
  const containers = td?.containerDefinitions ?? [];
  const container =
    containers.find((c) => c.name === containerName) ?? containers.find((c) => c.essential !== false) ?? containers[0];
  const image = container?.image;
  const tag = image ? parseImage(image).tag : undefined;
  return {
    id: d.id ?? arn,
    status: d.status ?? 'UNKNOWN',
    taskDefinition: arn,
    family,
    revision,
    rolloutState: d.rolloutState,
    rolloutStateReason: d.rolloutStateReason,
    desired: d.desiredCount ?? 0,
    running: d.runningCount ?? 0,
    pending: d.pendingCount ?? 0,
    failedTasks: d.failedTasks ?? 0,
    image,
    imageTag: tag,
    commitId: commitFromTag(tag),
    createdAt: d.createdAt,
    updatedAt: d.updatedAt,
  };
}

/** `arn:…:targetgroup/web-tg/0123abcd` → `web-tg`. */
export function targetGroupName(arn: string): string {
  const parts = arn.split('/');
  return parts.length >= 3 ? parts[parts.length - 2] : arn;
}

function targetGroupHealth(arn: string, targets: readonly TargetHealthDescription[]): TargetGroupHealth {
  let healthy = 0;
  let unhealthy = 0;
  let draining = 0;
  let initial = 0;
  let other = 0;
  const reasons = new Map<string, { state: string; reason: string; description?: string; count: number }>();
  for (const t of targets) {
    const state = t.TargetHealth?.State ?? 'unknown';
    if (state === 'healthy') {
      healthy++;
      continue;
    }
    if (state === 'unhealthy' || state === 'unhealthy.draining') {
      unhealthy++;
    } else if (state === 'draining') {
      draining++;
    } else if (state === 'initial') {
      initial++;
    } else if (state === 'unused') {
      continue; // not registered / not in use: not part of the service's capacity
    } else {
      other++;
    }
    const reason = t.TargetHealth?.Reason ?? '';
    const key = `${state}\u0000${reason}`;
    const entry = reasons.get(key) ?? { state, reason, description: t.TargetHealth?.Description, count: 0 };
    entry.count++;
    reasons.set(key, entry);
  }
  const total = healthy + unhealthy + draining + initial + other;
  return {
    arn,
    name: targetGroupName(arn),
    total,
    healthy,
    unhealthy,
    draining,
    initial,
    other,
    reasons: [...reasons.values()].sort((a, b) => b.count - a.count),
  };
}
