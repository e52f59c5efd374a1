// Whether a git remote is a CodeCommit repository: an HTTPS clone URL on CodeCommit's hosts (or on
// the configured endpoint, such as the sandbox), or a git-remote-codecommit URL (`codecommit::…`).
// Decides when the extension shows itself at start-up and where its push button appears.
import { decideHost, parseCodeCommitEndpoint } from './codecommitHosts';

// git-remote-codecommit: codecommit://[profile@]repo, codecommit::<region>://[profile@]repo.
const REMOTE_CODECOMMIT = /^codecommit(?:::[a-z0-9-]+)?:\/\/\S+$/i;

export function isCodeCommitRemote(url: string | undefined, endpoint: string | undefined): boolean {
  const text = url?.trim();
  if (!text) return false;
  if (REMOTE_CODECOMMIT.test(text)) return true;
  let parsed: URL;
  try {
    parsed = new URL(text);
  } catch {
    return false;
  }
  const protocol = parsed.protocol.replace(/:$/, '');
  const decision = decideHost(protocol, parsed.host, parseCodeCommitEndpoint(endpoint));
  // On the endpoint's host only its CodeCommit paths count; every other service lives there too.
  return decision.allowed && (decision.kind === 'aws' || parsed.pathname.startsWith('/v1/repos/'));
}
