// Turns SDK and service errors into what a user can act on: what happened, for which profile,
// and the next step. Never echoes request contents, so no secret can leak through a message.
import * as l10n from '@vscode/l10n';
import { errorMessage } from '../shared/errorText';
import { attachHint, deniedText, parseAccessDenied, type DeniedPermission } from './accessDenied';
import { loadSdk, type Sdk } from './sdkLoader';
import { profileLabel, type SessionConfig } from './sessionConfig';

export type AwsProblemKind = 'credentials' | 'expired' | 'network' | 'accessDenied' | 'throttled' | 'other';

/** What an explanation needs to know of the session: whose credentials, and where the calls went. */
export type ErrorContext = Pick<SessionConfig, 'profile' | 'sso' | 'region' | 'endpointUrl'>;

export interface AwsProblem {
  kind: AwsProblemKind;
  message: string;
  /** For `accessDenied`: the permission the service said was missing, when its message names it. */
  denied?: DeniedPermission;
}

const EXPIRED = new Set(['ExpiredToken', 'ExpiredTokenException', 'RequestExpired', 'TokenRefreshRequired']);
const REJECTED = new Set([
  'InvalidClientTokenId',
  'UnrecognizedClientException',
  'SignatureDoesNotMatch',
  'InvalidSignatureException',
  'InvalidAccessKeyId',
  'AuthFailure',
]);
const DENIED = new Set(['AccessDenied', 'AccessDeniedException', 'UnauthorizedOperation', 'AuthorizationError']);
const NETWORK_MESSAGE = /socket hang up|getaddrinfo|connect ECONNREFUSED/i;

export function errorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) {
    return undefined;
  }
  const e = error as { name?: unknown; code?: unknown; Code?: unknown };
  for (const candidate of [e.code, e.Code, e.name]) {
    if (typeof candidate === 'string' && candidate !== 'Error') {
      return candidate;
    }
  }
  return undefined;
}

/**
 * A failed read the user fixes by choosing or granting something: access denied (with `needs`, the
 * permissions the read takes) or credentials that do not work. Undefined for anything else.
 */
export function identityProblemOf(
  error: unknown,
  context: ErrorContext,
  needs: string,
): { readonly kind: 'accessDenied' | 'credentials'; readonly message: string } | undefined {
  const explained = explainAwsError(error, context);
  switch (explained.kind) {
    case 'accessDenied':
      return {
        kind: 'accessDenied',
        // The service named the missing permission: that is the fix. Otherwise say what the read takes.
        message: explained.denied ? explained.message : `${explained.message} ${needs}.`,
      };
    case 'credentials':
    case 'expired':
      return { kind: 'credentials', message: explained.message };
    default:
      return undefined;
  }
}

export function explainAwsError(error: unknown, session: ErrorContext): AwsProblem {
  const code = errorCode(error) ?? '';
  const message = errorMessage(error);
  const profile = profileLabel(session.profile);
  const login = session.sso
    ? l10n.t(
        'Sign in again (Sign In with IAM Identity Center, or "aws sso login --profile {0}" in a terminal).',
        profile,
      )
    : l10n.t(
        'Renew them (for example "aws configure --profile {0}", or your credential process or MFA session), then refresh.',
        profile,
      );

  if (code === 'CredentialsExpiredAtSourceError') {
    return {
      kind: 'expired',
      message: l10n.t(
        'The AWS credentials for profile "{0}" have expired: its credential_process returned credentials that were already expired. Renew them with the tool behind credential_process (its login or refresh command), then refresh.',
        profile,
      ),
    };
  }
  if (code === 'CredentialSourceTimeoutError') {
    return {
      kind: 'credentials',
      message: l10n.t(
        '{0} Check the credential_process (or SSO, or instance role) of profile "{1}": run it in a terminal to see where it waits, then refresh.',
        message,
        profile,
      ),
    };
  }
  if (code === 'CredentialsProviderError' || /could not load credentials/i.test(message)) {
    return {
      kind: 'credentials',
      message: session.sso
        ? l10n.t(
            'No valid AWS credentials for profile "{0}": its SSO session is missing or expired. Sign in with IAM Identity Center (Sign In, or "aws sso login --profile {1}" in a terminal).',
            profile,
            profile,
          )
        : l10n.t(
            'No AWS credentials found for profile "{0}". Run "aws configure --profile {1}", set AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, or choose another profile with "Workshop Pipeline: Select Profile".',
            profile,
            profile,
          ),
    };
  }
  if (code === 'TokenProviderError' || /sso.*(expired|refresh)|token.*expired/i.test(message) || EXPIRED.has(code)) {
    return {
      kind: 'expired',
      message: l10n.t('The AWS credentials for profile "{0}" have expired. {1}', profile, login),
    };
  }
  if (REJECTED.has(code)) {
    return {
      kind: 'credentials',
      message: l10n.t(
        'AWS rejected the credentials of profile "{0}" ({1}). Check its access key and secret, or choose another profile with "Workshop Pipeline: Select Profile".',
        profile,
        code,
      ),
    };
  }
  if (DENIED.has(code)) {
    const denied = parseAccessDenied(message);
    return denied
      ? { kind: 'accessDenied', message: deniedText(denied), denied }
      : {
          kind: 'accessDenied',
          message: l10n.t('Access denied for profile "{0}": {1} {2}', profile, message, attachHint()),
        };
  }
  const transient = transientKind(error);
  if (transient === 'throttled') {
    return { kind: 'throttled', message: l10n.t('AWS is throttling requests ({0}); retrying with backoff.', code) };
  }
  if (transient === 'offline' || NETWORK_MESSAGE.test(message)) {
    const where = session.endpointUrl ?? l10n.t('AWS in {0}', session.region);
    const what = code === 'TimeoutError' ? l10n.t('no answer in time') : code || message;
    return {
      kind: 'network',
      message: session.endpointUrl
        ? l10n.t(
            'Could not reach {0} ({1}). Check your network and the setting workshopPipeline.endpointUrl; retrying with backoff.',
            where,
            what,
          )
        : l10n.t('Could not reach {0} ({1}). Check your network; retrying with backoff.', where, what),
    };
  }
  return { kind: 'other', message: code ? `${code}: ${message}` : message };
}

/**
 * How the SDK's own retry strategy sees the error once it has given up on it: `throttled`,
 * `offline` (the network, a timeout, a 5xx) or undefined (retrying would not help). One
 * classification for every layer, so the views, the deploy waiter and the SDK agree.
 */
export function transientKind(error: unknown): 'throttled' | 'offline' | undefined {
  if (typeof error !== 'object' || error === null || (error as { name?: unknown }).name === 'AbortError') {
    return undefined;
  }
  const sdk = loadSdk();
  const e = error as Parameters<Sdk['isTransientError']>[0];
  if (sdk.isThrottlingError(e)) {
    return 'throttled';
  }
  if (sdk.isTransientError(e) || sdk.isServerError(e) || NETWORK_MESSAGE.test(errorMessage(error))) {
    return 'offline';
  }
  return undefined;
}

/** A failed poll as the poller reports it (src/polling/errorKind.ts). */
export function pollErrorKind(error: unknown): 'throttled' | 'offline' | 'error' {
  return transientKind(error) ?? 'error';
}

/** Errors that say "try again later": throttling, the network, a timeout, or a 5xx from the service. */
export function isTransient(error: unknown): boolean {
  return transientKind(error) !== undefined;
}

/** Credentials that worked and then expired: the operation can resume after the user signs in again. */
export function isExpiredCredentials(error: unknown): boolean {
  const code = errorCode(error) ?? '';
  return (
    EXPIRED.has(code) ||
    code === 'TokenProviderError' ||
    code === 'CredentialsExpiredAtSourceError' ||
    /token.*expired|sso.*expired/i.test(errorMessage(error))
  );
}
