// The Pipeline view as plain nodes: the pipeline (its shown execution's status and age), the
// stages of that execution with their actions, and an Execution History node.
import * as l10n from '@vscode/l10n';
import type { ActionExecutionDetail } from '../aws/codepipeline';
import { findingLocation, type Finding } from '../findings/reportFindings';
import { codeBuildConsoleUrl, executionConsoleUrl, pipelineConsoleUrl, safeUrl } from './consoleUrls';
import { executionDurationMs, primaryRevision, triggerLabel, type ExecutionSummary } from './executions';
import { escapeMarkdown, firstLine, formatAge, formatDuration, revisionMessage, shortRevision } from './format';
import { APPROVAL_ICON, isRunning, runStatus, statusIcon, statusLabel } from './runStatus';
import { focusStage, stageDurations, type ActionModel, type PipelineStateModel, type StageModel } from './stages';
import { leaf, type TreeNodeView } from './viewNode';

export interface PipelineTreeInput {
  readonly region: string;
  readonly state: PipelineStateModel;
  /** The execution the stages show (the followed one, else the newest); undefined before any run. */
  readonly execution?: ExecutionSummary;
  /** Recent executions, newest first. */
  readonly history: readonly ExecutionSummary[];
  /** Action executions already loaded for history entries, by execution id. */
  readonly actionExecutions?: ReadonlyMap<string, readonly ActionExecutionDetail[]>;
  /** The execution the user follows, marked in the history. */
  readonly followedExecutionId?: string;
  /** Findings of builds' test reports, by build id: listed under their action. */
  readonly findings?: ReadonlyMap<string, readonly Finding[]>;
  readonly now: number;
}

export const nodeIds = {
  pipeline: (p: string) => `pipeline:${p}`,
  stage: (p: string, s: string) => `stage:${p}/${s}`,
  action: (p: string, s: string, a: string) => `action:${p}/${s}/${a}`,
  actionError: (p: string, s: string, a: string) => `actionError:${p}/${s}/${a}`,
  finding: (p: string, s: string, a: string, i: number) => `finding:${p}/${s}/${a}/${i}`,
  history: (p: string) => `history:${p}`,
  execution: (p: string, id: string) => `execution:${p}/${id}`,
  actionExecution: (p: string, executionId: string, actionExecutionId: string) =>
    `actionExecution:${p}/${executionId}/${actionExecutionId}`,
};

export function buildPipelineTree(input: PipelineTreeInput): TreeNodeView {
  const { state, execution, now, region } = input;
  const name = state.pipelineName;
  const durations = stageDurations(state, execution?.startTime, now);
  const stageNodes = state.stages.map((s, i) => stageNode(input, s, durations[i]));
  const status = execution?.status ?? 'NotStarted';
  const focus = focusStage(state);
  const progress = isRunning(status) && focus ? ` · ${focus.stage.name} ${focus.position}/${state.stages.length}` : '';
  const age = execution ? formatAge(execution.lastUpdateTime ?? execution.startTime, now) : '';
  const description = execution
    ? [`${statusLabel(status)}${progress}`, isRunning(status) ? '' : age].filter(Boolean).join(' · ')
    : l10n.t('No executions yet');
  const flags = ['pipeline', 'hasConsole', 'canRelease', isRunning(status) ? 'stoppable' : ''];
  return {
    id: nodeIds.pipeline(name),
    label: name,
    description,
    tooltip: execution
      ? executionTooltip(name, execution, now)
      : l10n.t('**{0}**\n\nNo executions yet.', escapeMarkdown(name)),
    icon: statusIcon(status),
    contextValue: flags.filter(Boolean).join(' '),
    collapsible: 'expanded',
    children: [...stageNodes, historyNode(input)],
    links: {
      pipelineName: name,
      executionId: execution?.id,
      consoleUrl: execution ? executionConsoleUrl(region, name, execution.id) : pipelineConsoleUrl(region, name),
    },
  };
}

function stageNode(input: PipelineTreeInput, s: StageModel, durationMs: number | undefined): TreeNodeView {
  const name = input.state.pipelineName;
  const retryable =
    (s.status === 'Failed' || s.status === 'Stopped') &&
    input.execution !== undefined &&
    s.latestExecutionId === input.execution.id;
  const parts = [statusLabel(s.status), formatDuration(durationMs)];
  if (s.inTransitionDisabled) {
    parts.push(l10n.t('transition disabled'));
  }
  const lines = [`**${escapeMarkdown(s.name)}** — ${statusLabel(s.status)}`];
  if (durationMs !== undefined) {
    lines.push(l10n.t('Duration: about {0}', formatDuration(durationMs)));
  }
  if (s.previousStatus) {
    lines.push(l10n.t('Not reached by this execution; its last run: {0}', statusLabel(s.previousStatus)));
  }
  if (s.inTransitionDisabled) {
    const t = s.inTransitionDisabled;
    lines.push(
      l10n.t(
        '$(debug-pause) Inbound transition disabled{0}{1}{2}',
        t.by ? ` by ${escapeMarkdown(t.by)}` : '',
        t.at ? ` ${formatAge(t.at, input.now)}` : '',
        t.reason ? `: ${escapeMarkdown(t.reason)}` : '',
      ),
    );
  }
  const flags = ['stage', retryable ? 'retryable' : '', s.inTransitionDisabled ? 'transitionDisabled' : ''];
  return {
    id: nodeIds.stage(name, s.name),
    label: s.name,
    description: parts.filter(Boolean).join(' · '),
    tooltip: lines.join('\n\n'),
    icon: statusIcon(s.status),
    contextValue: flags.filter(Boolean).join(' '),
    collapsible: s.status === 'Failed' || isRunning(s.status) ? 'expanded' : 'collapsed',
    children: s.actions.map((a) => actionNode(input, s, a)),
    links: { pipelineName: name, stageName: s.name, executionId: input.execution?.id },
  };
}

function actionNode(input: PipelineTreeInput, s: StageModel, a: ActionModel): TreeNodeView {
  const name = input.state.pipelineName;
  const consoleUrl =
    safeUrl(a.externalExecutionUrl) ??
    (a.buildId ? codeBuildConsoleUrl(input.region, a.buildId) : safeUrl(a.entityUrl));
  const parallel = s.actions.filter((o) => o.runOrder === a.runOrder && o.name !== a.name).map((o) => o.name);
  const description = [
    s.steps > 1 ? l10n.t('step {0}', a.runOrder) : '',
    a.approval ? l10n.t('Waiting for approval') : statusLabel(a.status),
    a.summary ? firstLine(a.summary) : '',
    formatAge(a.lastChange, input.now),
  ].filter(Boolean);
  const lines = [
    `**${escapeMarkdown(a.name)}**${a.provider ? ` (${escapeMarkdown(a.provider)})` : ''} — ${statusLabel(a.status)}`,
  ];
  if (a.previousStatus) {
    lines.push(l10n.t('Not reached by this execution; its last run: {0}', statusLabel(a.previousStatus)));
  }
  if (a.summary) {
    lines.push(escapeMarkdown(a.summary));
  }
  if (a.lastChange) {
    lines.push(l10n.t('Last change: {0} ({1})', a.lastChange.toISOString(), formatAge(a.lastChange, input.now)));
  }
  if (a.errorMessage) {
    lines.push(`$(error) ${a.errorCode ? `${escapeMarkdown(a.errorCode)}: ` : ''}${escapeMarkdown(a.errorMessage)}`);
  }
  if (a.buildId) {
    lines.push(l10n.t('Build: `{0}`', a.buildId.replace(/`/g, '')));
  }
  if (parallel.length > 0) {
    lines.push(l10n.t('Runs in parallel with {0}', parallel.map(escapeMarkdown).join(', ')));
  }
  const flags = [
    'action',
    a.buildId ? 'codeBuild' : '',
    a.approval ? 'approval' : '',
    a.status === 'Failed' ? 'failed' : '',
    consoleUrl ? 'hasConsole' : '',
  ];
  const error =
    a.status === 'Failed' && a.errorMessage
      ? [
          leaf({
            id: nodeIds.actionError(name, s.name, a.name),
            label: firstLine(a.errorMessage),
            description: a.errorCode ?? '',
            tooltip: escapeMarkdown(a.errorMessage),
            icon: { id: 'warning', color: 'testing.iconFailed' },
            contextValue: 'actionError',
            links: { pipelineName: name, stageName: s.name, actionName: a.name, buildId: a.buildId },
          }),
        ]
      : [];
  const found = a.buildId && a.status !== 'NotStarted' ? (input.findings?.get(a.buildId) ?? []) : [];
  const findings = found.map((f, i) => findingNode(input, s, a, f, i));
  const children = [...error, ...findings];
  return {
    id: nodeIds.action(name, s.name, a.name),
    label: a.name,
    description: description.join(' · '),
    tooltip: lines.join('\n\n'),
    icon: a.approval ? APPROVAL_ICON : statusIcon(a.status),
    contextValue: flags.filter(Boolean).join(' '),
    collapsible: children.length === 0 ? 'none' : a.status === 'Failed' ? 'expanded' : 'collapsed',
    children,
    links: {
      ...actionLinks(input, s, a),
      consoleUrl,
      approvalToken: a.approval?.token,
    },
  };
}

/** What an action's node and the nodes under it link to: the action in this execution, and its build. */
function actionLinks(input: PipelineTreeInput, s: StageModel, a: ActionModel) {
  return {
    pipelineName: input.state.pipelineName,
    stageName: s.name,
    actionName: a.name,
    executionId: input.execution?.id,
    buildId: a.buildId,
  };
}

/** A finding of the action's build, opening its file at the line. */
function findingNode(input: PipelineTreeInput, s: StageModel, a: ActionModel, f: Finding, index: number): TreeNodeView {
  const name = input.state.pipelineName;
  const where = findingLocation(f);
  const icon =
    f.severity === 'error'
      ? { id: 'error', color: 'problemsErrorIcon.foreground' }
      : f.severity === 'warning'
        ? { id: 'warning', color: 'problemsWarningIcon.foreground' }
        : { id: 'info', color: 'problemsInfoIcon.foreground' };
  return leaf({
    id: nodeIds.finding(name, s.name, a.name, index),
    label: f.title,
    description: [where, `${f.tool} ${f.ruleId}`].filter(Boolean).join(' · '),
    tooltip: [
      `**${escapeMarkdown(f.title)}**`,
      escapeMarkdown(f.message),
      where ? `\`${where.replace(/`/g, '')}\`` : '',
    ]
      .filter(Boolean)
      .join('\n\n'),
    icon,
    contextValue: where ? 'finding hasLocation' : 'finding',
    links: {
      ...actionLinks(input, s, a),
      ...(f.anchor.kind === 'line' && a.buildId
        ? { finding: { path: f.anchor.path, line: f.anchor.line, buildId: a.buildId, index } }
        : a.buildId
          ? { finding: { path: '', line: 0, buildId: a.buildId, index } }
          : {}),
    },
  });
}

function historyNode(input: PipelineTreeInput): TreeNodeView {
  const name = input.state.pipelineName;
  return {
    id: nodeIds.history(name),
    label: l10n.t('Execution History'),
    description: input.history.length > 0 ? l10n.t('{0} recent', input.history.length) : l10n.t('none yet'),
    tooltip: l10n.t('Recent executions of this pipeline, newest first. Expand one to see its action executions.'),
    icon: { id: 'history' },
    contextValue: 'history',
    collapsible: 'collapsed',
    children: input.history.map((e) => executionNode(input, e)),
    links: { pipelineName: name },
  };
}

/** "abc1234 Fix the login page" or the execution id when no revision is known. */
export function executionTitle(e: ExecutionSummary): string {
  const revision = primaryRevision(e);
  const commit = shortRevision(revision?.revisionId);
  const message = revisionMessage(revision?.summary);
  return [commit, message].filter(Boolean).join(' ') || e.id.slice(0, 8);
}

function executionNode(input: PipelineTreeInput, e: ExecutionSummary): TreeNodeView {
  const name = input.state.pipelineName;
  const followed = e.id === input.followedExecutionId;
  const description = [
    statusLabel(e.status),
    triggerLabel(e),
    formatDuration(executionDurationMs(e, input.now)),
    formatAge(e.startTime, input.now),
    followed ? 'following' : '',
  ].filter(Boolean);
  const loaded = input.actionExecutions?.get(e.id);
  const flags = ['execution', 'hasConsole', isRunning(e.status) ? 'stoppable' : '', followed ? 'followed' : ''];
  return {
    id: nodeIds.execution(name, e.id),
    label: executionTitle(e),
    description: description.join(' · '),
    tooltip: executionTooltip(name, e, input.now),
    icon: statusIcon(e.status),
    contextValue: flags.filter(Boolean).join(' '),
    collapsible: 'collapsed',
    children: loaded ? loaded.map((d) => actionExecutionNode(input, e.id, d)) : 'lazy',
    links: { pipelineName: name, executionId: e.id, consoleUrl: executionConsoleUrl(input.region, name, e.id) },
  };
}

function actionExecutionNode(input: PipelineTreeInput, executionId: string, d: ActionExecutionDetail): TreeNodeView {
  const name = input.state.pipelineName;
  const status = runStatus(d.status);
  const result = d.output?.executionResult;
  const isCodeBuild = d.input?.actionTypeId?.provider === 'CodeBuild';
  const buildId = isCodeBuild ? result?.externalExecutionId : undefined;
  const end = isRunning(status) ? input.now : d.lastUpdateTime?.getTime();
  const duration = d.startTime && end !== undefined ? end - d.startTime.getTime() : undefined;
  const consoleUrl =
    safeUrl(result?.externalExecutionUrl) ?? (buildId ? codeBuildConsoleUrl(input.region, buildId) : undefined);
  const lines = [
    `**${escapeMarkdown(d.stageName ?? '')} / ${escapeMarkdown(d.actionName ?? '')}** — ${statusLabel(status)}`,
  ];
  if (result?.externalExecutionSummary) {
    lines.push(escapeMarkdown(result.externalExecutionSummary));
  }
  if (result?.errorDetails?.message) {
    lines.push(`$(error) ${escapeMarkdown(result.errorDetails.message)}`);
  }
  return leaf({
    id: nodeIds.actionExecution(name, executionId, d.actionExecutionId ?? `${d.stageName}/${d.actionName}`),
    label: `${d.stageName ?? ''} / ${d.actionName ?? ''}`,
    description: [
      statusLabel(status),
      formatDuration(duration),
      result?.errorDetails?.message ? firstLine(result.errorDetails.message) : '',
    ]
      .filter(Boolean)
      .join(' · '),
    tooltip: lines.join('\n\n'),
    icon: statusIcon(status),
    contextValue: ['actionExecution', buildId ? 'codeBuild' : '', consoleUrl ? 'hasConsole' : '']
      .filter(Boolean)
      .join(' '),
    links: { pipelineName: name, executionId, stageName: d.stageName, actionName: d.actionName, buildId, consoleUrl },
  });
}

/** Commit, message, trigger, duration and ids of an execution, as Markdown. */
export function executionTooltip(pipelineName: string, e: ExecutionSummary, now: number): string {
  const lines = [`**${escapeMarkdown(pipelineName)}** — ${statusLabel(e.status)}`];
  for (const r of e.revisions) {
    const commit = r.revisionId ? `\`${shortRevision(r.revisionId).replace(/`/g, '')}\`` : '';
    const message = revisionMessage(r.summary);
    lines.push(
      `$(git-commit) ${[commit, escapeMarkdown(message)].filter(Boolean).join(' ')}${e.revisions.length > 1 ? ` (${escapeMarkdown(r.actionName)})` : ''}`,
    );
  }
  const trigger = triggerLabel(e);
  if (trigger) {
    lines.push(l10n.t('Trigger: {0}', escapeMarkdown(trigger)));
  }
  const timing = [
    e.startTime ? l10n.t('Started {0}', formatAge(e.startTime, now)) : '',
    executionDurationMs(e, now) !== undefined
      ? `${isRunning(e.status) ? l10n.t('running for') : 'took'} ${formatDuration(executionDurationMs(e, now))}`
      : '',
  ].filter(Boolean);
  if (timing.length > 0) {
    lines.push(timing.join(' · '));
  }
  if (e.statusSummary) {
    lines.push(escapeMarkdown(e.statusSummary));
  }
  lines.push(l10n.t('Execution `{0}`', e.id.replace(/`/g, '')));
  return lines.join('\n\n');
}
