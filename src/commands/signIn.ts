// "Workshop Pipeline: Sign In with IAM Identity Center": signs the selected SSO profile in (or
// renews its token with the refresh token), shows progress with the code to confirm, opens the
// verification page in the browser, and reconnects once the token is cached.
import * as vscode from 'vscode';
import { registerReadCommand } from '../editor/commandRegistration';
import type { AwsContext } from '../aws/awsContext';
import { explainAwsError } from '../aws/errors';
import { loadSdk } from '../aws/sdkLoader';
import { profileLabel } from '../aws/sessionConfig';
import { ssoSignInConfig } from '../aws/ssoConfig';
import { SsoSignInError } from '../aws/ssoDeviceFlow';
import { ssoLogin } from '../aws/ssoLogin';
import { ssoOidcApi } from '../aws/ssoOidc';
import { awsHomeDir } from '../aws/ssoTokenCache';
import type { Logger } from '../shared/logger';
import { nonEmpty } from '../shared/text';

export const SIGN_IN_COMMAND = 'workshopPipeline.signIn';

export function registerSignIn(aws: AwsContext, log: Logger): vscode.Disposable {
  let running: Promise<void> | undefined;
  return registerReadCommand('workshopPipeline.signIn', () => {
    // A second click while the browser is open shows the same progress instead of a second request.
    running ??= signIn(aws, log).finally(() => (running = undefined));
    return running;
  });
}

async function signIn(aws: AwsContext, log: Logger): Promise<void> {
  const profile = aws.currentSettings.profile ?? nonEmpty(process.env.AWS_PROFILE) ?? 'default';
  const resolved = ssoSignInConfig(await loadSdk().loadSharedConfigFiles({ ignoreCache: true }), profile);
  if (!resolved.ok) {
    void vscode.window
      .showErrorMessage(vscode.l10n.t('Workshop Pipeline: {0}', resolved.message), vscode.l10n.t('Select Profile'))
      .then((choice) => {
        if (choice) void vscode.commands.executeCommand('workshopPipeline.selectProfile');
      });
    return;
  }
  const config = resolved.config;
  const endpointUrl = aws.currentSettings.endpointUrl;
  const api = ssoOidcApi(config.ssoRegion, endpointUrl, log);
  try {
    const result = await vscode.window.withProgress(
      {
        location: vscode.ProgressLocation.Notification,
        title: vscode.l10n.t('Signing in to IAM Identity Center for profile {0}', profileLabel(profile)),
        cancellable: true,
      },
      (progress, cancellation) => {
        const abort = new AbortController();
        cancellation.onCancellationRequested(() => abort.abort());
        return ssoLogin(config, {
          api,
          home: awsHomeDir(process.env),
          now: Date.now,
          sleep: (ms, signal) => abortableSleep(ms, signal),
          signal: abort.signal,
          clientName: `workshop-pipeline-${config.sessionName ?? 'legacy'}`,
          onPrompt: async (prompt) => {
            progress.report({
              message: vscode.l10n.t(
                'Confirm code {0} in your browser ({1}).',
                prompt.userCode,
                prompt.verificationUri,
              ),
            });
            log.info(`IAM Identity Center: confirm code ${prompt.userCode} at ${prompt.verificationUri}.`);
            const opened = await vscode.env.openExternal(vscode.Uri.parse(prompt.url, true));
            if (!opened) {
              void vscode.window.showInformationMessage(
                vscode.l10n.t('Open {0} and confirm code {1} to sign in.', prompt.verificationUri, prompt.userCode),
              );
            }
          },
        });
      },
    );
    log.info(
      `IAM Identity Center: ${result.how === 'refreshed' ? 'renewed the session' : 'signed in'} for profile ${profileLabel(profile)} until ${result.expiresAt}; the AWS CLI and SDKs share the token cache.`,
    );
    await aws.refresh();
  } catch (error) {
    if (error instanceof SsoSignInError) {
      if (error.reason === 'cancelled') return;
      const choice = await vscode.window.showWarningMessage(
        vscode.l10n.t('Workshop Pipeline: {0}', error.message),
        vscode.l10n.t('Sign In Again'),
      );
      if (choice) void vscode.commands.executeCommand(SIGN_IN_COMMAND);
      return;
    }
    const problem = explainAwsError(error, { profile, sso: true, region: config.ssoRegion, endpointUrl });
    log.warn(`IAM Identity Center sign-in failed: ${problem.message}`);
    void vscode.window.showErrorMessage(
      vscode.l10n.t('Workshop Pipeline: sign-in to IAM Identity Center failed. {0}', problem.message),
    );
  } finally {
    api.dispose();
  }
}

function abortableSleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new Error('cancelled'));
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', cancel);
      resolve();
    }, ms);
    const cancel = (): void => {
      clearTimeout(timer);
      reject(new Error('cancelled'));
    };
    signal?.addEventListener('abort', cancel, { once: true });
  });
}
