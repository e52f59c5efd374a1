// One status vocabulary for executions, stages and actions (CodePipeline uses three overlapping
// enums), and its look: codicon, theme colour and wording.
import * as l10n from '@vscode/l10n';
import type { IconView } from './viewNode';

export type RunStatus =
  | 'InProgress'
  | 'Stopping'
  | 'Succeeded'
  | 'Failed'
  | 'Stopped'
  | 'Cancelled'
  | 'Superseded'
  | 'Abandoned'
  | 'Skipped'
  | 'NotStarted';

const KNOWN: ReadonlySet<string> = new Set<RunStatus>([
  'InProgress',
  'Stopping',
  'Succeeded',
  'Failed',
  'Stopped',
  'Cancelled',
  'Superseded',
  'Abandoned',
  'Skipped',
  'NotStarted',
]);

/** Any CodePipeline status string (or none) as a RunStatus; unknown future values count as not started. */
export function runStatus(value: string | undefined): RunStatus {
  return value !== undefined && KNOWN.has(value) ? (value as RunStatus) : 'NotStarted';
}

export function isRunning(status: RunStatus): boolean {
  return status === 'InProgress' || status === 'Stopping';
}

/** Finished, one way or another. */
export function isFinished(status: RunStatus): boolean {
  return !isRunning(status) && status !== 'NotStarted';
}

export function isFailure(status: RunStatus): boolean {
  return status === 'Failed';
}

/** Built on each call: the texts follow the display language configured at activation. */
function labels(): Record<RunStatus, string> {
  return {
    InProgress: l10n.t('In progress'),
    Stopping: l10n.t('Stopping'),
    Succeeded: l10n.t('Succeeded'),
    Failed: l10n.t('Failed'),
    Stopped: l10n.t('Stopped'),
    Cancelled: l10n.t('Cancelled'),
    Superseded: l10n.t('Superseded'),
    Abandoned: l10n.t('Abandoned'),
    Skipped: l10n.t('Skipped'),
    NotStarted: l10n.t('Not started'),
  };
}

export function statusLabel(status: RunStatus): string {
  return labels()[status];
}

export const PASSED_COLOR = 'testing.iconPassed';
export const FAILED_COLOR = 'testing.iconFailed';
export const SKIPPED_COLOR = 'testing.iconSkipped';
export const WARNING_COLOR = 'list.warningForeground';

/** spinning while running, pass, error, stopped (circle-slash), not started (circle-outline). */
export function statusIcon(status: RunStatus): IconView {
  switch (status) {
    case 'InProgress':
    case 'Stopping':
      return { id: 'sync~spin' };
    case 'Succeeded':
      return { id: 'pass', color: PASSED_COLOR };
    case 'Failed':
      return { id: 'error', color: FAILED_COLOR };
    case 'Stopped':
    case 'Cancelled':
    case 'Abandoned':
      return { id: 'circle-slash', color: SKIPPED_COLOR };
    case 'Superseded':
    case 'Skipped':
      return { id: 'debug-step-over', color: SKIPPED_COLOR };
    case 'NotStarted':
      return { id: 'circle-outline' };
  }
}

/** A manual approval waiting for someone. */
export const APPROVAL_ICON: IconView = { id: 'question', color: WARNING_COLOR };
