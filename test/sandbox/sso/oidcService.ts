// IAM Identity Center OIDC (restJson1, signing name sso-oauth): the OAuth 2.0 device authorization
// grant (RFC 8628) the AWS CLI's `aws sso login` and the SDKs use — RegisterClient,
// StartDeviceAuthorization, then CreateToken polled until the user approves in the browser — and
// the refresh_token grant that renews a token without the browser. Errors are AWS's: the OAuth
// error code in the body and the exception name in `x-amzn-errortype`.
import { AwsError, type RequestContext, type ServiceDefinition } from '../core/types';
import { str } from '../core/values';
import { deviceApprovalRoute } from './deviceApproval';
import {
  ALPHANUMERIC,
  DEVICE_PAGE_PATH,
  opaqueToken,
  randomText,
  ssoState,
  type DeviceAuthorization,
  type SsoClient,
  type SsoState,
} from './store';

const DEVICE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';
const REFRESH_GRANT = 'refresh_token';
/** What AWS answers today: a client registration lasts 90 days, a device code 10 minutes, polls every second. */
const CLIENT_LIFETIME_S = 90 * 24 * 3600;
const DEVICE_CODE_LIFETIME_S = 600;
const POLL_INTERVAL_S = 1;
/** The default session duration of IAM Identity Center: 8 hours. */
const ACCESS_TOKEN_LIFETIME_S = 8 * 3600;
/** User codes are two groups of four letters, without look-alikes. */
const USER_CODE_LETTERS = 'BCDFGHJKLMNPQRSTVWXZ';

export const ssoOidcService: ServiceDefinition = {
  signingName: 'sso-oauth',
  protocol: 'restJson1',
  unknownKeyErrorCode: 'UnrecognizedClientException',
  routes: [deviceApprovalRoute],
  operations: {
    RegisterClient: (input, ctx) => {
      if (input.clientType !== 'public')
        throw new AwsError('InvalidClientMetadataException', 'Invalid client type', 400);
      const state = ssoState(ctx.sandbox);
      const now = Date.now();
      const clientId = randomText(22, ALPHANUMERIC);
      const client: SsoClient = {
        secret: opaqueToken('aws:'),
        name: str(input.clientName),
        ...(Array.isArray(input.scopes) && input.scopes.length > 0 ? { scopes: input.scopes.map(String) } : {}),
        expiresAt: now + CLIENT_LIFETIME_S * 1000,
      };
      state.clients[clientId] = client;
      ctx.sandbox.changed();
      return {
        clientId,
        clientSecret: client.secret,
        clientIdIssuedAt: Math.floor(now / 1000),
        clientSecretExpiresAt: Math.floor(client.expiresAt / 1000),
      };
    },

    StartDeviceAuthorization: (input, ctx) => {
      const state = ssoState(ctx.sandbox);
      const clientId = authenticateClient(state, input);
      const startUrl = str(input.startUrl);
      if (!/^https?:\/\/\S+$/.test(startUrl)) throw new AwsError('InvalidRequestException', 'Invalid start URL', 400);
      const deviceCode = opaqueToken('');
      const userCode = `${randomText(4, USER_CODE_LETTERS)}-${randomText(4, USER_CODE_LETTERS)}`;
      state.devices[deviceCode] = {
        clientId,
        userCode,
        startUrl,
        expiresAt: Date.now() + DEVICE_CODE_LIFETIME_S * 1000,
        intervalSeconds: POLL_INTERVAL_S,
      };
      ctx.sandbox.changed();
      const verificationUri = `http://${ctx.host}${DEVICE_PAGE_PATH}`;
      return {
        deviceCode,
        userCode,
        verificationUri,
        verificationUriComplete: `${verificationUri}?user_code=${userCode}`,
        expiresIn: DEVICE_CODE_LIFETIME_S,
        interval: POLL_INTERVAL_S,
      };
    },

    CreateToken: (input, ctx) => {
      const state = ssoState(ctx.sandbox);
      const clientId = authenticateClient(state, input);
      if (input.grantType === DEVICE_GRANT) return redeemDeviceCode(state, clientId, input, ctx);
      if (input.grantType === REFRESH_GRANT) {
        const refresh = typeof input.refreshToken === 'string' ? state.refreshTokens[input.refreshToken] : undefined;
        if (!refresh || refresh.clientId !== clientId) throw new AwsError('InvalidGrantException', '', 400);
        // Refresh tokens rotate: the one just used stops working.
        delete state.refreshTokens[String(input.refreshToken)];
        return issueToken(state, state.clients[clientId], clientId, refresh.startUrl, ctx);
      }
      throw new AwsError('UnsupportedGrantTypeException', '', 400);
    },
  },
};

function authenticateClient(state: SsoState, input: Record<string, unknown>): string {
  const clientId = str(input.clientId);
  const client = Object.hasOwn(state.clients, clientId) ? state.clients[clientId] : undefined;
  if (!client || client.secret !== input.clientSecret || client.expiresAt <= Date.now())
    throw new AwsError('InvalidClientException', '', 401);
  return clientId;
}

function redeemDeviceCode(
  state: SsoState,
  clientId: string,
  input: Record<string, unknown>,
  ctx: RequestContext,
): Record<string, unknown> {
  const deviceCode = str(input.deviceCode);
  const device: DeviceAuthorization | undefined = Object.hasOwn(state.devices, deviceCode)
    ? state.devices[deviceCode]
    : undefined;
  if (!device || device.clientId !== clientId || device.redeemed) throw new AwsError('InvalidGrantException', '', 400);
  const now = Date.now();
  if (device.expiresAt <= now) throw new AwsError('ExpiredTokenException', '', 400);
  const tooSoon = device.lastPollAt !== undefined && now - device.lastPollAt < device.intervalSeconds * 1000;
  device.lastPollAt = now;
  ctx.sandbox.changed();
  if (tooSoon) throw new AwsError('SlowDownException', '', 400);
  if (device.decision === undefined) throw new AwsError('AuthorizationPendingException', '', 400);
  if (device.decision === 'deny') throw new AwsError('AccessDeniedException', '', 400);
  device.redeemed = true;
  return issueToken(state, state.clients[clientId], clientId, device.startUrl, ctx);
}

/** A new access token; a refresh token too when the client registered with scopes (as AWS does). */
function issueToken(
  state: SsoState,
  client: SsoClient,
  clientId: string,
  startUrl: string,
  ctx: RequestContext,
): Record<string, unknown> {
  const accessToken = opaqueToken('aoa');
  state.tokens[accessToken] = { clientId, startUrl, expiresAt: Date.now() + ACCESS_TOKEN_LIFETIME_S * 1000 };
  let refreshToken: string | undefined;
  if (client.scopes && client.scopes.length > 0) {
    refreshToken = opaqueToken('aor');
    state.refreshTokens[refreshToken] = { clientId, startUrl };
  }
  ctx.sandbox.changed();
  return { accessToken, tokenType: 'Bearer', expiresIn: ACCESS_TOKEN_LIFETIME_S, refreshToken };
}
