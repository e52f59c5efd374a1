// Knows where the extension is connected: settings → session → identity → the workshop stack.
// Every outcome is a state the views can render; nothing here throws at the editor.
import * as l10n from '@vscode/l10n';
import { Emitter, type Event } from '../shared/emitter';
import { errorMessage } from '../shared/errorText';
import type { Logger } from '../shared/logger';
import type { SettingProblem, Settings } from '../shared/settings';
import { AwsSession } from './awsSession';
import { cloudFormationApi, type StackDescription } from './cloudformation';
import { explainAwsError } from './errors';
import type { SharedConfig } from './profiles';
import { regionName } from './regions';
import { loadSdk } from './sdkLoader';
import { profileLabel, resolveSession, sessionKey, type SessionConfig } from './sessionConfig';
import { stsApi, type CallerIdentity } from './sts';

export interface Where {
  account: string;
  arn: string;
  region: string;
  profile: string;
}

export type ConnectionState =
  | { kind: 'connecting' }
  | { kind: 'settingsError'; message: string }
  | { kind: 'needsRegion'; message: string }
  | { kind: 'noCredentials'; message: string; profile: string; region: string; sso: boolean }
  | { kind: 'error'; message: string; profile: string; region: string }
  /** The identity may not read the stack: a "no permission" state, not an error to retry. */
  | { kind: 'accessDenied'; message: string; profile: string; region: string }
  | { kind: 'noPipeline'; where: Where; stackName: string }
  | { kind: 'ready'; where: Where; stack: StackDescription };

export interface AwsContextDeps {
  log: Logger;
  env: Readonly<Record<string, string | undefined>>;
  /** Reads ~/.aws/config and ~/.aws/credentials (or AWS_CONFIG_FILE / AWS_SHARED_CREDENTIALS_FILE) afresh. */
  loadSharedConfig?: () => Promise<SharedConfig>;
}

// stackName too: with an invalid one the views would show, and a deploy would change, a stack the
// user did not name (the settings fall back to the default name).
const CONNECTION_SETTINGS = new Set(['profile', 'region', 'endpointUrl', 'stackName']);

/** Problems in these settings block connecting; the connection state (and so the views) reports them. */
export function isConnectionSetting(setting: string): boolean {
  return CONNECTION_SETTINGS.has(setting);
}

export class AwsContext {
  private current: ConnectionState = { kind: 'connecting' };
  private session: AwsSession | undefined;
  private readonly changed: Emitter<ConnectionState>;
  readonly onDidChangeState: Event<ConnectionState>;
  private inFlight: Promise<ConnectionState> | undefined;
  private rerun = false;
  private disposed = false;

  constructor(
    private settings: Settings,
    private problems: SettingProblem[],
    private readonly deps: AwsContextDeps,
  ) {
    this.changed = new Emitter((error) => deps.log.error(`Connection listener failed: ${String(error)}`));
    this.onDidChangeState = this.changed.event;
  }

  get state(): ConnectionState {
    return this.current;
  }

  get currentSettings(): Settings {
    return this.settings;
  }

  /** The live session, if settings resolved to one. */
  get awsSession(): AwsSession | undefined {
    return this.session;
  }

  /** New settings take effect at the next refresh; clients of a replaced session are destroyed then. */
  updateSettings(settings: Settings, problems: SettingProblem[]): void {
    this.settings = settings;
    this.problems = problems;
  }

  /** Re-resolves everything. Concurrent callers share one run; a call during a run queues exactly one more. */
  refresh(): Promise<ConnectionState> {
    if (this.inFlight) {
      this.rerun = true;
      return this.inFlight;
    }
    const run = async (): Promise<ConnectionState> => {
      try {
        let state: ConnectionState;
        do {
          this.rerun = false;
          state = await this.resolve();
        } while (this.rerun);
        return state;
      } finally {
        this.inFlight = undefined;
      }
    };
    this.inFlight = run();
    return this.inFlight;
  }

  dispose(): void {
    this.disposed = true;
    this.session?.dispose();
    this.session = undefined;
    this.changed.dispose();
  }

  private async resolve(): Promise<ConnectionState> {
    const blocking = this.problems.filter((p) => CONNECTION_SETTINGS.has(p.setting));
    if (blocking.length > 0) {
      this.replaceSession(undefined);
      return this.set({
        kind: 'settingsError',
        message: blocking.map((p) => `workshopPipeline.${p.setting}: ${p.message}.`).join(' '),
      });
    }

    const sdk = loadSdk();
    const shared = await (
      this.deps.loadSharedConfig ?? (() => sdk.loadSharedConfigFiles({ ignoreCache: true }))
    )().catch((error: unknown): SharedConfig => {
      this.deps.log.warn(`Could not read the AWS config files: ${errorMessage(error)}`);
      return { configFile: {}, credentialsFile: {} };
    });
    const resolution = resolveSession(
      this.settings,
      this.deps.env,
      shared,
      (region) => regionName(region) !== undefined,
    );
    if (!resolution.ok) {
      this.replaceSession(undefined);
      return this.set(
        resolution.kind === 'needsRegion'
          ? { kind: 'needsRegion', message: resolution.message }
          : { kind: 'settingsError', message: resolution.message },
      );
    }

    const session = this.replaceSession(resolution.session);
    let identity: CallerIdentity;
    try {
      identity = await stsApi(session).getCallerIdentity();
    } catch (error) {
      const problem = explainAwsError(error, session.config);
      this.deps.log.warn(problem.message);
      const where = {
        message: problem.message,
        profile: profileLabel(session.config.profile),
        region: session.config.region,
      };
      return this.set(
        problem.kind === 'credentials' || problem.kind === 'expired'
          ? { kind: 'noCredentials', ...where, sso: session.config.sso }
          : { kind: 'error', ...where },
      );
    }

    const where: Where = {
      account: identity.account,
      arn: identity.arn,
      region: session.config.region,
      profile: profileLabel(session.config.profile),
    };
    try {
      const stack = await cloudFormationApi(session).describeStack(this.settings.stackName);
      return this.set(
        stack ? { kind: 'ready', where, stack } : { kind: 'noPipeline', where, stackName: this.settings.stackName },
      );
    } catch (error) {
      const problem = explainAwsError(error, session.config);
      this.deps.log.warn(`Could not look up stack ${this.settings.stackName}: ${problem.message}`);
      return this.set({
        kind: problem.kind === 'accessDenied' ? 'accessDenied' : 'error',
        message: problem.message,
        profile: where.profile,
        region: where.region,
      });
    }
  }

  private replaceSession(config: SessionConfig): AwsSession;
  private replaceSession(config: undefined): undefined;
  private replaceSession(config: SessionConfig | undefined): AwsSession | undefined {
    if (this.disposed) {
      // A refresh still running at deactivation must not create clients nobody will destroy.
      throw new Error(l10n.t('Workshop Pipeline was deactivated.'));
    }
    if (this.session && config && sessionKey(this.session.config) === sessionKey(config)) {
      return this.session;
    }
    this.session?.dispose();
    this.session = config ? new AwsSession(config, this.deps.log) : undefined;
    if (config) {
      this.deps.log.info(
        `Using profile ${profileLabel(config.profile)} in ${config.region}${config.endpointUrl ? ` at ${config.endpointUrl}` : ''}.`,
      );
    }
    return this.session;
  }

  private set(state: ConnectionState): ConnectionState {
    if (this.disposed) {
      return state;
    }
    if (
      'message' in state &&
      state.kind !== 'noCredentials' &&
      state.kind !== 'error' &&
      state.kind !== 'accessDenied'
    ) {
      this.deps.log.warn(state.message); // credential and network problems are logged where they are explained
    }
    this.current = state;
    this.changed.fire(state);
    return state;
  }
}
