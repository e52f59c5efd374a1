// The IAM Identity Center token cache the AWS CLI and the SDKs share:
// ~/.aws/sso/cache/<sha1 of the sso-session name, or of the start URL for a legacy profile>.json,
// holding the fields `aws sso login` writes (startUrl, region, accessToken, expiresAt, clientId,
// clientSecret, registrationExpiresAt, refreshToken). Written with owner-only permissions and
// atomically, so a terminal's `aws` never reads half a file.
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';

export interface CachedSsoToken {
  readonly startUrl: string;
  readonly region: string;
  readonly accessToken: string;
  /** RFC 3339, UTC. */
  readonly expiresAt: string;
  readonly clientId?: string;
  readonly clientSecret?: string;
  readonly registrationExpiresAt?: string;
  readonly refreshToken?: string;
}

/** The home directory the SDK and the CLI use: HOME, else USERPROFILE, else HOMEDRIVE+HOMEPATH, else the OS's. */
export function awsHomeDir(env: Readonly<Record<string, string | undefined>>): string {
  if (env.HOME) return env.HOME;
  if (env.USERPROFILE) return env.USERPROFILE;
  if (env.HOMEPATH) return `${env.HOMEDRIVE ?? 'C:\\'}${env.HOMEPATH}`;
  return homedir();
}

/** The cache file of a session name or start URL under the home directory `home`. */
export function ssoCacheFile(home: string, cacheKey: string): string {
  return join(home, '.aws', 'sso', 'cache', `${createHash('sha1').update(cacheKey, 'utf8').digest('hex')}.json`);
}

/** `2026-01-01T08:00:00Z`: RFC 3339 in UTC, whole seconds, as the CLI documents the field. */
export function rfc3339(time: number): string {
  return new Date(time).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** The cached token, or undefined when there is none or it cannot be read as one. */
export async function readSsoToken(file: string): Promise<CachedSsoToken | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    return undefined;
  }
  try {
    const value = JSON.parse(text) as Partial<CachedSsoToken>;
    if (typeof value.accessToken !== 'string' || typeof value.expiresAt !== 'string') return undefined;
    return value as CachedSsoToken;
  } catch {
    return undefined;
  }
}

export async function writeSsoToken(file: string, token: CachedSsoToken): Promise<void> {
  const dir = join(file, '..');
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const temp = `${file}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    await writeFile(temp, `${JSON.stringify(token, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
    await rename(temp, file);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

/** Seconds left before the token expires (negative once it has). */
export function secondsLeft(token: Pick<CachedSsoToken, 'expiresAt'>, now: number): number {
  const expires = Date.parse(token.expiresAt);
  return Number.isNaN(expires) ? -1 : (expires - now) / 1000;
}
