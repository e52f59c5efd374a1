// Where AWS calls go: profile, region and endpoint, resolved the way the AWS CLI resolves them,
// with the extension's settings first.
import * as l10n from '@vscode/l10n';
import type { Settings } from '../shared/settings';
import { regionProblem } from '../shared/settings';
import { nonEmpty } from '../shared/text';
import { profileInfo, type SharedConfig } from './profiles';

export interface SessionConfig {
  /** The named profile, or undefined for the SDK's default chain (env, `default`, SSO, instance role). */
  profile: string | undefined;
  region: string;
  /** Explicit endpoint from the setting; otherwise the SDK resolves AWS_ENDPOINT_URL / endpoint_url itself. */
  endpointUrl: string | undefined;
  /** The profile uses IAM Identity Center, so expired sessions are fixed by `aws sso login`. */
  sso: boolean;
}

export type SessionResolution =
  | { ok: true; session: SessionConfig }
  | { ok: false; kind: 'profile' | 'region' | 'needsRegion'; message: string; profile: string | undefined };

export function profileLabel(profile: string | undefined): string {
  return profile ?? 'default';
}

export function resolveSession(
  settings: Settings,
  env: Readonly<Record<string, string | undefined>>,
  shared: SharedConfig,
  isKnownRegion: (region: string) => boolean,
): SessionResolution {
  const fromSetting = settings.profile;
  const profile = fromSetting ?? nonEmpty(env.AWS_PROFILE);
  const info = profile === undefined ? profileInfo(shared, 'default') : profileInfo(shared, profile);
  if (profile !== undefined && !info) {
    const source =
      fromSetting !== undefined ? 'the setting workshopPipeline.profile' : 'the AWS_PROFILE environment variable';
    return {
      ok: false,
      kind: 'profile',
      profile,
      message: l10n.t(
        'The profile "{0}" named by {1} is not in ~/.aws/config or ~/.aws/credentials. Choose one with "Workshop Pipeline: Select Profile", or create it with "aws configure --profile {2}".',
        profile,
        source,
        profile,
      ),
    };
  }

  const region = settings.region ?? info?.region ?? nonEmpty(env.AWS_REGION) ?? nonEmpty(env.AWS_DEFAULT_REGION);
  if (region === undefined) {
    return {
      ok: false,
      kind: 'needsRegion',
      profile,
      message: l10n.t(
        'No AWS region is set for profile "{0}". Choose one with "Workshop Pipeline: Select Region".',
        profileLabel(profile),
      ),
    };
  }
  const problem = regionProblem(region, isKnownRegion);
  if (problem) {
    const source =
      settings.region !== undefined
        ? 'workshopPipeline.region'
        : info?.region === region
          ? `the region of profile "${profileLabel(profile)}"`
          : 'AWS_REGION';
    return {
      ok: false,
      kind: 'region',
      profile,
      message: l10n.t('{0}: {1}. Choose one with "Workshop Pipeline: Select Region".', source, problem),
    };
  }

  return { ok: true, session: { profile, region, endpointUrl: settings.endpointUrl, sso: info?.sso ?? false } };
}

/** Two sessions with the same key can share SDK clients. */
export function sessionKey(session: SessionConfig): string {
  return JSON.stringify([session.profile ?? '', session.region, session.endpointUrl ?? '']);
}
