// The pure core's functions that build text for display (see localized.test.ts).

/**
 * The core's message builders, by file: every prose literal in these functions ('*': the whole file) is display text.
 * (The editor layer is covered by its display APIs in every file, see unlocalizedStrings.ts.)
 */
export const CORE_MESSAGE_FUNCTIONS: Record<string, readonly string[]> = {
  'src/aws/errors.ts': ['identityProblemOf', 'explainAwsError'],
  'src/pipeline/pipelineProblem.ts': ['pipelineProblemOf'],
  'src/health/serviceProblem.ts': ['missingProblem', 'serviceProblemOf'],
  'src/pipeline/notifications.ts': ['notPickedUpDecision', 'decide'],
  'src/pipeline/statusBarModel.ts': ['buildStatusBar', 'tooltip', 'serviceWarning', 'serviceLabel'],
  'src/pipeline/runStatus.ts': ['labels'],
  'src/pipeline/format.ts': ['formatAge'],
  // Whole files ('*'): the tree models and the deploy and push flows speak to the user throughout.
  'src/pipeline/pipelineTree.ts': ['*'],
  'src/health/healthTree.ts': ['*'],
  'src/health/serviceHealth.ts': ['*'],
  'src/git/pushFlow.ts': ['*'],
  'src/deploy/deployEngine.ts': ['*'],
  'src/aws/accessDenied.ts': ['deniedText', 'attachHint'],
  'src/shared/settings.ts': ['*'],
  'src/following/showFindingsPlan.ts': ['*'],
  'src/pipeline/findingNotification.ts': ['*'],
};
