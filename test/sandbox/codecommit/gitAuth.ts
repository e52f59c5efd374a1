// CodeCommit's git smart-HTTP authentication: HTTP Basic with username = access key id
// (plus `%` + session token) and password = `<YYYYMMDDTHHMMSS>Z<SigV4 signature>`, the signature
// taken over CodeCommit's own canonical request `GIT\n<path>\n\nhost:<host>\n\nhost\n` — the
// scheme of the AWS CLI's `codecommit credential-helper` and git-remote-codecommit.
import { createHash } from 'node:crypto';
import { constantTimeEqual, formatAmzDate, MAX_CLOCK_SKEW_MS, parseAmzDate, signStringToSign } from '../core/sigv4';
import type { SandboxCredentials } from '../core/types';

export interface GitSigningInput {
  /** Host name WITHOUT port, e.g. '127.0.0.1' or 'git-codecommit.us-east-1.amazonaws.com'. */
  readonly hostname: string;
  /** Repository URL path, e.g. '/v1/repos/MyRepo'. */
  readonly path: string;
  readonly region: string;
  readonly date: Date;
}

/** The password git must send for this repository URL (sandbox and tests only; the extension has its own signer). */
export async function codeCommitGitPassword(
  credentials: { accessKeyId: string; secretAccessKey: string },
  input: GitSigningInput,
): Promise<string> {
  // The CLI signs the timestamp without the trailing Z and appends the Z only in the password.
  const stamp = formatAmzDate(input.date).slice(0, 15);
  const canonicalRequest = `GIT\n${input.path}\n\nhost:${input.hostname}\n\nhost\n`;
  const scope = `${stamp.slice(0, 8)}/${input.region}/codecommit/aws4_request`;
  const stringToSign = [
    'AWS4-HMAC-SHA256',
    stamp,
    scope,
    createHash('sha256').update(canonicalRequest).digest('hex'),
  ].join('\n');
  const signature = await signStringToSign(credentials, stringToSign, input.date, input.region, 'codecommit');
  return `${stamp}Z${signature}`;
}

export type GitAuthResult =
  | { readonly ok: true; readonly credentials: SandboxCredentials; readonly region: string }
  | { readonly ok: false; readonly reason: string };

/** AWS regions a sandbox git password may be scoped to (the CLI signs with its configured region). */
export const GIT_REGIONS = [
  'us-east-1',
  'us-east-2',
  'us-west-1',
  'us-west-2',
  'ca-central-1',
  'sa-east-1',
  'eu-west-1',
  'eu-west-2',
  'eu-west-3',
  'eu-central-1',
  'eu-central-2',
  'eu-north-1',
  'eu-south-1',
  'ap-south-1',
  'ap-southeast-1',
  'ap-southeast-2',
  'ap-northeast-1',
  'ap-northeast-2',
  'ap-northeast-3',
  'me-south-1',
  'af-south-1',
];

/**
 * Checks an `Authorization: Basic …` header for the repository at `path`. The region is taken from
 * a real CodeCommit host name, else found by trying the default region and then the known ones.
 */
export async function verifyGitAuthorization(
  authorization: string | undefined,
  host: string,
  path: string,
  findCredentials: (accessKeyId: string) => SandboxCredentials | undefined,
  defaultRegion: string,
  realNow: number = Date.now(),
): Promise<GitAuthResult> {
  const basic = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(authorization ?? '');
  if (!basic) return { ok: false, reason: 'missing credentials' };
  const decoded = Buffer.from(basic[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return { ok: false, reason: 'malformed credentials' };
  const username = decoded.slice(0, colon);
  const password = decoded.slice(colon + 1);
  const accessKeyId = username.split('%')[0];
  const credentials = findCredentials(accessKeyId);
  if (!credentials) return { ok: false, reason: 'unknown access key' };
  const m = /^(\d{8}T\d{6})Z([0-9a-f]{64})$/.exec(password);
  const date = m ? parseAmzDate(`${m[1]}Z`) : undefined;
  if (!m || !date) return { ok: false, reason: 'malformed password' };
  if (Math.abs(date.getTime() - realNow) > MAX_CLOCK_SKEW_MS) return { ok: false, reason: 'signature expired' };

  const hostname = host.replace(/:\d+$/, '');
  const hostRegion = /git-codecommit(?:-fips)?\.([a-z0-9-]+)\.amazonaws\.com$/.exec(hostname)?.[1];
  const regions = hostRegion ? [hostRegion] : [...new Set([defaultRegion, ...GIT_REGIONS])];
  for (const region of regions) {
    const expected = await codeCommitGitPassword(credentials, { hostname, path, region, date });
    if (constantTimeEqual(expected, password)) return { ok: true, credentials, region };
  }
  return { ok: false, reason: 'signature mismatch' };
}
