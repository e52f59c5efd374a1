// One live AWS session: a credential provider from the SDK's node chain and one cached client per
// service. The owner disposes it when profile, region or endpoint change, destroying every client.
import { CALL_POLICY } from '../shared/callPolicy';
import type { Logger } from '../shared/logger';
import { addCallLogging, type MiddlewareStackLike } from './callLogging';
import { boundedCredentials, type CredentialValues } from './credentialSource';
import { loadSdk, type Sdk } from './sdkLoader';
import type { SessionConfig } from './sessionConfig';

/** The part of an SDK client the session needs: its config hooks and destroy(). */
export interface SdkClient {
  destroy(): void;
  middlewareStack: unknown;
}

export interface ClientConfig {
  region: string;
  endpoint?: string;
  credentials: () => Promise<CredentialValues>;
  retryMode: 'adaptive';
  maxAttempts: number;
  /** The SDK's NodeHttpHandler options: no call waits on the network forever. */
  requestHandler: { connectionTimeout: number; requestTimeout: number; throwOnRequestTimeout: true };
}

/** Timeouts and attempts of a session; CALL_POLICY unless a test needs them shorter. */
export interface SessionLimits {
  readonly maxAttempts: number;
  readonly connectionTimeoutMs: number;
  readonly requestTimeoutMs: number;
  readonly credentialTimeoutMs: number;
}

/** The profile, region or endpoint changed while an operation used the old session. */
export class SessionReplacedError extends Error {
  override readonly name = 'SessionReplacedError';
}

export class AwsSession {
  private readonly clients = new Map<string, SdkClient>();
  private readonly sdk: Sdk;
  private readonly credentials: ClientConfig['credentials'];
  private disposed = false;

  private readonly limits: SessionLimits;

  constructor(
    readonly config: SessionConfig,
    private readonly log: Logger,
    limits: Partial<SessionLimits> = {},
  ) {
    this.sdk = loadSdk();
    this.limits = { ...CALL_POLICY, ...limits };
    // The chain is memoized by the SDK and refreshes temporary credentials before they expire;
    // the bound makes a hanging source an error instead of a call that never ends. The clients the
    // chain makes itself (IAM Identity Center, STS for roles) use the extension's endpoint too.
    this.credentials = boundedCredentials(this.sdk.fromNodeProviderChain, {
      profile: config.profile,
      endpointUrl: config.endpointUrl,
      timeoutMs: this.limits.credentialTimeoutMs,
      onNotice: (line) => log.warn(`AWS credentials: ${line}`),
    });
  }

  /**
   * The client for `service`, created on first use with this session's settings. Adapters look it up
   * per call: the cache makes that cheap, and a call on a replaced session fails with
   * SessionReplacedError instead of using a destroyed client.
   */
  client<C extends SdkClient>(service: string, create: (sdk: Sdk, config: ClientConfig) => C): C {
    if (this.disposed) {
      throw new SessionReplacedError(
        'The AWS profile, region or endpoint changed while this was running; start it again to use the new settings.',
      );
    }
    let client = this.clients.get(service) as C | undefined;
    if (!client) {
      client = create(this.sdk, {
        region: this.config.region,
        ...(this.config.endpointUrl ? { endpoint: this.config.endpointUrl } : {}),
        credentials: this.credentials,
        retryMode: 'adaptive',
        maxAttempts: this.limits.maxAttempts,
        requestHandler: {
          connectionTimeout: this.limits.connectionTimeoutMs,
          requestTimeout: this.limits.requestTimeoutMs,
          throwOnRequestTimeout: true,
        },
      });
      addCallLogging(client.middlewareStack as MiddlewareStackLike, service, this.log);
      this.clients.set(service, client);
    }
    return client;
  }

  get sdkModule(): Sdk {
    return this.sdk;
  }

  dispose(): void {
    this.disposed = true;
    for (const client of this.clients.values()) {
      client.destroy();
    }
    this.clients.clear();
  }
}
