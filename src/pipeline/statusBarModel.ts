// The status bar item as plain data: the execution the user follows (their last push), else the
// newest one. Spinning with the running stage while it runs, success with its age, failure with
// the failed stage on the error background; a warning when the service is degraded or AWS
// cannot be reached.
import * as l10n from '@vscode/l10n';
import type { CommitMatch, FollowedCommit } from './commitMatch';
import type { ExecutionSummary } from './executions';
import { escapeMarkdown, formatAge, formatDuration, shortRevision } from './format';
import { isRunning, statusLabel, type RunStatus } from './runStatus';
import { focusStage, type PipelineStateModel } from './stages';

/** The service's verdict (see health/serviceHealth.ts), or why it cannot be shown. */
export type ServiceVerdictKind =
  'Healthy' | 'Deploying' | 'Degraded' | 'Unhealthy' | 'NotServing' | 'Missing' | 'Unreadable';

/** Why the pipeline itself cannot be shown: named in the status bar, with the fix in its tooltip. */
export interface PipelineProblemView {
  readonly kind: 'missing' | 'accessDenied' | 'credentials';
  readonly message: string;
}

/** Built on each call, so the texts follow the display language configured at activation. */
function serviceWarning(verdict: ServiceVerdictKind): string | undefined {
  switch (verdict) {
    case 'Degraded':
      return `$(warning) ${l10n.t('Service degraded')}`;
    case 'Unhealthy':
      return `$(warning) ${l10n.t('Service unhealthy')}`;
    case 'NotServing':
      return `$(warning) ${l10n.t('Not serving')}`;
    case 'Missing':
      return `$(warning) ${l10n.t('Service missing')}`;
    case 'Unreadable':
      return `$(lock) ${l10n.t('Service unreadable')}`;
    default:
      return undefined;
  }
}

export interface StatusBarInput {
  /** Undefined when no pipeline is configured: the item hides. */
  readonly pipelineName?: string;
  readonly state?: PipelineStateModel;
  /** The execution shown (matched to the followed commit, else the newest). */
  readonly execution?: ExecutionSummary;
  readonly followed?: { readonly commit: FollowedCommit; readonly match: CommitMatch };
  readonly serviceVerdict?: ServiceVerdictKind;
  /** AWS throttles or cannot be reached: "offline" or "throttled", retrying. Other reasons are not shown here. */
  readonly retrying?: { readonly reason: string; readonly retryAt: number };
  /** The pipeline cannot be read: it was deleted, access is denied, or the credentials do not work. */
  readonly problem?: PipelineProblemView;
  readonly now: number;
}

export interface StatusBarView {
  readonly visible: boolean;
  /** With `$(codicon)` references. */
  readonly text: string;
  /** Markdown with theme icons. */
  readonly tooltip: string;
  readonly backgroundColor?: 'statusBarItem.errorBackground' | 'statusBarItem.warningBackground';
  /** Reveals the Pipeline view. */
  readonly command: string;
}

export const REVEAL_COMMAND = 'workshopPipeline.stages.focus';

function serviceLabel(verdict: ServiceVerdictKind): string {
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
      return l10n.t('Not serving (0 tasks)');
    case 'Missing':
      return l10n.t('does not exist (see Service Health)');
    case 'Unreadable':
      return l10n.t('cannot be read (see Service Health)');
  }
}

const HIDDEN: StatusBarView = { visible: false, text: '', tooltip: '', command: REVEAL_COMMAND };

const ICONS: Partial<Record<RunStatus, string>> = {
  InProgress: '$(sync~spin)',
  Stopping: '$(sync~spin)',
  Succeeded: '$(pass)',
  Failed: '$(error)',
  Stopped: '$(circle-slash)',
  Cancelled: '$(circle-slash)',
  Superseded: '$(debug-step-over)',
};

export function buildStatusBar(input: StatusBarInput): StatusBarView {
  if (!input.pipelineName) {
    return HIDDEN;
  }
  const { execution, state, followed, now } = input;
  const focus = state ? focusStage(state) : undefined;
  const total = state?.stages.length ?? 0;
  const short = followed ? shortRevision(followed.commit.commitId) : '';
  let text: string;
  let background: StatusBarView['backgroundColor'];

  if (input.problem) {
    const icon =
      input.problem.kind === 'missing' ? '$(error)' : input.problem.kind === 'accessDenied' ? '$(lock)' : '$(key)';
    const what =
      input.problem.kind === 'missing'
        ? l10n.t('{0}: not found', input.pipelineName)
        : input.problem.kind === 'accessDenied'
          ? l10n.t('{0}: access denied', input.pipelineName)
          : l10n.t('{0}: no valid credentials', input.pipelineName);
    text = `${icon} ${what}`;
    background = 'statusBarItem.errorBackground';
  } else if (followed && followed.match.kind === 'waiting') {
    text = `$(clock) ${l10n.t('Following {0} · waiting for the pipeline', short)}`;
  } else if (followed && followed.match.kind === 'notPickedUp') {
    text = `$(warning) ${l10n.t('{0} not picked up', short)}`;
    background = 'statusBarItem.warningBackground';
  } else if (!execution) {
    text = `$(circle-outline) ${input.pipelineName}`;
  } else if (isRunning(execution.status)) {
    const where = focus ? `${focus.stage.name} · ${focus.position}/${total}` : statusLabel(execution.status);
    text = followed
      ? `$(sync~spin) ${l10n.t('Following {0} · {1}', short, focus?.stage.name ?? statusLabel(execution.status))}`
      : `$(sync~spin) ${where}`;
  } else if (execution.status === 'Failed') {
    const failed = state?.executionId === execution.id ? state.stages.find((s) => s.status === 'Failed') : undefined;
    text = `$(error) ${failed ? l10n.t('Failed at {0}', failed.name) : l10n.t('Failed')}`;
    background = 'statusBarItem.errorBackground';
  } else {
    const icon = ICONS[execution.status] ?? '$(circle-outline)';
    text =
      `${icon} ${statusLabel(execution.status)} ${formatAge(execution.lastUpdateTime ?? execution.startTime, now)}`.trimEnd();
  }

  const warning = input.serviceVerdict ? serviceWarning(input.serviceVerdict) : undefined;
  if (warning && !input.problem) {
    text += ` · ${warning}`;
    background ??= 'statusBarItem.warningBackground';
  }
  const retrying = retryBadge(input.retrying);
  if (retrying) {
    text += ` · $(debug-disconnect) ${retrying === 'throttled' ? l10n.t('throttled') : l10n.t('offline')}`;
  }
  return { visible: true, text, tooltip: tooltip(input), backgroundColor: background, command: REVEAL_COMMAND };
}

/** Only AWS throttling or being out of reach gets the retry badge. */
function retryBadge(retrying: StatusBarInput['retrying']): 'offline' | 'throttled' | undefined {
  return retrying?.reason === 'throttled' || retrying?.reason === 'offline' ? retrying.reason : undefined;
}

function tooltip(input: StatusBarInput): string {
  const { execution, state, followed, now } = input;
  const lines = [
    `**${escapeMarkdown(input.pipelineName ?? '')}**${execution ? ` — ${statusLabel(execution.status)}` : ''}`,
  ];
  if (input.problem) {
    lines.push(escapeMarkdown(input.problem.message));
  }
  if (followed) {
    const short = `\`${shortRevision(followed.commit.commitId)}\``;
    const m = followed.match;
    lines.push(
      m.kind === 'matched'
        ? l10n.t('Following your push {0}', short)
        : m.kind === 'waiting'
          ? l10n.t(
              'Following your push {0}: no execution has picked it up yet ({1})',
              short,
              formatDuration(m.waitedMs),
            )
          : `$(warning) ${l10n.t(
              'No execution picked up your push {0} within {1}. Check that the pipeline watches this branch and that its trigger is enabled.',
              short,
              formatDuration(m.waitedMs),
            )}`,
    );
  }
  if (state && state.stages.length > 0) {
    const list = state.stages.map(
      (s) => `- ${ICONS[s.status] ?? '$(circle-outline)'} ${escapeMarkdown(s.name)} — ${statusLabel(s.status)}`,
    );
    lines.push(list.join('\n'));
  }
  if (execution && !isRunning(execution.status)) {
    lines.push(l10n.t('Finished {0}', formatAge(execution.lastUpdateTime, now)));
  }
  if (input.serviceVerdict) {
    lines.push(l10n.t('Service: {0}', serviceLabel(input.serviceVerdict)));
  }
  const retrying = retryBadge(input.retrying);
  if (input.retrying && retrying) {
    const seconds = Math.max(0, Math.ceil((input.retrying.retryAt - now) / 1000));
    lines.push(
      `$(debug-disconnect) ${
        retrying === 'throttled'
          ? l10n.t('AWS is throttling requests; retrying in {0}s.', seconds)
          : l10n.t('AWS cannot be reached; retrying in {0}s.', seconds)
      }`,
    );
  }
  return lines.join('\n\n');
}
