// Environment variables that plug the credential helper into git without writing any git config:
// GIT_CONFIG_COUNT / GIT_CONFIG_KEY_<n> / GIT_CONFIG_VALUE_<n> (git >= 2.31) add command-scope
// entries, read after the system, global and repository files. For each served URL pattern:
//   credential.<url>.helper=            clears helpers inherited from any config file, for that URL only
//   credential.<url>.helper=!<command>  ours, the only one left (so no other helper stores the password)
//   credential.<url>.useHttpPath=true   git then sends `path`, which the signature covers
// Existing GIT_CONFIG_* entries in the base environment are kept: ours are appended after them.
import * as l10n from '@vscode/l10n';
import { CODECOMMIT_URL_PATTERNS, parseCodeCommitEndpoint } from './codecommitHosts';

export interface GitEnvironmentOptions {
  /** The node executable; in VS Code `process.execPath` (Electron, hence ELECTRON_RUN_AS_NODE=1). */
  readonly nodePath: string;
  /** Absolute path of dist/git-credential-codecommit.js. */
  readonly helperPath: string;
  /** The environment git will inherit; its GIT_CONFIG_COUNT entries are preserved. */
  readonly baseEnv: Readonly<Record<string, string | undefined>>;
  /** CODE_COMMIT_ENDPOINT for the helper (sandbox or private endpoint): a URL or `host[:port]`. */
  readonly endpoint?: string;
  /** Profile and region the helper signs with (WORKSHOP_PIPELINE_PROFILE / _REGION). */
  readonly profile?: string;
  readonly region?: string;
}

/** The helper command in git's `!` syntax, which git runs through `sh -c` with ` get` appended. */
export function helperCommand(nodePath: string, helperPath: string): string {
  // Electron only acts as node with this set; plain node ignores it.
  return `!ELECTRON_RUN_AS_NODE=1 ${shellQuote(nodePath)} ${shellQuote(helperPath)}`;
}

/** POSIX single quoting (also what Git for Windows' sh expects): everything literal, `'` spliced in. */
export function shellQuote(value: string): string {
  if (value.includes('\0')) throw new Error(l10n.t('a path with a NUL byte cannot be passed to git'));
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/** The URL patterns the helper is wired to: CodeCommit's hosts, plus the endpoint's own. */
export function servedUrlPatterns(endpoint: string | undefined): string[] {
  const parsed = parseCodeCommitEndpoint(endpoint);
  const own = parsed ? parsed.protocols.map((protocol) => `${protocol}://${parsed.host}`) : [];
  return [...CODECOMMIT_URL_PATTERNS, ...own];
}

/** The variables to set (replace) in git's environment; the base environment itself is not returned. */
export function gitCredentialEnvironment(options: GitEnvironmentOptions): Record<string, string> {
  const existing = Number(options.baseEnv.GIT_CONFIG_COUNT ?? '0');
  // git rejects a malformed count outright; replacing it is the only way to a working git.
  let n = Number.isSafeInteger(existing) && existing > 0 ? existing : 0;
  const env: Record<string, string> = {};
  const add = (key: string, value: string): void => {
    env[`GIT_CONFIG_KEY_${n}`] = key;
    env[`GIT_CONFIG_VALUE_${n}`] = value;
    n += 1;
  };
  const command = helperCommand(options.nodePath, options.helperPath);
  for (const pattern of servedUrlPatterns(options.endpoint)) {
    add(`credential.${pattern}.helper`, '');
    add(`credential.${pattern}.helper`, command);
    add(`credential.${pattern}.useHttpPath`, 'true');
  }
  env.GIT_CONFIG_COUNT = String(n);
  if (options.endpoint && parseCodeCommitEndpoint(options.endpoint)) env.CODE_COMMIT_ENDPOINT = options.endpoint.trim();
  if (options.profile) env.WORKSHOP_PIPELINE_PROFILE = options.profile;
  if (options.region) env.WORKSHOP_PIPELINE_REGION = options.region;
  return env;
}
