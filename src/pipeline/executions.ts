// Pipeline executions as the views use them, from ListPipelineExecutions summaries or a
// GetPipelineExecution result (which names its revisions differently).
import type { PipelineExecution, PipelineExecutionSummary } from '../aws/codepipeline';
import { isRunning, runStatus, type RunStatus } from './runStatus';

export interface Revision {
  readonly actionName: string;
  readonly revisionId?: string;
  readonly summary?: string;
  readonly url?: string;
}

export interface ExecutionSummary {
  readonly id: string;
  readonly status: RunStatus;
  readonly statusSummary?: string;
  readonly startTime?: Date;
  readonly lastUpdateTime?: Date;
  readonly revisions: readonly Revision[];
  readonly triggerType?: string;
  readonly triggerDetail?: string;
  readonly executionType?: string;
}

export function fromSummary(s: PipelineExecutionSummary): ExecutionSummary | undefined {
  if (!s.pipelineExecutionId) {
    return undefined;
  }
  return {
    id: s.pipelineExecutionId,
    status: runStatus(s.status),
    statusSummary: s.statusSummary,
    startTime: s.startTime,
    lastUpdateTime: s.lastUpdateTime,
    revisions: (s.sourceRevisions ?? []).map((r) => ({
      actionName: r.actionName ?? '',
      revisionId: r.revisionId,
      summary: r.revisionSummary,
      url: r.revisionUrl,
    })),
    triggerType: s.trigger?.triggerType,
    triggerDetail: s.trigger?.triggerDetail,
    executionType: s.executionType,
  };
}

/** GetPipelineExecution has no start time; `artifactRevisions` stand in for source revisions. */
export function fromExecution(e: PipelineExecution): ExecutionSummary | undefined {
  if (!e.pipelineExecutionId) {
    return undefined;
  }
  return {
    id: e.pipelineExecutionId,
    status: runStatus(e.status),
    statusSummary: e.statusSummary,
    revisions: (e.artifactRevisions ?? []).map((r) => ({
      actionName: r.name ?? '',
      revisionId: r.revisionId,
      summary: r.revisionSummary,
      url: r.revisionUrl,
    })),
    triggerType: e.trigger?.triggerType,
    triggerDetail: e.trigger?.triggerDetail,
    executionType: e.executionType,
  };
}

/** Newest first, as the API returns them, without entries lacking an id. */
export function executionsFrom(summaries: readonly PipelineExecutionSummary[] | undefined): ExecutionSummary[] {
  const out: ExecutionSummary[] = [];
  for (const s of summaries ?? []) {
    const e = fromSummary(s);
    if (e) {
      out.push(e);
    }
  }
  return out;
}

/** The revision that identifies the run: the first one with an id (pipelines with several sources list them all). */
export function primaryRevision(e: ExecutionSummary): Revision | undefined {
  return e.revisions.find((r) => r.revisionId) ?? e.revisions[0];
}

/** Wall time of a finished execution, or its running time so far. */
export function executionDurationMs(e: ExecutionSummary, now: number): number | undefined {
  if (!e.startTime) {
    return undefined;
  }
  const end = isRunning(e.status) ? now : (e.lastUpdateTime?.getTime() ?? now);
  return Math.max(0, end - e.startTime.getTime());
}

const TRIGGERS: Record<string, string> = {
  StartPipelineExecution: 'Release change',
  CloudWatchEvent: 'Push (EventBridge)',
  Webhook: 'Push (webhook)',
  WebhookV2: 'Push (webhook)',
  PollForSourceChanges: 'Source polling',
  CreatePipeline: 'Pipeline created',
  PutActionRevision: 'Action revision',
  AutomatedRollback: 'Automated rollback',
  ManualRollback: 'Manual rollback',
};

/** "Release change by alice", "Push (EventBridge)". */
export function triggerLabel(e: Pick<ExecutionSummary, 'triggerType' | 'triggerDetail'>): string {
  if (!e.triggerType) {
    return '';
  }
  const base = TRIGGERS[e.triggerType] ?? e.triggerType;
  const who = e.triggerType === 'StartPipelineExecution' ? principalName(e.triggerDetail) : undefined;
  return who ? `${base} by ${who}` : base;
}

/** The last segment of an IAM principal ARN (`…:assumed-role/Dev/alice` → `alice`). */
function principalName(detail: string | undefined): string | undefined {
  if (!detail || !detail.startsWith('arn:')) {
    return undefined;
  }
  const resource = detail.split(':').slice(5).join(':');
  const last = resource.split('/').pop();
  return last || undefined;
}
