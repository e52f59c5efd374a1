// The pure core's functions that build text for display (see localized.test.ts).

/**
 * The core's message builders, by file: every prose literal in these functions is display text.
 * (The editor layer is covered by its display APIs in every file, see unlocalizedStrings.ts.)
 */
export const CORE_MESSAGE_FUNCTIONS: Record<string, readonly string[]> = {
  'src/aws/errors.ts': ['identityProblemOf', 'explainAwsError'],
  'src/pipeline/pipelineProblem.ts': ['pipelineProblemOf'],
  'src/health/serviceProblem.ts': ['missingProblem', 'serviceProblemOf'],
  'src/pipeline/notifications.ts': ['notPickedUpDecision', 'decide'],
};
