// Profiles as the AWS CLI and SDK see them in ~/.aws/config and ~/.aws/credentials.

type IniSection = Record<string, string | undefined>;

export interface SharedConfig {
  configFile: Record<string, IniSection | undefined>;
  credentialsFile: Record<string, IniSection | undefined>;
}

/**
 * How a profile gets its credentials, decided in the SDK's order (its node chain asks IAM Identity
 * Center first, then the ini provider: assume role, static keys, web identity, credential process,
 * `aws login`). `none`: the profile names no credentials (a region only, say).
 */
export type ProfileKind = 'sso' | 'role' | 'keys' | 'webIdentity' | 'process' | 'login' | 'none';

export interface ProfileInfo {
  name: string;
  region: string | undefined;
  kind: ProfileKind;
  /** Signs in through IAM Identity Center: expired sessions are fixed by signing in again. */
  sso: boolean;
  /** Where the profile is defined, for the picker's detail line. */
  files: ('config' | 'credentials')[];
}

/** What the picker says about each kind. */
export const PROFILE_KIND_LABELS: Readonly<Record<ProfileKind, string>> = {
  sso: 'IAM Identity Center (SSO)',
  role: 'assumes a role',
  keys: 'access keys',
  webIdentity: 'web identity token',
  process: 'credential process',
  login: 'AWS console sign-in (aws login)',
  none: 'no credentials set',
};

export function listProfiles(shared: SharedConfig): ProfileInfo[] {
  const names = new Set([...Object.keys(shared.configFile), ...Object.keys(shared.credentialsFile)]);
  return [...names]
    .filter((name) => !name.includes('.')) // `sso-session.x` and `services.x` sections are not profiles
    .sort((a, b) => (a === 'default' ? -1 : b === 'default' ? 1 : a.localeCompare(b)))
    .map((name) => profileInfo(shared, name))
    .filter((info): info is ProfileInfo => info !== undefined);
}

export function profileInfo(shared: SharedConfig, name: string): ProfileInfo | undefined {
  const config = shared.configFile[name];
  const credentials = shared.credentialsFile[name];
  if (!config && !credentials) {
    return undefined;
  }
  const files: ProfileInfo['files'] = [];
  if (config) {
    files.push('config');
  }
  if (credentials) {
    files.push('credentials');
  }
  // The SDK merges the two files per profile, the credentials file winning.
  const kind = profileKind({ ...config, ...credentials });
  return { name, region: config?.region ?? credentials?.region, kind, sso: kind === 'sso', files };
}

export function profileKind(data: IniSection): ProfileKind {
  const set = (key: string): boolean => typeof data[key] === 'string';
  if (['sso_start_url', 'sso_account_id', 'sso_session', 'sso_region', 'sso_role_name'].some(set)) return 'sso';
  if (set('role_arn') && set('source_profile') !== set('credential_source')) return 'role';
  if (set('aws_access_key_id') && set('aws_secret_access_key')) return 'keys';
  if (set('web_identity_token_file') && set('role_arn')) return 'webIdentity';
  if (set('credential_process')) return 'process';
  if (set('login_session')) return 'login';
  return 'none';
}
