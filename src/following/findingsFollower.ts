// The findings of the followed pipeline's builds. When a CodeBuild action of the shown execution ends
// (failed or not), its build's reports are read once; the newest execution that has reported is the
// one whose findings the editor shows, so a newer run replaces them and a passing one clears them.
// "Show Findings of Execution…" pins any execution of the history until a newer run reports.
import { primaryRevision, type ExecutionSummary } from '../pipeline/executions';
import type { PipelineTracker } from '../pipeline/pipelineTracker';
import type { BuildFindings, BuildFindingsCache } from '../findings/buildFindings';
import { Emitter, type Disposable, type Event } from '../shared/emitter';
import { errorText } from '../shared/errorText';
import type { Logger } from '../shared/logger';

export interface ActionFindings {
  readonly stageName: string;
  readonly actionName: string;
  readonly buildId: string;
  readonly failed: boolean;
  readonly result: BuildFindings;
}

export interface ExecutionFindings {
  readonly executionId: string;
  /** The commit the execution built (its first source revision). */
  readonly commitId?: string;
  readonly startTime?: number;
  readonly actions: readonly ActionFindings[];
}

export function findingCount(e: ExecutionFindings | undefined): number {
  return e ? e.actions.reduce((n, a) => n + a.result.findings.length, 0) : 0;
}

export class FindingsFollower implements Disposable {
  private readonly byExecution = new Map<string, ExecutionFindings>();
  private readonly requested = new Set<string>();
  private shown: ExecutionFindings | undefined;
  private pinned: string | undefined;
  private readonly changed: Emitter<ExecutionFindings | undefined>;
  readonly onDidChange: Event<ExecutionFindings | undefined>;
  private readonly subscription: Disposable;
  private disposed = false;

  constructor(
    private readonly tracker: PipelineTracker,
    private readonly cache: BuildFindingsCache,
    private readonly log: Logger,
  ) {
    this.changed = new Emitter((error) => log.error(`Findings listener failed: ${errorText(error)}`));
    this.onDidChange = this.changed.event;
    this.subscription = tracker.onDidChange(() => this.observe());
    this.observe();
  }

  /** The execution whose findings the editor shows. */
  get current(): ExecutionFindings | undefined {
    return this.shown;
  }

  /** A build's findings (a notification waits for them); read once per build. */
  forBuild(buildId: string): Promise<BuildFindings> {
    return this.cache.load(buildId);
  }

  /** Reads the findings of any execution of the history and shows them until a newer run reports. */
  async showExecution(execution: ExecutionSummary): Promise<ExecutionFindings> {
    const details = await this.tracker.loadActionExecutions(execution.id);
    const builds = details.flatMap((d) => {
      const buildId = d.output?.executionResult?.externalExecutionId;
      const status = d.status;
      return d.input?.actionTypeId?.provider === 'CodeBuild' &&
        buildId &&
        (status === 'Succeeded' || status === 'Failed')
        ? [{ stageName: d.stageName ?? '', actionName: d.actionName ?? '', buildId, failed: status === 'Failed' }]
        : [];
    });
    const actions: ActionFindings[] = [];
    for (const b of builds) {
      actions.push({ ...b, result: await this.cache.load(b.buildId) });
    }
    const found: ExecutionFindings = {
      executionId: execution.id,
      commitId: primaryRevision(execution)?.revisionId,
      startTime: execution.startTime?.getTime(),
      actions,
    };
    this.byExecution.set(execution.id, found);
    this.pinned = execution.id;
    this.publishTree(found);
    this.show(found);
    return found;
  }

  dispose(): void {
    this.disposed = true;
    this.subscription.dispose();
    this.changed.dispose();
  }

  /** Starts reading the builds of CodeBuild actions of the shown execution that ended. */
  private observe(): void {
    const { state, execution } = this.tracker.view;
    if (!state || !execution || state.executionId !== execution.id) {
      return;
    }
    for (const stage of state.stages) {
      for (const action of stage.actions) {
        const buildId = action.buildId;
        if (!buildId || (action.status !== 'Succeeded' && action.status !== 'Failed') || this.requested.has(buildId)) {
          continue;
        }
        this.requested.add(buildId);
        const failed = action.status === 'Failed';
        this.cache.load(buildId).then(
          (result) =>
            this.record(execution, {
              stageName: stage.name,
              actionName: action.name,
              buildId,
              failed,
              result,
            }),
          (error) => {
            this.requested.delete(buildId); // read again on a later poll
            this.log.warn(`Could not read the test reports of build ${buildId}: ${errorText(error)}`);
          },
        );
      }
    }
  }

  private record(execution: ExecutionSummary, action: ActionFindings): void {
    if (this.disposed) {
      return;
    }
    if (!action.result.complete) {
      this.requested.delete(action.buildId);
    }
    const previous = this.byExecution.get(execution.id);
    const entry: ExecutionFindings = {
      executionId: execution.id,
      commitId: primaryRevision(execution)?.revisionId ?? previous?.commitId,
      startTime: execution.startTime?.getTime() ?? previous?.startTime,
      actions: [...(previous?.actions ?? []).filter((a) => a.buildId !== action.buildId), action],
    };
    this.byExecution.set(execution.id, entry);
    this.prune();
    this.publishTree(entry);
    const shown = this.shown;
    const newer =
      !shown ||
      shown.executionId === entry.executionId ||
      (entry.startTime ?? Number.MAX_SAFE_INTEGER) >= (shown.startTime ?? 0);
    if (newer) {
      this.pinned = undefined;
      this.show(entry);
    }
  }

  private publishTree(entry: ExecutionFindings): void {
    for (const a of entry.actions) {
      this.tracker.setFindings(a.buildId, a.result.findings);
    }
  }

  private show(entry: ExecutionFindings): void {
    this.shown = entry;
    this.changed.fire(entry);
  }

  private prune(): void {
    while (this.byExecution.size > 20) {
      const oldest = this.byExecution.keys().next().value!;
      if (oldest === this.shown?.executionId || oldest === this.pinned) {
        break;
      }
      this.byExecution.delete(oldest);
    }
  }
}
