// The Service Health view as plain nodes: the service with its verdict, its deployments (with
// the commit each runs), target health per target group, and the latest service events.
import { escapeMarkdown, firstLine, formatAge, shortRevision } from '../pipeline/format';
import { FAILED_COLOR, PASSED_COLOR, WARNING_COLOR } from '../pipeline/runStatus';
import { leaf, type IconView, type TreeNodeView } from '../pipeline/viewNode';
import type { DeploymentHealth, HealthVerdict, ServiceHealth, TargetGroupHealth } from './serviceHealth';

export function verdictIcon(verdict: HealthVerdict): IconView {
  switch (verdict) {
    case 'Healthy':
      return { id: 'pass', color: PASSED_COLOR };
    case 'Deploying':
      return { id: 'sync~spin' };
    case 'Degraded':
      return { id: 'warning', color: WARNING_COLOR };
    case 'Unhealthy':
      return { id: 'error', color: FAILED_COLOR };
  }
}

export const healthNodeIds = {
  service: (svc: string) => `service:${svc}`,
  deployments: (svc: string) => `deployments:${svc}`,
  deployment: (svc: string, id: string) => `deployment:${svc}/${id}`,
  targets: (svc: string) => `targets:${svc}`,
  targetGroup: (svc: string, arn: string) => `targetGroup:${svc}/${arn}`,
  reason: (svc: string, arn: string, state: string, reason: string) => `targetReason:${svc}/${arn}/${state}/${reason}`,
  events: (svc: string) => `events:${svc}`,
  event: (svc: string, id: string) => `event:${svc}/${id}`,
};

export function buildHealthTree(h: ServiceHealth, now: number, consoleUrl?: string): TreeNodeView[] {
  const svc = h.serviceName;
  const service: TreeNodeView = leaf({
    id: healthNodeIds.service(svc),
    label: svc,
    description: h.found
      ? `${h.verdict} · ${h.running}/${h.desired} running${h.pending ? ` · ${h.pending} pending` : ''}`
      : 'not found',
    tooltip: [
      `**${escapeMarkdown(svc)}** — ${h.verdict}`,
      escapeMarkdown(h.reason),
      `Status ${h.status} · desired ${h.desired} · running ${h.running} · pending ${h.pending}`,
    ].join('\n\n'),
    icon: verdictIcon(h.verdict),
    contextValue: `service ${h.verdict.toLowerCase()}${consoleUrl ? ' hasConsole' : ''}`,
    links: consoleUrl ? { consoleUrl } : {},
  });
  if (!h.found) {
    return [service];
  }
  const deployments: TreeNodeView = {
    id: healthNodeIds.deployments(svc),
    label: 'Deployments',
    description: `${h.deployments.length}`,
    tooltip: 'PRIMARY is the newest deployment; ACTIVE ones still run tasks being replaced.',
    icon: { id: 'rocket' },
    contextValue: 'deployments',
    collapsible: 'expanded',
    children: h.deployments.map((d) => deploymentNode(svc, d, now)),
    links: {},
  };
  const targets: TreeNodeView = {
    id: healthNodeIds.targets(svc),
    label: 'Target Health',
    description: h.targetGroups.map((g) => `${g.healthy}/${g.total}`).join(' · ') || 'no load balancer',
    tooltip: 'Application Load Balancer target health per target group.',
    icon: { id: 'pulse' },
    contextValue: 'targets',
    collapsible: 'expanded',
    children: h.targetGroups.map((g) => targetGroupNode(svc, g)),
    links: {},
  };
  const events: TreeNodeView = {
    id: healthNodeIds.events(svc),
    label: 'Events',
    description: h.events[0]?.at ? formatAge(h.events[0].at, now) : '',
    tooltip: 'The latest ECS service events, newest first.',
    icon: { id: 'output' },
    contextValue: 'events',
    collapsible: 'collapsed',
    children: h.events.map((e) =>
      leaf({
        id: healthNodeIds.event(svc, e.id),
        label: firstLine(e.message),
        description: formatAge(e.at, now),
        tooltip: `${escapeMarkdown(e.message)}${e.at ? `\n\n${e.at.toISOString()}` : ''}`,
        icon: { id: /unhealthy|fail|unable|error|stopped/i.test(e.message) ? 'warning' : 'info' },
        contextValue: 'serviceEvent',
        links: {},
      }),
    ),
    links: {},
  };
  return [service, deployments, targets, events];
}

function deploymentNode(svc: string, d: DeploymentHealth, now: number): TreeNodeView {
  const rev = d.revision !== undefined ? `${d.family}:${d.revision}` : d.family || d.taskDefinition;
  const rollout = d.rolloutState ?? '';
  const icon: IconView =
    rollout === 'IN_PROGRESS'
      ? { id: 'sync~spin' }
      : rollout === 'FAILED'
        ? { id: 'error', color: FAILED_COLOR }
        : d.status === 'PRIMARY'
          ? { id: 'pass', color: PASSED_COLOR }
          : { id: 'circle-outline' };
  const lines = [`**${d.status}** — ${escapeMarkdown(rev)}`];
  if (rollout) {
    lines.push(`Rollout: ${rollout}${d.rolloutStateReason ? ` — ${escapeMarkdown(d.rolloutStateReason)}` : ''}`);
  }
  lines.push(
    `Tasks: ${d.running} running, ${d.pending} pending, ${d.desired} desired${d.failedTasks ? `, ${d.failedTasks} failed` : ''}`,
  );
  if (d.image) {
    lines.push(`Image: \`${d.image.replace(/`/g, '')}\``);
  }
  if (d.commitId) {
    lines.push(`$(git-commit) Commit \`${d.commitId}\``);
  }
  if (d.updatedAt) {
    lines.push(`Updated ${formatAge(d.updatedAt, now)}`);
  }
  return leaf({
    id: healthNodeIds.deployment(svc, d.id),
    label: `${d.status} · ${rev}`,
    description: [rollout, d.commitId ? shortRevision(d.commitId) : (d.imageTag ?? ''), `${d.running}/${d.desired}`]
      .filter(Boolean)
      .join(' · '),
    tooltip: lines.join('\n\n'),
    icon,
    contextValue: `deployment ${d.status.toLowerCase()}`,
    links: {},
  });
}

function targetGroupNode(svc: string, g: TargetGroupHealth): TreeNodeView {
  const counts = [
    `${g.healthy} healthy`,
    g.unhealthy ? `${g.unhealthy} unhealthy` : '',
    g.draining ? `${g.draining} draining` : '',
    g.initial ? `${g.initial} initial` : '',
    g.other ? `${g.other} other` : '',
  ].filter(Boolean);
  const icon: IconView =
    g.total > 0 && g.healthy === 0
      ? { id: 'error', color: FAILED_COLOR }
      : g.unhealthy + g.other > 0
        ? { id: 'warning', color: WARNING_COLOR }
        : { id: 'pass', color: PASSED_COLOR };
  return {
    id: healthNodeIds.targetGroup(svc, g.arn),
    label: g.name,
    description: counts.join(' · '),
    tooltip: [
      `**${escapeMarkdown(g.name)}**`,
      counts.join(', '),
      ...g.reasons.map(
        (r) =>
          `- ${r.count} ${r.state}${r.reason ? ` \`${r.reason}\`` : ''}${r.description ? `: ${escapeMarkdown(r.description)}` : ''}`,
      ),
    ].join('\n\n'),
    icon,
    contextValue: 'targetGroup',
    collapsible: g.reasons.length > 0 ? 'expanded' : 'none',
    children: g.reasons.map((r) =>
      leaf({
        id: healthNodeIds.reason(svc, g.arn, r.state, r.reason),
        label: `${r.count} ${r.state}`,
        description: r.reason,
        tooltip: escapeMarkdown(r.description ?? r.reason),
        icon:
          r.state === 'unhealthy' || r.state === 'unhealthy.draining'
            ? { id: 'error', color: FAILED_COLOR }
            : { id: 'info' },
        contextValue: 'targetReason',
        links: {},
      }),
    ),
    links: {},
  };
}
