// ECS DescribeServices (+ the task definitions of its deployments) and ELBv2 DescribeTargetHealth
// per target group, as one health picture with a verdict.
import * as l10n from '@vscode/l10n';
import type { Deployment, Service, TaskDefinition } from '../aws/ecs';
import type { TargetHealthDescription } from '../aws/elbv2';
import { commitFromTag, parseImage, taskDefinitionName } from './imageTag';

/**
 * `NotServing`: the service is asked to run no task (desired 0), so nothing answers behind its
 * load balancer; a warning, not an error, with the way to start tasks next to it.
 */
export type HealthVerdict = 'Healthy' | 'Deploying' | 'Degraded' | 'Unhealthy' | 'NotServing';

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

/** A target group whose targets could not be read: it does not exist (any more), or reading it is denied. */
export interface TargetGroupProblem {
  readonly kind: 'missing' | 'accessDenied';
  readonly message: string;
}

export interface TargetGroupHealth {
  readonly arn: string;
  readonly name: string;
  /** Set when the group's targets could not be read; its counts are then all 0. */
  readonly problem?: TargetGroupProblem;
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
  /** Healthy targets and registered ones (draining left out), over every target group. */
  readonly targets: { readonly healthy: number; readonly registered: number };
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
  /** DescribeTargetHealth results, or why they could not be read, by target group ARN. */
  readonly targetHealth: ReadonlyMap<string, readonly TargetHealthDescription[] | TargetGroupProblem>;
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
      targets: { healthy: 0, registered: 0 },
      verdict: 'Unhealthy',
      reason: l10n.t('Service {0} was not found.', input.serviceName),
    };
  }
  const container = s.loadBalancers?.find((lb) => lb.containerName)?.containerName;
  const deployments = (s.deployments ?? []).map((d) => deploymentHealth(d, input.taskDefinitions, container));
  const targetGroups = [...input.targetHealth].map(([arn, targets]) =>
    Array.isArray(targets) ? targetGroupHealth(arn, targets) : unreadableGroup(arn, targets as TargetGroupProblem),
  );
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
    targets: {
      healthy: targetGroups.reduce((n, g) => n + g.healthy, 0),
      registered: targetGroups.reduce((n, g) => n + registeredTargets(g), 0),
    },
  };
  return { ...base, ...verdictOf(base) };
}

/** Targets that take (or are being checked to take) new requests: every state but draining. */
export function registeredTargets(g: Pick<TargetGroupHealth, 'total' | 'draining'>): number {
  return g.total - g.draining;
}

/**
 * The overall verdict, first rule that applies:
 *
 * 1. **Unhealthy** — the service is not ACTIVE (DRAINING: being deleted).
 * 2. **Deploying** — a deployment is under way: more than one deployment is listed (PRIMARY
 *    replacing ACTIVE), or the PRIMARY rollout is IN_PROGRESS (not once it FAILED); or tasks are
 *    starting in place (a scale-out: tasks pending, or targets still in their initial health checks).
 * 3. **NotServing** — desired 0: no task is meant to run, nothing answers behind the load balancer.
 * 4. **Unhealthy** — tasks should run but nothing serves: no task RUNNING; or tasks run but a target
 *    group has no registered target, or none of its registered targets is healthy.
 * 5. **Degraded** — serving, but not as asked: the PRIMARY rollout FAILED, fewer tasks run than
 *    desired, or some target is unhealthy or unavailable.
 * 6. **Healthy** — running = desired > 0, and every registered target of every group is healthy
 *    (draining targets are on their way out and left out).
 */
export function verdictOf(
  h: Pick<ServiceHealth, 'found' | 'status' | 'desired' | 'running' | 'deployments' | 'targetGroups'> & {
    readonly pending?: number;
  },
): { verdict: HealthVerdict; reason: string } {
  if (!h.found || h.status !== 'ACTIVE') {
    return {
      verdict: 'Unhealthy',
      reason: h.found
        ? l10n.t('The service is {0}{1}.', h.status, h.status === 'DRAINING' ? l10n.t(' (being deleted)') : '')
        : l10n.t('The service was not found.'),
    };
  }
  const primary = h.deployments.find((d) => d.status === 'PRIMARY');
  const rollingOut =
    primary?.rolloutState !== 'FAILED' &&
    (h.deployments.filter((d) => d.status === 'PRIMARY' || d.status === 'ACTIVE').length > 1 ||
      primary?.rolloutState === 'IN_PROGRESS');
  if (rollingOut) {
    const failing =
      primary && primary.failedTasks > 0
        ? l10n.t(' {0} task(s) of the new deployment failed so far.', primary.failedTasks)
        : '';
    const rev = primary?.revision !== undefined ? ` to ${primary.family}:${primary.revision}` : '';
    return {
      verdict: 'Deploying',
      reason: l10n.t(
        'Deployment{0} in progress: {1}/{2} new tasks running.{3}',
        rev,
        primary?.running ?? 0,
        primary?.desired ?? h.desired,
        failing,
      ),
    };
  }
  const pending = h.pending ?? 0;
  // A group whose targets may not be read says nothing about serving; its node says why.
  const groups = h.targetGroups.filter((g) => g.problem?.kind !== 'accessDenied');
  const checking = groups.reduce((n, g) => n + g.initial, 0);
  if (h.desired > 0 && (pending > 0 || (checking > 0 && h.running > 0))) {
    return {
      verdict: 'Deploying',
      reason:
        pending > 0
          ? l10n.t('Starting tasks: {0}/{1} running, {2} pending.', h.running, h.desired, pending)
          : l10n.t(
              '{0} target(s) still in their first health checks; {1}/{2} tasks running.',
              checking,
              h.running,
              h.desired,
            ),
    };
  }
  if (h.desired === 0) {
    return h.running > 0
      ? { verdict: 'Deploying', reason: l10n.t('Stopping {0} task(s): the service is scaled to 0.', h.running) }
      : {
          verdict: 'NotServing',
          reason: l10n.t('Not serving: 0 tasks (desired count 0), so nothing answers its requests.'),
        };
  }
  if (h.running === 0) {
    return { verdict: 'Unhealthy', reason: l10n.t('No task is running ({0} desired).', h.desired) };
  }
  const empty = groups.find((g) => registeredTargets(g) === 0);
  if (empty) {
    return {
      verdict: 'Unhealthy',
      reason: empty.problem
        ? l10n.t('{0} task(s) running, but {1}', h.running, empty.problem.message)
        : l10n.t(
            '{0} task(s) running, but no target is registered in {1}: the load balancer sends them nothing.',
            h.running,
            empty.name,
          ),
    };
  }
  const dead = groups.find((g) => g.healthy === 0);
  if (dead) {
    return {
      verdict: 'Unhealthy',
      reason: l10n.t('No healthy target in {0}: {1}.', dead.name, describeNotHealthy(dead)),
    };
  }
  if (primary?.rolloutState === 'FAILED') {
    return {
      verdict: 'Degraded',
      reason: l10n.t(
        'The last rollout failed{0}',
        primary.rolloutStateReason ? `: ${primary.rolloutStateReason}` : '.',
      ),
    };
  }
  if (h.running < h.desired) {
    return { verdict: 'Degraded', reason: l10n.t('{0} of {1} tasks running.', h.running, h.desired) };
  }
  const sick = groups.find((g) => g.healthy < registeredTargets(g));
  if (sick) {
    return {
      verdict: 'Degraded',
      reason: l10n.t(
        '{0} of {1} targets not healthy in {2}: {3}.',
        registeredTargets(sick) - sick.healthy,
        registeredTargets(sick),
        sick.name,
        describeNotHealthy(sick),
      ),
    };
  }
  const targets = groups.reduce((n, g) => n + g.healthy, 0);
  return {
    verdict: 'Healthy',
    reason: l10n.t(
      '{0}/{1} tasks running{2}.',
      h.running,
      h.desired,
      groups.length > 0 ? l10n.t(', {0}/{1} targets healthy', targets, targets) : '',
    ),
  };
}

/** "2 unhealthy, 1 initial" */
function describeNotHealthy(g: TargetGroupHealth): string {
  return (
    [
      g.unhealthy ? l10n.t('{0} unhealthy', g.unhealthy) : '',
      g.initial ? l10n.t('{0} in initial health checks', g.initial) : '',
      g.other
        ? `${g.other} ${g.reasons.find((r) => !['unhealthy', 'initial', 'draining'].includes(r.state))?.state ?? 'other'}`
        : '',
    ]
      .filter(Boolean)
      .join(', ') || l10n.t('none healthy')
  );
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

function unreadableGroup(arn: string, problem: TargetGroupProblem): TargetGroupHealth {
  return {
    arn,
    name: targetGroupName(arn),
    problem,
    total: 0,
    healthy: 0,
    unhealthy: 0,
    draining: 0,
    initial: 0,
    other: 0,
    reasons: [],
  };
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
