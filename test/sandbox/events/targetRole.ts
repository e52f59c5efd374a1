// Whether the role a rule target names lets EventBridge do what it does with it: EventBridge assumes
// the role (its trust policy must let events.amazonaws.com in, for this rule and account) and the
// role's policies must allow the action on the target, as IAM evaluates them (iam/serviceRoles.ts).
import type { Sandbox } from '../core/types';
import { assumeServiceRole } from '../iam/serviceRoles';

export function roleAllows(
  sandbox: Sandbox,
  rule: { readonly accountId: string; readonly region: string; readonly ruleArn: string },
  roleArn: string | undefined,
  action: string,
  resource: string,
): boolean {
  if (roleArn === undefined) return false;
  const assumed = assumeServiceRole(sandbox, {
    roleArn,
    service: 'events.amazonaws.com',
    sessionName: randomSessionName(),
    accountId: rule.accountId,
    region: rule.region,
    sourceArn: rule.ruleArn,
  });
  return assumed.ok && assumed.session.can(action, resource).allowed;
}

/** EventBridge names its sessions with a random hex id. */
function randomSessionName(): string {
  return Array.from({ length: 32 }, () => Math.floor(Math.random() * 16).toString(16)).join('');
}
