// What an AWS AccessDenied message says, and what to tell the user. IAM words its denials
// `User: <arn> is not authorized to perform: <action> [on resource: <arn>] [because …|with an
// explicit deny in …]` in every service (S3 quotes the resource); this turns that into which
// identity may not do what, on what, and points at the policies in docs/iam/.
import * as l10n from '@vscode/l10n';

export const FULL_POLICY = 'docs/iam/workshop-pipeline-full.json';
export const WATCH_POLICY = 'docs/iam/workshop-pipeline-watch.json';

export type DenialReason =
  /** No Allow anywhere: attaching the policy fixes it. */
  | 'noAllow'
  /** An explicit Deny (identity, resource, permissions boundary, session, SCP…): an Allow cannot override it. */
  | 'explicitDeny'
  | 'unknown';

export interface DeniedPermission {
  /** The user or role session the service named. */
  readonly identity: string;
  readonly action: string;
  /** Undefined when the service did not name one (actions on `*` in query services). */
  readonly resource: string | undefined;
  readonly reason: DenialReason;
  /** The policy type of an explicit deny, e.g. "an identity-based policy", "a service control policy". */
  readonly deniedBy: string | undefined;
}

const DENIAL =
  /User: (\S+) is not authorized to perform: ([\w-]+:[\w*-]+)(?: on resource: (?:"([^"]+)"|(\S+?)))?(?=\.?(?:\s|$))(.*)$/s;
const EXPLICIT = /with an explicit deny in (an? [\w\s-]+?policy)/;

/** The denied permission a service's AccessDenied message names, or undefined for another wording. */
export function parseAccessDenied(message: string): DeniedPermission | undefined {
  const m = DENIAL.exec(message);
  if (!m) {
    return undefined;
  }
  const [, identity, action, quoted, plain, rest] = m;
  const explicit = EXPLICIT.exec(rest);
  const reason: DenialReason = explicit
    ? 'explicitDeny'
    : /because no [\w\s-]*policy allows/.test(rest)
      ? 'noAllow'
      : 'unknown';
  return { identity, action, resource: quoted ?? plain, reason, deniedBy: explicit?.[1] };
}

/**
 * `<identity> is not allowed <action> on <resource>.` and the fix: attach the shipped policy, or,
 * when an explicit deny decided, ask whoever owns that policy (no Allow overrides it).
 */
export function deniedText(denied: DeniedPermission): string {
  const resource = denied.resource && denied.resource !== '*' ? denied.resource : undefined;
  const what = resource
    ? l10n.t('{0} is not allowed {1} on {2}.', denied.identity, denied.action, resource)
    : l10n.t('{0} is not allowed {1}.', denied.identity, denied.action);
  if (denied.reason === 'explicitDeny') {
    return l10n.t(
      '{0} An explicit deny in {1} refuses it, which no attached policy can override: ask your administrator. The permissions this extension needs are in {2} — see Permissions in the README.',
      what,
      denied.deniedBy ?? l10n.t('a policy'),
      FULL_POLICY,
    );
  }
  return `${what} ${attachHint()}`;
}

/** The fix for a denial: the policy to attach. */
export function attachHint(): string {
  return l10n.t('Attach {0} (or -watch.json for watching) — see Permissions in the README.', FULL_POLICY);
}

/**
 * CodeCommit answers a git push (or pull) it refuses with a bare HTTP 403, which git prints as
 * "The requested URL returned error: 403": the permission it checks is codecommit:GitPush (GitPull
 * for fetches) on the repository. Undefined when git's output is not that.
 */
export function gitDenial(
  gitOutput: string,
  at: { readonly identity: string; readonly repositoryArn: string; readonly pulling: boolean },
): DeniedPermission | undefined {
  if (!/The requested URL returned error: 403/.test(gitOutput)) {
    return undefined;
  }
  return {
    identity: at.identity,
    action: at.pulling ? 'codecommit:GitPull' : 'codecommit:GitPush',
    resource: at.repositoryArn,
    reason: 'unknown',
    deniedBy: undefined,
  };
}
