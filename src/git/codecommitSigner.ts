// CodeCommit's git password: a SigV4 signature over CodeCommit's own canonical request, the scheme
// of git-remote-codecommit and the AWS CLI's `aws codecommit credential-helper`. Pure: the caller
// supplies the clock and the credentials.
import { createHash, createHmac } from 'node:crypto';

export interface AwsCredentialValues {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}

export interface GitSigningRequest {
  /** The host as git names it (`host` or `host:port`); the port is not signed. */
  readonly host: string;
  /** The repository path, with or without the leading slash git leaves off (`v1/repos/name`). */
  readonly path: string;
  readonly region: string;
  /** Signing name; CodeCommit's is `codecommit`. */
  readonly service?: string;
  readonly credentials: AwsCredentialValues;
  readonly now: Date;
}

export interface GitCredentials {
  readonly username: string;
  readonly password: string;
}

export function codeCommitGitCredentials(request: GitSigningRequest): GitCredentials {
  const { credentials, region } = request;
  const service = request.service ?? 'codecommit';
  // CodeCommit signs the timestamp without its trailing Z and appends the Z only to the password.
  const stamp = request.now.toISOString().replace(/[-:]/g, '').slice(0, 15);
  const date = stamp.slice(0, 8);
  const hostname = request.host.replace(/:\d+$/, '');
  const path = request.path.startsWith('/') ? request.path : `/${request.path}`;

  const canonicalRequest = `GIT\n${path}\n\nhost:${hostname}\n\nhost\n`;
  const scope = `${date}/${region}/${service}/aws4_request`;
  const stringToSign = `AWS4-HMAC-SHA256\n${stamp}\n${scope}\n${sha256Hex(canonicalRequest)}`;
  let key: Buffer = Buffer.from(`AWS4${credentials.secretAccessKey}`, 'utf8');
  for (const part of [date, region, service, 'aws4_request']) key = hmac(key, part);
  const signature = hmac(key, stringToSign).toString('hex');

  const token = credentials.sessionToken ? `%${credentials.sessionToken}` : '';
  return { username: `${credentials.accessKeyId}${token}`, password: `${stamp}Z${signature}` };
}

function hmac(key: Buffer, data: string): Buffer {
  return createHmac('sha256', key).update(data, 'utf8').digest();
}

function sha256Hex(data: string): string {
  return createHash('sha256').update(data, 'utf8').digest('hex');
}
