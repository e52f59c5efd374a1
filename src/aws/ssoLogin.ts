// "Sign In" for an IAM Identity Center profile, end to end and without an editor: renew the cached
// token with its refresh token when it has one (no browser), else run the device flow; either way
// write the token where the AWS CLI and the SDKs read it, so the extension, the git credential
// helper and the terminal's `aws` all use the same session.
import type { SsoSignInConfig } from './ssoConfig';
import { refreshSsoToken, signInWithDeviceFlow, type DeviceFlowDeps } from './ssoDeviceFlow';
import { readSsoToken, ssoCacheFile, writeSsoToken } from './ssoTokenCache';

export interface SsoLoginDeps extends DeviceFlowDeps {
  /** The home directory whose ~/.aws/sso/cache the CLI and the SDKs read. */
  readonly home: string;
}

export interface SsoLoginResult {
  /** `refreshed`: renewed with the refresh token; `signedIn`: approved in the browser. */
  readonly how: 'refreshed' | 'signedIn';
  readonly expiresAt: string;
  readonly cacheFile: string;
}

export async function ssoLogin(config: SsoSignInConfig, deps: SsoLoginDeps): Promise<SsoLoginResult> {
  const cacheFile = ssoCacheFile(deps.home, config.cacheKey);
  const previous = await readSsoToken(cacheFile);
  if (previous?.refreshToken && previous.startUrl === config.startUrl && previous.region === config.ssoRegion) {
    const refreshed = await refreshSsoToken(config, previous, deps.api, deps.now());
    if (refreshed.ok) {
      await writeSsoToken(cacheFile, refreshed.token);
      return { how: 'refreshed', expiresAt: refreshed.token.expiresAt, cacheFile };
    }
  }
  const token = await signInWithDeviceFlow(config, previous, deps);
  await writeSsoToken(cacheFile, token);
  return { how: 'signedIn', expiresAt: token.expiresAt, cacheFile };
}
