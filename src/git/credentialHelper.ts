// The credential helper's decisions, free of process and SDK wiring so they can be tested alone:
// which requests get an answer, with which profile and region, and how failures read in git.
import { profileInfo, type SharedConfig } from '../aws/profiles';
import { nonEmpty } from '../shared/text';
import { decideHost, parseCodeCommitEndpoint } from './codecommitHosts';
import { codeCommitGitCredentials, type AwsCredentialValues } from './codecommitSigner';
import { formatCredentialResponse, parseAction, parseCredentialRequest } from './credentialHelperProtocol';

/** Every line the helper writes to stderr starts with this, so the extension can recognise it. */
export const HELPER_MESSAGE_PREFIX = 'git-credential-codecommit: ';

export type HelperEnv = Readonly<Record<string, string | undefined>>;

export interface HelperDeps {
  readonly env: HelperEnv;
  readonly now: () => Date;
  /** ~/.aws/config and ~/.aws/credentials, read only when a request is answered. */
  readonly sharedConfig: () => Promise<SharedConfig>;
  /** The SDK's node provider chain for the profile (undefined: its default chain). */
  readonly credentials: (profile: string | undefined) => Promise<AwsCredentialValues>;
}

export interface HelperOutput {
  readonly stdout: string;
  readonly stderr: string;
}

const NOTHING: HelperOutput = { stdout: '', stderr: '' };

/** The profile the helper signs with: the extension's choice, else AWS_PROFILE, else the SDK default chain. */
export function helperProfile(env: HelperEnv): string | undefined {
  return nonEmpty(env.WORKSHOP_PIPELINE_PROFILE) ?? nonEmpty(env.AWS_PROFILE);
}

/**
 * Answers one helper invocation. Only `get` for an allowed host is answered; a failure on an allowed
 * host is one line on stderr plus `quit=1`, so git stops with that message instead of prompting for
 * a password that cannot work. Nothing secret is ever part of stderr.
 */
export async function answerCredentialHelper(
  action: string | undefined,
  input: string,
  deps: HelperDeps,
): Promise<HelperOutput> {
  if (parseAction(action) !== 'get') return NOTHING;
  const parsed = parseCredentialRequest(input);
  if (!parsed.ok) return NOTHING;
  const { protocol, host, path } = parsed.request;
  const decision = decideHost(protocol, host, parseCodeCommitEndpoint(deps.env.CODE_COMMIT_ENDPOINT));
  if (!decision.allowed || host === undefined) return NOTHING;

  if (path === undefined || path === '') {
    return fail(
      `git did not send the repository path for ${host}, which the signature needs; set credential.useHttpPath=true for it.`,
    );
  }
  const profile = helperProfile(deps.env);
  const label = profile ?? 'default';
  let shared: SharedConfig;
  try {
    shared = await deps.sharedConfig();
  } catch {
    shared = { configFile: {}, credentialsFile: {} };
  }
  const info = profileInfo(shared, label);
  const region =
    decision.region ??
    nonEmpty(deps.env.WORKSHOP_PIPELINE_REGION) ??
    nonEmpty(deps.env.AWS_REGION) ??
    nonEmpty(deps.env.AWS_DEFAULT_REGION) ??
    info?.region;
  if (region === undefined) {
    return fail(
      `no AWS region for ${host}: set AWS_REGION, or a region for profile "${label}" ("aws configure --profile ${label}").`,
    );
  }

  let credentials: AwsCredentialValues;
  try {
    credentials = await deps.credentials(profile);
  } catch (error) {
    // The SDK's message is not echoed: a credential_process may put anything into it.
    return fail(credentialFailure(error, label, info?.sso === true));
  }
  const answer = codeCommitGitCredentials({ host, path, region, credentials, now: deps.now() });
  try {
    return { stdout: formatCredentialResponse({ username: answer.username, password: answer.password }), stderr: '' };
  } catch {
    return fail(`the credentials of profile "${label}" contain characters git cannot accept.`);
  }
}

/** Why no credentials came, by the error's name (src/aws/credentialSource.ts), never its text. */
function credentialFailure(error: unknown, label: string, sso: boolean): string {
  const name = (error as { name?: unknown } | undefined)?.name;
  if (name === 'CredentialSourceTimeoutError') {
    return `the credential source of profile "${label}" did not answer in time (a credential_process, SSO or instance metadata that hangs). Run it in a terminal to see where it waits, then retry.`;
  }
  if (name === 'CredentialsExpiredAtSourceError') {
    return `the AWS credentials of profile "${label}" have expired: its credential_process returned expired credentials. Renew them with the tool behind credential_process (its login or refresh command), then retry.`;
  }
  return sso
    ? `no valid AWS credentials for profile "${label}": its SSO session is missing or expired. Run "aws sso login --profile ${label}", then retry.`
    : `no AWS credentials for profile "${label}". Run "aws configure --profile ${label}" (or "aws sso login --profile ${label}" for IAM Identity Center), or choose another profile, then retry.`;
}

function fail(message: string): HelperOutput {
  return { stdout: formatCredentialResponse({ quit: '1' }), stderr: `${HELPER_MESSAGE_PREFIX}${message}\n` };
}
