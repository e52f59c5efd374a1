// When the followed pipeline cannot be read, why, with the fix: it was deleted (or never was in
// this account and region), the identity may not read it, or the credentials do not work. These
// are not "offline": polling pauses until something changes instead of retrying them forever.
import * as l10n from '@vscode/l10n';
import { errorCode, identityProblemOf, pollErrorKind, type ErrorContext } from '../aws/errors';
import type { PipelineProblemView } from './statusBarModel';

export function pipelineProblemOf(
  error: unknown,
  at: { readonly pipelineName: string; readonly account?: string; readonly region: string },
  context: ErrorContext | undefined,
): PipelineProblemView | undefined {
  if (pollErrorKind(error) !== 'error') {
    return undefined;
  }
  if (errorCode(error) === 'PipelineNotFoundException') {
    return {
      kind: 'missing',
      message: l10n.t(
        'Pipeline {0} does not exist in {1} {2}. Deploy it with "AWS: Deploy Workshop Pipeline", or choose the profile, region or pipeline it is in.',
        at.pipelineName,
        at.account ?? l10n.t('this account'),
        at.region,
      ),
    };
  }
  if (!context) {
    return undefined;
  }
  return identityProblemOf(
    error,
    context,
    l10n.t('Watching the pipeline needs codepipeline:GetPipelineState, GetPipeline and ListPipelineExecutions'),
  );
}
