// The Service Health view as plain nodes: the service with its verdict, where it is served (the
// URL), what to do when it runs no task, its deployments (with the commit each runs), target
// health per target group, and the latest service events. When the service cannot be shown, one
// node says why, with the next steps as clickable rows.
import * as l10n from '@vscode/l10n';
import { escapeMarkdown, firstLine, formatAge, shortRevision } from '../pipeline/format';
import { FAILED_COLOR, PASSED_COLOR, WARNING_COLOR } from '../pipeline/runStatus';
import { leaf, type IconView, type NodeLinks, type TreeNodeView } from '../pipeline/viewNode';
import type { DeploymentHealth, HealthVerdict, ServiceHealth, TargetGroupHealth } from './serviceHealth';
import { registeredTargets } from './serviceHealth';
import type { ServiceProblem } from './serviceProblem';
import type { StartOffer } from './startIntent';

/** Commands the health nodes run when clicked (the editor layer registers them). */
export const HEALTH_COMMANDS = {
  openInBrowser: 'workshopPipeline.openInBrowser',
  startService: 'workshopPipeline.startService',
  deployServiceStack: 'workshopPipeline.deployServiceStack',
  selectProfile: 'workshopPipeline.selectProfile',
  selectRegion: 'workshopPipeline.selectRegion',
  refresh: 'workshopPipeline.refresh',
  openPermissions: 'workshopPipeline.openPermissions',
} as const;

/** What the view shows besides the service itself. */
export interface HealthExtras {
  /** Where the service is served (the load balancer's URL). */
  readonly url?: string;
  /** The service runs no task: how many to start, and whether their image exists. */
  readonly start?: StartOffer;
  /** The cluster, for the actions' arguments. */
  readonly cluster?: string;
}

/** Built on each call: the texts follow the display language configured at activation. */
function verdictLabel(verdict: HealthVerdict): string {
  switch (verdict) {
    case 'Healthy':
      return l10n.t('Healthy');
    case 'Deploying':
      return l10n.t('Deploying');
    case 'Degraded':
      return l10n.t('Degraded');
    case 'Unhealthy':
      return l10n.t('Unhealthy');
    case 'NotServing':
      return l10n.t('Not serving');
  }
}

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
    case 'NotServing':
      return { id: 'warning', color: WARNING_COLOR };
  }
}

export const healthNodeIds = {
  service: (svc: string) => `service:${svc}`,
  url: (svc: string) => `serviceUrl:${svc}`,
  start: (svc: string) => `startService:${svc}`,
  problem: (svc: string) => `serviceProblem:${svc}`,
  action: (svc: string, command: string) => `serviceAction:${svc}/${command}`,
  deployments: (svc: string) => `deployments:${svc}`,
  deployment: (svc: string, id: string) => `deployment:${svc}/${id}`,
  targets: (svc: string) => `targets:${svc}`,
  targetGroup: (svc: string, arn: string) => `targetGroup:${svc}/${arn}`,
  reason: (svc: string, arn: string, state: string, reason: string) => `targetReason:${svc}/${arn}/${state}/${reason}`,
  events: (svc: string) => `events:${svc}`,
  event: (svc: string, id: string) => `event:${svc}/${id}`,
};

/** "Healthy · 2/2 running, 2/2 targets healthy"; "Not serving: 0 tasks". */
export function serviceSummary(h: ServiceHealth): string {
  if (!h.found) {
    return l10n.t('not found');
  }
  if (h.verdict === 'NotServing') {
    return l10n.t('Not serving: 0 tasks');
  }
  const targets =
    h.targetGroups.length > 0 ? l10n.t(', {0}/{1} targets healthy', h.targets.healthy, h.targets.registered) : '';
  return l10n.t(
    '{0} · {1}/{2} running{3}{4}',
    verdictLabel(h.verdict),
    h.running,
    h.desired,
    targets,
    h.pending ? l10n.t(' · {0} pending', h.pending) : '',
  );
}

export function buildHealthTree(
  h: ServiceHealth,
  now: number,
  consoleUrl?: string,
  extras: HealthExtras = {},
): TreeNodeView[] {
  const svc = h.serviceName;
  const service: TreeNodeView = leaf({
    id: healthNodeIds.service(svc),
    label: svc,
    description: serviceSummary(h),
    tooltip: [
      `**${escapeMarkdown(svc)}** — ${verdictLabel(h.verdict)}`,
      escapeMarkdown(h.reason),
      l10n.t('Status {0} · desired {1} · running {2} · pending {3}', h.status, h.desired, h.running, h.pending),
    ].join('\n\n'),
    icon: verdictIcon(h.verdict),
    contextValue: `service ${h.verdict.toLowerCase()}${consoleUrl ? ' hasConsole' : ''}`,
    links: consoleUrl ? { consoleUrl } : {},
  });
  if (!h.found) {
    return [service];
  }
  const top: TreeNodeView[] = [service];
  if (extras.start && h.desired === 0 && h.running === 0) {
    top.push(startNode(svc, extras.cluster, extras.start));
  }
  if (extras.url) {
    top.push(urlNode(svc, extras.url, h));
  }
  const deployments: TreeNodeView = {
    id: healthNodeIds.deployments(svc),
    label: l10n.t('Deployments'),
    description: `${h.deployments.length}`,
    tooltip: l10n.t('PRIMARY is the newest deployment; ACTIVE ones still run tasks being replaced.'),
    icon: { id: 'rocket' },
    contextValue: 'deployments',
    collapsible: 'expanded',
    children: h.deployments.map((d) => deploymentNode(svc, d, now)),
    links: {},
  };
  const targets: TreeNodeView = {
    id: healthNodeIds.targets(svc),
    label: l10n.t('Target Health'),
    description:
      h.targetGroups.map((g) => l10n.t('{0}/{1} healthy', g.healthy, registeredTargets(g))).join(' · ') ||
      l10n.t('no load balancer'),
    tooltip: l10n.t('Application Load Balancer target health per target group.'),
    icon: { id: 'pulse' },
    contextValue: 'targets',
    collapsible: 'expanded',
    children: h.targetGroups.map((g) => targetGroupNode(svc, g)),
    links: {},
  };
  const events: TreeNodeView = {
    id: healthNodeIds.events(svc),
    label: l10n.t('Events'),
    description: h.events[0]?.at ? formatAge(h.events[0].at, now) : '',
    tooltip: l10n.t('The latest ECS service events, newest first.'),
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
  return [...top, deployments, targets, events];
}

function startNode(svc: string, cluster: string | undefined, offer: StartOffer): TreeNodeView {
  const label = l10n.t('Start {0} Task{1}', offer.desired, offer.desired === 1 ? '' : 's');
  const image =
    offer.imageReady === false
      ? l10n.t(
          'Its image is not in ECR yet: the pipeline pushes it in its PostBuild stage, and you will be asked to start the tasks then.',
        )
      : offer.imageReady
        ? l10n.t('Its image is in ECR.')
        : '';
  return leaf({
    id: healthNodeIds.start(svc),
    label,
    description:
      offer.imageReady === false ? l10n.t('waiting for the first image') : l10n.t('the service runs no task'),
    tooltip: [
      l10n.t(
        '**{0}**: set the desired count of {1} to {2} (ECS UpdateService), so its load balancer has something to serve.',
        label,
        escapeMarkdown(svc),
        offer.desired,
      ),
      image,
    ]
      .filter(Boolean)
      .join('\n\n'),
    icon: { id: 'play' },
    contextValue: 'startService',
    links: {
      runCommand: HEALTH_COMMANDS.startService,
      ...(cluster ? { cluster } : {}),
      service: svc,
      desiredCount: offer.desired,
    },
  });
}

function urlNode(svc: string, url: string, h: ServiceHealth): TreeNodeView {
  const serving = h.targets.healthy > 0;
  return leaf({
    id: healthNodeIds.url(svc),
    label: url,
    description: serving ? l10n.t('Open in Browser') : l10n.t('no healthy target: the load balancer answers 503'),
    tooltip: l10n.t('The application through its load balancer: `{0}`', url.replace(/`/g, '')),
    icon: { id: 'globe', color: serving ? PASSED_COLOR : undefined },
    contextValue: 'serviceUrl',
    links: { openUrl: url, runCommand: HEALTH_COMMANDS.openInBrowser },
  });
}

/** The one node shown instead of the service when it cannot be shown, with the next steps under it. */
export function buildProblemTree(
  svc: string,
  cluster: string,
  problem: ServiceProblem,
  consoleUrl?: string,
): TreeNodeView[] {
  const actions: { title: string; command: string; icon: string; links?: NodeLinks }[] =
    problem.kind === 'missing'
      ? [
          {
            title: l10n.t('Deploy Service Stack'),
            command: HEALTH_COMMANDS.deployServiceStack,
            icon: 'cloud-upload',
            links: { cluster, service: svc },
          },
          { title: l10n.t('Select Profile'), command: HEALTH_COMMANDS.selectProfile, icon: 'account' },
          { title: l10n.t('Select Region'), command: HEALTH_COMMANDS.selectRegion, icon: 'globe' },
        ]
      : [
          ...(problem.kind === 'accessDenied'
            ? [{ title: l10n.t('Open Permissions'), command: HEALTH_COMMANDS.openPermissions, icon: 'shield' }]
            : []),
          { title: l10n.t('Select Profile'), command: HEALTH_COMMANDS.selectProfile, icon: 'account' },
          { title: l10n.t('Refresh'), command: HEALTH_COMMANDS.refresh, icon: 'refresh' },
        ];
  const label =
    problem.kind === 'missing'
      ? problem.message.replace(/\.$/, '')
      : problem.kind === 'accessDenied'
        ? l10n.t('Access denied reading service {0}', svc)
        : l10n.t('No valid credentials to read service {0}', svc);
  return [
    {
      id: healthNodeIds.problem(svc),
      label,
      description: problem.kind === 'missing' ? '' : problem.message,
      tooltip: escapeMarkdown(problem.message),
      icon:
        problem.kind === 'missing'
          ? { id: 'error', color: FAILED_COLOR }
          : { id: problem.kind === 'accessDenied' ? 'lock' : 'key', color: WARNING_COLOR },
      contextValue: `serviceProblem ${problem.kind}${consoleUrl ? ' hasConsole' : ''}`,
      collapsible: 'expanded',
      children: actions.map((a) =>
        leaf({
          id: healthNodeIds.action(svc, a.command),
          label: a.title,
          description: '',
          tooltip: a.title,
          icon: { id: a.icon },
          contextValue: 'serviceAction',
          links: { ...a.links, runCommand: a.command },
        }),
      ),
      links: consoleUrl ? { consoleUrl } : {},
    },
  ];
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
    lines.push(
      l10n.t('Rollout: {0}{1}', rollout, d.rolloutStateReason ? ` — ${escapeMarkdown(d.rolloutStateReason)}` : ''),
    );
  }
  lines.push(
    l10n.t(
      'Tasks: {0} running, {1} pending, {2} desired{3}',
      d.running,
      d.pending,
      d.desired,
      d.failedTasks ? l10n.t(', {0} failed', d.failedTasks) : '',
    ),
  );
  if (d.image) {
    lines.push(l10n.t('Image: `{0}`', d.image.replace(/`/g, '')));
  }
  if (d.commitId) {
    lines.push(l10n.t('$(git-commit) Commit `{0}`', d.commitId));
  }
  if (d.updatedAt) {
    lines.push(l10n.t('Updated {0}', formatAge(d.updatedAt, now)));
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
    l10n.t('{0} healthy', g.healthy),
    g.unhealthy ? l10n.t('{0} unhealthy', g.unhealthy) : '',
    g.draining ? l10n.t('{0} draining', g.draining) : '',
    g.initial ? l10n.t('{0} initial', g.initial) : '',
    g.other ? l10n.t('{0} other', g.other) : '',
  ].filter(Boolean);
  const registered = registeredTargets(g);
  // A green check only for a group that serves: at least one target, every registered one healthy.
  const icon: IconView = g.problem
    ? { id: g.problem.kind === 'accessDenied' ? 'lock' : 'error', color: FAILED_COLOR }
    : registered === 0
      ? { id: 'circle-outline', color: WARNING_COLOR }
      : g.healthy === 0
        ? { id: 'error', color: FAILED_COLOR }
        : g.healthy < registered
          ? { id: 'warning', color: WARNING_COLOR }
          : { id: 'pass', color: PASSED_COLOR };
  if (g.problem) {
    return leaf({
      id: healthNodeIds.targetGroup(svc, g.arn),
      label: g.name,
      description: g.problem.kind === 'accessDenied' ? l10n.t('access denied') : l10n.t('does not exist'),
      tooltip: escapeMarkdown(g.problem.message),
      icon,
      contextValue: 'targetGroup',
      links: {},
    });
  }
  if (registered === 0 && counts.length === 1) {
    counts.splice(0, 1, l10n.t('no targets registered'));
  }
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
