// One-line texts about findings: the failure notification that names the first one.
import type { NotificationDecision } from '../pipeline/notifications';
import { findingLocation, type Finding } from './reportFindings';

/** "AWS access key in `leak.js:2` (gitleaks aws-access-token)". */
export function findingSummary(f: Finding): string {
  const where = findingLocation(f) ?? (f.anchor.kind === 'package' && f.anchor.target ? f.anchor.target : undefined);
  return `${f.title}${where ? ` in \`${where}\`` : ''} (${f.tool} ${f.ruleId})`;
}

/** "Build failed: AWS access key in `leak.js:2` (gitleaks aws-access-token) — 2 more in Problems". */
export function failureHeadline(stageName: string, findings: readonly Finding[]): string | undefined {
  const [first, ...rest] = findings;
  if (!first) {
    return undefined;
  }
  return `${stageName} failed: ${findingSummary(first)}${rest.length > 0 ? ` — ${rest.length} more in Problems` : ''}`;
}

/**
 * A failed build's notification once its findings are read: it names the first finding instead of
 * CodeBuild's phase error, with Show Problems and Show Build Logs. Without findings (none reported,
 * or the reports could not be read in time) the decision is shown as it was.
 */
export function withFirstFinding(
  decision: NotificationDecision,
  findings: readonly Finding[] | undefined,
): NotificationDecision {
  const headline = decision.failure && findings ? failureHeadline(decision.failure.stageName, findings) : undefined;
  if (!headline) {
    return decision;
  }
  return {
    ...decision,
    message: headline,
    actions: [
      { kind: 'showProblems', title: 'Show Problems' },
      ...decision.actions.filter((a) => a.kind === 'showBuildLogs'),
    ],
  };
}
