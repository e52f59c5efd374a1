// IAM Identity Center's OIDC service through the SDK's client, for the device sign-in and token
// refresh (ssoDeviceFlow.ts). Its calls are unauthenticated, so it needs a region and, for the
// sandbox or a private endpoint, the extension's endpoint — no credentials.
import * as l10n from '@vscode/l10n';
import type { Logger } from '../shared/logger';
import { addCallLogging, type MiddlewareStackLike } from './callLogging';
import { loadSdk } from './sdkLoader';
import type { SsoOidcApi } from './ssoDeviceFlow';

export interface DisposableSsoOidcApi extends SsoOidcApi {
  dispose(): void;
}

export function ssoOidcApi(ssoRegion: string, endpointUrl: string | undefined, log: Logger): DisposableSsoOidcApi {
  const sdk = loadSdk();
  const client = new sdk.SSOOIDCClient({
    region: ssoRegion,
    ...(endpointUrl ? { endpoint: endpointUrl } : {}),
    maxAttempts: 3,
  });
  addCallLogging(client.middlewareStack as MiddlewareStackLike, 'sso-oidc', log);
  return {
    async registerClient(input) {
      const out = await client.send(new sdk.RegisterClientCommand(input));
      if (!out.clientId || !out.clientSecret || out.clientSecretExpiresAt === undefined) {
        throw new Error(l10n.t('IAM Identity Center registered no client.'));
      }
      return {
        clientId: out.clientId,
        clientSecret: out.clientSecret,
        clientSecretExpiresAt: out.clientSecretExpiresAt,
      };
    },
    async startDeviceAuthorization(input) {
      const out = await client.send(new sdk.StartDeviceAuthorizationCommand(input));
      if (!out.deviceCode || !out.userCode || !out.verificationUri || out.expiresIn === undefined) {
        throw new Error(l10n.t('IAM Identity Center started no device authorization.'));
      }
      return {
        deviceCode: out.deviceCode,
        userCode: out.userCode,
        verificationUri: out.verificationUri,
        expiresIn: out.expiresIn,
        ...(out.verificationUriComplete ? { verificationUriComplete: out.verificationUriComplete } : {}),
        ...(out.interval !== undefined ? { interval: out.interval } : {}),
      };
    },
    async createToken(input) {
      const out = await client.send(new sdk.CreateTokenCommand(input));
      if (!out.accessToken || out.expiresIn === undefined)
        throw new Error(l10n.t('IAM Identity Center issued no token.'));
      return {
        accessToken: out.accessToken,
        expiresIn: out.expiresIn,
        ...(out.refreshToken ? { refreshToken: out.refreshToken } : {}),
      };
    },
    dispose: () => client.destroy(),
  };
}
