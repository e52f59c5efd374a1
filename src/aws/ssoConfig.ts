// What signing in to IAM Identity Center needs from a profile, read the way the AWS CLI reads it:
// an `sso_session` naming an `[sso-session <name>]` section (start URL, SSO region, registration
// scopes), or the legacy form with `sso_start_url` and `sso_region` in the profile itself. The two
// cache their token under different keys (the session name, or the start URL).
import * as l10n from '@vscode/l10n';
import type { SharedConfig } from './profiles';

export interface SsoSignInConfig {
  readonly profile: string;
  /** The `sso-session` section's name; undefined for a legacy profile. */
  readonly sessionName: string | undefined;
  readonly startUrl: string;
  /** The region of the IAM Identity Center instance (`sso_region`), not the profile's region. */
  readonly ssoRegion: string;
  /**
   * Scopes the client registers with. AWS issues refresh tokens only to clients registered with
   * scopes, so an sso-session without `sso_registration_scopes` gets `sso:account:access`, what
   * `aws configure sso` writes; a legacy profile registers without scopes, as the CLI does.
   */
  readonly registrationScopes: readonly string[];
  /** The token cache key: the session name, else the start URL. */
  readonly cacheKey: string;
}

export type SsoConfigResult =
  { readonly ok: true; readonly config: SsoSignInConfig } | { readonly ok: false; readonly message: string };

export const DEFAULT_REGISTRATION_SCOPE = 'sso:account:access';

/** The sign-in configuration of `profile`, or why it has none. */
export function ssoSignInConfig(shared: SharedConfig, profile: string): SsoConfigResult {
  const data = { ...shared.configFile[profile], ...shared.credentialsFile[profile] };
  const sessionName = data.sso_session;
  if (sessionName !== undefined) {
    const session = shared.configFile[`sso-session.${sessionName}`];
    if (!session) {
      return {
        ok: false,
        message: l10n.t(
          'Profile "{0}" names sso_session "{1}", but ~/.aws/config has no [sso-session {2}] section.',
          profile,
          sessionName,
          sessionName,
        ),
      };
    }
    const startUrl = session.sso_start_url;
    const ssoRegion = session.sso_region;
    if (!startUrl || !ssoRegion) {
      return {
        ok: false,
        message: l10n.t(
          'The [sso-session {0}] section needs sso_start_url and sso_region; run "aws configure sso-session" to complete it.',
          sessionName,
        ),
      };
    }
    const scopes = (session.sso_registration_scopes ?? DEFAULT_REGISTRATION_SCOPE)
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s !== '');
    return {
      ok: true,
      config: { profile, sessionName, startUrl, ssoRegion, registrationScopes: scopes, cacheKey: sessionName },
    };
  }
  const startUrl = data.sso_start_url;
  const ssoRegion = data.sso_region;
  if (!startUrl || !ssoRegion) {
    return {
      ok: false,
      message: l10n.t(
        'Profile "{0}" is not set up for IAM Identity Center (it needs sso_session, or sso_start_url and sso_region); run "aws configure sso --profile {1}".',
        profile,
        profile,
      ),
    };
  }
  return {
    ok: true,
    config: { profile, sessionName: undefined, startUrl, ssoRegion, registrationScopes: [], cacheKey: startUrl },
  };
}
