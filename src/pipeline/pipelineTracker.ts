// One pipeline, refreshed by the poller: one GetPipelineState per refresh; GetPipeline only
// when the pipeline's version changes; ListPipelineExecutions only when an execution appears,
// gets past its source stage (its commit becomes known) or finishes. Each refresh rebuilds the
// view state and reports only the tree nodes that changed.
import * as l10n from '@vscode/l10n';
import type { Logger } from '../shared/logger';
import { silentLogger } from '../shared/logger';
import type { NotificationLevel } from '../shared/settings';
import { Emitter, type Disposable, type Event } from '../shared/emitter';
import type { PollOutcome, PollTask } from '../polling/adaptivePoller';
import { matchCommit, PICKUP_GRACE_MS, type CommitMatch, type FollowedCommit } from './commitMatch';
import { executionsFrom, fromExecution, type ExecutionSummary } from './executions';
import { FinishNotifier, notPickedUpDecision, type NotificationDecision } from './notifications';
import type {
  ActionExecutionDetail,
  GetPipelineStateOutput,
  PipelineApi,
  PipelineDeclaration,
} from '../aws/codepipeline';
import type { ErrorContext } from '../aws/errors';
import { escapeMarkdown } from './format';
import { pipelineProblemOf } from './pipelineProblem';
import type { Finding } from '../findings/reportFindings';
import { buildPipelineTree } from './pipelineTree';
import { isFinished, isRunning } from './runStatus';
import {
  buildStateModel,
  executionIdsInState,
  executionProgressInState,
  newestExecutionIdInState,
  sourceRevisionsInState,
  type PipelineStateModel,
} from './stages';
import {
  buildStatusBar,
  type PipelineProblemView,
  type ServiceVerdictKind,
  type StatusBarView,
} from './statusBarModel';
import { diffTrees, isEmptyChange, leaf, type TreeChange, type TreeNodeView } from './viewNode';
import { FAILED_COLOR, WARNING_COLOR } from './runStatus';

export const PIPELINE_IDLE_MS = 60_000;
export const HISTORY_SIZE = 10;
/** Keep polling in the background this long after a push nobody picked up yet. */
const FOLLOW_PICKUP_WATCH_MS = 5 * PICKUP_GRACE_MS;

export interface PipelineTrackerOptions {
  readonly api: PipelineApi;
  readonly pipelineName: string;
  readonly region: string;
  readonly notifications: () => NotificationLevel;
  readonly now?: () => number;
  readonly historySize?: number;
  readonly log?: Logger;
  /** The account read, as "does not exist in <account> <region>" names it. */
  readonly account?: string;
  /** Whose credentials the reads use, for messages that name the profile and the fix. */
  readonly errorContext?: ErrorContext;
}

export interface PipelineChange {
  readonly tree: TreeChange;
  readonly statusBarChanged: boolean;
  readonly notifications: readonly NotificationDecision[];
}

export interface PipelineViewState {
  readonly root: TreeNodeView | undefined;
  readonly statusBar: StatusBarView;
  readonly state: PipelineStateModel | undefined;
  readonly execution: ExecutionSummary | undefined;
  readonly history: readonly ExecutionSummary[];
  readonly followMatch: CommitMatch | undefined;
  /** Set while the pipeline cannot be read (deleted, access denied, bad credentials). */
  readonly problem?: PipelineProblemView;
}

export class PipelineTracker implements PollTask, Disposable {
  readonly name: string;
  readonly idleMs = PIPELINE_IDLE_MS;
  private readonly api: PipelineApi;
  private readonly now: () => number;
  private readonly historySize: number;
  private readonly log: Logger;
  private readonly notifier: FinishNotifier;
  private readonly changed: Emitter<PipelineChange>;
  readonly onDidChange: Event<PipelineChange>;
  private readonly actionExecutions = new Map<string, readonly ActionExecutionDetail[]>();
  private declaration: PipelineDeclaration | undefined;
  private rawState: GetPipelineStateOutput | undefined;
  private history: ExecutionSummary[] = [];
  private listKey: string | undefined;
  private followedCommit: FollowedCommit | undefined;
  /** The followed commit already reported as not picked up (once per push). */
  private notPickedUpAnnounced: string | undefined;
  private readonly startedByUser = new Set<string>();
  private serviceVerdict: ServiceVerdictKind | undefined;
  private retrying: { reason: string; retryAt: number } | undefined;
  private problem: PipelineProblemView | undefined;
  private serviceMissing = false;
  private fingerprints: ReadonlyMap<string, string> = new Map();
  private statusBarKey = '';
  /** Findings of CodeBuild builds, by build id: shown under their action. */
  private readonly findings = new Map<string, readonly Finding[]>();
  private current: PipelineViewState;

  constructor(private readonly options: PipelineTrackerOptions) {
    this.name = `pipeline ${options.pipelineName}`;
    this.api = options.api;
    this.now = options.now ?? Date.now;
    this.historySize = options.historySize ?? HISTORY_SIZE;
    this.log = options.log ?? silentLogger;
    this.notifier = new FinishNotifier(this.now());
    this.changed = new Emitter((error) => this.log.error(`Pipeline change listener failed: ${String(error)}`));
    this.onDidChange = this.changed.event;
    this.current = {
      root: undefined,
      statusBar: buildStatusBar({ pipelineName: options.pipelineName, now: this.now() }),
      state: undefined,
      execution: undefined,
      history: [],
      followMatch: undefined,
    };
  }

  get view(): PipelineViewState {
    return this.current;
  }

  /** The user pushed this commit: follow it in the status bar and notify when its run ends. */
  follow(commit: FollowedCommit): void {
    this.followedCommit = commit;
    this.listKey = undefined; // the next refresh lists, so a fast pickup is seen at once
  }

  /** The user started this execution (Release Change, Retry): notify when it ends. */
  followExecution(executionId: string): void {
    this.startedByUser.add(executionId);
    this.listKey = undefined;
    if (this.startedByUser.size > 50) {
      this.startedByUser.delete(this.startedByUser.values().next().value!);
    }
  }

  setServiceVerdict(verdict: ServiceVerdictKind | undefined): void {
    this.serviceVerdict = verdict;
    this.serviceMissing = verdict === 'Missing';
    this.rebuild([]);
  }

  /** The findings of a build's reports (src/following/findingsFollower.ts reads them). */
  setFindings(buildId: string, findings: readonly Finding[]): void {
    this.findings.delete(buildId);
    this.findings.set(buildId, findings);
    if (this.findings.size > 50) {
      this.findings.delete(this.findings.keys().next().value!);
    }
    this.rebuild([]);
  }

  setRetrying(retrying: { reason: string; retryAt: number } | undefined): void {
    this.retrying = retrying;
    this.rebuild([]);
  }

  async run(): Promise<PollOutcome> {
    try {
      return await this.refresh();
    } catch (error) {
      const problem = pipelineProblemOf(
        error,
        { pipelineName: this.options.pipelineName, account: this.options.account, region: this.options.region },
        this.options.errorContext,
      );
      if (!problem) {
        throw error; // throttling and the network are the poller's: it backs off and says so
      }
      if (this.problem?.message !== problem.message) {
        this.log.warn(`Pipeline polling paused until something changes: ${problem.message}`);
      }
      this.problem = problem;
      this.rebuildProblem();
      return { active: false, followedActive: false, paused: true };
    }
  }

  private async refresh(): Promise<PollOutcome> {
    const name = this.options.pipelineName;
    const state = await this.api.getPipelineState(name);
    this.problem = undefined;
    if (
      !this.declaration ||
      (state.pipelineVersion !== undefined && state.pipelineVersion !== this.declaration.version)
    ) {
      this.declaration = (await this.api.getPipeline(name)).pipeline;
    }
    const key = listKey(state);
    if (key !== this.listKey) {
      const listed = await this.api.listPipelineExecutions(name, this.historySize);
      this.history = executionsFrom(listed.pipelineExecutionSummaries).slice(0, this.historySize);
      this.listKey = key;
      this.pruneActionExecutions();
    }
    this.rawState = state;
    const match = this.followMatch();
    const execution = this.shownExecution(match);
    const notifications = this.notifier.observe({
      level: this.options.notifications(),
      region: this.options.region,
      pipelineName: name,
      executions: this.history,
      isMine: (e) => this.isMine(e),
      state: this.stateModel(execution?.id),
      now: this.now(),
      serviceMissing: this.serviceMissing,
    });
    if (
      match?.kind === 'notPickedUp' &&
      this.followedCommit &&
      this.notPickedUpAnnounced !== this.followedCommit.commitId
    ) {
      this.notPickedUpAnnounced = this.followedCommit.commitId;
      notifications.push(
        notPickedUpDecision(name, this.followedCommit.commitId, this.now() - this.followedCommit.pushedAt),
      );
    }
    this.rebuild(notifications);
    return this.outcome(match);
  }

  /** Loads (once for finished executions) the action executions of a history entry. */
  async loadActionExecutions(executionId: string): Promise<readonly ActionExecutionDetail[]> {
    const cached = this.actionExecutions.get(executionId);
    const entry = this.history.find((e) => e.id === executionId);
    if (cached && entry && isFinished(entry.status)) {
      return cached;
    }
    const out = await this.api.listActionExecutions(this.options.pipelineName, executionId);
    const details = [...(out.actionExecutionDetails ?? [])].sort(
      (a, b) => (a.startTime?.getTime() ?? 0) - (b.startTime?.getTime() ?? 0),
    );
    this.actionExecutions.set(executionId, details);
    this.rebuild([]);
    return details;
  }

  /** An execution outside the history (an old one the user asked about). */
  async fetchExecution(executionId: string): Promise<ExecutionSummary | undefined> {
    const out = await this.api.getPipelineExecution(this.options.pipelineName, executionId);
    return out.pipelineExecution ? fromExecution(out.pipelineExecution) : undefined;
  }

  dispose(): void {
    this.changed.dispose();
    this.actionExecutions.clear();
    this.findings.clear();
  }

  private isMine(e: ExecutionSummary): boolean {
    if (this.startedByUser.has(e.id)) {
      return true;
    }
    const match = this.followMatch();
    return match?.kind === 'matched' && match.execution.id === e.id;
  }

  private followMatch(): CommitMatch | undefined {
    if (!this.followedCommit) {
      return undefined;
    }
    return matchCommit(
      this.followedCommit,
      this.history,
      this.now(),
      this.rawState ? sourceRevisionsInState(this.rawState) : [],
    );
  }

  private shownExecution(match: CommitMatch | undefined): ExecutionSummary | undefined {
    if (match?.kind === 'matched') {
      return match.execution;
    }
    const newest = this.history[0];
    const stateNewest = this.rawState ? newestExecutionIdInState(this.rawState) : undefined;
    return newest ?? (stateNewest ? { id: stateNewest, status: 'InProgress', revisions: [] } : undefined);
  }

  private stateModel(executionId: string | undefined): PipelineStateModel | undefined {
    return this.rawState ? buildStateModel(this.rawState, this.declaration, executionId) : undefined;
  }

  private outcome(match: CommitMatch | undefined): PollOutcome {
    // A push no execution has picked up yet counts as active: the pickup takes seconds, and a
    // focused window should see it at the fast cadence, not a minute later.
    const active =
      this.history.some((e) => isRunning(e.status)) ||
      (this.rawState ? hasRunningStage(this.rawState) : false) ||
      match?.kind === 'waiting';
    let followedActive = false;
    if (match?.kind === 'matched') {
      followedActive = isRunning(match.execution.status);
    } else if (match && this.followedCommit) {
      followedActive = this.now() - this.followedCommit.pushedAt < FOLLOW_PICKUP_WATCH_MS;
    }
    followedActive ||= this.history.some((e) => this.startedByUser.has(e.id) && isRunning(e.status));
    return { active, followedActive };
  }

  /** The pipeline cannot be read: one root node says why, with the next steps under it. */
  private rebuildProblem(): void {
    const problem = this.problem!;
    const name = this.options.pipelineName;
    const actions =
      problem.kind === 'missing'
        ? [
            ['Deploy Workshop Pipeline', 'workshopPipeline.deploy', 'cloud-upload'],
            ['Select Pipeline', 'workshopPipeline.selectPipeline', 'list-selection'],
            ['Select Profile', 'workshopPipeline.selectProfile', 'account'],
            ['Select Region', 'workshopPipeline.selectRegion', 'globe'],
          ]
        : [
            ...(problem.kind === 'accessDenied'
              ? [['Open Permissions', 'workshopPipeline.openPermissions', 'shield'] as const]
              : []),
            ['Select Profile', 'workshopPipeline.selectProfile', 'account'],
            ['Refresh', 'workshopPipeline.refresh', 'refresh'],
          ];
    const root: TreeNodeView = {
      id: `pipelineProblem:${name}`,
      label: name,
      description:
        problem.kind === 'missing'
          ? l10n.t('does not exist')
          : problem.kind === 'accessDenied'
            ? l10n.t('access denied')
            : l10n.t('no credentials'),
      tooltip: escapeMarkdown(problem.message),
      icon: problem.kind === 'missing' ? { id: 'error', color: FAILED_COLOR } : { id: 'lock', color: WARNING_COLOR },
      contextValue: `pipelineProblem ${problem.kind}`,
      collapsible: 'expanded',
      children: actions.map(([title, command, icon]) =>
        leaf({
          id: `pipelineAction:${name}/${command}`,
          label: title,
          description: '',
          tooltip: title,
          icon: { id: icon },
          contextValue: 'pipelineAction',
          links: { runCommand: command },
        }),
      ),
      links: {},
    };
    const { change, fingerprints } = diffTrees(this.fingerprints, [root]);
    this.fingerprints = fingerprints;
    const statusBar = buildStatusBar({ pipelineName: name, problem, now: this.now() });
    const barKey = JSON.stringify(statusBar);
    const statusBarChanged = barKey !== this.statusBarKey;
    this.statusBarKey = barKey;
    this.current = { ...this.current, root, statusBar, problem };
    if (!isEmptyChange(change) || statusBarChanged) {
      this.changed.fire({ tree: change, statusBarChanged, notifications: [] });
    }
  }

  private rebuild(notifications: readonly NotificationDecision[]): void {
    if (this.problem) {
      this.rebuildProblem();
      return;
    }
    if (!this.rawState) {
      return;
    }
    const now = this.now();
    const match = this.followMatch();
    const execution = this.shownExecution(match);
    const state = this.stateModel(execution?.id)!;
    const root = buildPipelineTree({
      region: this.options.region,
      state,
      execution,
      history: this.history,
      actionExecutions: this.actionExecutions,
      followedExecutionId: match?.kind === 'matched' ? match.execution.id : undefined,
      findings: this.findings,
      now,
    });
    const { change, fingerprints } = diffTrees(this.fingerprints, [root]);
    this.fingerprints = fingerprints;
    const statusBar = buildStatusBar({
      pipelineName: this.options.pipelineName,
      state,
      execution,
      followed: this.followedCommit && match ? { commit: this.followedCommit, match } : undefined,
      serviceVerdict: this.serviceVerdict,
      retrying: this.retrying,
      now,
    });
    const barKey = JSON.stringify(statusBar);
    const statusBarChanged = barKey !== this.statusBarKey;
    this.statusBarKey = barKey;
    this.current = { root, statusBar, state, execution, history: this.history, followMatch: match };
    if (isEmptyChange(change) && !statusBarChanged && notifications.length === 0) {
      return;
    }
    this.changed.fire({ tree: change, statusBarChanged, notifications });
  }

  private pruneActionExecutions(): void {
    const keep = new Set(this.history.map((e) => e.id));
    for (const id of this.actionExecutions.keys()) {
      if (!keep.has(id)) {
        this.actionExecutions.delete(id);
      }
    }
  }
}

/** Changes exactly when an execution appears or leaves, passes its source stage or finishes. */
export function listKey(state: GetPipelineStateOutput): string {
  return executionIdsInState(state)
    .map((id) => {
      const p = executionProgressInState(state, id);
      return `${id}:${p.sourceDone ? 's' : ''}${p.finished ? 'f' : ''}`;
    })
    .join(',');
}

function hasRunningStage(state: GetPipelineStateOutput): boolean {
  return (state.stageStates ?? []).some(
    (s) => s.latestExecution?.status === 'InProgress' || s.latestExecution?.status === 'Stopping',
  );
}
