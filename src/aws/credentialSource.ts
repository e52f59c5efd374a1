// The SDK's credential chain, bounded and explained. Used by the extension's session and by the git
// credential helper, each passing the SDK's `fromNodeProviderChain` (so this file loads no SDK):
// - a source that never answers (a hanging credential_process, an unreachable metadata service)
//   fails after a deadline instead of holding every call, and git, forever;
// - credentials a credential_process returned already expired are reported as expired (the SDK's
//   chain only says "Could not load credentials from any providers" and keeps the reason in its
//   debug log, which is where this reads it);
// - the SDK's 7-line console warning when a profile and environment keys are both set becomes one
//   line of ours, given to `onNotice` once per provider.

export interface CredentialValues {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
  readonly expiration?: Date;
}

/** The part of the SDK's logger interface its credential providers call. */
interface ChainLogger {
  debug(...content: unknown[]): void;
  info(...content: unknown[]): void;
  warn(...content: unknown[]): void;
  error(...content: unknown[]): void;
}

export type ProviderChainFactory = (init: {
  profile?: string;
  logger?: ChainLogger;
  clientConfig?: { endpoint?: string };
}) => () => Promise<CredentialValues>;

export interface CredentialSourceOptions {
  readonly profile: string | undefined;
  readonly timeoutMs: number;
  /**
   * The endpoint of the clients the chain makes itself (IAM Identity Center's portal and OIDC, STS
   * for roles), so an SSO profile works against the sandbox or a private endpoint too.
   */
  readonly endpointUrl?: string;
  /** One line for the user, e.g. that environment keys are ignored in favour of the profile. */
  readonly onNotice?: (line: string) => void;
}

/** The credential source did not answer in time. */
export class CredentialSourceTimeoutError extends Error {
  override readonly name = 'CredentialSourceTimeoutError';
}

/** The credential source answered with credentials that had already expired. */
export class CredentialsExpiredAtSourceError extends Error {
  override readonly name = 'CredentialsExpiredAtSourceError';
}

const EXPIRED_AT_SOURCE = /credential_process returned expired credentials/i;
const MULTIPLE_SOURCES = /Multiple credential sources detected/i;

export function boundedCredentials(
  fromChain: ProviderChainFactory,
  options: CredentialSourceOptions,
): () => Promise<CredentialValues> {
  const label = options.profile ?? process.env.AWS_PROFILE ?? 'default';
  let expiredSeen = false;
  let noticeGiven = false;
  const logger: ChainLogger = {
    debug: (...content) => {
      // Only the fact is kept, never the text: a credential_process may print anything.
      if (EXPIRED_AT_SOURCE.test(content.map(String).join(' '))) {
        expiredSeen = true;
      }
    },
    info: () => undefined,
    warn: (...content) => {
      if (MULTIPLE_SOURCES.test(content.map(String).join(' ')) && !noticeGiven) {
        noticeGiven = true;
        options.onNotice?.(
          `profile "${label}" is used; the AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY in the environment are ignored (unset them, or AWS_PROFILE, to silence this).`,
        );
      }
    },
    error: () => undefined,
  };
  const chain = fromChain({
    ...(options.profile ? { profile: options.profile } : {}),
    ...(options.endpointUrl ? { clientConfig: { endpoint: options.endpointUrl } } : {}),
    logger,
  });
  return async () => {
    expiredSeen = false;
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(
            new CredentialSourceTimeoutError(
              `The credential source of profile "${label}" did not answer within ${Math.round(options.timeoutMs / 1000)} s (a credential_process, SSO or instance metadata that hangs).`,
            ),
          ),
        options.timeoutMs,
      );
      timer.unref?.();
    });
    try {
      return await Promise.race([chain(), deadline]);
    } catch (error) {
      if (expiredSeen) {
        throw new CredentialsExpiredAtSourceError(
          `The credential_process of profile "${label}" returned credentials that have already expired.`,
        );
      }
      throw error;
    } finally {
      clearTimeout(timer);
    }
  };
}
