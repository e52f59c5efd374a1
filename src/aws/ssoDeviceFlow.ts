// Signing in to IAM Identity Center with the OAuth 2.0 device authorization grant (RFC 8628), as
// `aws sso login` does: register a public client (or reuse the cached registration), start a device
// authorization, let the user approve it in a browser, and poll CreateToken — waiting `interval`
// seconds between polls, five more after each slow_down, until the token, a denial, or the device
// code's expiry. A token with a refresh token is renewed without the browser. No `vscode` here.
import { errorCode } from './errors';
import type { SsoSignInConfig } from './ssoConfig';
import { rfc3339, secondsLeft, type CachedSsoToken } from './ssoTokenCache';

export interface SsoOidcApi {
  registerClient(input: {
    clientName: string;
    clientType: 'public';
    scopes?: string[];
  }): Promise<{ clientId: string; clientSecret: string; clientSecretExpiresAt: number }>;
  startDeviceAuthorization(input: { clientId: string; clientSecret: string; startUrl: string }): Promise<{
    deviceCode: string;
    userCode: string;
    verificationUri: string;
    verificationUriComplete?: string;
    expiresIn: number;
    interval?: number;
  }>;
  createToken(input: {
    clientId: string;
    clientSecret: string;
    grantType: string;
    deviceCode?: string;
    refreshToken?: string;
  }): Promise<{ accessToken: string; expiresIn: number; refreshToken?: string }>;
}

/** What the user must do: open the page and check that it shows the code. */
export interface DeviceAuthorizationPrompt {
  readonly userCode: string;
  readonly verificationUri: string;
  /** The page with the code filled in. */
  readonly url: string;
  readonly expiresAt: number;
}

export interface DeviceFlowDeps {
  readonly api: SsoOidcApi;
  readonly now: () => number;
  /** Waits, or rejects as soon as `signal` aborts. */
  readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  readonly signal?: AbortSignal;
  /** Called once, when the user has to act. */
  readonly onPrompt: (prompt: DeviceAuthorizationPrompt) => void | Promise<void>;
  /** `clientName` of the registration, e.g. "workshop-pipeline-<session>". */
  readonly clientName: string;
}

export type SsoSignInFailure = 'expired' | 'denied' | 'cancelled';

/** A sign-in that ended without a token, and why. */
export class SsoSignInError extends Error {
  override readonly name = 'SsoSignInError';
  constructor(
    readonly reason: SsoSignInFailure,
    message: string,
  ) {
    super(message);
  }
}

const DEVICE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';
/** RFC 8628 §3.5: the default interval, and what each slow_down adds. */
const DEFAULT_INTERVAL_S = 5;
const SLOW_DOWN_S = 5;
/** The CLI re-registers once the registration has less than 15 minutes left. */
const REGISTRATION_MARGIN_MS = 15 * 60_000;

export async function signInWithDeviceFlow(
  config: SsoSignInConfig,
  previous: CachedSsoToken | undefined,
  deps: DeviceFlowDeps,
): Promise<CachedSsoToken> {
  const { api, now, signal } = deps;
  const registration = reusableRegistration(config, previous, now()) ?? (await register(config, deps));
  throwIfCancelled(signal);
  const authorization = await api.startDeviceAuthorization({
    clientId: registration.clientId,
    clientSecret: registration.clientSecret,
    startUrl: config.startUrl,
  });
  const started = now();
  const deadline = started + authorization.expiresIn * 1000;
  await deps.onPrompt({
    userCode: authorization.userCode,
    verificationUri: authorization.verificationUri,
    url: authorization.verificationUriComplete ?? authorization.verificationUri,
    expiresAt: deadline,
  });

  let interval = authorization.interval ?? DEFAULT_INTERVAL_S;
  for (;;) {
    await deps.sleep(interval * 1000, signal).catch(() => throwIfCancelled(signal));
    throwIfCancelled(signal);
    if (now() >= deadline) throw expired();
    try {
      const token = await api.createToken({
        clientId: registration.clientId,
        clientSecret: registration.clientSecret,
        grantType: DEVICE_GRANT,
        deviceCode: authorization.deviceCode,
      });
      return cachedToken(config, registration, token, now());
    } catch (error) {
      switch (errorCode(error)) {
        case 'AuthorizationPendingException':
          continue;
        case 'SlowDownException':
          interval += SLOW_DOWN_S;
          continue;
        case 'ExpiredTokenException':
          throw expired();
        case 'AccessDeniedException':
          throw new SsoSignInError('denied', 'The sign-in request was denied in the browser.');
        default:
          throw error;
      }
    }
  }
}

export type SsoRefreshResult =
  | { readonly ok: true; readonly token: CachedSsoToken }
  | { readonly ok: false; readonly reason: 'noRefreshToken' | 'registrationExpired' | 'rejected' };

/** Renews `token` with its refresh token (refresh_token grant); no browser involved. */
export async function refreshSsoToken(
  config: SsoSignInConfig,
  token: CachedSsoToken,
  api: SsoOidcApi,
  now: number,
): Promise<SsoRefreshResult> {
  const { clientId, clientSecret, refreshToken, registrationExpiresAt } = token;
  if (!clientId || !clientSecret || !refreshToken) return { ok: false, reason: 'noRefreshToken' };
  if (registrationExpiresAt !== undefined && secondsLeft({ expiresAt: registrationExpiresAt }, now) <= 0)
    return { ok: false, reason: 'registrationExpired' };
  try {
    const renewed = await api.createToken({ clientId, clientSecret, grantType: 'refresh_token', refreshToken });
    const registration = { clientId, clientSecret, expiresAt: registrationExpiresAt };
    return { ok: true, token: cachedToken(config, registration, renewed, now) };
  } catch (error) {
    const code = errorCode(error);
    if (code === 'InvalidGrantException' || code === 'InvalidClientException' || code === 'UnauthorizedClientException')
      return { ok: false, reason: 'rejected' };
    throw error;
  }
}

interface Registration {
  readonly clientId: string;
  readonly clientSecret: string;
  readonly expiresAt: string | undefined;
}

/** The registration cached with the previous token, when it is for the same instance and still good. */
function reusableRegistration(
  config: SsoSignInConfig,
  previous: CachedSsoToken | undefined,
  now: number,
): Registration | undefined {
  if (!previous?.clientId || !previous.clientSecret || !previous.registrationExpiresAt) return undefined;
  if (previous.startUrl !== config.startUrl || previous.region !== config.ssoRegion) return undefined;
  // A registration without scopes gets no refresh token; re-register when the scopes now ask for one.
  if (config.registrationScopes.length > 0 && previous.refreshToken === undefined) return undefined;
  if (secondsLeft({ expiresAt: previous.registrationExpiresAt }, now) * 1000 <= REGISTRATION_MARGIN_MS)
    return undefined;
  return {
    clientId: previous.clientId,
    clientSecret: previous.clientSecret,
    expiresAt: previous.registrationExpiresAt,
  };
}

async function register(config: SsoSignInConfig, deps: DeviceFlowDeps): Promise<Registration> {
  const registered = await deps.api.registerClient({
    clientName: deps.clientName,
    clientType: 'public',
    ...(config.registrationScopes.length > 0 ? { scopes: [...config.registrationScopes] } : {}),
  });
  return {
    clientId: registered.clientId,
    clientSecret: registered.clientSecret,
    expiresAt: rfc3339(registered.clientSecretExpiresAt * 1000),
  };
}

function cachedToken(
  config: SsoSignInConfig,
  registration: Registration,
  token: { accessToken: string; expiresIn: number; refreshToken?: string },
  now: number,
): CachedSsoToken {
  return {
    startUrl: config.startUrl,
    region: config.ssoRegion,
    accessToken: token.accessToken,
    expiresAt: rfc3339(now + token.expiresIn * 1000),
    clientId: registration.clientId,
    clientSecret: registration.clientSecret,
    ...(registration.expiresAt !== undefined ? { registrationExpiresAt: registration.expiresAt } : {}),
    ...(token.refreshToken !== undefined ? { refreshToken: token.refreshToken } : {}),
  };
}

function expired(): SsoSignInError {
  return new SsoSignInError('expired', 'The sign-in request expired before it was approved in the browser.');
}

function throwIfCancelled(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new SsoSignInError('cancelled', 'Sign-in cancelled.');
}
