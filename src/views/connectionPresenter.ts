import * as vscode from 'vscode';
import { registerReadCommand } from '../editor/commandRegistration';
import type { AwsContext, ConnectionState } from '../aws/awsContext';

interface Action {
  title: string;
  command: string;
  args?: unknown[];
}

const ACTIONS: Record<string, Action[]> = {
  settingsError: [
    { title: vscode.l10n.t('Open Settings'), command: 'workbench.action.openSettings', args: ['workshopPipeline'] },
    { title: vscode.l10n.t('Select Profile'), command: 'workshopPipeline.selectProfile' },
    { title: vscode.l10n.t('Select Region'), command: 'workshopPipeline.selectRegion' },
  ],
  needsRegion: [{ title: vscode.l10n.t('Select Region'), command: 'workshopPipeline.selectRegion' }],
  noCredentials: [
    { title: vscode.l10n.t('Select Profile'), command: 'workshopPipeline.selectProfile' },
    { title: vscode.l10n.t('Refresh'), command: 'workshopPipeline.refresh' },
  ],
  error: [{ title: vscode.l10n.t('Refresh'), command: 'workshopPipeline.refresh' }],
  accessDenied: [
    { title: vscode.l10n.t('Open Permissions'), command: 'workshopPipeline.openPermissions' },
    { title: vscode.l10n.t('Select Profile'), command: 'workshopPipeline.selectProfile' },
    { title: vscode.l10n.t('Refresh'), command: 'workshopPipeline.refresh' },
  ],
};

/** An IAM Identity Center profile without a valid session: signing in is the fix. */
const SSO_ACTIONS: Action[] = [
  { title: vscode.l10n.t('Sign In'), command: 'workshopPipeline.signIn' },
  { title: vscode.l10n.t('Select Profile'), command: 'workshopPipeline.selectProfile' },
];

/**
 * Run (it does nothing) each time the connection reaches an account: the walkthrough's credentials
 * step completes on it. Its `onContext` event alone is not enough: VS Code never completes a step
 * whose condition already holds when its walkthrough service starts, which races the extension's
 * connection at start-up; a command run afterwards (e.g. once the deploy makes the state `ready`) is
 * recorded.
 */
const CONNECTED_COMMAND = 'workshopPipeline.connected'; // contributed, hidden from the palette

/**
 * Mirrors the connection state onto the views. The `workshopPipeline.connection` context key picks
 * the welcome content (package.json `viewsWelcome`), the description says where you are, and the
 * specific reason for a problem (which profile, which setting, the fix) is shown once as a
 * notification, because VS Code hides welcome content while a view has a message.
 */
export function presentConnection(aws: AwsContext, views: vscode.TreeView<unknown>[]): vscode.Disposable {
  let lastShown: string | undefined;
  let lastKind: ConnectionState['kind'] | undefined;
  const apply = (state: ConnectionState): void => {
    void vscode.commands.executeCommand('setContext', 'workshopPipeline.connection', state.kind);
    if ((state.kind === 'ready' || state.kind === 'noPipeline') && state.kind !== lastKind) {
      void vscode.commands.executeCommand(CONNECTED_COMMAND);
    }
    lastKind = state.kind;
    // Offers "Sign In with IAM Identity Center" (welcome content, palette) for SSO profiles only.
    void vscode.commands.executeCommand(
      'setContext',
      'workshopPipeline.ssoProfile',
      aws.awsSession?.config.sso ?? false,
    );
    for (const view of views) {
      view.description = describe(state);
    }
    const message = 'message' in state ? state.message : undefined;
    if (message !== undefined && message !== lastShown) {
      const actions = state.kind === 'noCredentials' && state.sso ? SSO_ACTIONS : (ACTIONS[state.kind] ?? []);
      void vscode.window
        .showWarningMessage(vscode.l10n.t('Workshop Pipeline: {0}', message), ...actions.map((a) => a.title))
        .then((choice) => {
          const action = actions.find((a) => a.title === choice);
          if (action) {
            void vscode.commands.executeCommand(action.command, ...(action.args ?? []));
          }
        });
    }
    lastShown = message;
  };
  apply(aws.state);
  return vscode.Disposable.from(
    registerReadCommand('workshopPipeline.connected', () => undefined),
    aws.onDidChangeState(apply),
  );
}

function describe(state: ConnectionState): string | undefined {
  switch (state.kind) {
    case 'ready':
    case 'noPipeline':
      return `${state.where.account} · ${state.where.region}`;
    case 'noCredentials':
    case 'error':
    case 'accessDenied':
      return `profile ${state.profile} · ${state.region}`;
    default:
      return undefined;
  }
}
