// Which execution runs the commit the user pushed: the one whose source revision is that commit.
// Matching is by the exact commit id, never by branch or time, so a stale or foreign run is never
// shown as "yours". A push no execution has picked up within a minute is reported as such
// (the trigger may be off, or the branch is not the one the pipeline watches).
import type { ExecutionSummary } from './executions';

export interface FollowedCommit {
  /** Full (or at least 7-character) commit id. */
  readonly commitId: string;
  /** Epoch ms of the push. */
  readonly pushedAt: number;
}

export type CommitMatch =
  | { readonly kind: 'matched'; readonly execution: ExecutionSummary }
  /** Pushed, no execution yet, still within the grace period. */
  | { readonly kind: 'waiting'; readonly waitedMs: number }
  /** No execution picked the commit up within the grace period. */
  | { readonly kind: 'notPickedUp'; readonly waitedMs: number };

export const PICKUP_GRACE_MS = 60_000;

export function sameCommit(followed: string, revisionId: string | undefined): boolean {
  if (!revisionId || followed.length < 7) {
    return false;
  }
  const a = followed.toLowerCase();
  const b = revisionId.toLowerCase();
  return a === b || (a.length < b.length ? b.startsWith(a) : false);
}

/**
 * The newest execution (executions come newest first) with the commit among its source
 * revisions. `stateRevisions` pairs executions with revisions from GetPipelineState, which
 * knows the commit before ListPipelineExecutions does.
 */
export function matchCommit(
  followed: FollowedCommit,
  executions: readonly ExecutionSummary[],
  now: number,
  stateRevisions: readonly { executionId: string; revisionId: string }[] = [],
  graceMs = PICKUP_GRACE_MS,
): CommitMatch {
  const byRevision = executions.find((e) => e.revisions.some((r) => sameCommit(followed.commitId, r.revisionId)));
  if (byRevision) {
    return { kind: 'matched', execution: byRevision };
  }
  const fromState = stateRevisions.find((r) => sameCommit(followed.commitId, r.revisionId));
  const execution = fromState ? executions.find((e) => e.id === fromState.executionId) : undefined;
  if (execution) {
    return { kind: 'matched', execution };
  }
  const waitedMs = Math.max(0, now - followed.pushedAt);
  return waitedMs < graceMs ? { kind: 'waiting', waitedMs } : { kind: 'notPickedUp', waitedMs };
}
