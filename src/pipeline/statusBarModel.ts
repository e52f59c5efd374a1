// The status bar item as plain data: the execution the user follows (their last push), else the
// newest one. Spinning with the running stage while it runs, success with its age, failure with
// the failed stage on the error background; a warning when the service is degraded or AWS
// cannot be reached.
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

const SERVICE_WARNINGS: Partial<Record<ServiceVerdictKind, string>> = {
  Degraded: '$(warning) Service degraded',
  Unhealthy: '$(warning) Service unhealthy',
  NotServing: '$(warning) Not serving',
  Missing: '$(warning) Service missing',
  Unreadable: '$(lock) Service unreadable',
};

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

const SERVICE_LABELS: Record<ServiceVerdictKind, string> = {
  Healthy: 'Healthy',
  Deploying: 'Deploying',
  Degraded: 'Degraded',
  Unhealthy: 'Unhealthy',
  NotServing: 'Not serving (0 tasks)',
  Missing: 'does not exist (see Service Health)',
  Unreadable: 'cannot be read (see Service Health)',
};

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
        ? 'not found'
        : input.problem.kind === 'accessDenied'
          ? 'access denied'
          : 'no valid credentials';
    text = `${icon} ${input.pipelineName}: ${what}`;
    background = 'statusBarItem.errorBackground';
  } else if (followed && followed.match.kind === 'waiting') {
    text = `$(clock) Following ${short} · waiting for the pipeline`;
  } else if (followed && followed.match.kind === 'notPickedUp') {
    text = `$(warning) ${short} not picked up`;
    background = 'statusBarItem.warningBackground';
  } else if (!execution) {
    text = `$(circle-outline) ${input.pipelineName}`;
  } else if (isRunning(execution.status)) {
    const where = focus ? `${focus.stage.name} · ${focus.position}/${total}` : statusLabel(execution.status);
    text = followed
      ? `$(sync~spin) Following ${short} · ${focus?.stage.name ?? statusLabel(execution.status)}`
      : `$(sync~spin) ${where}`;
  } else if (execution.status === 'Failed') {
    const failed = state?.executionId === execution.id ? state.stages.find((s) => s.status === 'Failed') : undefined;
    text = `$(error) Failed${failed ? ` at ${failed.name}` : ''}`;
    background = 'statusBarItem.errorBackground';
  } else {
    const icon = ICONS[execution.status] ?? '$(circle-outline)';
    text =
      `${icon} ${statusLabel(execution.status)} ${formatAge(execution.lastUpdateTime ?? execution.startTime, now)}`.trimEnd();
  }

  const serviceWarning = input.serviceVerdict ? SERVICE_WARNINGS[input.serviceVerdict] : undefined;
  if (serviceWarning && !input.problem) {
    text += ` · ${serviceWarning}`;
    background ??= 'statusBarItem.warningBackground';
  }
  const retrying = retryBadge(input.retrying);
  if (retrying) {
    text += ` · $(debug-disconnect) ${retrying}`;
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
        ? `Following your push ${short}`
        : m.kind === 'waiting'
          ? `Following your push ${short}: no execution has picked it up yet (${formatDuration(m.waitedMs)})`
          : `$(warning) No execution picked up your push ${short} within ${formatDuration(m.waitedMs)}. Check that the pipeline watches this branch and that its trigger is enabled.`,
    );
  }
  if (state && state.stages.length > 0) {
    const list = state.stages.map(
      (s) => `- ${ICONS[s.status] ?? '$(circle-outline)'} ${escapeMarkdown(s.name)} — ${statusLabel(s.status)}`,
    );
    lines.push(list.join('\n'));
  }
  if (execution && !isRunning(execution.status)) {
    lines.push(`Finished ${formatAge(execution.lastUpdateTime, now)}`);
  }
  if (input.serviceVerdict) {
    lines.push(`Service: ${SERVICE_LABELS[input.serviceVerdict]}`);
  }
  const retrying = retryBadge(input.retrying);
  if (input.retrying && retrying) {
    const seconds = Math.max(0, Math.ceil((input.retrying.retryAt - now) / 1000));
    lines.push(
      `$(debug-disconnect) AWS ${retrying === 'throttled' ? 'is throttling requests' : 'cannot be reached'}; retrying in ${seconds}s.`,
    );
  }
  return lines.join('\n\n');
}
