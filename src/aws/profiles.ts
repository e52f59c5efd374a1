// Profiles as the AWS CLI and SDK see them in ~/.aws/config and ~/.aws/credentials.

type IniSection = Record<string, string | undefined>;

export interface SharedConfig {
  configFile: Record<string, IniSection | undefined>;
  credentialsFile: Record<string, IniSection | undefined>;
}

export interface ProfileInfo {
  name: string;
  region: string | undefined;
  /** Signs in through IAM Identity Center: expired sessions are fixed with `aws sso login`. */
  sso: boolean;
  /** Where the profile is defined, for the picker's detail line. */
  files: ('config' | 'credentials')[];
}

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
  return {
    name,
    region: config?.region ?? credentials?.region,
    sso: Boolean(config?.sso_session ?? config?.sso_start_url),
    files,
  };
}
