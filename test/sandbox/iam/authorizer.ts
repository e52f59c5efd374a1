// The one place the sandbox decides whether a principal may take an action on a resource: the
// principal's identity policies, the resource's own policy (bucket policy, repository policy) and
// IAM's evaluation logic. Every decision is recorded, so a test can tell which statements a run
// used and which requests were denied (GET /_sandbox/authorizations).
import { cfnState } from '../cloudformation/state';
import type { Sandbox } from '../core/types';
import { evaluate, type Decision, type NamedPolicy, type StatementRef, type Verdict } from './evaluate';
import { requestContext, type Principal, type RequestFacts } from './principal';

export interface AuthorizationRecord {
  /** The session or user as messages print it. */
  readonly arn: string;
  /** The user or role whose policies were evaluated. */
  readonly principalArn: string;
  readonly action: string;
  readonly resource: string;
  readonly verdict: Verdict;
  readonly allowedBy: readonly StatementRef[];
  readonly deniedBy: readonly StatementRef[];
}

export interface AuthorizationResult {
  readonly allowed: boolean;
  readonly decision: Decision;
  /** `User: <arn> is not authorized to perform: <action> on resource: <resource> because …` */
  readonly message: string;
}

/** Enough for a long demo run; a full test run stays far below. */
const MAX_RECORDS = 200_000;
const logs = new WeakMap<Sandbox, AuthorizationRecord[]>();

/** Every authorization decided in this sandbox since it started (or was reset), oldest first. */
export function authorizationLog(sandbox: Sandbox): AuthorizationRecord[] {
  let log = logs.get(sandbox);
  if (!log) {
    log = [];
    logs.set(sandbox, log);
  }
  return log;
}

export function authorize(
  sandbox: Sandbox,
  principal: Principal,
  action: string,
  resource: string,
  facts: RequestFacts,
): AuthorizationResult {
  const resourcePolicy = resourcePolicyOf(sandbox, resource);
  const decision = evaluate(
    {
      caller: { principalArn: principal.principalArn, accountId: principal.accountId },
      action,
      resource,
      context: requestContext(principal, facts),
    },
    {
      identity: principal.policies(),
      ...(resourcePolicy ? { resource: resourcePolicy } : {}),
      unrestricted: principal.unrestricted,
    },
  );
  const log = authorizationLog(sandbox);
  if (log.length >= MAX_RECORDS) log.splice(0, log.length / 2);
  log.push({
    arn: principal.arn,
    principalArn: principal.principalArn,
    action,
    resource,
    verdict: decision.verdict,
    allowedBy: decision.allowedBy,
    deniedBy: decision.deniedBy,
  });
  return {
    allowed: decision.verdict === 'allowed',
    decision,
    message: deniedMessage(principal.arn, action, resource, decision.verdict),
  };
}

/** IAM's explanation of a denial, in the form AWS services put in AccessDenied messages. */
export function deniedMessage(
  arn: string,
  action: string,
  resource: string,
  verdict: Verdict,
  options: { readonly quoteResource?: boolean; readonly omitResource?: boolean } = {},
): string {
  const on = options.omitResource ? '' : ` on resource: ${options.quoteResource ? `"${resource}"` : resource}`;
  const because =
    verdict === 'identityDeny'
      ? 'with an explicit deny in an identity-based policy'
      : verdict === 'resourceDeny'
        ? 'with an explicit deny in a resource-based policy'
        : `because no identity-based policy allows the ${action} action`;
  return `User: ${arn} is not authorized to perform: ${action}${on} ${because}`;
}

/**
 * The resource's own policy, where the stacks defined one: an S3 bucket's (AWS::S3::BucketPolicy)
 * for the bucket and its objects, an ECR repository's (RepositoryPolicyText).
 */
export function resourcePolicyOf(sandbox: Sandbox, resource: string): NamedPolicy | undefined {
  const s3 = /^arn:aws[\w-]*:s3:::([^/]+)/.exec(resource);
  const ecr = /^arn:aws[\w-]*:ecr:([a-z0-9-]+):(\d{12}):repository\/(.+)$/.exec(resource);
  if (!s3 && !ecr) return undefined;
  for (const stack of Object.values(cfnState(sandbox).stacks)) {
    if (stack.status === 'DELETE_COMPLETE') continue;
    for (const r of Object.values(stack.resources)) {
      if (r.status.startsWith('DELETE') || r.status === 'CREATE_FAILED') continue;
      if (s3 && r.type === 'AWS::S3::BucketPolicy' && r.properties.Bucket === s3[1])
        return { name: `bucket policy of ${s3[1]}`, document: r.properties.PolicyDocument };
      if (
        ecr &&
        r.type === 'AWS::ECR::Repository' &&
        r.physicalId === ecr[3] &&
        stack.stackId.split(':')[4] === ecr[2] &&
        r.properties.RepositoryPolicyText !== undefined
      )
        return { name: `repository policy of ${ecr[3]}`, document: parsed(r.properties.RepositoryPolicyText) };
    }
  }
  return undefined;
}

function parsed(document: unknown): unknown {
  if (typeof document !== 'string') return document;
  try {
    return JSON.parse(document) as unknown;
  } catch {
    return undefined;
  }
}
