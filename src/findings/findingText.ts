// One-line texts about findings: the failure notification that names the first one.
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
