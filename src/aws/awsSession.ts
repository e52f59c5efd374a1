// One live AWS session: a credential provider from the SDK's node chain and one cached client per
// service. The owner disposes it when profile, region or endpoint change, destroying every client.
import type { Logger } from '../shared/logger';
import { addCallLogging, type MiddlewareStackLike } from './callLogging';
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
  credentials: ReturnType<Sdk['fromNodeProviderChain']>;
  retryMode: 'adaptive';
  maxAttempts: number;
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

  constructor(
    readonly config: SessionConfig,
    private readonly log: Logger,
  ) {
    this.sdk = loadSdk();
    // The chain is memoized by the SDK and refreshes temporary credentials before they expire. The
    // clients it makes itself (IAM Identity Center's portal and OIDC, STS for roles) use the
    // extension's endpoint too, so an SSO profile works against the sandbox or a private endpoint.
    this.credentials = this.sdk.fromNodeProviderChain({
      ...(config.profile ? { profile: config.profile } : {}),
      ...(config.endpointUrl ? { clientConfig: { endpoint: config.endpointUrl } } : {}),
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
        maxAttempts: 5,
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
