// Decides when to tell the user an execution finished. An execution qualifies when the user
// started or pushed it ("mine"), or, with `notifications: all`, when it was seen running. Each
// execution is announced at most once; executions that finished before the notifier existed
// are never announced (no burst of old news on start-up).
import * as l10n from '@vscode/l10n';
import type { NotificationLevel } from '../shared/settings';
import { executionConsoleUrl } from './consoleUrls';
import { executionDurationMs, type ExecutionSummary } from './executions';
import { formatDuration } from './format';
import { executionTitle } from './pipelineTree';
import { isFinished, isRunning, statusLabel } from './runStatus';
import type { PipelineStateModel } from './stages';

export type NotificationAction =
  | { readonly kind: 'showBuildLogs'; readonly title: string; readonly buildId: string }
  | { readonly kind: 'openInConsole'; readonly title: string; readonly url: string }
  | { readonly kind: 'retryStage'; readonly title: string; readonly stageName: string; readonly executionId: string }
  | { readonly kind: 'releaseChange'; readonly title: string }
  | { readonly kind: 'deployServiceStack'; readonly title: string }
  | { readonly kind: 'showProblems'; readonly title: string };

/**
 * A pushed commit that no execution picked up within the grace period (see commitMatch.ts): say so
 * once, and offer to start the pipeline by hand. `executionId` carries the commit id.
 */
export function notPickedUpDecision(pipelineName: string, commitId: string, waitedMs: number): NotificationDecision {
  const seconds = Math.round(waitedMs / 1000);
  return {
    executionId: commitId,
    severity: 'warning',
    message: l10n.t(
      "{0}: no execution has picked up {1} after {2} s. The pipeline's trigger may be disabled or watching another branch.",
      pipelineName,
      commitId.slice(0, 7),
      seconds,
    ),
    actions: [{ kind: 'releaseChange', title: l10n.t('Release Change') }],
  };
}

export interface NotificationDecision {
  readonly executionId: string;
  readonly severity: 'info' | 'warning' | 'error';
  readonly message: string;
  readonly actions: readonly NotificationAction[];
  /** A failed execution: where it failed (a CodeBuild action's build holds the findings to name). */
  readonly failure?: { readonly stageName: string; readonly actionName?: string; readonly buildId?: string };
}

export interface NotifierInput {
  readonly level: NotificationLevel;
  readonly region: string;
  readonly pipelineName: string;
  /** Newest first. */
  readonly executions: readonly ExecutionSummary[];
  /** True for executions the user started or whose commit they pushed. */
  readonly isMine: (execution: ExecutionSummary) => boolean;
  /** Stage/action detail, used when it belongs to the finished execution. */
  readonly state?: PipelineStateModel;
  readonly now: number;
  /** The ECS service the deploy action updates does not exist: a failed Deploy offers to create it. */
  readonly serviceMissing?: boolean;
}

/** Remembers ids in insertion order up to a limit, so a long session cannot grow it. */
class BoundedSet {
  private readonly items = new Set<string>();
  constructor(private readonly limit: number) {}
  has(id: string): boolean {
    return this.items.has(id);
  }
  add(id: string): void {
    this.items.delete(id);
    this.items.add(id);
    if (this.items.size > this.limit) {
      const oldest = this.items.values().next().value;
      if (oldest !== undefined) {
        this.items.delete(oldest);
      }
    }
  }
  get size(): number {
    return this.items.size;
  }
}

export class FinishNotifier {
  private readonly seenRunning: BoundedSet;
  private readonly announced: BoundedSet;

  /** `since`: epoch ms; executions last updated before it are old news. */
  constructor(
    private readonly since: number,
    limit = 200,
  ) {
    this.seenRunning = new BoundedSet(limit);
    this.announced = new BoundedSet(limit);
  }

  /** The notifications due now; each execution is returned once at most. */
  observe(input: NotifierInput): NotificationDecision[] {
    const out: NotificationDecision[] = [];
    for (const e of input.executions) {
      if (isRunning(e.status)) {
        this.seenRunning.add(e.id);
        continue;
      }
      if (!isFinished(e.status) || this.announced.has(e.id)) {
        continue;
      }
      const recent =
        (e.lastUpdateTime?.getTime() ?? e.startTime?.getTime() ?? 0) >= this.since || this.seenRunning.has(e.id);
      if (!recent) {
        continue;
      }
      const mine = input.isMine(e);
      const wanted = input.level === 'all' ? mine || this.seenRunning.has(e.id) : input.level === 'mine' ? mine : false;
      if (!wanted) {
        continue;
      }
      this.announced.add(e.id);
      out.push(decide(input, e));
    }
    return out;
  }

  get rememberedCount(): number {
    return this.seenRunning.size + this.announced.size;
  }
}

function decide(input: NotifierInput, e: ExecutionSummary): NotificationDecision {
  const title = executionTitle(e);
  const consoleAction: NotificationAction = {
    kind: 'openInConsole',
    title: l10n.t('Open in Console'),
    url: executionConsoleUrl(input.region, input.pipelineName, e.id),
  };
  const took = formatDuration(executionDurationMs(e, input.now));
  if (e.status === 'Succeeded') {
    return {
      executionId: e.id,
      severity: 'info',
      message: took
        ? l10n.t('{0}: {1} succeeded in {2}.', input.pipelineName, title, took)
        : l10n.t('{0}: {1} succeeded.', input.pipelineName, title),
      actions: [consoleAction],
    };
  }
  if (e.status !== 'Failed') {
    return {
      executionId: e.id,
      severity: 'warning',
      message: l10n.t('{0}: {1} {2}.', input.pipelineName, title, statusLabel(e.status).toLowerCase()),
      actions: [consoleAction],
    };
  }
  const state = input.state?.executionId === e.id ? input.state : undefined;
  const stage = state?.stages.find((s) => s.status === 'Failed');
  const action = stage?.actions.find((a) => a.status === 'Failed');
  const why = action?.errorMessage ?? e.statusSummary;
  const actions: NotificationAction[] = [];
  if (input.serviceMissing && action?.category === 'Deploy' && action.provider === 'ECS') {
    actions.push({ kind: 'deployServiceStack', title: l10n.t('Deploy Service Stack') });
  }
  if (action?.buildId) {
    actions.push({ kind: 'showBuildLogs', title: l10n.t('Show Build Logs'), buildId: action.buildId });
  }
  actions.push(consoleAction);
  if (stage) {
    actions.push({ kind: 'retryStage', title: l10n.t('Retry'), stageName: stage.name, executionId: e.id });
  }
  return {
    executionId: e.id,
    severity: 'error',
    message: failureMessage(input.pipelineName, title, stage?.name, action?.name, why),
    actions,
    ...(stage ? { failure: { stageName: stage.name, actionName: action?.name, buildId: action?.buildId } } : {}),
  };
}

/** One whole sentence per case, so a translation never has to glue fragments together. */
function failureMessage(pipeline: string, title: string, stage?: string, action?: string, why?: string): string {
  if (stage && action) {
    return why
      ? l10n.t('{0}: {1} failed at {2} ({3}): {4}', pipeline, title, stage, action, why)
      : l10n.t('{0}: {1} failed at {2} ({3}).', pipeline, title, stage, action);
  }
  if (stage) {
    return why
      ? l10n.t('{0}: {1} failed at {2}: {3}', pipeline, title, stage, why)
      : l10n.t('{0}: {1} failed at {2}.', pipeline, title, stage);
  }
  return why ? l10n.t('{0}: {1} failed: {2}', pipeline, title, why) : l10n.t('{0}: {1} failed.', pipeline, title);
}
