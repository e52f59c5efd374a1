// IAM's policy evaluation logic for a request within one account (IAM User Guide, "Policy evaluation
// logic"): an explicit Deny in any applicable policy wins; otherwise an Allow in an identity-based
// policy, or in the resource's own policy when it names the principal, allows; otherwise the
// request is implicitly denied. A statement applies when its Action/NotAction, Resource/NotResource,
// Principal/NotPrincipal (resource policies) and Condition all match the request.
import { conditionsHold } from './conditions';
import { arnLike, substituteVariables, wildcardMatch, type ContextValues } from './patterns';

/** One policy as the sandbox keeps it: where it comes from, for the audit, and its document. */
export interface NamedPolicy {
  /** e.g. `role/WorkshopPipeline-BuildRole-X inline policy build`, `bucket policy of my-bucket`. */
  readonly name: string;
  readonly document: unknown;
}

/** Who asks. `service` is set for a service principal (a role's trust policy); `arn` otherwise. */
export interface Caller {
  /** The ARN a policy's Principal names: a user, a role (for its sessions) or the account root. */
  readonly principalArn: string;
  readonly accountId: string;
  readonly service?: string;
}

export interface AuthorizationRequest {
  readonly caller: Caller;
  /** `service:Action` */
  readonly action: string;
  /** The resource's ARN, or `*` for an action without resource-level permissions. */
  readonly resource: string;
  readonly context: ContextValues;
}

export interface StatementRef {
  readonly policy: string;
  /** Index of the statement in the policy's Statement list. */
  readonly index: number;
  readonly sid?: string;
}

export type Verdict = 'allowed' | 'implicitDeny' | 'identityDeny' | 'resourceDeny';

export interface Decision {
  readonly verdict: Verdict;
  /** The Allow statements that applied (for the audit of which statements a run used). */
  readonly allowedBy: readonly StatementRef[];
  readonly deniedBy: readonly StatementRef[];
}

export interface PolicySet {
  readonly identity: readonly NamedPolicy[];
  /** The resource's own policy (bucket policy, repository policy, a role's trust policy). */
  readonly resource?: NamedPolicy;
  /** The account root user: its identity is not limited by policies (resource policies' Deny still applies). */
  readonly unrestricted?: boolean;
}

interface Statement {
  readonly Sid?: unknown;
  readonly Effect?: unknown;
  readonly Action?: unknown;
  readonly NotAction?: unknown;
  readonly Resource?: unknown;
  readonly NotResource?: unknown;
  readonly Principal?: unknown;
  readonly NotPrincipal?: unknown;
  readonly Condition?: unknown;
}

export function evaluate(request: AuthorizationRequest, policies: PolicySet): Decision {
  const allowedBy: StatementRef[] = [];
  const deniedBy: StatementRef[] = [];
  let identityAllows = policies.unrestricted === true;
  let resourceAllows = false;
  let verdictDeny: Verdict | undefined;
  const visit = (policy: NamedPolicy, kind: 'identity' | 'resource'): void => {
    statementsOf(policy.document).forEach((statement, index) => {
      if (!applies(statement, request, kind)) return;
      const ref: StatementRef =
        typeof statement.Sid === 'string' && statement.Sid !== ''
          ? { policy: policy.name, index, sid: statement.Sid }
          : { policy: policy.name, index };
      if (statement.Effect === 'Deny') {
        deniedBy.push(ref);
        verdictDeny ??= kind === 'identity' ? 'identityDeny' : 'resourceDeny';
      } else if (statement.Effect === 'Allow') {
        // An Allow naming the whole account delegates to the account's identity policies; it grants nothing itself.
        if (kind === 'resource' && !namesPrincipalItself(statement, request.caller)) return;
        allowedBy.push(ref);
        if (kind === 'identity') identityAllows = true;
        else resourceAllows = true;
      }
    });
  };
  if (!policies.unrestricted) for (const policy of policies.identity) visit(policy, 'identity');
  if (policies.resource) visit(policies.resource, 'resource');
  if (verdictDeny) return { verdict: verdictDeny, allowedBy, deniedBy };
  return { verdict: identityAllows || resourceAllows ? 'allowed' : 'implicitDeny', allowedBy, deniedBy };
}

export function statementsOf(document: unknown): Statement[] {
  const list = (document as { Statement?: unknown } | undefined)?.Statement;
  const statements = Array.isArray(list) ? (list as unknown[]) : list === undefined ? [] : [list];
  return statements.filter((s): s is Statement => typeof s === 'object' && s !== null);
}

function applies(statement: Statement, request: AuthorizationRequest, kind: 'identity' | 'resource'): boolean {
  if (!matchesAction(statement, request.action)) return false;
  if (!matchesResource(statement, request.resource, request.context, kind)) return false;
  if (kind === 'resource' && !matchesPrincipal(statement, request.caller)) return false;
  return conditionsHold(statement.Condition, request.context);
}

function matchesAction(statement: Statement, action: string): boolean {
  if (statement.Action !== undefined) return strings(statement.Action).some((a) => wildcardMatch(a, action, true));
  if (statement.NotAction !== undefined)
    return !strings(statement.NotAction).some((a) => wildcardMatch(a, action, true));
  return false;
}

function matchesResource(
  statement: Statement,
  resource: string,
  context: ContextValues,
  kind: 'identity' | 'resource',
): boolean {
  const matches = (patterns: string[]): boolean =>
    patterns.some((pattern) => {
      const resolved = substituteVariables(pattern, context);
      return resolved !== undefined && (resolved === '*' || arnLike(resolved, resource));
    });
  if (statement.Resource !== undefined) return matches(strings(statement.Resource));
  if (statement.NotResource !== undefined) return !matches(strings(statement.NotResource));
  // A role's trust policy has no Resource: it is about the role itself.
  return kind === 'resource';
}

function matchesPrincipal(statement: Statement, caller: Caller): boolean {
  if (statement.Principal !== undefined) return principalMatches(statement.Principal, caller);
  if (statement.NotPrincipal !== undefined) return !principalMatches(statement.NotPrincipal, caller);
  return false;
}

function principalMatches(principal: unknown, caller: Caller): boolean {
  if (principal === '*') return true;
  if (typeof principal !== 'object' || principal === null) return false;
  const entries = principal as Record<string, unknown>;
  if (caller.service !== undefined) return strings(entries.Service).includes(caller.service);
  return strings(entries.AWS).some(
    (p) =>
      p === '*' || p === caller.principalArn || p === caller.accountId || p === `arn:aws:iam::${caller.accountId}:root`,
  );
}

/** The Allow names this principal (or everyone), not just its account. */
function namesPrincipalItself(statement: Statement, caller: Caller): boolean {
  const principal = statement.Principal;
  if (principal === undefined) return statement.NotPrincipal !== undefined;
  if (principal === '*') return true;
  const entries = principal as Record<string, unknown>;
  if (caller.service !== undefined) return strings(entries.Service).includes(caller.service);
  return strings(entries.AWS).some((p) => p === '*' || p === caller.principalArn);
}

function strings(value: unknown): string[] {
  const list = Array.isArray(value) ? (value as unknown[]) : value === undefined ? [] : [value];
  return list.filter((v): v is string => typeof v === 'string');
}
