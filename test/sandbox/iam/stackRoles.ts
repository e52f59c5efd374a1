// The IAM roles stacks created, with the policies their templates attach: inline `Policies`, the
// AWS::IAM::Policy and AWS::IAM::ManagedPolicy resources naming the role, and `ManagedPolicyArns`
// (customer managed policies of the stacks, and the AWS managed policies the sandbox has fixtures
// of). The sandbox has no IAM API: CloudFormation's records are the roles.
import { cfnState } from '../cloudformation/state';
import type { Sandbox } from '../core/types';
import { str } from '../core/values';
import type { NamedPolicy } from './evaluate';
import { awsManagedPolicy } from './managedPolicies';

export interface StackRole {
  readonly name: string;
  readonly arn: string;
  readonly accountId: string;
  /** The template's logical id and stack, for messages and the audit. */
  readonly logicalId: string;
  readonly stackId: string;
  readonly trustPolicy: unknown;
  /** The permission policies, read afresh on each call (a stack update changes them). */
  policies(): NamedPolicy[];
}

const ROLE_ARN = /^arn:aws[\w-]*:iam::(\d{12}):role\/(?:[\w+=,.@-]+\/)*([\w+=,.@-]+)$/;

/** The stack-created role with this ARN, or undefined when no stack created it. */
export function findStackRole(sandbox: Sandbox, roleArn: string | undefined): StackRole | undefined {
  const match = ROLE_ARN.exec(roleArn ?? '');
  if (!match) return undefined;
  const [, accountId, roleName] = match;
  const records = cfnState(sandbox).records;
  const found = Object.entries(records['AWS::IAM::Role'] ?? {}).find(
    ([name, r]) => name === roleName && r.stackId.split(':')[4] === accountId,
  );
  if (!found) return undefined;
  const [, record] = found;
  return {
    name: roleName,
    arn: roleArn!,
    accountId,
    logicalId: record.logicalId,
    stackId: record.stackId,
    trustPolicy: record.properties.AssumeRolePolicyDocument,
    policies: () => rolePolicies(sandbox, roleName, accountId),
  };
}

function rolePolicies(sandbox: Sandbox, roleName: string, accountId: string): NamedPolicy[] {
  const records = cfnState(sandbox).records;
  const role = records['AWS::IAM::Role']?.[roleName];
  if (!role) return [];
  const policies: NamedPolicy[] = [];
  for (const inline of list(role.properties.Policies)) {
    const { PolicyName, PolicyDocument } = inline as { PolicyName?: unknown; PolicyDocument?: unknown };
    policies.push({ name: `role/${roleName} inline policy ${String(PolicyName)}`, document: PolicyDocument });
  }
  const attached = list(role.properties.ManagedPolicyArns).map(String);
  for (const [physicalId, r] of Object.entries(records['AWS::IAM::Policy'] ?? {})) {
    if (r.stackId.split(':')[4] === accountId && list(r.properties.Roles).map(String).includes(roleName))
      policies.push({
        name: `role/${roleName} policy ${str(r.properties.PolicyName, physicalId)}`,
        document: r.properties.PolicyDocument,
      });
  }
  for (const [arn, r] of Object.entries(records['AWS::IAM::ManagedPolicy'] ?? {})) {
    if (r.stackId.split(':')[4] !== accountId) continue;
    if (attached.includes(arn) || list(r.properties.Roles).map(String).includes(roleName))
      policies.push({ name: `managed policy ${arn}`, document: r.properties.PolicyDocument });
  }
  for (const arn of attached) {
    const managed = awsManagedPolicy(arn);
    if (managed) policies.push(managed);
  }
  return policies;
}

function list(value: unknown): unknown[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}
