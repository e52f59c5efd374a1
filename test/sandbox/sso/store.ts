// IAM Identity Center's state in the sandbox: registered OIDC clients, pending device
// authorizations, access and refresh tokens, and the role credentials the portal issued. Times are
// wall-clock epoch milliseconds, as AWS counts token lifetimes in real time.
import { randomBytes } from 'node:crypto';
import { DEFAULT_ACCOUNT_ID } from '../core/auth';
import type { Sandbox } from '../core/types';

export interface SsoClient {
  readonly secret: string;
  readonly name: string;
  readonly scopes?: readonly string[];
  readonly expiresAt: number;
}

export interface DeviceAuthorization {
  readonly clientId: string;
  readonly userCode: string;
  readonly startUrl: string;
  readonly expiresAt: number;
  readonly intervalSeconds: number;
  decision?: 'allow' | 'deny';
  lastPollAt?: number;
  redeemed?: boolean;
}

export interface SsoToken {
  readonly clientId: string;
  readonly startUrl: string;
  readonly expiresAt: number;
}

export interface IssuedRoleCredentials {
  readonly secretAccessKey: string;
  readonly sessionToken: string;
  readonly accountId: string;
  readonly roleName: string;
  readonly expiration: number;
}

export interface SsoState {
  clients: Record<string, SsoClient>;
  /** By device code. */
  devices: Record<string, DeviceAuthorization>;
  /** By access token. */
  tokens: Record<string, SsoToken>;
  /** By refresh token. */
  refreshTokens: Record<string, Omit<SsoToken, 'expiresAt'>>;
  /** By access key id. */
  credentials: Record<string, IssuedRoleCredentials>;
}

/** What the signed-in user may assume: accounts and their permission sets (scenario `{ sso: { assignments } }`). */
export interface SsoAssignment {
  readonly accountId: string;
  readonly accountName: string;
  readonly emailAddress: string;
  readonly roles: readonly string[];
}

export const SSO_USER_NAME = 'workshop-user';

const DEFAULT_ASSIGNMENTS: readonly SsoAssignment[] = [
  {
    accountId: DEFAULT_ACCOUNT_ID,
    accountName: 'Workshop',
    emailAddress: 'workshop@example.com',
    roles: ['AdministratorAccess'],
  },
];

export function ssoState(sandbox: Sandbox): SsoState {
  const state = sandbox.state as { sso?: SsoState };
  state.sso ??= { clients: {}, devices: {}, tokens: {}, refreshTokens: {}, credentials: {} };
  return state.sso;
}

export function assignments(sandbox: Sandbox): readonly SsoAssignment[] {
  const scenario = (sandbox.scenarios.sso as { assignments?: SsoAssignment[] } | undefined)?.assignments;
  return Array.isArray(scenario) ? scenario : DEFAULT_ASSIGNMENTS;
}

/** Random text from an alphabet, for ids, secrets and codes. */
export function randomText(length: number, alphabet: string): string {
  const bytes = randomBytes(length);
  let text = '';
  for (let i = 0; i < length; i++) text += alphabet[bytes[i] % alphabet.length];
  return text;
}

export const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
export const UPPER_ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/** An opaque token in the shape AWS hands out (`aoa…` access tokens, `aor…` refresh tokens). */
export function opaqueToken(prefix: string): string {
  return `${prefix}${randomBytes(96).toString('base64url')}`;
}

/** The page a user opens to approve a device authorization, as served by deviceApproval.ts. */
export const DEVICE_PAGE_PATH = '/_sso/device';
