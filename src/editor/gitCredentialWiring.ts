// Plugs the CodeCommit credential helper into every git this window starts — the git extension's
// (Sync/Push buttons), the extension's own, and the integrated terminal's — through environment
// variables only (GIT_CONFIG_COUNT/KEY/VALUE), never by writing a git config file.
import * as vscode from 'vscode';
import { gitCredentialEnvironment } from '../git/gitEnvironment';
import type { Settings } from '../shared/settings';

export class GitCredentialWiring implements vscode.Disposable {
  private readonly baseEnv: Readonly<Record<string, string | undefined>>;
  private applied: string[] = [];
  private appliedKey: string | undefined;

  constructor(private readonly context: vscode.ExtensionContext) {
    // Snapshot before any change of ours, so re-wiring appends to the user's own GIT_CONFIG_* once.
    this.baseEnv = { ...process.env };
    context.environmentVariableCollection.description = vscode.l10n.t(
      'Lets git push to AWS CodeCommit with your AWS credentials (Workshop Pipeline).',
    );
  }

  /** The environment a git process of ours needs, e.g. for `git pull --rebase`. */
  get gitEnv(): NodeJS.ProcessEnv {
    return { ...process.env };
  }

  update(settings: Settings): void {
    const env = gitCredentialEnvironment({
      nodePath: process.execPath,
      helperPath: this.context.asAbsolutePath('dist/git-credential-codecommit.js'),
      baseEnv: this.baseEnv,
      endpoint: settings.endpointUrl,
      profile: settings.profile,
      region: settings.region,
    });
    // Called on every connection refresh: touch nothing unless the wiring really changed, so open
    // terminals are not flagged as needing a relaunch.
    const key = JSON.stringify(env);
    if (key === this.appliedKey) {
      return;
    }
    this.appliedKey = key;
    // The extension host's environment is inherited by the git extension's git processes.
    this.restore();
    Object.assign(process.env, env);
    this.applied = Object.keys(env);

    const terminals = this.context.environmentVariableCollection;
    terminals.clear();
    for (const [key, value] of Object.entries(env)) {
      terminals.replace(key, value);
    }
  }

  dispose(): void {
    this.restore();
  }

  /** Puts back the environment variables this wiring changed, as they were before it. */
  private restore(): void {
    for (const key of this.applied) {
      if (this.baseEnv[key] === undefined) {
        delete process.env[key];
      } else {
        process.env[key] = this.baseEnv[key];
      }
    }
    this.applied = [];
    this.appliedKey = undefined;
  }
}
