// One status vocabulary for executions, stages and actions (CodePipeline uses three overlapping
// enums), and its look: codicon, theme colour and wording.
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

const LABELS: Record<RunStatus, string> = {
  InProgress: 'In progress',
  Stopping: 'Stopping',
  Succeeded: 'Succeeded',
  Failed: 'Failed',
  Stopped: 'Stopped',
  Cancelled: 'Cancelled',
  Superseded: 'Superseded',
  Abandoned: 'Abandoned',
  Skipped: 'Skipped',
  NotStarted: 'Not started',
};

export function statusLabel(status: RunStatus): string {
  return LABELS[status];
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
