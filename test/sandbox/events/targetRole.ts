// Whether the role a rule target names may do what EventBridge does with it. The sandbox has no IAM
// service: roles and policies are CloudFormation's records. This reads the role's inline policies,
// the AWS::IAM::Policy and customer managed policies attached to it, and the AWS managed policies
// that grant the action outright; an explicit Deny wins. (Conditions are not evaluated.)
import { cfnState } from '../cloudformation/state';
import type { Sandbox } from '../core/types';

interface Statement {
  readonly Effect?: unknown;
  readonly Action?: unknown;
  readonly NotAction?: unknown;
  readonly Resource?: unknown;
  readonly NotResource?: unknown;
}

/** AWS managed policies whose grant the sandbox knows: action patterns on every resource. */
const AWS_MANAGED: Record<string, readonly string[]> = {
  'arn:aws:iam::aws:policy/AdministratorAccess': ['*'],
  'arn:aws:iam::aws:policy/AWSCodePipeline_FullAccess': ['codepipeline:*'],
};

export function roleAllows(
  sandbox: Sandbox,
  accountId: string,
  roleArn: string | undefined,
  action: string,
  resource: string,
): boolean {
  const match = /^arn:aws[\w-]*:iam::(\d{12}):role\/(?:.*\/)?([\w+=,.@-]+)$/.exec(roleArn ?? '');
  if (!match || match[1] !== accountId) return false;
  const roleName = match[2];
  const records = cfnState(sandbox).records;
  const role = Object.entries(records['AWS::IAM::Role'] ?? {}).find(
    ([name, r]) => name === roleName && r.stackId.split(':')[4] === accountId,
  )?.[1];
  if (!role) return false;

  const statements: unknown[] = [];
  const documents: unknown[] = [];
  for (const policy of list(role.properties.Policies))
    documents.push((policy as { PolicyDocument?: unknown }).PolicyDocument);
  const attached = list(role.properties.ManagedPolicyArns).map(String);
  for (const type of ['AWS::IAM::Policy', 'AWS::IAM::ManagedPolicy']) {
    for (const [physicalId, r] of Object.entries(records[type] ?? {})) {
      if (list(r.properties.Roles).includes(roleName) || attached.includes(physicalId))
        documents.push(r.properties.PolicyDocument);
    }
  }
  for (const doc of documents) statements.push(...list((doc as { Statement?: unknown } | undefined)?.Statement));
  for (const arn of attached) {
    const actions = AWS_MANAGED[arn.replace(/^arn:aws[\w-]*:/, 'arn:aws:')];
    if (actions) statements.push({ Effect: 'Allow', Action: actions, Resource: '*' });
  }

  const applies = (s: Statement): boolean =>
    (s.Action !== undefined
      ? list(s.Action).some((a) => wildcard(String(a), action, true))
      : s.NotAction !== undefined && !list(s.NotAction).some((a) => wildcard(String(a), action, true))) &&
    (s.Resource !== undefined
      ? list(s.Resource).some((r) => wildcard(String(r), resource, false))
      : s.NotResource !== undefined && !list(s.NotResource).some((r) => wildcard(String(r), resource, false)));
  const relevant = statements.filter((s): s is Statement => typeof s === 'object' && s !== null && applies(s));
  return relevant.some((s) => s.Effect === 'Allow') && !relevant.some((s) => s.Effect === 'Deny');
}

function list(value: unknown): unknown[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

/** IAM's `*` and `?` wildcards; actions compare case-insensitively. */
function wildcard(pattern: string, value: string, ignoreCase: boolean): boolean {
  const source = pattern
    .split('')
    .map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${source}$`, ignoreCase ? 'i' : '').test(value);
}
