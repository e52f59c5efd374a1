// The failed build's notification once its report findings are read (notificationPresenter waits
// briefly for them): the first finding instead of CodeBuild's phase error.
import * as l10n from '@vscode/l10n';
import { failureHeadline } from '../findings/findingText';
import type { Finding } from '../findings/reportFindings';
import type { NotificationDecision } from './notifications';

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
      { kind: 'showProblems', title: l10n.t('Show Problems') },
      ...decision.actions.filter((a) => a.kind === 'showBuildLogs'),
    ],
  };
}
