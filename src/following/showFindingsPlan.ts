// What "Show Findings of Execution…" does, without the editor: the executions offered to pick from,
// which execution a request names (the history's, else the pipeline's by id), and what to tell the
// user once its builds' findings are read.
import * as l10n from '@vscode/l10n';
import { findingCount, type ExecutionFindings } from './findingsFollower';
import type { ExecutionSummary } from '../pipeline/executions';
import { formatAge } from '../pipeline/format';
import { executionTitle } from '../pipeline/pipelineTree';
import { statusLabel } from '../pipeline/runStatus';

export interface ExecutionChoice {
  readonly label: string;
  readonly description: string;
  readonly executionId: string;
}

/** The history, newest first as the tracker holds it: title, then status and age. */
export function executionChoices(history: readonly ExecutionSummary[], now: number): ExecutionChoice[] {
  return history.map((e) => ({
    label: executionTitle(e),
    description: [statusLabel(e.status), formatAge(e.startTime, now)].filter(Boolean).join(' · '),
    executionId: e.id,
  }));
}

/** The execution the id names: from the history, else read from the pipeline (older than the history). */
export async function executionNamed(
  executionId: string,
  history: readonly ExecutionSummary[],
  fetchExecution: (id: string) => Promise<ExecutionSummary | undefined>,
): Promise<ExecutionSummary | undefined> {
  return history.find((e) => e.id === executionId) ?? (await fetchExecution(executionId).catch(() => undefined));
}

export type FindingsOutcome =
  { readonly kind: 'problems'; readonly count: number } | { readonly kind: 'none'; readonly message: string };

/** Open the Problems panel when the builds reported findings; else say that none did, and why. */
export function findingsOutcome(execution: ExecutionSummary, found: ExecutionFindings): FindingsOutcome {
  const count = findingCount(found);
  if (count > 0) {
    return { kind: 'problems', count };
  }
  return {
    kind: 'none',
    message:
      found.actions.length === 0
        ? l10n.t(
            '{0}: its builds reported no findings (no CodeBuild action of it has ended).',
            executionTitle(execution),
          )
        : l10n.t('{0}: its builds reported no findings.', executionTitle(execution)),
  };
}

/** When the execution is neither in the history nor in the pipeline. */
export function unknownExecutionMessage(executionId: string): string {
  return l10n.t("Execution {0} is not in the pipeline's history.", executionId);
}
