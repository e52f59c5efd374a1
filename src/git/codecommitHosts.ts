// Which hosts the credential helper answers for. AWS credentials must only ever be signed for
// CodeCommit itself, or for the one endpoint the user named in CODE_COMMIT_ENDPOINT (the sandbox,
// a VPC endpoint); every other host gets no answer at all.

/** git-codecommit[-fips].<region>.amazonaws.com[.cn], optionally with the default https port. */
const AWS_HOST = /^git-codecommit(?:-fips)?\.([a-z]{2}(?:-[a-z]+)+-\d{1,2})\.amazonaws\.com(?:\.cn)?(?::443)?$/;

/** The URL patterns (git's `credential.<url>.*` syntax, `*` = one host label) of CodeCommit's own hosts. */
export const CODECOMMIT_URL_PATTERNS: readonly string[] = [
  'https://git-codecommit.*.amazonaws.com',
  'https://git-codecommit-fips.*.amazonaws.com',
  'https://git-codecommit.*.amazonaws.com.cn',
  'https://git-codecommit-fips.*.amazonaws.com.cn',
];

export interface CodeCommitEndpoint {
  /** The host as git names it: lower-case `host`, or `host:port` when the URL has a port. */
  readonly host: string;
  /** The protocols git may use for it. */
  readonly protocols: readonly ('http' | 'https')[];
}

/**
 * Reads CODE_COMMIT_ENDPOINT. Accepted forms:
 * - a URL, `http://127.0.0.1:4566` or `https://vpce-….example:8443` (path ignored): that protocol only;
 * - a bare `host` or `host:port` (as git-remote-codecommit takes it): https or http.
 * Anything else (user info, other schemes, spaces) is undefined, so it can never widen the allow list.
 */
export function parseCodeCommitEndpoint(value: string | undefined): CodeCommitEndpoint | undefined {
  const text = value?.trim();
  if (!text) return undefined;
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(text)?.[1]?.toLowerCase();
  if (scheme === undefined) {
    return HOST_PORT.test(text) ? { host: text.toLowerCase(), protocols: ['https', 'http'] } : undefined;
  }
  if (scheme !== 'http' && scheme !== 'https') return undefined;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return undefined;
  }
  if (url.username || url.password || !url.host) return undefined;
  // URL drops a default port (`:443` for https), exactly as a remote URL without a port is named by git.
  return { host: url.host, protocols: [scheme] };
}

/** A DNS name or IPv4 address, or a bracketed IPv6 address, with an optional port. */
const HOST_PORT =
  /^(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*|\[[0-9a-f:.]+\])(?::\d{1,5})?$/i;

export type HostDecision =
  | { readonly allowed: true; readonly kind: 'aws' | 'endpoint'; readonly region: string | undefined }
  | { readonly allowed: false };

/** Whether credentials may be signed for `protocol://host` (host as git names it), and the host's region. */
export function decideHost(
  protocol: string | undefined,
  host: string | undefined,
  endpoint: CodeCommitEndpoint | undefined,
): HostDecision {
  if (!protocol || !host) return { allowed: false };
  const name = host.toLowerCase();
  const region = AWS_HOST.exec(name)?.[1];
  if (endpoint && name === endpoint.host) {
    return (endpoint.protocols as readonly string[]).includes(protocol)
      ? { allowed: true, kind: 'endpoint', region }
      : { allowed: false };
  }
  if (region !== undefined && protocol === 'https') return { allowed: true, kind: 'aws', region };
  return { allowed: false };
}
