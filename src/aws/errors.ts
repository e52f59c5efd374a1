// Turns SDK and service errors into what a user can act on: what happened, for which profile,
// and the next step. Never echoes request contents, so no secret can leak through a message.
import { NETWORK_CODES, THROTTLING_CODES } from '../shared/errorCodes';
import { errorMessage } from '../shared/errorText';
import { profileLabel, type SessionConfig } from './sessionConfig';

export type AwsProblemKind = 'credentials' | 'expired' | 'network' | 'accessDenied' | 'throttled' | 'other';

/** What an explanation needs to know of the session: whose credentials, and where the calls went. */
export type ErrorContext = Pick<SessionConfig, 'profile' | 'sso' | 'region' | 'endpointUrl'>;

export interface AwsProblem {
  kind: AwsProblemKind;
  message: string;
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
const THROTTLED = THROTTLING_CODES;
const NETWORK = NETWORK_CODES;

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

export function explainAwsError(error: unknown, session: ErrorContext): AwsProblem {
  const code = errorCode(error) ?? '';
  const message = errorMessage(error);
  const profile = profileLabel(session.profile);
  const login = session.sso
    ? `Sign in again (Sign In with IAM Identity Center, or "aws sso login --profile ${profile}" in a terminal).`
    : `Renew them (for example "aws configure --profile ${profile}", or your credential process or MFA session), then refresh.`;

  if (code === 'CredentialsProviderError' || /could not load credentials/i.test(message)) {
    return {
      kind: 'credentials',
      message: session.sso
        ? `No valid AWS credentials for profile "${profile}": its SSO session is missing or expired. Sign in with IAM Identity Center (Sign In, or "aws sso login --profile ${profile}" in a terminal).`
        : `No AWS credentials found for profile "${profile}". Run "aws configure --profile ${profile}", set AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, or choose another profile with "Workshop Pipeline: Select Profile".`,
    };
  }
  if (code === 'TokenProviderError' || /sso.*(expired|refresh)|token.*expired/i.test(message) || EXPIRED.has(code)) {
    return { kind: 'expired', message: `The AWS credentials for profile "${profile}" have expired. ${login}` };
  }
  if (REJECTED.has(code)) {
    return {
      kind: 'credentials',
      message: `AWS rejected the credentials of profile "${profile}" (${code}). Check its access key and secret, or choose another profile with "Workshop Pipeline: Select Profile".`,
    };
  }
  if (DENIED.has(code)) {
    return { kind: 'accessDenied', message: `Access denied for profile "${profile}": ${message}` };
  }
  if (THROTTLED.has(code)) {
    return { kind: 'throttled', message: `AWS is throttling requests (${code}); retrying with backoff.` };
  }
  if (NETWORK.has(code) || /socket hang up|getaddrinfo|connect ECONNREFUSED/i.test(message)) {
    const where = session.endpointUrl ?? `AWS in ${session.region}`;
    return {
      kind: 'network',
      message: `Could not reach ${where} (${code || message}). Check your network${session.endpointUrl ? ' and the setting workshopPipeline.endpointUrl' : ''}, then refresh.`,
    };
  }
  return { kind: 'other', message: code ? `${code}: ${message}` : message };
}

/** Errors that say "try again later": throttling, the network, or a 5xx from the service. */
export function isTransient(error: unknown): boolean {
  const code = errorCode(error) ?? '';
  if (THROTTLED.has(code) || NETWORK.has(code)) {
    return true;
  }
  const meta = error as { $metadata?: { httpStatusCode?: number }; $fault?: string } | undefined;
  const status = meta?.$metadata?.httpStatusCode ?? 0;
  return (
    meta?.$fault === 'server' ||
    status >= 500 ||
    status === 429 ||
    /socket hang up|ECONNRESET/i.test(errorMessage(error))
  );
}

/** Credentials that worked and then expired: the operation can resume after the user signs in again. */
export function isExpiredCredentials(error: unknown): boolean {
  const code = errorCode(error) ?? '';
  return EXPIRED.has(code) || code === 'TokenProviderError' || /token.*expired|sso.*expired/i.test(errorMessage(error));
}
