import * as vscode from 'vscode';
import { explainAwsError, type AwsProblem, type ErrorContext } from '../aws/errors';
import { errorText } from '../shared/errorText';

/**
 * A failed AWS action as one error notification in the user's words. An access denial names the
 * missing permission and offers Open Permissions (docs/iam); `actions` are offered after it, and the
 * one chosen (other than Open Permissions) is returned.
 */
export async function showAwsFailure(
  prefix: string,
  error: unknown,
  context: ErrorContext | undefined,
  actions: readonly string[] = [],
): Promise<string | undefined> {
  const problem: AwsProblem | undefined = context ? explainAwsError(error, context) : undefined;
  return showProblem(`${prefix}: ${problem?.message ?? errorText(error)}`, problem?.kind === 'accessDenied', actions);
}

/** The notification for an already explained failure; `denied` adds Open Permissions. */
export async function showProblem(
  message: string,
  denied: boolean,
  actions: readonly string[] = [],
): Promise<string | undefined> {
  const openPermissions = vscode.l10n.t('Open Permissions');
  const choice = await vscode.window.showErrorMessage(message, ...(denied ? [openPermissions] : []), ...actions);
  if (choice === openPermissions) {
    await vscode.commands.executeCommand('workshopPipeline.openPermissions');
    return undefined;
  }
  return choice;
}
